//! Go RE2 regexes, as Prometheus compiles them, on regex-automata's PikeVM: Prometheus's
//! anchoring (`^(?s:...)$`), Go's ASCII-only `\d`, `\w`, `\s`, `\b`, and Go's `Regexp.Expand`.
//!
//! One place for the dialect, used by label matchers, `label_replace` and relabeling alike. The
//! PikeVM alone (no lazy DFA, no literal prefilters) keeps the wasm module small and compiles
//! fast; matching runs once per distinct label value, so its speed is not what bounds a query.

use regex_automata::nfa::thompson::{self, pikevm};
use regex_automata::util::captures::Captures as RawCaptures;
use std::sync::{Mutex, OnceLock};

/// A fully anchored Go regex. The syntax is checked when it is created (so a bad pattern fails
/// where the user wrote it); the automaton is built on the first match, because parsing a
/// query is far more frequent (every keystroke in the editor) than matching with it.
pub struct Regex {
    pattern: String,
    /// What is compiled: the pattern in Go's dialect, anchored unless made by `unanchored`.
    anchored: String,
    compiled: OnceLock<Result<Compiled, String>>,
}

struct Compiled {
    vm: pikevm::PikeVM,
    // Search scratch space, reused between calls; a poisoned lock still holds a usable cache.
    cache: Mutex<pikevm::Cache>,
}

/// Just the pattern: the automaton's own `Debug` would link a large printer into the wasm.
impl std::fmt::Debug for Regex {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_tuple("Regex").field(&self.pattern).finish()
    }
}

impl Clone for Regex {
    fn clone(&self) -> Self {
        Regex { pattern: self.pattern.clone(), anchored: self.anchored.clone(), compiled: OnceLock::new() }
    }
}

/// The groups of one match.
#[derive(Debug)]
pub struct Captures<'h> {
    haystack: &'h str,
    raw: RawCaptures,
}

impl Regex {
    /// Compiles `pattern` as Prometheus 3.x does (`^(?s:pattern)$`, Go syntax).
    pub fn new(pattern: &str) -> Result<Regex, String> {
        Regex::with_compiled(pattern, format!("^(?s:{})$", asciify(pattern)))
    }

    /// Compiles `pattern` as Go's `regexp.MustCompile` does: matching finds it anywhere in the
    /// text (`MatchString`), as promqltest's `expect fail regex:` lines are matched.
    pub fn unanchored(pattern: &str) -> Result<Regex, String> {
        Regex::with_compiled(pattern, asciify(pattern))
    }

    fn with_compiled(pattern: &str, anchored: String) -> Result<Regex, String> {
        regex_automata::util::syntax::parse(&anchored).map_err(|e| syntax_error_text(&e))?;
        let re = Regex { pattern: pattern.to_string(), anchored, compiled: OnceLock::new() };
        // Only counted repetitions can pass the syntax check and still exceed the size limit:
        // build those now, so that failure, too, is reported where the pattern was written.
        if pattern.contains('{') {
            re.compiled()?;
        }
        Ok(re)
    }

    fn compiled(&self) -> Result<&Compiled, String> {
        self.compiled
            .get_or_init(|| {
                let vm = pikevm::PikeVM::builder()
                    // A pathological pattern must fail with a message, not exhaust memory.
                    .thompson(thompson::Config::new().nfa_size_limit(Some(8 << 20)))
                    .build(&self.anchored)
                    .map_err(|e| format!("error parsing regexp: {}", build_error_text(&e)))?;
                let cache = Mutex::new(vm.create_cache());
                Ok(Compiled { vm, cache })
            })
            .as_ref()
            .map_err(Clone::clone)
    }

    /// The pattern as written, without the anchoring.
    pub fn as_str(&self) -> &str {
        &self.pattern
    }

    pub fn is_match(&self, haystack: &str) -> bool {
        let Ok(c) = self.compiled() else { return false };
        let mut cache = c.cache.lock().unwrap_or_else(|p| p.into_inner());
        c.vm.is_match(&mut cache, haystack)
    }

    /// The groups of the match, or `None` when the (anchored) pattern does not match.
    pub fn captures<'h>(&self, haystack: &'h str) -> Option<Captures<'h>> {
        let c = self.compiled().ok()?;
        let mut raw = c.vm.create_captures();
        let mut cache = c.cache.lock().unwrap_or_else(|p| p.into_inner());
        c.vm.captures(&mut cache, haystack, &mut raw);
        raw.is_match().then_some(Captures { haystack, raw })
    }
}

