//! Every series description of the Prometheus test suite (load blocks and expected results,
//! tests/promql/series.txt) parses with the series notation parser.

#![allow(clippy::panic)]

mod common;

#[test]
fn suite_series_lines_parse() {
    let text = common::read_data("series.txt");
    let mut failures = Vec::new();
    let mut n = 0;
    for line in text
        .lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
    {
        n += 1;
        if let Err(e) = promql::parse_series_description(line) {
            failures.push(format!("{line}\n    {e}"));
        }
    }
    assert!(n > 1000, "only {n} lines");
    assert!(
        failures.is_empty(),
        "{} of {n} failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
