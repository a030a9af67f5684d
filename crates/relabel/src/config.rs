//! One `<relabel_config>` read from YAML with Prometheus 3.x's defaults, field rules and messages.

use std::fmt;


use crate::error::ConfigError;
use model::goregex::{compile_anchored, Regex};
use crate::yaml::{Node, Pos, Value};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Action {
    Replace,
    Keep,
    Drop,
    KeepEqual,
    DropEqual,
    HashMod,
    LabelMap,
    LabelDrop,
    LabelKeep,
    Lowercase,
    Uppercase,
}

impl Action {
    pub const ALL: [Action; 11] = [
        Action::Replace,
        Action::Keep,
        Action::Drop,
        Action::KeepEqual,
        Action::DropEqual,
        Action::HashMod,
        Action::LabelMap,
        Action::LabelDrop,
        Action::LabelKeep,
        Action::Lowercase,
        Action::Uppercase,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Action::Replace => "replace",
            Action::Keep => "keep",
            Action::Drop => "drop",
            Action::KeepEqual => "keepequal",
            Action::DropEqual => "dropequal",
            Action::HashMod => "hashmod",
            Action::LabelMap => "labelmap",
            Action::LabelDrop => "labeldrop",
            Action::LabelKeep => "labelkeep",
            Action::Lowercase => "lowercase",
            Action::Uppercase => "uppercase",
        }
    }

    /// Prometheus accepts any letter case (`Replace`, `LABELMAP`).
    pub fn parse(s: &str) -> Option<Action> {
        let lower = s.to_lowercase();
        Action::ALL.into_iter().find(|a| a.as_str() == lower)
    }
}

impl fmt::Display for Action {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Which label names are valid: 3.x defaults to UTF-8; `metric_name_validation_scheme: legacy`
/// (global or per job) brings back `[a-zA-Z_][a-zA-Z0-9_]*`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum NameScheme {
    #[default]
    Utf8,
    Legacy,
}

impl NameScheme {
    pub fn is_valid_label_name(self, s: &str) -> bool {
        match self {
            NameScheme::Utf8 => !s.is_empty(),
            NameScheme::Legacy => model::is_legacy_label_name(s),
        }
    }

    /// A `target_label`/labelmap `replacement` with `$` templates: legacy names may be built from
    /// `$var`/`${var}` pieces (Prometheus's `relabelTargetLegacy` pattern); UTF-8 takes any name.
    fn is_valid_template(self, s: &str) -> bool {
        match self {
            NameScheme::Utf8 => !s.is_empty(),
            NameScheme::Legacy => legacy_template(s),
        }
    }
}

/// `^(?:(?:[a-zA-Z_]|\$(?:\{\w+\}|\w+))+\w*)+$`, written out by hand.
fn legacy_template(s: &str) -> bool {
    let b = s.as_bytes();
    let word = |c: u8| c.is_ascii_alphanumeric() || c == b'_';
    let mut i = 0;
    if b.is_empty() {
        return false;
    }
    while i < b.len() {
        match b[i] {
            c if c.is_ascii_alphabetic() || c == b'_' => i += 1,
            b'$' => {
                if b.get(i + 1) == Some(&b'{') {
                    let start = i + 2;
                    let mut j = start;
                    while j < b.len() && word(b[j]) {
                        j += 1;
                    }
                    if j == start || b.get(j) != Some(&b'}') {
                        return false;
                    }
                    i = j + 1;
                } else {
                    let start = i + 1;
                    let mut j = start;
                    while j < b.len() && word(b[j]) {
                        j += 1;
                    }
                    if j == start {
                        return false;
                    }
                    i = j;
                }
            }
            // Digits may follow a letter or a variable (`\w*`), never start the name.
            c if c.is_ascii_digit() && i > 0 => i += 1,
            _ => return false,
        }
    }
    true
}

pub const DEFAULT_SEPARATOR: &str = ";";
pub const DEFAULT_REGEX: &str = "(.*)";
pub const DEFAULT_REPLACEMENT: &str = "$1";

/// A validated relabel rule, ready to apply.
#[derive(Clone, Debug)]
pub struct Rule {
    /// `None` when the field is absent or null; Prometheus tells that apart from `[]`.
    pub source_labels: Option<Vec<String>>,
    pub separator: String,
    /// The regex as written (without the anchoring).
    pub regex_src: String,
    pub regex: Regex,
    /// Whether `regex` was written at all: Prometheus compares with its default by identity,
    /// so `regex: (.*)` spelled out is not "the default" (keepequal refuses it).
    pub regex_set: bool,
    pub modulus: u64,
    pub target_label: String,
    pub replacement: String,
    pub action: Action,
    /// Decides which expanded `target_label`s are valid when the rule runs.
    pub scheme: NameScheme,
    /// Where the rule starts in the YAML.
    pub pos: Pos,
}

