//! Data-driven checks of operators, aggregations and functions: each case is a query at a time
//! over a small store, with the expected result written as Prometheus prints it.

#![allow(clippy::panic, clippy::unwrap_used, clippy::expect_used)] // test code fails loudly

use engine::{instant_query, range_query, Options, Value};
use model::Labels;

/// `req{job="a"}` 0,10,20,… and `req{job="b"}` 0,20,40,… every minute for 10 minutes;
/// `bucket{le=…}` a classic histogram; `info_total` a counter with a reset.
fn store() -> tsdb::Storage {
    let mut db = tsdb::Storage::new();
    let mut add = |pairs: &[(&str, &str)], vals: &[f64]| {
        let l = Labels::from_pairs(pairs.iter().copied());
        for (i, v) in vals.iter().enumerate() {
            db.append(&l, i as i64 * 60_000, *v).unwrap();
        }
    };
    let ramp = |step: f64| (0..=10).map(|i| i as f64 * step).collect::<Vec<_>>();
    add(&[("__name__", "req"), ("job", "a")], &ramp(10.0));
    add(&[("__name__", "req"), ("job", "b")], &ramp(20.0));
    add(&[("__name__", "bucket"), ("le", "1")], &[10.0]);
    add(&[("__name__", "bucket"), ("le", "2")], &[20.0]);
    add(&[("__name__", "bucket"), ("le", "+Inf")], &[20.0]);
    add(&[("__name__", "c_total")], &[0.0, 10.0, 20.0, 5.0, 15.0]);
    db
}

/// The result as sorted `labels value` lines (or the scalar).
fn eval(q: &str, t_s: i64) -> Vec<String> {
    let r = instant_query(&store(), q, t_s * 1000, &Options::default()).unwrap_or_else(|e| panic!("{q}: {e}"));
    let mut out: Vec<String> = match r.value {
        Value::Vector(v) => v.into_iter().map(|s| format!("{} {}", s.labels, model::format_prom_float(s.v))).collect(),
        Value::Scalar(v) => vec![model::format_prom_float(v)],
        other => panic!("{q}: unexpected {other:?}"),
    };
    out.sort();
    out
}

#[test]
fn cases() {
    let cases: &[(&str, i64, &[&str])] = &[
        ("sum(req)", 600, &["{} 300"]),
        ("sum by (job) (req)", 600, &["{job=\"a\"} 100", "{job=\"b\"} 200"]),
        ("avg(req)", 600, &["{} 150"]),
        ("count(req)", 600, &["{} 2"]),
        ("stddev(req)", 600, &["{} 50"]),
        ("quantile(0.5, req)", 600, &["{} 150"]),
        ("topk(1, req)", 600, &["req{job=\"b\"} 200"]),
        ("bottomk(1, req)", 600, &["req{job=\"a\"} 100"]),
        ("count_values(\"v\", req)", 600, &["{v=\"100\"} 1", "{v=\"200\"} 1"]),
        ("req{job=\"a\"} * 2", 600, &["{job=\"a\"} 200"]),
        ("req > 150", 600, &["req{job=\"b\"} 200"]),
        ("req > bool 150", 600, &["{job=\"a\"} 0", "{job=\"b\"} 1"]),
        ("req / on(job) req", 600, &["{job=\"a\"} 1", "{job=\"b\"} 1"]),
        ("req and on() vector(1)", 600, &["req{job=\"a\"} 100", "req{job=\"b\"} 200"]),
        ("req unless req{job=\"a\"}", 600, &["req{job=\"b\"} 200"]),
        ("rate(req[5m])", 600, &["{job=\"a\"} 0.16666666666666666", "{job=\"b\"} 0.3333333333333333"]),
        ("increase(c_total[5m])", 240, &["{} 35"]),
        ("resets(c_total[5m])", 240, &["{} 1"]),
        ("max_over_time(req{job=\"a\"}[5m])", 600, &["{job=\"a\"} 100"]),
        ("last_over_time(req{job=\"a\"}[5m])", 600, &["req{job=\"a\"} 100"]),
        ("histogram_quantile(0.75, bucket)", 0, &["{} 1.5"]),
        ("label_replace(req{job=\"a\"}, \"x\", \"$1\", \"job\", \"(.*)\")", 600, &["req{job=\"a\", x=\"a\"} 100"]),
        ("sum_over_time(req{job=\"a\"}[3m:1m])", 600, &["{job=\"a\"} 270"]),
        ("absent(nope{job=\"x\"})", 0, &["{job=\"x\"} 1"]),
        ("scalar(sum(req))", 600, &["300"]),
        ("year(vector(0))", 0, &["{} 1970"]),
    ];
    for (q, t, want) in cases {
        assert_eq!(eval(q, *t), want.iter().map(|s| s.to_string()).collect::<Vec<_>>(), "{q}");
    }
}

#[test]
fn errors_carry_prometheus_wording() {
    let e = instant_query(&store(), "topk(scalar(nope), req)", 0, &Options::default()).err().unwrap();
    assert_eq!(e.to_string(), "Parameter value is NaN");
    let e = instant_query(&store(), "req + on() req", 600_000, &Options::default()).err().unwrap();
    assert!(e.to_string().starts_with("found duplicate series for the match group {}"), "{e}");
}

#[test]
fn annotations() {
    let r = instant_query(&store(), "rate(req[5m])", 600_000, &Options::default()).unwrap();
    assert_eq!(
        r.infos,
        vec!["PromQL info: metric might not be a counter, name does not end in _total/_sum/_count/_bucket: \"req\""]
    );
    let r = range_query(&store(), "sort(req)", 0, 60_000, 60_000, &Options::default()).unwrap();
    assert!(r.warnings.iter().any(|w| w.contains("sort is ineffective")));
}

