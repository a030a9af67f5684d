//! The Explain tab and the histogram_quantile explainer as the page drives them: tree shapes,
//! the sentences, which inputs went into each output, and the explainer's numbers (taken from
//! the engine) on the demo, the edge cases and the what-if sample.
#![allow(clippy::panic, clippy::unwrap_used, clippy::expect_used)]

use protocol::{
    ExplainReply, HistogramReply, HistogramRequest, HistogramSource, LoadRequest, Provenance, QueryRequest, Request,
    RequestBody, ResponseBody, RunRequest,
};
use session::Session;

/// Counters scraped every 15 s for 10 minutes, and a classic histogram; evaluated at 600 s.
const DATA: &str = r#"load 15s
  http_requests_total{job="api", instance="a"} 0+10x40
  http_requests_total{job="api", instance="b"} 0+20x40
  http_requests_total{job="db", instance="c"} 0+5x40
  lat_bucket{job="api", le="1"} 0+2x40
  lat_bucket{job="api", le="2"} 0+10x40
  lat_bucket{job="api", le="+Inf"} 0+10x40
  lat_bucket{job="db", le="0.5"} 0+1x40
  lat_bucket{job="db", le="+Inf"} 0+4x40
"#;

fn clock() -> f64 {
    0.0
}

fn loaded() -> Session {
    let mut s = Session::new();
    let body = RequestBody::Run(RunRequest {
        load: Some(LoadRequest { text: DATA.to_string(), scrape_time_ms: 0, eval_time_ms: None }),
        query: QueryRequest { query: "up".to_string(), ..QueryRequest::default() },
    });
    s.handle(Request { id: 1, body }, &clock);
    s
}

fn explain(s: &mut Session, q: &str) -> ExplainReply {
    let body = RequestBody::Explain(QueryRequest { query: q.to_string(), ..QueryRequest::default() });
    match s.handle(Request { id: 2, body }, &clock).body {
        ResponseBody::Explain(r) => r.expect("explained"),
        other => panic!("unexpected {other:?}"),
    }
}

fn histogram(s: &mut Session, phi: &str, source: HistogramSource) -> Result<HistogramReply, String> {
    let body = RequestBody::Histogram(HistogramRequest { phi: phi.to_string(), source });
    match s.handle(Request { id: 3, body }, &clock).body {
        ResponseBody::Histogram(r) => *r,
        other => panic!("unexpected {other:?}"),
    }
}

fn buckets(phi: &str, text: &str) -> HistogramReply {
    histogram(&mut Session::new(), phi, HistogramSource::Buckets(text.to_string())).expect("explained")
}

