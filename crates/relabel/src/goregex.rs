//! Go RE2 regexes on the Rust regex crate: Prometheus's anchoring and Go's ASCII-only classes.

use regex::Regex;

/// Compiles `pattern` as Prometheus 3.x does (`^(?s:pattern)$`). Go's `\d`, `\w`, `\s` and `\b`
/// are ASCII-only while the Rust crate's are Unicode-aware, so those escapes are rewritten first;
/// otherwise `\d` would match "٣" here and not in Prometheus.
pub fn compile_anchored(pattern: &str) -> Result<Regex, String> {
    regex::RegexBuilder::new(&format!("^(?s:{})$", asciify(pattern)))
        // A pathological pattern must fail with a message, not exhaust memory.
        .size_limit(8 << 20)
        .build()
        .map_err(|e| format!("error parsing regexp: {}", last_line(&e.to_string())))
}

fn last_line(s: &str) -> String {
    // The regex crate prints a multi-line diagram; its last line names the problem.
    s.lines().rfind(|l| !l.trim().is_empty()).unwrap_or(s).trim().trim_start_matches("error: ").to_string()
}

fn asciify(p: &str) -> String {
    let mut out = String::with_capacity(p.len() + 16);
    let mut chars = p.chars();
    let mut in_class = false;
    // Right after `[` or `[^`, where `]` is a literal in both dialects.
    let mut class_start = false;
    while let Some(c) = chars.next() {
        let at_start = std::mem::replace(&mut class_start, false);
        match c {
            '\\' => {
                let Some(n) = chars.next() else {
                    out.push('\\');
                    break;
                };
                let rep = match (n, in_class) {
                    ('d', false) => "[0-9]",
                    ('D', false) => "[^0-9]",
                    ('w', false) => "[0-9A-Za-z_]",
                    ('W', false) => "[^0-9A-Za-z_]",
                    ('s', false) => "[\\t\\n\\f\\r ]",
                    ('S', false) => "[^\\t\\n\\f\\r ]",
                    ('b', false) => "(?-u:\\b)",
                    ('B', false) => "(?-u:\\B)",
                    ('d', true) => "0-9",
                    ('w', true) => "0-9A-Za-z_",
                    ('s', true) => "\\t\\n\\f\\r ",
                    // Rust's nested classes give the negations a union inside a class.
                    ('D', true) => "[^0-9]",
                    ('W', true) => "[^0-9A-Za-z_]",
                    ('S', true) => "[^\\t\\n\\f\\r ]",
                    _ => {
                        out.push('\\');
                        out.push(n);
                        continue;
                    }
                };
                out.push_str(rep);
            }
            '[' if in_class => {
                if chars.as_str().starts_with(':') {
                    // `[[:alpha:]]` and friends mean the same in both dialects.
                    if let Some(end) = chars.as_str().find(":]") {
                        out.push('[');
                        out.extend(chars.by_ref().take(end + 2));
                        continue;
                    }
                }
                // Go reads `[` inside a class as a literal; Rust would open a nested class.
                out.push_str("\\[");
            }
            '[' => {
                in_class = true;
                class_start = true;
                out.push('[');
                if chars.as_str().starts_with('^') {
                    out.push('^');
                    chars.next();
                }
            }
            ']' if in_class && !at_start => {
                in_class = false;
                out.push(']');
            }
            // Rust reads `&&` and `~~` in a class as set operations; Go as literals.
            '&' | '~' if in_class => {
                out.push('\\');
                out.push(c);
            }
            _ => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ok(p: &str) -> Regex {
        compile_anchored(p).unwrap_or_else(|e| panic!("{p}: {e}"))
    }

    #[test]
    fn ascii_classes_like_go() {
        assert!(ok(r"\d+").is_match("123"));
        assert!(!ok(r"\d+").is_match("١٢٣"));
        assert!(!ok(r"\w").is_match("é"));
        assert!(ok(r"[\d.]+").is_match("1.5"));
        assert!(!ok(r"[\d.]+").is_match("١"));
        assert!(ok(r"[^\s]+").is_match("ab"));
        assert!(ok(r"[[:alpha:]]+").is_match("ab"));
        assert!(ok(r"[]a]+").is_match("]a"));
        assert!(ok(r"a\.b").is_match("a.b"));
    }

    #[test]
    fn anchored_and_dotall() {
        assert!(!ok("foo").is_match("xfoo"));
        assert!(ok("a.b").is_match("a\nb"));
        assert!(ok("a|b").is_match("b"));
    }

    #[test]
    fn errors_are_messages() {
        assert!(compile_anchored("(foo").is_err());
        assert!(compile_anchored("\\").is_err());
    }
}
