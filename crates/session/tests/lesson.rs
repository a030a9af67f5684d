//! Workshop mode as the page drives it: parse a lesson, load its data with the first check, then
//! check answers, right and wrong, and read the feedback the learner would see.
#![allow(clippy::panic, clippy::unwrap_used, clippy::expect_used)]

use protocol::{
    CheckReply, CheckRequest, Exercise, Lesson, LessonReply, LessonRequest, LoadRequest, Request, RequestBody,
    ResponseBody,
};
use session::Session;

fn clock() -> f64 {
    0.0
}

const LESSON: &str = r#"---
id: checking
title: Checking answers
time: 600
---

Two jobs count requests; `up` says which job is up.

```data
load 1m
  http_requests_total{job="a", code="200"} 0+10x10
  http_requests_total{job="a", code="500"} 0+1x10
  http_requests_total{job="b", code="200"} 0+20x10
  http_requests_total{job="c", code="200"} 0+5x10
  up{job="a"} 1x10
  up{job="b"} 0x10
  up{job="c"} 1x10
```

```exercise
id: rate-by-job
title: Requests per second by job
task: The per-second request rate of each job over 5 minutes.
solution: sum by (job) (rate(http_requests_total[5m]))
```

```exercise
id: not-c
title: All but c
task: The same, without job c.
solution: sum by (job) (rate(http_requests_total{job!="c"}[5m]))
```

```exercise
id: up-by-job
title: Up per job
task: Sum `up` by job.
solution: sum by (job) (up)
```

```exercise
id: busiest
title: Busiest first
task: Rates by job, busiest first.
solution: sort_desc(sum by (job) (rate(http_requests_total[5m])))
```

```exercise
id: over-time
title: Rate over time
task: Job a's rate over the last 5 minutes, every minute.
solution: sum(rate(http_requests_total{job="a"}[5m]))
range: {range: 5m, step: 1m}
```

```exercise
id: loose
title: Roughly
task: About 0.18 requests per second.
solution: sum(rate(http_requests_total{job="a"}[5m]))
tolerance: 0.1
```

```exercise
id: broken
title: A lesson bug
task: Its solution cannot run.
solution: http_requests_total + on(job) up
```
"#;

const RELABEL_LESSON: &str = r#"---
id: relabel-buckets
title: Dropping buckets
time: 1700000000
---

```data
req_bucket{le="0.5"} 3
req_bucket{le="+Inf"} 5
req_sum 2.5
req_count 5
```

```exercise
id: drop-buckets
title: No buckets
task: Drop the `_bucket` series.
kind: relabel
start: []
solution:
  - source_labels: [__name__]
    regex: .*_bucket
    action: drop
```
"#;

fn parse(s: &mut Session, text: &str) -> Result<Lesson, String> {
    let body = RequestBody::Lesson(LessonRequest::Parse { text: text.to_string() });
    match s.handle(Request { id: 1, body }, &clock).body {
        ResponseBody::Lesson(r) => match *r {
            LessonReply::Parsed(p) => p,
            other => panic!("unexpected {other:?}"),
        },
        other => panic!("unexpected {other:?}"),
    }
}

/// What the page sends with the first check of a lesson with its own data.
fn load_of(l: &Lesson) -> LoadRequest {
    let t = l.time.parse::<i64>().unwrap() * 1000;
    LoadRequest { text: l.data.clone().unwrap(), scrape_time_ms: t, eval_time_ms: Some(t) }
}

fn check(s: &mut Session, load: Option<LoadRequest>, ex: &Exercise, answer: &str) -> CheckReply {
    let req = CheckRequest { load, exercise: ex.clone(), answer: answer.to_string() };
    let body = RequestBody::Lesson(LessonRequest::Check(Box::new(req)));
    match s.handle(Request { id: 2, body }, &clock).body {
        ResponseBody::Lesson(r) => match *r {
            LessonReply::Checked(c) => *c,
            other => panic!("unexpected {other:?}"),
        },
        other => panic!("unexpected {other:?}"),
    }
}

/// A session holding the lesson's data, and the lesson.
fn setup(text: &str) -> (Session, Lesson) {
    let mut s = Session::new();
    let l = parse(&mut s, text).unwrap();
    let first = l.exercises[0].clone();
    let r = check(&mut s, Some(load_of(&l)), &first, &first.solution);
    assert!(r.load.as_ref().is_some_and(Result::is_ok), "{r:?}");
    (s, l)
}

fn ex<'a>(l: &'a Lesson, id: &str) -> &'a Exercise {
    l.exercises.iter().find(|e| e.id == id).unwrap()
}

