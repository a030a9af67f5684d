//! Remote mode as the page drives the worker: staged imports of a real Prometheus 2.42's answers
//! (tests/remote/answers/, captured by capture.sh from tests/remote/data.om), committed all at
//! once or dropped without touching the store, and comparisons with the server's answers.
#![allow(clippy::panic, clippy::unwrap_used, clippy::expect_used)]

use protocol::{
    CompareReply, CompareRequest, ImportCommitted, ImportProgress, LoadRequest, QueryRequest, RangeInput, RemoteReply,
    RemoteRequest, Request, RequestBody, ResponseBody, RunReply, RunRequest,
};
use session::Session;

const CHUNKS: [&str; 3] = [
    include_str!("../../../tests/remote/answers/chunk1.json"),
    include_str!("../../../tests/remote/answers/chunk2.json"),
    include_str!("../../../tests/remote/answers/chunk3.json"),
];
const SUM_BY_JOB: &str = include_str!("../../../tests/remote/answers/sum_by_job.json");
const CHANGES: &str = include_str!("../../../tests/remote/answers/changes.json");
const REFUSED: &str = include_str!("../../../tests/remote/answers/sort_by_label.json");
const DATA: &str = include_str!("../../../tests/remote/data.om");
const PROBE: &str = include_str!("../../../www/samples/blackbox_probe_http_2xx.prom");
const METADATA: &str = r#"{"status":"success","data":{"up":[{"type":"gauge","help":"1 if the target is up.","unit":""}],"go_goroutines":[{"type":"gauge","help":"g","unit":""}]}}"#;

fn clock() -> f64 {
    0.0
}

fn remote(s: &mut Session, r: RemoteRequest) -> RemoteReply {
    match s.handle(Request { id: 3, body: RequestBody::Remote(r) }, &clock).body {
        ResponseBody::Remote(r) => r,
        other => panic!("unexpected {other:?}"),
    }
}

fn progress(r: RemoteReply) -> Result<ImportProgress, String> {
    match r {
        RemoteReply::Progress(p) => p,
        other => panic!("unexpected {other:?}"),
    }
}

fn committed(r: RemoteReply) -> Result<ImportCommitted, String> {
    match r {
        RemoteReply::Committed(c) => *c,
        other => panic!("unexpected {other:?}"),
    }
}

fn run(s: &mut Session, load: Option<&str>, query: &str) -> RunReply {
    let load = load.map(|text| LoadRequest { text: text.to_string(), scrape_time_ms: 1_795_278_871_000, eval_time_ms: None });
    let body = RequestBody::Run(RunRequest { load, query: QueryRequest { query: query.into(), time: String::new(), range: None } });
    match s.handle(Request { id: 1, body }, &clock).body {
        ResponseBody::Run(r) => *r,
        other => panic!("unexpected {other:?}"),
    }
}

/// The samples of `up` in tests/remote/data.om: what the three chunks hold together.
fn up_samples_in_data() -> usize {
    DATA.lines().filter(|l| l.starts_with("up{")).count()
}

fn import_up(s: &mut Session) -> ImportCommitted {
    assert_eq!(progress(remote(s, RemoteRequest::ImportBegin { max_series: 100, max_samples: 10_000 })), Ok(ImportProgress::default()));
    let mut last = ImportProgress::default();
    for (i, c) in CHUNKS.iter().enumerate() {
        let p = progress(remote(s, RemoteRequest::ImportChunk { body: c.to_string() })).unwrap();
        assert_eq!(p.chunks, i + 1);
        assert!(p.samples > last.samples);
        last = p;
    }
    assert_eq!((last.series, last.samples), (9, up_samples_in_data()));
    progress(remote(s, RemoteRequest::ImportMetadata { body: METADATA.into() })).unwrap();
    committed(remote(s, RemoteRequest::ImportCommit)).unwrap()
}

