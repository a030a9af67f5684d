//! Label sets: sorted by name, unique names, cheap to clone (shared storage).

use std::fmt;
use std::sync::Arc;

/// The label that holds the metric name.
pub const METRIC_NAME: &str = "__name__";

/// One `name="value"` pair.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Label {
    pub name: String,
    pub value: String,
}

impl Label {
    pub fn new(name: impl Into<String>, value: impl Into<String>) -> Self {
        Label { name: name.into(), value: value.into() }
    }
}

/// A label set as Prometheus keeps it: sorted by name, no duplicate names, no empty values
/// (an empty value means the label is absent).
#[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Labels(Arc<[Label]>);

impl Labels {
    /// Builds a label set; later duplicates of a name win, empty values are dropped.
    pub fn new(labels: impl IntoIterator<Item = Label>) -> Self {
        let mut v: Vec<Label> = labels.into_iter().collect();
        // Stable sort keeps input order among equal names, so the last one written wins below.
        crate::sort::sort_by(&mut v, |a, b| a.name.cmp(&b.name));
        let mut out: Vec<Label> = Vec::with_capacity(v.len());
        for l in v {
            match out.last_mut() {
                Some(last) if last.name == l.name => *last = l,
                _ => out.push(l),
            }
        }
        out.retain(|l| !l.value.is_empty());
        Labels(out.into())
    }

    pub fn from_pairs<'a>(pairs: impl IntoIterator<Item = (&'a str, &'a str)>) -> Self {
        Labels::new(pairs.into_iter().map(|(n, v)| Label::new(n, v)))
    }

    pub fn empty() -> Self {
        Labels::default()
    }

    pub fn get(&self, name: &str) -> Option<&str> {
        self.0
            .binary_search_by(|l| l.name.as_str().cmp(name))
            .ok()
            .map(|i| self.0[i].value.as_str())
    }

    /// The value of `name`, or "" when absent, as PromQL reads a missing label.
    pub fn get_or_empty(&self, name: &str) -> &str {
        self.get(name).unwrap_or("")
    }

    pub fn metric_name(&self) -> Option<&str> {
        self.get(METRIC_NAME)
    }

    pub fn iter(&self) -> std::slice::Iter<'_, Label> {
        self.0.iter()
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn as_slice(&self) -> &[Label] {
        &self.0
    }

    pub fn builder(&self) -> LabelsBuilder {
        LabelsBuilder { labels: self.0.to_vec() }
    }

    /// The same set without the metric name.
    pub fn without_metric_name(&self) -> Labels {
        if self.metric_name().is_none() {
            return self.clone();
        }
        Labels(self.0.iter().filter(|l| l.name != METRIC_NAME).cloned().collect::<Vec<_>>().into())
    }
}

impl fmt::Display for Labels {
    /// Prometheus's text form: `name{a="1", b="2"}`, `{a="1"}` without a name, `{}` when empty.
    /// A name that is not a legacy identifier is written quoted inside the braces.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let name = self.metric_name();
        let legacy_name = name.filter(|n| is_legacy_metric_name(n));
        if let Some(n) = legacy_name {
            f.write_str(n)?;
        }
        let rest: Vec<&Label> =
            self.0.iter().filter(|l| !(legacy_name.is_some() && l.name == METRIC_NAME)).collect();
        if rest.is_empty() && legacy_name.is_some() {
            return Ok(());
        }
        f.write_str("{")?;
        for (i, l) in rest.iter().enumerate() {
            if i > 0 {
                f.write_str(", ")?;
            }
            if l.name == METRIC_NAME {
                write!(f, "{}", quote(&l.value))?;
                continue;
            }
            if is_legacy_label_name(&l.name) {
                f.write_str(&l.name)?;
            } else {
                f.write_str(&quote(&l.name))?;
            }
            write!(f, "={}", quote(&l.value))?;
        }
        f.write_str("}")
    }
}

impl fmt::Debug for Labels {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

impl<'a> IntoIterator for &'a Labels {
    type Item = &'a Label;
    type IntoIter = std::slice::Iter<'a, Label>;
    fn into_iter(self) -> Self::IntoIter {
        self.0.iter()
    }
}

/// Edits a label set, then freezes it again.
#[derive(Clone, Debug, Default)]
pub struct LabelsBuilder {
    labels: Vec<Label>,
}

impl LabelsBuilder {
    /// Sets a label; an empty value deletes it.
    pub fn set(&mut self, name: &str, value: &str) -> &mut Self {
        self.labels.retain(|l| l.name != name);
        if !value.is_empty() {
            self.labels.push(Label::new(name, value));
        }
        self
    }

    pub fn del(&mut self, name: &str) -> &mut Self {
        self.labels.retain(|l| l.name != name);
        self
    }

    pub fn keep_only(&mut self, names: &[String]) -> &mut Self {
        self.labels.retain(|l| names.contains(&l.name));
        self
    }

    pub fn build(&self) -> Labels {
        Labels::new(self.labels.iter().cloned())
    }
}

/// `[a-zA-Z_:][a-zA-Z0-9_:]*`: a name that needs no quotes in PromQL.
pub fn is_legacy_metric_name(s: &str) -> bool {
    let mut chars = s.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_alphabetic() || c == '_' || c == ':')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_' || c == ':')
}

/// `[a-zA-Z_][a-zA-Z0-9_]*`: a label name that needs no quotes in PromQL.
pub fn is_legacy_label_name(s: &str) -> bool {
    let mut chars = s.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// A Go-style double-quoted string, as Prometheus prints label values.
pub fn quote(s: &str) -> String {
    format!("\"{}\"", escape_quoted(s))
}

/// `s` escaped to go between double quotes (a label value in PromQL or as Prometheus prints it).
pub fn escape_quoted(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 || c as u32 == 0x7f => out.push_str(&format!("\\x{:02x}", c as u32)),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_are_escaped_for_double_quotes() {
        assert_eq!(escape_quoted("a\"b\\c\nd\te\u{1}"), r#"a\"b\\c\nd\te\x01"#);
        assert_eq!(quote("x\"y"), r#""x\"y""#);
    }

    #[test]
    fn sorted_unique_and_last_wins() {
        let l = Labels::from_pairs([("b", "1"), ("a", "2"), ("b", "3"), ("c", "")]);
        assert_eq!(l.len(), 2);
        assert_eq!(l.get("b"), Some("3"));
        assert_eq!(l.as_slice()[0].name, "a");
        assert_eq!(l.get("c"), None);
    }

    #[test]
    fn display_like_prometheus() {
        let l = Labels::from_pairs([("__name__", "up"), ("job", "a\"b"), ("instance", "x")]);
        assert_eq!(l.to_string(), r#"up{instance="x", job="a\"b"}"#);
        assert_eq!(Labels::from_pairs([("__name__", "up")]).to_string(), "up");
        assert_eq!(Labels::empty().to_string(), "{}");
        let utf8 = Labels::from_pairs([("__name__", "my.metric"), ("label.x", "v")]);
        assert_eq!(utf8.to_string(), r#"{"my.metric", "label.x"="v"}"#);
    }

    #[test]
    fn builder_set_and_delete() {
        let l = Labels::from_pairs([("a", "1"), ("b", "2")]);
        let mut b = l.builder();
        b.set("c", "3").set("a", "").del("b");
        assert_eq!(b.build(), Labels::from_pairs([("c", "3")]));
    }
}