#[test]
fn right_answers_pass_however_written() {
    let (mut s, l) = setup(LESSON);
    let e = ex(&l, "rate-by-job");
    for answer in [
        "sum by (job) (rate(http_requests_total[5m]))",
        "sum without (code) (rate(http_requests_total[5m]))",
        "sum(rate(http_requests_total[300s])) by (job)",
    ] {
        let r = check(&mut s, None, e, answer);
        assert!(r.passed, "{answer}: {:?}", r.feedback);
        assert!(r.feedback.is_empty());
        assert!(r.load.is_none());
        let v = r.result.unwrap();
        assert_eq!((v.result_type.as_str(), v.rows.len(), v.time_ms), ("vector", 3, 600_000));
    }
    // Within the exercise's tolerance (0.1 relative): 0.18 for 11/60.
    let r = check(&mut s, None, ex(&l, "loose"), "0.18");
    assert!(!r.passed, "a scalar is not a vector");
    let r = check(&mut s, None, ex(&l, "loose"), "sum(rate(http_requests_total{job=\"a\"}[5m])) * 1.05");
    assert!(r.passed, "{:?}", r.feedback);
    let r = check(&mut s, None, ex(&l, "loose"), "sum(rate(http_requests_total{job=\"a\"}[5m])) * 1.12");
    assert!(!r.passed);
}

#[test]
fn errors_and_types() {
    let (mut s, l) = setup(LESSON);
    let e = ex(&l, "rate-by-job");
    let r = check(&mut s, None, e, "sum by (job) (rate(http_requests_total[5m])");
    assert!(!r.passed);
    assert_eq!(r.feedback.len(), 1);
    assert!(r.feedback[0].starts_with("your query fails: 1:"), "{:?}", r.feedback);
    assert!(r.feedback[0].contains("parse error"), "{:?}", r.feedback);
    assert!(r.result.is_none());
    let r = check(&mut s, None, e, "http_requests_total[5m]");
    assert_eq!(r.feedback, ["you returned a range vector; the exercise wants an instant vector"]);
    assert_eq!(r.result.map(|v| v.result_type), Some("matrix".to_string()));
    let r = check(&mut s, None, e, "1");
    assert_eq!(r.feedback, ["you returned a scalar; the exercise wants an instant vector"]);
    let r = check(&mut s, None, e, "   ");
    assert_eq!((r.passed, r.feedback), (false, vec!["your answer is empty: write a query".to_string()]));
    // The lesson's own fault is told apart from the learner's.
    let r = check(&mut s, None, ex(&l, "broken"), "sum(http_requests_total)");
    assert!(!r.passed);
    assert!(r.feedback[0].starts_with("the exercise's solution fails (a fault of the lesson): "), "{:?}", r.feedback);
}

