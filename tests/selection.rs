//! Differential check of selection: for every real sample file and a set of selectors, the
//! engine returns exactly the samples a naive filter over the parsed file keeps.

#![allow(clippy::panic, clippy::unwrap_used, clippy::expect_used)] // test code fails loudly

use conformance::sample_files;
use engine::{instant_query, Options, Value};
use model::Labels;

/// Selectors over names and labels that occur in the captured files, one of each matcher type
/// and their combinations; fully anchored regexes included.
const SELECTORS: &[&str] = &[
    r#"{__name__=~"go_.*"}"#,
    r#"{__name__=~"go_gc_duration_seconds|process_.+", quantile!~"0\\.[0-9]+"}"#,
    r#"{__name__=~".+", job!=""}"#,
    r#"{__name__=~"node_.*", device=~"(eth|lo).*"}"#,
    r#"{__name__!~".*_total", __name__=~"p.*"}"#,
    r#"probe_http_duration_seconds{phase!="tls"}"#,
    r#"{__name__="up"}"#,
    r#"{quantile="1", __name__=~".*"}"#,
    r#"{__name__=~"go"}"#,
];

#[test]
fn engine_selection_equals_a_naive_filter_on_every_sample_file() {
    let files = sample_files();
    assert!(files.len() >= 5, "sample files missing: {files:?}");
    let mut compared = 0;
    for path in files {
        let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let exp = formats::parse_auto(&text).unwrap_or_else(|e| panic!("{}:{e}", path.display()));
        // Files with their own timestamps span minutes; evaluate just after their newest sample.
        let newest = exp.samples.iter().filter_map(|s| s.timestamp_ms).max();
        let t = newest.unwrap_or(1_000_000);
        let mut db = tsdb::Storage::new();
        db.load_exposition(&exp, t).unwrap_or_else(|e| panic!("{}:{e}", path.display()));

        for sel in SELECTORS {
            let expr = promql::parse(sel).unwrap_or_else(|e| panic!("{sel}: {e}"));
            let promql::Expr::VectorSelector(vs) = expr else { panic!("{sel} is not a selector") };
            let mut expected: Vec<(Labels, u64)> = Vec::new();
            // Naive: newest sample per series in (t-5m, t], matched label by label.
            for s in &exp.samples {
                let st = s.timestamp_ms.unwrap_or(t);
                if st > t - 300_000 && st <= t && vs.matchers.iter().all(|m| m.matches(s.labels.get_or_empty(&m.name))) {
                    match expected.iter_mut().find(|(l, _)| *l == s.labels) {
                        Some(e) => e.1 = s.value.to_bits(),
                        None => expected.push((s.labels.clone(), s.value.to_bits())),
                    }
                }
            }
            expected.sort();
            let got = match instant_query(&db, sel, t, &Options::default()).unwrap_or_else(|e| panic!("{sel}: {e}")).value {
                Value::Vector(v) => v.into_iter().map(|s| (s.labels, s.v.to_bits())).collect::<Vec<_>>(),
                other => panic!("{sel}: {other:?}"),
            };
            assert_eq!(got, expected, "{} {sel}", path.display());
            compared += got.len();
        }
    }
    assert!(compared > 500, "too few series compared: {compared}");
}
