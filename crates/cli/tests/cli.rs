//! The `promplay` command-line contract (shared/CLI.md), run as a user runs it, on real
//! captured exposition text.

#![allow(clippy::panic, clippy::unwrap_used, clippy::expect_used)] // test code fails loudly

use serde_json::Value;
use std::process::Command;

const PROBE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../tests/formats/blackbox_probe_http_2xx.prom");
const NODE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../tests/formats/node_exporter.prom");

fn promplay(args: &[&str], stdin: Option<&str>) -> (i32, String) {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_promplay"));
    cmd.args(args);
    let out = match stdin {
        None => cmd.output(),
        Some(text) => {
            use std::io::Write;
            cmd.stdin(std::process::Stdio::piped()).stdout(std::process::Stdio::piped());
            let mut child = cmd.spawn().unwrap_or_else(|e| panic!("spawn: {e}"));
            if let Some(mut sin) = child.stdin.take() {
                sin.write_all(text.as_bytes()).unwrap_or_else(|e| panic!("stdin: {e}"));
            }
            child.wait_with_output()
        }
    }
    .unwrap_or_else(|e| panic!("promplay: {e}"));
    (out.status.code().unwrap_or(-1), String::from_utf8_lossy(&out.stdout).into_owned())
}

fn json(s: &str) -> Value {
    serde_json::from_str(s).unwrap_or_else(|e| panic!("not JSON ({e}): {s}"))
}

#[test]
fn instant_vector_as_the_api_returns_it() {
    let (code, out) = promplay(&["eval", "--data", PROBE, "--time", "1000", "probe_success"], None);
    assert_eq!(code, 0, "{out}");
    assert_eq!(
        out,
        "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[{\"metric\":{\"__name__\":\"probe_success\"},\"value\":[1000,\"1\"]}]}}\n"
    );
}

#[test]
fn regex_selects_what_the_file_holds() {
    let (code, out) = promplay(&["eval", "--data", NODE, "--time", "1700000000.5", r#"{__name__=~"node_cpu_seconds_total|node_load1"}"#], None);
    assert_eq!(code, 0, "{out}");
    let text = std::fs::read_to_string(NODE).unwrap_or_else(|e| panic!("{e}"));
    let expected = text
        .lines()
        .filter(|l| l.starts_with("node_cpu_seconds_total{") || l.starts_with("node_load1 "))
        .count();
    let v = json(&out);
    let result = v["data"]["result"].as_array().cloned().unwrap_or_default();
    assert!(expected > 4);
    assert_eq!(result.len(), expected);
    assert!(result.iter().all(|s| s["value"][0] == serde_json::json!(1700000000.5)));
}

#[test]
fn range_query_returns_a_matrix() {
    let (code, out) = promplay(
        &["eval", "--data", PROBE, "--start", "1000", "--end", "1120", "--step", "1m", "--scrape-time", "1000", "probe_success"],
        None,
    );
    assert_eq!(code, 0, "{out}");
    let v = json(&out);
    assert_eq!(v["data"]["resultType"], "matrix");
    assert_eq!(v["data"]["result"][0]["values"], serde_json::json!([[1000, "1"], [1060, "1"], [1120, "1"]]));
}

#[test]
fn rfc3339_and_a_query_after_double_dash() {
    let (code, out) = promplay(&["eval", "--data", PROBE, "--time", "1970-01-01T00:16:40Z", "--", "-probe_success"], None);
    assert_eq!(code, 0, "{out}");
    assert_eq!(json(&out)["data"]["result"][0], serde_json::json!({"metric": {}, "value": [1000, "-1"]}));
}

#[test]
fn bad_query_is_bad_data_with_position() {
    let (code, out) = promplay(&["eval", "--data", PROBE, "--time", "1000", "probe_success{"], None);
    assert_eq!(code, 1);
    let v = json(&out);
    assert_eq!(v["status"], "error");
    assert_eq!(v["errorType"], "bad_data");
    assert!(v["error"].as_str().is_some_and(|e| e.starts_with("1:")), "{out}");
}

#[test]
fn bad_data_names_file_line_and_column() {
    let dir = std::env::temp_dir().join(format!("promplay-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("{e}"));
    let path = dir.join("bad.prom");
    std::fs::write(&path, "ok 1\nbroken{job=\"a\" 1\n").unwrap_or_else(|e| panic!("{e}"));
    let p = path.to_string_lossy().to_string();
    let (code, out) = promplay(&["eval", "--data", &p, "--time", "1000", "ok"], None);
    assert_eq!(code, 1);
    let err = json(&out)["error"].as_str().unwrap_or_default().to_string();
    assert!(err.starts_with(&format!("{p}:2:")), "{err}");
}

#[test]
fn usage_errors_are_reported_as_json() {
    for args in [
        vec!["eval", "--time", "1", "up"],
        vec!["eval", "--data", PROBE, "up"],
        vec!["eval", "--data", PROBE, "--time", "soon", "up"],
        vec!["eval", "--data", PROBE, "--start", "10", "--end", "5", "--step", "1", "up"],
        vec!["eval", "--data", "/nonexistent/file", "--time", "1", "up"],
    ] {
        let (code, out) = promplay(&args, None);
        assert_eq!(code, 1, "{args:?}");
        assert_eq!(json(&out)["status"], "error", "{args:?}");
    }
}

#[test]
fn parse_prints_one_verdict_per_line() {
    let (code, out) = promplay(&["parse"], Some("up{job=\"a\"}\n\nrate(x[5m]\n"));
    assert_eq!(code, 0);
    let lines: Vec<Value> = out.lines().map(json).collect();
    assert_eq!(lines.len(), 2);
    assert_eq!(lines[0], serde_json::json!({"ok": true, "expr": "up{job=\"a\"}"}));
    assert_eq!(lines[1]["ok"], false);
    assert!(lines[1]["error"].as_str().is_some_and(|e| e.starts_with("1:")));
}
