//! The runner end to end on small hand-written files, using only what any engine build
//! evaluates (selectors, literals, unary minus), so each rule is checked in both directions.

#![allow(clippy::panic, clippy::unwrap_used, clippy::expect_used)] // test code fails loudly

use promqltest::{run_file, Classification, EvalResult, Status};

fn run(src: &str) -> Vec<EvalResult> {
    run_file("t.test", src, &Classification::default())
}

/// The status of each eval, in order, with failures' messages printed for debugging.
fn statuses(src: &str) -> Vec<Status> {
    run(src)
        .into_iter()
        .map(|r| {
            if let Some(e) = &r.error {
                eprintln!("line {}: {e}", r.line);
            }
            r.status
        })
        .collect()
}

const DATA: &str = "
load 5m
  reqs{job=\"a\"} 0+10x10
  reqs{job=\"b\"} 0+20x10
";

#[test]
fn vector_values_and_label_sets_cut_both_ways() {
    let src = format!(
        "{DATA}
eval instant at 50m reqs
  reqs{{job=\"b\"}} 200
  reqs{{job=\"a\"}} 100

eval instant at 50m reqs
  reqs{{job=\"a\"}} 100
  reqs{{job=\"b\"}} 201

eval instant at 50m reqs
  reqs{{job=\"a\"}} 100

eval instant at 50m reqs
  reqs{{job=\"a\"}} 100
  reqs{{job=\"b\"}} 200
  reqs{{job=\"c\"}} 300

eval instant at 50m reqs
  {{job=\"a\"}} 100
  {{job=\"b\"}} 200

eval instant at 50m reqs
  reqs{{job=\"a\"}} 100.00000001
  reqs{{job=\"b\"}} 200

eval instant at 50m -reqs
  {{job=\"a\"}} -100
  {{job=\"b\"}} -200
"
    );
    use Status::*;
    assert_eq!(statuses(&src), [Pass, Fail, Fail, Fail, Fail, Pass, Pass]);
}

#[test]
fn empty_results_and_comments() {
    let src = format!(
        "{DATA}
eval instant at 50m nothing_here
# empty

eval instant at 50m reqs
# a comment ends the block, so the lines below are not expectations of this eval
"
    );
    use Status::*;
    assert_eq!(statuses(&src), [Pass, Fail]);
}

#[test]
fn scalars_and_empty_label_vectors_differ() {
    use Status::*;
    let src = "
load 1m
  one 1

eval instant at 1m 2
  2

eval instant at 1m 2
  3

eval instant at 1m 2
  {} 2

eval instant at 1m -2
  -2

eval instant at 1m one
  one 1

eval instant at 1m one
  1
";
    assert_eq!(statuses(src), [Pass, Fail, Fail, Pass, Pass, Fail]);
}

#[test]
fn nan_and_staleness() {
    use Status::*;
    let src = "
load 1m
  n NaN
  m 1 stale

eval instant at 0 n
  n NaN

eval instant at 0 n
  n 1

eval instant at 0 m
  m 1

eval instant at 1m m

eval instant at 1m m
  m 1
";
    assert_eq!(statuses(src), [Pass, Fail, Pass, Pass, Fail]);
}

#[test]
fn range_evals_and_range_vectors() {
    use Status::*;
    let src = "
load 1m
  g 1 _ 3

eval range from 0 to 4m step 1m g
  g 1 1 3 3 3

eval range from 0 to 4m step 1m g
  g 1 _ 3 3 3

eval range from 0 to 2m step 1m g
  g 1 1 3 3

eval range from 0 to 2m step 1m -1
  {} -1 -1 -1

load 10s
  s 1+1x6

eval instant at 1m s[30s]
  expect range vector from 40s to 1m step 10s
  s 5 6 7

eval instant at 1m s[30s]
  expect range vector from 40s to 1m step 10s
  s 5 6 8

eval instant at 1m s[30s]
  expect range vector from 30s to 1m step 10s
  s 5 6 7
";
    assert_eq!(statuses(src), [Pass, Fail, Fail, Pass, Pass, Fail, Fail]);
}

#[test]
fn expected_failures_and_annotations() {
    use Status::*;
    let src = "
load 1m
  m 1

eval range from 0 to 100000m step 1s m
  expect fail

eval range from 0 to 100000m step 1s m
  expect fail regex: maximum resolution

eval range from 0 to 100000m step 1s m
  expect fail msg: something else

eval instant at 0 m
  expect fail

eval range from 0 to 100000m step 1s m

eval instant at 0 m
  expect no_warn
  expect no_info
  m 1

eval instant at 0 m
  expect warn
  m 1

eval instant at 0 m
  expect info msg: PromQL info: nothing
  m 1
";
    assert_eq!(statuses(src), [Pass, Pass, Fail, Fail, Fail, Pass, Fail, Fail]);
}

#[test]
fn ordered_evals_need_the_written_order() {
    use Status::*;
    // Selectors return series in label order, whatever the engine does inside.
    let src = format!(
        "{DATA}
eval instant at 50m reqs
  expect ordered
  reqs{{job=\"a\"}} 100
  reqs{{job=\"b\"}} 200

eval instant at 50m reqs
  expect ordered
  reqs{{job=\"b\"}} 200
  reqs{{job=\"a\"}} 100
"
    );
    assert_eq!(statuses(&src), [Pass, Fail]);
}

#[test]
fn loads_last_line_wins_and_a_failed_load_stops_the_file() {
    use Status::*;
    let src = "
load 1m
  m 1 2
  m 5 6

eval instant at 1m m
  m 6

load 1m
  m 7

eval instant at 1m m
  m 6

clear

eval instant at 1m m
";
    assert_eq!(statuses(src), [Pass, Fail, Fail]);
    let r = run(src);
    assert!(r[1].error.as_deref().unwrap_or("").contains("load at line 9"), "{r:?}");
}

#[test]
fn native_histograms_are_skipped_never_passed() {
    let src = "
load 1m
  h {{schema:0 sum:1 count:1 buckets:[1]}}
  f 1

eval instant at 0 h
  h {{schema:0 sum:1 count:1 buckets:[1]}}

eval instant at 0 {__name__=~\"h|f\"}
  f 1

eval instant at 0 f
  f 1
";
    use Status::*;
    assert_eq!(statuses(src), [Skip, Skip, Pass]);
    let cls =
        Classification::from_tsv("file\tline\tkind\tnative_histogram\nt.test\t5\tinstant\t0\nt.test\t11\tinstant\t1\n")
            .unwrap();
    let r: Vec<Status> =
        run_file("t.test", "load 1m\n  f 1\n\neval instant at 0 f\n  f 1\n", &cls).iter().map(|r| r.status).collect();
    assert_eq!(r, [Pass]);
    let r: Vec<Status> = run_file(
        "t.test",
        "load 1m\n  f 1\n\neval instant at 0 f\n  f 1\n\n\n\n\n\neval instant at 0 f\n  f 2\n",
        &cls,
    )
    .iter()
    .map(|r| r.status)
    .collect();
    assert_eq!(r, [Pass, Skip], "the table decides for the files it lists");
}

#[test]
fn nhcb_series_need_native_histograms_even_where_the_table_says_float() {
    // The table (like the suite's) calls both evals float; the second one reads `rd`, which
    // exists only as the native histogram that `load_with_nhcb` makes of the buckets.
    let src = "load_with_nhcb 5m
  rd_bucket{le=\"1\", job=\"a\"} 0+1x10
  rd_bucket{le=\"+Inf\", job=\"a\"} 0+2x10

eval instant at 50m {__name__=~\"rd_bucket\", le=\"1\"}
  rd_bucket{le=\"1\", job=\"a\"} 10

eval instant at 50m {__name__=~\"rd\\\\d*\"}
  expect fail
";
    let cls =
        Classification::from_tsv("file\tline\tkind\tnative_histogram\nt.test\t5\tinstant\t0\nt.test\t8\tinstant\t0\n")
            .unwrap();
    let r = run_file("t.test", src, &cls);
    let got: Vec<Status> = r.iter().map(|r| r.status).collect();
    assert_eq!(got, [Status::Pass, Status::Skip], "{r:?}");
    let why = r[1].error.as_deref().unwrap_or("");
    assert!(why.starts_with(promqltest::NATIVE_SKIP), "{why}");
    assert!(why.contains("rd{job=\"a\"}") && why.contains("load_with_nhcb conversion at line 1"), "{why}");
}

#[test]
fn a_syntax_error_fails_the_whole_file_at_its_line() {
    let r = run("load 1m\n  m 1\n\neval instant at 0 m\n  m 1\n\nbogus command\n");
    assert_eq!(r.len(), 1);
    assert_eq!((r[0].line, r[0].status), (7, Status::Fail));
    for bad in [
        "eval instant at 0 m\n  m 1 2\n",
        "eval instant at 0 m\n  expect warn\n  expect no_warn\n",
        "eval instant at 0 m\n  expect fail\n  expect fail\n",
        "eval instant at 0 sum(\n",
        "eval instant at 5x m\n",
        "load 1m\n  m{a=~\"x\"} 1\n",
        "load 1m\n  m@st 0\n",
        "eval range from 2m to 1m step 1m m\n",
        "eval instant at 0 m\n  expect bogus\n",
    ] {
        let r = run(bad);
        assert_eq!(r.len(), 1, "{bad}");
        assert_eq!(r[0].status, Status::Fail, "{bad}");
        assert!(r[0].error.as_deref().unwrap_or("").starts_with("file does not parse"), "{bad}: {r:?}");
    }
}

#[test]
fn start_timestamp_lines_must_fit_their_series() {
    let ok = run("load 1m\n  c@st _ -30s-1mx1\n  c 1 2 3\n\neval instant at 2m c\n  c 3\n");
    assert_eq!(ok[0].status, Status::Pass, "{ok:?}");
    let bad = run("load 1m\n  c@st _ -30s\n  c 1 2 3\n");
    assert_eq!(bad[0].status, Status::Fail);
    let bad = run("load 1m\n  c@st _\n  d 1\n");
    assert_eq!(bad[0].status, Status::Fail);
}
