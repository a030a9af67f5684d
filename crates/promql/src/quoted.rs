//! Quoted strings as PromQL lexes them: `"..."` and `'...'` with Go escapes, `` `...` `` raw.
//!
//! Errors carry Prometheus's lexer wording; the caller places them at the opening quote, as
//! Prometheus does.

use nom::bytes::complete::{take_till, take_while_m_n};
use nom::IResult;

/// A scanned string literal: its byte length in the source (quotes included) and its value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Scanned {
    pub len: usize,
    /// Go strings are bytes: `"\xff"` is legal and not UTF-8, so the value is kept as bytes.
    pub bytes: Vec<u8>,
}

impl Scanned {
    /// The value as text; bytes that are not UTF-8 become U+FFFD.
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.bytes).into_owned()
    }
}

/// Scans a string literal starting at `input[0]`, which must be a quote character.
pub fn scan(input: &str) -> Result<Scanned, String> {
    let mut chars = input.chars();
    let quote = match chars.next() {
        Some(q @ ('"' | '\'' | '`')) => q,
        _ => return Err("expected a string".to_string()),
    };
    if quote == '`' {
        let body = &input[1..];
        let r: IResult<&str, &str> = take_till(|c| c == '`')(body);
        return match r {
            Ok((rest, content)) if !rest.is_empty() => Ok(Scanned {
                len: content.len() + 2,
                bytes: content.as_bytes().to_vec(),
            }),
            _ => Err("unterminated raw string".to_string()),
        };
    }
    let mut out = Vec::new();
    let mut rest = &input[1..];
    loop {
        let mut it = rest.chars();
        match it.next() {
            None | Some('\n') => return Err("unterminated quoted string".to_string()),
            Some(c) if c == quote => {
                let len = input.len() - rest.len() + 1;
                return Ok(Scanned { len, bytes: out });
            }
            Some('\\') => {
                rest = escape(&rest[1..], quote, &mut out)?;
            }
            Some(c) => {
                let mut buf = [0u8; 4];
                out.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
                rest = &rest[c.len_utf8()..];
            }
        }
    }
}

/// Decodes one escape (the backslash already consumed) into `out`; returns the rest.
fn escape<'a>(input: &'a str, quote: char, out: &mut Vec<u8>) -> Result<&'a str, String> {
    let Some(c) = input.chars().next() else {
        return Err("escape sequence not terminated".to_string());
    };
    let after = &input[c.len_utf8()..];
    let simple = match c {
        'a' => Some(0x07),
        'b' => Some(0x08),
        'f' => Some(0x0c),
        'n' => Some(b'\n'),
        'r' => Some(b'\r'),
        't' => Some(b'\t'),
        'v' => Some(0x0b),
        '\\' => Some(b'\\'),
        _ if c == quote => Some(quote as u8),
        _ => None,
    };
    if let Some(b) = simple {
        out.push(b);
        return Ok(after);
    }
    let (digits_from, count, base, max): (&str, usize, u32, u32) = match c {
        '0'..='7' => (input, 3, 8, 255),
        'x' => (after, 2, 16, 255),
        'u' => (after, 4, 16, 0x10_FFFF),
        'U' => (after, 8, 16, 0x10_FFFF),
        _ => return Err(format!("unknown escape sequence {}", go_unicode(c))),
    };
    let r: IResult<&str, &str> =
        take_while_m_n(count, count, |d: char| d.is_digit(base))(digits_from);
    let (rest, digits) = match r {
        Ok(ok) => ok,
        Err(_) => {
            // Report the first character that is not a digit of this base, as Go does.
            let bad = digits_from.chars().take(count).find(|d| !d.is_digit(base));
            return Err(match bad {
                None => "escape sequence not terminated".to_string(),
                Some(b) => format!("illegal character {} in escape sequence", go_unicode(b)),
            });
        }
    };
    let value = u32::from_str_radix(digits, base).map_err(|e| e.to_string())?;
    if value > max || (0xD800..0xE000).contains(&value) {
        return Err("escape sequence is an invalid Unicode code point".to_string());
    }
    if c == 'u' || c == 'U' {
        let ch = char::from_u32(value).ok_or("escape sequence is an invalid Unicode code point")?;
        let mut buf = [0u8; 4];
        out.extend_from_slice(ch.encode_utf8(&mut buf).as_bytes());
    } else {
        // `\xNN` and octal escapes are single bytes, as in Go.
        out.push(value as u8);
    }
    Ok(rest)
}

