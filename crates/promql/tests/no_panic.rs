//! Fuzz-like robustness: random token soup, mutated corpus lines and random bytes never make
//! the parser (or the series parser) panic, loop, or take long. A seeded generator keeps
//! failures reproducible.

#![allow(clippy::panic)]

mod common;

use std::time::{Duration, Instant};

/// xorshift64*: tiny, deterministic, good enough to shuffle tokens.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

const TOKENS: &[&str] = &[
    "foo",
    "bar:baz",
    "{",
    "}",
    "(",
    ")",
    "[",
    "]",
    ",",
    ":",
    "=",
    "!=",
    "=~",
    "!~",
    "==",
    "<",
    ">",
    "<=",
    ">=",
    "</",
    ">/",
    "+",
    "-",
    "*",
    "/",
    "%",
    "^",
    "@",
    "\"a\"",
    "'b'",
    "`c`",
    "\"\\x",
    "1",
    "1.5",
    "0x1f",
    "1e3",
    "5m",
    "1h30m",
    "Inf",
    "NaN",
    "sum",
    "rate",
    "topk",
    "count_values",
    "by",
    "without",
    "on",
    "ignoring",
    "group_left",
    "group_right",
    "bool",
    "offset",
    "and",
    "or",
    "unless",
    "atan2",
    "start()",
    "end()",
    "step()",
    "range()",
    "min_of",
    "anchored",
    "smoothed",
    "fill",
    "fill_left",
    "fill_right",
    "info",
    "label_replace",
    "#c\n",
    " ",
    "\n",
    "\t",
    "é",
    "{{",
    "}}",
    "_",
    "x",
];

fn assert_fast(input: &str) {
    let start = Instant::now();
    let parsed = promql::parse(input);
    if let Ok(e) = &parsed {
        // Whatever parses must print to something that parses to the same tree.
        let printed = e.to_string();
        match promql::parse(&printed) {
            Ok(again) => assert!(
                common::same_tree(e, &again),
                "{input:?} -> {printed:?} changed the tree"
            ),
            Err(err) => panic!("{input:?} printed as {printed:?} which fails: {err}"),
        }
        let _ = promql::format(e);
    }
    if let Err(e) = &parsed {
        assert!(
            e.span.start <= input.len() && e.span.end <= input.len(),
            "{input:?}: span {:?}",
            e.span
        );
    }
    let _ = promql::parse_series_description(input);
    assert!(
        start.elapsed() < Duration::from_secs(2),
        "slow on {input:?}"
    );
}

#[test]
fn random_token_streams() {
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    for _ in 0..20_000 {
        let n = 1 + rng.below(12);
        let mut s = String::new();
        for _ in 0..n {
            s.push_str(TOKENS[rng.below(TOKENS.len())]);
            if rng.below(3) == 0 {
                s.push(' ');
            }
        }
        assert_fast(&s);
    }
}

#[test]
fn mutated_corpus_lines() {
    let text = common::read_data("corpus.promql");
    let lines: Vec<&str> = text.lines().collect();
    let mut rng = Rng(42);
    for _ in 0..20_000 {
        let line = lines[rng.below(lines.len())];
        let mut bytes: Vec<char> = line.chars().collect();
        for _ in 0..1 + rng.below(3) {
            match rng.below(3) {
                0 if !bytes.is_empty() => {
                    let i = rng.below(bytes.len());
                    bytes.remove(i);
                }
                1 => {
                    let t: Vec<char> = TOKENS[rng.below(TOKENS.len())].chars().collect();
                    let i = rng.below(bytes.len() + 1);
                    bytes.splice(i..i, t);
                }
                _ if !bytes.is_empty() => {
                    let (i, j) = (rng.below(bytes.len()), rng.below(bytes.len()));
                    bytes.swap(i, j);
                }
                _ => {}
            }
        }
        assert_fast(&bytes.into_iter().collect::<String>());
    }
}

#[test]
fn random_bytes() {
    let mut rng = Rng(7);
    for _ in 0..20_000 {
        let n = rng.below(40);
        let bytes: Vec<u8> = (0..n).map(|_| (rng.next() & 0xff) as u8).collect();
        assert_fast(&String::from_utf8_lossy(&bytes));
    }
}

#[test]
fn deep_nesting_is_an_error_not_a_crash() {
    let chained = format!("x{}", "[1m:]".repeat(100_000));
    assert!(promql::parse(&chained).is_err());
    for open in ["(", "-", "sum(", "rate(x[1m:1m]", "x + (", "[("] {
        let s = open.repeat(100_000);
        let start = Instant::now();
        assert!(promql::parse(&s).is_err());
        assert!(start.elapsed() < Duration::from_secs(5));
    }
    // Just inside the limit, a tree must still check, print, format and re-parse.
    for (open, inner, close, n) in [
        ("(", "1", ")", 95),
        ("abs(", "x", ")", 45),
        ("-", "x", "", 95),
    ] {
        let s = format!("{}{inner}{}", open.repeat(n), close.repeat(n));
        assert!(promql::parse(&s).is_ok(), "{open} x {n}");
        assert_fast(&s);
    }
}
