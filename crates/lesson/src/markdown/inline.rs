//! Inline Markdown: code spans, emphasis, links, backslash escapes. The text is first cut into
//! tokens (code spans and escapes are settled there, so nothing inside them is markup), then
//! emphasis and links are paired over the tokens. Each search for a closer that fails is
//! remembered, so no input makes the pairing quadratic.

use super::escape;

/// Emphasis nested deeper than this shows its delimiters as text.
const MAX_DEPTH: usize = 16;

#[derive(Clone, Debug, PartialEq)]
enum Token {
    Text(String),
    Code(String),
    /// A run of `*` or `_` of length 1 or 2.
    Delim {
        ch: char,
        len: usize,
        open: bool,
        close: bool,
    },
    LBracket,
    /// `](href)`, with the text as written for when no `[` pairs with it.
    Close {
        href: String,
        raw: String,
    },
}

pub fn render(text: &str, out: &mut String) {
    let tokens = tokenize(text);
    emit(&tokens, 0, out);
}

fn tokenize(text: &str) -> Vec<Token> {
    let chars: Vec<char> = text.chars().collect();
    let runs = Runs::new(&chars);
    let mut tokens = Vec::new();
    let mut plain = String::new();
    let mut i = 0;
    let flush = |plain: &mut String, tokens: &mut Vec<Token>| {
        if !plain.is_empty() {
            tokens.push(Token::Text(std::mem::take(plain)));
        }
    };
    while let Some(&c) = chars.get(i) {
        match c {
            '\\' if chars.get(i + 1).is_some_and(char::is_ascii_punctuation) => {
                plain.extend(chars.get(i + 1));
                i += 2;
            }
            '`' => {
                let n = run_len(&chars, i, '`');
                // The next run of exactly n backticks closes the span.
                let close = runs.closer(i);
                match close {
                    Some(end) => {
                        flush(&mut plain, &mut tokens);
                        let inner: String = chars.get(i + n..end).unwrap_or_default().iter().collect();
                        let inner = inner.replace('\n', " ");
                        // One space on both sides is padding ("`` `x` ``").
                        let inner = match inner.strip_prefix(' ').and_then(|s| s.strip_suffix(' ')) {
                            Some(s) if !s.trim().is_empty() => s.to_string(),
                            _ => inner,
                        };
                        tokens.push(Token::Code(inner));
                        i = end + n;
                    }
                    None => {
                        plain.extend(std::iter::repeat_n('`', n));
                        i += n;
                    }
                }
            }
            '*' | '_' => {
                let n = run_len(&chars, i, c);
                if n > 2 {
                    plain.extend(std::iter::repeat_n(c, n));
                    i += n;
                    continue;
                }
                let before = i.checked_sub(1).and_then(|p| chars.get(p)).copied();
                let after = chars.get(i + n).copied();
                let space = |x: Option<char>| x.is_none_or(char::is_whitespace);
                let word = |x: Option<char>| x.is_some_and(char::is_alphanumeric);
                let mut open = !space(after);
                let mut close = !space(before);
                // `_` never works inside a word: `http_requests_total` is a name, not emphasis.
                if c == '_' {
                    open = open && !word(before);
                    close = close && !word(after);
                }
                flush(&mut plain, &mut tokens);
                tokens.push(Token::Delim { ch: c, len: n, open, close });
                i += n;
            }
            '[' => {
                flush(&mut plain, &mut tokens);
                tokens.push(Token::LBracket);
                i += 1;
            }
            ']' => match link_tail(&chars, i) {
                Some((href, end)) => {
                    flush(&mut plain, &mut tokens);
                    tokens.push(Token::Close { href, raw: chars.get(i..end).unwrap_or_default().iter().collect() });
                    i = end;
                }
                None => {
                    plain.push(']');
                    i += 1;
                }
            },
            c => {
                plain.push(c);
                i += 1;
            }
        }
    }
    flush(&mut plain, &mut tokens);
    tokens
}

fn run_len(chars: &[char], i: usize, c: char) -> usize {
    chars.get(i..).unwrap_or_default().iter().take_while(|&&x| x == c).count()
}

/// Backtick runs in text order: for each, its start, its length, and the index of the next run
/// of the same length (the span's closer). Found in two passes, without sorting or hashing,
/// which keeps the worker's wasm small.
struct Runs {
    runs: Vec<(usize, usize, Option<usize>)>,
}

impl Runs {
    fn new(chars: &[char]) -> Runs {
        let mut runs = Vec::new();
        let mut i = 0;
        while let Some(&c) = chars.get(i) {
            if c == '`' {
                let n = run_len(chars, i, '`');
                runs.push((i, n, None));
                i += n;
            } else {
                i += 1;
            }
        }
        let longest = runs.iter().map(|r| r.1).max().unwrap_or(0);
        let mut last: Vec<Option<usize>> = vec![None; longest + 1];
        for k in (0..runs.len()).rev() {
            if let Some(r) = runs.get_mut(k) {
                if let Some(slot) = last.get_mut(r.1) {
                    r.2 = *slot;
                    *slot = Some(k);
                }
            }
        }
        Runs { runs }
    }

