//! The editor's language services: highlighting classes for the query text, the parse error's
//! span, and completions for the word at the caret from the function table and the loaded data.
//!
//! Highlighting is a forgiving scan, not the parser: it must colour half-typed queries too. The
//! parse error comes from the real parser, so it is exactly what Run would report.

use protocol::{Analysis, Completion, CompletionContext, TokenClass, TokenSpan};

const AGGREGATIONS: [&str; 15] = [
    "avg", "bottomk", "count", "count_values", "group", "limit_ratio", "limitk", "max", "min", "quantile", "stddev",
    "stdvar", "sum", "topk", "sort_by_label",
];
const KEYWORDS: [&str; 14] = [
    "by", "without", "on", "ignoring", "group_left", "group_right", "bool", "offset", "and", "or", "unless", "atan2",
    "start", "end",
];
/// How many completions the popup lists.
const MAX_COMPLETIONS: usize = 60;

pub fn analyze(query: &str, cursor: usize, db: Option<&tsdb::Storage>) -> Analysis {
    let scan = scan(query);
    let error = promql::parse(query).err().map(|e| (e.span.start, e.span.end.max(e.span.start + 1), e.to_string()));
    let cursor = floor_char_boundary(query, cursor.min(query.len()));
    let (completion_from, completions, context) = complete(query, cursor, &scan, db);
    Analysis { tokens: scan.tokens, error, completions, completion_from, context }
}

