//! How Prometheus names a token in "unexpected ..." messages (`Item.desc()`).

use crate::lexer::{Tok, Token};
use crate::quoted::go_quote_bytes;

const KEYWORDS: [&str; 10] = [
    "offset",
    "smoothed",
    "anchored",
    "by",
    "without",
    "on",
    "ignoring",
    "group_left",
    "group_right",
    "bool",
];
const AGGREGATORS: [&str; 14] = [
    "sum",
    "avg",
    "count",
    "min",
    "max",
    "group",
    "stddev",
    "stdvar",
    "topk",
    "bottomk",
    "count_values",
    "quantile",
    "limitk",
    "limit_ratio",
];
const WORD_OPERATORS: [&str; 4] = ["and", "or", "unless", "atan2"];
const PREPROCESSORS: [&str; 3] = ["start", "end", "step"];

/// Go's `%q`, and `%.10q...` for values longer than ten bytes, as `Item.String` does.
fn quote_val(val: &str) -> String {
    if val.len() > 10 {
        let cut: String = val.chars().take(10).collect();
        format!("{}...", go_quote_bytes(cut.as_bytes()))
    } else {
        go_quote_bytes(val.as_bytes())
    }
}

pub fn describe(src: &str, t: &Token<'_>) -> String {
    let text = src.get(t.start..t.end).unwrap_or("");
    match &t.tok {
        Tok::Eof => "end of input".to_string(),
        Tok::Ident(s) => {
            let lower = s.to_ascii_lowercase();
            if KEYWORDS.contains(&lower.as_str()) {
                format!("<{s}>")
            } else if AGGREGATORS.contains(&lower.as_str()) {
                format!("<aggr:{s}>")
            } else if WORD_OPERATORS.contains(&lower.as_str()) {
                format!("<op:{s}>")
            } else if PREPROCESSORS.contains(&lower.as_str()) {
                quote_val(s)
            } else if lower == "inf" || lower == "nan" {
                format!("number {}", quote_val(s))
            } else {
                format!("identifier {}", go_quote_bytes(s.as_bytes()))
            }
        }
        Tok::MetricIdent(s) => format!("metric identifier {}", go_quote_bytes(s.as_bytes())),
        Tok::Number(s) => format!("number {}", quote_val(s)),
        Tok::Duration(s) => format!("duration {}", quote_val(s)),
        Tok::Str => format!("string {}", quote_val(text)),
        Tok::Add
        | Tok::Sub
        | Tok::Mul
        | Tok::Div
        | Tok::Mod
        | Tok::Pow
        | Tok::Eqlc
        | Tok::Neq
        | Tok::Lss
        | Tok::Lte
        | Tok::TrimUpper
        | Tok::TrimLower
        | Tok::Gtr
        | Tok::Gte
        | Tok::EqlRegex
        | Tok::NeqRegex
        | Tok::At => format!("<op:{text}>"),
        _ => go_quote_bytes(text.as_bytes()),
    }
}
