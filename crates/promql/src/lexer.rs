//! PromQL tokens, recognised on demand with nom, in the lexical state the parser is in.
//!
//! Prometheus's lexer is stateful (inside braces keywords are plain label names; inside
//! brackets `:` separates range and step). Here the parser asks for the next token in a
//! [`Mode`], which keeps the states explicit and lets each token be a small nom parser.

use nom::branch::alt;
use nom::bytes::complete::{tag, take_while, take_while1};
use nom::character::complete::{char, one_of};
use nom::combinator::{opt, recognize, value};
use nom::sequence::pair;
use nom::IResult;
use nom::Parser;

use crate::quoted;

/// Where in the grammar we are lexing.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    /// Top level: keywords, metric names with `:`, operators.
    Normal,
    /// Inside `{...}` of a selector: label names, matcher operators, strings.
    Braces,
    /// Inside `[...]`: durations, `:`, duration functions.
    Bracket,
}

#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Tok<'a> {
    Eof,
    /// Identifier without `:`; keywords are identifiers here and classified by the parser.
    Ident(&'a str),
    /// Identifier containing `:` (recording-rule style metric name).
    MetricIdent(&'a str),
    Number(&'a str),
    Duration(&'a str),
    /// A string literal; the value is decoded on demand from the span.
    Str,
    LParen,
    RParen,
    LBrace,
    RBrace,
    LBracket,
    RBracket,
    Comma,
    Colon,
    At,
    Add,
    Sub,
    Mul,
    Div,
    Mod,
    Pow,
    Eqlc,
    Neq,
    Lss,
    Lte,
    TrimUpper,
    TrimLower,
    Gtr,
    Gte,
    Eql,
    EqlRegex,
    NeqRegex,
}

/// A token and where it is: `start..end` are byte offsets into the whole input.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Token<'a> {
    pub tok: Tok<'a>,
    pub start: usize,
    pub end: usize,
}

/// A lexical error; `at` is its byte offset.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LexError {
    pub at: usize,
    pub message: String,
}

pub fn is_alpha(c: char) -> bool {
    c == '_' || c.is_ascii_alphabetic()
}

pub fn is_alnum(c: char) -> bool {
    is_alpha(c) || c.is_ascii_digit()
}

fn is_space(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\n' | '\r')
}

/// Skips whitespace and `#` line comments.
pub fn skip_trivia(src: &str, mut pos: usize) -> usize {
    loop {
        let rest = src.get(pos..).unwrap_or("");
        let r: IResult<&str, &str> = take_while1(is_space)(rest);
        if let Ok((after, _)) = r {
            pos = src.len() - after.len();
            continue;
        }
        if rest.starts_with('#') {
            let r: IResult<&str, &str> = take_while(|c| c != '\n' && c != '\r')(rest);
            if let Ok((after, _)) = r {
                pos = src.len() - after.len();
                continue;
            }
        }
        return pos;
    }
}

fn identifier(i: &str) -> IResult<&str, &str> {
    recognize(pair(take_while1(is_alpha), take_while(is_alnum))).parse(i)
}

fn metric_identifier(i: &str) -> IResult<&str, &str> {
    recognize(pair(
        take_while1(|c| is_alpha(c) || c == ':'),
        take_while(|c| is_alnum(c) || c == ':'),
    ))
    .parse(i)
}

fn operator(i: &str) -> IResult<&str, Tok<'_>> {
    alt((
        value(Tok::Eqlc, tag("==")),
        value(Tok::TrimUpper, tag("</")),
        value(Tok::TrimLower, tag(">/")),
        value(Tok::Neq, tag("!=")),
        value(Tok::Lte, tag("<=")),
        value(Tok::Gte, tag(">=")),
        value(Tok::Lss, char('<')),
        value(Tok::Gtr, char('>')),
        value(Tok::Add, char('+')),
        value(Tok::Sub, char('-')),
        value(Tok::Mul, char('*')),
        value(Tok::Div, char('/')),
        value(Tok::Mod, char('%')),
        value(Tok::Pow, char('^')),
        value(Tok::LParen, char('(')),
        value(Tok::RParen, char(')')),
        value(Tok::LBrace, char('{')),
        value(Tok::LBracket, char('[')),
        value(Tok::RBracket, char(']')),
        value(Tok::Comma, char(',')),
        value(Tok::At, char('@')),
    ))
    .parse(i)
}

fn braces_operator(i: &str) -> IResult<&str, Tok<'_>> {
    alt((
        value(Tok::EqlRegex, tag("=~")),
        value(Tok::NeqRegex, tag("!~")),
        value(Tok::Neq, tag("!=")),
        value(Tok::Eql, char('=')),
        value(Tok::Comma, char(',')),
        value(Tok::RBrace, char('}')),
    ))
    .parse(i)
}

