//! Shared helpers for the data-driven tests: where the golden data lives.
#![allow(dead_code)]

use std::path::PathBuf;

pub fn data_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/formats")
}

pub fn read(name: &str) -> String {
    std::fs::read_to_string(data_dir().join(name)).unwrap_or_else(|e| panic!("reading {name}: {e}"))
}

/// Rows of a tab-separated file, skipping blank lines and `#` comments.
pub fn tsv(name: &str) -> Vec<Vec<String>> {
    read(name)
        .lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .map(|l| l.split('\t').map(str::to_string).collect())
        .collect()
}