fn floor_char_boundary(s: &str, mut i: usize) -> usize {
    while i > 0 && !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

fn is_ident_start(c: char) -> bool {
    c == '_' || c == ':' || c.is_ascii_alphabetic()
}

fn is_ident(c: char) -> bool {
    is_ident_start(c) || c.is_ascii_digit()
}

/// Where the scan found the caret's context.
#[derive(Default)]
struct Scan {
    tokens: Vec<TokenSpan>,
    /// Byte ranges inside `{…}` and inside grouping lists (`by (…)`): label names go there.
    label_zones: Vec<(usize, usize)>,
    /// The metric name written before each `{`, by the brace's offset.
    brace_metrics: Vec<(usize, Option<String>)>,
}

fn scan(q: &str) -> Scan {
    let b = q.as_bytes();
    let mut out = Scan::default();
    let mut i = 0;
    // Open `{` or grouping `(`: (offset, is_brace).
    let mut open: Vec<(usize, bool)> = Vec::new();
    let mut grouping_next = false;
    let mut last_metric: Option<String> = None;
    let push = |out: &mut Scan, start: usize, end: usize, class: TokenClass| out.tokens.push(TokenSpan { start, end, class });
    while i < b.len() {
        let c = b[i] as char;
        let start = i;
        let in_labels = open.last().is_some_and(|o| o.1) || open.last().is_some_and(|o| !o.1 && o.0 != usize::MAX);
        match c {
            '#' => {
                i = q[i..].find('\n').map_or(b.len(), |n| i + n);
                push(&mut out, start, i, TokenClass::Comment);
            }
            '"' | '\'' | '`' => {
                i += 1;
                while i < b.len() && b[i] as char != c {
                    i += if b[i] == b'\\' && c != '`' { 2 } else { 1 };
                }
                i = (i + 1).min(b.len());
                push(&mut out, start, i, TokenClass::String);
            }
            '{' => {
                open.push((i, true));
                out.brace_metrics.push((i, last_metric.take()));
                i += 1;
            }
            '(' => {
                // A grouping list holds label names; any other parenthesis holds expressions.
                open.push((if grouping_next { i } else { usize::MAX }, false));
                grouping_next = false;
                i += 1;
            }
            '}' | ')' => {
                if let Some((at, brace)) = open.pop() {
                    if brace || at != usize::MAX {
                        out.label_zones.push((at + 1, i));
                    }
                }
                i += 1;
            }
            c if c.is_ascii_digit() || (c == '.' && b.get(i + 1).is_some_and(u8::is_ascii_digit)) => {
                while i < b.len() && (b[i].is_ascii_alphanumeric() || b[i] == b'.') {
                    i += 1;
                }
                let text = &q[start..i];
                let hex = text.starts_with("0x") || text.starts_with("0X");
                let unit = text.ends_with(['s', 'm', 'h', 'd', 'w', 'y']);
                push(&mut out, start, i, if unit && !hex { TokenClass::Duration } else { TokenClass::Number });
            }
            c if is_ident_start(c) => {
                while i < b.len() && is_ident(b[i] as char) {
                    i += 1;
                }
                let word = &q[start..i];
                let next = q[i..].trim_start().chars().next();
                let class = if in_labels {
                    TokenClass::Label
                } else if KEYWORDS.contains(&word) {
                    grouping_next = matches!(word, "by" | "without" | "on" | "ignoring" | "group_left" | "group_right");
                    TokenClass::Keyword
                } else if AGGREGATIONS.contains(&word) && matches!(next, Some('(' | 'b' | 'w')) {
                    TokenClass::Aggregation
                } else if promql::function(word).is_some() && next == Some('(') {
                    TokenClass::Function
                } else if matches!(word.to_ascii_lowercase().as_str(), "inf" | "nan") {
                    TokenClass::Number
                } else {
                    last_metric = Some(word.to_string());
                    TokenClass::Metric
                };
                if class != TokenClass::Metric && class != TokenClass::Keyword {
                    last_metric = None;
                }
                push(&mut out, start, i, class);
            }
            '+' | '-' | '*' | '/' | '%' | '^' | '=' | '!' | '<' | '>' | '@' => {
                i += 1;
                if i < b.len() && matches!(b[i], b'=' | b'~') {
                    i += 1;
                }
                push(&mut out, start, i, if c == '@' { TokenClass::Keyword } else { TokenClass::Operator });
            }
            _ => i += q[i..].chars().next().map_or(1, char::len_utf8),
        }
    }
    // Zones still open at the end (the user is typing inside them) run to the end.
    for (at, brace) in open {
        if brace || at != usize::MAX {
            out.label_zones.push((at + 1, q.len()));
        }
    }
    out
}

/// The completions for the word ending at `cursor`, where that word starts, and what it names.
fn complete(q: &str, cursor: usize, scan: &Scan, db: Option<&tsdb::Storage>) -> (usize, Vec<Completion>, CompletionContext) {
    // Inside a string: complete the label value for the label named before `=`.
    if let Some(t) = scan.tokens.iter().find(|t| t.class == TokenClass::String && t.start < cursor && cursor <= t.end) {
        let quote = q.as_bytes()[t.start];
        let terminated = t.end >= t.start + 2 && q.as_bytes()[t.end - 1] == quote;
        if terminated && cursor == t.end {
            return (cursor, Vec::new(), CompletionContext::None);
        }
        // A value typed into a string not closed yet closes it, and the caret lands after it.
        let closing = if terminated { "" } else { &q[t.start..t.start + 1] };
        let from = t.start + 1;
        let prefix = &q[from..cursor];
        let before = q[..t.start].trim_end().trim_end_matches(['=', '~', '!']).trim_end();
        let label = before.rsplit(|c: char| !is_ident(c)).next().unwrap_or("");
        let mut items: Vec<Completion> = db
            .map(|db| db.label_values(label))
            .unwrap_or_default()
            .into_iter()
            .filter(|(v, _)| v.starts_with(prefix))
            .map(|(v, n)| Completion {
                label: v.to_string(),
                kind: "value".to_string(),
                detail: format!("{n} series"),
                insert: format!("{}{closing}", model::escape_quoted(v)),
            })
            .collect();
        if items.len() == 1 && items[0].label == prefix && terminated {
            items.clear();
        }
        items.truncate(MAX_COMPLETIONS);
        let context =
            CompletionContext::LabelValue { label: label.to_string(), prefix: prefix.to_string(), closing: closing.to_string() };
        return (from, items, context);
    }
    let from = q[..cursor].char_indices().rev().take_while(|(_, c)| is_ident(*c)).last().map_or(cursor, |(i, _)| i);
    let prefix = &q[from..cursor];
    let in_zone = scan.label_zones.iter().find(|z| z.0 <= from && cursor <= z.1);
    let mut items = Vec::new();
    let context;
    if let Some(zone) = in_zone {
        context = CompletionContext::LabelName { prefix: prefix.to_string() };
        // The metric before the brace narrows label names to that metric's.
        let metric = scan.brace_metrics.iter().find(|m| m.0 + 1 == zone.0).and_then(|m| m.1.clone());
        for name in label_names(db, metric.as_deref()) {
            if name.starts_with(prefix) && name != "__name__" {
                items.push(Completion { label: name.clone(), kind: "label".into(), detail: String::new(), insert: name });
            }
        }
    } else {
        if prefix.is_empty() {
            return (cursor, Vec::new(), CompletionContext::None);
        }
        context = CompletionContext::Expression { prefix: prefix.to_string() };
        for f in promql::functions() {
            if f.name.starts_with(prefix) && !AGGREGATIONS.contains(&f.name) {
                items.push(Completion {
                    label: f.name.to_string(),
                    kind: "function".into(),
                    detail: format!("{} — {}", signature(f), f.description),
                    insert: format!("{}(", f.name),
                });
            }
        }
        for a in AGGREGATIONS.iter().filter(|a| a.starts_with(prefix) && promql::function(a).is_none()) {
            items.push(Completion { label: a.to_string(), kind: "aggregation".into(), detail: aggregation_detail(a).into(), insert: format!("{a}(") });
        }
        for k in KEYWORDS.iter().filter(|k| k.starts_with(prefix)) {
            items.push(Completion { label: k.to_string(), kind: "keyword".into(), detail: String::new(), insert: k.to_string() });
        }
        if let Some(db) = db {
            for (name, n) in db.label_values("__name__") {
                if name.starts_with(prefix) {
                    items.push(Completion {
                        label: name.to_string(),
                        kind: "metric".into(),
                        detail: format!("{n} series"),
                        insert: name.to_string(),
                    });
                }
            }
        }
    }
    // An exact match alone is no suggestion.
    if items.len() == 1 && items[0].label == prefix {
        items.clear();
    }
    items.truncate(MAX_COMPLETIONS);
    (from, items, context)
}

fn label_names(db: Option<&tsdb::Storage>, metric: Option<&str>) -> Vec<String> {
    let Some(db) = db else { return Vec::new() };
    let Some(metric) = metric else {
        return db.label_names().into_iter().map(str::to_string).collect();
    };
    let Ok(m) = model::Matcher::new(model::MatchOp::Equal, "__name__", metric) else { return Vec::new() };
    let mut names: Vec<String> = Vec::new();
    for s in db.select(&[m], i64::MIN, i64::MAX) {
        for l in s.labels.iter() {
            if !names.contains(&l.name) {
                names.push(l.name.clone());
            }
        }
    }
    model::sort::sort(&mut names);
    names
}

/// `rate(range vector) → instant vector`, from the signature table.
fn signature(f: &promql::FunctionSig) -> String {
    let args: Vec<&str> = f.arg_types.iter().map(|t| t.documented()).collect();
    let more = if f.variadic != 0 { ", …" } else { "" };
    format!("{}({}{more}) → {}", f.name, args.join(", "), f.return_type.documented())
}

fn aggregation_detail(a: &str) -> &'static str {
    match a {
        "sum" => "sum over dimensions",
        "avg" => "average over dimensions",
        "count" => "count of elements in the vector",
        "min" => "minimum over dimensions",
        "max" => "maximum over dimensions",
        "group" => "all values in the resulting vector are 1",
        "stddev" => "population standard deviation over dimensions",
        "stdvar" => "population standard variance over dimensions",
        "topk" => "largest k elements by sample value",
        "bottomk" => "smallest k elements by sample value",
        "quantile" => "φ-quantile (0 ≤ φ ≤ 1) over dimensions",
        "count_values" => "count number of elements with the same value",
        "limitk" => "sample k elements (experimental)",
        "limit_ratio" => "sample a ratio of elements (experimental)",
        _ => "aggregation",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn classes(q: &str) -> Vec<(&str, TokenClass)> {
        scan(q).tokens.iter().map(|t| (&q[t.start..t.end], t.class)).collect()
    }

    fn store() -> tsdb::Storage {
        let text = "http_requests_total{job=\"api\",code=\"200\"} 1\nhttp_requests_total{job=\"db\",code=\"500\"} 1\nup{job=\"api\"} 1\n";
        session_store(text)
    }

    fn session_store(text: &str) -> tsdb::Storage {
        crate::load::load_text(text, 0).map(|(db, _)| db).unwrap_or_default()
    }

    #[test]
    fn highlighting_classes() {
        use TokenClass::*;
        assert_eq!(
            classes(r#"sum by (job) (rate(http_requests_total{code=~"5.."}[5m])) > 0.5 # slow"#),
            vec![
                ("sum", Aggregation),
                ("by", Keyword),
                ("job", Label),
                ("rate", Function),
                ("http_requests_total", Metric),
                ("code", Label),
                ("=~", Operator),
                (r#""5..""#, String),
                ("5m", Duration),
                (">", Operator),
                ("0.5", Number),
                ("# slow", Comment),
            ]
        );
        assert_eq!(classes("x offset 1h @ 100"), vec![("x", Metric), ("offset", Keyword), ("1h", Duration), ("@", Keyword), ("100", Number)]);
    }

    #[test]
    fn parse_error_span_and_text() {
        let a = analyze("sum(up", 6, None);
        let (start, end, msg) = a.error.unwrap_or_default();
        assert!(msg.starts_with("1:"), "{msg}");
        assert!(start <= 6 && end > start);
        assert_eq!(analyze("up", 2, None).error, None);
    }

    #[test]
    fn completes_functions_metrics_and_keywords() {
        let db = store();
        let a = analyze("ra", 2, Some(&db));
        assert_eq!(a.completion_from, 0);
        let labels: Vec<&str> = a.completions.iter().map(|c| c.label.as_str()).collect();
        assert!(labels.contains(&"rate") && labels.contains(&"rad"), "{labels:?}");
        let rate = a.completions.iter().find(|c| c.label == "rate");
        assert_eq!(rate.map(|c| c.insert.as_str()), Some("rate("));
        assert!(rate.is_some_and(|c| c.detail.starts_with("rate(range vector) → instant vector — ")), "{rate:?}");
        let a = analyze("sum(http", 8, Some(&db));
        assert_eq!(a.completions.iter().map(|c| c.label.as_str()).collect::<Vec<_>>(), ["http_requests_total"]);
        assert_eq!(a.completions[0].detail, "2 series");
    }

    #[test]
    fn completes_label_names_of_the_metric_and_values() {
        let db = store();
        let q = "up{";
        let a = analyze(q, q.len(), Some(&db));
        assert_eq!(a.completions.iter().map(|c| c.label.as_str()).collect::<Vec<_>>(), ["job"]);
        let q = "http_requests_total{co";
        let a = analyze(q, q.len(), Some(&db));
        assert_eq!(a.completions.iter().map(|c| c.label.as_str()).collect::<Vec<_>>(), ["code"]);
        assert_eq!(a.completion_from, q.len() - 2);
        let q = r#"http_requests_total{code="5"#;
        let a = analyze(q, q.len(), Some(&db));
        assert_eq!(a.completions.iter().map(|c| c.label.as_str()).collect::<Vec<_>>(), ["500"]);
        assert_eq!(a.completion_from, q.len() - 1);
        // The string is not closed yet: the value closes it, so the list does not open again.
        assert_eq!(a.completions[0].insert, r#"500""#);
        let q = r#"http_requests_total{code='5"#;
        assert_eq!(analyze(q, q.len(), Some(&db)).completions[0].insert, "500'");
        // Inside a closed string only the value is put in; the value alone, typed out, is no news.
        let q = r#"http_requests_total{code="5"}"#;
        assert_eq!(analyze(q, q.len() - 2, Some(&db)).completions[0].insert, "500");
        let q = r#"http_requests_total{code="500"}"#;
        assert!(analyze(q, q.len() - 2, Some(&db)).completions.is_empty());
        let q = "sum by (j) (up)";
        let a = analyze(q, 9, Some(&db));
        assert_eq!(a.completions.iter().map(|c| c.label.as_str()).collect::<Vec<_>>(), ["job"]);
    }

    #[test]
    fn says_what_the_word_names() {
        let db = store();
        let ctx = |q: &str, at: usize| analyze(q, at, Some(&db)).context;
        assert_eq!(ctx("sum(http", 8), CompletionContext::Expression { prefix: "http".into() });
        assert_eq!(ctx("up{jo", 5), CompletionContext::LabelName { prefix: "jo".into() });
        assert_eq!(ctx("sum by (", 8), CompletionContext::LabelName { prefix: String::new() });
        let q = r#"up{job="no"#;
        let value = |prefix: &str, closing: &str| CompletionContext::LabelValue {
            label: "job".into(),
            prefix: prefix.into(),
            closing: closing.into(),
        };
        assert_eq!(ctx(q, q.len()), value("no", "\""));
        assert_eq!(ctx(r#"up{job="no"}"#, 10), value("no", ""));
        // Nothing typed outside a selector, or after a closed string: nothing to complete.
        assert_eq!(ctx("sum(", 4), CompletionContext::None);
        let q = r#"up{job="x""#;
        assert_eq!(ctx(q, q.len()), CompletionContext::None);
        // Without data the context is still given: the page may know names the worker does not.
        assert_eq!(analyze("proc", 4, None).context, CompletionContext::Expression { prefix: "proc".into() });
    }

    #[test]
    fn never_panics_on_odd_input() {
        for q in ["", "{", "\"", "sum(", "é{\"", "a{b=\"\\", "((((", "}}))", "1e", "0x", "`", "#"] {
            for c in 0..=q.len() + 2 {
                let _ = analyze(q, c, Some(&store()));
            }
        }
    }
}
