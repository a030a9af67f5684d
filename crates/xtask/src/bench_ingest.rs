//! `cargo xtask bench ingest`: exposition ingest throughput (crates/formats/benches/
//! throughput.rs: parse, parse + store, store, on the real capture and a generated million
//! samples) natively and as wasm32-wasip1 in Node's V8, side by side, against the goal
//! of at least 2M samples/s in wasm. Kept apart from the range-query benchmark in bench.rs.

use std::collections::BTreeMap;
use std::io::Read;
use std::path::{Path, PathBuf};

use crate::cmd::{run, workspace_root, Cmd};

/// The goal for parse + store in wasm, in samples per second.
const WASM_GOAL: f64 = 2e6;

struct Opts {
    reps: usize,
    wasm: bool,
    /// Cargo profile of the wasm build: by default `wasm-release`, what the browser ships
    /// (opt-level "z"); `release` as the engine benchmark builds it.
    profile: String,
}

fn parse(args: &[String]) -> Result<Opts, String> {
    let mut o = Opts {
        reps: 5,
        wasm: true,
        profile: "wasm-release".into(),
    };
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "--reps" => {
                o.reps = it
                    .next()
                    .and_then(|v| v.parse().ok())
                    .filter(|&n| n > 0)
                    .ok_or("--reps needs a positive number")?
            }
            "--no-wasm" => o.wasm = false,
            "--profile" => {
                o.profile = it
                    .next()
                    .cloned()
                    .ok_or("--profile needs a cargo profile name")?
            }
            other => {
                return Err(format!(
                "bench ingest: unknown argument {other} (known: --reps N, --no-wasm, --profile P)"
            ))
            }
        }
    }
    Ok(o)
}

/// `(input, what) -> (best ms, samples)` from the benchmark's `ingest` rows, and
/// `input -> bytes/sample` from its `memory` rows.
type Rows = (
    BTreeMap<(String, String), (f64, f64)>,
    BTreeMap<String, f64>,
);

fn read_rows(path: &Path, into: &mut Rows) -> Result<(), String> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    for line in text.lines() {
        let f: Vec<&str> = line.split('\t').collect();
        let num = |i: usize| {
            f.get(i)
                .and_then(|v| v.parse::<f64>().ok())
                .unwrap_or(f64::NAN)
        };
        match f.first() {
            Some(&"ingest") if f.len() >= 7 => {
                into.0
                    .insert((f[1].to_string(), f[2].to_string()), (num(3), num(5)));
            }
            Some(&"memory") if f.len() >= 3 => {
                into.1.insert(f[1].to_string(), num(2));
            }
            _ => {}
        }
    }
    Ok(())
}

fn capture_gz() -> Option<PathBuf> {
    if let Some(p) = std::env::var_os("PROMPLAY_CAPTURE") {
        return Some(PathBuf::from(p));
    }
    Some(workspace_root().join("../shared/samples/capture-20261121.om.gz")).filter(|p| p.is_file())
}

fn on_path(program: &str) -> bool {
    std::env::var_os("PATH")
        .is_some_and(|p| std::env::split_paths(&p).any(|d| d.join(program).is_file()))
}

