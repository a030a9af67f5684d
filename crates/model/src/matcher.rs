//! Label matchers (`=`, `!=`, `=~`, `!~`) with Prometheus's fully anchored regex semantics.

use crate::goregex::Regex;
use std::fmt;

use crate::labels::{is_legacy_label_name, quote};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum MatchOp {
    Equal,
    NotEqual,
    RegexMatch,
    RegexNoMatch,
}

impl MatchOp {
    pub fn as_str(self) -> &'static str {
        match self {
            MatchOp::Equal => "=",
            MatchOp::NotEqual => "!=",
            MatchOp::RegexMatch => "=~",
            MatchOp::RegexNoMatch => "!~",
        }
    }

    pub fn is_regex(self) -> bool {
        matches!(self, MatchOp::RegexMatch | MatchOp::RegexNoMatch)
    }
}

/// A matcher's regex failed to compile. The message follows Go's `regexp` wording where it can.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MatcherError(pub String);

impl fmt::Display for MatcherError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for MatcherError {}

/// One label matcher. A missing label reads as the empty string, so `{a=""}` matches series
/// without `a`, and `{a=~".*"}` matches every series.
#[derive(Clone, Debug)]
pub struct Matcher {
    pub name: String,
    pub op: MatchOp,
    pub value: String,
    /// Compiled as `^(?s:value)$` in Go's dialect: Prometheus anchors both ends and lets `.` match
    /// `\n` (3.x); `\d`, `\w`, `\s` are ASCII-only as in Go.
    regex: Option<Regex>,
}

impl PartialEq for Matcher {
    fn eq(&self, other: &Self) -> bool {
        self.name == other.name && self.op == other.op && self.value == other.value
    }
}

impl Eq for Matcher {}

impl Matcher {
    pub fn new(op: MatchOp, name: impl Into<String>, value: impl Into<String>) -> Result<Self, MatcherError> {
        let value = value.into();
        let regex = if op.is_regex() {
            Some(crate::goregex::compile_anchored(&value).map_err(MatcherError)?)
        } else {
            None
        };
        Ok(Matcher { name: name.into(), op, value, regex })
    }

    /// Does a label value (the empty string for a missing label) satisfy this matcher?
    pub fn matches(&self, value: &str) -> bool {
        match (self.op, &self.regex) {
            (MatchOp::Equal, _) => self.value == value,
            (MatchOp::NotEqual, _) => self.value != value,
            (MatchOp::RegexMatch, Some(re)) => re.is_match(value),
            (MatchOp::RegexNoMatch, Some(re)) => !re.is_match(value),
            // Constructed only through `new`, which always compiles regex matchers.
            (_, None) => false,
        }
    }

    /// True when the matcher accepts the empty string, i.e. a series lacking the label.
    pub fn matches_empty(&self) -> bool {
        self.matches("")
    }
}

impl fmt::Display for Matcher {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if is_legacy_label_name(&self.name) {
            f.write_str(&self.name)?;
        } else {
            f.write_str(&quote(&self.name))?;
        }
        write!(f, "{}{}", self.op.as_str(), quote(&self.value))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(op: MatchOp, v: &str) -> Matcher {
        Matcher::new(op, "l", v).unwrap_or_else(|e| panic!("{e}"))
    }

    #[test]
    fn regex_is_fully_anchored() {
        let re = m(MatchOp::RegexMatch, "foo|bar");
        assert!(re.matches("foo"));
        assert!(re.matches("bar"));
        assert!(!re.matches("foobar"));
        assert!(!re.matches("xfoo"));
    }

    #[test]
    fn dot_matches_newline() {
        assert!(m(MatchOp::RegexMatch, "a.b").matches("a\nb"));
    }

    #[test]
    fn empty_value_semantics() {
        assert!(m(MatchOp::Equal, "").matches_empty());
        assert!(!m(MatchOp::NotEqual, "").matches_empty());
        assert!(m(MatchOp::RegexMatch, ".*").matches_empty());
        assert!(!m(MatchOp::RegexMatch, ".+").matches_empty());
        assert!(m(MatchOp::RegexNoMatch, ".+").matches_empty());
    }

    #[test]
    fn perl_classes_are_ascii_as_in_go() {
        assert!(m(MatchOp::RegexMatch, r"\d+").matches("2026"));
        assert!(!m(MatchOp::RegexMatch, r"\d+").matches("\u{663}"));
    }

    #[cfg(feature = "unicode")]
    #[test]
    fn unicode_classes_and_case_folding_as_in_go() {
        assert!(m(MatchOp::RegexMatch, r"\pL+").matches("\u{e9}t\u{e9}"));
        assert!(m(MatchOp::RegexMatch, "(?i)ÉTÉ").matches("\u{e9}t\u{e9}"));
    }

    #[test]
    fn bad_regex_is_an_error() {
        let e = Matcher::new(MatchOp::RegexMatch, "l", "(foo").err();
        assert!(e.is_some_and(|e| e.0.starts_with("error parsing regexp")));
    }
}
