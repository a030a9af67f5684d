//! Relabeling checked against goldens answered by a real Prometheus (tests/relabel/README.md):
//! target relabeling label for label, and metric relabeling of real exposition, series for series.

#![allow(clippy::panic, clippy::unwrap_used, clippy::expect_used)] // test code fails loudly

use std::collections::BTreeMap;

use model::{format_prom_float, Label, Labels};
use relabel::{MetricResult, ScrapeSettings, ScrapedSample, Section, TargetResult};
use serde_json::Value;

fn golden(name: &str) -> Value {
    let path = format!("{}/relabel/{name}", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn labels(v: &Value) -> Labels {
    let Some(map) = v.as_object() else { return Labels::empty() };
    Labels::new(map.iter().map(|(k, v)| Label::new(k.as_str(), v.as_str().unwrap_or_default())))
}

fn text<'a>(case: &'a Value, key: &str, default: &'a str) -> &'a str {
    case.get(key).and_then(Value::as_str).unwrap_or(default)
}

fn settings(case: &Value) -> ScrapeSettings {
    let params = case
        .get("params")
        .and_then(Value::as_object)
        .map(|m| {
            m.iter()
                .map(|(k, v)| {
                    let vals = v.as_array().map(|a| a.iter().filter_map(|x| x.as_str().map(str::to_string)).collect());
                    (k.clone(), vals.unwrap_or_default())
                })
                .collect()
        })
        .unwrap_or_default();
    ScrapeSettings {
        job_name: text(case, "job_name", "oracle").to_string(),
        scrape_interval: text(case, "scrape_interval", "1m").to_string(),
        scrape_timeout: text(case, "scrape_timeout", "10s").to_string(),
        metrics_path: text(case, "metrics_path", "/metrics").to_string(),
        scheme: text(case, "scheme", "http").to_string(),
        params,
        honor_labels: false,
    }
}

#[test]
fn target_relabeling_matches_prometheus() {
    let g = golden("target_golden.json");
    let cases = g["cases"].as_array().unwrap_or_else(|| panic!("no cases"));
    let (mut checked, mut failures) = (0, Vec::new());
    for case in cases {
        let name = text(case, "name", "?");
        let loaded = relabel::load(text(case, "relabel_configs", ""), Section::Target, None)
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        let s = settings(case);
        let targets = case["targets"].as_array().unwrap_or_else(|| panic!("{name}: no targets"));
        let results = case["results"].as_array().unwrap_or_else(|| panic!("{name}: no results"));
        assert_eq!(targets.len(), results.len(), "{name}");
        for (i, (t, want)) in targets.iter().zip(results).enumerate() {
            checked += 1;
            let out = relabel::relabel_target(&labels(t), &s, &loaded.rules);
            let mut fail = |what: &str, w: String, g: String| {
                failures.push(format!("{name} #{i} {what}:\n  want {w}\n  got  {g}"))
            };
            let want_disc = labels(&want["discoveredLabels"]);
            if out.discovered != want_disc {
                fail("discovered", want_disc.to_string(), out.discovered.to_string());
            }
            match (text(want, "result", ""), &out.result) {
                ("kept", TargetResult::Kept { relabeled, target }) => {
                    let (wr, wl) = (labels(&want["relabeled"]), labels(&want["labels"]));
                    if *relabeled != wr {
                        fail("relabeled", wr.to_string(), relabeled.to_string());
                    }
                    if *target != wl {
                        fail("labels", wl.to_string(), target.to_string());
                    }
                }
                ("dropped", TargetResult::Dropped { .. }) => {}
                ("error", TargetResult::Error { message, .. }) => {
                    let w = text(want, "error", "");
                    if !w.contains(message.as_str()) {
                        fail("error", w.to_string(), message.clone());
                    }
                }
                (w, g) => fail("result", w.to_string(), format!("{g:?}")),
            }
        }
    }
    assert!(failures.is_empty(), "{} of {checked} targets differ:\n{}", failures.len(), failures.join("\n"));
    assert!(checked >= 300, "only {checked} golden targets");
}

#[test]
fn metric_relabeling_matches_prometheus() {
    let g = golden("metric_golden.json");
    let cases = g["cases"].as_array().unwrap_or_else(|| panic!("no cases"));
    let mut failures = Vec::new();
    let mut series_checked = 0;
    for case in cases {
        let name = text(case, "name", "?");
        let loaded = relabel::load(text(case, "metric_relabel_configs", ""), Section::Metric, None)
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        let expo = formats::parse_auto(text(case, "exposition", "")).unwrap_or_else(|e| panic!("{name}: {e}"));
        let mut target = vec![
            Label::new("job", text(case, "job", "oracle")),
            Label::new("instance", text(case, "instance", "oracle-target:9100")),
        ];
        if let Some(m) = case.get("target_labels").and_then(Value::as_object) {
            target.extend(m.iter().map(|(k, v)| Label::new(k.as_str(), v.as_str().unwrap_or_default())));
        }
        let honor = case.pointer("/scrape_config/honor_labels").and_then(Value::as_bool).unwrap_or(false);
        let lines: Vec<&str> = text(case, "exposition", "").lines().collect();
        let samples: Vec<ScrapedSample> = expo
            .samples
            .iter()
            .map(|s| ScrapedSample {
                labels: s.labels.clone(),
                value: s.value,
                timestamp_ms: s.timestamp_ms,
                exposed_empty: relabel::empty_label_names(
                    lines.get(s.line.wrapping_sub(1)).copied().unwrap_or_default(),
                ),
            })
            .collect();
        let outcomes = relabel::relabel_samples(&samples, &Labels::new(target), honor, &loaded.rules);
        // Prometheus stores the first of colliding series: compare the non-collisions.
        let mut got: BTreeMap<Labels, String> = BTreeMap::new();
        for o in &outcomes {
            match &o.result {
                MetricResult::Kept { labels, collision_with: None } => {
                    got.insert(labels.clone(), format_prom_float(samples[o.index].value));
                }
                MetricResult::Error { message, .. } => failures.push(format!("{name}: unexpected error {message}")),
                _ => {}
            }
        }
        let want: BTreeMap<Labels, String> = case["series"]
            .as_array()
            .unwrap_or_else(|| panic!("{name}: no series"))
            .iter()
            .map(|s| (labels(&s["labels"]), text(s, "value", "").to_string()))
            .collect();
        series_checked += want.len();
        for (l, v) in &want {
            match got.get(l) {
                None => failures.push(format!("{name}: missing {l} {v}")),
                Some(gv) if gv != v => failures.push(format!("{name}: {l} want {v} got {gv}")),
                _ => {}
            }
        }
        for l in got.keys().filter(|l| !want.contains_key(*l)) {
            failures.push(format!("{name}: unexpected {l}"));
        }
        let post = case.pointer("/scrape/scrape_samples_post_metric_relabeling").and_then(Value::as_u64);
        let kept = outcomes.iter().filter(|o| matches!(o.result, MetricResult::Kept { .. })).count() as u64;
        if post.is_some_and(|p| p != kept) {
            failures.push(format!("{name}: {kept} samples kept by relabeling, Prometheus says {post:?}"));
        }
    }
    assert!(failures.is_empty(), "{} differences:\n{}", failures.len(), failures.join("\n"));
    assert!(series_checked >= 300, "only {series_checked} golden series");
}
