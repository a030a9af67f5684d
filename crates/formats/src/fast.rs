//! The fast path for the line shape that dominates big inputs: a sample of a series already
//! seen, with a plain value and timestamp. Such a line is checked against the series the
//! table predicts ([`SeriesTable::predicted`]) with one byte comparison, and its value and
//! timestamp are read straight from the input, without splitting lines first.
//!
//! It is only an accelerator: a line it does not take in full (a wrong guess, an exemplar, a
//! `\r`, a token that does not parse, a sample the builder refuses) goes to the full parser
//! unchanged, so what is accepted and every error message and position stay the full
//! parser's.
//!
//! [`SeriesTable::predicted`]: crate::series::SeriesTable::predicted

use crate::builder::{Builder, Dialect};
use crate::float::parse_go_float;
use crate::timestamp::{parse_ms, parse_seconds_to_ms};

/// Stores the line starting at byte `pos` if it is a sample of the predicted series in the
/// form the full parser would accept; returns where the next line starts. `None` leaves
/// everything as it was.
pub(crate) fn known_sample(
    b: &mut Builder<'_>,
    input: &str,
    pos: usize,
    line_no: usize,
    dialect: Dialect,
) -> Option<usize> {
    #[cfg(test)]
    if tests::DISABLED.with(std::cell::Cell::get) {
        return None;
    }
    let (text, resolved) = b.series.predicted()?;
    let rest = input.get(pos..)?;
    let line = rest.as_bytes();
    if !starts_with(line, text.as_bytes()) {
        return None;
    }
    let mut i = text.len();
    let tabs = dialect == Dialect::Text;
    // The same series text may begin a line holding another series only when the text is a
    // bare name: text 0.0.4 allows blanks between the name and its braces (`a {x="1"} 5`).
    // A text ending in its closing brace is complete whatever follows.
    let bare = text.as_bytes().last() != Some(&b'}');
    match dialect {
        Dialect::Text => {
            let start = i;
            skip(line, &mut i, tabs);
            if i == start || (bare && line.get(i) == Some(&b'{')) {
                return None;
            }
        }
        Dialect::OpenMetrics => {
            if line.get(i) != Some(&b' ') {
                return None;
            }
            i += 1;
        }
    }
    let value_text = token(rest, &mut i, tabs)?;
    let value = parse_go_float(value_text).ok()?;
    let mut timestamp_ms = None;
    match dialect {
        Dialect::Text => {
            skip(line, &mut i, tabs);
            if !at_line_end(line, i) {
                timestamp_ms = Some(parse_ms(token(rest, &mut i, tabs)?).ok()?);
                skip(line, &mut i, tabs);
            }
        }
        Dialect::OpenMetrics => {
            if line.get(i) == Some(&b' ') {
                i += 1;
                // An exemplar, or a timestamp (that an exemplar may follow): the full parser.
                if line.get(i) == Some(&b'#') {
                    return None;
                }
                timestamp_ms = Some(parse_seconds_to_ms(token(rest, &mut i, tabs)?).ok()?);
            }
        }
    }
    if !at_line_end(line, i) {
        return None;
    }
    b.push(line_no, resolved, value, timestamp_ms, None).ok()?;
    #[cfg(test)]
    tests::HITS.with(|h| h.set(h.get() + 1));
    Some(pos + i + 1)
}

// The helpers below run once per byte or word of every line. The browser build optimises for
// size (opt-level "z"), which leaves even tiny functions out of line; `inline(always)` keeps
// the per-byte loops free of calls there.

/// A space, or a tab where the dialect allows it (text 0.0.4).
#[inline(always)]
fn is_blank(c: u8, tabs: bool) -> bool {
    c == b' ' || (tabs && c == b'\t')
}