impl Rule {
    /// The source label names (empty when none were given).
    pub fn sources(&self) -> &[String] {
        self.source_labels.as_deref().unwrap_or(&[])
    }
}

const FIELDS: [&str; 7] = ["source_labels", "separator", "regex", "modulus", "target_label", "replacement", "action"];

/// Reads and validates one rule from its YAML mapping.
pub fn parse_rule(node: &Node, scheme: NameScheme) -> Result<Rule, ConfigError> {
    let entries = match &node.value {
        Value::Map(e) => e.as_slice(),
        // An empty list item (`- `) decodes to the defaults in Go, then fails validation below.
        Value::Null => &[],
        _ => return Err(ConfigError::new(node.pos, format!("cannot unmarshal {} into relabel.Config", node.tag()))),
    };
    let mut raw = Raw::default();
    let mut seen: Vec<&str> = Vec::new();
    for (k, v) in entries {
        let Some(key) = k.as_str() else {
            return Err(ConfigError::new(k.pos, format!("cannot unmarshal {} into a field name", k.tag())));
        };
        if seen.contains(&key) {
            return Err(ConfigError::new(k.pos, format!("mapping key {key:?} already defined")));
        }
        seen.push(key);
        if !FIELDS.contains(&key) {
            return Err(ConfigError::new(k.pos, format!("field {key} not found in type relabel.plain")));
        }
        raw.read(key, v)?;
    }
    raw.finish(node.pos, scheme)
}

/// Field values as decoded, before defaults and validation; each with its position.
#[derive(Default)]
struct Raw {
    source_labels: Option<(Option<Vec<String>>, Pos)>,
    separator: Option<(String, Pos)>,
    regex: Option<(String, Pos)>,
    modulus: Option<(u64, Pos)>,
    target_label: Option<(String, Pos)>,
    replacement: Option<(String, Pos)>,
    action: Option<(Option<Action>, Pos)>,
}

/// A string field: any scalar's text (Go's yaml decodes `123` or `true` into a string as
/// written); null is the zero value "".
fn string_field(v: &Node) -> Result<String, ConfigError> {
    match &v.value {
        Value::Null => Ok(String::new()),
        Value::Scalar { text, .. } => Ok(text.clone()),
        _ => Err(ConfigError::new(v.pos, format!("cannot unmarshal {} into string", v.describe()))),
    }
}

fn parse_u64(v: &Node) -> Result<u64, ConfigError> {
    let bad = || ConfigError::new(v.pos, format!("cannot unmarshal {} into uint64", v.describe()));
    match &v.value {
        Value::Null => Ok(0),
        Value::Scalar { text, plain: true } => {
            let t = text.replace('_', "");
            let t = t.strip_prefix('+').unwrap_or(&t);
            let parsed = if let Some(h) = t.strip_prefix("0x") {
                u64::from_str_radix(h, 16).ok()
            } else if let Some(o) = t.strip_prefix("0o") {
                u64::from_str_radix(o, 8).ok()
            } else if let Some(b) = t.strip_prefix("0b") {
                u64::from_str_radix(b, 2).ok()
            } else {
                t.parse::<u64>().ok()
            };
            parsed.ok_or_else(bad)
        }
        _ => Err(bad()),
    }
}

impl Raw {
    fn read(&mut self, key: &str, v: &Node) -> Result<(), ConfigError> {
        let pos = v.pos;
        match key {
            "source_labels" => {
                let names = match &v.value {
                    Value::Null => None,
                    Value::Seq(items) => {
                        let mut names = Vec::with_capacity(items.len());
                        for item in items {
                            let name = string_field(item)?;
                            // UTF-8 names are allowed in 3.x; only the empty name is not a name.
                            if name.is_empty() {
                                return Err(ConfigError::new(item.pos, format!("{name:?} is not a valid label name")));
                            }
                            names.push(name);
                        }
                        Some(names)
                    }
                    _ => {
                        return Err(ConfigError::new(
                            pos,
                            format!("cannot unmarshal {} into model.LabelNames", v.describe()),
                        ))
                    }
                };
                self.source_labels = Some((names, pos));
            }
            "separator" => self.separator = Some((string_field(v)?, pos)),
            "regex" => {
                // Null leaves Go's Regexp unset, which becomes the empty regex (not the default).
                self.regex = Some((string_field(v)?, pos));
            }
            "modulus" => self.modulus = Some((parse_u64(v)?, pos)),
            "target_label" => self.target_label = Some((string_field(v)?, pos)),
            "replacement" => self.replacement = Some((string_field(v)?, pos)),
            "action" => {
                let s = string_field(v)?;
                let action = if s.is_empty() && v.is_null() {
                    None
                } else {
                    Some(
                        Action::parse(&s)
                            .ok_or_else(|| ConfigError::new(pos, format!("unknown relabel action {s:?}")))?,
                    )
                };
                self.action = Some((action, pos));
            }
            _ => {}
        }
        Ok(())
    }

