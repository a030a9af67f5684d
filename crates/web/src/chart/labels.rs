//! Reads the label-set text a series is given with (`{job="a", le="0.5"}`) back into pairs: the
//! heatmap needs `le` and the other labels apart. The input type carries text because that is
//! what the worker already renders for the table and legend.

/// The `name="value"` pairs of a label set, unescaping `\"`, `\\` and `\n` as Prometheus writes
/// them. Anything before `{` (a metric name) is ignored; `None` when the text is not a label set.
pub fn parse(text: &str) -> Option<Vec<(String, String)>> {
    let mut rest = &text[text.find('{')? + 1..];
    let mut out = Vec::new();
    loop {
        rest = rest.trim_start_matches([' ', ',']);
        if let Some(after) = rest.strip_prefix('}') {
            return after.trim().is_empty().then_some(out);
        }
        let eq = rest.find('=')?;
        let name = rest[..eq].trim().trim_matches('"').to_string();
        rest = rest[eq + 1..].trim_start().strip_prefix('"')?;
        let mut value = String::new();
        let mut chars = rest.char_indices();
        let end = loop {
            match chars.next()? {
                (i, '"') => break i,
                (_, '\\') => match chars.next()?.1 {
                    'n' => value.push('\n'),
                    c => value.push(c),
                },
                (_, c) => value.push(c),
            }
        };
        rest = &rest[end + 1..];
        out.push((name, value));
    }
}

/// Writes pairs back as label-set text, escaping as [`parse`] unescapes.
pub fn render(pairs: &[(String, String)]) -> String {
    let mut out = String::from("{");
    for (i, (name, value)) in pairs.iter().enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        out.push_str(name);
        out.push_str("=\"");
        for c in value.chars() {
            match c {
                '"' => out.push_str("\\\""),
                '\\' => out.push_str("\\\\"),
                '\n' => out.push_str("\\n"),
                c => out.push(c),
            }
        }
        out.push('"');
    }
    out.push('}');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs(p: &[(&str, &str)]) -> Vec<(String, String)> {
        p.iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect()
    }

    #[test]
    fn parses_label_sets_with_escapes() {
        assert_eq!(
            parse(r#"{job="a", le="0.5"}"#),
            Some(pairs(&[("job", "a"), ("le", "0.5")]))
        );
        assert_eq!(
            parse(r#"metric{path="/a\"b\\c\n",x="}"}"#),
            Some(pairs(&[("path", "/a\"b\\c\n"), ("x", "}")]))
        );
        assert_eq!(parse("{}"), Some(Vec::new()));
        assert_eq!(parse(r#"{job="a",}"#), Some(pairs(&[("job", "a")])));
    }

    #[test]
    fn rejects_what_is_not_a_label_set() {
        assert_eq!(parse("no braces"), None);
        assert_eq!(parse(r#"{job="a""#), None);
        assert_eq!(parse(r#"{job=a}"#), None);
        assert_eq!(parse(r#"{job="a"} trailing"#), None);
    }

    #[test]
    fn render_round_trips() {
        let p = pairs(&[("a", "x\"y\\z\n"), ("b", "")]);
        assert_eq!(parse(&render(&p)), Some(p));
        assert_eq!(render(&[]), "{}");
    }
}
