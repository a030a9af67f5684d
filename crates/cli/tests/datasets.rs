//! Every sample dataset of `www/datasets/index.json` loads, and every suggested query runs on
//! it with a non-empty result; the ACME dataset gives exactly the numbers its lesson promises.

#![allow(clippy::panic, clippy::unwrap_used, clippy::expect_used)] // test code fails loudly

use std::path::PathBuf;

use serde_json::Value;

fn dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../www/datasets")
}

fn manifest() -> Value {
    let text = std::fs::read_to_string(dir().join("index.json")).unwrap();
    serde_json::from_str(&text).unwrap()
}

fn ms(v: &Value) -> i64 {
    (v.as_f64().unwrap() * 1000.0).round() as i64
}

/// A dataset file's text; `.gz` files are decompressed, as the browser does when it fetches them.
fn read(file: &str) -> String {
    let bytes = std::fs::read(dir().join(file)).unwrap_or_else(|e| panic!("{file}: {e}"));
    if !file.ends_with(".gz") {
        return String::from_utf8(bytes).unwrap();
    }
    let mut text = String::new();
    std::io::Read::read_to_string(&mut flate2::read::GzDecoder::new(&bytes[..]), &mut text).unwrap();
    text
}

fn load(file: &str, time: i64) -> tsdb::Storage {
    let text = read(file);
    let exp = formats::parse_auto(&text).unwrap_or_else(|e| panic!("{file}:{e}"));
    let mut db = tsdb::Storage::new();
    db.load_exposition(&exp, time).unwrap_or_else(|e| panic!("{file}:{e}"));
    db
}

fn len(v: &engine::Value) -> usize {
    match v {
        engine::Value::Vector(s) => s.len(),
        engine::Value::Matrix(s) => s.len(),
        engine::Value::Scalar(_) | engine::Value::String(_) => 1,
    }
}

#[test]
fn every_suggested_query_answers() {
    let m = manifest();
    let sets = m["datasets"].as_array().unwrap();
    assert!(sets.len() >= 6);
    let mut failures = Vec::new();
    for d in sets {
        let id = d["id"].as_str().unwrap();
        for key in ["title", "description", "file", "format"] {
            assert!(d[key].as_str().is_some_and(|s| !s.is_empty()), "{id}: {key}");
        }
        let queries = d["queries"].as_array().unwrap();
        assert!((3..=5).contains(&queries.len()), "{id}: 3-5 queries");
        let t = ms(&d["time"]);
        let db = load(d["file"].as_str().unwrap(), t);
        for q in queries {
            let query = q["query"].as_str().unwrap();
            assert!(q["explains"].as_str().is_some_and(|s| s.ends_with('.')), "{id}: {query}: one sentence");
            match engine::instant_query(&db, query, t, &engine::Options::default()) {
                Ok(r) if len(&r.value) > 0 => {}
                Ok(_) => failures.push(format!("{id}: {query}: empty result")),
                Err(e) => failures.push(format!("{id}: {query}: {e}")),
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

fn values(db: &tsdb::Storage, query: &str, t: i64) -> Vec<(String, f64)> {
    let r = engine::instant_query(db, query, t, &engine::Options::default()).unwrap_or_else(|e| panic!("{query}: {e}"));
    let mut out: Vec<(String, f64)> = match r.value {
        engine::Value::Vector(s) => s.into_iter().map(|s| (s.labels.get("location").unwrap_or("").to_string(), s.v)).collect(),
        other => panic!("{query}: {other:?}"),
    };
    // The engine orders by the full label set; the lesson reads by location.
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out
}

#[test]
fn acme_numbers() {
    let t = 1_700_000_605_000;
    let db = load("acme-beverages.prom", t);
    assert_eq!(values(&db, "max(beverages_consumed_total)", t), vec![(String::new(), 40172.0)]);
    assert_eq!(values(&db, "count(beverages_consumed_total)", t), vec![(String::new(), 3.0)]);
    assert_eq!(
        values(&db, "max_over_time(beverages_consumed_total[3m])", t),
        vec![("Factory".into(), 6.0), ("HQ".into(), 224.0), ("Warehouse".into(), 40172.0)]
    );
    assert_eq!(values(&db, "resets(beverages_consumed_total{location=\"Factory\"}[10m])", t), vec![("Factory".into(), 1.0)]);
    // The reset itself: 1045 then 1.
    assert_eq!(values(&db, "beverages_consumed_total{location=\"Factory\"} offset 3m", t), vec![("Factory".into(), 1045.0)]);
}
