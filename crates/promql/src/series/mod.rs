//! The series notation of `.test` load blocks: `metric{l="v"} 0+10x5 _ stale {{schema:0 ...}}`
//! (PROMQLTEST_FORMAT.md sections 3.2-3.4). Native-histogram literals are parsed into a plain
//! struct; adding or subtracting them is the caller's business.

use model::{Label, Labels, METRIC_NAME};
use nom::bytes::complete::{take_while, take_while1};
use nom::character::complete::{char, digit1};
use nom::sequence::preceded;
use nom::{IResult, Parser};

mod histogram;

pub use histogram::{CounterResetHint, HistogramLiteral};

use histogram::histogram;

use crate::error::ParseError;
use crate::lexer::{self, is_alnum, is_alpha};
use crate::number;
use crate::quoted;
use crate::span::Span;

#[derive(Clone, Debug, PartialEq)]
pub enum SeriesValue {
    /// `_`: a slot without a sample.
    Omitted,
    Float(f64),
    /// `stale`: a staleness marker.
    Stale,
    Histogram(HistogramLiteral),
    /// Element `index` of `{{start}}+{{delta}}xN` (or `-` when `subtract`): start combined
    /// with `index` deltas, one addition at a time.
    HistogramStep {
        start: Box<HistogramLiteral>,
        delta: Box<HistogramLiteral>,
        subtract: bool,
        index: u64,
    },
}

/// Limit on values from one line, so `1x99999999999` fails instead of exhausting memory.
const MAX_VALUES: u64 = 1_000_000;

pub(super) type Res<'a, T> = Result<(&'a str, T), (usize, String)>;

pub(super) struct Cx<'a> {
    src: &'a str,
}

impl<'a> Cx<'a> {
    pub(super) fn at(&self, rest: &str) -> usize {
        self.src.len() - rest.len()
    }

    pub(super) fn fail<T>(&self, rest: &str, msg: impl Into<String>) -> Res<'a, T> {
        Err((self.at(rest), msg.into()))
    }
}

pub(super) fn spaces(i: &str) -> &str {
    let r: IResult<&str, &str> = take_while(|c| c == ' ' || c == '\t')(i);
    r.map(|(rest, _)| rest).unwrap_or(i)
}

/// Parses one series line into its labels and expanded values.
pub fn parse_series_description(line: &str) -> Result<(Labels, Vec<SeriesValue>), ParseError> {
    let cx = Cx { src: line };
    let run = || -> Result<(Labels, Vec<SeriesValue>), (usize, String)> {
        let (rest, labels) = metric(&cx, spaces(line))?;
        let mut values = Vec::new();
        let mut rest = rest;
        loop {
            let after = spaces(rest);
            if after.is_empty() {
                break;
            }
            if after.len() == rest.len() {
                return Err((cx.at(after), "expected a space between values".to_string()));
            }
            let (r, items) = item(&cx, after)?;
            if values.len() as u64 + items.len() as u64 > MAX_VALUES {
                return Err((
                    cx.at(after),
                    "too many values in series description".to_string(),
                ));
            }
            values.extend(items);
            rest = r;
        }
        Ok((labels, values))
    };
    run().map_err(|(at, msg)| ParseError::new(line, Span::new(at, at), msg))
}

fn metric<'a>(cx: &Cx<'a>, i: &'a str) -> Res<'a, Labels> {
    let mut pairs: Vec<Label> = Vec::new();
    let r: IResult<&str, &str> = take_while1(|c: char| is_alpha(c) || c == ':')
        .and(take_while(|c: char| is_alnum(c) || c == ':'))
        .map(|_| "")
        .parse(i);
    let mut rest = i;
    if let Ok((after, _)) = r {
        pairs.push(Label::new(METRIC_NAME, &i[..i.len() - after.len()]));
        rest = after;
    }
    if let Some(body) = rest.strip_prefix('{') {
        rest = label_set(cx, body, &mut pairs)?;
    } else if pairs.is_empty() {
        return cx.fail(i, "expected a metric name or \"{\"");
    }
    Ok((rest, Labels::new(pairs)))
}

fn label_set<'a>(
    cx: &Cx<'a>,
    mut i: &'a str,
    out: &mut Vec<Label>,
) -> Result<&'a str, (usize, String)> {
    loop {
        i = spaces(i);
        if let Some(r) = i.strip_prefix('}') {
            return Ok(r);
        }
        let (r, name, quoted_name) = label_name(cx, i)?;
        let r = spaces(r);
        let r = match r.strip_prefix('=') {
            Some(r) if !r.starts_with('~') => spaces(r),
            _ if quoted_name => {
                // A lone quoted string is the metric name.
                out.push(Label::new(METRIC_NAME, name));
                i = r;
                match i.chars().next() {
                    Some(',') => i = &i[1..],
                    Some('}') => {}
                    _ => {
                        return Err((cx.at(i), "expected \",\" or \"}\" in label set".to_string()))
                    }
                }
                continue;
            }
            _ => return Err((cx.at(r), "expected \"=\" in label set".to_string())),
        };
        let (r, value) = string(cx, r)?;
        out.push(Label::new(name, value));
        let r = spaces(r);
        i = match r.chars().next() {
            Some(',') => &r[1..],
            Some('}') => r,
            _ => return Err((cx.at(r), "expected \",\" or \"}\" in label set".to_string())),
        };
    }
}

