//! `$1`, `${1}`, `$name`, `${name}` and `$$` expansion, exactly as Go's `Regexp.Expand`.

use regex::{Captures, Regex};

/// Expands `template` with the groups of one match. Like Go: a name is the longest run of
/// letters, digits and `_` (so `$1x` is the group named `1x`, which does not exist, giving "");
/// a malformed `$` is kept as text; a group that did not take part expands to "".
pub fn expand(re: &Regex, caps: &Captures<'_>, template: &str) -> String {
    let mut out = String::with_capacity(template.len());
    let mut rest = template;
    while let Some(i) = rest.find('$') {
        out.push_str(&rest[..i]);
        rest = &rest[i + 1..];
        if let Some(r) = rest.strip_prefix('$') {
            out.push('$');
            rest = r;
            continue;
        }
        let Some((name, after)) = extract(rest) else {
            out.push('$');
            continue;
        };
        rest = after;
        let group = match group_number(name) {
            Some(n) => caps.get(n),
            None => re.capture_names().position(|n| n == Some(name)).and_then(|i| caps.get(i)),
        };
        if let Some(m) = group {
            out.push_str(m.as_str());
        }
    }
    out.push_str(rest);
    out
}

/// Splits `name` or `{name}` off the text after a `$`; `None` when malformed.
fn extract(s: &str) -> Option<(&str, &str)> {
    let (body, brace) = match s.strip_prefix('{') {
        Some(b) => (b, true),
        None => (s, false),
    };
    let end = body.find(|c: char| !(c.is_alphabetic() || c.is_numeric() || c == '_')).unwrap_or(body.len());
    if end == 0 {
        return None;
    }
    let name = &body[..end];
    let rest = &body[end..];
    if brace {
        return rest.strip_prefix('}').map(|r| (name, r));
    }
    Some((name, rest))
}

/// Go reads a name as a group number only if it is all ASCII digits, below 1e8, without a
/// leading zero.
fn group_number(name: &str) -> Option<usize> {
    if !name.bytes().all(|b| b.is_ascii_digit()) || name.len() > 8 || (name.len() > 1 && name.starts_with('0')) {
        return None;
    }
    name.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ex(re: &str, input: &str, template: &str) -> String {
        let re = Regex::new(re).unwrap_or_else(|e| panic!("{e}"));
        let caps = re.captures(input).unwrap_or_else(|| panic!("no match"));
        expand(&re, &caps, template)
    }

    #[test]
    fn go_expand_rules() {
        assert_eq!(ex("(a)(b)", "ab", "$1-$2"), "a-b");
        assert_eq!(ex("(a)(b)", "ab", "${1}x"), "ax");
        assert_eq!(ex("(a)(b)", "ab", "$1x"), "");
        assert_eq!(ex("(a)(b)", "ab", "$$1"), "$1");
        assert_eq!(ex("(?P<n>a)b", "ab", "<$n>"), "<a>");
        assert_eq!(ex("(?P<n>a)b", "ab", "${n}_"), "a_");
        assert_eq!(ex("(a)", "a", "x$"), "x$");
        assert_eq!(ex("(a)", "a", "${1"), "${1");
        assert_eq!(ex("(a)", "a", "$-"), "$-");
        assert_eq!(ex("(a)", "a", "$0$01"), "a");
        assert_eq!(ex("(a)|(b)", "b", "[$1]"), "[]");
        assert_eq!(ex("(a)", "a", "$99"), "");
    }
}
