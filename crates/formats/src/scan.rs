//! A byte cursor over one input line, with the token rules both formats share: names, quoted
//! strings and brace-enclosed label sets. Positions are byte offsets into the line; they become
//! `line:col` only when an error is reported.

/// An error inside one line: byte offset in the line and message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct LineError {
    pub pos: usize,
    pub msg: String,
}

pub(crate) type LineResult<T> = Result<T, LineError>;

pub(crate) fn err<T>(pos: usize, msg: impl Into<String>) -> LineResult<T> {
    Err(LineError {
        pos,
        msg: msg.into(),
    })
}

/// One `name="value"` pair as written; `*_esc` says whether backslash escapes must be undone.
#[derive(Debug, Clone, Copy)]
pub(crate) struct RawLabel<'a> {
    pub name: &'a str,
    pub name_esc: bool,
    pub value: &'a str,
    pub value_esc: bool,
    /// Where the label name starts, for error positions.
    pub pos: usize,
}

/// The series part of a sample line: metric name and labels, still escaped.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct RawSeries<'a> {
    /// The series exactly as written (`name{...}`); identical text means an identical series,
    /// which is what the label cache relies on.
    pub text: &'a str,
    pub name: &'a str,
    pub name_esc: bool,
    /// Where the metric name starts (0 when absent), for error positions.
    pub name_pos: usize,
    pub has_name: bool,
}

/// How permissive the label-set grammar is about blanks: text 0.0.4 allows spaces and tabs
/// between tokens, OpenMetrics allows none.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Blanks {
    Allowed,
    Forbidden,
}

pub(crate) struct Cursor<'a> {
    pub s: &'a str,
    b: &'a [u8],
    pub pos: usize,
}

impl<'a> Cursor<'a> {
    pub fn new(s: &'a str) -> Self {
        Cursor {
            s,
            b: s.as_bytes(),
            pos: 0,
        }
    }

    pub fn peek(&self) -> Option<u8> {
        self.b.get(self.pos).copied()
    }

    pub fn at_end(&self) -> bool {
        self.pos >= self.b.len()
    }

    pub fn eat(&mut self, c: u8) -> bool {
        if self.peek() == Some(c) {
            self.pos += 1;
            true
        } else {
            false
        }
    }

    pub fn rest(&self) -> &'a str {
        self.s.get(self.pos..).unwrap_or("")
    }

    pub fn slice(&self, from: usize, to: usize) -> &'a str {
        self.s.get(from..to).unwrap_or("")
    }

    /// Skips spaces and tabs; returns how many were skipped.
    pub fn skip_blanks(&mut self) -> usize {
        let start = self.pos;
        while matches!(self.peek(), Some(b' ' | b'\t')) {
            self.pos += 1;
        }
        self.pos - start
    }

    /// Consumes bytes up to (not including) a space, tab or `stop`, returning them.
    pub fn take_until_blank(&mut self, stop: &[u8]) -> &'a str {
        let start = self.pos;
        while let Some(c) = self.peek() {
            if c == b' ' || c == b'\t' || stop.contains(&c) {
                break;
            }
            self.pos += 1;
        }
        self.slice(start, self.pos)
    }

    /// Moves past a `{...}` label set without tokenising it (quotes and escapes respected),
    /// returning whether a closing brace was found. Used to find the series text cheaply and
    /// look it up before doing the full parse.
    pub fn skip_label_set(&mut self) -> bool {
        let mut i = self.pos + 1;
        let mut in_str = false;
        while let Some(&c) = self.b.get(i) {
            match c {
                b'\\' if in_str => i += 1,
                b'"' => in_str = !in_str,
                b'}' if !in_str => {
                    self.pos = i + 1;
                    return true;
                }
                _ => {}
            }
            i += 1;
        }
        false
    }

    /// `[a-zA-Z_:][a-zA-Z0-9_:]*`, or "" when the next byte cannot start a metric name.
    pub fn metric_name(&mut self) -> &'a str {
        let start = self.pos;
        if matches!(self.peek(), Some(c) if c.is_ascii_alphabetic() || c == b'_' || c == b':') {
            self.pos += 1;
            while matches!(self.peek(), Some(c) if c.is_ascii_alphanumeric() || c == b'_' || c == b':')
            {
                self.pos += 1;
            }
        }
        self.slice(start, self.pos)
    }

    /// `[a-zA-Z_][a-zA-Z0-9_]*`, or "".
    pub fn label_name(&mut self) -> &'a str {
        let start = self.pos;
        if matches!(self.peek(), Some(c) if c.is_ascii_alphabetic() || c == b'_') {
            self.pos += 1;
            while matches!(self.peek(), Some(c) if c.is_ascii_alphanumeric() || c == b'_') {
                self.pos += 1;
            }
        }
        self.slice(start, self.pos)
    }

    /// A double-quoted string starting at the cursor. Returns the text between the quotes and
    /// whether it contains a backslash escape.
    pub fn quoted(&mut self) -> LineResult<(&'a str, bool)> {
        let open = self.pos;
        if !self.eat(b'"') {
            return err(open, format!("expected '\"', got {}", self.describe(open)));
        }
        let start = self.pos;
        let mut esc = false;
        while let Some(c) = self.peek() {
            match c {
                b'"' => {
                    let inner = self.slice(start, self.pos);
                    self.pos += 1;
                    return Ok((inner, esc));
                }
                b'\\' => {
                    esc = true;
                    // The escaped byte may be the first of a multi-byte character; its
                    // continuation bytes are never '"' or '\\', so the scan stays in step.
                    self.pos += 2;
                }
                _ => self.pos += 1,
            }
        }
        self.pos = self.b.len();
        err(
            open,
            "unterminated quoted string (a quoted string cannot span lines)",
        )
    }

    /// Parses `{...}` starting at '{': labels go to `out`; a bare quoted string is the metric
    /// name (Prometheus 3.x UTF-8 names), stored in `series`.
    pub fn label_set(
        &mut self,
        blanks: Blanks,
        series: &mut RawSeries<'a>,
        out: &mut Vec<RawLabel<'a>>,
    ) -> LineResult<()> {
        let ws = |c: &mut Self| {
            if blanks == Blanks::Allowed {
                c.skip_blanks();
            }
        };
        if !self.eat(b'{') {
            return err(
                self.pos,
                format!("expected '{{', got {}", self.describe(self.pos)),
            );
        }
        ws(self);
        loop {
            let tok = self.pos;
            match self.peek() {
                Some(b'}') => {
                    self.pos += 1;
                    return Ok(());
                }
                Some(b'"') => {
                    let (name, name_esc) = self.quoted()?;
                    ws(self);
                    if matches!(self.peek(), Some(b',' | b'}')) {
                        if series.has_name {
                            return err(tok, "metric name already set");
                        }
                        *series = RawSeries {
                            text: "",
                            name,
                            name_esc,
                            name_pos: tok,
                            has_name: true,
                        };
                    } else {
                        self.label_rest(blanks, name, name_esc, tok, out)?;
                    }
                }
                _ => {
                    let name = self.label_name();
                    if name.is_empty() {
                        return err(
                            tok,
                            format!("expected label name, got {}", self.describe(tok)),
                        );
                    }
                    ws(self);
                    self.label_rest(blanks, name, false, tok, out)?;
                }
            }
            // After a label: a comma (optionally followed by the closing brace) or the brace.
            ws(self);
            match self.peek() {
                Some(b',') => {
                    self.pos += 1;
                    ws(self);
                }
                Some(b'}') => {}
                _ => {
                    return err(
                        self.pos,
                        format!(
                            "expected comma or brace close, got {}",
                            self.describe(self.pos)
                        ),
                    )
                }
            }
        }
    }

    fn label_rest(
        &mut self,
        blanks: Blanks,
        name: &'a str,
        name_esc: bool,
        pos: usize,
        out: &mut Vec<RawLabel<'a>>,
    ) -> LineResult<()> {
        if !self.eat(b'=') {
            return err(
                self.pos,
                format!("expected equal, got {}", self.describe(self.pos)),
            );
        }
        if blanks == Blanks::Allowed {
            self.skip_blanks();
        }
        if self.peek() != Some(b'"') {
            return err(
                self.pos,
                format!("expected label value, got {}", self.describe(self.pos)),
            );
        }
        let (value, value_esc) = self.quoted()?;
        out.push(RawLabel {
            name,
            name_esc,
            value,
            value_esc,
            pos,
        });
        Ok(())
    }

    /// A short description of the token at `pos` for "expected X, got Y" messages.
    pub fn describe(&self, pos: usize) -> String {
        describe_at(self.s, pos)
    }
}

