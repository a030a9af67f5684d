//! The Relabel view's requests as the page sends them, checked against the answers of a real
//! Prometheus (tests/relabel/*_golden.json) and against the built-in example (www/relabel/).
#![allow(clippy::panic, clippy::unwrap_used, clippy::expect_used)]

use protocol::{
    LoadRequest, MetricRelabel, MetricSource, MetricView, QueryRequest, RelabelMode, RelabelReply, RelabelRequest,
    Request, RequestBody, ResponseBody, RunRequest, TargetRow,
};
use serde_json::Value;
use session::Session;

const NOW: i64 = 1_795_278_871_000;
const K8S_RULES: &str = include_str!("../../../www/relabel/kubernetes-pods.prometheus.yml");
const K8S_TARGETS: &str = include_str!("../../../www/relabel/kubernetes-pods.targets.yml");

fn clock() -> f64 {
    0.0
}

fn golden(name: &str) -> Value {
    let path = format!("{}/../../tests/relabel/{name}", env!("CARGO_MANIFEST_DIR"));
    serde_json::from_str(&std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))).unwrap()
}

fn relabel(s: &mut Session, rules: &str, job: Option<&str>, mode: RelabelMode) -> RelabelReply {
    let body = RequestBody::Relabel(Box::new(RelabelRequest {
        rules_yaml: rules.to_string(),
        job: job.map(str::to_string),
        mode,
    }));
    match s.handle(Request { id: 3, body }, &clock).body {
        ResponseBody::Relabel(r) => *r,
        other => panic!("unexpected {other:?}"),
    }
}

fn targets(text: &str) -> RelabelMode {
    RelabelMode::Target { targets_text: text.to_string() }
}

fn metric(source: MetricSource, target_labels: &str, apply: bool) -> RelabelMode {
    RelabelMode::Metric(MetricRelabel { source, target_labels: target_labels.to_string(), apply })
}

fn loaded(text: &str) -> MetricSource {
    MetricSource::Loaded { load: Some(LoadRequest { text: text.to_string(), scrape_time_ms: NOW, eval_time_ms: None }) }
}

fn query(s: &mut Session, q: &str) -> Vec<(String, String)> {
    let body = RequestBody::Run(RunRequest {
        load: None,
        query: QueryRequest { query: q.to_string(), time: String::new(), range: None },
    });
    match s.handle(Request { id: 4, body }, &clock).body {
        ResponseBody::Run(r) => r.result.unwrap().unwrap().rows.into_iter().map(|r| (r.labels, r.value)).collect(),
        other => panic!("unexpected {other:?}"),
    }
}

/// A golden label map as the reply lists labels: `name="value"`, in name order.
fn pairs(v: &Value) -> Vec<String> {
    let mut out: Vec<String> = v
        .as_object()
        .map(|m| m.iter().map(|(k, v)| format!("{k}={}", model::quote(v.as_str().unwrap_or_default()))).collect())
        .unwrap_or_default();
    out.sort();
    out
}

fn sorted(mut v: Vec<String>) -> Vec<String> {
    v.sort();
    v
}

fn pod<'a>(rows: &'a [TargetRow], name: &str) -> &'a TargetRow {
    let want = format!("__meta_kubernetes_pod_name=\"{name}\"");
    rows.iter().find(|r| r.before.contains(&want)).unwrap_or_else(|| panic!("no pod {name}"))
}

fn metric_view(r: RelabelReply) -> MetricView {
    assert_eq!((&r.rules_error, &r.input_error), (&None, &None));
    r.metric.expect("metric view")
}

