//! The native-histogram literal of series descriptions: `{{schema:0 sum:5 buckets:[1 2]}}`
//! (PROMQLTEST_FORMAT.md section 3.4), parsed into a plain struct.

use nom::bytes::complete::{tag, take_while1};
use nom::character::complete::{char, digit1};
use nom::combinator::opt;
use nom::{IResult, Parser};

use super::{signed_number, spaces, Cx, Res};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CounterResetHint {
    Unknown,
    Reset,
    NotReset,
    Gauge,
}

/// A `{{...}}` literal. Buckets are absolute counts; one span per side.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct HistogramLiteral {
    pub schema: i32,
    pub sum: f64,
    pub count: f64,
    pub zero_count: f64,
    pub zero_threshold: f64,
    pub offset: i32,
    pub buckets: Vec<f64>,
    pub n_offset: i32,
    pub n_buckets: Vec<f64>,
    pub custom_values: Vec<f64>,
    /// `None` when not written (compares as "not given").
    pub counter_reset_hint: Option<CounterResetHint>,
}

pub(super) fn histogram<'a>(cx: &Cx<'a>, i: &'a str) -> Res<'a, HistogramLiteral> {
    let open: IResult<&str, &str> = tag("{{")(i);
    let Ok((mut r, _)) = open else {
        return cx.fail(i, "expected \"{{\"");
    };
    let mut h = HistogramLiteral::default();
    let mut seen: Vec<&str> = Vec::new();
    loop {
        r = spaces(r);
        if let Some(after) = r.strip_prefix("}}") {
            return Ok((after, h));
        }
        let key: IResult<&str, &str> =
            take_while1(|c: char| c.is_ascii_alphabetic() || c == '_')(r);
        let Ok((after_key, key)) = key else {
            return cx.fail(
                r,
                format!(
                    "histogram description incomplete unexpected: {:?}",
                    r.chars().next().unwrap_or(' ')
                ),
            );
        };
        let Some(after_colon) = after_key.strip_prefix(':') else {
            return cx.fail(after_key, "missing `:` for histogram descriptor");
        };
        if seen.contains(&key) {
            return cx.fail(
                r,
                format!("duplicate key \"{key}\" in histogram specification"),
            );
        }
        seen.push(key);
        r = match key {
            "schema" | "offset" | "n_offset" => {
                let (r2, v) = int(cx, after_colon)?;
                match key {
                    "schema" => h.schema = v,
                    "offset" => h.offset = v,
                    _ => h.n_offset = v,
                }
                r2
            }
            "sum" | "count" | "z_bucket" | "z_bucket_w" => {
                // The zero bucket's width takes no sign (`number`, not `signed_or_unsigned_number`).
                if key == "z_bucket_w" && after_colon.starts_with(['+', '-']) {
                    return cx.fail(
                        after_colon,
                        "expected a number without a sign for z_bucket_w",
                    );
                }
                let (r2, v) = signed_number(cx, after_colon)?;
                match key {
                    "sum" => h.sum = v,
                    "count" => h.count = v,
                    "z_bucket" => h.zero_count = v,
                    _ => h.zero_threshold = v,
                }
                r2
            }
            "buckets" | "n_buckets" | "custom_values" => {
                let (r2, list) = bucket_list(cx, after_colon)?;
                match key {
                    "buckets" => h.buckets = list,
                    "n_buckets" => h.n_buckets = list,
                    _ => h.custom_values = list,
                }
                r2
            }
            "counter_reset_hint" => {
                let w: IResult<&str, &str> =
                    take_while1(|c: char| c.is_ascii_alphabetic() || c == '_')(after_colon);
                let Ok((r2, w)) = w else {
                    return cx.fail(after_colon, "expected a counter reset hint");
                };
                h.counter_reset_hint = Some(match w {
                    "unknown" => CounterResetHint::Unknown,
                    "reset" => CounterResetHint::Reset,
                    "not_reset" => CounterResetHint::NotReset,
                    "gauge" => CounterResetHint::Gauge,
                    _ => {
                        return cx.fail(
                            after_colon,
                            format!("bad histogram descriptor found: {w:?}"),
                        )
                    }
                });
                r2
            }
            _ => return cx.fail(r, format!("bad histogram descriptor found: {key:?}")),
        };
    }
}

/// `int`: an optional `-` and decimal digits (no `+`, no fraction), as in the histogram grammar.
fn int<'a>(cx: &Cx<'a>, i: &'a str) -> Res<'a, i32> {
    let r: IResult<&str, (Option<char>, &str)> = (opt(char('-')), digit1).parse(i);
    let Ok((rest, (neg, digits))) = r else {
        return cx.fail(i, "expected an integer");
    };
    if rest.starts_with(|c: char| c.is_ascii_alphanumeric() || c == '.') {
        return cx.fail(i, "expected an integer");
    }
    match digits.parse::<i32>() {
        Ok(v) => Ok((rest, if neg.is_some() { -v } else { v })),
        Err(_) => cx.fail(i, format!("invalid integer: {digits}")),
    }
}

fn bucket_list<'a>(cx: &Cx<'a>, i: &'a str) -> Res<'a, Vec<f64>> {
    let Some(mut r) = i.strip_prefix('[') else {
        return cx.fail(i, "expected \"[\"");
    };
    let mut out = Vec::new();
    loop {
        r = spaces(r);
        if let Some(after) = r.strip_prefix(']') {
            return Ok((after, out));
        }
        if r.is_empty() {
            return cx.fail(r, "unterminated bucket list");
        }
        let (r2, v) = signed_number(cx, r)?;
        out.push(v);
        // Entries are separated by spaces only.
        if !r2.starts_with([' ', '\t', ']']) {
            return cx.fail(r2, "expected a space or \"]\" in bucket list");
        }
        r = r2;
    }
}
