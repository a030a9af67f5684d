//! The session as the page drives it: load a text, run queries, export, with the reply shapes
//! the UI renders. Real data: the page's pre-filled blackbox probe and the ACME dataset.
#![allow(clippy::panic, clippy::unwrap_used, clippy::expect_used)]

use protocol::{
    DataSummary, ExportFormat, LoadRequest, QueryRequest, RangeInput, RangeSpec, Request, RequestBody, ResponseBody, ResultView,
    RunReply, RunRequest,
};
use session::Session;

const NOW: i64 = 1_795_278_871_000;
const PROBE: &str = include_str!("../../../www/samples/blackbox_probe_http_2xx.prom");
const ACME: &str = include_str!("../../../www/datasets/acme-beverages.prom");

fn clock() -> f64 {
    0.0
}

fn run(s: &mut Session, load: Option<(&str, Option<i64>)>, query: &str, range: Option<RangeSpec>) -> RunReply {
    let load = load.map(|(text, eval)| LoadRequest { text: text.to_string(), scrape_time_ms: NOW, eval_time_ms: eval });
    // Typed as a user would: end and step in seconds, the range as a duration.
    let range = range.map(|r| RangeInput {
        end: format!("{}", r.end_ms as f64 / 1000.0),
        range: format!("{}ms", r.end_ms - r.start_ms),
        step: format!("{}", r.step_ms as f64 / 1000.0),
    });
    let body = RequestBody::Run(RunRequest {
        load,
        query: QueryRequest { query: query.to_string(), time: String::new(), range },
    });
    let reply = s.handle(Request { id: 7, body }, &clock);
    assert_eq!(reply.id, 7);
    match reply.body {
        ResponseBody::Run(reply) => *reply,
        other => panic!("unexpected {other:?}"),
    }
}

fn summary(r: &RunReply) -> DataSummary {
    r.load.clone().expect("load reply").expect("loaded")
}

fn result(r: &RunReply) -> ResultView {
    r.result.clone().expect("query ran").expect("query succeeded")
}

fn export(s: &mut Session, format: ExportFormat) -> Option<String> {
    match s.handle(Request { id: 1, body: RequestBody::Export(format) }, &clock).body {
        ResponseBody::Export(text) => text,
        other => panic!("unexpected {other:?}"),
    }
}

