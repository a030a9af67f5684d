//! Which labels a text-format sample line exposes with an empty value (`instance=""`). Label
//! sets drop empty values, but with `honor_labels: true` Prometheus still counts such a label as
//! exposed, so the target's label is not attached.

/// Names of the `name=""` pairs inside the braces of one sample line; empty when unreadable.
pub fn empty_label_names(line: &str) -> Vec<String> {
    let mut out = Vec::new();
    let Some(open) = line.find('{') else { return out };
    let mut rest = &line[open + 1..];
    loop {
        rest = rest.trim_start_matches([' ', '\t', ',']);
        if rest.is_empty() || rest.starts_with('}') {
            return out;
        }
        let (name, after) = if let Some(q) = rest.strip_prefix('"') {
            match read_quoted(q) {
                Some(x) => x,
                None => return out,
            }
        } else {
            let end = rest.find(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == ':')).unwrap_or(rest.len());
            (rest[..end].to_string(), &rest[end..])
        };
        let after = after.trim_start();
        let Some(after) = after.strip_prefix('=') else {
            // A quoted metric name inside the braces (`{"my.metric", a="b"}`) has no `=`.
            rest = after;
            if rest.starts_with(',') || rest.starts_with('}') {
                continue;
            }
            return out;
        };
        let Some(v) = after.trim_start().strip_prefix('"') else { return out };
        let Some((value, after)) = read_quoted(v) else { return out };
        if value.is_empty() {
            out.push(name);
        }
        rest = after;
    }
}

/// Reads an escaped string up to its closing quote; returns it and the text after.
fn read_quoted(s: &str) -> Option<(String, &str)> {
    let mut value = String::new();
    let mut chars = s.char_indices();
    while let Some((i, c)) = chars.next() {
        match c {
            '"' => return Some((value, &s[i + 1..])),
            '\\' => value.push(chars.next()?.1),
            c => value.push(c),
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_empty_pairs_only() {
        assert_eq!(empty_label_names(r#"x{instance="",job="a",b="x=\"\""} 1"#), vec!["instance"]);
        assert_eq!(empty_label_names(r#"{"my.metric", "a.b"=""} 1"#), vec!["a.b"]);
        assert!(empty_label_names("x 1").is_empty());
        assert!(empty_label_names(r#"x{a="unterminated"#).is_empty());
    }
}
