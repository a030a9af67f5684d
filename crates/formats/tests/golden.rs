//! Every real sample file parses, with the counts and values listed in
//! `tests/formats/expected.tsv` and `tests/formats/spot_values.tsv`.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::{read, tsv};

#[test]
fn sample_files_match_expected_counts() {
    let rows = tsv("expected.tsv");
    assert!(rows.len() >= 8);
    let mut failures = Vec::new();
    for row in rows {
        let [file, format, samples, series, families] = &row[..] else {
            panic!("bad row {row:?}")
        };
        let input = read(file);
        assert_eq!(
            formats::detect(&input).to_string_for_test(),
            format.as_str(),
            "{file}: detected format"
        );
        let exp = formats::parse_auto(&input).unwrap_or_else(|e| panic!("{file}: {e}"));
        let got = (exp.samples.len(), exp.series_count(), exp.families.len());
        let want = (
            samples.parse().unwrap(),
            series.parse().unwrap(),
            families.parse().unwrap(),
        );
        if got != want {
            failures.push(format!(
                "{file}\t{format}\t{}\t{}\t{}  (want {want:?})",
                got.0, got.1, got.2
            ));
        }
        let (lenient, errors) = formats::parse_lenient(&input);
        assert!(errors.is_empty(), "{file}: lenient errors {errors:?}");
        assert!(same(&lenient, &exp), "{file}: lenient and strict disagree");
    }
    assert!(
        failures.is_empty(),
        "count mismatches:\n{}",
        failures.join("\n")
    );
}

/// Equality with NaN equal to itself (real captures hold NaN values).
fn same(a: &formats::Exposition, b: &formats::Exposition) -> bool {
    a.families == b.families
        && a.samples.len() == b.samples.len()
        && a.samples.iter().zip(&b.samples).all(|(x, y)| {
            x.labels == y.labels
                && x.value.to_bits() == y.value.to_bits()
                && x.timestamp_ms == y.timestamp_ms
                && x.line == y.line
        })
}

trait FormatName {
    fn to_string_for_test(&self) -> &'static str;
}

impl FormatName for formats::Format {
    fn to_string_for_test(&self) -> &'static str {
        match self {
            formats::Format::Text => "text",
            formats::Format::OpenMetrics => "openmetrics",
        }
    }
}

#[test]
fn spot_values() {
    for row in tsv("spot_values.tsv") {
        let [file, series, ts, value] = &row[..] else {
            panic!("bad row {row:?}")
        };
        let exp = formats::parse_auto(&read(file)).unwrap();
        let ts: Option<i64> = if ts == "-" {
            None
        } else {
            Some(ts.parse().unwrap())
        };
        let hit = exp
            .samples
            .iter()
            .find(|s| s.labels.to_string() == *series && s.timestamp_ms == ts)
            .unwrap_or_else(|| panic!("{file}: no sample {series} @ {ts:?}"));
        let want: f64 = formats::parse_go_float(value).unwrap();
        assert!(
            hit.value == want || (hit.value.is_nan() && want.is_nan()),
            "{file}: {series} @ {ts:?} = {} want {value}",
            hit.value
        );
    }
}

#[test]
fn families_of_sample_files() {
    for row in tsv("families.tsv") {
        let [file, name, kind, help, unit] = &row[..] else {
            panic!("bad row {row:?}")
        };
        let exp = formats::parse_auto(&read(file)).unwrap();
        let f = exp
            .family(name)
            .unwrap_or_else(|| panic!("{file}: no family {name}"));
        assert_eq!(f.kind.as_str(), kind, "{file}: {name}");
        assert_eq!(f.help.as_deref().unwrap_or("-"), help, "{file}: {name}");
        assert_eq!(f.unit.as_deref().unwrap_or("-"), unit, "{file}: {name}");
    }
}