fn label_name<'a>(cx: &Cx<'a>, i: &'a str) -> Result<(&'a str, String, bool), (usize, String)> {
    if i.starts_with(['"', '\'', '`']) {
        let (r, s) = string(cx, i)?;
        return Ok((r, s, true));
    }
    let r: IResult<&str, &str> = take_while1(is_alpha)
        .and(take_while(is_alnum))
        .map(|_| "")
        .parse(i);
    match r {
        Ok((after, _)) => Ok((after, i[..i.len() - after.len()].to_string(), false)),
        Err(_) => Err((cx.at(i), "expected a label name".to_string())),
    }
}

fn string<'a>(cx: &Cx<'a>, i: &'a str) -> Res<'a, String> {
    if !i.starts_with(['"', '\'', '`']) {
        return cx.fail(i, "expected a quoted string");
    }
    match quoted::scan(i) {
        Ok(s) => Ok((&i[s.len..], s.text())),
        Err(m) => cx.fail(i, m),
    }
}

/// `xN` after an item.
fn times(i: &str) -> IResult<&str, &str> {
    preceded(char('x'), digit1).parse(i)
}

fn repeat_count<'a>(cx: &Cx<'a>, i: &'a str) -> Res<'a, Option<u64>> {
    match times(i) {
        Ok((r, n)) => match n.parse::<u64>() {
            Ok(n) if n < MAX_VALUES => Ok((r, Some(n))),
            _ => cx.fail(i, format!("repetition count out of range: {n}")),
        },
        Err(_) => Ok((i, None)),
    }
}

fn item<'a>(cx: &Cx<'a>, i: &'a str) -> Res<'a, Vec<SeriesValue>> {
    if let Some(r) = i.strip_prefix('_') {
        let (r, n) = repeat_count(cx, r)?;
        return end_of_item(cx, r, vec![SeriesValue::Omitted; n.unwrap_or(1) as usize]);
    }
    if let Some(r) = i.strip_prefix("stale") {
        if r.starts_with('x') {
            return cx.fail(r, "stale cannot be repeated");
        }
        return end_of_item(cx, r, vec![SeriesValue::Stale]);
    }
    if i.starts_with("{{") {
        return histogram_item(cx, i);
    }
    let (r, a) = signed_number(cx, i)?;
    if let Some(op) = r.chars().next().filter(|c| *c == '+' || *c == '-') {
        let (r2, b) = signed_number(cx, &r[1..])?;
        let (r3, n) = repeat_count(cx, r2)?;
        let Some(n) = n else {
            return cx.fail(r2, "expected \"x\" and a repetition count");
        };
        let step = if op == '+' { b } else { -b };
        let mut out = Vec::with_capacity(n as usize + 1);
        let mut v = a;
        out.push(SeriesValue::Float(v));
        for _ in 0..n {
            v += step;
            out.push(SeriesValue::Float(v));
        }
        return end_of_item(cx, r3, out);
    }
    let (r, n) = repeat_count(cx, r)?;
    end_of_item(
        cx,
        r,
        vec![SeriesValue::Float(a); n.map_or(1, |n| n + 1) as usize],
    )
}

fn end_of_item<'a>(cx: &Cx<'a>, r: &'a str, v: Vec<SeriesValue>) -> Res<'a, Vec<SeriesValue>> {
    match r.chars().next() {
        None | Some(' ' | '\t') => Ok((r, v)),
        Some(c) => cx.fail(r, format!("unexpected character in series sequence: {c:?}")),
    }
}

/// A number as series descriptions allow: signed, decimal (no hex), `Inf`/`NaN`, or a
/// duration read as seconds.
pub(super) fn signed_number<'a>(cx: &Cx<'a>, i: &'a str) -> Res<'a, f64> {
    let (sign, body) = match i.chars().next() {
        Some('-') => (-1.0, &i[1..]),
        Some('+') => (1.0, &i[1..]),
        _ => (1.0, i),
    };
    let word: IResult<&str, &str> = take_while1(|c: char| c.is_ascii_alphabetic())(body);
    if let Ok((r, w)) = word {
        if w.eq_ignore_ascii_case("inf") || w.eq_ignore_ascii_case("nan") {
            let v = number::parse_number(w).map_err(|m| (cx.at(body), m))?;
            return Ok((r, sign * v));
        }
        return cx.fail(body, format!("unexpected {w:?} in series values"));
    }
    let (n, ok) = lexer::scan_number(body, true);
    if ok && n > 0 {
        let v = number::parse_number(&body[..n])
            .map_err(|m| (cx.at(body), format!("error parsing number: {m}")))?;
        return Ok((&body[n..], sign * v));
    }
    let d: IResult<&str, &str> = take_while1(|c: char| c.is_ascii_alphanumeric())(body);
    if let Ok((r, tok)) = d {
        if let Ok(secs) = number::duration_secs(tok) {
            return Ok((r, sign * secs));
        }
    }
    cx.fail(body, "expected a number")
}

