//! Applying rules to a label set, one step at a time, keeping a trace of every step.

use md5::{Digest, Md5};
use model::Labels;

use crate::builder::Builder;
use crate::config::{Action, Rule};

/// What one rule did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Step {
    pub rule_index: usize,
    pub action: Action,
    /// The labels after the rule; `None` when the rule dropped the input.
    pub labels_after: Option<Labels>,
    pub changed: bool,
}

/// Every rule applied, in order; stops at the rule that dropped the input.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Trace {
    pub steps: Vec<Step>,
}

impl Trace {
    /// The final labels, or `None` when dropped. With no rules, the input.
    pub fn result<'a>(&'a self, input: &'a Labels) -> Option<&'a Labels> {
        match self.steps.last() {
            None => Some(input),
            Some(s) => s.labels_after.as_ref(),
        }
    }

    /// The index of the rule that dropped the input.
    pub fn dropped_by(&self) -> Option<usize> {
        self.steps.last().filter(|s| s.labels_after.is_none()).map(|s| s.rule_index)
    }
}

/// `relabel.Process`: the relabeled labels, or `None` when a rule dropped them.
pub fn process(input: &Labels, rules: &[Rule]) -> Option<Labels> {
    let mut b = Builder::new(input.clone());
    for r in rules {
        if !apply(r, &mut b) {
            return None;
        }
    }
    Some(b.labels())
}

/// Like [`process`], recording the labels after each rule.
pub fn trace(input: &Labels, rules: &[Rule]) -> Trace {
    let mut b = Builder::new(input.clone());
    let mut before = input.clone();
    let mut steps = Vec::with_capacity(rules.len());
    for (i, r) in rules.iter().enumerate() {
        if !apply(r, &mut b) {
            steps.push(Step { rule_index: i, action: r.action, labels_after: None, changed: true });
            break;
        }
        let after = b.labels();
        let changed = after != before;
        steps.push(Step { rule_index: i, action: r.action, labels_after: Some(after.clone()), changed });
        before = after;
    }
    Trace { steps }
}

/// md5 of the value, its last 8 bytes read big-endian, modulo `modulus` (never 0 once validated).
pub fn hashmod(value: &str, modulus: u64) -> u64 {
    let sum = Md5::digest(value.as_bytes());
    let mut last = [0u8; 8];
    last.copy_from_slice(&sum[8..16]);
    u64::from_be_bytes(last).checked_rem(modulus).unwrap_or(0)
}

/// One rule; false means "drop".
fn apply(r: &Rule, b: &mut Builder) -> bool {
    let values: Vec<&str> = r.sources().iter().map(|n| b.get(n)).collect();
    let val = values.join(&r.separator);
    match r.action {
        Action::Drop => return !r.regex.is_match(&val),
        Action::Keep => return r.regex.is_match(&val),
        Action::DropEqual => return b.get(&r.target_label) != val,
        Action::KeepEqual => return b.get(&r.target_label) == val,
        Action::Replace => replace(r, b, &val),
        Action::Lowercase => b.set(&r.target_label, &map_case(&val, false)),
        Action::Uppercase => b.set(&r.target_label, &map_case(&val, true)),
        Action::HashMod => b.set(&r.target_label, &hashmod(&val, r.modulus).to_string()),
        Action::LabelMap => {
            for l in b.range() {
                if let Some(caps) = r.regex.captures(&l.name) {
                    let name = caps.expand(&r.replacement);
                    // Go would store a label with an empty name; no label set can hold one.
                    if !name.is_empty() {
                        b.set(&name, &l.value);
                    }
                }
            }
        }
        Action::LabelDrop => {
            for l in b.range() {
                if r.regex.is_match(&l.name) {
                    b.del(&l.name);
                }
            }
        }
        Action::LabelKeep => {
            for l in b.range() {
                if !r.regex.is_match(&l.name) {
                    b.del(&l.name);
                }
            }
        }
    }
    true
}

fn replace(r: &Rule, b: &mut Builder, val: &str) {
    // Prometheus's fast path: with the default regex and no templates, set the label as is.
    if val.is_empty() && !r.regex_set && !r.target_label.contains('$') && !r.replacement.contains('$') {
        b.set(&r.target_label, &r.replacement);
        return;
    }
    let Some(caps) = r.regex.captures(val) else {
        return;
    };
    let target = caps.expand(&r.target_label);
    // 3.x: an invalid expanded target leaves the labels alone.
    if !r.scheme.is_valid_label_name(&target) {
        return;
    }
    let res = caps.expand(&r.replacement);
    // An empty result deletes the expanded target (3.x), which `set` does for "".
    b.set(&target, &res);
}

/// Go's `strings.ToLower`/`ToUpper`: rune by rune with the simple one-to-one mappings, so "ß"
/// stays "ß" in upper case and "İ" becomes "i" (Rust's full mappings would give "SS", "i̇").
fn map_case(s: &str, upper: bool) -> String {
    s.chars()
        .map(|c| {
            let mut m: Vec<char> = if upper { c.to_uppercase().collect() } else { c.to_lowercase().collect() };
            match m.len() {
                1 => m.pop().unwrap_or(c),
                _ if !upper => m.first().copied().unwrap_or(c),
                _ => c,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashmod_matches_prometheus() {
        // md5("") = d41d8cd98f00b204e9800998ecf8427e; last 8 bytes 0xe9800998ecf8427e.
        assert_eq!(hashmod("", u64::MAX), 0xe980_0998_ecf8_427e);
        assert_eq!(hashmod("", 10), 0xe980_0998_ecf8_427e % 10);
    }

    #[test]
    fn case_mapping_is_go_like() {
        assert_eq!(map_case("Straße", true), "STRAßE");
        assert_eq!(map_case("İx", false), "ix");
        assert_eq!(map_case("AbC", false), "abc");
    }
}
