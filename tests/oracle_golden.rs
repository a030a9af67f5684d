//! Differential check against a real Prometheus: `oracle/golden.json` holds a dataset and the
//! answers Prometheus gave to several hundred instant and range queries over it (recorded with
//! `/work/shared/oracle/promql_oracle.py`; see `oracle/README.md`). This test loads the same
//! dataset into the store, runs every query through the engine and compares: same result type,
//! same label sets, values within a relative 1e-9 (NaN equals NaN), error where Prometheus
//! failed. Differences known to be engine bugs are listed in `oracle/known-differences.txt`,
//! a ratchet: an unlisted mismatch fails the test, and so does a listed query that now matches.

#![allow(clippy::panic, clippy::unwrap_used, clippy::expect_used)] // test code fails loudly

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

use engine::{Options, Value};
use model::{Labels, Timestamp, STALE_NAN};
use promql::SeriesValue;
use serde_json::Value as Json;

fn oracle_dir() -> PathBuf {
    conformance::data_dir().join("oracle")
}

type LabelMap = BTreeMap<String, String>;

/// Loads the `load <interval>` blocks: sample i of a series is at i × interval + offset.
fn load_storage(text: &str, offset_ms: i64) -> tsdb::Storage {
    let mut db = tsdb::Storage::new();
    let mut interval: Option<i64> = None;
    for (no, raw) in text.lines().enumerate() {
        let line = raw.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        if let Some(d) = line.strip_prefix("load ") {
            interval = Some(model::parse_duration(d.trim()).unwrap_or_else(|e| panic!("line {}: {e}", no + 1)));
            continue;
        }
        let step = interval.unwrap_or_else(|| panic!("line {}: series before any load command", no + 1));
        let (labels, values) =
            promql::parse_series_description(line).unwrap_or_else(|e| panic!("line {}: {e}: {line}", no + 1));
        for (i, v) in values.iter().enumerate() {
            let t = i as i64 * step + offset_ms;
            let v = match v {
                SeriesValue::Omitted => continue,
                SeriesValue::Float(f) => *f,
                SeriesValue::Stale => STALE_NAN,
                other => panic!("line {}: unsupported value {other:?}", no + 1),
            };
            db.append(&labels, t, v).unwrap_or_else(|e| panic!("line {}: append at {t}: {e:?}", no + 1));
        }
    }
    db
}

fn secs_to_ms(j: &Json) -> i64 {
    (j.as_f64().unwrap() * 1000.0).round() as i64
}

fn parse_value(s: &str) -> f64 {
    match s {
        "NaN" => f64::NAN,
        "+Inf" | "Inf" => f64::INFINITY,
        "-Inf" => f64::NEG_INFINITY,
        _ => s.parse().unwrap_or_else(|e| panic!("bad float {s:?}: {e}")),
    }
}

fn close(a: f64, b: f64) -> bool {
    if a.is_nan() || b.is_nan() {
        return a.is_nan() && b.is_nan();
    }
    if a == b {
        return true;
    }
    if a.is_infinite() || b.is_infinite() {
        return false;
    }
    (a - b).abs() <= 1e-9 * a.abs().max(b.abs())
}

fn fmt_labels(l: &LabelMap) -> String {
    let inner: Vec<String> = l.iter().map(|(k, v)| format!("{k}={v:?}")).collect();
    format!("{{{}}}", inner.join(", "))
}

fn engine_labels(l: &Labels) -> LabelMap {
    l.iter().map(|x| (x.name.clone(), x.value.clone())).collect()
}

fn json_labels(j: &Json) -> LabelMap {
    j.as_object().unwrap().iter().map(|(k, v)| (k.clone(), v.as_str().unwrap().to_string())).collect()
}

fn point(j: &Json) -> (Timestamp, f64) {
    let a = j.as_array().unwrap();
    (secs_to_ms(&a[0]), parse_value(a[1].as_str().unwrap()))
}