/// Builds the benchmark for wasm32-wasip1 and runs each input in its own Node process (a
/// fresh linear memory each, as a fresh tab would have).
fn wasm_run(o: &Opts, dir: &Path, rows: &mut Rows) -> Result<(), String> {
    if !on_path("node") {
        return Err("node not found".into());
    }
    let built = Cmd::new("cargo")
        .args([
            "build",
            "--profile",
            &o.profile,
            "-p",
            "formats",
            "--bench",
            "throughput",
            "--target",
            "wasm32-wasip1",
        ])
        .status()?;
    if !built {
        return Err("cargo build for wasm32-wasip1 failed (missing target? rustup target add wasm32-wasip1)".into());
    }
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| workspace_root().join("target"));
    let deps = target.join("wasm32-wasip1").join(&o.profile).join("deps");
    let wasm = std::fs::read_dir(&deps)
        .map_err(|e| format!("cannot read {}: {e}", deps.display()))?
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "wasm"))
        .filter(|p| {
            p.file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with("throughput-"))
        })
        .max_by_key(|p| std::fs::metadata(p).and_then(|m| m.modified()).ok())
        .ok_or("no throughput-*.wasm was built")?;
    // Decompressed here: the wasm side then reads one file instead of running the gzip
    // decoder over many small WASI reads.
    let mut inputs = vec!["generated"];
    if let Some(gz) = capture_gz() {
        let mut text = Vec::new();
        let file =
            std::fs::File::open(&gz).map_err(|e| format!("cannot open {}: {e}", gz.display()))?;
        flate2::read::GzDecoder::new(file)
            .read_to_end(&mut text)
            .map_err(|e| format!("cannot decompress {}: {e}", gz.display()))?;
        std::fs::write(dir.join("capture.om"), text)
            .map_err(|e| format!("cannot write the capture: {e}"))?;
        inputs.insert(0, "capture");
    }
    for input in inputs {
        let tsv = format!("wasm-{input}.tsv");
        let ok = Cmd::new("node")
            .args(["--no-warnings", "--single-threaded-gc"])
            .arg(workspace_root().join("crates/xtask/bench/ingest_wasi.mjs"))
            .arg(&wasm)
            .arg(dir)
            .args([
                "--reps",
                &o.reps.to_string(),
                "--only",
                input,
                "--capture",
                "/out/capture.om",
                "--tsv",
            ])
            .arg(format!("/out/{tsv}"))
            .status()?;
        if !ok {
            return Err(format!("the wasm benchmark failed in node on {input}"));
        }
        read_rows(&dir.join(tsv), rows)?;
    }
    Ok(())
}

pub fn bench(args: &[String]) -> Result<(), String> {
    let o = parse(args)?;
    let dir = std::env::temp_dir().join(format!("promplay-bench-ingest-{}", std::process::id()));
    std::fs::create_dir_all(&dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    let native_tsv = dir.join("native.tsv");
    let mut bench = Cmd::new("cargo")
        .args([
            "bench",
            "-p",
            "formats",
            "--bench",
            "throughput",
            "--",
            "--reps",
        ])
        .arg(o.reps.to_string());
    if let Some(gz) = capture_gz() {
        bench = bench.arg("--capture").arg(gz);
    }
    run(bench.arg("--tsv").arg(&native_tsv))?;
    let mut native: Rows = Default::default();
    read_rows(&native_tsv, &mut native)?;
    let mut wasm: Rows = Default::default();
    let wasm_skipped = if o.wasm {
        wasm_run(&o, &dir, &mut wasm).err()
    } else {
        Some("--no-wasm".into())
    };
    let _ = std::fs::remove_dir_all(&dir);

    println!();
    println!(
        "exposition ingest, best of {} runs (wall time; wasm in Node's V8)",
        o.reps
    );
    match &wasm_skipped {
        Some(why) => println!("wasm column skipped: {why}"),
        None => println!("wasm: wasm32-wasip1, cargo profile {}", o.profile),
    }
    println!(
        "{:<10} {:<12} {:>10} {:>12} {:>12} {:>7}",
        "input", "step", "samples", "native M/s", "wasm M/s", "ratio"
    );
    let mut goal = Vec::new();
    for ((input, what), &(ms, samples)) in &native.0 {
        let n = samples / ms / 1e3;
        let w = wasm
            .0
            .get(&(input.clone(), what.clone()))
            .map(|&(ms, samples)| samples / ms / 1e3);
        let (wcol, ratio) = match w {
            Some(w) => (format!("{w:>12.2}"), format!("{:>6.2}x", n / w)),
            None => (format!("{:>12}", "-"), format!("{:>7}", "-")),
        };
        println!("{input:<10} {what:<12} {samples:>10} {n:>12.2} {wcol} {ratio}");
        if what == "parse+store" {
            if let Some(w) = w {
                goal.push((input.clone(), w * 1e6));
            }
        }
    }
    for (input, bps) in &native.1 {
        println!("{input}: {bps:.2} bytes/sample in the store");
    }
    if !goal.is_empty() {
        let met = goal.iter().all(|(_, w)| *w >= WASM_GOAL);
        let shown: Vec<String> = goal
            .iter()
            .map(|(i, w)| format!("{i} {:.2}M/s", w / 1e6))
            .collect();
        println!(
            "goal: wasm parse+store at least {:.0}M samples/s: {} ({})",
            WASM_GOAL / 1e6,
            if met { "met" } else { "NOT met" },
            shown.join(", ")
        );
    }
    Ok(())
}
