//! `cargo xtask test`: every test layer, in order of cost, each reporting its count and time,
//! then one closing line over all of them.

use std::io::{BufRead, BufReader};
use std::process::Stdio;
use std::time::Instant;

use crate::cmd::{build_release, dist_dir, workspace_root, Cmd};
use crate::size;
use crate::tools::Tools;

#[derive(Debug, Default)]
struct Tally {
    rows: Vec<(String, usize, usize, f64)>,
}

impl Tally {
    fn add(&mut self, layer: &str, counts: (usize, usize), secs: f64) {
        self.rows.push((layer.to_string(), counts.0, counts.1, secs));
    }

    fn print(&self) {
        eprintln!("\nxtask: test layers");
        for (layer, pass, fail, secs) in &self.rows {
            eprintln!("  {layer:<28} {pass:>5} passed {fail:>3} failed {secs:>8.1} s");
        }
        let (p, f): (usize, usize) = self.rows.iter().fold((0, 0), |a, r| (a.0 + r.1, a.1 + r.2));
        println!("total: {p} passed, {f} failed");
    }
}

pub fn all(tools: &Tools, args: &[String]) -> Result<(), String> {
    let only = |layer: &str| args.is_empty() || args.iter().any(|a| a == layer);
    let mut tally = Tally::default();
    let mut failed: Vec<&str> = Vec::new();

    if only("native") {
        let cmd = tools.cmd("cargo").args(["test", "--workspace", "--exclude", "web", "--no-fail-fast"]);
        step(&mut tally, &mut failed, "native (cargo test)", cmd)?;
        // The page's model and HTML builders are plain Rust, tested natively; its browser tests
        // (`crates/web/tests`) only build for wasm32 and run in the wasm layer.
        let cmd = tools.cmd("cargo").args(["test", "-p", "web", "--lib", "--no-fail-fast"]);
        step(&mut tally, &mut failed, "native, the page's model", cmd)?;
        // The workspace run turns model's Unicode tables and session's tools on; the browser's
        // first worker is built without both, and its own tests run only so.
        let cmd = tools.cmd("cargo").args(["test", "-p", "model", "-p", "session", "--no-default-features", "--no-fail-fast"]);
        step(&mut tally, &mut failed, "native, first worker's build", cmd)?;
    }
    if only("wasm") {
        let cmd = tools
            .cmd("cargo")
            .args(["test", "-p", "web", "--features", "inline", "--target", "wasm32-unknown-unknown"])
            .env("CHROMEDRIVER", "/usr/bin/chromedriver")
            .env("WASM_BINDGEN_TEST_TIMEOUT", "120");
        step(&mut tally, &mut failed, "wasm (Chromium)", cmd)?;
    }
    if only("e2e") || only("size") {
        let t = Instant::now();
        build_release(tools)?;
        let budget = size::check(&dist_dir());
        let ok = budget.is_ok();
        if let Err(e) = &budget {
            eprintln!("xtask: {e}");
            failed.push("size");
        }
        tally.add("size budget (page <= 400 KB gz)", (usize::from(ok), usize::from(!ok)), t.elapsed().as_secs_f64());
    }
    if only("e2e") {
        let e2e = workspace_root().join("tests").join("e2e");
        let cmd = tools
            .cmd("node")
            .args(["--test", "--test-reporter=spec", "--test-concurrency=1"])
            // Every `*.test.mjs` file, in name order so runs are comparable.
            .args(e2e_files(&e2e)?)
            .env("PROMPLAY_DIST", &dist_dir().display().to_string())
            .env("PROMPLAY_ARTIFACTS", &workspace_root().join("target").join("e2e").display().to_string());
        step(&mut tally, &mut failed, "end-to-end (playwright)", cmd)?;
    }
    tally.print();
    if failed.is_empty() {
        Ok(())
    } else {
        Err(format!("failed layers: {}", failed.join(", ")))
    }
}

fn step<'a>(tally: &mut Tally, failed: &mut Vec<&'a str>, layer: &'a str, cmd: Cmd) -> Result<(), String> {
    let t = Instant::now();
    let (ok, counts) = run_counting(cmd)?;
    tally.add(layer, counts, t.elapsed().as_secs_f64());
    if !ok || counts.1 > 0 {
        failed.push(layer);
    }
    Ok(())
}

/// Runs a test command, echoing its output, and adds up the passed/failed counts its runner
/// prints (cargo's `test result:` lines, node's `ℹ pass N` / `ℹ fail N`).
fn run_counting(cmd: Cmd) -> Result<(bool, (usize, usize)), String> {
    let shown = cmd.shown().to_string();
    let mut child = cmd.stdout(Stdio::piped()).spawn()?;
    let (mut pass, mut fail) = (0, 0);
    let stdout = child.stdout.take().ok_or_else(|| format!("no stdout from {shown}"))?;
    for line in BufReader::new(stdout).lines() {
        let line = line.unwrap_or_default();
        println!("{line}");
        if let Some(rest) = line.strip_prefix("test result: ") {
            pass += number_before(rest, " passed");
            fail += number_before(rest, " failed");
        } else if let Some(n) = line.strip_prefix("ℹ pass ") {
            pass += n.trim().parse().unwrap_or(0);
        } else if let Some(n) = line.strip_prefix("ℹ fail ") {
            fail += n.trim().parse().unwrap_or(0);
        }
    }
    let status = child.wait().map_err(|e| format!("{shown}: {e}"))?;
    Ok((status.success(), (pass, fail)))
}

fn number_before(s: &str, word: &str) -> usize {
    s.split(';')
        .find_map(|part| part.trim().trim_start_matches("ok. ").trim_start_matches("FAILED. ").strip_suffix(word))
        .and_then(|n| n.trim().parse().ok())
        .unwrap_or(0)
}

/// The end-to-end test files: `tests/e2e/*.test.mjs`, sorted.
fn e2e_files(dir: &std::path::Path) -> Result<Vec<std::path::PathBuf>, String> {
    let entries = std::fs::read_dir(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let mut files: Vec<std::path::PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.file_name().and_then(|n| n.to_str()).is_some_and(|n| n.ends_with(".test.mjs")))
        .collect();
    files.sort();
    Ok(files)
}

#[cfg(test)]
mod tests {
    use super::number_before;

    #[test]
    fn reads_cargo_summary() {
        let s = "ok. 11 passed; 0 failed; 0 ignored; 0 measured; 0 filtered out; finished in 0.01s";
        assert_eq!(number_before(s, " passed"), 11);
        assert_eq!(number_before(s, " failed"), 0);
        assert_eq!(number_before("FAILED. 3 passed; 2 failed; 0 ignored", " failed"), 2);
    }
}