#[test]
fn the_tree_is_pre_order_with_each_nodes_own_result() {
    let mut s = loaded();
    let r = explain(&mut s, "sum by (job) (rate(http_requests_total[5m]))");
    assert_eq!(r.time_ms, 600_000);
    let shape: Vec<(Option<usize>, &str, &str)> =
        r.nodes.iter().map(|n| (n.parent, n.kind.as_str(), n.text.as_str())).collect();
    assert_eq!(
        shape,
        vec![
            (None, "aggregation", "sum by (job) (rate(http_requests_total[5m]))"),
            (Some(0), "function call", "rate(http_requests_total[5m])"),
            (Some(1), "range selector", "http_requests_total[5m]"),
        ]
    );
    assert_eq!(r.nodes.iter().map(|n| n.count_text.as_str()).collect::<Vec<_>>(), ["2 series", "3 series", "3 series"]);
    assert_eq!(r.nodes[0].preview, [r#"{job="api"} => 2"#, r#"{job="db"} => 0.3333333333333333"#]);
    let rate = r.nodes[1].result.as_ref().expect("rate's result");
    assert_eq!(rate.rows[0].labels, r#"{instance="a", job="api"}"#);
    assert_eq!(rate.rows[0].value, "0.6666666666666666");
    assert!(r.nodes[2].preview[0].ends_with("=> 20 samples"), "{:?}", r.nodes[2].preview);
    assert!(r.nodes[0].explanation.starts_with("Adds up the values per group of series with the same job"));
    assert!(r.nodes[1].explanation.starts_with("rate: Per-second average increase"));
    assert!(r.nodes[2].explanation.contains("in the 5m window (t−5m, t]"));
}

#[test]
fn an_aggregation_lists_the_series_of_each_group() {
    let mut s = loaded();
    let r = explain(&mut s, "sum by (job) (rate(http_requests_total[5m]))");
    let Some(Provenance::Groups(gs)) = &r.nodes[0].provenance else { panic!("{:?}", r.nodes[0].provenance) };
    assert_eq!(gs.len(), 2);
    assert_eq!(gs[0].group, r#"{job="api"}"#);
    assert_eq!(gs[0].outputs, [r#"{job="api"} => 2"#]);
    let inputs: Vec<(&str, &str, bool)> = gs[0].inputs.iter().map(|i| (i.0.as_str(), i.1.as_str(), i.2)).collect();
    assert_eq!(
        inputs,
        [
            (r#"{instance="a", job="api"}"#, "0.6666666666666666", true),
            (r#"{instance="b", job="api"}"#, "1.3333333333333333", true)
        ]
    );
    assert_eq!(gs[1].inputs.len(), 1);
}

#[test]
fn topk_marks_the_series_it_kept() {
    let mut s = loaded();
    let r = explain(&mut s, "topk(1, http_requests_total)");
    assert_eq!(r.nodes.iter().map(|n| n.kind.as_str()).collect::<Vec<_>>(), ["aggregation", "number", "vector selector"]);
    let Some(Provenance::Groups(gs)) = &r.nodes[0].provenance else { panic!() };
    let kept: Vec<(&str, bool)> = gs[0].inputs.iter().map(|i| (i.1.as_str(), i.2)).collect();
    assert_eq!(kept, [("400", false), ("800", true), ("200", false)]);
}

#[test]
fn a_range_function_lists_the_samples_of_each_window() {
    let mut s = loaded();
    let r = explain(&mut s, "max_over_time(http_requests_total{job=\"db\"}[1m] offset 1m)");
    let Some(Provenance::Windows { from_ms, to_ms, rows }) = &r.nodes[0].provenance else { panic!() };
    assert_eq!((*from_ms, *to_ms), (480_000, 540_000));
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].value, "180");
    let samples: Vec<(&str, &str)> = rows[0].samples.iter().map(|p| (p.0.as_str(), p.1.as_str())).collect();
    assert_eq!(samples, [("−45s", "165"), ("−30s", "170"), ("−15s", "175"), ("0s", "180")]);
    assert!(r.nodes[1].explanation.contains("looking 1m further back (offset 1m)"), "{}", r.nodes[1].explanation);
}

#[test]
fn binary_operators_and_subqueries_are_explained() {
    let mut s = loaded();
    let r = explain(&mut s, "http_requests_total * on(job) group_left sum by (job) (http_requests_total) > 0.5");
    assert_eq!(r.nodes[0].kind, "binary operator");
    assert!(r.nodes[0].explanation.contains("keeps only the samples where left > right holds"), "{}", r.nodes[0].explanation);
    assert!(r.nodes[1].explanation.contains("on the labels job; many-to-one (group_left)"), "{}", r.nodes[1].explanation);
    assert_eq!(r.nodes[1].count_text, "3 series");
    let r = explain(&mut s, "max_over_time(rate(http_requests_total[1m])[5m:1m])");
    assert_eq!(r.nodes.len(), 4);
    assert!(r.nodes[1].explanation.starts_with("Evaluates the inner expression every 1m over the 5m window"));
    let Some(Provenance::Windows { rows, .. }) = &r.nodes[0].provenance else { panic!() };
    assert_eq!(rows[0].samples.len(), 5);
}

#[test]
fn a_failing_node_carries_its_error_and_a_parse_error_fails_the_request() {
    let mut s = loaded();
    let body = RequestBody::Explain(QueryRequest { query: "sum(".to_string(), ..QueryRequest::default() });
    match s.handle(Request { id: 2, body }, &clock).body {
        ResponseBody::Explain(r) => assert!(r.is_err_and(|e| e.contains("parse error"))),
        other => panic!("unexpected {other:?}"),
    }
    let body = RequestBody::Explain(QueryRequest { query: "up".to_string(), ..QueryRequest::default() });
    match Session::new().handle(Request { id: 2, body }, &clock).body {
        ResponseBody::Explain(r) => assert_eq!(*r, Err("no data loaded".to_string())),
        other => panic!("unexpected {other:?}"),
    }
}

#[test]
fn the_demo_interpolates_to_1_375() {
    let r = buckets("0.5", "1:20, 2:100, +Inf:100");
    assert_eq!(r.value, 1.375);
    assert_eq!(r.value_text, "1.375");
    assert_eq!((r.total, r.rank, r.bucket), (100.0, 50.0, Some(1)));
    assert!(r.case.starts_with("Linear interpolation"));
    assert_eq!(r.steps.last().map(String::as_str), Some("value = 1 + (2 − 1) · (50 − 20) / 80 = 1.375"));
}

#[test]
fn edge_cases_follow_the_engine() {
    // The rank in the +Inf bucket: the highest finite bound.
    let r = buckets("0.99", "1:20, 2:50, +Inf:100");
    assert_eq!(r.value, 2.0);
    assert!(r.case.contains("+Inf bucket"), "{}", r.case);
    // Fewer than two buckets, no +Inf bucket, no observations, NaN counts: NaN.
    for text in ["+Inf:10", "1:5, 2:10", "1:0, +Inf:0", "1:NaN, +Inf:NaN"] {
        let r = buckets("0.5", text);
        assert!(r.value.is_nan(), "{text}: {}", r.value);
        assert!(!r.case.is_empty());
    }
    assert!(buckets("0.5", "+Inf:10").case.starts_with("Fewer than two buckets"));
    assert!(buckets("0.5", "1:5, 2:10").case.starts_with("There is no +Inf bucket"));
    // φ outside [0, 1], with the engine's warning.
    let r = buckets("1.5", "1:20, 2:100, +Inf:100");
    assert_eq!(r.value, f64::INFINITY);
    assert!(r.notes.iter().any(|n| n.contains("quantile value should be between 0 and 1")), "{:?}", r.notes);
    assert_eq!(buckets("-0.5", "1:20, +Inf:100").value, f64::NEG_INFINITY);
    assert!(buckets("NaN", "1:20, +Inf:100").value.is_nan());
    // A decreasing count is raised to the one before it, and the engine says so.
    let r = buckets("0.5", "1:30, 2:20, 4:100, +Inf:100");
    assert_eq!(r.buckets.iter().map(|b| b.fixed).collect::<Vec<_>>(), [30.0, 30.0, 100.0, 100.0]);
    assert_eq!(r.value, 2.0 + 2.0 * (20.0 / 70.0));
    assert!(r.steps.iter().any(|s| s.starts_with("Monotonicity fix: le=2 counts 20")), "{:?}", r.steps);
    assert!(r.notes.iter().any(|n| n.contains("fixed for monotonicity")), "{:?}", r.notes);
    // A first bucket with a non-positive bound is returned as is.
    assert_eq!(buckets("0.1", "-1:50, 0:60, +Inf:100").value, -1.0);
    // Bad input is refused with a message.
    assert!(histogram(&mut Session::new(), "x", HistogramSource::Buckets("1:2".into())).is_err());
    assert!(histogram(&mut Session::new(), "0.5", HistogramSource::Buckets("1:2, 1:3".into())).is_err());
}

#[test]
fn the_retraced_steps_agree_with_the_engine() {
    // Deterministic pseudo-random histograms, some non-monotonic; a disagreement would add the
    // "missed a rule" line.
    let mut x: u32 = 12345;
    let mut next = move || {
        x = x.wrapping_mul(1_103_515_245).wrapping_add(12345);
        (x >> 16) % 100
    };
    for _ in 0..300 {
        let n = 1 + next() % 5;
        let mut text = String::new();
        let mut count = 0;
        for i in 0..n {
            count += next() % 30;
            let c = if next() % 7 == 0 { count / 2 } else { count };
            text.push_str(&format!("{}:{c}, ", (i + 1) * 5));
        }
        text.push_str(&format!("+Inf:{}", count + next() % 10));
        let phi = format!("{}", next() as f64 / 99.0);
        let r = buckets(&phi, &text);
        assert!(!r.steps.iter().any(|s| s.contains("missed a rule")), "{text} φ={phi}: {:?}", r.steps);
    }
}

#[test]
fn the_what_if_compares_with_the_true_quantile() {
    let sample = |bounds: &str| {
        histogram(&mut Session::new(), "0.9", HistogramSource::Sample(bounds.to_string())).expect("explained")
    };
    let coarse = sample("0.1, 0.5, 1");
    let w = coarse.what_if.clone().expect("what-if");
    assert_eq!(w.observations, 200);
    assert_eq!(coarse.buckets.last().map(|b| (b.le.as_str(), b.count)), Some(("+Inf", 200.0)));
    assert_eq!(w.estimate, coarse.value);
    assert!((w.error - (w.estimate - w.true_value)).abs() < 1e-12);
    assert!(w.true_value > 0.02 && w.true_value < 1.92, "{}", w.true_value);
    // Finer buckets around the quantile estimate it better.
    let fine = sample("0.1, 0.2, 0.3, 0.35, 0.4, 0.45, 0.5, 1");
    let wf = fine.what_if.expect("what-if");
    assert_eq!(wf.true_value, w.true_value);
    assert!(wf.error.abs() < w.error.abs(), "fine {} vs coarse {}", wf.error, w.error);
    println!("what-if p90: true {} coarse {} ({}%) fine {} ({}%)", w.true_value, w.estimate, w.error_percent, wf.estimate, wf.error_percent);
    assert!(histogram(&mut Session::new(), "0.9", HistogramSource::Sample("0.1, x".into())).is_err());
}

#[test]
fn a_query_histogram_is_explained_per_output_series() {
    let mut s = loaded();
    let q = "histogram_quantile(0.5, rate(lat_bucket[5m]))";
    let tree = explain(&mut s, q);
    assert!(tree.nodes[0].histogram_quantile);
    let query = QueryRequest { query: q.to_string(), ..QueryRequest::default() };
    let r = histogram(&mut s, "", HistogramSource::Query { query: query.clone(), node: 0, series: 0 }).expect("explained");
    assert_eq!(r.series, [r#"{job="api"}"#, r#"{job="db"}"#]);
    // rank 0.5·(10/15) falls in (1, 2]: 1 + (0.3333 − 0.1333)/(0.5333) = 1.375.
    assert_eq!(r.value_text, "1.375");
    assert_eq!(tree.nodes[0].preview[0], r#"{job="api"} => 1.375"#);
    let db = histogram(&mut s, "", HistogramSource::Query { query: query.clone(), node: 0, series: 1 }).expect("explained");
    assert_eq!((db.chosen, db.value), (1, 0.5));
    assert!(db.case.contains("+Inf bucket"));
    assert!(histogram(&mut s, "", HistogramSource::Query { query, node: 1, series: 0 }).is_err());
}
