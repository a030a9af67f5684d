//! Data-driven: every row of tests/promql/invalid.tsv fails with the expected message at the
//! expected line and column.

#![allow(clippy::panic)]

mod common;

#[test]
fn invalid_queries_fail_with_prometheus_messages() {
    let text = common::read_data("invalid.tsv");
    let mut rows = 0;
    let mut failures = Vec::new();
    for line in text
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
    {
        // A fourth column says where the expectation comes from; it does not affect the check.
        let mut cols = line.split('\t');
        let (Some(query), Some(pos), Some(message)) = (cols.next(), cols.next(), cols.next())
        else {
            panic!("malformed row: {line:?}");
        };
        rows += 1;
        let query = query.replace("\\n", "\n");
        match promql::parse(&query) {
            Ok(e) => failures.push(format!("{query:?} parsed as {e}")),
            Err(e) => {
                let got = format!("{}:{}\t{}", e.line, e.col, e.message);
                if got != format!("{pos}\t{message}") {
                    failures.push(format!("{query:?}\n  want {pos} {message}\n  got  {got}"));
                }
                assert_eq!(e.to_string(), format!("{pos}: parse error: {message}"));
            }
        }
    }
    assert!(rows >= 60, "only {rows} rows");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