#[test]
fn series_missing_and_extra() {
    let (mut s, l) = setup(LESSON);
    let r = check(&mut s, None, ex(&l, "rate-by-job"), r#"sum by (job) (rate(http_requests_total{job="a"}[5m]))"#);
    assert_eq!(r.feedback, [r#"2 series missing: {job="b"}, {job="c"}"#]);
    let r = check(&mut s, None, ex(&l, "not-c"), "sum by (job) (rate(http_requests_total[5m]))");
    assert_eq!(r.feedback, [r#"1 extra series: {job="c"}"#]);
    // Both, missing first; a label set with the metric name prints as Prometheus prints it.
    let r = check(&mut s, None, ex(&l, "up-by-job"), r#"up{job="a"} or sum by (job) (up{job="b"})"#);
    assert_eq!(r.feedback, [r#"2 series missing: {job="a"}, {job="c"}"#, r#"1 extra series: up{job="a"}"#]);
}

#[test]
fn values_differ() {
    let (mut s, l) = setup(LESSON);
    // Job b is down: its sum is 0, but it has one series.
    let r = check(&mut s, None, ex(&l, "up-by-job"), "count by (job) (up)");
    assert!(!r.passed);
    assert_eq!(r.feedback, [r#"values differ at 1970-01-01 00:10:00: {job="b"}: got 1, expected 0"#]);
    // A range exercise compares every step; the sentence names the first times.
    let e = ex(&l, "over-time");
    let r = check(&mut s, None, e, r#"sum(rate(http_requests_total{job="a"}[5m]))"#);
    assert!(r.passed, "{:?}", r.feedback);
    let v = r.result.unwrap();
    assert_eq!((v.result_type.as_str(), v.rows[0].points.len()), ("matrix", 6));
    let r = check(&mut s, None, e, r#"sum(rate(http_requests_total{job="a", code="200"}[5m]))"#);
    assert!(!r.passed);
    assert!(r.feedback[0].starts_with("values differ at 1970-01-01 00:05:00: {}: got 0.16666"), "{:?}", r.feedback);
    assert_eq!(r.feedback.len(), 4, "{:?}", r.feedback);
    assert_eq!(r.feedback[3], "and 3 more differing values");
}

#[test]
fn order_matters_only_when_the_solution_sorts() {
    let (mut s, l) = setup(LESSON);
    let e = ex(&l, "busiest");
    assert_eq!(e.ordered, Some(true));
    let r = check(&mut s, None, e, "sort_desc(sum by (job) (rate(http_requests_total[5m])))");
    assert!(r.passed, "{:?}", r.feedback);
    // Rates: b 20/60, a 11/60, c 5/60.
    let r = check(&mut s, None, e, "sort(sum by (job) (rate(http_requests_total[5m])))");
    assert_eq!(r.feedback, [r#"the order differs: series 1 should be {job="b"}, yours is {job="c"}"#]);
    // Unordered exercises accept any order.
    let r = check(&mut s, None, ex(&l, "rate-by-job"), "sort(sum by (job) (rate(http_requests_total[5m])))");
    assert!(r.passed, "{:?}", r.feedback);
}

#[test]
fn data_comes_with_the_check_or_was_loaded_before() {
    let mut s = Session::new();
    let l = parse(&mut s, LESSON).unwrap();
    let e = ex(&l, "rate-by-job");
    let r = check(&mut s, None, e, &e.solution);
    assert_eq!(
        (r.passed, r.feedback),
        (false, vec!["no data loaded: the lesson's data must be loaded first".to_string()])
    );
    let bad = LoadRequest { text: "up{".to_string(), scrape_time_ms: 0, eval_time_ms: None };
    let r = check(&mut s, Some(bad), e, &e.solution);
    assert!(r.load.as_ref().is_some_and(Result::is_err));
    assert!(r.feedback[0].starts_with("the lesson's data does not load: 1:"), "{:?}", r.feedback);
    let r = check(&mut s, Some(load_of(&l)), e, &e.solution);
    assert!(r.passed && r.load.is_some_and(|d| d.is_ok_and(|d| d.cardinality.num_series == 7)));
}

#[test]
fn parse_errors_point_into_the_lesson() {
    let mut s = Session::new();
    let broken = LESSON.replace("solution: sum by (job) (up)", "solution: sum by (job) (up");
    let e = parse(&mut s, &broken).unwrap_err();
    let line = LESSON.lines().position(|l| l == "solution: sum by (job) (up)").unwrap() + 1;
    assert!(e.starts_with(&format!("{line}:")), "{e}");
    assert!(e.contains("solution: parse error"), "{e}");
}

#[test]
fn relabel_exercises_compare_the_stored_series() {
    let (mut s, l) = setup(RELABEL_LESSON);
    let e = &l.exercises[0];
    assert!(e.relabel);
    assert_eq!(e.start, "[]\n");
    // Another way to the same stored series.
    let r = check(&mut s, None, e, "- source_labels: [le]\n  regex: .+\n  action: drop\n");
    assert!(r.passed, "{:?}", r.feedback);
    let v = r.result.unwrap();
    let rows: Vec<(&str, &str)> = v.rows.iter().map(|r| (r.labels.as_str(), r.value.as_str())).collect();
    assert_eq!(rows, [("req_count", "5"), ("req_sum", "2.5")]);
    // Whole configs are accepted as the Relabel view accepts them.
    let r =
        check(&mut s, None, e, "metric_relabel_configs:\n  - source_labels: [le]\n    regex: .+\n    action: drop\n");
    assert!(r.passed, "{:?}", r.feedback);
    let r = check(&mut s, None, e, "[]");
    assert_eq!(r.feedback, [r#"2 extra series: req_bucket{le="+Inf"}, req_bucket{le="0.5"}"#]);
    // Dropping `le` leaves one bucket series (the first; the other collides with it).
    let r = check(&mut s, None, e, "- action: labeldrop\n  regex: le\n");
    assert_eq!(r.feedback, ["1 extra series: req_bucket"]);
    let r = check(&mut s, None, e, "- action: drop\n  regex: [oops\n");
    assert!(r.feedback[0].starts_with("your rules: 3:1: yaml: "), "{:?}", r.feedback);
    let r = check(&mut s, None, e, "- source_labels: [__name__]\n  regex: req_(sum|count)\n  action: drop\n");
    assert_eq!(
        r.feedback,
        [r#"2 series missing: req_count, req_sum"#, r#"2 extra series: req_bucket{le="+Inf"}, req_bucket{le="0.5"}"#]
    );
}
