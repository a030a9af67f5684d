//! `promplay test-relabel FILE...`: relabel unit tests for CI, in the spirit of
//! `promtool test rules`; a readable diff per failing case and a non-zero exit on failure.
//! The file format is documented in README.md, "Relabel unit tests in CI".

use std::path::Path;

use model::{Label, Labels};
use relabel::yaml::{self, Node, Value};
use relabel::{Loaded, Section, TargetResult};

const USAGE: &str = "usage: promplay test-relabel FILE...";

pub fn main(argv: &[String]) -> (u8, String) {
    if argv.is_empty() || argv.iter().any(|a| a.starts_with("--")) {
        eprintln!("{USAGE}");
        return (2, String::new());
    }
    let mut out = String::new();
    let (mut passed, mut failed) = (0usize, 0usize);
    for path in argv {
        match run_file(path, &mut out) {
            Ok((p, f)) => {
                passed += p;
                failed += f;
            }
            Err(e) => {
                out.push_str(&format!("ERROR {path}:{e}\n"));
                failed += 1;
            }
        }
    }
    out.push_str(&format!("{passed} passed, {failed} failed\n"));
    (if failed == 0 { 0 } else { 1 }, out)
}

/// How the expected output is read.
#[derive(Clone, Copy, PartialEq)]
enum Mode {
    /// `relabel.Process` alone: the labels after the last rule.
    Rules,
    /// A scrape target: defaults before, `__` labels removed and `instance` defaulted after.
    Target,
}

fn run_file(path: &str, out: &mut String) -> Result<(usize, usize), String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!(" {e}"))?;
    let doc = yaml::parse(&text).map_err(|e| e.to_string())?;
    if !matches!(doc.value, Value::Map(_)) {
        return Err(format!("{}: a test file is a mapping with `cases:`", doc.pos));
    }
    let section = match doc.get("section").and_then(Node::as_str) {
        None => Section::Target,
        Some(s) => Section::from_key(s).ok_or_else(|| format!("unknown section {s:?}"))?,
    };
    let job = doc.get("job").and_then(Node::as_str);
    let loaded = load_rules(path, &doc, section, job)?;
    let mode = match doc.get("mode").and_then(Node::as_str) {
        None | Some("rules") => Mode::Rules,
        Some("target") => Mode::Target,
        Some(m) => return Err(format!("unknown mode {m:?} (rules or target)")),
    };
    let Some(Value::Seq(cases)) = doc.get("cases").map(|c| &c.value) else {
        return Err(format!("{}: `cases:` must be a list", doc.pos));
    };
    let (mut passed, mut failed) = (0, 0);
    for (i, case) in cases.iter().enumerate() {
        let name = case.get("name").and_then(Node::as_str).map_or(format!("case {}", i + 1), str::to_string);
        match check(case, &loaded, mode) {
            Ok(()) => passed += 1,
            Err(diff) => {
                failed += 1;
                out.push_str(&format!("FAIL {path}:{}: {name}\n{diff}", case.pos.line));
            }
        }
    }
    Ok((passed, failed))
}

/// Rules come inline (`relabel_configs:` as in a scrape config) or from `config_file:`
/// (relative to the test file; any shape `promplay relabel --config` accepts).
fn load_rules(path: &str, doc: &Node, section: Section, job: Option<&str>) -> Result<Loaded, String> {
    if let Some(file) = doc.get("config_file").and_then(Node::as_str) {
        let full = Path::new(path).parent().unwrap_or(Path::new(".")).join(file);
        let text = std::fs::read_to_string(&full).map_err(|e| format!(" {}: {e}", full.display()))?;
        return relabel::load(&text, section, job).map_err(|e| format!(" {}:{e}", full.display()));
    }
    relabel::load_node(doc, section, job).map_err(|e| e.to_string())
}

fn labels_of(n: &Node) -> Result<Labels, String> {
    let Value::Map(entries) = &n.value else {
        return Err(format!("{}: expected a label map", n.pos));
    };
    let mut out = Vec::new();
    for (k, v) in entries {
        let name = k.as_str().ok_or_else(|| format!("{}: a label name must be a string", k.pos))?;
        out.push(Label::new(name, v.as_str().unwrap_or_default()));
    }
    Ok(Labels::new(out))
}