#[test]
fn a_committed_import_replaces_the_store() {
    let mut s = Session::new();
    assert!(run(&mut s, Some(PROBE), "probe_success").result.unwrap().is_ok());
    let c = import_up(&mut s);
    assert_eq!(c.summary.cardinality.num_series, 9);
    assert_eq!(c.summary.samples, up_samples_in_data());
    assert!(c.summary.timestamped);
    // The newest imported sample is the evaluation time, as for any timestamped paste.
    assert_eq!(c.summary.max_time_ms, Some(1_795_278_875_579));
    assert_eq!(c.summary.eval_time_ms, 1_795_278_875_579);
    assert!(c.text.starts_with("# HELP up 1 if the target is up.\n# TYPE up gauge\nup{"), "{}", &c.text[..200]);
    assert!(c.text.ends_with("# EOF\n"));
    // The new store answers without a reload; the old data is gone.
    let v = run(&mut s, None, "count(up)").result.unwrap().unwrap();
    assert_eq!(v.rows[0].value, "9");
    let v = run(&mut s, None, "probe_success").result.unwrap().unwrap();
    assert!(v.rows.is_empty());
    // The text is the store: loading it again gives the same answers.
    let again = run(&mut Session::new(), Some(&c.text), "sum(changes(up[30m]))").result.unwrap().unwrap();
    let here = run(&mut s, None, "sum(changes(up[30m]))").result.unwrap().unwrap();
    assert_eq!(again.rows[0].value, here.rows[0].value);
}

#[test]
fn a_failed_or_aborted_import_leaves_the_store_as_it_was() {
    let mut s = Session::new();
    run(&mut s, Some(PROBE), "probe_success");
    let before = run(&mut s, None, "probe_success").result.unwrap().unwrap();
    assert_eq!(before.rows.len(), 1);

    // A limit exceeded by the second chunk.
    progress(remote(&mut s, RemoteRequest::ImportBegin { max_series: 100, max_samples: 500 })).unwrap();
    assert!(progress(remote(&mut s, RemoteRequest::ImportChunk { body: CHUNKS[0].into() })).is_ok());
    let e = progress(remote(&mut s, RemoteRequest::ImportChunk { body: CHUNKS[1].into() })).unwrap_err();
    assert!(e.starts_with("the import exceeds the sample limit (500 samples): it has reached 501"), "{e}");
    assert!(e.ends_with("the import was stopped and the data is unchanged"), "{e}");
    // Nothing is left to commit, and the store still answers as before.
    assert!(committed(remote(&mut s, RemoteRequest::ImportCommit)).is_err_and(|e| e.contains("no import in progress")));
    assert_eq!(run(&mut s, None, "probe_success").result.unwrap().unwrap(), before);

    // Too many series.
    progress(remote(&mut s, RemoteRequest::ImportBegin { max_series: 3, max_samples: 0 })).unwrap();
    let e = progress(remote(&mut s, RemoteRequest::ImportChunk { body: CHUNKS[0].into() })).unwrap_err();
    assert!(e.contains("series limit (3 series)"), "{e}");

    // Malformed JSON (a truncated body), at its line:col.
    progress(remote(&mut s, RemoteRequest::ImportBegin { max_series: 0, max_samples: 0 })).unwrap();
    let cut = &CHUNKS[0][..100];
    let e = progress(remote(&mut s, RemoteRequest::ImportChunk { body: cut.into() })).unwrap_err();
    assert!(e.starts_with("malformed JSON in the server's answer at 1:100: EOF while parsing"), "{e}");

    // The server's error answer, and a page that is not the API.
    progress(remote(&mut s, RemoteRequest::ImportBegin { max_series: 0, max_samples: 0 })).unwrap();
    let e = progress(remote(&mut s, RemoteRequest::ImportChunk { body: REFUSED.into() })).unwrap_err();
    assert!(e.starts_with("the server answered with an error: bad_data: invalid parameter \"query\""), "{e}");
    progress(remote(&mut s, RemoteRequest::ImportBegin { max_series: 0, max_samples: 0 })).unwrap();
    let e = progress(remote(&mut s, RemoteRequest::ImportChunk { body: "<html>502</html>".into() })).unwrap_err();
    assert!(e.contains("not JSON"), "{e}");

    // Cancelled half-way.
    progress(remote(&mut s, RemoteRequest::ImportBegin { max_series: 0, max_samples: 0 })).unwrap();
    progress(remote(&mut s, RemoteRequest::ImportChunk { body: CHUNKS[0].into() })).unwrap();
    assert_eq!(remote(&mut s, RemoteRequest::ImportAbort), RemoteReply::Aborted);
    assert!(committed(remote(&mut s, RemoteRequest::ImportCommit)).is_err());
    // An import with nothing in it is refused too.
    progress(remote(&mut s, RemoteRequest::ImportBegin { max_series: 0, max_samples: 0 })).unwrap();
    let empty = r#"{"status":"success","data":{"resultType":"matrix","result":[]}}"#;
    progress(remote(&mut s, RemoteRequest::ImportChunk { body: empty.into() })).unwrap();
    assert!(committed(remote(&mut s, RemoteRequest::ImportCommit)).is_err_and(|e| e.contains("no samples")));
    assert_eq!(run(&mut s, None, "probe_success").result.unwrap().unwrap(), before);
}

