//! Instant-selector semantics: the left-open lookback window, staleness, offset and `@`.

#![allow(clippy::panic, clippy::unwrap_used, clippy::expect_used)] // test code fails loudly

use engine::{instant_query, range_query, Options, Value};
use model::{Labels, STALE_NAN};

/// `x{a="1"}` with samples at 0s, 60s, 120s (values 0, 1, 2), then a staleness marker at 180s;
/// `y` with one sample at 10s.
fn store() -> tsdb::Storage {
    let mut db = tsdb::Storage::new();
    let x = Labels::from_pairs([("__name__", "x"), ("a", "1")]);
    for (i, t) in [0, 60_000, 120_000].into_iter().enumerate() {
        db.append(&x, t, i as f64).unwrap_or_else(|e| panic!("{e}"));
    }
    db.append(&x, 180_000, STALE_NAN).unwrap_or_else(|e| panic!("{e}"));
    db.append(&Labels::from_pairs([("__name__", "y")]), 10_000, 7.0).unwrap_or_else(|e| panic!("{e}"));
    db
}

fn at(query: &str, t_ms: i64) -> Vec<(String, f64)> {
    let r = instant_query(&store(), query, t_ms, &Options::default()).unwrap_or_else(|e| panic!("{query}: {e}"));
    match r.value {
        Value::Vector(v) => v.into_iter().map(|s| (s.labels.to_string(), s.v)).collect(),
        other => panic!("{query}: expected a vector, got {other:?}"),
    }
}

#[test]
fn newest_sample_in_lookback() {
    assert_eq!(at("x", 90_000), vec![(r#"x{a="1"}"#.to_string(), 1.0)]);
    assert_eq!(at("x", 120_000), vec![(r#"x{a="1"}"#.to_string(), 2.0)]);
}

#[test]
fn lookback_window_is_left_open() {
    // y's only sample is at 10s: seen at 10s + 5m - 1ms, gone at exactly 10s + 5m.
    assert_eq!(at("y", 309_999).len(), 1);
    assert!(at("y", 310_000).is_empty());
}

#[test]
fn staleness_marker_ends_the_series() {
    assert_eq!(at("x", 179_999).len(), 1);
    assert!(at("x", 180_000).is_empty());
    assert!(at("x", 200_000).is_empty());
}

#[test]
fn offset_and_at_move_the_reference_time() {
    assert_eq!(at("x offset 1m", 120_000), vec![(r#"x{a="1"}"#.to_string(), 1.0)]);
    assert_eq!(at("x @ 60", 1_000_000), vec![(r#"x{a="1"}"#.to_string(), 1.0)]);
    assert_eq!(at("x @ 120 offset 2m", 0), vec![(r#"x{a="1"}"#.to_string(), 0.0)]);
    // The output sample carries the evaluation time, not the sample's.
    let r = instant_query(&store(), "x @ 60", 1_000_000, &Options::default()).unwrap_or_else(|e| panic!("{e}"));
    assert!(matches!(r.value, Value::Vector(v) if v[0].t == 1_000_000));
}

#[test]
fn range_query_steps() {
    let r = range_query(&store(), "x", 0, 240_000, 60_000, &Options::default()).unwrap_or_else(|e| panic!("{e}"));
    let Value::Matrix(m) = r.value else { panic!("matrix expected") };
    let pts: Vec<(i64, f64)> = m[0].samples.iter().map(|s| (s.t, s.v)).collect();
    assert_eq!(pts, vec![(0, 0.0), (60_000, 1.0), (120_000, 2.0)]);
}

#[test]
fn range_selector_at_instant_is_left_open() {
    let r = instant_query(&store(), "x[1m]", 120_000, &Options::default()).unwrap_or_else(|e| panic!("{e}"));
    let Value::Matrix(m) = r.value else { panic!("matrix expected") };
    assert_eq!(m[0].samples.iter().map(|s| s.t).collect::<Vec<_>>(), vec![120_000]);
}

#[test]
fn errors_are_positioned_or_plain() {
    let e = instant_query(&store(), "x{a=", 0, &Options::default()).err().unwrap_or_else(|| panic!("must fail"));
    assert!(e.is_parse());
    assert!(e.to_string().starts_with("1:"), "{e}");
    let e = range_query(&store(), "x[1m]", 0, 60_000, 1000, &Options::default()).err();
    assert!(e.is_some_and(|e| e.to_string().contains("range vector")));
    let e = range_query(&store(), "x", 0, 20_000_000, 1, &Options::default()).err();
    assert!(e.is_some_and(|e| e.to_string().contains("11,000 points")));
}
