//! Start (created) timestamps in queries: counter resets they reveal, counting from a counter's
//! start instead of extrapolating, `start_timestamp()`, the overlap warning, and the switch that
//! turns all of it off.

#![allow(clippy::panic, clippy::unwrap_used, clippy::expect_used)] // test code fails loudly

use engine::{instant_query, Options, Value};
use model::Labels;

/// `c_total` rises by 60 a minute from 1m, but its start timestamp at 3m says it restarted at
/// 2m30s; `plain_total` is the same data without start timestamps; `ov_total` has starts that
/// overlap earlier samples.
fn store() -> tsdb::Storage {
    let mut db = tsdb::Storage::new();
    let c = Labels::from_pairs([("__name__", "c_total")]);
    let plain = Labels::from_pairs([("__name__", "plain_total")]);
    let ov = Labels::from_pairs([("__name__", "ov_total")]);
    for (i, st) in [(1, 30_000), (2, 30_000), (3, 150_000), (4, 150_000)] {
        let (t, v) = (i * 60_000, i as f64 * 60.0);
        db.append_with_st(&c, t, v, st).unwrap();
        db.append(&plain, t, v).unwrap();
        db.append_with_st(&ov, t, v, t - 120_000).unwrap();
    }
    db
}

fn one(q: &str, t_ms: i64, opts: &Options) -> (Vec<f64>, Vec<String>) {
    let r = instant_query(&store(), q, t_ms, opts).unwrap_or_else(|e| panic!("{q}: {e}"));
    match r.value {
        Value::Vector(v) => (v.into_iter().map(|s| s.v).collect(), r.warnings),
        other => panic!("{q}: unexpected {other:?}"),
    }
}

#[test]
fn a_start_after_the_previous_sample_is_a_reset() {
    let on = Options::default();
    assert_eq!(one("resets(c_total[5m])", 240_000, &on).0, vec![1.0]);
    assert_eq!(one("resets(plain_total[5m])", 240_000, &on).0, vec![0.0]);
    // irate over 3m..4m sees no reset; over 2m..3m the reset leaves the newest value.
    assert_eq!(one("irate(c_total[5m])", 180_000, &on).0, vec![3.0]);
}

#[test]
fn increase_counts_from_the_counter_start_inside_the_range() {
    let on = Options::default();
    // Range (1m, 4m]: samples at 2m, 3m (reset), 4m. The first start (30s) is outside the
    // range, so the usual extrapolation applies, to an increase the reset made larger.
    let (v, _) = one("increase(c_total[3m])", 240_000, &on);
    let (plain, _) = one("increase(plain_total[3m])", 240_000, &on);
    assert!(v[0] > plain[0], "the reset adds the value before it: {v:?} vs {plain:?}");
    // Range (2m20s, 3m]: the one sample at 3m started at 2m30s, inside the range, so it counts
    // from zero there: 180, with no extrapolation either way.
    assert_eq!(one("increase(c_total[40s])", 180_000, &on).0, vec![180.0]);
    assert!(one("increase(plain_total[40s])", 180_000, &on).0.is_empty(), "one sample, no start");
}

#[test]
fn start_timestamp_function() {
    let on = Options::default();
    assert_eq!(one("start_timestamp(c_total)", 200_000, &on).0, vec![150.0]);
    assert_eq!(one("start_timestamp(plain_total)", 200_000, &on).0, vec![0.0], "unknown is 0");
    assert!(one("start_timestamp(c_total * 1)", 200_000, &on).0.is_empty(), "expressions have none");
}

#[test]
fn overlapping_starts_warn() {
    let (_, warnings) = one("rate(ov_total[5m])", 240_000, &Options::default());
    assert_eq!(
        warnings,
        vec!["PromQL warning: sample has start time that overlaps with previous sample timestamp for metric \"ov_total\""]
    );
    assert!(one("rate(c_total[5m])", 240_000, &Options::default()).1.is_empty());
}

#[test]
fn turned_off_start_timestamps_change_nothing() {
    let off = Options { use_start_timestamps: false, ..Options::default() };
    for f in ["rate", "increase", "irate", "resets", "delta", "changes"] {
        for t in [180_000, 240_000] {
            let a = one(&format!("{f}(c_total[3m])"), t, &off);
            let b = one(&format!("{f}(plain_total[3m])"), t, &off);
            assert_eq!(a, b, "{f} at {t}");
        }
    }
    assert!(one("start_timestamp(c_total)", 200_000, &off).0.is_empty());
    assert!(one("rate(ov_total[5m])", 240_000, &off).1.is_empty());
}
