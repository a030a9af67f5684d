//! Queries Prometheus accepts beyond the test-suite corpus (tests/promql/valid.promql) parse
//! and round-trip through the printer.

#![allow(clippy::panic)]

mod common;

#[test]
fn valid_queries_parse_and_round_trip() {
    let text = common::read_data("valid.promql");
    let mut failures = Vec::new();
    for line in text
        .lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
    {
        match promql::parse(line) {
            Ok(tree) => {
                let printed = tree.to_string();
                match promql::parse(&printed) {
                    Ok(again) if common::same_tree(&tree, &again) => {}
                    Ok(_) => failures.push(format!("{line:?}: tree changed via {printed:?}")),
                    Err(e) => failures.push(format!("{line:?}: printed {printed:?} fails: {e}")),
                }
            }
            Err(e) => failures.push(format!("{line:?}: {e}")),
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