/// The characters Prometheus's `scanNumber` consumes; validity is checked afterwards.
/// Returns the length consumed and whether it formed a number (vs. possibly a duration).
pub(crate) fn scan_number(s: &str, series: bool) -> (usize, bool) {
    let b = s.as_bytes();
    let mut i = 0;
    let mut hex = false;
    if !series && b.first() == Some(&b'0') && matches!(b.get(1), Some(b'x' | b'X')) {
        i = 2;
        if b.get(i) == Some(&b'_') {
            i += 1;
        }
        hex = true;
    }
    let is_digit = |c: u8| {
        if hex {
            c.is_ascii_hexdigit()
        } else {
            c.is_ascii_digit()
        }
    };
    if b.get(i) == Some(&b'.') {
        i += 1;
    }
    if b.get(i).is_some_and(|&c| is_digit(c)) {
        i += 1;
    }
    let mut dot = false;
    let mut exp = false;
    while let Some(&c) = b.get(i) {
        if !(is_digit(c) || c == b'.' || c == b'_' || c == b'e' || c == b'E') {
            break;
        }
        if c == b'.' {
            if dot {
                return (i + 1, false);
            }
            dot = true;
            i += 1;
            if matches!(b.get(i), Some(b'_' | b'.')) {
                return (i + 1, false);
            }
            if hex {
                return (i, false);
            }
            continue;
        }
        if (c == b'e' || c == b'E') && !hex {
            if exp {
                return (i + 1, false);
            }
            exp = true;
            i += 1;
            if matches!(b.get(i), Some(b'+' | b'-')) {
                i += 1;
            }
            match b.get(i) {
                None => return (i, false),
                Some(b'.' | b'_' | b'e' | b'E') => return (i + 1, false),
                _ => {}
            }
            continue;
        }
        if c == b'_' {
            i += 1;
            match b.get(i) {
                None => return (i, false),
                Some(b'.' | b'_' | b'e' | b'E') => return (i + 1, false),
                _ => {}
            }
            continue;
        }
        while b.get(i).is_some_and(|&c| is_digit(c)) {
            i += 1;
        }
    }
    if i == 0 {
        return (0, false);
    }
    let next = s[i..].chars().next();
    let ok = match next {
        Some('x') if series => true,
        Some(c) => !is_alnum(c),
        None => true,
    };
    (i, ok)
}

/// After a number-like prefix failed to be a number: does a duration continue from `at`?
/// Mirrors `acceptRemainingDuration`: returns the duration's end.
fn remaining_duration(s: &str, at: usize) -> Option<usize> {
    let r: IResult<&str, &str> = recognize((
        one_of("smhdwy"),
        opt(char('s')),
        nom::multi::many0((
            take_while1(|c: char| c.is_ascii_digit()),
            one_of("smhdw"),
            opt(char('s')),
        )),
    ))
    .parse(s.get(at..)?);
    let (rest, _) = r.ok()?;
    match rest.chars().next() {
        Some(c) if is_alnum(c) => None,
        _ => Some(s.len() - rest.len()),
    }
}

/// Lexes a number or duration at the start of `s` (Prometheus `lexNumberOrDuration`).
fn number_or_duration(s: &str) -> Result<(Tok<'_>, usize), String> {
    let (n, ok) = scan_number(s, false);
    if ok {
        return Ok((Tok::Number(&s[..n]), n));
    }
    // Like Prometheus, a duration continues from wherever the number scan stopped, so
    // `1.5m` is a (later rejected) duration; the error quotes what the scans consumed.
    match remaining_duration(s, n) {
        Some(end) => Ok((Tok::Duration(&s[..end]), end)),
        None => {
            let mut upto = consumed_by_failed_duration(s, n).min(s.len());
            while !s.is_char_boundary(upto) {
                upto += 1;
            }
            Err(format!("bad number or duration syntax: {:?}", &s[..upto]))
        }
    }
}

/// How far Prometheus's `acceptRemainingDuration` has read when it fails.
fn consumed_by_failed_duration(s: &str, at: usize) -> usize {
    let b = s.as_bytes();
    let mut i = at;
    if !b.get(i).is_some_and(|c| b"smhdwy".contains(c)) {
        return i;
    }
    i += 1;
    if b.get(i) == Some(&b's') {
        i += 1;
    }
    while b.get(i).is_some_and(u8::is_ascii_digit) {
        while b.get(i).is_some_and(u8::is_ascii_digit) {
            i += 1;
        }
        if !b.get(i).is_some_and(|c| b"smhdw".contains(c)) {
            return i;
        }
        i += 1;
        if b.get(i) == Some(&b's') {
            i += 1;
        }
    }
    // The final look at the next character consumes it.
    if i < b.len() {
        i + s[i..].chars().next().map_or(1, char::len_utf8)
    } else {
        i
    }
}