/// Every golden target rule set, sent as the page sends it (a scrape config in YAML, targets as
/// JSON), gives Prometheus's final target labels, drops and refusals.
#[test]
fn target_mode_matches_prometheus() {
    let g = golden("target_golden.json");
    let mut s = Session::new();
    let mut checked = 0;
    for case in g["cases"].as_array().unwrap() {
        let name = case["name"].as_str().unwrap();
        let mut yaml = format!("job_name: {}\n", case.get("job_name").and_then(Value::as_str).unwrap_or("oracle"));
        for key in ["scrape_interval", "scrape_timeout", "metrics_path"] {
            if let Some(v) = case.get(key).and_then(Value::as_str) {
                yaml.push_str(&format!("{key}: {v}\n"));
            }
        }
        if let Some(p) = case.get("params") {
            yaml.push_str(&format!("params: {p}\n"));
        }
        yaml.push_str("relabel_configs:\n");
        for line in case["relabel_configs"].as_str().unwrap().lines() {
            yaml.push_str(&format!("  {line}\n"));
        }
        let r = relabel(&mut s, &yaml, None, targets(&case["targets"].to_string()));
        assert_eq!(r.rules_error, None, "{name}");
        let view = r.targets.unwrap_or_else(|| panic!("{name}: {:?}", r.input_error));
        let results = case["results"].as_array().unwrap();
        assert_eq!(view.rows.len(), results.len(), "{name}");
        for (i, (row, want)) in view.rows.iter().zip(results).enumerate() {
            checked += 1;
            assert_eq!(sorted(row.before.clone()), pairs(&want["discoveredLabels"]), "{name} #{i} discovered");
            let result = want["result"].as_str().unwrap();
            assert_eq!(row.status, result, "{name} #{i}");
            match result {
                "kept" => {
                    assert_eq!(sorted(row.target.clone()), pairs(&want["labels"]), "{name} #{i} labels");
                    assert_eq!(sorted(row.relabeled.clone()), pairs(&want["relabeled"]), "{name} #{i} relabeled");
                }
                "dropped" => {
                    let rule = row.dropped_by.unwrap_or_else(|| panic!("{name} #{i}: no rule"));
                    // The trace ends at the dropping rule, with no label set after it.
                    let last = row.steps.last().unwrap();
                    assert_eq!((last.rule, &last.labels), (rule, &None), "{name} #{i}");
                    assert!(row.note.starts_with(&format!("dropped by rule {rule} (")), "{}", row.note);
                }
                _ => assert!(want["error"].as_str().unwrap().contains(row.note.rsplit(": ").next().unwrap())),
            }
        }
    }
    assert!(checked >= 300, "only {checked} targets");
}

