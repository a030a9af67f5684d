//! Block structure: a line-by-line pass that recognises fences, headings, rules, quotes and lists
//! and hands paragraph text to the inline renderer. Quotes and list items are rendered by the
//! same pass on their inner lines, to a bounded depth (deeper markers are shown as text).

use super::{escape, inline};
use crate::fence;

/// Nesting of quotes and lists beyond this renders as plain text, so no input recurses deeply.
const MAX_DEPTH: usize = 16;

/// Renders `lines` as blocks. `tight`: paragraphs without `<p>` (the items of a tight list).
pub fn render(lines: &[&str], depth: usize, tight: bool, out: &mut String) {
    let mut i = 0;
    while let Some(&line) = lines.get(i) {
        if line.trim().is_empty() {
            i += 1;
            continue;
        }
        if let Some(f) = fence::open(line) {
            let mut j = i + 1;
            let mut body = String::new();
            while let Some(&l) = lines.get(j) {
                if f.closed_by(l) {
                    break;
                }
                body.push_str(f.content(l));
                body.push('\n');
                j += 1;
            }
            out.push_str("<pre><code");
            let lang = f.lang();
            if !lang.is_empty() && lang.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_') {
                out.push_str(" class=\"language-");
                out.push_str(lang);
                out.push('"');
            }
            out.push('>');
            escape(&body, out);
            out.push_str("</code></pre>\n");
            i = j + 1;
            continue;
        }
        if let Some((level, text)) = heading(line) {
            out.push_str(&format!("<h{level}>"));
            inline::render(text, out);
            out.push_str(&format!("</h{level}>\n"));
            i += 1;
            continue;
        }
        if is_rule(line) {
            out.push_str("<hr>\n");
            i += 1;
            continue;
        }
        if depth < MAX_DEPTH && quoted(line).is_some() {
            let mut inner = Vec::new();
            while let Some(q) = lines.get(i).and_then(|l| quoted(l)) {
                inner.push(q);
                i += 1;
            }
            out.push_str("<blockquote>\n");
            render(&inner, depth + 1, false, out);
            out.push_str("</blockquote>\n");
            continue;
        }
        if depth < MAX_DEPTH {
            if let Some(m) = marker(line) {
                i = list(lines, i, m, depth, out);
                continue;
            }
        }
        let mut para = vec![line.trim()];
        i += 1;
        while let Some(&l) = lines.get(i) {
            if l.trim().is_empty() || interrupts(l) {
                break;
            }
            para.push(l.trim());
            i += 1;
        }
        if !tight {
            out.push_str("<p>");
        }
        inline::render(&para.join("\n"), out);
        out.push_str(if tight { "\n" } else { "</p>\n" });
    }
}

/// `## Title ##` -> (2, "Title").
fn heading(line: &str) -> Option<(usize, &str)> {
    let (indent, rest) = fence::split_indent(line);
    let level = rest.bytes().take_while(|&b| b == b'#').count();
    if indent > 3 || !(1..=6).contains(&level) {
        return None;
    }
    let text = rest.get(level..)?;
    if !(text.is_empty() || text.starts_with([' ', '\t'])) {
        return None;
    }
    let text = text.trim();
    // A closing run of `#` goes when a space precedes it (or it is all there is).
    let stripped = text.trim_end_matches('#');
    let text = if stripped.is_empty() || stripped.ends_with([' ', '\t']) { stripped.trim_end() } else { text };
    Some((level, text))
}

/// `---`, `***`, `___` (three or more, spaces allowed between).
fn is_rule(line: &str) -> bool {
    let (indent, rest) = fence::split_indent(line);
    let Some(c) = rest.chars().next().filter(|c| matches!(c, '-' | '*' | '_')) else { return false };
    indent <= 3
        && rest.chars().filter(|&x| x == c).count() >= 3
        && rest.chars().all(|x| x == c || x == ' ' || x == '\t')
}

/// The inside of a `>` line.
fn quoted(line: &str) -> Option<&str> {
    let (indent, rest) = fence::split_indent(line);
    let rest = rest.strip_prefix('>').filter(|_| indent <= 3)?;
    Some(rest.strip_prefix(' ').unwrap_or(rest))
}