/// The line starting at `*pos` (without its `\n`), moving `*pos` past it.
pub(crate) fn next_line<'a>(input: &'a str, pos: &mut usize) -> &'a str {
    let rest = input.get(*pos..).unwrap_or("");
    let len = memchr::memchr(b'\n', rest.as_bytes()).unwrap_or(rest.len());
    *pos += len + 1;
    rest.get(..len).unwrap_or("")
}

/// `"tok"` (the bytes up to the next blank or delimiter, at most 24 characters), or
/// `end of line`.
pub(crate) fn describe_at(s: &str, pos: usize) -> String {
    let rest = s.get(pos..).unwrap_or("");
    let mut chars = rest.chars();
    let Some(first) = chars.next() else {
        return "end of line".to_string();
    };
    let mut tok = String::new();
    tok.push(first);
    if !matches!(first, '{' | '}' | ',' | '=' | '"' | ' ' | '\t' | '#') {
        for c in chars.take(23) {
            if matches!(c, '{' | '}' | ',' | '=' | '"' | ' ' | '\t') {
                break;
            }
            tok.push(c);
        }
    }
    format!("{tok:?}")
}

/// 1-based character column of byte offset `pos` in `line`.
pub(crate) fn col_of(line: &str, pos: usize) -> usize {
    line.char_indices().take_while(|(i, _)| *i < pos).count() + 1
}

/// Undoes the escapes Prometheus recognises in label values and quoted names (`\\`, `\"`,
/// `\n`); any other backslash sequence stays as written, as Prometheus's replacer leaves it.
pub(crate) fn unescape_label(s: &str) -> String {
    unescape(s, true)
}

/// HELP text in text 0.0.4 recognises only `\\` and `\n`.
pub(crate) fn unescape_help(s: &str) -> String {
    unescape(s, false)
}

fn unescape(s: &str, quotes: bool) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('\\') => out.push('\\'),
            Some('n') => out.push('\n'),
            Some('"') if quotes => out.push('"'),
            Some(other) => {
                out.push('\\');
                out.push(other);
            }
            None => out.push('\\'),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unescapes_like_prometheus() {
        assert_eq!(unescape_label(r#"a\\b\"c\nd\te"#), "a\\b\"c\nd\\te");
        assert_eq!(unescape_help(r#"a\\b\"c\n"#), "a\\b\\\"c\n");
    }

    #[test]
    fn columns_count_chars() {
        assert_eq!(col_of("äb", 2), 2);
        assert_eq!(col_of("ab", 0), 1);
    }
}
