//! The first-load size budget: what a browser downloads before the app is interactive.

use std::io::Write;
use std::path::Path;

/// 400 KB of gzip over the wasm, JS and CSS of the release build.
const BUDGET_BYTES: usize = 400 * 1000;

pub fn check(dist: &Path) -> Result<(), String> {
    let entries = std::fs::read_dir(dist).map_err(|e| format!("cannot read {}: {e}", dist.display()))?;
    let mut total_raw = 0;
    let mut total_gz = 0;
    let mut rows: Vec<(String, usize, usize)> = Vec::new();
    for entry in entries.flatten() {
        let path = entry.path();
        let counted = matches!(path.extension().and_then(|e| e.to_str()), Some("wasm" | "js" | "css"));
        if !counted {
            continue;
        }
        let bytes = std::fs::read(&path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        let gz = gzip_len(&bytes)?;
        total_raw += bytes.len();
        total_gz += gz;
        rows.push((entry.file_name().to_string_lossy().into_owned(), bytes.len(), gz));
    }
    rows.sort();
    for (name, raw, gz) in &rows {
        eprintln!("  {name:<48} {:>8.1} KB raw {:>7.1} KB gzip", *raw as f64 / 1000.0, *gz as f64 / 1000.0);
    }
    eprintln!(
        "first-load size: {:.1} KB gzip ({:.1} KB raw) of {:.0} KB budget",
        total_gz as f64 / 1000.0,
        total_raw as f64 / 1000.0,
        BUDGET_BYTES as f64 / 1000.0
    );
    if rows.iter().all(|r| !r.0.ends_with(".wasm")) {
        return Err(format!("no .wasm in {}", dist.display()));
    }
    if total_gz > BUDGET_BYTES {
        return Err(format!("first-load size {total_gz} B gzip exceeds the {BUDGET_BYTES} B budget"));
    }
    Ok(())
}

fn gzip_len(bytes: &[u8]) -> Result<usize, String> {
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    enc.write_all(bytes).map_err(|e| e.to_string())?;
    enc.finish().map(|v| v.len()).map_err(|e| e.to_string())
}