/// A result in one comparable shape: per label set, the points (one for a vector).
struct Norm {
    kind: String,
    scalar: Option<(Timestamp, f64)>,
    string: Option<String>,
    series: BTreeMap<LabelMap, Vec<(Timestamp, f64)>>,
    /// Values in result order (for sort/sort_desc).
    order: Vec<f64>,
    duplicates: bool,
}

fn norm_golden(data: &Json) -> Norm {
    let kind = data["resultType"].as_str().unwrap().to_string();
    let result = &data["result"];
    let mut n = Norm { kind: kind.clone(), scalar: None, string: None, series: BTreeMap::new(), order: vec![], duplicates: false };
    match kind.as_str() {
        "scalar" => n.scalar = Some(point(result)),
        "string" => {
            let a = result.as_array().unwrap();
            n.scalar = Some((secs_to_ms(&a[0]), 0.0));
            n.string = Some(a[1].as_str().unwrap().to_string());
        }
        "vector" => {
            for s in result.as_array().unwrap() {
                let p = point(&s["value"]);
                n.order.push(p.1);
                n.duplicates |= n.series.insert(json_labels(&s["metric"]), vec![p]).is_some();
            }
        }
        "matrix" => {
            for s in result.as_array().unwrap() {
                let pts = s["values"].as_array().unwrap().iter().map(point).collect();
                n.duplicates |= n.series.insert(json_labels(&s["metric"]), pts).is_some();
            }
        }
        other => panic!("unknown resultType {other}"),
    }
    n
}

fn norm_engine(v: &Value, t: Timestamp) -> Norm {
    let mut n = Norm {
        kind: v.type_name().to_string(),
        scalar: None,
        string: None,
        series: BTreeMap::new(),
        order: vec![],
        duplicates: false,
    };
    match v {
        Value::Scalar(x) => n.scalar = Some((t, *x)),
        Value::String(s) => {
            n.scalar = Some((t, 0.0));
            n.string = Some(s.clone());
        }
        Value::Vector(vs) => {
            for s in vs {
                n.order.push(s.v);
                n.duplicates |= n.series.insert(engine_labels(&s.labels), vec![(s.t, s.v)]).is_some();
            }
        }
        Value::Matrix(ms) => {
            for s in ms {
                let pts = s.samples.iter().map(|p| (p.t, p.v)).collect();
                n.duplicates |= n.series.insert(engine_labels(&s.labels), pts).is_some();
            }
        }
    }
    n
}

fn fmt_points(p: &[(Timestamp, f64)]) -> String {
    let items: Vec<String> = p.iter().map(|(t, v)| format!("{v}@{t}")).collect();
    items.join(" ")
}

fn fmt_norm(n: &Norm) -> String {
    match n.kind.as_str() {
        "scalar" => format!("scalar {:?}", n.scalar),
        "string" => format!("string {:?}", n.string),
        _ => {
            let items: Vec<String> = n.series.iter().map(|(l, p)| format!("{} {}", fmt_labels(l), fmt_points(p))).collect();
            format!("{} [{}]", n.kind, items.join("; "))
        }
    }
}

/// `None` when equal, else what differs.
fn compare(expr: &str, want: &Norm, got: &Norm) -> Option<String> {
    if want.kind != got.kind {
        return Some(format!("resultType: want {}, got {}", want.kind, got.kind));
    }
    if got.duplicates {
        return Some("engine returned duplicate label sets".into());
    }
    match want.kind.as_str() {
        "scalar" => {
            let (wt, wv) = want.scalar.unwrap();
            let (gt, gv) = got.scalar.unwrap();
            if wt != gt || !close(wv, gv) {
                return Some(format!("want {wv}@{wt}, got {gv}@{gt}"));
            }
            None
        }
        "string" => (want.string != got.string || want.scalar.map(|p| p.0) != got.scalar.map(|p| p.0))
            .then(|| format!("want {:?}, got {:?}", want.string, got.string)),
        _ => {
            let wk: BTreeSet<&LabelMap> = want.series.keys().collect();
            let gk: BTreeSet<&LabelMap> = got.series.keys().collect();
            if wk != gk {
                let missing: Vec<String> = wk.difference(&gk).map(|l| fmt_labels(l)).collect();
                let extra: Vec<String> = gk.difference(&wk).map(|l| fmt_labels(l)).collect();
                return Some(format!("label sets differ: missing {missing:?}, extra {extra:?}"));
            }
            for (l, wp) in &want.series {
                let gp = &got.series[l];
                let same = wp.len() == gp.len() && wp.iter().zip(gp).all(|(a, b)| a.0 == b.0 && close(a.1, b.1));
                if !same {
                    return Some(format!("{}: want {}, got {}", fmt_labels(l), fmt_points(wp), fmt_points(gp)));
                }
            }
            let sorted = expr.starts_with("sort(") || expr.starts_with("sort_desc(");
            if sorted && want.kind == "vector" {
                let same = want.order.len() == got.order.len() && want.order.iter().zip(&got.order).all(|(a, b)| close(*a, *b));
                if !same {
                    return Some(format!("order of values: want {:?}, got {:?}", want.order, got.order));
                }
            }
            None
        }
    }
}