fn histogram_item<'a>(cx: &Cx<'a>, i: &'a str) -> Res<'a, Vec<SeriesValue>> {
    let (r, h) = histogram(cx, i)?;
    if let Some(op) = r.chars().next().filter(|c| *c == '+' || *c == '-') {
        let (r2, d) = histogram(cx, &r[1..])?;
        let (r3, n) = repeat_count(cx, r2)?;
        let Some(n) = n else {
            return cx.fail(r2, "expected \"x\" and a repetition count");
        };
        let (start, delta) = (Box::new(h), Box::new(d));
        let out = (0..=n)
            .map(|index| SeriesValue::HistogramStep {
                start: start.clone(),
                delta: delta.clone(),
                subtract: op == '-',
                index,
            })
            .collect();
        return end_of_item(cx, r3, out);
    }
    let (r, n) = repeat_count(cx, r)?;
    end_of_item(
        cx,
        r,
        vec![SeriesValue::Histogram(h); n.map_or(1, |n| n + 1) as usize],
    )
}

#[cfg(test)]
#[allow(clippy::panic)]
mod tests {
    use super::*;

    fn floats(line: &str) -> Vec<String> {
        match parse_series_description(line) {
            Ok((_, v)) => v
                .iter()
                .map(|v| match v {
                    SeriesValue::Float(f) => crate::printer::format_number(*f),
                    SeriesValue::Omitted => "_".to_string(),
                    SeriesValue::Stale => "stale".to_string(),
                    _ => "h".to_string(),
                })
                .collect(),
            Err(e) => vec![format!("ERR {e}")],
        }
    }

    #[test]
    fn expansions() {
        assert_eq!(floats("m 1+1x3"), ["1", "2", "3", "4"]);
        assert_eq!(floats("m -2+4x3"), ["-2", "2", "6", "10"]);
        assert_eq!(floats("m 1-2x4"), ["1", "-1", "-3", "-5", "-7"]);
        assert_eq!(floats("m 1x3"), ["1", "1", "1", "1"]);
        assert_eq!(floats("m _x3 stale _"), ["_", "_", "_", "stale", "_"]);
        assert_eq!(floats("m 1 +1x2"), ["1", "1", "1", "1"]);
        assert_eq!(
            floats("m Inf -Inf NaN 1_000 010 .5 1e-3"),
            ["+Inf", "-Inf", "NaN", "1000", "8", "0.5", "0.001"]
        );
        assert_eq!(floats("m 5m"), ["300"]);
        assert_eq!(floats("m"), Vec::<String>::new());
    }

    #[test]
    fn errors() {
        assert!(floats("m 1-1")[0].starts_with("ERR"));
        assert!(floats("m stalex2")[0].starts_with("ERR"));
        // No hex in series: `0x10` is zero, repeated.
        assert_eq!(floats("m 0x10").len(), 11);
        assert!(floats("m{a=~\"b\"} 1")[0].starts_with("ERR"));
        assert!(floats("m {{schema:1 schema:2}}")[0].starts_with("ERR"));
        assert!(floats("m {{schema:+1}}")[0].starts_with("ERR"));
        assert!(floats("m {{schema:1.5}}")[0].starts_with("ERR"));
        assert!(floats("m {{z_bucket_w:-1}}")[0].starts_with("ERR"));
        assert!(floats("m {{buckets:[1,2]}}")[0].starts_with("ERR"));
        assert_eq!(
            floats("m {{schema:-53 custom_values:[1 2] buckets:[ 1 Inf -2 ]}}"),
            ["h"]
        );
    }

    #[test]
    fn labels() {
        let (l, _) = parse_series_description("m{a=\"1\", b='2', \"c.d\"=`3`,} 1")
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            l.to_string(),
            Labels::from_pairs([("__name__", "m"), ("a", "1"), ("b", "2"), ("c.d", "3")])
                .to_string()
        );
        let (l, _) =
            parse_series_description("{__name__=\"x\"} 1").unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(l.metric_name(), Some("x"));
        let (l, v) = parse_series_description("{}").unwrap_or_else(|e| panic!("{e}"));
        assert!(l.is_empty() && v.is_empty());
    }

    #[test]
    fn histograms() {
        let (_, v) = parse_series_description(
            "h {{schema:0 sum:5 count:4 buckets:[1 2] offset:-1 counter_reset_hint:gauge}}x1 {{}}+{{sum:2}}x2",
        )
        .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(v.len(), 5);
        let SeriesValue::Histogram(h) = &v[0] else {
            panic!("{v:?}")
        };
        assert_eq!(
            (h.sum, h.count, h.offset, h.buckets.clone()),
            (5.0, 4.0, -1, vec![1.0, 2.0])
        );
        assert_eq!(h.counter_reset_hint, Some(CounterResetHint::Gauge));
        assert!(matches!(
            &v[4],
            SeriesValue::HistogramStep {
                index: 2,
                subtract: false,
                ..
            }
        ));
    }
}