    fn finish(self, rule_pos: Pos, scheme: NameScheme) -> Result<Rule, ConfigError> {
        let at = |p: Option<Pos>| p.unwrap_or(rule_pos);
        let (regex_src, regex_pos) = match &self.regex {
            Some((s, p)) => (s.clone(), Some(*p)),
            None => (DEFAULT_REGEX.to_string(), None),
        };
        let regex = compile_anchored(&regex_src).map_err(|e| ConfigError::new(at(regex_pos), e))?;
        let action = match self.action {
            None => Action::Replace,
            Some((Some(a), _)) => a,
            Some((None, p)) => return Err(ConfigError::new(p, "relabel action cannot be empty")),
        };
        let action_pos = self.action.as_ref().map(|a| a.1);
        let rule = Rule {
            source_labels: self.source_labels.as_ref().and_then(|s| s.0.clone()),
            separator: self.separator.as_ref().map_or(DEFAULT_SEPARATOR.to_string(), |s| s.0.clone()),
            regex_src,
            regex,
            regex_set: self.regex.is_some(),
            modulus: self.modulus.map_or(0, |m| m.0),
            target_label: self.target_label.as_ref().map_or(String::new(), |s| s.0.clone()),
            replacement: self.replacement.as_ref().map_or(DEFAULT_REPLACEMENT.to_string(), |s| s.0.clone()),
            action,
            scheme,
            pos: rule_pos,
        };
        let positions = FieldPos {
            source_labels: self.source_labels.as_ref().map(|s| s.1),
            separator: self.separator.as_ref().map(|s| s.1),
            regex: regex_pos,
            modulus: self.modulus.map(|m| m.1),
            target_label: self.target_label.as_ref().map(|s| s.1),
            replacement: self.replacement.as_ref().map(|s| s.1),
            action: action_pos,
        };
        validate(&rule, &positions).map_err(|(p, msg)| ConfigError::new(at(p), msg))?;
        Ok(rule)
    }
}

struct FieldPos {
    source_labels: Option<Pos>,
    separator: Option<Pos>,
    regex: Option<Pos>,
    modulus: Option<Pos>,
    target_label: Option<Pos>,
    replacement: Option<Pos>,
    action: Option<Pos>,
}

