//! Remote mode on the command line against a real Prometheus 2.42 (`promplay import`, `promplay
//! compare`) and against a stub server for the answers a real one does not give on demand
//! (5xx, HTML, malformed JSON, metadata, credentials).

#![allow(clippy::panic, clippy::unwrap_used, clippy::expect_used)] // test code fails loudly

mod common {
    pub mod prometheus;
    pub mod stub;
}

use std::collections::BTreeSet;
use std::process::Command;

use common::prometheus::{free_port, Prometheus};
use common::stub::{success, Stub};

const DATA: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../tests/remote/data.om");
const QUERIES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../tests/remote/queries.txt");
/// The first and last sample of the dataset.
const START: &str = "1795277387.266";
const END: &str = "1795278875.579";

struct Out {
    code: i32,
    stdout: String,
    stderr: String,
}

fn promplay(args: &[&str]) -> Out {
    let out = Command::new(env!("CARGO_BIN_EXE_promplay")).args(args).output().unwrap_or_else(|e| panic!("promplay: {e}"));
    Out {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// Every sample as `labels time value-bits`, to compare two texts sample for sample.
fn samples(text: &str) -> BTreeSet<(String, i64, u64)> {
    let exp = formats::parse_openmetrics(text).unwrap_or_else(|e| panic!("{e}"));
    exp.samples.iter().map(|s| (s.labels.to_string(), s.timestamp_ms.unwrap_or(i64::MIN), s.value.to_bits())).collect()
}

fn temp_file(name: &str, text: &str) -> String {
    let path = std::env::temp_dir().join(format!("promplay-remote-{}-{name}", std::process::id()));
    std::fs::write(&path, text).unwrap_or_else(|e| panic!("{e}"));
    path.display().to_string()
}

/// One line of tests/remote/queries.txt as compare's arguments: the times, then the query.
fn query_args(line: &str) -> (Vec<String>, String) {
    let mut words = line.splitn(2, ' ');
    let kind = words.next().unwrap_or("");
    let rest = words.next().unwrap_or("");
    match kind {
        "instant" => {
            let (t, q) = rest.split_once(' ').unwrap_or_else(|| panic!("bad line {line:?}"));
            (vec!["--time".into(), t.into()], q.into())
        }
        "range" => {
            let parts: Vec<&str> = rest.splitn(4, ' ').collect();
            let [s, e, st, q] = parts.as_slice() else { panic!("bad line {line:?}") };
            (vec!["--start".into(), s.to_string(), "--end".into(), e.to_string(), "--step".into(), st.to_string()], q.to_string())
        }
        _ => panic!("bad line {line:?}"),
    }
}

/// The whole dataset through `promplay import` (in 10-minute chunks, so chunk edges are
/// crossed), then every query of tests/remote/queries.txt locally on the imported file and on
/// the server: no difference. Then the error paths a real server gives.
#[test]
fn import_then_compare_with_a_real_prometheus() {
    let prom = Prometheus::start(DATA);
    let url = prom.url.as_str();

    let imp = promplay(&["import", "--url", url, "--match", "{__name__=~\".+\"}", "--start", START, "--end", END, "--chunk", "10m"]);
    assert_eq!(imp.code, 0, "{}\n{}", imp.stderr, prom.log());
    assert!(imp.stderr.contains("answers: version 2.42.0"), "{}", imp.stderr);
    assert!(imp.stderr.contains("3/3:"), "three chunks: {}", imp.stderr);
    // Every sample of the window exactly once: both ends of the window included, nothing lost
    // or doubled at the chunk edges (2.42's ranges are closed at both ends).
    let original = std::fs::read_to_string(DATA).unwrap_or_else(|e| panic!("{e}"));
    let (got, want) = (samples(&imp.stdout), samples(&original));
    assert_eq!(got.len(), want.len());
    assert!(got == want, "imported samples differ from the dataset");
    let imported = temp_file("imported.om", &imp.stdout);

    let queries = std::fs::read_to_string(QUERIES).unwrap_or_else(|e| panic!("{e}"));
    let mut failures = Vec::new();
    let mut compared = 0;
    for line in queries.lines().filter(|l| !l.trim().is_empty() && !l.starts_with('#')) {
        let (times, query) = query_args(line);
        let mut args: Vec<&str> = vec!["compare", "--url", url, "--data", &imported];
        args.extend(times.iter().map(String::as_str));
        args.extend(["--", query.as_str()]);
        let out = promplay(&args);
        compared += 1;
        let nonempty = !out.stdout.contains("local: vector of 0 series") && !out.stdout.contains("local: matrix of 0 series");
        if out.code != 0 || !out.stdout.ends_with("equal\n") || !nonempty {
            failures.push(format!("{line}\n  exit {}\n{}{}", out.code, out.stdout, out.stderr));
        }
    }
    assert!(compared >= 20, "only {compared} queries");
    assert!(failures.is_empty(), "{} of {compared} queries differ or are empty:\n{}", failures.len(), failures.join("\n"));

    // Without --data: compare imports what the query reads.
    let out = promplay(&["compare", "--url", url, "--time", "1795278600.5", "sum by (mode) (rate(node_cpu_seconds_total[5m]))"]);
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    assert!(out.stdout.contains("note: local data: 16 series"), "{}", out.stdout);
    assert!(out.stdout.contains("local: vector of 8 series") && out.stdout.ends_with("equal\n"), "{}", out.stdout);

    // A difference is found and reported: one value changed in the local copy.
    let line = imp.stdout.lines().find(|l| l.starts_with("node_load1{")).unwrap_or_else(|| panic!("no node_load1"));
    let mut parts: Vec<&str> = line.rsplitn(3, ' ').collect();
    parts.reverse();
    let changed = format!("{} 1234.5 {}", parts[0], parts[2]);
    let altered = temp_file("altered.om", &imp.stdout.replacen(line, &changed, 1));
    let sample = formats::parse_openmetrics(&format!("{line}\n# EOF\n")).unwrap_or_else(|e| panic!("{e}"));
    let t_ms = sample.samples[0].timestamp_ms.unwrap_or_else(|| panic!("no timestamp"));
    let t = format!("{}.{:03}", t_ms / 1000, t_ms % 1000);
    let out = promplay(&["compare", "--url", url, "--data", &altered, "--time", &t, "node_load1"]);
    assert_eq!(out.code, 1, "{}{}", out.stdout, out.stderr);
    assert!(out.stdout.contains("value differs: node_load1{instance=\"127.0.0.1:19100\", job=\"node\"}"), "{}", out.stdout);
    assert!(out.stdout.contains("local 1234.5, remote"), "{}", out.stdout);
    assert!(out.stdout.ends_with("1 difference\n"), "{}", out.stdout);

    // A query the server refuses and the engine answers (a 3.x function): a difference, with
    // the server's message.
    let out = promplay(&["compare", "--url", url, "--data", &imported, "--time", "1795278600.5", "sort_by_label(up, \"job\")"]);
    assert_eq!(out.code, 1, "{}{}", out.stdout, out.stderr);
    assert!(out.stdout.contains("error: the server answered with an error: bad_data: invalid parameter \"query\""), "{}", out.stdout);
    assert!(out.stdout.contains("only the local engine answered"), "{}", out.stdout);

    // A selector the server rejects (a 3.x quoted label name): HTTP 400 with its message, no
    // output.
    let out = promplay(&["import", "--url", url, "--match", "up{\"label.x\"=\"a\"}", "--start", START, "--end", END]);
    assert_eq!(out.code, 1, "{}", out.stderr);
    assert!(out.stdout.is_empty());
    assert!(
        out.stderr.contains("counting the series (/api/v1/series): HTTP 400 Bad Request: bad_data: invalid parameter \"match[]\": 1:4: parse error: unexpected string"),
        "{}",
        out.stderr
    );

    // The sample limit, exceeded mid-import: chunks were fetched, then it stops; nothing printed.
    let out = promplay(&["import", "--url", url, "--match", "up", "--start", START, "--end", END, "--chunk", "5m", "--max-samples", "400"]);
    assert_eq!(out.code, 1, "{}", out.stderr);
    assert!(out.stdout.is_empty(), "{}", out.stdout);
    assert!(out.stderr.contains("1/5: 9 series, 180 samples"), "{}", out.stderr);
    assert!(
        out.stderr.contains("the import exceeds the sample limit (400 samples): it has reached 401; narrow the selectors or the window, or raise the limit (--max-samples)"),
        "{}",
        out.stderr
    );
    // The series limit is checked before any sample is fetched.
    let out = promplay(&["import", "--url", url, "--match", "up", "--start", START, "--end", END, "--max-series", "3"]);
    assert_eq!(out.code, 1, "{}", out.stderr);
    assert!(out.stdout.is_empty());
    assert!(out.stderr.contains("the series limit (3 series): it has reached 9") && out.stderr.contains("(--max-series)"), "{}", out.stderr);
    drop(prom);
}

#[test]
fn an_unreachable_server_is_exit_2() {
    let port = free_port(); // closed again: nothing listens there
    let url = format!("http://127.0.0.1:{port}");
    let out = promplay(&["import", "--url", &url, "--match", "up", "--start", START, "--end", END]);
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(out.stdout.is_empty());
    assert!(out.stderr.contains(&format!("cannot reach {url}: ")) && out.stderr.contains("refused"), "{}", out.stderr);
    let out = promplay(&["compare", "--url", &url, "--time", "1", "up"]);
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(out.stderr.contains("cannot reach"), "{}", out.stderr);
}

fn matrix(name: &str, points: &[(f64, &str)]) -> String {
    let v: Vec<String> = points.iter().map(|(t, v)| format!("[{t},\"{v}\"]")).collect();
    format!("{{\"resultType\":\"matrix\",\"result\":[{{\"metric\":{{\"__name__\":\"{name}\",\"job\":\"j\"}},\"values\":[{}]}}]}}", v.join(","))
}

#[test]
fn server_errors_and_broken_answers() {
    // 5xx with the API's error envelope, a proxy's HTML page, malformed JSON.
    let stub = Stub::start(|r| match (r.path.as_str(), r.query.as_str()) {
        ("/api/v1/status/buildinfo", _) => success("{\"version\":\"3.5.0\"}"),
        ("/api/v1/series", q) if q.contains("five") => {
            (503, "application/json", "{\"status\":\"error\",\"errorType\":\"unavailable\",\"error\":\"too many queries\"}".into())
        }
        ("/api/v1/series", q) if q.contains("html") => (502, "text/html", "<html><body><h1>502 Bad Gateway</h1></body></html>".into()),
        ("/api/v1/series", _) => success("[{\"__name__\":\"broken\"}]"),
        ("/api/v1/query", _) => (200, "application/json", "{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":[{\"metric\":{}".into()),
        _ => (404, "text/plain", "404 page not found".into()),
    });
    let run = |sel: &str| promplay(&["import", "--url", &stub.url, "--match", sel, "--start", "0", "--end", "60"]);
    let out = run("five");
    assert_eq!(out.code, 1, "{}", out.stderr);
    assert!(out.stderr.contains("HTTP 503 Service Unavailable: unavailable: too many queries"), "{}", out.stderr);
    let out = run("html");
    assert_eq!(out.code, 1, "{}", out.stderr);
    assert!(out.stderr.contains("HTTP 502 Bad Gateway: <html><body><h1>502 Bad Gateway</h1></body></html>"), "{}", out.stderr);
    let out = run("broken");
    assert_eq!(out.code, 1, "{}", out.stderr);
    assert!(out.stdout.is_empty());
    assert!(
        out.stderr.contains("query 1/1 (broken[1m1ms] at 60): malformed JSON in the server's answer at 1:")
            && out.stderr.contains("EOF while parsing"),
        "{}",
        out.stderr
    );
    // compare: a server error page is no answer to compare (exit 2), a 5xx either.
    let stub2 = Stub::start(|r| match r.path.as_str() {
        "/api/v1/status/buildinfo" => success("{\"version\":\"3.5.0\"}"),
        _ => (500, "text/plain", "internal error".into()),
    });
    let data = temp_file("one.prom", "x 1\n");
    let out = promplay(&["compare", "--url", &stub2.url, "--data", &data, "--time", "1", "x"]);
    assert_eq!(out.code, 2, "{}{}", out.stdout, out.stderr);
    assert!(out.stderr.contains("the query: HTTP 500 Internal Server Error: internal error"), "{}", out.stderr);
}

#[test]
fn metadata_credentials_and_the_text_written() {
    let stub = Stub::start(|r| match r.path.as_str() {
        "/api/v1/status/buildinfo" => success("{\"version\":\"3.5.0\",\"revision\":\"abc\"}"),
        "/api/v1/series" => success("[{\"__name__\":\"http_requests_total\",\"job\":\"j\"}]"),
        "/api/v1/query" => success(&matrix("http_requests_total", &[(0.5, "1"), (1.001, "7")])),
        "/api/v1/metadata" => success(
            "{\"http_requests_total\":[{\"type\":\"counter\",\"help\":\"Requests \\\"served\\\".\",\"unit\":\"\"}],\"other\":[{\"type\":\"gauge\",\"help\":\"x\",\"unit\":\"\"}]}",
        ),
        _ => (404, "text/plain", "404 page not found".into()),
    });
    let token = temp_file("token", "s3cret\n");
    let out = promplay(&[
        "import", "--url", &stub.url, "--bearer-token-file", &token, "--match", "http_requests_total", "--start", "0", "--end", "60",
    ]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(
        out.stdout,
        "# HELP http_requests_total Requests \\\"served\\\".\n# TYPE http_requests_total counter\nhttp_requests_total{job=\"j\"} 1.0 0.5\nhttp_requests_total{job=\"j\"} 7.0 1.0015\n# EOF\n"
    );
    assert_eq!(stub.paths(), ["/api/v1/status/buildinfo", "/api/v1/series", "/api/v1/query", "/api/v1/metadata"]);
    let reqs = stub.requests.lock().map(|r| r.clone()).unwrap_or_default();
    assert!(reqs.iter().all(|r| r.header("Authorization") == Some("Bearer s3cret")), "{reqs:?}");
    assert_eq!(reqs[2].query, "query=http_requests_total%5B1m1ms%5D&time=60");
    // The text loads with `eval --data` and answers from its samples.
    let file = temp_file("imported.om", &out.stdout);
    // (1.0015 is 1.001 s: the extra digit makes Prometheus's float reading land on it too.)
    let ev = promplay(&["eval", "--data", &file, "--start", "1", "--end", "1.001", "--step", "0.001", "http_requests_total"]);
    assert_eq!(ev.code, 0, "{}", ev.stdout);
    assert!(ev.stdout.contains("\"values\":[[1,\"1\"],[1.001,\"7\"]]"), "{}", ev.stdout);

    // Basic auth from a password file; the password never reaches stdout or stderr.
    let pass = temp_file("pass", "pa ss\n");
    let out = promplay(&["import", "--url", &stub.url, "--user", "me", "--password-file", &pass, "--match", "x", "--start", "0", "--end", "1"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(!out.stderr.contains("pa ss"));
    let reqs = stub.requests.lock().map(|r| r.clone()).unwrap_or_default();
    assert_eq!(reqs.last().and_then(|r| r.header("Authorization")), Some("Basic bWU6cGEgc3M="));
    assert!(reqs.iter().all(|r| r.header("X-Scope-OrgID").is_none()), "no tenant header unless asked for");

    // Mimir's tenant header, on every request of the run (two tenants: federation).
    let before = reqs.len();
    let out = promplay(&["import", "--url", &stub.url, "--tenant", "team-a|team-b", "--match", "x", "--start", "0", "--end", "1"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let reqs = stub.requests.lock().map(|r| r.clone()).unwrap_or_default();
    assert_eq!(reqs.len() - before, 4, "{reqs:?}");
    assert!(reqs[before..].iter().all(|r| r.header("X-Scope-OrgID") == Some("team-a|team-b")), "{reqs:?}");
}

#[test]
fn usage_errors_are_exit_2() {
    for args in [
        &["import", "--match", "up", "--start", "0", "--end", "1"][..],
        &["import", "--url", "http://127.0.0.1:1", "--start", "0", "--end", "1"],
        &["import", "--url", "http://127.0.0.1:1", "--match", "rate(x[5m])", "--start", "0", "--end", "1"],
        &["import", "--url", "localhost:9090", "--match", "up", "--start", "0", "--end", "1"],
        &["compare", "--url", "http://127.0.0.1:1", "up"],
        &["compare", "--url", "http://127.0.0.1:1", "--time", "1"],
    ] {
        let out = promplay(args);
        assert_eq!(out.code, 2, "{args:?}: {}", out.stderr);
        assert!(out.stderr.starts_with("promplay "), "{args:?}: {}", out.stderr);
    }
    // A tenant ID Mimir would refuse is told before any request.
    let out = promplay(&["import", "--url", "http://127.0.0.1:1", "--tenant", "team a", "--match", "up", "--start", "0", "--end", "1"]);
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(out.stderr.contains("--tenant: ' ' in \"team a\": a tenant ID holds only letters"), "{}", out.stderr);
}