/// Go's `%#U`: `U+0071 'q'`, without the quoted glyph for unprintable characters.
pub fn go_unicode(c: char) -> String {
    if c.is_control() {
        format!("U+{:04X}", c as u32)
    } else {
        format!("U+{:04X} '{}'", c as u32, c)
    }
}

/// Go's `%q` of a byte string: printable UTF-8 kept, invalid bytes as `\xNN`.
pub fn go_quote_bytes(bytes: &[u8]) -> String {
    let mut out = String::from("\"");
    for chunk in bytes.utf8_chunks() {
        for c in chunk.valid().chars() {
            push_go_escaped(&mut out, c);
        }
        for b in chunk.invalid() {
            out.push_str(&format!("\\x{b:02x}"));
        }
    }
    out.push('"');
    out
}

fn push_go_escaped(out: &mut String, c: char) {
    match c {
        '"' => out.push_str("\\\""),
        '\\' => out.push_str("\\\\"),
        '\n' => out.push_str("\\n"),
        '\t' => out.push_str("\\t"),
        '\r' => out.push_str("\\r"),
        '\u{07}' => out.push_str("\\a"),
        '\u{08}' => out.push_str("\\b"),
        '\u{0c}' => out.push_str("\\f"),
        '\u{0b}' => out.push_str("\\v"),
        c if c.is_control() => {
            if (c as u32) < 0x100 {
                out.push_str(&format!("\\x{:02x}", c as u32));
            } else if (c as u32) < 0x10000 {
                out.push_str(&format!("\\u{:04x}", c as u32));
            } else {
                out.push_str(&format!("\\U{:08x}", c as u32));
            }
        }
        c => out.push(c),
    }
}

#[cfg(test)]
#[allow(clippy::panic)]
mod tests {
    use super::*;

    fn ok(s: &str) -> String {
        match scan(s) {
            Ok(sc) => sc.text(),
            Err(e) => format!("ERR {e}"),
        }
    }

    #[test]
    fn the_three_quotes() {
        assert_eq!(ok(r#""a\"b""#), "a\"b");
        assert_eq!(ok(r"'a\'b'"), "a'b");
        assert_eq!(ok(r"`a\nb`"), "a\\nb");
    }

    #[test]
    fn go_escapes() {
        assert_eq!(ok(r#""\x41\101\u00e9\U0001F600\t""#), "AA\u{e9}\u{1F600}\t");
        assert_eq!(scan(r#""\xc5""#).map(|s| s.bytes), Ok(vec![0xc5]));
    }

    #[test]
    fn errors_use_go_wording() {
        assert_eq!(ok(r#""\q""#), "ERR unknown escape sequence U+0071 'q'");
        assert_eq!(ok(r#""\'""#), "ERR unknown escape sequence U+0027 '''");
        assert_eq!(
            ok(r#""\xg0""#),
            "ERR illegal character U+0067 'g' in escape sequence"
        );
        assert_eq!(
            ok(r#""\ud800""#),
            "ERR escape sequence is an invalid Unicode code point"
        );
        assert_eq!(ok("\"abc"), "ERR unterminated quoted string");
        assert_eq!(ok("\"a\nb\""), "ERR unterminated quoted string");
        assert_eq!(ok("`abc"), "ERR unterminated raw string");
        assert_eq!(ok("\"\\"), "ERR escape sequence not terminated");
    }

    #[test]
    fn quoting_bytes_like_go() {
        assert_eq!(go_quote_bytes(b"a\xc5z"), r#""a\xc5z""#);
        assert_eq!(go_quote_bytes("a\"\n".as_bytes()), r#""a\"\n""#);
    }
}