#[test]
fn traced_query_records_every_node() {
    let (r, trace) = engine::instant_query_traced(&store(), "sum(rate(req[5m]))", 600_000, &Options::default());
    assert!(r.is_ok());
    let kinds: Vec<&str> = trace.nodes.iter().map(|n| n.kind).collect();
    assert_eq!(kinds, vec!["aggregation", "function call"]);
    assert_eq!(trace.nodes[1].series, 2);
}

#[test]
fn nothing_panics_on_odd_queries() {
    for q in [
        "x[1m:0s]",
        "rate(x[0s])",
        "quantile_over_time(NaN, req[5m])",
        "histogram_quantile(2, bucket)",
        "topk(1e300, req)",
        "req offset -1h",
        "round(req, 0)",
        "predict_linear(req[5m], 1e308)",
        "sum_over_time(req[1h:1ms])",
    ] {
        let _ = instant_query(&store(), q, 600_000, &Options::default());
        let _ = range_query(&store(), q, 0, 600_000, 60_000, &Options::default());
    }
}

/// Delayed name removal at the end of a range query: series whose label sets became equal are
/// merged when their points never share a time, refused otherwise, and the result stays sorted.
#[test]
fn range_results_merge_label_sets_that_became_equal() {
    let mut db = tsdb::Storage::new();
    let mut add = |pairs: &[(&str, &str)], from: i64, to: i64| {
        let l = Labels::from_pairs(pairs.iter().copied());
        for m in from..=to {
            db.append(&l, m * 60_000, m as f64).unwrap();
        }
    };
    add(&[("__name__", "a"), ("job", "x")], 0, 3);
    add(&[("__name__", "b"), ("job", "x")], 10, 12);
    add(&[("__name__", "a"), ("job", "w")], 0, 12);
    add(&[("__name__", "c"), ("job", "x")], 0, 12);
    let opts = Options { lookback_delta: 60_000, ..Options::default() };
    let r = range_query(&db, "{__name__=~\"a|b\"} * 1", 0, 12 * 60_000, 60_000, &opts).unwrap();
    let Value::Matrix(m) = r.value else { panic!("expected a matrix") };
    let shown: Vec<String> = m
        .iter()
        .map(|s| format!("{} {:?}", s.labels, s.samples.iter().map(|p| p.t / 60_000).collect::<Vec<_>>()))
        .collect();
    assert_eq!(
        shown,
        ["{job=\"w\"} [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]", "{job=\"x\"} [0, 1, 2, 3, 10, 11, 12]"]
    );
    let err = range_query(&db, "{__name__=~\"a|c\"} * 1", 0, 12 * 60_000, 60_000, &opts).unwrap_err();
    assert_eq!(err.to_string(), "vector cannot contain metrics with the same labelset");
}

/// A range query gives, at each step, exactly the instant query's value (to the bit). Range
/// evaluation reuses work across steps (the extrapolation of a window shape seen at the previous
/// step, sliding extremes), so this checks that reuse on data with regular stretches, jitter,
/// counter resets, gaps, values near zero and staleness markers.
#[test]
fn range_steps_equal_instant_queries_bit_for_bit() {
    let mut db = tsdb::Storage::new();
    let mut seed = 0x2545_F491_4F6C_DD1Du64;
    let mut rnd = |n: u64| {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed % n
    };
    for i in 0..40 {
        let l = Labels::from_pairs([("__name__", "m"), ("i", &*i.to_string())]);
        let (mut t, mut v) = (rnd(30_000) as i64, rnd(5) as f64);
        while t < 3_600_000 {
            db.append(&l, t, v).unwrap();
            // Mostly a regular 15s scrape; sometimes jitter, a gap, a reset or a marker.
            t += match rnd(10) {
                0 => 15_000 + rnd(2_000) as i64 - 1_000,
                1 => 90_000 + rnd(300_000) as i64,
                _ => 15_000,
            };
            v = match rnd(25) {
                0 => rnd(3) as f64,
                1 => model::STALE_NAN,
                _ => {
                    if v.is_nan() {
                        1.0
                    } else {
                        v + rnd(7) as f64 * 0.25
                    }
                }
            };
        }
    }
    let opts = Options::default();
    for q in [
        "rate(m[1m])",
        "rate(m[5m])",
        "increase(m[2m])",
        "delta(m[3m])",
        "irate(m[5m])",
        "max_over_time(m[4m])",
        "min_over_time(rate(m[2m])[10m:30s])",
        "sum_over_time(m[5m])",
    ] {
        let (start, end, step) = (60_000, 3_540_000, 30_000);
        let r = range_query(&db, q, start, end, step, &opts).unwrap_or_else(|e| panic!("{q}: {e}"));
        let Value::Matrix(m) = r.value else { panic!("{q}: expected a matrix") };
        let mut t = start;
        while t <= end {
            let Value::Vector(v) = instant_query(&db, q, t, &opts).unwrap().value else {
                panic!("{q}: expected a vector")
            };
            let from_range: Vec<(String, u64)> = m
                .iter()
                .filter_map(|s| s.samples.iter().find(|p| p.t == t).map(|p| (s.labels.to_string(), p.v.to_bits())))
                .collect();
            let mut instant: Vec<(String, u64)> = v.iter().map(|s| (s.labels.to_string(), s.v.to_bits())).collect();
            instant.sort();
            let mut from_range = from_range;
            from_range.sort();
            assert_eq!(from_range, instant, "{q} at {t}");
            t += step;
        }
    }
}
