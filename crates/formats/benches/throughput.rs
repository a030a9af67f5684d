//! Exposition ingest throughput in samples per second, the measurement: parse only,
//! and parse + store (what the browser does with pasted text: `formats::parse_auto`, then
//! `tsdb::Storage::load_exposition` into a fresh store), on the real capture
//! (`shared/samples/capture-20261121.om.gz`, decompressed here) and on a generated text
//! exposition of a million samples. The same source runs natively (`cargo bench -p formats`)
//! and as wasm32-wasip1 in Node's V8 (`cargo xtask bench ingest`), so the two numbers compare.
//!
//! Arguments (all optional): `--reps N`, `--capture FILE` (also `PROMPLAY_CAPTURE`),
//! `--samples N` (size of the generated exposition), `--tsv FILE` (machine-readable results),
//! `--only capture|generated`.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

#[path = "throughput/gen.rs"]
mod gen;

use std::io::Read;
use std::path::PathBuf;
use std::time::{Duration, Instant};

struct Args {
    reps: usize,
    capture: Option<PathBuf>,
    samples: usize,
    tsv: Option<PathBuf>,
    only: Option<String>,
}

fn parse_args() -> Args {
    let mut a = Args {
        reps: 5,
        capture: std::env::var_os("PROMPLAY_CAPTURE").map(PathBuf::from),
        samples: 1_000_000,
        tsv: None,
        only: None,
    };
    let mut it = std::env::args().skip(1);
    while let Some(arg) = it.next() {
        match arg.as_str() {
            "--reps" => {
                a.reps = it
                    .next()
                    .and_then(|v| v.parse().ok())
                    .unwrap_or(a.reps)
                    .max(1)
            }
            "--capture" => a.capture = it.next().map(PathBuf::from),
            "--samples" => a.samples = it.next().and_then(|v| v.parse().ok()).unwrap_or(a.samples),
            "--tsv" => a.tsv = it.next().map(PathBuf::from),
            "--only" => a.only = it.next(),
            // `cargo bench` appends `--bench`; anything else unknown is ignored the same way.
            _ => {}
        }
    }
    if a.capture.is_none() {
        let manifest = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
        a.capture = [
            "../../../shared/samples/capture-20261121.om.gz",
            "/work/shared/samples/capture-20261121.om.gz",
        ]
        .iter()
        .map(|p| manifest.join(p))
        .find(|p| p.exists());
    }
    a
}

/// Times `f` `reps` times; returns (best, median) and the last result.
fn measure<T>(reps: usize, mut f: impl FnMut() -> T) -> (Duration, Duration, T) {
    let mut times = Vec::with_capacity(reps);
    let mut last = None;
    for _ in 0..reps {
        // The previous result is dropped before the clock starts: freeing is not ingest.
        drop(last.take());
        // Wall time, as in wasm: the kernel's per-thread CPU time only advances at scheduler
        // ticks, too coarse for steps of a few milliseconds. The best of several runs is
        // what a busy machine disturbs least.
        let t = Instant::now();
        let out = f();
        times.push(t.elapsed());
        last = Some(out);
    }
    times.sort();
    (times[0], times[times.len() / 2], last.unwrap())
}

/// The wasm instance's linear memory in MB (it only ever grows: the high-water mark a browser
/// tab keeps); nothing natively.
fn wasm_memory() -> String {
    #[cfg(target_arch = "wasm32")]
    return format!(
        ", wasm memory {} MB",
        core::arch::wasm32::memory_size(0) * 65536 / 1_000_000
    );
    #[cfg(not(target_arch = "wasm32"))]
    String::new()
}

struct Report {
    tsv: String,
}

impl Report {
    fn line(
        &mut self,
        input: &str,
        what: &str,
        bytes: usize,
        samples: usize,
        best: Duration,
        median: Duration,
    ) {
        let s = best.as_secs_f64();
        println!(
            "{input:<10} {what:<14} {:>8.1} ms (median {:>8.1})  {:>6.2} M samples/s  {:>7.1} MB/s{}",
            s * 1e3,
            median.as_secs_f64() * 1e3,
            samples as f64 / s / 1e6,
            bytes as f64 / s / 1e6,
            wasm_memory()
        );
        self.tsv.push_str(&format!(
            "ingest\t{input}\t{what}\t{:.3}\t{:.3}\t{samples}\t{bytes}\n",
            s * 1e3,
            median.as_secs_f64() * 1e3
        ));
    }
}

fn bench_input(r: &mut Report, reps: usize, input: &str, text: &str) {
    let (best, med, exp) = measure(reps, || formats::parse_auto(text).unwrap());
    let n = exp.samples.len();
    println!(
        "{input}: {} bytes, {n} samples, {} series, {} families{}",
        text.len(),
        exp.series_count(),
        exp.families.len(),
        wasm_memory()
    );
    r.line(input, "parse", text.len(), n, best, med);
    drop(exp);
    let (best, med, db) = measure(reps, || {
        let exp = formats::parse_auto(text).unwrap();
        let mut db = tsdb::Storage::new();
        db.load_exposition(&exp, 0).unwrap();
        db
    });
    r.line(
        input,
        "parse+store",
        text.len(),
        db.num_samples(),
        best,
        med,
    );
    let m = db.memory_stats();
    println!(
        "{input:<10} store: {} series, {} samples, {:.2} bytes/sample, {:.0} bytes/series",
        m.series,
        m.samples,
        m.bytes_per_sample(),
        m.bytes_per_series()
    );
    r.tsv.push_str(&format!(
        "memory\t{input}\t{:.3}\t{:.1}\n",
        m.bytes_per_sample(),
        m.bytes_per_series()
    ));
    drop(db);
    // The store's share alone, on an exposition parsed once.
    let exp = formats::parse_auto(text).unwrap();
    let (best, med, db) = measure(reps, || {
        let mut db = tsdb::Storage::new();
        db.load_exposition(&exp, 0).unwrap();
        db
    });
    r.line(input, "store", text.len(), db.num_samples(), best, med);
    // The browser shows the cardinality panel after every load.
    let (best, _, _) = measure(reps, || db.cardinality(10));
    println!(
        "{input:<10} {:<14} {:>8.1} ms",
        "cardinality",
        best.as_secs_f64() * 1e3
    );
}

fn main() {
    let args = parse_args();
    let mut r = Report { tsv: String::new() };
    let wanted = |input: &str| args.only.as_deref().is_none_or(|o| o == input);
    match &args.capture {
        _ if !wanted("capture") => {}
        Some(path) => {
            let mut text = String::new();
            let file = std::fs::File::open(path).unwrap();
            if path.extension().is_some_and(|e| e == "gz") {
                flate2::read::GzDecoder::new(file)
                    .read_to_string(&mut text)
                    .unwrap();
            } else {
                // Already decompressed (Node's WASI has crashed on the many small reads of
                // the gzip decoder).
                std::io::BufReader::new(file)
                    .read_to_string(&mut text)
                    .unwrap();
            }
            bench_input(&mut r, args.reps, "capture", &text);
        }
        None => println!(
            "capture-20261121.om.gz not found (--capture FILE or PROMPLAY_CAPTURE); skipping it"
        ),
    }
    if wanted("generated") {
        let text = gen::text_exposition(args.samples, 42);
        bench_input(&mut r, args.reps, "generated", &text);
    }
    if let Some(path) = &args.tsv {
        std::fs::write(path, &r.tsv).unwrap();
    }
}
