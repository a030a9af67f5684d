//! `formats::lint` against promtool itself: every `tests/lint/*.prom` has beside it the stderr
//! of `promtool check metrics < file` (Debian's promtool 2.42), and the findings must be
//! identical, line for line. Regenerate an expected file with
//! `promtool check metrics < x.prom 2> x.expected`.

#![allow(clippy::panic, clippy::unwrap_used, clippy::expect_used)] // test code fails loudly

use std::path::PathBuf;

#[test]
fn findings_match_promtool_2_42() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/lint");
    let mut inputs: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap_or_else(|e| panic!("{e}")).path())
        .filter(|p| p.extension().is_some_and(|x| x == "prom"))
        .collect();
    inputs.sort();
    assert!(inputs.len() >= 18, "expected the samples and the bad examples, found {}", inputs.len());
    let mut failures = Vec::new();
    for input in &inputs {
        let text = std::fs::read_to_string(input).unwrap_or_else(|e| panic!("{}: {e}", input.display()));
        let expected = std::fs::read_to_string(input.with_extension("expected")).unwrap_or_else(|e| panic!("{}: {e}", input.display()));
        let got: String = match formats::lint::lint(&text) {
            Ok(problems) => problems.iter().map(|p| format!("{p}\n")).collect(),
            Err(e) => format!("error while linting: {e}\n"),
        };
        if got != expected {
            failures.push(format!("{}:\n--- promtool\n{expected}--- promplay\n{got}", input.display()));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