fn compare(s: &mut Session, query: &str, time: &str, range: Option<RangeInput>, body: &str) -> Result<CompareReply, String> {
    let req = CompareRequest {
        query: QueryRequest { query: query.into(), time: time.into(), range },
        remote_body: body.into(),
        tolerance: 1e-9,
    };
    match remote(s, RemoteRequest::Compare(Box::new(req))) {
        RemoteReply::Compared(c) => *c,
        other => panic!("unexpected {other:?}"),
    }
}

#[test]
fn comparisons_with_the_servers_answers() {
    let mut s = Session::new();
    assert!(compare(&mut s, "up", "", None, SUM_BY_JOB).is_err_and(|e| e.contains("no data loaded")));
    import_up(&mut s);

    let c = compare(&mut s, "sum by (job) (up)", "1795278600.5", None, SUM_BY_JOB).unwrap();
    assert!(c.equal, "{c:?}");
    assert_eq!(c.local.as_ref().map(|v| v.rows.len()), Some(6));
    assert_eq!(c.remote.as_ref().map(|v| v.rows.len()), Some(6));
    assert!(c.only_local.is_empty() && c.only_remote.is_empty() && c.differing.is_empty());

    let range = Some(RangeInput { end: "1795278600.5".into(), range: "10m".into(), step: "60".into() });
    let c = compare(&mut s, "changes(up[5m])", "", range.clone(), CHANGES).unwrap();
    assert!(c.equal, "{c:?}");
    assert_eq!(c.remote.as_ref().map(|v| v.result_type.as_str()), Some("matrix"));

    // The same answer at another time: the points do not line up.
    let c = compare(&mut s, "sum by (job) (up)", "1795278000.5", None, SUM_BY_JOB).unwrap();
    assert!(!c.equal);
    assert_eq!(c.differing.len(), 12, "{:?}", c.differing);
    assert!(c.differing.iter().any(|d| d.labels == "{job=\"node\"}" && d.local == "(no point)" && d.remote == "1"));

    // A value and a series changed on the server's side.
    let changed = SUM_BY_JOB.replace(r#"{"job":"blackbox"},"value":[1795278600.500,"4"]"#, r#"{"job":"blackbox"},"value":[1795278600.500,"3"]"#)
        .replace(r#"{"job":"node"}"#, r#"{"job":"nodes"}"#);
    assert_ne!(changed, SUM_BY_JOB);
    let c = compare(&mut s, "sum by (job) (up)", "1795278600.5", None, &changed).unwrap();
    assert!(!c.equal);
    assert_eq!(c.only_local, ["{job=\"node\"}"]);
    assert_eq!(c.only_remote, ["{job=\"nodes\"}"]);
    assert_eq!(c.differing.len(), 1);
    assert_eq!((c.differing[0].labels.as_str(), c.differing[0].local.as_str(), c.differing[0].remote.as_str()), ("{job=\"blackbox\"}", "4", "3"));
    assert_eq!(c.differing[0].time_ms, 1_795_278_600_500);

    // The server refuses a 3.x function the engine knows.
    let c = compare(&mut s, "sort_by_label(up, \"job\")", "1795278600.5", None, REFUSED).unwrap();
    assert!(!c.equal);
    assert!(c.local.is_some() && c.local_error.is_none());
    assert!(c.remote_error.as_deref().is_some_and(|e| e.contains("unknown function with name \"sort_by_label\"")), "{c:?}");
    // Both refuse: they agree.
    let c = compare(&mut s, "sum(", "1795278600.5", None, REFUSED).unwrap();
    assert!(c.equal && c.local_error.is_some() && c.remote_error.is_some(), "{c:?}");

    // An info only the local engine (3.x semantics) reports.
    let c = compare(&mut s, "sum by (job) (rate(up[5m]))", "1795278600.5", None, &SUM_BY_JOB.replace("\"1\"", "\"0\"").replace("\"4\"", "\"0\"")).unwrap();
    assert!(c.annotations_only_local.iter().any(|a| a.contains("might not be a counter")), "{c:?}");
    assert!(c.differing.is_empty(), "{:?}", c.differing);
    assert!(!c.equal);
    let r = remote(&mut s, RemoteRequest::Compare(Box::new(CompareRequest {
        query: QueryRequest { query: "up".into(), time: String::new(), range: None },
        remote_body: SUM_BY_JOB.into(),
        tolerance: f64::NAN,
    })));
    assert!(matches!(r, RemoteReply::Compared(c) if c.as_ref().as_ref().is_err_and(|e| e.contains("tolerance"))));
}
