//! Hand-checked Prometheus 3.x behaviours that the 2.42 oracle cannot confirm (shared/oracle
//! README, section 5), plus action details worth pinning down with derived-by-hand values.

#![allow(clippy::panic, clippy::unwrap_used, clippy::expect_used)] // test code fails loudly

use model::Labels;
use relabel::{load, process, relabel_target, NameScheme, ScrapeSettings, Section, TargetResult};

fn rules(yaml: &str) -> Vec<relabel::Rule> {
    load(yaml, Section::Target, None).unwrap_or_else(|e| panic!("{e}")).rules
}

fn run(yaml: &str, input: &[(&str, &str)]) -> Option<Labels> {
    process(&Labels::from_pairs(input.iter().copied()), &rules(yaml))
}

fn l(pairs: &[(&str, &str)]) -> Labels {
    Labels::from_pairs(pairs.iter().copied())
}

#[test]
fn empty_result_deletes_the_expanded_target() {
    // 2.42 deleted the literal "${1}" (a no-op); 3.x deletes label "foo".
    let y = "- source_labels: [a]\n  regex: (.*)-(.*)\n  target_label: ${1}\n  replacement: $2\n";
    assert_eq!(run(y, &[("a", "foo-"), ("foo", "x")]), Some(l(&[("a", "foo-")])));
    assert_eq!(run(y, &[("a", "foo-bar")]), Some(l(&[("a", "foo-bar"), ("foo", "bar")])));
}

#[test]
fn invalid_expanded_target_is_a_no_op() {
    // `${1}` expands to "" here, which is no label name: 3.x leaves everything alone.
    let y = "- source_labels: [a]\n  regex: (x?)-(.*)\n  target_label: ${1}\n  replacement: $2\n";
    assert_eq!(run(y, &[("a", "-v")]), Some(l(&[("a", "-v")])));
}

#[test]
fn utf8_label_names() {
    let y = "- source_labels: [a]\n  target_label: service.name\n- regex: k8s\\.(.+)\n  action: labelmap\n  replacement: kube/$1\n";
    let got = run(y, &[("a", "v"), ("k8s.pod", "p")]).unwrap_or_else(|| panic!("dropped"));
    assert_eq!(got.get("service.name"), Some("v"));
    assert_eq!(got.get("kube/pod"), Some("p"));
}

#[test]
fn legacy_scheme_from_prometheus_yml() {
    let y = "global:\n  metric_name_validation_scheme: legacy\nscrape_configs:\n- job_name: j\n  relabel_configs:\n  - target_label: service.name\n    replacement: x\n";
    let e = load(y, Section::Target, None).err().unwrap_or_else(|| panic!("accepted"));
    assert_eq!(e.to_string(), "6:19: \"service.name\" is invalid 'target_label' for replace action");
    let ok = load(&y.replace("service.name", "service_name"), Section::Target, None).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(ok.scheme, NameScheme::Legacy);
}

#[test]
fn dot_matches_newline() {
    assert!(run("- source_labels: [a]\n  regex: a.b\n  action: keep\n", &[("a", "a\nb")]).is_some());
}

#[test]
fn regexes_are_fully_anchored() {
    let y = "- source_labels: [a]\n  regex: foo|bar\n  action: keep\n";
    assert!(run(y, &[("a", "bar")]).is_some());
    assert!(run(y, &[("a", "foobar")]).is_none());
    assert!(run(y, &[("a", "xbar")]).is_none());
}

#[test]
fn go_expand_semantics() {
    let y = "- source_labels: [a]\n  regex: (p)(rod)\n  target_label: t\n  replacement: $1x-${1}x-$$1-${2}\n";
    assert_eq!(run(y, &[("a", "prod")]).and_then(|r| r.get("t").map(str::to_string)).as_deref(), Some("-px-$1-rod"));
    let named =
        "- source_labels: [a]\n  regex: (?P<env>[a-z]+)-(?P<n>\\d+)\n  target_label: t\n  replacement: $env/${n}\n";
    assert_eq!(run(named, &[("a", "prod-7")]).and_then(|r| r.get("t").map(str::to_string)).as_deref(), Some("prod/7"));
}

#[test]
fn missing_source_labels_read_as_empty() {
    let y = "- source_labels: [x, a, y]\n  target_label: t\n";
    assert_eq!(run(y, &[("a", "v")]).and_then(|r| r.get("t").map(str::to_string)).as_deref(), Some(";v;"));
    // With no source value at all, the default regex matches "" and `$1` is "": t is deleted.
    let del = "- source_labels: [x]\n  target_label: a\n";
    assert_eq!(run(del, &[("a", "v")]), Some(Labels::empty()));
}

#[test]
fn hashmod_values_derived_by_hand() {
    // Python: int.from_bytes(md5(s).digest()[8:], "big") % m.
    assert_eq!(relabel::hashmod("10.0.0.1:8080", 4), 0);
    assert_eq!(relabel::hashmod("a;b", 1000), 74);
    assert_eq!(relabel::hashmod("", 7), 1);
    let y = "- source_labels: [a, b]\n  modulus: 1000\n  target_label: shard\n  action: hashmod\n";
    assert_eq!(
        run(y, &[("a", "a"), ("b", "b")]).and_then(|r| r.get("shard").map(str::to_string)).as_deref(),
        Some("74")
    );
}

#[test]
fn keepequal_and_dropequal() {
    let keep = "- source_labels: [a]\n  target_label: b\n  action: keepequal\n";
    assert!(run(keep, &[("a", "1"), ("b", "1")]).is_some());
    assert!(run(keep, &[("a", "1"), ("b", "2")]).is_none());
    assert!(run(keep, &[]).is_some(), "both missing read as equal");
    let drop = "- source_labels: [a]\n  target_label: b\n  action: dropequal\n";
    assert!(run(drop, &[("a", "1"), ("b", "1")]).is_none());
}