/// The next token at or after `pos` in the given mode.
pub fn next(src: &str, pos: usize, mode: Mode) -> Result<Token<'_>, LexError> {
    let start = skip_trivia(src, pos);
    let rest = src.get(start..).unwrap_or("");
    let tok = |tok, len: usize| {
        Ok(Token {
            tok,
            start,
            end: start + len,
        })
    };
    let err = |message: String| Err(LexError { at: start, message });
    let Some(c) = rest.chars().next() else {
        return tok(Tok::Eof, 0);
    };
    if mode == Mode::Bracket && (c == '"' || c == '\'' || c == '`') {
        return err(format!(
            "unexpected character in duration expression: {c:?}"
        ));
    }
    if c == '"' || c == '\'' || c == '`' {
        return match quoted::scan(rest) {
            Ok(s) => tok(Tok::Str, s.len),
            Err(m) => err(m),
        };
    }
    match mode {
        Mode::Braces => {
            if let Ok((after, id)) = identifier(rest) {
                let _ = after;
                return tok(Tok::Ident(id), id.len());
            }
            if let Ok((after, t)) = braces_operator(rest) {
                return tok(t, rest.len() - after.len());
            }
            match c {
                '!' => {
                    let n = rest[1..]
                        .chars()
                        .next()
                        .map_or("EOF".to_string(), |n| format!("{n:?}"));
                    err(format!("unexpected character after '!' inside braces: {n}"))
                }
                '{' => err("unexpected left brace '{'".to_string()),
                _ => err(format!("unexpected character inside braces: {c:?}")),
            }
        }
        Mode::Normal | Mode::Bracket => {
            if c.is_ascii_digit()
                || (c == '.' && rest[1..].starts_with(|d: char| d.is_ascii_digit()))
            {
                return match number_or_duration(rest) {
                    Ok((t, n)) => tok(t, n),
                    Err(m) => err(m),
                };
            }
            if mode == Mode::Bracket && c == ':' {
                return tok(Tok::Colon, 1);
            }
            if mode == Mode::Normal {
                if let Ok((_, id)) = metric_identifier(rest) {
                    let t = if id.contains(':') {
                        Tok::MetricIdent(id)
                    } else {
                        Tok::Ident(id)
                    };
                    return tok(t, id.len());
                }
            } else if let Ok((_, id)) = identifier(rest) {
                return tok(Tok::Ident(id), id.len());
            }
            if c == ']' && mode == Mode::Normal {
                return err("unexpected right bracket ']'".to_string());
            }
            if c == '[' && mode == Mode::Bracket {
                return err("unexpected left bracket '['".to_string());
            }
            if let Ok((after, t)) = operator(rest) {
                return tok(t, rest.len() - after.len());
            }
            match c {
                '=' if rest[1..].starts_with('~') => {
                    err("unexpected character after '=': '~'".to_string())
                }
                '=' => tok(Tok::Eql, 1),
                '!' => {
                    let n = rest[1..]
                        .chars()
                        .next()
                        .map_or("EOF".to_string(), |n| format!("{n:?}"));
                    err(format!("unexpected character after '!': {n}"))
                }
                _ => err(format!("unexpected character: {c:?}")),
            }
        }
    }
}

#[cfg(test)]
#[allow(clippy::panic)]
mod tests {
    use super::*;

    fn kinds(src: &str, mode: Mode) -> Vec<Tok<'_>> {
        let mut out = Vec::new();
        let mut pos = 0;
        loop {
            match next(src, pos, mode) {
                Ok(t) if t.tok == Tok::Eof => return out,
                Ok(t) => {
                    pos = t.end;
                    out.push(t.tok);
                }
                Err(e) => panic!("{e:?}"),
            }
        }
    }

    #[test]
    fn numbers_and_durations() {
        assert_eq!(
            kinds("1 1.5 .5 1e3 0x1F 1_000 5m 1h30m", Mode::Normal),
            vec![
                Tok::Number("1"),
                Tok::Number("1.5"),
                Tok::Number(".5"),
                Tok::Number("1e3"),
                Tok::Number("0x1F"),
                Tok::Number("1_000"),
                Tok::Duration("5m"),
                Tok::Duration("1h30m"),
            ]
        );
    }

    #[test]
    fn bad_number() {
        assert!(next("5mm", 0, Mode::Normal).is_err());
        assert!(next("1.2.3", 0, Mode::Normal).is_err());
    }

    #[test]
    fn identifiers_and_comments() {
        assert_eq!(
            kinds("a:b # hi\n foo", Mode::Normal),
            vec![Tok::MetricIdent("a:b"), Tok::Ident("foo")]
        );
        assert_eq!(
            kinds("a=~", Mode::Braces),
            vec![Tok::Ident("a"), Tok::EqlRegex]
        );
    }
}