/// A list item's marker.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Marker {
    /// `-`, `*`, `+`, or the delimiter after the number (`.`, `)`).
    ch: char,
    ordered: bool,
    start: u64,
    /// Where the item's text starts; continuation lines are indented at least this much.
    content: usize,
    /// Nothing after the marker.
    empty: bool,
}

fn marker(line: &str) -> Option<Marker> {
    let (indent, rest) = fence::split_indent(line);
    if indent > 3 {
        return None;
    }
    let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
    let (ch, ordered, start, width) = if digits > 0 {
        if digits > 9 {
            return None;
        }
        let ch = rest.get(digits..)?.chars().next().filter(|c| matches!(c, '.' | ')'))?;
        (ch, true, rest.get(..digits)?.parse().ok()?, digits + 1)
    } else {
        let ch = rest.chars().next().filter(|c| matches!(c, '-' | '*' | '+'))?;
        (ch, false, 0, 1)
    };
    let after = rest.get(width..)?;
    let spaces = after.bytes().take_while(|&b| b == b' ').count();
    let empty = after.trim().is_empty();
    if !(empty || spaces > 0) {
        return None;
    }
    // Five or more spaces: the text is indented code in CommonMark; here the item starts after one.
    let gap = if empty || spaces > 4 { 1 } else { spaces };
    Some(Marker { ch, ordered, start, content: indent + width + gap, empty })
}

/// Whether `line` ends a paragraph: another block starts there. A list interrupts a paragraph
/// only with a bullet or `1.` and some text, so "in 2023. the…" wrapped to a line start is text.
fn interrupts(line: &str) -> bool {
    fence::open(line).is_some()
        || heading(line).is_some()
        || is_rule(line)
        || quoted(line).is_some()
        || marker(line).is_some_and(|m| !m.empty && (!m.ordered || m.start == 1))
}

/// Renders the list starting at `lines[i]`; returns the index after it.
fn list(lines: &[&str], mut i: usize, first: Marker, depth: usize, out: &mut String) -> usize {
    let mut items: Vec<Vec<&str>> = Vec::new();
    let mut loose = false;
    let mut m = first;
    loop {
        let mut item: Vec<&str> = vec![lines.get(i).and_then(|l| l.get(m.content..)).unwrap_or("")];
        i += 1;
        let mut blank_run = 0;
        while let Some(&l) = lines.get(i) {
            let indent = fence::split_indent(l).0;
            if l.trim().is_empty() {
                blank_run += 1;
                item.push("");
                i += 1;
                continue;
            }
            if indent >= m.content {
                if blank_run > 0 && item.iter().any(|x| !x.trim().is_empty()) {
                    loose = true;
                }
                blank_run = 0;
                item.push(l.get(m.content..).unwrap_or(""));
                i += 1;
                continue;
            }
            // A lazy continuation: paragraph text right after the item's text.
            if blank_run == 0 && !interrupts(l) && marker(l).is_none() {
                item.push(l.trim_start());
                i += 1;
                continue;
            }
            break;
        }
        // Trailing blank lines belong between items (or after the list), not to the item.
        while item.last().is_some_and(|x| x.trim().is_empty()) {
            item.pop();
        }
        items.push(item);
        match lines.get(i).and_then(|l| marker(l)) {
            Some(next) if next.ch == m.ch && next.ordered == m.ordered => {
                if blank_run > 0 {
                    loose = true;
                }
                m = next;
            }
            _ => {
                // Blank lines after the last item are not part of the list.
                i -= blank_run.min(i);
                break;
            }
        }
    }
    let (open, close) = match (first.ordered, first.start) {
        (false, _) => ("<ul>\n".to_string(), "</ul>\n"),
        (true, 1) => ("<ol>\n".to_string(), "</ol>\n"),
        (true, n) => (format!("<ol start=\"{n}\">\n"), "</ol>\n"),
    };
    out.push_str(&open);
    for item in &items {
        out.push_str("<li>");
        let mut inner = String::new();
        render(item, depth + 1, !loose, &mut inner);
        out.push_str(inner.trim_end_matches('\n'));
        out.push_str("</li>\n");
    }
    out.push_str(close);
    i
}
