//! Cuts a lesson file into its front matter, prose, and the fenced blocks the playground
//! understands (```promql, ```data, ```exercise), remembering the file line of each, so every
//! later error can point into the file.

use crate::fence::{self, Fence};
use crate::Error;

/// The blocks that are not prose.
pub const SPECIAL: [&str; 3] = ["promql", "data", "exercise"];

#[derive(Debug)]
pub struct Scanned<'a> {
    /// The front matter's YAML and the file line of its first line.
    pub front: String,
    pub front_line: usize,
    pub segments: Vec<Segment<'a>>,
}

#[derive(Debug)]
pub enum Segment<'a> {
    /// Markdown lines between special blocks (other fenced blocks included).
    Prose(Vec<&'a str>),
    Block(Block<'a>),
}

#[derive(Debug)]
pub struct Block<'a> {
    pub fence: Fence,
    /// 1-based file line of the opening fence; content line `i` (0-based) is `line + 1 + i`.
    pub line: usize,
    /// The content, without the fence's indentation.
    pub lines: Vec<&'a str>,
}

impl Block<'_> {
    pub fn text(&self) -> String {
        let mut s = self.lines.join("\n");
        if !s.is_empty() {
            s.push('\n');
        }
        s
    }
}

pub fn scan(text: &str) -> Result<Scanned<'_>, Error> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let lines: Vec<&str> = text.lines().collect();
    if lines.first().map(|l| l.trim_end()) != Some("---") {
        return Err(Error::new(
            1,
            1,
            "a lesson starts with its front matter: a `---` line, then `id:` and `title:`, then `---`",
        ));
    }
    let Some(close) = lines.iter().skip(1).position(|l| matches!(l.trim_end(), "---" | "...")).map(|p| p + 1) else {
        return Err(Error::new(1, 1, "the front matter opened here is not closed by a `---` line"));
    };
    let front = lines.get(1..close).unwrap_or_default().join("\n");
    let mut segments = Vec::new();
    let mut prose: Vec<&str> = Vec::new();
    let mut i = close + 1;
    while let Some(&line) = lines.get(i) {
        let Some(f) = fence::open(line) else {
            prose.push(line);
            i += 1;
            continue;
        };
        let start = i;
        let mut content = Vec::new();
        i += 1;
        let mut closed = false;
        while let Some(&l) = lines.get(i) {
            i += 1;
            if f.closed_by(l) {
                closed = true;
                break;
            }
            content.push(f.content(l));
        }
        if !closed {
            let fence_text: String = std::iter::repeat_n(f.ch, f.len).collect();
            return Err(Error::new(
                start + 1,
                f.indent + 1,
                format!("this {fence_text}{} block is not closed: end it with a {fence_text} line", f.lang()),
            ));
        }
        if SPECIAL.contains(&f.lang()) {
            if !prose.is_empty() {
                segments.push(Segment::Prose(std::mem::take(&mut prose)));
            }
            segments.push(Segment::Block(Block { fence: f, line: start + 1, lines: content }));
        } else {
            // Other languages stay prose; the Markdown renderer shows them as code.
            prose.extend(lines.get(start..i).unwrap_or_default());
        }
    }
    if !prose.is_empty() {
        segments.push(Segment::Prose(prose));
    }
    Ok(Scanned { front, front_line: 2, segments })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn segments_with_lines() {
        let text = "---\nid: a\n---\n# T\n\n```promql\nup\n```\nprose\n````md\n```exercise\n````\n  ```exercise\n  id: x\n  ```\n";
        let s = scan(text).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(s.front, "id: a");
        let kinds: Vec<String> = s
            .segments
            .iter()
            .map(|g| match g {
                Segment::Prose(p) => format!("prose {}", p.len()),
                Segment::Block(b) => format!("{}@{} {:?}", b.fence.lang(), b.line, b.lines),
            })
            .collect();
        assert_eq!(kinds, ["prose 2", "promql@6 [\"up\"]", "prose 4", "exercise@13 [\"id: x\"]"]);
    }

    #[test]
    fn errors() {
        assert_eq!(scan("# no front matter").err().map(|e| (e.line, e.col)), Some((1, 1)));
        assert!(scan("---\nid: a\n").is_err_and(|e| e.message.contains("not closed")));
        let e = scan("---\nid: a\n---\n\n```exercise\nid: x\n").err();
        assert_eq!(
            e.map(|e| e.to_string()),
            Some("5:1: this ```exercise block is not closed: end it with a ``` line".into())
        );
    }
}
