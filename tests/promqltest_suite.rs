//! Prometheus's own PromQL test suite (tests/promqltest, v3.14.0) through promplay's engine,
//! held to a ratchet: `promqltest/expected-failures.txt` lists the evals known to fail today.
//! A failure not listed fails this test, and so does a listed eval that now passes, so the
//! list only ever shrinks. `PROMQLTEST_BLESS=1 cargo test -p conformance --test
//! promqltest_suite` rewrites the list from the current engine.

#![allow(clippy::panic, clippy::unwrap_used, clippy::expect_used)] // test code fails loudly

use std::collections::BTreeSet;
use std::path::PathBuf;

use promqltest::{
    report::Totals, run_path, test_files, Classification, EvalResult, Status, CLASSIFICATION_FILE, NATIVE_SKIP,
};

fn suite_dir() -> PathBuf {
    conformance::data_dir().join("promqltest")
}

fn ratchet_path() -> PathBuf {
    suite_dir().join("expected-failures.txt")
}

/// `file:line` entries of the ratchet file; `#` starts a comment.
fn read_ratchet() -> Vec<String> {
    let text = std::fs::read_to_string(ratchet_path()).unwrap_or_default();
    text.lines().map(|l| l.split('#').next().unwrap_or("").trim().to_string()).filter(|l| !l.is_empty()).collect()
}

fn one_line(s: &str, max: usize) -> String {
    let flat: String = s.chars().map(|c| if c.is_control() { ' ' } else { c }).collect();
    if flat.chars().count() > max {
        format!("{}...", flat.chars().take(max).collect::<String>())
    } else {
        flat
    }
}

fn bless(results: &[EvalResult]) {
    let mut out = String::from(
        "# Evals of tests/promqltest known to fail with today's engine: one `file:line` each, with the\n\
         # first words of the failure. Only delete lines; regenerate with\n\
         # PROMQLTEST_BLESS=1 cargo test -p conformance --test promqltest_suite\n",
    );
    for r in results.iter().filter(|r| r.status == Status::Fail) {
        out.push_str(&format!("{}:{}  # {}\n", r.file, r.line, one_line(r.error.as_deref().unwrap_or(""), 100)));
    }
    std::fs::write(ratchet_path(), out).unwrap();
}

#[test]
fn promqltest_suite_matches_the_ratchet() {
    let dir = suite_dir();
    let files = test_files(&dir).unwrap();
    assert!(files.len() >= 19, "suite files missing in {}", dir.display());
    let mut results = Vec::new();
    for f in &files {
        results.extend(run_path(f).unwrap());
    }
    let totals = Totals::of(&results);
    println!("promqltest: {totals} of {} evals", totals.total());
    for (file, rs) in promqltest::report::by_file(&results) {
        println!("  {file}: {}", Totals::of(rs.iter().copied()));
    }

    if std::env::var_os("PROMQLTEST_BLESS").is_some() {
        bless(&results);
        println!("promqltest: rewrote {}", ratchet_path().display());
        check_counts(&totals, &results);
        return;
    }
    let listed: BTreeSet<String> = read_ratchet().into_iter().collect();
    let failing: Vec<&EvalResult> = results.iter().filter(|r| r.status == Status::Fail).collect();
    let failing_keys: BTreeSet<String> = failing.iter().map(|r| format!("{}:{}", r.file, r.line)).collect();
    let new_failures: Vec<String> = failing
        .iter()
        .filter(|r| !listed.contains(&format!("{}:{}", r.file, r.line)))
        .map(|r| format!("{}:{}: {}", r.file, r.line, r.error.as_deref().unwrap_or("")))
        .collect();
    let fixed: Vec<String> = read_ratchet().into_iter().filter(|k| !failing_keys.contains(k)).collect();
    let mut msg = String::new();
    if !new_failures.is_empty() {
        msg.push_str(&format!("{} eval(s) fail that expected-failures.txt does not list:\n", new_failures.len()));
        for f in &new_failures {
            msg.push_str(&format!("  {f}\n"));
        }
    }
    if !fixed.is_empty() {
        msg.push_str(&format!(
            "{} eval(s) listed in expected-failures.txt no longer fail; delete these lines:\n",
            fixed.len()
        ));
        for f in &fixed {
            msg.push_str(&format!("  {f}\n"));
        }
    }
    assert!(msg.is_empty(), "{msg}");
    check_counts(&totals, &results);
}

/// Every eval of the classification table runs once, and only native-histogram evals are
/// skipped: the table's, and those the runner finds reading a native histogram series the
/// table misses (its reason names the selector and the series), so nothing is silently left out.
fn check_counts(totals: &Totals, results: &[EvalResult]) {
    let dir = suite_dir();
    let cls = Classification::from_tsv(&std::fs::read_to_string(dir.join(CLASSIFICATION_FILE)).unwrap()).unwrap();
    assert_eq!(totals.total(), cls.eval_count(), "every eval of the classification table must be run once");
    let mut beyond_table = 0;
    for r in results.iter().filter(|r| r.status == Status::Skip) {
        let why = r.error.as_deref().unwrap_or("");
        assert!(why.starts_with(NATIVE_SKIP), "{}:{} skipped for another reason: {why}", r.file, r.line);
        if cls.is_native(&r.file, r.line) != Some(true) {
            assert!(
                why.contains("a native histogram series from"),
                "{}:{}: a skip the table does not list must name its series: {why}",
                r.file,
                r.line
            );
            beyond_table += 1;
        }
    }
    assert_eq!(totals.skipped, cls.native_count() + beyond_table, "only native-histogram evals may be skipped");
}
