//! The parsers are total: seeded random bytes and random mutations of the real sample files
//! never panic, strict and lenient agree on the first error, and every error position lies
//! inside the input.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

/// xorshift64*: deterministic, dependency-free.
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
}

const ALPHABET: &[u8] = b"{}=,\"\\ \t\n#_:.aZ09eE+-xpINnf";
const TOKENS: &[&str] = &[
    "# EOF\n", "# TYPE ", "# HELP ", "# UNIT ", " # {", "le=\"", "NaN", "+Inf", "_bucket",
    "_total", "\\\"", "\r\n", "ä", "\"a.b\"",
];

fn check(input: &str) {
    let lines = input.split('\n').count() + 1;
    for format in [formats::Format::Text, formats::Format::OpenMetrics] {
        let strict = formats::parse_as(input, format);
        let (exp, errors) = formats::parse_lenient_as(input, format);
        match (&strict, errors.first()) {
            (Ok(_), None) => {}
            (Err(e), Some(f)) => assert_eq!(e, f, "strict/lenient first error differ on {input:?}"),
            _ => panic!("strict {strict:?} vs lenient {errors:?} on {input:?}"),
        }
        for e in &errors {
            assert!(
                e.line >= 1 && e.line <= lines && e.col >= 1,
                "{e} out of range for {input:?}"
            );
        }
        for s in &exp.samples {
            assert!(s.line >= 1 && s.line <= lines);
        }
    }
    let _ = formats::parse_auto(input);
}

fn mutate(rng: &mut Rng, base: &[u8]) -> Vec<u8> {
    let mut v = base.to_vec();
    for _ in 0..1 + rng.below(8) {
        let at = rng.below(v.len() + 1);
        match rng.below(5) {
            0 if !v.is_empty() => {
                v.remove(at.min(v.len() - 1));
            }
            1 => v.insert(at, ALPHABET[rng.below(ALPHABET.len())]),
            2 => {
                let t = TOKENS[rng.below(TOKENS.len())].as_bytes();
                v.splice(at..at, t.iter().copied());
            }
            3 if !v.is_empty() => {
                let i = at.min(v.len() - 1);
                v[i] = rng.next() as u8;
            }
            _ => {
                let end = (at + rng.below(40)).min(v.len());
                let chunk: Vec<u8> = v[at.min(end)..end].to_vec();
                let to = rng.below(v.len() + 1);
                v.splice(to..to, chunk);
            }
        }
    }
    v
}

#[test]
fn random_bytes_never_panic() {
    let mut rng = Rng(0x5eed_0001);
    for _ in 0..3000 {
        let len = rng.below(120);
        let bytes: Vec<u8> = (0..len)
            .map(|_| ALPHABET[rng.below(ALPHABET.len())])
            .collect();
        check(&String::from_utf8_lossy(&bytes));
        let raw: Vec<u8> = (0..len).map(|_| rng.next() as u8).collect();
        match formats::decode_utf8(&raw) {
            Ok(s) => check(s),
            Err(e) => assert!(e.line >= 1 && e.col >= 1),
        }
    }
}

#[test]
fn mutated_sample_files_never_panic() {
    let mut rng = Rng(0x5eed_0002);
    let files = [
        "node_exporter.prom",
        "prometheus.prom",
        "blackbox_probe_tcp_closed.prom",
        "capture-curated.om",
    ];
    for name in files {
        let text = common::read(name);
        // Mutate windows of whole lines so each check stays small and fast.
        let lines: Vec<&str> = text.lines().collect();
        for _ in 0..400 {
            let start = rng.below(lines.len());
            let n = 1 + rng.below(30);
            let mut window = lines[start..(start + n).min(lines.len())].join("\n");
            window.push('\n');
            if name.ends_with(".om") {
                window.push_str("# EOF\n");
            }
            let bytes = mutate(&mut rng, window.as_bytes());
            match std::str::from_utf8(&bytes) {
                Ok(s) => check(s),
                Err(_) => {
                    let e = formats::decode_utf8(&bytes).unwrap_err();
                    assert!(e.line >= 1 && e.col >= 1);
                    check(&String::from_utf8_lossy(&bytes));
                }
            }
        }
    }
}

#[test]
fn lenient_keeps_the_valid_lines() {
    let input = "good 1\nbad{ 2\n# TYPE good gauge\nother{a=\"b\"} 3\nx 1 2 3\n";
    let (exp, errors) = formats::parse_lenient(input);
    let shown: Vec<String> = errors.iter().map(ToString::to_string).collect();
    assert_eq!(
        shown,
        [
            "2:6: expected label name, got \"2\"",
            "3:8: second TYPE line for metric name \"good\", or TYPE reported after samples",
            "5:7: expected next entry after timestamp, got \"3\""
        ]
    );
    let names: Vec<String> = exp.samples.iter().map(|s| s.labels.to_string()).collect();
    assert_eq!(names, ["good", "other{a=\"b\"}"]);
}

#[test]
fn lenient_openmetrics_reports_missing_eof_and_keeps_samples() {
    let (exp, errors) = formats::parse_lenient_as("a 1\nb x\nc 3\n", formats::Format::OpenMetrics);
    let shown: Vec<String> = errors.iter().map(ToString::to_string).collect();
    assert_eq!(
        shown,
        [
            "2:3: strconv.ParseFloat: parsing \"x\": invalid syntax",
            "4:1: data does not end with # EOF"
        ]
    );
    assert_eq!(exp.samples.len(), 2);
}

#[test]
fn rejected_lines_leave_no_implicit_family() {
    let (exp, errors) =
        formats::parse_lenient_as("a{x=\"1\",x=\"2\"} 1\nb 2\n", formats::Format::Text);
    assert_eq!(errors.len(), 1);
    let names: Vec<&str> = exp.families.iter().map(|f| f.name.as_str()).collect();
    assert_eq!(names, ["b"]);
    let (exp, errors) = formats::parse_lenient_as(
        "a 1 # {x=\"1\",x=\"2\"} 1\na 2\n# EOF\n",
        formats::Format::OpenMetrics,
    );
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert_eq!(exp.samples.len(), 1);
    assert_eq!(exp.families.len(), 1);
}

#[test]
fn a_cached_name_is_not_mistaken_for_a_longer_series() {
    // `a` is known when the second line comes, but its series is `a{x="1"}` (text 0.0.4
    // allows blanks between the name and the braces).
    let exp = formats::parse_text("a 1\na {x=\"1\"} 5\na\t{x=\"2\"} 6 1000\n").unwrap();
    let names: Vec<String> = exp.samples.iter().map(|s| s.labels.to_string()).collect();
    assert_eq!(names, ["a", "a{x=\"1\"}", "a{x=\"2\"}"]);
}
