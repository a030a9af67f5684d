//! The promqltest runner: reads Prometheus's `.test` files (the PromQL conformance suite) and
//! runs them against promplay's engine with the reference runner's comparison rules, so that
//! "matches Prometheus" is a number. The format is shared/PROMQLTEST_FORMAT.md.
//!
//! Native histograms are not stored yet: evals that need them are reported as skipped.

mod annotations;
mod blocks;
mod atmod;
mod classify;
mod compare;
mod load;
mod numbers;
mod parse;
pub mod report;
mod run;
mod script;
mod st;

use std::path::{Path, PathBuf};

pub use blocks::load_blocks;
pub use classify::{Classification, CLASSIFICATION_FILE};
pub use compare::almost_equal;
pub use parse::{parse_script, ParseFileError};
pub use run::{run_file, NATIVE_SKIP};
pub use script::Script;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    Pass,
    Fail,
    Skip,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Pass => "pass",
            Status::Fail => "fail",
            Status::Skip => "skip",
        }
    }
}

/// The outcome of one eval (or, when a file does not parse, of the file at the bad line).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EvalResult {
    pub file: String,
    pub line: usize,
    pub status: Status,
    pub error: Option<String>,
}

/// The `.test` files a path names: the file itself, or a directory's `*.test`, sorted.
pub fn test_files(path: &Path) -> Result<Vec<PathBuf>, String> {
    if !path.is_dir() {
        return Ok(vec![path.to_path_buf()]);
    }
    let entries = std::fs::read_dir(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let mut files = Vec::new();
    for entry in entries {
        let p = entry.map_err(|e| format!("{}: {e}", path.display()))?.path();
        if p.is_file() && p.extension().is_some_and(|x| x == "test") {
            files.push(p);
        }
    }
    files.sort();
    Ok(files)
}

/// Runs one file from disk. Results name it by its file name; the classification table is
/// the one beside it, if any.
pub fn run_path(path: &Path) -> Result<Vec<EvalResult>, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let name = path.file_name().map_or_else(|| path.display().to_string(), |n| n.to_string_lossy().into_owned());
    let cls_path = path.parent().unwrap_or(Path::new(".")).join(CLASSIFICATION_FILE);
    let cls = match std::fs::read_to_string(&cls_path) {
        Ok(t) => Classification::from_tsv(&t).map_err(|e| format!("{}: {e}", cls_path.display()))?,
        Err(_) => Classification::default(),
    };
    Ok(run_file(&name, &text, &cls))
}