impl<'h> Captures<'h> {
    /// Group `i` (0 is the whole match), or `None` when it did not take part.
    pub fn get(&self, i: usize) -> Option<&'h str> {
        let span = self.raw.get_group(i)?;
        self.haystack.get(span.start..span.end)
    }

    pub fn name(&self, name: &str) -> Option<&'h str> {
        let span = self.raw.get_group_by_name(name)?;
        self.haystack.get(span.start..span.end)
    }

    /// Expands `template` with these groups exactly as Go's `Regexp.Expand`: `$1`, `${1}`,
    /// `$name`, `${name}`, `$$`. A name is the longest run of letters, digits and `_` (so `$1x`
    /// is the group named `1x`, which does not exist, giving ""); a malformed `$` is kept as
    /// text; a group that did not take part expands to "".
    pub fn expand(&self, template: &str) -> String {
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
                Some(n) => self.get(n),
                None => self.name(name),
            };
            out.push_str(group.unwrap_or(""));
        }
        out.push_str(rest);
        out
    }
}

/// Compiles a fully anchored Go regex; see [`Regex::new`].
pub fn compile_anchored(pattern: &str) -> Result<Regex, String> {
    Regex::new(pattern)
}

/// What a pattern's error says when it needs a Unicode table this build left out (the `unicode`
/// feature is off): a program that runs such a build looks for it and hands the work to one
/// that has the tables, so the user never reads it there.
pub const NEEDS_UNICODE_TABLES: &str = "the pattern needs Unicode tables that this evaluator leaves out";

fn syntax_error_text(e: &regex_syntax::Error) -> String {
    use regex_syntax::hir::ErrorKind as K;
    if !cfg!(feature = "unicode") {
        if let regex_syntax::Error::Translate(t) = e {
            if matches!(
                t.kind(),
                K::UnicodeCaseUnavailable
                    | K::UnicodePropertyNotFound
                    | K::UnicodePropertyValueNotFound
                    | K::UnicodePerlClassNotFound
            ) {
                return format!("error parsing regexp: {NEEDS_UNICODE_TABLES}");
            }
        }
    }
    format!("error parsing regexp: {}", last_line(&e.to_string()))
}

fn build_error_text(e: &regex_automata::nfa::thompson::BuildError) -> String {
    match std::error::Error::source(e) {
        Some(src) => last_line(&src.to_string()),
        None => last_line(&e.to_string()),
    }
}

/// Syntax errors print a multi-line diagram; its last line names the problem.
fn last_line(full: &str) -> String {
    full.lines().rfind(|l| !l.trim().is_empty()).unwrap_or(full).trim().trim_start_matches("error: ").to_string()
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

    fn ok(p: &str) -> Regex {
        compile_anchored(p).unwrap_or_else(|e| panic!("{p}: {e}"))
    }

    fn ex(re: &str, input: &str, template: &str) -> String {
        let re = ok(re);
        let caps = re.captures(input).unwrap_or_else(|| panic!("no match"));
        caps.expand(template)
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
        // Passes the syntax check, fails the size limit: still an error at creation.
        assert!(compile_anchored("((a{100}){100}){100}").is_err());
    }

    #[test]
    fn clones_match_alike() {
        let re = ok("a(b+)");
        assert!(re.is_match("abb"));
        let copy = re.clone();
        assert!(copy.is_match("ab") && !copy.is_match("a"));
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

    #[cfg(feature = "unicode")]
    #[test]
    fn unicode_tables_as_in_go() {
        // Go's simple case folding maps k to the Kelvin sign and s to the long s.
        assert!(ok("(?i)k").is_match("\u{212A}"));
        assert!(ok("(?i)s").is_match("\u{17F}"));
        assert!(ok(r"\p{Greek}+").is_match("\u{3b1}\u{3b2}"));
        assert!(ok(r"\pL").is_match("\u{e9}"));
        assert!(compile_anchored(r"\p{Klingon}").is_err_and(|e| !e.contains(NEEDS_UNICODE_TABLES)));
    }

    /// Built without the tables (`cargo test -p model`, as the browser's first evaluator is):
    /// a pattern that needs them says so, distinctly from a bad pattern, and the rest still works.
    #[cfg(not(feature = "unicode"))]
    #[test]
    fn without_unicode_tables_such_patterns_say_so() {
        for p in ["(?i)abc", r"\pL", r"\p{Greek}", "(?i)[a-z]+", r"[\p{Lu}x]"] {
            let e = compile_anchored(p).err().unwrap_or_default();
            assert_eq!(e, format!("error parsing regexp: {NEEDS_UNICODE_TABLES}"), "{p}");
        }
        assert!(compile_anchored("(abc").is_err_and(|e| !e.contains(NEEDS_UNICODE_TABLES)));
        assert!(ok("a.c").is_match("a\u{e9}c"));
        assert!(ok(r"[^a]+").is_match("\u{e9}"));
        assert!(ok(r"\d+\w").is_match("12x"));
        assert!(ok("(?-i)abc").is_match("abc"));
    }
}
