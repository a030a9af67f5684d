//! Seeded random YAML, rules and label sets must never panic the crate (the browser tab would
//! die): bounded, deterministic, no extra dependencies.

#![allow(clippy::panic, clippy::unwrap_used, clippy::expect_used)] // test code fails loudly

use model::{Label, Labels};
use relabel::{
    load, parse_targets, process, relabel_samples, relabel_target, trace, ScrapeSettings, ScrapedSample, Section,
};

/// xorshift64*: tiny and deterministic.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }
}

const NAMES: [&str; 9] = ["a", "b", "__name__", "__address__", "job", "__meta_x", "é.ü", "le", ""];
const VALUES: [&str; 10] = ["", "x", "foo-bar", "a\nb", "1.5", "ünï", "$1", "${", "10.0.0.1:80", "a;b"];
const REGEXES: [&str; 14] = [
    "(.*)",
    "",
    "(a)|(b)",
    "(?P<n>.+)-(\\d)",
    "[",
    "(",
    "\\",
    "a{2,}",
    "[[:alpha:]]+",
    "(?i)X",
    "[^\\d]",
    "\\b",
    ".*\\z",
    "(?s:.)+",
];
const TEMPLATES: [&str; 11] = ["$1", "${1}", "$n", "$1x", "$$", "$", "${", "${n}_x", "", "static", "${2}${1}"];
const ACTIONS: [&str; 13] = [
    "replace",
    "keep",
    "drop",
    "keepequal",
    "dropequal",
    "hashmod",
    "labelmap",
    "labeldrop",
    "labelkeep",
    "lowercase",
    "uppercase",
    "Replace",
    "bogus",
];
const FIELDS: [&str; 8] =
    ["source_labels", "separator", "regex", "modulus", "target_label", "replacement", "action", "extra"];

fn quote(s: &str) -> String {
    format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\"").replace('\n', "\\n"))
}

fn random_rule(r: &mut Rng) -> String {
    let mut out = String::from("-");
    let n = r.below(5) + 1;
    for _ in 0..n {
        let field = r.pick(&FIELDS);
        let value = match field {
            "source_labels" => {
                format!("[{}]", (0..r.below(3)).map(|_| quote(r.pick(&NAMES))).collect::<Vec<_>>().join(", "))
            }
            "regex" => quote(r.pick(&REGEXES)),
            "modulus" => r.pick(&["0", "1", "7", "-1", "x", "18446744073709551615"]).to_string(),
            "target_label" | "replacement" => quote(r.pick(&TEMPLATES)),
            "action" => r.pick(&ACTIONS).to_string(),
            _ => quote(r.pick(&VALUES)),
        };
        out.push_str(&format!(" {field}: {value}\n "));
    }
    out.push('\n');
    out
}

fn random_labels(r: &mut Rng) -> Labels {
    Labels::new((0..r.below(6)).map(|_| Label::new(r.pick(&NAMES), r.pick(&VALUES))))
}

#[test]
fn random_rules_and_labels_never_panic() {
    let mut r = Rng(0x5eed_1234_abcd_0001);
    let mut valid = 0;
    for _ in 0..3000 {
        let doc: String = (0..r.below(4) + 1).map(|_| random_rule(&mut r)).collect();
        let Ok(loaded) = load(&doc, Section::Target, None) else { continue };
        valid += 1;
        for _ in 0..5 {
            let input = random_labels(&mut r);
            let _ = process(&input, &loaded.rules);
            let _ = trace(&input, &loaded.rules);
            let _ = relabel_target(&input, &ScrapeSettings::default(), &loaded.rules);
            let samples = [ScrapedSample {
                labels: input.clone(),
                value: 1.0,
                timestamp_ms: None,
                exposed_empty: vec!["job".into()],
            }];
            let _ = relabel_samples(&samples, &random_labels(&mut r), r.below(2) == 0, &loaded.rules);
        }
    }
    assert!(valid > 100, "the generator should produce valid configs too ({valid})");
}

#[test]
fn random_yaml_text_never_panics() {
    let pieces = [
        "- ",
        ":",
        " ",
        "\n",
        "  ",
        "[",
        "]",
        "{",
        "}",
        ",",
        "'",
        "\"",
        "&a ",
        "*a",
        "!!str ",
        "#",
        "|",
        ">",
        "---",
        "...",
        "relabel_configs",
        "scrape_configs",
        "job_name",
        "action",
        "regex",
        "x",
        "?",
        "%",
        "\t",
        "é",
    ];
    let mut r = Rng(0x0dd_ba11);
    for _ in 0..5000 {
        let text: String = (0..r.below(40)).map(|_| pieces[r.below(pieces.len())]).collect();
        let _ = load(&text, Section::Target, None);
        let _ = load(&text, Section::Metric, Some("x"));
        let _ = parse_targets(&text);
    }
}

#[test]
fn deep_nesting_is_refused_not_a_crash() {
    let deep = format!("{}{}", "[".repeat(5000), "]".repeat(5000));
    assert!(load(&deep, Section::Target, None).is_err());
}
