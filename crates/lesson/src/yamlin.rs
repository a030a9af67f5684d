//! Reading a YAML fragment of the lesson (front matter, an exercise block) with positions in the
//! lesson file: the fragment's `line:col` shifted to where the fragment sits, and the typed
//! getters the front matter and exercises share, each error at its value.

use relabel::yaml::{self, Node, Pos, Value};

use crate::Error;

/// Where a fragment sits: its line 1 is file line `line`; its columns are `indent` to the right.
#[derive(Clone, Copy, Debug)]
pub struct Origin {
    pub line: usize,
    pub indent: usize,
}

impl Origin {
    pub fn pos(self, p: Pos) -> (usize, usize) {
        (self.line + p.line.max(1) - 1, self.indent + p.col.max(1))
    }

    pub fn error(self, p: Pos, message: impl Into<String>) -> Error {
        let (line, col) = self.pos(p);
        Error::new(line, col, message)
    }

    /// Parses the fragment; a YAML syntax error points into the file.
    pub fn parse(self, text: &str) -> Result<Node, Error> {
        yaml::parse(text).map_err(|e| self.error(e.pos, e.message))
    }
}

/// A mapping's entries, each key checked against `known`.
pub fn entries<'a>(
    node: &'a Node,
    o: Origin,
    what: &str,
    known: &[&str],
) -> Result<Vec<(&'a str, &'a Node, &'a Node)>, Error> {
    let Value::Map(items) = &node.value else {
        return Err(o.error(node.pos, format!("{what} must be `key: value` lines, not {}", node.tag())));
    };
    let mut out: Vec<(&str, &Node, &Node)> = Vec::new();
    for (k, v) in items {
        let Some(name) = k.as_str() else {
            return Err(o.error(k.pos, format!("{what}: a key must be a name, not {}", k.tag())));
        };
        if !known.contains(&name) {
            return Err(o.error(k.pos, format!("{what}: unknown key {name:?} (known: {})", known.join(", "))));
        }
        if out.iter().any(|(n, _, _)| *n == name) {
            return Err(o.error(k.pos, format!("{what}: {name:?} is given twice")));
        }
        out.push((name, k, v));
    }
    Ok(out)
}

/// A scalar's text (numbers and booleans as written); `None` for null.
pub fn text(v: &Node, o: Origin, key: &str) -> Result<Option<String>, Error> {
    match &v.value {
        Value::Null => Ok(None),
        Value::Scalar { text, .. } => Ok(Some(text.clone())),
        _ => Err(o.error(v.pos, format!("`{key}` must be text, not {}", v.tag()))),
    }
}

/// A required, non-empty scalar.
pub fn required(v: Option<&Node>, o: Origin, at: Pos, key: &str, what: &str) -> Result<String, Error> {
    let Some(v) = v else {
        return Err(o.error(at, format!("{what} needs `{key}:`")));
    };
    match text(v, o, key)? {
        Some(s) if !s.trim().is_empty() => Ok(s),
        _ => Err(o.error(v.pos, format!("`{key}` is empty"))),
    }
}

/// `[a-z0-9-]+`, the shape of lesson and exercise ids (they end up in storage keys and URLs).
pub fn check_id(id: &str, v: &Node, o: Origin) -> Result<(), Error> {
    if id.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-') {
        return Ok(());
    }
    Err(o.error(v.pos, format!("id {id:?} may only hold a-z, 0-9 and -")))
}

/// Maps a position inside a scalar's text to the file: exact for a block scalar (`|`) and for
/// a one-line scalar; other shapes point at the scalar itself.
pub fn inner_pos(v: &Node, o: Origin, source: &[&str], line: usize, col: usize) -> (usize, usize) {
    let p = v.pos;
    let written = source.get(p.line.wrapping_sub(1)).and_then(|l| l.chars().nth(p.col.wrapping_sub(1)));
    let value = v.as_str().unwrap_or("");
    let one_line = !value.trim_end().contains('\n');
    match (&v.value, written) {
        // A block scalar's node sits on its first content line, at its indentation.
        (Value::Scalar { plain: false, .. }, Some(c)) if c != '"' && c != '\'' => {
            o.pos(Pos { line: p.line + line - 1, col: p.col + col - 1 })
        }
        (Value::Scalar { .. }, Some(c)) if one_line && line == 1 => {
            let quote = usize::from(c == '"' || c == '\'');
            o.pos(Pos { line: p.line, col: p.col + quote + col - 1 })
        }
        _ => o.pos(p),
    }
}

/// The text of a non-scalar value as written (a relabel exercise's list of rules), from its
/// first line to the line before `end_line` (the next key, or the end), dedented; and where its
/// line 1, column 1 sits in the fragment.
pub fn source_of(v: &Node, key: &Node, source: &[&str], end_line: usize) -> (String, Origin) {
    // From the line after the key, so comments above the first item stay.
    let mut first = if v.pos.line > key.pos.line { key.pos.line + 1 } else { v.pos.line.max(1) };
    while first < v.pos.line && source.get(first - 1).is_some_and(|l| l.trim().is_empty()) {
        first += 1;
    }
    let mut lines: Vec<String> = Vec::new();
    for (i, l) in source.iter().enumerate().take(end_line.saturating_sub(1)).skip(first - 1) {
        if i + 1 == key.pos.line {
            // A flow list on the key's own line: blank out the key so the columns stay.
            let start = v.pos.col.saturating_sub(1);
            lines.push(l.chars().enumerate().map(|(j, c)| if j < start { ' ' } else { c }).collect());
        } else {
            lines.push((*l).to_string());
        }
    }
    while lines.last().is_some_and(|l| l.trim().is_empty()) {
        lines.pop();
    }
    let indent = lines
        .iter()
        .filter(|l| !l.trim().is_empty())
        .map(|l| l.len() - l.trim_start_matches(' ').len())
        .min()
        .unwrap_or(0);
    let text: Vec<&str> = lines.iter().map(|l| l.get(indent..).unwrap_or("")).collect();
    let mut text = text.join("\n");
    text.push('\n');
    (text, Origin { line: first, indent })
}
