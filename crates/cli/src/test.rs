//! `promplay test [--json] PATH...`: runs promqltest `.test` files (shared/CLI.md, "test").
//! Exit 0 when nothing failed, 1 otherwise.

use std::path::Path;

use promqltest::{report, run_path, test_files, EvalResult, Status};

const USAGE: &str = "usage: promplay test [--json] PATH...\n";

/// Returns the exit code and what goes to stdout.
pub fn main(argv: &[String]) -> (u8, String) {
    let mut json = false;
    let mut paths = Vec::new();
    for a in argv {
        match a.as_str() {
            "--json" => json = true,
            "-h" | "--help" => return (0, USAGE.to_string()),
            s if s.starts_with("--") => return (2, format!("unknown flag {s}\n{USAGE}")),
            s => paths.push(s),
        }
    }
    if paths.is_empty() {
        return (2, USAGE.to_string());
    }
    let mut results: Vec<EvalResult> = Vec::new();
    for p in paths {
        let files = match test_files(Path::new(p)) {
            Ok(f) => f,
            Err(e) => return (1, format!("{e}\n")),
        };
        for f in files {
            match run_path(&f) {
                Ok(r) => results.extend(r),
                // An unreadable file is a failure of that file, reported like one.
                Err(e) => results.push(EvalResult {
                    file: f.display().to_string(),
                    line: 0,
                    status: Status::Fail,
                    error: Some(e),
                }),
            }
        }
    }
    let out = if json { report::json_lines(&results) } else { report::human(&results) };
    let failed = results.iter().any(|r| r.status == Status::Fail);
    (u8::from(failed), out)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::main;

    fn args(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn reports_per_failure_per_file_and_in_total() {
        let dir = std::env::temp_dir().join(format!("promplay-test-cli-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("b.test"), "load 1m\n  m 1\n\neval instant at 0 m\n  m 1\n").unwrap();
        std::fs::write(dir.join("a.test"), "load 1m\n  m 1\n\neval instant at 0 m\n  m 2\n").unwrap();
        std::fs::write(dir.join("ignored.txt"), "not a test").unwrap();
        let d = dir.display().to_string();

        let (code, out) = main(&args(&[&d]));
        assert_eq!(code, 1);
        assert_eq!(
            out,
            "a.test:4: expected 2 for m but got 1\na.test: 0 passed, 1 failed, 0 skipped\n\
             b.test: 1 passed, 0 failed, 0 skipped\n1 passed, 1 failed, 0 skipped\n"
        );
        let (code, out) = main(&args(&["--json", &format!("{d}/b.test")]));
        assert_eq!((code, out.as_str()), (0, "{\"file\":\"b.test\",\"line\":4,\"status\":\"pass\",\"error\":null}\n"));
        assert_eq!(main(&args(&[])).0, 2);
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
