//! Target label sets as people have them: a JSON or YAML list of label maps, or file_sd groups
//! (`[{targets: [...], labels: {...}}]`), each target becoming `__address__`.

use model::{Label, Labels};

use crate::error::ConfigError;
use crate::yaml::{self, Node, Value};

/// Parses a target list; JSON is YAML, so one parser reads both.
pub fn parse_targets(text: &str) -> Result<Vec<Labels>, ConfigError> {
    let root = yaml::parse(text)?;
    let items = match &root.value {
        Value::Seq(items) => items.as_slice(),
        Value::Null => &[],
        // A lone label map or group is a list of one.
        Value::Map(_) => std::slice::from_ref(&root),
        Value::Scalar { .. } => {
            return Err(ConfigError::new(root.pos, "expected a list of label maps or file_sd groups"))
        }
    };
    let mut out = Vec::new();
    for item in items {
        if item.get("targets").is_some() {
            out.extend(group(item)?);
        } else {
            out.push(Labels::new(label_map(item)?));
        }
    }
    Ok(out)
}

fn label_map(n: &Node) -> Result<Vec<Label>, ConfigError> {
    let entries = match &n.value {
        Value::Map(e) => e.as_slice(),
        Value::Null => &[],
        _ => return Err(ConfigError::new(n.pos, format!("expected a label map, found {}", n.tag()))),
    };
    let mut labels = Vec::with_capacity(entries.len());
    for (k, v) in entries {
        let name = k.as_str().ok_or_else(|| ConfigError::new(k.pos, "a label name must be a string"))?;
        let value = match &v.value {
            Value::Scalar { text, .. } => text.clone(),
            Value::Null => String::new(),
            _ => return Err(ConfigError::new(v.pos, format!("label {name:?}: expected a string, found {}", v.tag()))),
        };
        labels.push(Label::new(name, value));
    }
    Ok(labels)
}

/// One file_sd group: group labels, then each target's `__address__` on top.
fn group(n: &Node) -> Result<Vec<Labels>, ConfigError> {
    for (k, _) in match &n.value {
        Value::Map(e) => e.as_slice(),
        _ => &[],
    } {
        if !matches!(k.as_str(), Some("targets" | "labels")) {
            return Err(ConfigError::new(
                k.pos,
                format!("field {} not found in file_sd group", k.as_str().unwrap_or("?")),
            ));
        }
    }
    let common = match n.get("labels") {
        Some(l) => label_map(l)?,
        None => Vec::new(),
    };
    let targets = n.get("targets").map(|t| &t.value);
    let Some(Value::Seq(addrs)) = targets else {
        return match targets {
            Some(Value::Null) | None => Ok(Vec::new()),
            _ => Err(ConfigError::new(n.pos, "targets: expected a list of addresses")),
        };
    };
    let mut out = Vec::with_capacity(addrs.len());
    for a in addrs {
        let addr = a.as_str().ok_or_else(|| ConfigError::new(a.pos, "a target address must be a string"))?;
        let mut labels = common.clone();
        labels.push(Label::new("__address__", addr));
        out.push(Labels::new(labels));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_yaml_and_file_sd() {
        let j = parse_targets(r#"[{"__address__":"a:1","x":"y"}]"#).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(j[0].get("x"), Some("y"));
        let f = parse_targets("- targets: [a:1, b:2]\n  labels: {env: p}\n").unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(f.len(), 2);
        assert_eq!(f[1].get("__address__"), Some("b:2"));
        assert_eq!(f[1].get("env"), Some("p"));
    }
}
