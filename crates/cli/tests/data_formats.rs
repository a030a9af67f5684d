//! `promplay eval` on every data format it detects (text 0.0.4, OpenMetrics, promqltest `load`
//! blocks, Prometheus API JSON), scrape timelines (`--scrape-interval`, `# SCRAPE` lines),
//! and the `lint` and `cardinality` subcommands, run as a user runs them.

#![allow(clippy::panic, clippy::unwrap_used, clippy::expect_used)] // test code fails loudly

use serde_json::{json, Value};
use std::path::PathBuf;
use std::process::Command;

fn promplay(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_promplay")).args(args).output().unwrap_or_else(|e| panic!("promplay: {e}"));
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// Writes a data file private to one test.
fn file(name: &str, text: &str) -> String {
    let dir = std::env::temp_dir().join(format!("promplay-data-formats-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let p = dir.join(name);
    std::fs::write(&p, text).unwrap();
    p.display().to_string()
}

fn json(s: &str) -> Value {
    serde_json::from_str(s).unwrap_or_else(|e| panic!("not JSON ({e}): {s}"))
}

/// `(labels, value)` of an instant vector result.
fn vector(out: &str) -> Vec<(Value, String)> {
    let v = json(out);
    assert_eq!(v["status"], "success", "{out}");
    v["data"]["result"].as_array().unwrap().iter().map(|s| (s["metric"].clone(), s["value"][1].as_str().unwrap().to_string())).collect()
}

fn eval(data: &[&str], extra: &[&str], query: &str) -> (i32, String) {
    let mut args = vec!["eval"];
    for d in data {
        args.extend(["--data", d]);
    }
    args.extend(extra);
    args.push("--");
    args.push(query);
    let (code, out, _) = promplay(&args);
    (code, out)
}

const MATRIX: &str = r#"{"status":"success","data":{"resultType":"matrix","result":[
  {"metric":{"__name__":"up","job":"api"},"values":[[1000,"1"],[1015,"0"],[1030,"1"]]},
  {"metric":{"__name__":"up","job":"db"},"values":[[1000,"1"],[1015.5,"1"]]}]}}"#;

#[test]
fn api_json_matrix_is_queryable_again() {
    let f = file("matrix.json", MATRIX);
    let (code, out) = eval(&[&f], &["--time", "1020"], "up");
    assert_eq!(code, 0, "{out}");
    assert_eq!(vector(&out).iter().map(|(_, v)| v.as_str()).collect::<Vec<_>>(), ["0", "1"]);
    let (code, out) = eval(&[&f], &["--time", "1030"], "count_over_time(up[1m])");
    assert_eq!(code, 0, "{out}");
    assert_eq!(vector(&out).iter().map(|(_, v)| v.as_str()).collect::<Vec<_>>(), ["3", "2"]);
}

