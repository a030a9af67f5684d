//! Fenced code block lines (CommonMark's rules, simplified): the lesson scanner and the Markdown
//! renderer must agree on where a fence opens and closes, so both ask this module.

/// An opening fence: "```promql" or "~~~~".
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Fence {
    /// Spaces before the fence (at most 3); removed from each content line, as CommonMark does.
    pub indent: usize,
    pub ch: char,
    pub len: usize,
    /// The info string (`promql`, `exercise`, `yaml title="x"`), trimmed.
    pub info: String,
}

impl Fence {
    /// The first word of the info string: the block's language.
    pub fn lang(&self) -> &str {
        self.info.split_whitespace().next().unwrap_or("")
    }

    /// Whether `line` closes this fence: the same character, at least as many, nothing after.
    pub fn closed_by(&self, line: &str) -> bool {
        let (indent, rest) = split_indent(line);
        if indent > 3 {
            return false;
        }
        let run = rest.chars().take_while(|&c| c == self.ch).count();
        run >= self.len && rest.get(run..).is_some_and(|r| r.trim().is_empty())
    }

    /// A content line without the fence's indentation.
    pub fn content<'a>(&self, line: &'a str) -> &'a str {
        let spaces = line.bytes().take(self.indent).take_while(|&b| b == b' ').count();
        line.get(spaces..).unwrap_or(line)
    }
}

/// The fence `line` opens, if any.
pub fn open(line: &str) -> Option<Fence> {
    let (indent, rest) = split_indent(line);
    if indent > 3 {
        return None;
    }
    let ch = rest.chars().next().filter(|&c| c == '`' || c == '~')?;
    let len = rest.chars().take_while(|&c| c == ch).count();
    if len < 3 {
        return None;
    }
    let info = rest.get(len..)?.trim();
    // "``` a ` b" is an inline code span in CommonMark, not a fence.
    if ch == '`' && info.contains('`') {
        return None;
    }
    Some(Fence { indent, ch, len, info: info.to_string() })
}

/// Leading spaces and the rest.
pub fn split_indent(line: &str) -> (usize, &str) {
    let n = line.bytes().take_while(|&b| b == b' ').count();
    (n, line.get(n..).unwrap_or(""))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn opens_and_closes() {
        let f = open("```promql").unwrap_or_else(|| panic!("no fence"));
        assert_eq!((f.indent, f.ch, f.len, f.lang()), (0, '`', 3, "promql"));
        assert!(f.closed_by("```"));
        assert!(f.closed_by("  ````  "));
        assert!(!f.closed_by("``` x"));
        assert!(!f.closed_by("~~~"));
        let f = open("  ~~~~ yaml title").unwrap_or_else(|| panic!("no fence"));
        assert_eq!((f.indent, f.len, f.lang()), (2, 4, "yaml"));
        assert!(!f.closed_by("~~~"));
        assert_eq!(f.content("   x"), " x");
        assert_eq!(f.content(" x"), "x");
        assert!(open("    ```").is_none());
        assert!(open("``").is_none());
        assert!(open("``` a ` b").is_none());
    }
}
