//! The session as the browser's first worker builds it (no `tools`, no regex Unicode tables):
//! a query whose regex needs the tables is handed on with `NeedsFull`, never answered wrongly.
//! Runs with `cargo test -p session --no-default-features` (xtask's native step does).
#![cfg(not(feature = "tools"))]
#![allow(clippy::panic)]

use protocol::{AnalyzeRequest, LoadRequest, QueryRequest, Request, RequestBody, Response, ResponseBody, RunRequest};
use session::Session;

const DATA: &str = "up{job=\"API\"} 1\nup{job=\"db\"} 0\n";

fn clock() -> f64 {
    0.0
}

fn run(s: &mut Session, load: bool, query: &str) -> Response {
    let load = load.then(|| LoadRequest { text: DATA.to_string(), scrape_time_ms: 60_000, eval_time_ms: None });
    let query = QueryRequest { query: query.to_string(), time: String::new(), range: None };
    s.handle(Request { id: 3, body: RequestBody::Run(RunRequest { load, query }) }, &clock)
}

#[test]
fn a_regex_needing_unicode_tables_is_handed_on() {
    let mut s = Session::new();
    for q in [r#"up{job=~"(?i)api"}"#, r#"up{job=~"\\pL+"}"#, r#"label_replace(up, "x", "$1", "job", "(?i)(a)pi")"#] {
        let reply = run(&mut s, true, q);
        assert_eq!(reply.id, 3);
        assert!(matches!(reply.body, ResponseBody::NeedsFull), "{q}: {:?}", reply.body);
    }
    let analyze = RequestBody::Analyze(AnalyzeRequest { query: r#"up{job=~"(?i)api"}"#.to_string(), cursor: 0 });
    assert!(matches!(s.handle(Request { id: 4, body: analyze }, &clock).body, ResponseBody::NeedsFull));
    let format = RequestBody::Format(r#"up{job=~"(?i)api"}"#.to_string());
    assert!(matches!(s.handle(Request { id: 5, body: format }, &clock).body, ResponseBody::NeedsFull));
}

#[test]
fn requests_for_the_full_worker_are_handed_on() {
    let mut s = Session::new();
    let query = QueryRequest { query: "up".to_string(), time: String::new(), range: None };
    let reply = s.handle(Request { id: 9, body: RequestBody::Explain(query) }, &clock);
    assert_eq!(reply.id, 9);
    assert!(matches!(reply.body, ResponseBody::NeedsFull), "{:?}", reply.body);
}

#[test]
fn other_queries_and_other_errors_are_answered_here() {
    let mut s = Session::new();
    let ok = run(&mut s, true, r#"up{job=~"API|db"}"#);
    let ResponseBody::Run(r) = ok.body else { panic!("{:?}", ok.body) };
    assert!(matches!(&r.result, Some(Ok(_))), "{:?}", r.result);
    // A bad pattern is the user's error, reported by this worker as by any other.
    let bad = run(&mut s, false, r#"up{job=~"(api"}"#);
    let ResponseBody::Run(r) = bad.body else { panic!("{:?}", bad.body) };
    assert!(matches!(&r.result, Some(Err(e)) if e.contains("error parsing regexp")), "{:?}", r.result);
}