fn check(case: &Node, loaded: &Loaded, mode: Mode) -> Result<(), String> {
    let input = case
        .get("input")
        .ok_or_else(|| format!("  {}: no `input:`\n", case.pos))
        .and_then(|n| labels_of(n).map_err(|e| format!("  {e}\n")))?;
    let want_dropped = case.get("dropped").and_then(Node::as_str) == Some("true");
    let want_error = case.get("error").and_then(Node::as_str);
    let want = case.get("output").map(labels_of).transpose().map_err(|e| format!("  {e}\n"))?;
    let (got, got_error) = match mode {
        Mode::Rules => (relabel::process(&input, &loaded.rules), None),
        Mode::Target => match relabel::relabel_target(&input, &loaded.settings, &loaded.rules).result {
            TargetResult::Kept { target, .. } => (Some(target), None),
            TargetResult::Dropped { .. } => (None, None),
            TargetResult::Error { message, .. } => (None, Some(message)),
        },
    };
    let trace = || {
        let t = match mode {
            Mode::Rules => relabel::trace(&input, &loaded.rules),
            Mode::Target => relabel::relabel_target(&input, &loaded.settings, &loaded.rules).trace,
        };
        let lines: Vec<String> = t
            .steps
            .iter()
            .filter(|s| s.changed)
            .map(|s| match &s.labels_after {
                Some(l) => format!("    rule {} ({}): {l}", s.rule_index, s.action),
                None => format!("    rule {} ({}): dropped", s.rule_index, s.action),
            })
            .collect();
        if lines.is_empty() {
            "    (no rule changed anything)\n".to_string()
        } else {
            format!("{}\n", lines.join("\n"))
        }
    };
    if let Some(msg) = want_error {
        return match got_error {
            Some(g) if g == msg => Ok(()),
            Some(g) => Err(format!("  expected error: {msg}\n  got error:      {g}\n")),
            None => Err(format!("  expected error: {msg}\n  got:            {}\n  trace:\n{}", show(&got), trace())),
        };
    }
    if let Some(g) = got_error {
        return Err(format!("  unexpected error: {g}\n"));
    }
    if want_dropped {
        return match got {
            None => Ok(()),
            Some(g) => Err(format!("  expected: dropped\n  got:      {g}\n  trace:\n{}", trace())),
        };
    }
    let Some(want) = want else {
        return Err("  a case needs `output:`, `dropped: true` or `error:`\n".to_string());
    };
    match got {
        Some(g) if g == want => Ok(()),
        Some(g) => Err(format!("  expected: {want}\n  got:      {g}\n{}  trace:\n{}", diff(&want, &g), trace())),
        None => Err(format!("  expected: {want}\n  got:      dropped\n  trace:\n{}", trace())),
    }
}

fn show(l: &Option<Labels>) -> String {
    l.as_ref().map_or("dropped".to_string(), Labels::to_string)
}

/// One line per differing label: `-` missing, `+` unexpected, `~` different value.
fn diff(want: &Labels, got: &Labels) -> String {
    let mut out = String::new();
    for l in want {
        match got.get(&l.name) {
            None => out.push_str(&format!("  - {}={}\n", l.name, model::quote(&l.value))),
            Some(v) if v != l.value => {
                out.push_str(&format!("  ~ {}: {} -> {}\n", l.name, model::quote(&l.value), model::quote(v)))
            }
            Some(_) => {}
        }
    }
    for l in got {
        if want.get(&l.name).is_none() {
            out.push_str(&format!("  + {}={}\n", l.name, model::quote(&l.value)));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_example_passes_and_a_wrong_expectation_fails() {
        let example = concat!(env!("CARGO_MANIFEST_DIR"), "/../../tests/relabel/examples/kubernetes_pods.test.yml");
        let (code, out) = main(&[example.to_string()]);
        assert_eq!((code, out.as_str()), (0, "3 passed, 0 failed\n"));
        let text = std::fs::read_to_string(example).unwrap_or_else(|e| panic!("{e}"));
        let broken = text.replacen("      app: api\n", "      app: web\n", 1);
        let p = std::env::temp_dir().join(format!("promplay-test-relabel-{}.yml", std::process::id()));
        std::fs::write(&p, broken).unwrap_or_else(|e| panic!("{e}"));
        let (code, out) = main(&[p.display().to_string()]);
        assert_eq!(code, 1);
        assert!(out.contains("  ~ app: \"web\" -> \"api\"\n"), "{out}");
        assert!(out.ends_with("2 passed, 1 failed\n"), "{out}");
    }
}
