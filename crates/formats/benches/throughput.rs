//! Parse throughput on the real 63.7 MB capture (`shared/samples/capture-20261121.om.gz`),
//! strict and lenient, plus the small text scrapes, and ingest (parse, then load into the
//! store) in samples per second. Run with `cargo bench -p formats`.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::io::Read;
use std::path::PathBuf;
use std::time::{Duration, Instant};

fn capture_path() -> Option<PathBuf> {
    if let Ok(p) = std::env::var("PROMPLAY_CAPTURE") {
        return Some(PathBuf::from(p));
    }
    let manifest = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    [
        "../../../shared/samples/capture-20261121.om.gz",
        "/work/shared/samples/capture-20261121.om.gz",
    ]
    .iter()
    .map(|p| manifest.join(p))
    .find(|p| p.exists())
}

/// On-CPU time of this thread (Linux), so a busy shared machine distorts the figure less
/// than wall time; falls back to wall time elsewhere.
fn cpu_now() -> Option<Duration> {
    let s = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    Some(Duration::from_nanos(
        s.split_whitespace().next()?.parse().ok()?,
    ))
}

fn best_of<T>(runs: usize, mut f: impl FnMut() -> T) -> (Duration, T) {
    let mut best = Duration::MAX;
    let mut last = None;
    for _ in 0..runs {
        let (t, c) = (Instant::now(), cpu_now());
        let out = f();
        let elapsed = match (c, cpu_now()) {
            (Some(a), Some(b)) => b.saturating_sub(a),
            _ => t.elapsed(),
        };
        best = best.min(elapsed);
        last = Some(out);
    }
    (best, last.unwrap())
}

fn report(what: &str, bytes: usize, samples: usize, d: Duration) {
    let s = d.as_secs_f64();
    println!(
        "{what:<40} {:>8.1} ms cpu  {:>7.2} M samples/s  {:>7.1} MB/s",
        s * 1e3,
        samples as f64 / s / 1e6,
        bytes as f64 / s / 1e6
    );
}

fn main() {
    let Some(path) = capture_path() else {
        println!("capture-20261121.om.gz not found (set PROMPLAY_CAPTURE); skipping the capture benchmark");
        return;
    };
    let mut text = String::new();
    flate2::read::GzDecoder::new(std::fs::File::open(&path).unwrap())
        .read_to_string(&mut text)
        .unwrap();
    println!(
        "input: {} ({} bytes uncompressed)",
        path.display(),
        text.len()
    );

    let (d, exp) = best_of(5, || formats::parse_openmetrics(&text).unwrap());
    report(
        "parse_openmetrics (strict)",
        text.len(),
        exp.samples.len(),
        d,
    );
    println!(
        "  {} samples, {} series, {} families",
        exp.samples.len(),
        exp.series_count(),
        exp.families.len()
    );
    drop(exp);
    // Ingest as the app does it: parse, then load into a fresh store (all or nothing).
    let (d, db) = best_of(3, || {
        let exp = formats::parse_openmetrics(&text).unwrap();
        let mut db = tsdb::Storage::new();
        db.load_exposition(&exp, 0).unwrap();
        db
    });
    report("ingest (parse + tsdb load)", text.len(), db.num_samples(), d);
    println!("  store: {} series, {} samples", db.num_series(), db.num_samples());
    drop(db);
    let (d, (exp, errs)) = best_of(3, || formats::parse_lenient(&text));
    assert!(errs.is_empty());
    report(
        "parse_lenient (auto-detected)",
        text.len(),
        exp.samples.len(),
        d,
    );
    drop(exp);
    let (d, fmt) = best_of(5, || formats::detect(&text));
    println!(
        "{:<40} {:>8.1} ms  ({fmt:?})",
        "detect",
        d.as_secs_f64() * 1e3
    );

    // The same samples as text 0.0.4 (timestamps in ms), to measure the text parser at scale.
    let as_text = to_text(&text);
    let (d, exp) = best_of(5, || formats::parse_text(&as_text).unwrap());
    report(
        "parse_text (capture rewritten as 0.0.4)",
        as_text.len(),
        exp.samples.len(),
        d,
    );
}

/// Rewrites the capture's sample lines to text 0.0.4 (drops `# UNIT`/`# EOF`, seconds -> ms).
fn to_text(om: &str) -> String {
    let mut out = String::with_capacity(om.len());
    for line in om.lines() {
        if line == "# EOF" || line.starts_with("# UNIT ") {
            continue;
        }
        if line.starts_with('#') {
            let line = line
                .replace(" gaugehistogram", " histogram")
                .replace(" unknown", " untyped");
            out.push_str(&line);
        } else if let Some((head, ts)) = line.rsplit_once(' ') {
            out.push_str(head);
            out.push(' ');
            out.push_str(&ts.replace('.', ""));
        }
        out.push('\n');
    }
    out
}