    /// The start of the run closing the one that starts at `i`.
    fn closer(&self, i: usize) -> Option<usize> {
        let k = self.runs.partition_point(|r| r.0 < i);
        let next = self.runs.get(k).filter(|r| r.0 == i)?.2?;
        self.runs.get(next).map(|r| r.0)
    }
}

/// `](dest)` or `](dest "title")` at `i`: the destination and the index after `)`.
fn link_tail(chars: &[char], i: usize) -> Option<(String, usize)> {
    if chars.get(i + 1) != Some(&'(') {
        return None;
    }
    let mut j = i + 2;
    while chars.get(j).is_some_and(|c| *c == ' ') {
        j += 1;
    }
    let mut dest = String::new();
    if chars.get(j) == Some(&'<') {
        j += 1;
        loop {
            match chars.get(j)? {
                '>' => break,
                '\n' | '<' => return None,
                &c => dest.push(c),
            }
            j += 1;
        }
        j += 1;
    } else {
        let mut depth = 0usize;
        while let Some(&c) = chars.get(j) {
            match c {
                '(' => depth += 1,
                ')' if depth == 0 => break,
                ')' => depth -= 1,
                c if c.is_whitespace() => break,
                _ => {}
            }
            dest.push(c);
            j += 1;
        }
    }
    while chars.get(j).is_some_and(|c| c.is_whitespace()) {
        j += 1;
    }
    if let Some(&q) = chars.get(j).filter(|c| matches!(c, '"' | '\'')) {
        j += 1;
        while chars.get(j)? != &q {
            j += 1;
        }
        j += 1;
        while chars.get(j).is_some_and(|c| c.is_whitespace()) {
            j += 1;
        }
    }
    (chars.get(j)? == &')').then_some((dest, j + 1))
}

/// Only these leave the page for somewhere known, or move within it.
fn safe_href(href: &str) -> bool {
    let lower = href.to_ascii_lowercase();
    (lower.starts_with("http://") || lower.starts_with("https://") || href.starts_with('#'))
        && !href.chars().any(|c| c.is_control() || c.is_whitespace())
}

fn emit(tokens: &[Token], depth: usize, out: &mut String) {
    // Per delimiter kind (`*`, `**`, `_`, `__`): no closer exists after the position recorded.
    let mut no_closer: [Option<usize>; 4] = [None; 4];
    let kind = |ch: char, len: usize| usize::from(ch == '_') * 2 + len.clamp(1, 2) - 1;
    let mut i = 0;
    while let Some(t) = tokens.get(i) {
        i += 1;
        match t {
            Token::Text(s) => escape(s, out),
            Token::Code(s) => {
                out.push_str("<code>");
                escape(s, out);
                out.push_str("</code>");
            }
            Token::Delim { ch, len, open, .. } => {
                let start = i - 1;
                let closer = if *open
                    && depth < MAX_DEPTH
                    && no_closer.get(kind(*ch, *len)).copied().flatten().is_none_or(|p| p > start)
                {
                    let found = tokens.get(i..).unwrap_or_default().iter().position(
                        |t| matches!(t, Token::Delim { ch: c, len: l, close: true, .. } if c == ch && l == len),
                    );
                    if let (None, Some(slot)) = (found, no_closer.get_mut(kind(*ch, *len))) {
                        *slot = Some(start);
                    }
                    found.map(|p| p + i).filter(|&p| p > i)
                } else {
                    None
                };
                match closer {
                    Some(end) => {
                        let tag = if *len == 2 { "strong" } else { "em" };
                        out.push_str(&format!("<{tag}>"));
                        emit(tokens.get(i..end).unwrap_or_default(), depth + 1, out);
                        out.push_str(&format!("</{tag}>"));
                        i = end + 1;
                    }
                    None => out.extend(std::iter::repeat_n(*ch, *len)),
                }
            }
            Token::LBracket => {
                // Link texts hold no brackets: the next bracket token decides.
                let next = tokens
                    .get(i..)
                    .unwrap_or_default()
                    .iter()
                    .position(|t| matches!(t, Token::LBracket | Token::Close { .. }))
                    .map(|p| p + i);
                match next.and_then(|j| tokens.get(j).map(|t| (j, t))) {
                    Some((j, Token::Close { href, .. })) => {
                        let text = tokens.get(i..j).unwrap_or_default();
                        if safe_href(href) {
                            out.push_str("<a href=\"");
                            escape(href, out);
                            out.push('"');
                            if !href.starts_with('#') {
                                out.push_str(" target=\"_blank\" rel=\"noopener noreferrer\"");
                            }
                            out.push('>');
                            emit(text, depth + 1, out);
                            out.push_str("</a>");
                        } else {
                            emit(text, depth + 1, out);
                        }
                        i = j + 1;
                    }
                    _ => out.push('['),
                }
            }
            Token::Close { raw, .. } => escape(raw, out),
        }
    }
}