/// The ratchet key of a query: `instant <t> <expr>` or `range <start> <end> <step> <expr>`.
fn key_of(q: &Json) -> String {
    let expr = q["expr"].as_str().unwrap();
    if q.get("time").is_some() {
        format!("instant {} {expr}", q["time"])
    } else {
        format!("range {} {} {} {expr}", q["start"], q["end"], q["step"])
    }
}

fn read_known() -> BTreeSet<String> {
    let text = std::fs::read_to_string(oracle_dir().join("known-differences.txt")).unwrap_or_default();
    text.lines()
        .map(|l| l.split(" # ").next().unwrap_or("").trim().to_string())
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .collect()
}

#[test]
fn engine_matches_prometheus_answers() {
    let path = oracle_dir().join("golden.json");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let golden: Json = serde_json::from_str(&text).unwrap();
    let offset = golden["sample_offset_ms"].as_i64().unwrap();
    let db = load_storage(golden["load"].as_str().unwrap(), offset);
    let opts = Options::default();
    let queries = golden["queries"].as_array().unwrap();
    assert!(queries.len() >= 400, "golden file has only {} queries", queries.len());

    let known = read_known();
    let mut equal = 0usize;
    let mut mismatches: Vec<(String, String)> = Vec::new();
    for q in queries {
        let expr = q["expr"].as_str().unwrap();
        let (res, t0) = if q.get("time").is_some() {
            let t = secs_to_ms(&q["time"]);
            (engine::instant_query(&db, expr, t, &opts), t)
        } else {
            let (s, e, st) = (secs_to_ms(&q["start"]), secs_to_ms(&q["end"]), secs_to_ms(&q["step"]));
            (engine::range_query(&db, expr, s, e, st, &opts), s)
        };
        let diff = match (q.get("error"), &res) {
            (Some(_), Err(_)) => None,
            (Some(e), Ok(r)) => Some(format!("want error {e}, got {}", fmt_norm(&norm_engine(&r.value, t0)))),
            (None, Err(e)) => Some(format!("want {}, got error: {e}", fmt_norm(&norm_golden(&q["data"])))),
            (None, Ok(r)) => {
                let want = norm_golden(&q["data"]);
                assert!(!want.duplicates, "golden has duplicate label sets: {}", key_of(q));
                compare(expr, &want, &norm_engine(&r.value, t0))
            }
        };
        match diff {
            None => equal += 1,
            Some(d) => mismatches.push((key_of(q), d)),
        }
    }
    println!("oracle: {} queries, {equal} equal", queries.len());

    let mismatched: BTreeSet<&String> = mismatches.iter().map(|(k, _)| k).collect();
    let mut msg = String::new();
    for (k, d) in &mismatches {
        if !known.contains(k) {
            msg.push_str(&format!("new mismatch: {k}\n    {d}\n"));
        } else {
            println!("known difference: {k}\n    {d}");
        }
    }
    for k in &known {
        if !mismatched.contains(k) {
            msg.push_str(&format!("listed in known-differences.txt but now equal (delete the line): {k}\n"));
        }
    }
    assert!(msg.is_empty(), "{msg}");
}
