//! Table-driven error cases from `tests/formats/invalid.tsv`: each broken input must fail
//! with exactly the listed `line:col: message`, and lenient mode must report the same first
//! error.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

fn unescape(s: &str) -> String {
    let mut out = String::new();
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('n') => out.push('\n'),
            Some('t') => out.push('\t'),
            Some('r') => out.push('\r'),
            Some('\\') => out.push('\\'),
            Some(o) => panic!("unknown escape \\{o} in invalid.tsv"),
            None => panic!("trailing backslash in invalid.tsv"),
        }
    }
    out
}

#[test]
fn invalid_inputs_report_the_expected_error() {
    let rows = common::tsv("invalid.tsv");
    assert!(rows.len() >= 25, "only {} cases", rows.len());
    let mut failures = Vec::new();
    for row in &rows {
        let [format, input, want] = &row[..] else {
            panic!("bad row {row:?}")
        };
        let input = unescape(input);
        let (strict, lenient) = match format.as_str() {
            "text" => (
                formats::parse_text(&input),
                formats::parse_lenient_as(&input, formats::Format::Text),
            ),
            "openmetrics" => (
                formats::parse_openmetrics(&input),
                formats::parse_lenient_as(&input, formats::Format::OpenMetrics),
            ),
            "auto" => (formats::parse_auto(&input), formats::parse_lenient(&input)),
            other => panic!("unknown format {other}"),
        };
        let got = match strict {
            Ok(_) => "no error".to_string(),
            Err(e) => e.to_string(),
        };
        if got != *want {
            failures.push(format!(
                "{format}\t{}\n   want: {want}\n    got: {got}",
                row[1]
            ));
        }
        let first_lenient = lenient
            .1
            .first()
            .map(ToString::to_string)
            .unwrap_or_default();
        if first_lenient != got {
            failures.push(format!(
                "{format}\t{}: lenient reported {first_lenient:?}, strict {got:?}",
                row[1]
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} cases differ:\n{}",
        failures.len(),
        rows.len(),
        failures.join("\n")
    );
}
