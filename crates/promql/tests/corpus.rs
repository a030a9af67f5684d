//! Every eval expression of Prometheus's own test suite parses, and its canonical form is a
//! fixed point that parses back to the same tree; the multi-line formatted form does too.

#![allow(clippy::panic)]

mod common;

use promql::parse;

#[test]
fn corpus_parses_and_round_trips() {
    let text = common::read_data("corpus.promql");
    let mut failures = Vec::new();
    let mut count = 0;
    for line in text.lines().filter(|l| !l.trim().is_empty()) {
        count += 1;
        let tree = match parse(line) {
            Ok(t) => t,
            Err(e) => {
                failures.push(format!("{line}\n    parse: {e}"));
                continue;
            }
        };
        let formatted = promql::format(&tree);
        match parse(&formatted) {
            Ok(again) if common::same_tree(&tree, &again) => {}
            Ok(_) => failures.push(format!(
                "{line}\n    formatted form changes the tree:\n{formatted}"
            )),
            Err(e) => failures.push(format!(
                "{line}\n    formatted form fails: {e}\n{formatted}"
            )),
        }
        let printed = tree.to_string();
        match parse(&printed) {
            Ok(again) => {
                if !common::same_tree(&tree, &again) {
                    failures.push(format!("{line}\n    tree changed via {printed}"));
                } else if again.to_string() != printed {
                    failures.push(format!(
                        "{line}\n    not a fixed point: {printed} -> {again}"
                    ));
                }
            }
            Err(e) => failures.push(format!("{line}\n    printed {printed} fails: {e}")),
        }
    }
    assert!(count >= 1700, "corpus too small: {count}");
    assert!(
        failures.is_empty(),
        "{} of {count} failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