#[test]
fn pasted_scrape_is_queried_at_the_scrape_time() {
    let mut s = Session::new();
    let r = run(&mut s, Some((PROBE, None)), r#"probe_http_duration_seconds{phase!="tls"}"#, None);
    let d = summary(&r);
    assert_eq!((d.eval_time_ms, d.scrapes, d.timestamped), (NOW, 1, false));
    let v = result(&r);
    assert_eq!(v.count_text(), "4 series");
    assert_eq!(v.rows[0].labels, r#"probe_http_duration_seconds{phase="connect"}"#);
    assert_eq!(v.rows[0].value, "0.00021197");
    assert_eq!(v.rows[0].metric.as_deref(), Some("probe_http_duration_seconds"));
    assert_eq!(v.rows[0].label_pairs, vec![("phase".to_string(), "connect".to_string())]);
    assert_eq!(v.rows[0].points, vec![(NOW, 0.00021197)]);
}

#[test]
fn a_run_without_load_reuses_the_store() {
    let mut s = Session::new();
    run(&mut s, Some((PROBE, None)), "probe_success", None);
    let r = run(&mut s, None, "probe_success", None);
    assert!(r.load.is_none());
    assert_eq!(result(&r).rows[0].value, "1");
}

#[test]
fn explicit_timestamps_set_the_evaluation_time() {
    let mut s = Session::new();
    let r = run(&mut s, Some(("a 1 1000\na 2 2000\nb 3 1500\n", None)), "a", None);
    let d = summary(&r);
    assert_eq!((d.eval_time_ms, d.timestamped, d.min_time_ms, d.max_time_ms), (2000, true, Some(1000), Some(2000)));
    assert_eq!(result(&r).rows.iter().map(|r| r.value.as_str()).collect::<Vec<_>>(), ["2"]);
}

#[test]
fn scrape_separators_make_a_timeline_for_rate() {
    let mut s = Session::new();
    let text = "# SCRAPE\nc_total 0\n# SCRAPE\nc_total 15\n# SCRAPE\nc_total 30\n";
    let r = run(&mut s, Some((text, None)), "rate(c_total[1m])", None);
    assert_eq!(summary(&r).scrapes, 3);
    // 30 over the 30 s the samples span; the window's other 30 s are not extrapolated into, as
    // the counter would cross zero there: 30 / 60 s.
    assert_eq!(result(&r).rows[0].value, "0.5");
}

#[test]
fn load_blocks_and_range_queries() {
    let mut s = Session::new();
    let text = "load 1m\n  up{job=\"a\"} 0 1 2 3 4\n";
    let range = RangeSpec { start_ms: 0, end_ms: 240_000, step_ms: 60_000 };
    let r = run(&mut s, Some((text, None)), "up * 2", Some(range));
    let v = result(&r);
    assert_eq!(v.result_type, "matrix");
    assert_eq!(v.range, Some(range));
    let pts: Vec<f64> = v.rows[0].points.iter().map(|p| p.1).collect();
    assert_eq!(pts, [0.0, 2.0, 4.0, 6.0, 8.0]);
    assert_eq!(v.rows[0].labels, r#"{job="a"}"#);
}

#[test]
fn bad_data_reports_its_line_and_keeps_nothing() {
    let mut s = Session::new();
    run(&mut s, Some((PROBE, None)), "probe_success", None);
    let r = run(&mut s, Some(("ok_metric 1\nbad_metric{ 1\n", None)), "ok_metric", None);
    let err = r.load.clone().expect("load reply").expect_err("bad data");
    assert!(err.starts_with("2:"), "{err}");
    assert!(r.result.is_none());
    // The failed load replaced the old data: a query now has nothing to run on.
    assert!(run(&mut s, None, "probe_success", None).result.is_none());
    assert_eq!(export(&mut s, ExportFormat::Csv), None);
}

#[test]
fn bad_query_reports_its_position() {
    let mut s = Session::new();
    let r = run(&mut s, Some((PROBE, None)), "probe_success{", None);
    let err = r.result.clone().expect("ran").expect_err("parse error");
    assert!(err.starts_with("1:"), "{err}");
    assert_eq!(export(&mut s, ExportFormat::ApiJson), None);
}

#[test]
fn bad_regex_is_reported_by_the_worker() {
    let mut s = Session::new();
    let r = run(&mut s, Some((PROBE, None)), r#"probe_success{job=~"(a"}"#, None);
    let err = r.result.clone().expect("ran").expect_err("regex error");
    assert!(err.contains("error parsing regexp"), "{err}");
}

#[test]
fn dataset_is_evaluated_at_its_manifest_time_and_exports() {
    let mut s = Session::new();
    let r = run(&mut s, Some((ACME, Some(1_700_000_605_000))), "max(beverages_consumed_total)", None);
    let d = summary(&r);
    assert_eq!(d.eval_time_ms, 1_700_000_605_000);
    assert_eq!(d.cardinality.num_series, 3);
    assert_eq!(d.cardinality.series_count_by_metric_name, vec![("beverages_consumed_total".to_string(), 3)]);
    assert_eq!(result(&r).rows[0].value, "40172");
    let csv = export(&mut s, ExportFormat::Csv).expect("csv");
    assert_eq!(csv.lines().count(), 2, "{csv}");
    let json = export(&mut s, ExportFormat::ApiJson).expect("json");
    assert!(json.starts_with(r#"{"status":"success","data":{"resultType":"vector""#), "{json}");
}

#[test]
fn limits_surface_as_errors() {
    let mut s = Session::new();
    let text = "load 1m\n  up 1+1x10\n";
    let range = RangeSpec { start_ms: 0, end_ms: 20_000_000, step_ms: 1 };
    // 20,000 s at 1 ms steps.
    let r = run(&mut s, Some((text, None)), "up", Some(range));
    let err = r.result.clone().expect("ran").expect_err("too many points");
    assert!(err.contains("exceeded maximum resolution of 11,000 points per timeseries"), "{err}");
}

#[test]
fn evaluate_answers_a_range_query_and_leaves_the_result_to_export() {
    let mut s = Session::new();
    run(&mut s, Some(("load 1m\n  up{job=\"a\"} 0 1 2 3 4\n", None)), "up", None);
    let before = export(&mut s, ExportFormat::Csv).expect("a result to export");
    let q = QueryRequest {
        query: "up * 10".into(),
        time: String::new(),
        range: Some(RangeInput { end: "240".into(), range: "4m".into(), step: "1m".into() }),
    };
    let v = match s.handle(Request { id: 3, body: RequestBody::Evaluate(q) }, &clock).body {
        ResponseBody::Evaluated(r) => r.expect("evaluated"),
        other => panic!("unexpected {other:?}"),
    };
    let pts: Vec<f64> = v.rows[0].points.iter().map(|p| p.1).collect();
    assert_eq!(pts, [0.0, 10.0, 20.0, 30.0, 40.0]);
    assert_eq!(export(&mut s, ExportFormat::Csv), Some(before), "the run's result is still the one exported");
}
