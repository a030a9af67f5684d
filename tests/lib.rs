//! Shared helpers of the conformance tests: where the committed test data lives.

use std::path::PathBuf;

/// `tests/` in the repository.
pub fn data_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The real exposition files captured from exporters (copied from shared/samples).
pub fn sample_files() -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(data_dir().join("formats"))
        .map(|rd| rd.flatten().map(|e| e.path()).collect())
        .unwrap_or_default();
    files.retain(|p| matches!(p.extension().and_then(|e| e.to_str()), Some("prom" | "om")));
    files.sort();
    files
}