/// The built-in example: which pods are dropped by which rule, a kept pod's final labels, and
/// its step-by-step trace.
#[test]
fn kubernetes_example() {
    let mut s = Session::new();
    let r = relabel(&mut s, K8S_RULES, None, targets(K8S_TARGETS));
    assert_eq!(r.jobs, ["kubernetes-pods", "node"]);
    assert_eq!(r.job.as_deref(), Some("kubernetes-pods"));
    assert_eq!(r.rules.len(), 9);
    assert_eq!(r.rules[0], r#"line 13: keep [__meta_kubernetes_pod_annotation_prometheus_io_scrape] regex "true""#);
    let v = r.targets.unwrap();
    assert_eq!((v.kept, v.dropped, v.errors), (3, 5, 0));
    // Not annotated for scraping (redis says "false", coredns says nothing): the first rule.
    assert_eq!(pod(&v.rows, "redis-0").dropped_by, Some(1));
    assert_eq!(pod(&v.rows, "redis-0").note, "dropped by rule 1 (keep, line 13)");
    assert_eq!(pod(&v.rows, "coredns-6d4b7-abcde").dropped_by, Some(1));
    // A finished job's pod: the phase rule.
    assert_eq!(pod(&v.rows, "migrate-28391").dropped_by, Some(2));
    // The other shard's pods: the keep after hashmod.
    assert_eq!(pod(&v.rows, "api-7d9f8-m8z1p").dropped_by, Some(9));
    let api = pod(&v.rows, "api-7d9f8-x2k4q");
    assert_eq!(api.status, "kept");
    assert_eq!(
        api.target,
        [
            r#"app="api""#,
            r#"instance="10.2.0.11:9102""#,
            r#"job="kubernetes-pods""#,
            r#"namespace="shop""#,
            r#"pod="api-7d9f8-x2k4q""#,
            r#"team="checkout""#,
            r#"version="v2.3""#,
        ]
    );
    assert!(api.relabeled.contains(&r#"__metrics_path__="/internal/metrics""#.to_string()));
    assert!(api.relabeled.contains(&r#"__tmp_shard="0""#.to_string()));
    // The defaults a scrape job adds come before any rule.
    assert!(api.before.contains(&r#"__scrape_interval__="30s""#.to_string()));
    assert_eq!(api.steps.len(), 9);
    assert_eq!(api.steps[0].changes, Vec::<String>::new());
    assert_eq!(api.steps[3].changes, [r#"~__address__="10.2.0.11:8080" → "10.2.0.11:9102""#]);
    assert_eq!(api.steps[4].action, "labelmap");
    assert_eq!(api.steps[4].changes, [r#"+app="api""#, r#"+team="checkout""#, r#"+version="v2.3""#]);
    // The other job of the file.
    let node = relabel(&mut s, K8S_RULES, Some("node"), targets("- targets: [node-1:9100]\n")).targets.unwrap();
    assert_eq!(node.rows[0].target, [r#"instance="node-1:9100""#, r#"job="node""#, r#"node="node-1""#]);
}

#[test]
fn errors_point_at_line_and_column() {
    let mut s = Session::new();
    let rules = "- source_labels: [a]\n  target_label: b\n- source_labels: [a]\n  target_label: shard\n  action: hashmod\n";
    let r = relabel(&mut s, rules, None, targets("[]"));
    assert_eq!(r.rules_error.as_deref(), Some("5:11: relabel configuration for hashmod requires non-zero modulus"));
    assert!(r.targets.is_none());
    let r = relabel(&mut s, "- action: nope\n", None, targets("[]"));
    assert_eq!(r.rules_error.as_deref(), Some("1:11: unknown relabel action \"nope\""));
    let r = relabel(&mut s, "- target_label: b\n", None, targets("- a: b\n- [x]\n"));
    assert_eq!(r.input_error.as_deref(), Some("targets: 2:3: expected a label map, found !!seq"));
    let r = relabel(&mut s, "[]", None, metric(MetricSource::Pasted { exposition: "a 1\nb{ 2\n".into() }, "", false));
    assert!(r.input_error.as_deref().is_some_and(|e| e.starts_with("exposition: 2:")), "{:?}", r.input_error);
}

/// The classic rule: `[__name__, le]` joined with `_` (`…_bucket_0.1`), buckets below 1 dropped.
/// Loaded as the data pane loads it, with the oracle's target labels; the counts are
/// Prometheus's scrape counters and stored series.
#[test]
fn bucket_drop_over_loaded_data() {
    let g = golden("metric_golden.json");
    let case = &g["cases"][0];
    assert_eq!(case["name"], "classic _bucket drop by [__name__, le]");
    let mut s = Session::new();
    let rules = case["metric_relabel_configs"].as_str().unwrap();
    let target = "{job: oracle, instance: \"oracle-target:9100\"}";
    let r = relabel(&mut s, rules, None, metric(loaded(case["exposition"].as_str().unwrap()), target, false));
    assert_eq!(r.load.as_ref().map(|l| l.as_ref().map(|d| d.samples)), Some(Ok(211)));
    let v = metric_view(r);
    let stored = case["scrape"]["scrape_samples_post_metric_relabeling"].as_u64().unwrap() as usize;
    assert_eq!(v.total, case["scrape"]["scrape_samples_scraped"].as_u64().unwrap() as usize);
    assert_eq!((v.total - v.dropped, v.collided, v.errors), (stored, 0, 0));
    assert_eq!((v.total, v.dropped), (211, 42));
    assert_eq!(v.target_labels, r#"{instance="oracle-target:9100", job="oracle"}"#);
    let golden_count = |metric: &str| {
        case["series"].as_array().unwrap().iter().filter(|s| s["labels"]["__name__"] == metric).count()
    };
    let bucket = "prometheus_http_request_duration_seconds_bucket";
    let row = v.per_metric.iter().find(|m| m.0 == bucket).unwrap();
    assert_eq!(row.2, golden_count(bucket));
    assert!(row.1 > row.2);
    let dropped = v.rows.iter().find(|r| r.status == "dropped").unwrap();
    assert!(dropped.before.contains(r#"le="0.1""#), "{}", dropped.before);
    assert_eq!((dropped.dropped_by, dropped.note.as_str()), (Some(1), "dropped by rule 1 (drop, line 1)"));

    // Loaded into the store: queries now see Prometheus's series.
    let r = relabel(&mut s, rules, None, metric(MetricSource::Loaded { load: None }, target, true));
    let applied = metric_view(r).applied.expect("applied");
    assert_eq!(applied.cardinality.num_series, stored);
    let got = query(&mut s, &format!("count({bucket})"));
    assert_eq!(got[0].1, golden_count(bucket).to_string());
    assert_eq!(query(&mut s, r#"count({le="0.1"})"#).len(), 0);
}

/// `labeldrop device` makes series identical: Prometheus stores the first of each group.
#[test]
fn collisions_first_one_wins() {
    let g = golden("metric_golden.json");
    let case = g["cases"].as_array().unwrap().iter().find(|c| c["name"].as_str().unwrap().starts_with("labeldrop")).unwrap();
    let expo = case["exposition"].as_str().unwrap();
    let mut s = Session::new();
    let r = relabel(
        &mut s,
        case["metric_relabel_configs"].as_str().unwrap(),
        None,
        metric(MetricSource::Pasted { exposition: expo.to_string() }, "{job: oracle, instance: 'oracle-target:9100'}", false),
    );
    let v = metric_view(r);
    let series = case["series"].as_array().unwrap();
    assert_eq!(v.total, 49);
    assert_eq!(v.total - v.collided, series.len());
    assert_eq!(v.collided, v.collisions.iter().map(|c| c.lost.len()).sum::<usize>());
    // The stored value is the first series' value: find it in the exposition by its labels.
    let exposed = formats::parse_auto(expo).unwrap();
    for c in &v.collisions {
        let first = exposed.samples.iter().find(|x| {
            let mut b = x.labels.builder();
            b.set("job", "oracle").set("instance", "oracle-target:9100");
            b.build().to_string() == c.kept
        });
        let first = first.unwrap_or_else(|| panic!("{} not exposed", c.kept));
        let want = series.iter().find(|s| {
            let l: Vec<(String, String)> = s["labels"]
                .as_object()
                .unwrap()
                .iter()
                .map(|(k, v)| (k.clone(), v.as_str().unwrap().to_string()))
                .collect();
            model::Labels::new(l.into_iter().map(|(k, v)| model::Label::new(k, v))).to_string() == c.labels
        });
        let want = want.unwrap_or_else(|| panic!("{} not stored", c.labels));
        assert_eq!(model::format_prom_float(first.value), want["value"].as_str().unwrap(), "{}", c.labels);
        assert!(!c.lost.is_empty());
    }
    let row = v.rows.iter().find(|r| r.status == "collision").unwrap();
    assert!(row.note.starts_with("same labels as "), "{}", row.note);
}

#[test]
fn metric_mode_reads_the_jobs_metric_rules() {
    let mut s = Session::new();
    let data = "# TYPE x histogram\nx_bucket{le=\"0.5\"} 1\nx_bucket{le=\"1.0\"} 2\nx_bucket{le=\"+Inf\"} 2\nx_sum 1\nx_count 2\n";
    let v = metric_view(relabel(&mut s, K8S_RULES, None, metric(loaded(data), "", false)));
    // The scrape job's name is attached as a scrape does.
    assert_eq!(v.target_labels, r#"{job="kubernetes-pods"}"#);
    assert_eq!((v.total, v.dropped, v.changed, v.unchanged), (5, 1, 0, 4));
    assert_eq!(v.per_metric, [("x_bucket".to_string(), 3, 2), ("x_count".to_string(), 1, 1), ("x_sum".to_string(), 1, 1)]);
    let v = metric_view(relabel(&mut s, K8S_RULES, Some("node"), metric(MetricSource::Loaded { load: None }, "", false)));
    assert_eq!(v.target_labels, r#"{job="node"}"#);
    assert_eq!(v.dropped, 0);
    // Without data, metric mode over the store says so.
    let r = relabel(&mut Session::new(), "[]", None, metric(MetricSource::Loaded { load: None }, "", false));
    assert!(r.input_error.is_some_and(|e| e.starts_with("no data loaded")));
    let r = relabel(&mut s, "[]", None, metric(MetricSource::Loaded { load: None }, "[a, b", false));
    assert!(r.input_error.is_some_and(|e| e.starts_with("target labels: ")));
}