/// Prometheus's `Config.Validate`, in its order, with its messages.
fn validate(r: &Rule, p: &FieldPos) -> Result<(), (Option<Pos>, String)> {
    use Action::*;
    let a = r.action;
    let tl = p.target_label.or(p.action);
    if a == HashMod && r.modulus == 0 {
        return Err((p.modulus.or(p.action), "relabel configuration for hashmod requires non-zero modulus".into()));
    }
    let needs_target = matches!(a, Replace | HashMod | Lowercase | Uppercase | KeepEqual | DropEqual);
    if needs_target && r.target_label.is_empty() {
        return Err((p.action, format!("relabel configuration for {a} action requires 'target_label' value")));
    }
    let invalid_target = || (tl, format!("{:?} is invalid 'target_label' for {a} action", r.target_label));
    let s = r.scheme;
    let templated = r.target_label.contains('$');
    if a == Replace && !templated && !s.is_valid_label_name(&r.target_label) {
        return Err(invalid_target());
    }
    if a == Replace && templated && !s.is_valid_template(&r.target_label) {
        return Err(invalid_target());
    }
    if matches!(a, Lowercase | Uppercase | KeepEqual | DropEqual) && !s.is_valid_label_name(&r.target_label) {
        return Err(invalid_target());
    }
    if matches!(a, Lowercase | Uppercase | KeepEqual | DropEqual) && r.replacement != DEFAULT_REPLACEMENT {
        return Err((p.replacement, format!("'replacement' can not be set for {a} action")));
    }
    if a == LabelMap && !s.is_valid_template(&r.replacement) {
        return Err((p.replacement, format!("{:?} is invalid 'replacement' for {a} action", r.replacement)));
    }
    if a == HashMod && !s.is_valid_label_name(&r.target_label) {
        return Err(invalid_target());
    }
    if matches!(a, KeepEqual | DropEqual) {
        let extra = [
            (r.regex_set, p.regex),
            (r.modulus != 0, p.modulus),
            (r.separator != DEFAULT_SEPARATOR, p.separator),
            (r.replacement != DEFAULT_REPLACEMENT, p.replacement),
        ];
        if let Some((_, pos)) = extra.iter().find(|(bad, _)| *bad) {
            return Err((
                *pos,
                format!("{a} action requires only 'source_labels' and `target_label`, and no other fields"),
            ));
        }
    }
    if matches!(a, LabelDrop | LabelKeep) {
        let extra = [
            (r.source_labels.is_some(), p.source_labels),
            (!r.target_label.is_empty(), p.target_label),
            (r.modulus != 0, p.modulus),
            (r.separator != DEFAULT_SEPARATOR, p.separator),
            (r.replacement != DEFAULT_REPLACEMENT, p.replacement),
        ];
        if let Some((_, pos)) = extra.iter().find(|(bad, _)| *bad) {
            return Err((*pos, format!("{a} action requires only 'regex', and no other fields")));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::yaml;

    fn rule(src: &str) -> Result<Rule, ConfigError> {
        parse_rule(&yaml::parse(src).unwrap_or_else(|e| panic!("{e}")), NameScheme::Utf8)
    }

    #[test]
    fn legacy_names() {
        let legacy = |src: &str| parse_rule(&yaml::parse(src).unwrap_or_else(|e| panic!("{e}")), NameScheme::Legacy);
        let e = legacy("target_label: a.b").err().unwrap_or_else(|| panic!("ok"));
        assert_eq!(e.to_string(), "1:15: \"a.b\" is invalid 'target_label' for replace action");
        assert!(legacy("target_label: ${1}_x").is_ok());
        assert!(legacy("target_label: x_$1").is_ok());
        assert!(legacy("target_label: -${1}").is_err());
        assert!(legacy("target_label: ${").is_err());
        assert!(rule("target_label: a.b").is_ok());
        for (t, ok) in [
            ("label${1}", true),
            ("${1}label", true),
            ("$1", true),
            ("asd$2asd", true),
            ("_${1}_", true),
            ("foo${bar}foo", true),
            ("${}", false),
            ("$", false),
            ("foo${", false),
            ("bar.foo${1}bar", false),
            ("-label", false),
        ] {
            assert_eq!(legacy_template(t), ok, "{t}");
        }
    }

    #[test]
    fn defaults() {
        let r = rule("target_label: x").unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(r.action, Action::Replace);
        assert_eq!(r.separator, ";");
        assert_eq!(r.replacement, "$1");
        assert_eq!(r.regex_src, "(.*)");
        assert!(!r.regex_set);
    }

    #[test]
    fn messages_and_positions() {
        let e = rule("action: labeldrop\nsource_labels: [a]\n").err().unwrap_or_else(|| panic!("ok"));
        assert_eq!(e.to_string(), "2:16: labeldrop action requires only 'regex', and no other fields");
        let e = rule("action: Hashmod\ntarget_label: x").err().unwrap_or_else(|| panic!("ok"));
        assert_eq!(e.message, "relabel configuration for hashmod requires non-zero modulus");
        let e = rule("action: frob").err().unwrap_or_else(|| panic!("ok"));
        assert_eq!(e.to_string(), "1:9: unknown relabel action \"frob\"");
        let e = rule("regex: '('\ntarget_label: x").err().unwrap_or_else(|| panic!("ok"));
        assert_eq!(e.pos.line, 1);
        assert!(e.message.starts_with("error parsing regexp"), "{e}");
        let e = rule("target_labels: x").err().unwrap_or_else(|| panic!("ok"));
        assert_eq!(e.message, "field target_labels not found in type relabel.plain");
        let e = rule("action: keepequal\ntarget_label: x\nregex: (.*)").err().unwrap_or_else(|| panic!("ok"));
        assert_eq!(
            e.to_string(),
            "3:8: keepequal action requires only 'source_labels' and `target_label`, and no other fields"
        );
        let e = rule("action:\n").err().unwrap_or_else(|| panic!("ok"));
        assert_eq!(e.message, "relabel action cannot be empty");
    }
}