#[test]
fn case_actions() {
    let y = "- source_labels: [a]\n  target_label: lo\n  action: lowercase\n- source_labels: [a]\n  target_label: up\n  action: uppercase\n";
    let got = run(y, &[("a", "MiXed-Ä")]).unwrap_or_else(|| panic!("dropped"));
    assert_eq!(got.get("lo"), Some("mixed-ä"));
    assert_eq!(got.get("up"), Some("MIXED-Ä"));
}

#[test]
fn labelmap_later_writes_win_in_go_order() {
    // Untouched input labels are visited in name order, then labels set by earlier rules.
    let y = "- target_label: a_k\n  replacement: from_rule\n- regex: (.)_k\n  replacement: k\n  action: labelmap\n";
    let got = run(y, &[("z_k", "input")]).unwrap_or_else(|| panic!("dropped"));
    assert_eq!(got.get("k"), Some("from_rule"));
}

#[test]
fn labeldrop_and_labelkeep() {
    let drop = "- regex: __meta_.*|tmp\n  action: labeldrop\n";
    assert_eq!(run(drop, &[("__meta_x", "1"), ("tmp", "2"), ("keep", "3")]), Some(l(&[("keep", "3")])));
    let keep = "- regex: keep|__address__\n  action: labelkeep\n";
    assert_eq!(
        run(keep, &[("__address__", "a:1"), ("tmp", "2"), ("keep", "3")]),
        Some(l(&[("__address__", "a:1"), ("keep", "3")]))
    );
}

#[test]
fn port_less_address_is_left_alone() {
    // 2.42 appended :80; 3.x keeps the address (and instance) as written.
    let out = relabel_target(&l(&[("__address__", "example.com")]), &ScrapeSettings::default(), &[]);
    let TargetResult::Kept { target, .. } = out.result else { panic!("{:?}", out.result) };
    assert_eq!(target.get("instance"), Some("example.com"));
}

#[test]
fn target_param_wins_over_config_params() {
    let s = ScrapeSettings { params: vec![("module".into(), vec!["cfg".into()])], ..ScrapeSettings::default() };
    let own = relabel_target(&l(&[("__address__", "a:1"), ("__param_module", "mine")]), &s, &[]);
    assert_eq!(own.discovered.get("__param_module"), Some("mine"));
    let none = relabel_target(&l(&[("__address__", "a:1")]), &s, &[]);
    assert_eq!(none.discovered.get("__param_module"), Some("cfg"));
}

#[test]
fn target_errors() {
    let s = ScrapeSettings::default();
    let slash = relabel_target(&l(&[("__address__", "http://a:1/x")]), &s, &[]);
    assert!(
        matches!(slash.result, TargetResult::Error { ref message, .. } if message == "\"http://a:1/x\" is not a valid hostname")
    );
    let slow = relabel_target(&l(&[("__address__", "a:1"), ("__scrape_timeout__", "2m")]), &s, &[]);
    assert!(
        matches!(slow.result, TargetResult::Error { ref message, .. } if message == "scrape timeout cannot be greater than scrape interval (\"2m\" > \"1m\")"),
        "{:?}",
        slow.result
    );
}

#[test]
fn trace_records_every_step_and_the_dropping_rule() {
    let y = "- target_label: a\n  replacement: x\n- source_labels: [b]\n  regex: nothing\n  target_label: c\n- source_labels: [a]\n  regex: x\n  action: drop\n- target_label: never\n  replacement: y\n";
    let t = relabel::trace(&l(&[("b", "1")]), &rules(y));
    assert_eq!(t.steps.len(), 3);
    assert!(t.steps[0].changed);
    assert!(!t.steps[1].changed);
    assert_eq!(t.steps[2].labels_after, None);
    assert_eq!(t.dropped_by(), Some(2));
}

#[test]
fn config_errors_point_at_the_yaml() {
    let cases = [
        (
            "- action: labeldrop\n  source_labels: [a]\n",
            "2:18: labeldrop action requires only 'regex', and no other fields",
        ),
        ("- action: hashmod\n  target_label: t\n", "1:11: relabel configuration for hashmod requires non-zero modulus"),
        (
            "- action: hashmod\n  target_label: t\n  modulus: 0\n",
            "3:12: relabel configuration for hashmod requires non-zero modulus",
        ),
        (
            "- action: lowercase\n  source_labels: [a]\n",
            "1:11: relabel configuration for lowercase action requires 'target_label' value",
        ),
        (
            "- action: uppercase\n  target_label: t\n  replacement: x\n",
            "3:16: 'replacement' can not be set for uppercase action",
        ),
        ("- action: labelmap\n  replacement: ''\n", "2:16: \"\" is invalid 'replacement' for labelmap action"),
        ("- action: nope\n", "1:11: unknown relabel action \"nope\""),
        ("- target_label: x\n  regex: '[a'\n", "2:10: error parsing regexp: unclosed character class"),
        ("- target_label: x\n  sourcelabels: [a]\n", "2:3: field sourcelabels not found in type relabel.plain"),
        ("- target_label: x\n  modulus: -1\n", "2:12: cannot unmarshal !!int `-1` into uint64"),
        ("- source_labels: a\n  target_label: x\n", "1:18: cannot unmarshal !!str `a` into model.LabelNames"),
    ];
    for (y, want) in cases {
        let got = load(y, Section::Target, None).err().map(|e| e.to_string());
        assert_eq!(got.as_deref(), Some(want), "{y}");
    }
}

#[test]
fn action_names_are_case_insensitive() {
    assert!(run("- source_labels: [a]\n  regex: x\n  action: DROP\n", &[("a", "x")]).is_none());
}
