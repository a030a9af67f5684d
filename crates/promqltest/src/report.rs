//! Renders results for people (failures, a line per file, totals) and for tools (one JSON
//! object per eval), always in the order the evals were run.

use crate::{EvalResult, Status};

#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Totals {
    pub passed: usize,
    pub failed: usize,
    pub skipped: usize,
}

impl Totals {
    pub fn of<'a>(results: impl IntoIterator<Item = &'a EvalResult>) -> Totals {
        let mut t = Totals::default();
        for r in results {
            match r.status {
                Status::Pass => t.passed += 1,
                Status::Fail => t.failed += 1,
                Status::Skip => t.skipped += 1,
            }
        }
        t
    }

    pub fn total(&self) -> usize {
        self.passed + self.failed + self.skipped
    }
}

impl std::fmt::Display for Totals {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} passed, {} failed, {} skipped", self.passed, self.failed, self.skipped)
    }
}

/// Results grouped by file, files in first-appearance order.
pub fn by_file(results: &[EvalResult]) -> Vec<(&str, Vec<&EvalResult>)> {
    let mut out: Vec<(&str, Vec<&EvalResult>)> = Vec::new();
    for r in results {
        match out.iter_mut().find(|(f, _)| *f == r.file) {
            Some((_, v)) => v.push(r),
            None => out.push((&r.file, vec![r])),
        }
    }
    out
}

/// `file:line: message` per failure, `file: totals` per file, then the overall totals.
pub fn human(results: &[EvalResult]) -> String {
    let mut out = String::new();
    for (file, rs) in by_file(results) {
        for r in rs.iter().filter(|r| r.status == Status::Fail) {
            out.push_str(&format!("{}:{}: {}\n", r.file, r.line, r.error.as_deref().unwrap_or("failed")));
        }
        out.push_str(&format!("{file}: {}\n", Totals::of(rs.iter().copied())));
    }
    out.push_str(&format!("{}\n", Totals::of(results)));
    out
}

/// One JSON object per line: `{"file":..,"line":..,"status":"pass|fail|skip","error":..}`.
pub fn json_lines(results: &[EvalResult]) -> String {
    let mut out = String::new();
    for r in results {
        let error = match &r.error {
            Some(e) => serde_json::Value::String(e.clone()).to_string(),
            None => "null".to_string(),
        };
        out.push_str(&format!(
            "{{\"file\":{},\"line\":{},\"status\":\"{}\",\"error\":{}}}\n",
            serde_json::Value::String(r.file.clone()),
            r.line,
            r.status.as_str(),
            error
        ));
    }
    out
}