#[test]
fn api_json_vector() {
    let f = file("vector.json", r#"{"status":"success","data":{"resultType":"vector","result":[{"metric":{"__name__":"x","a":"b"},"value":[1700000000.123,"42"]}]}}"#);
    let (code, out) = eval(&[&f], &["--time", "1700000010"], "x");
    assert_eq!(code, 0, "{out}");
    assert_eq!(vector(&out), vec![(json!({"__name__":"x","a":"b"}), "42".to_string())]);
}

#[test]
fn api_json_errors_are_clear_and_positioned() {
    let f = file("error.json", r#"{"status":"error","errorType":"bad_data","error":"invalid parameter \"query\": 1:1: parse error"}"#);
    let (code, out) = eval(&[&f], &["--time", "0"], "x");
    assert_eq!(code, 1);
    let e = json(&out)["error"].as_str().unwrap().to_string();
    assert!(e.contains("error.json:1:1:") && e.contains("bad_data: invalid parameter"), "{e}");
    let f = file("badvalue.json", "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\n\"result\":[{\"metric\":{},\"value\":[1,\"abc\"]}]}}");
    let (code, out) = eval(&[&f], &["--time", "0"], "x");
    assert_eq!(code, 1);
    let e = json(&out)["error"].as_str().unwrap().to_string();
    assert!(e.contains("badvalue.json:2:") && e.contains("invalid sample value"), "{e}");
    let f = file("scalar.json", r#"{"status":"success","data":{"resultType":"scalar","result":[1,"1"]}}"#);
    let (code, out) = eval(&[&f], &["--time", "0"], "x");
    assert_eq!(code, 1, "{out}");
}

#[test]
fn load_blocks_start_at_epoch_zero() {
    let f = file("data.test", "# from a .test file\nload 1m\n  http_requests_total{job=\"api\"} 0+10x10\n  up{job=\"api\"} 1 1 0\n");
    let (code, out) = eval(&[&f], &["--time", "300"], "http_requests_total");
    assert_eq!(code, 0, "{out}");
    assert_eq!(vector(&out)[0].1, "50");
    let (_, out) = eval(&[&f], &["--time", "600"], "rate(http_requests_total[5m])");
    assert_eq!(vector(&out)[0].1, "0.16666666666666666");
    let f = file("evals.test", "load 1m\n  x 1\n\neval instant at 0m x\n  x 1\n");
    let (code, out) = eval(&[&f], &["--time", "0"], "x");
    assert_eq!(code, 1);
    assert!(out.contains("evals.test:4:1: only load blocks"), "{out}");
}

#[test]
fn openmetrics_float_second_timestamps() {
    let f = file("om.txt", "# TYPE x gauge\nx 1 1000.5\nx 2 1010.25\n# EOF\n");
    let (code, out) = eval(&[&f], &["--time", "1011"], "x");
    assert_eq!(code, 0, "{out}");
    assert_eq!(vector(&out)[0].1, "2");
    let (_, out) = eval(&[&f], &["--time", "1011"], "timestamp(x)");
    assert_eq!(vector(&out)[0].1, "1010.25");
}

#[test]
fn files_become_consecutive_scrapes_with_an_interval() {
    let a = file("scrape1.prom", "# TYPE requests_total counter\nrequests_total 10\n");
    let b = file("scrape2.prom", "# TYPE requests_total counter\nrequests_total 40\n");
    let args = ["--scrape-interval", "15s", "--time", "1000"];
    let (code, out) = eval(&[&a, &b], &args, "requests_total");
    assert_eq!(code, 0, "{out}");
    assert_eq!(vector(&out)[0].1, "40");
    let (_, out) = eval(&[&a, &b], &args, "timestamp(requests_total offset 15s)");
    assert_eq!(vector(&out)[0].1, "985");
    let (_, out) = eval(&[&a, &b], &args, "increase(requests_total[1m])");
    assert!(vector(&out)[0].1.parse::<f64>().unwrap() > 30.0, "{out}");
    // Without the flag both files are one scrape at the evaluation time, as shared/CLI.md says:
    // the same series twice at one timestamp is refused.
    let (code, out) = eval(&[&a, &b], &["--time", "1000"], "requests_total");
    assert_eq!(code, 1, "{out}");
}

#[test]
fn timestamped_files_keep_their_times() {
    let a = file("stamped.prom", "x 1 900000\n");
    let b = file("plain.prom", "y 2\n");
    let (code, out) = eval(&[&a, &b], &["--scrape-interval", "15s", "--time", "1000"], "timestamp(x) + timestamp(y)");
    assert_eq!(code, 0, "{out}");
    assert_eq!(vector(&out)[0].1, "1900");
}

#[test]
fn scrape_separators_in_one_file() {
    let f = file("timeline.prom", "# SCRAPE\nq 1\n---\nq 2\n# SCRAPE\nq 3\n");
    let (code, out) = eval(&[&f], &["--time", "100"], "count_over_time(q[1m])");
    assert_eq!(code, 0, "{out}");
    assert_eq!(vector(&out)[0].1, "3");
    let (_, out) = eval(&[&f], &["--time", "100", "--scrape-interval", "10s"], "timestamp(q offset 20s)");
    assert_eq!(vector(&out)[0].1, "80");
    let f = file("explicit.prom", "# SCRAPE 1000\nq 1\n# SCRAPE 1060\nq 2\nr 5\n");
    let (_, out) = eval(&[&f], &["--time", "1070"], "changes(q[5m])");
    assert_eq!(vector(&out)[0].1, "1");
    let f = file("bad_timeline.prom", "# SCRAPE\nq 1\n# SCRAPE\nq x\n");
    let (code, out) = eval(&[&f], &["--time", "0"], "q");
    assert_eq!(code, 1);
    assert!(json(&out)["error"].as_str().unwrap().contains("bad_timeline.prom:4:3:"), "{out}");
}

fn repo(path: &str) -> String {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..").join(path).display().to_string()
}

#[test]
fn lint_prints_promtools_findings() {
    let input = repo("tests/lint/bad_units.prom");
    let expected = std::fs::read_to_string(repo("tests/lint/bad_units.expected")).unwrap();
    let (code, out, _) = promplay(&["lint", &input]);
    assert_eq!((code, out), (3, expected));
    let (code, out, _) = promplay(&["lint", &repo("tests/lint/clean.prom")]);
    assert_eq!((code, out.as_str()), (0, ""));
    let bad = file("unparsable.prom", "a 1\nfoo bar\n");
    let (code, _, err) = promplay(&["lint", &bad]);
    assert_eq!(code, 1);
    assert!(err.starts_with("error while linting: 2:"), "{err}");
}

#[test]
fn cardinality_table_and_json() {
    let data = repo("www/datasets/high-cardinality.prom");
    let (code, out, err) = promplay(&["cardinality", &data, "--top", "3"]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("series       1584"), "{out}");
    assert!(out.contains("Top 3 series count by metric name"), "{out}");
    assert!(out.contains("http_server_requests_seconds_bucket"), "{out}");
    let (code, out, _) = promplay(&["cardinality", "--json", &data]);
    assert_eq!(code, 0);
    let v = json(&out);
    assert_eq!(v["num_series"], 1584);
    assert_eq!(v["num_samples"], 1584 * 5);
    assert_eq!(v["label_value_count_by_label_name"][0], json!({"name": "uri", "value": 48}));
    assert!(v["memory_total_bytes"].as_u64().unwrap() >= 1584 * 5 * 16);
}

#[test]
fn csv_output() {
    let f = file("matrix_csv.json", MATRIX);
    let (code, out) = eval(&[&f], &["--start", "1000", "--end", "1015", "--step", "15s", "--output", "csv"], "up");
    assert_eq!(code, 0, "{out}");
    assert_eq!(out, "__name__,job,timestamp,value\nup,api,1000,1\nup,api,1015,0\nup,db,1000,1\nup,db,1015,1\n");
    let (code, out) = eval(&[&f], &["--time", "1000", "--output", "xml"], "up");
    assert_eq!(code, 1, "{out}");
}
