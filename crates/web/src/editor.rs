//! The query editor's text logic, free of the DOM: the highlighted HTML drawn under the
//! textarea from the worker's analysis, caret offsets between the browser's UTF-16 and Rust's
//! UTF-8, applying a completion, and the recent-queries list.

use protocol::Analysis;

use crate::components::escape;

/// How many recent queries are kept.
pub const HISTORY_LEN: usize = 20;

/// The query as HTML: each token in its class's span, the parse error's stretch underlined.
/// An analysis of an older text may not fit the current one: stretches that do not are skipped.
pub fn highlight_html(text: &str, a: Option<&Analysis>) -> String {
    let mut cuts: Vec<usize> = vec![0, text.len()];
    if let Some(a) = a {
        for t in &a.tokens {
            cuts.extend([t.start, t.end]);
        }
        if let Some((s, e, _)) = &a.error {
            cuts.extend([*s, *e]);
        }
    }
    cuts.retain(|&c| c <= text.len() && text.is_char_boundary(c));
    model::sort::sort(&mut cuts);
    cuts.dedup();
    let mut out = String::with_capacity(text.len() * 2);
    for w in cuts.windows(2) {
        let (s, e) = (w[0], w[1]);
        let Some(piece) = text.get(s..e) else { continue };
        let class = a
            .and_then(|a| a.tokens.iter().find(|t| t.start <= s && e <= t.end && t.end <= text.len()))
            .map(|t| t.class.css());
        let error = a.and_then(|a| a.error.as_ref()).is_some_and(|(es, ee, _)| *es <= s && e <= *ee);
        let classes = match (class, error) {
            (Some(c), true) => Some(format!("{c} t-error")),
            (Some(c), false) => Some(c.to_string()),
            (None, true) => Some("t-error".to_string()),
            (None, false) => None,
        };
        match classes {
            Some(c) => {
                out.push_str("<span class=\"");
                out.push_str(&c);
                out.push_str("\">");
                escape(&mut out, piece);
                out.push_str("</span>");
            }
            None => escape(&mut out, piece),
        }
    }
    // A final newline needs a line after it, or the overlay is one line short of the textarea.
    out.push('\n');
    out
}

/// The byte offset of a UTF-16 caret position (what `selectionStart` reports).
pub fn byte_offset(text: &str, utf16: usize) -> usize {
    let mut units = 0;
    for (i, c) in text.char_indices() {
        if units >= utf16 {
            return i;
        }
        units += c.len_utf16();
    }
    text.len()
}

/// The UTF-16 position of a byte offset, for setting the caret.
pub fn utf16_offset(text: &str, byte: usize) -> usize {
    text.get(..byte.min(text.len())).map_or(0, |s| s.encode_utf16().count())
}

/// The text with `[from, cursor)` replaced by `insert`, and the new caret (bytes).
pub fn apply_completion(text: &str, from: usize, cursor: usize, insert: &str) -> Option<(String, usize)> {
    let (head, tail) = (text.get(..from)?, text.get(cursor..)?);
    Some((format!("{head}{insert}{tail}"), from + insert.len()))
}

/// The history with `query` moved (or added) to the front.
pub fn remember(history: &mut Vec<String>, query: &str) {
    let query = query.trim();
    if query.is_empty() {
        return;
    }
    history.retain(|q| q != query);
    history.insert(0, query.to_string());
    history.truncate(HISTORY_LEN);
}

#[cfg(test)]
mod tests {
    use super::*;
    use protocol::{TokenClass, TokenSpan};

    #[test]
    fn highlight_wraps_tokens_and_the_error() {
        let a = Analysis {
            tokens: vec![
                TokenSpan { start: 0, end: 3, class: TokenClass::Function },
                TokenSpan { start: 4, end: 6, class: TokenClass::Metric },
            ],
            error: Some((6, 7, "1:7: parse error".to_string())),
            ..Analysis::default()
        };
        assert_eq!(
            highlight_html("sum(up<", Some(&a)),
            "<span class=\"t-function\">sum</span>(<span class=\"t-metric\">up</span><span class=\"t-error\">&lt;</span>\n"
        );
        assert_eq!(highlight_html("a<b", None), "a&lt;b\n");
        // A stale analysis reaching past the text is ignored where it does not fit.
        let stale = Analysis { tokens: vec![TokenSpan { start: 0, end: 40, class: TokenClass::Metric }], ..Analysis::default() };
        assert_eq!(highlight_html("up", Some(&stale)), "up\n");
    }

    #[test]
    fn caret_offsets_round_trip_through_utf16() {
        let text = "a{é=\"😀\"}x";
        for (byte, _) in text.char_indices().chain([(text.len(), ' ')]) {
            assert_eq!(byte_offset(text, utf16_offset(text, byte)), byte);
        }
        assert_eq!(byte_offset(text, 100), text.len());
    }

    #[test]
    fn completion_replaces_the_word() {
        assert_eq!(apply_completion("sum(ra)", 4, 6, "rate("), Some(("sum(rate()".to_string(), 9)));
        assert_eq!(apply_completion("x", 5, 6, "y"), None);
    }

    #[test]
    fn history_is_recent_first_and_unique() {
        let mut h = vec!["a".to_string(), "b".to_string()];
        remember(&mut h, " b ");
        remember(&mut h, "");
        assert_eq!(h, ["b", "a"]);
        for i in 0..30 {
            remember(&mut h, &i.to_string());
        }
        assert_eq!(h.len(), HISTORY_LEN);
        assert_eq!(h[0], "29");
    }
}
