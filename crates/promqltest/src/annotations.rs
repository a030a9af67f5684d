//! Checks of errors and annotations (PROMQLTEST_FORMAT.md section 9): expected failure
//! messages, and warnings/infos against `expect warn|info|no_warn|no_info` lines.

use crate::script::{Expectations, MsgMatch};

/// A query failed: passes only if a failure was expected with a matching message.
pub fn check_failure(exp: &Expectations, error: &str) -> Result<(), String> {
    match &exp.fail {
        None => Err(format!("unexpected error: {error}")),
        Some(m) if m.matches(error) => Ok(()),
        Some(m) => Err(format!("expected error with {} but got: {error}", m.describe())),
    }
}

/// Warnings and infos of a successful query. A kind with neither `expect` lines nor a legacy
/// header suffix is not checked at all.
/// Prometheus's runner accepts only PromQL warnings and infos as annotations.
const WARNING_PREFIX: &str = "PromQL warning: ";
const INFO_PREFIX: &str = "PromQL info: ";

pub fn check_annotations(exp: &Expectations, warnings: &[String], infos: &[String]) -> Result<(), String> {
    if let Some(w) = warnings.iter().find(|w| !w.starts_with(WARNING_PREFIX)) {
        return Err(format!("unexpected annotation (not a PromQL warning): {w}"));
    }
    if let Some(i) = infos.iter().find(|i| !i.starts_with(INFO_PREFIX)) {
        return Err(format!("unexpected annotation (not a PromQL info): {i}"));
    }
    check_kind("warning", exp.any_warn, &exp.warn, exp.no_warn, warnings)?;
    check_kind("info", exp.any_info, &exp.info, exp.no_info, infos)
}

fn check_kind(kind: &str, any: bool, expected: &[MsgMatch], none: bool, got: &[String]) -> Result<(), String> {
    if (any || !expected.is_empty()) && got.is_empty() {
        return Err(format!("expected {kind} annotations but got none"));
    }
    if none && !got.is_empty() {
        return Err(format!("unexpected {kind} annotations: {}", got.join("; ")));
    }
    if expected.is_empty() {
        return Ok(());
    }
    if let Some(m) = expected.iter().find(|m| !got.iter().any(|g| m.matches(g))) {
        return Err(format!("expected {kind} annotation with {} but got: {}", m.describe(), got.join("; ")));
    }
    if let Some(g) = got.iter().find(|g| !expected.iter().any(|m| m.matches(g))) {
        return Err(format!("unexpected {kind} annotation: {g}"));
    }
    Ok(())
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::parse::parse_script;
    use crate::script::Command;

    fn expect(body: &str) -> Expectations {
        let script = parse_script(&format!("eval instant at 0 m\n{body}")).unwrap();
        match script.commands.into_iter().next() {
            Some(Command::Eval(e)) => e.expect,
            _ => Expectations::default(),
        }
    }

    fn w(s: &[&str]) -> Vec<String> {
        s.iter().map(|x| format!("PromQL warning: {x}")).collect()
    }

    #[test]
    fn warnings() {
        let none: Vec<String> = Vec::new();
        // Not mentioned: not checked.
        assert!(check_annotations(&expect(""), &w(&["x"]), &none).is_ok());
        assert!(check_annotations(&expect("  expect no_warn\n"), &w(&["x"]), &none).is_err());
        assert!(check_annotations(&expect("  expect no_warn\n"), &none, &none).is_ok());
        assert!(check_annotations(&expect("  expect warn\n"), &none, &none).is_err());
        assert!(check_annotations(&expect("  expect warn\n"), &w(&["a", "b"]), &none).is_ok());
        let exact = expect("  expect warn msg: PromQL warning: a\n");
        assert!(check_annotations(&exact, &w(&["a"]), &none).is_ok());
        assert!(check_annotations(&exact, &w(&["a", "b"]), &none).is_err(), "every warning must be expected");
        let re = expect("  expect warn regex: w.rn\n  expect warn msg: PromQL warning: b\n");
        assert!(check_annotations(&re, &w(&["b"]), &none).is_ok());
        let re = expect("  expect warn regex: ^a$\n  expect warn msg: PromQL warning: b\n");
        assert!(check_annotations(&re, &w(&["b"]), &none).is_err(), "every expect line must match");
        assert!(check_annotations(&expect(""), &["odd".to_string()], &none).is_err());
    }

    #[test]
    fn infos_and_failures() {
        let none: Vec<String> = Vec::new();
        let infos = vec!["PromQL info: i".to_string()];
        assert!(check_annotations(&expect("  expect info\n"), &none, &infos).is_ok());
        assert!(check_annotations(&expect("  expect no_info\n"), &none, &infos).is_err());
        assert!(check_annotations(&expect("  expect info\n"), &none, &none).is_err());
        assert!(check_failure(&expect("  expect fail\n"), "anything").is_ok());
        assert!(check_failure(&expect("  expect fail msg: exact words\n"), "exact words").is_ok());
        assert!(check_failure(&expect("  expect fail msg: exact words\n"), "exact words!").is_err());
        assert!(check_failure(&expect("  expect fail regex: ex.ct\n"), "an exact match").is_ok());
        assert!(check_failure(&expect(""), "boom").is_err());
    }
}