/// A non-empty run of bytes up to a blank or the end of the line. Both ends sit next to
/// ASCII bytes (or the end), so slicing the text there needs no UTF-8 validation.
#[inline(always)]
fn token<'l>(line: &'l str, i: &mut usize, tabs: bool) -> Option<&'l str> {
    let start = *i;
    let bytes = line.as_bytes();
    while let Some(&c) = bytes.get(*i) {
        if c == b'\n' || is_blank(c, tabs) {
            break;
        }
        *i += 1;
    }
    line.get(start..*i).filter(|t| !t.is_empty())
}

#[inline(always)]
fn skip(line: &[u8], i: &mut usize, tabs: bool) {
    while let Some(&c) = line.get(*i) {
        if !is_blank(c, tabs) {
            break;
        }
        *i += 1;
    }
}

#[inline(always)]
fn at_line_end(line: &[u8], i: usize) -> bool {
    matches!(line.get(i), None | Some(b'\n'))
}

/// `hay.starts_with(prefix)`, eight bytes at a time: series texts are long (often over 100
/// bytes) and wasm's `memcmp` compares byte by byte.
#[inline(always)]
fn starts_with(hay: &[u8], prefix: &[u8]) -> bool {
    let n = prefix.len();
    if hay.len() < n {
        return false;
    }
    let mut i = 0;
    while i + 8 <= n {
        if word(hay, i) != word(prefix, i) {
            return false;
        }
        i += 8;
    }
    while i < n {
        if hay.get(i) != prefix.get(i) {
            return false;
        }
        i += 1;
    }
    true
}

/// The eight bytes at `i` as one word (0 past the end, which callers never ask for).
#[inline(always)]
fn word(s: &[u8], i: usize) -> u64 {
    match s.get(i..i + 8) {
        Some(&[a, b, c, d, e, f, g, h]) => u64::from_ne_bytes([a, b, c, d, e, f, g, h]),
        _ => 0,
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::{Format, ParseError};
    use std::cell::Cell;

    thread_local! {
        /// Turns the fast path off, to compare against the full parser alone.
        pub(crate) static DISABLED: Cell<bool> = const { Cell::new(false) };
        /// Lines the fast path stored, so the comparison below is known to exercise it.
        pub(crate) static HITS: Cell<usize> = const { Cell::new(0) };
    }

    fn with_fast<T>(on: bool, f: impl FnOnce() -> T) -> T {
        DISABLED.with(|d| d.set(!on));
        let out = f();
        DISABLED.with(|d| d.set(false));
        out
    }

    /// Seeded inputs built to hit the fast path's edges: series texts repeated with the
    /// same and other spellings, blanks and tabs, bare names followed by braces, `\r`,
    /// exemplars, duplicates, time going back, metadata between samples, bad values.
    fn inputs() -> Vec<String> {
        const SERIES: &[&str] = &[
            "a",
            "a1",
            "a{x=\"1\"}",
            "a {x=\"1\"}",
            "a\t{x=\"2\"}",
            "a{x=\"1\",}",
            "b_bucket{le=\"1\"}",
            "b_bucket{le=\"1.0\"}",
            "b_count",
            "{\"c.d\",x=\"y\"}",
            "e{x=\"a b\"}",
            "e{x=\"a\\\"b\"}",
            "ä",
        ];
        const VALUES: &[&str] = &[
            "1",
            "1.5",
            "NaN",
            "+Inf",
            "1e3",
            "x",
            "12345678901234567",
            "1\r",
            "-0",
            "",
        ];
        const TIMES: &[&str] = &[
            "",
            "1000",
            "2000",
            "1.5",
            "-1",
            "1000\r",
            "99999999999999999999",
            "x",
        ];
        const GAPS: &[&str] = &[" ", "\t", "  "];
        const TAILS: &[&str] = &["", " ", " # {t=\"1\"} 2", " x"];
        const META: &[&str] = &[
            "# TYPE b histogram",
            "# TYPE a counter",
            "# HELP a x",
            "# EOF",
            "# UNIT a_seconds seconds",
            "",
            "# other",
        ];
        let mut x: u64 = 0x2545_f491_4f6c_dd1d;
        let mut pick = |n: usize| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            (x % n as u64) as usize
        };
        let mut out = Vec::new();
        for _ in 0..3000 {
            let mut text = String::new();
            for _ in 0..1 + pick(6) {
                if pick(5) == 0 {
                    text.push_str(META[pick(META.len())]);
                    text.push('\n');
                    continue;
                }
                let series = SERIES[pick(SERIES.len())];
                // Mostly well-formed repeats, so the predictor has something to predict.
                let plain = pick(3) != 0;
                for k in 0..1 + pick(4) {
                    let gap = if plain { " " } else { GAPS[pick(GAPS.len())] };
                    let value = if plain {
                        "1"
                    } else {
                        VALUES[pick(VALUES.len())]
                    };
                    let t = if plain {
                        format!("{}", 1000 + k * 1000)
                    } else {
                        TIMES[pick(TIMES.len())].to_string()
                    };
                    text.push_str(series);
                    text.push_str(gap);
                    text.push_str(value);
                    if !t.is_empty() {
                        text.push_str(gap);
                        text.push_str(&t);
                    }
                    if !plain {
                        text.push_str(TAILS[pick(TAILS.len())]);
                    }
                    text.push('\n');
                }
            }
            if pick(2) == 0 {
                text.push_str("# EOF\n");
            }
            if pick(4) == 0 {
                text.pop();
            }
            out.push(text);
        }
        out
    }

    type Parsed = (crate::Exposition, Vec<ParseError>);

    fn all_ways(input: &str) -> Vec<Parsed> {
        let strict = |r: Result<crate::Exposition, ParseError>| match r {
            Ok(e) => (e, Vec::new()),
            Err(e) => (crate::Exposition::default(), vec![e]),
        };
        let mut out = Vec::new();
        for f in [Format::Text, Format::OpenMetrics] {
            out.push(crate::parse_lenient_as(input, f));
            out.push(strict(crate::parse_as(input, f)));
        }
        out.push(crate::parse_lenient(input));
        out.push(strict(crate::parse_auto(input)));
        out
    }

    #[test]
    fn the_fast_path_changes_nothing() {
        let inputs = inputs();
        for input in &inputs {
            let fast = with_fast(true, || all_ways(input));
            let full = with_fast(false, || all_ways(input));
            // NaN values compare unequal: compare their bits through the debug form.
            assert_eq!(format!("{fast:?}"), format!("{full:?}"), "{input:?}");
        }
        let hits = HITS.with(Cell::get);
        assert!(
            hits > 5 * inputs.len(),
            "the fast path took only {hits} lines"
        );
    }

    #[test]
    fn auto_detection_is_detect() {
        for input in inputs() {
            let auto = crate::parse_auto(&input);
            let detected = crate::parse_as(&input, crate::detect(&input));
            assert_eq!(format!("{auto:?}"), format!("{detected:?}"), "{input:?}");
            let lenient = crate::parse_lenient(&input);
            let detected = crate::parse_lenient_as(&input, crate::detect(&input));
            assert_eq!(format!("{lenient:?}"), format!("{detected:?}"), "{input:?}");
        }
    }

    #[test]
    fn prefix_comparison() {
        let long = b"http_requests_total{code=\"200\",handler=\"/\"}";
        assert!(starts_with(
            b"http_requests_total{code=\"200\",handler=\"/\"} 1",
            long
        ));
        assert!(!starts_with(
            b"http_requests_total{code=\"201\",handler=\"/\"} 1",
            long
        ));
        assert!(!starts_with(
            b"http_requests_total{code=\"200\",handler=\"/\"",
            long
        ));
        assert!(starts_with(b"abc", b""));
        assert!(!starts_with(b"abcdefghij", b"abcdefghiJ"));
    }
}
