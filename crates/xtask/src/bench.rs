//! `cargo xtask bench`: the range-query benchmark natively (crates/engine/benches/ranges.rs)
//! and on a real Prometheus with the same data (through the differential oracle's code), then
//! one table with the ratio per query, measured in this run.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::cmd::{run, workspace_root, Cmd};

/// The goal: at least this many times faster than Prometheus on every query.
const GOAL: f64 = 5.0;
/// In-process runs are cheap: at least this many, so that the median resists a busy machine.
const MIN_LOCAL_REPS: usize = 15;
/// And the wasm build at most this many times slower than native.
const WASM_GOAL: f64 = 2.0;

struct Opts {
    reps: usize,
    prometheus: bool,
    wasm: bool,
}

fn parse(args: &[String]) -> Result<Opts, String> {
    let mut o = Opts { reps: 5, prometheus: true, wasm: true };
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "--reps" => {
                o.reps = it.next().and_then(|v| v.parse().ok()).filter(|&n| n > 0).ok_or("--reps needs a positive number")?
            }
            "--no-prometheus" => o.prometheus = false,
            "--no-wasm" => o.wasm = false,
            other => return Err(format!("bench: unknown argument {other} (known: --reps N, --no-prometheus, --no-wasm)")),
        }
    }
    Ok(o)
}

/// Tab-separated result lines, keyed by their first fields (kind, dataset[, query]).
fn read_tsv(path: &Path) -> Result<Vec<Vec<String>>, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    Ok(text.lines().filter(|l| !l.is_empty()).map(|l| l.split('\t').map(str::to_string).collect()).collect())
}

/// `first` with each query's median recomputed over its own and `second`'s single times.
fn pool(mut first: Vec<Vec<String>>, second: &[Vec<String>]) -> Vec<Vec<String>> {
    let times = |r: &[String]| -> Vec<f64> {
        r.get(6).map(|t| t.split(',').filter_map(|x| x.parse().ok()).collect()).unwrap_or_default()
    };
    for row in first.iter_mut().filter(|r| r.len() >= 7 && r[0] == "query") {
        let mut all = times(row);
        if let Some(other) = second.iter().find(|r| r.len() >= 7 && r[0] == "query" && r[1] == row[1] && r[2] == row[2]) {
            all.extend(times(other));
        }
        all.sort_by(f64::total_cmp);
        if let Some(m) = all.get(all.len() / 2) {
            row[3] = format!("{m:.3}");
        }
    }
    first
}

fn num(row: &[String], i: usize) -> f64 {
    row.get(i).and_then(|v| v.parse().ok()).unwrap_or(f64::NAN)
}

fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .map(|s| s.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_else(|_| "unknown".into())
}

fn on_path(program: &str) -> bool {
    std::env::var_os("PATH").is_some_and(|p| std::env::split_paths(&p).any(|d| d.join(program).is_file()))
}

/// The oracle directory and the reason it cannot be used, if any.
fn oracle() -> Result<PathBuf, String> {
    let dir = match std::env::var_os("PROMPLAY_ORACLE") {
        Some(d) => PathBuf::from(d),
        None => workspace_root().join("../shared/oracle"),
    };
    for f in ["promlib.py", "promql_oracle.py"] {
        if !dir.join(f).is_file() {
            return Err(format!("no {f} in {} (set PROMPLAY_ORACLE to the oracle directory)", dir.display()));
        }
    }
    let prom = std::env::var("PROMETHEUS_BIN").unwrap_or_else(|_| "prometheus".into());
    if !(Path::new(&prom).is_file() || on_path(&prom)) {
        return Err(format!("{prom} not found (apt-get install prometheus, or set PROMETHEUS_BIN)"));
    }
    if !on_path("python3") {
        return Err("python3 not found".into());
    }
    Ok(dir)
}

/// The newest `ranges-*.wasm` under `dir`.
fn newest_wasm(dir: &Path) -> Option<PathBuf> {
    std::fs::read_dir(dir)
        .ok()?
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "wasm"))
        .filter(|p| p.file_name().is_some_and(|n| n.to_string_lossy().starts_with("ranges-")))
        .max_by_key(|p| std::fs::metadata(p).and_then(|m| m.modified()).ok())
}

/// The same benchmark compiled for wasm32-wasip1 (release profile) and run in Node's V8, the
/// engine of Chromium; WASI gives it a clock and a file to write its results to.
fn wasm_run(o: &Opts, dir: &Path) -> Result<Vec<Vec<String>>, String> {
    if !on_path("node") {
        return Err("node not found".into());
    }
    let built = Cmd::new("cargo")
        .args(["build", "--release", "-p", "engine", "--bench", "ranges", "--target", "wasm32-wasip1"])
        .status()?;
    if !built {
        return Err("cargo build for wasm32-wasip1 failed (missing target? rustup target add wasm32-wasip1)".into());
    }
    let target = std::env::var_os("CARGO_TARGET_DIR").map(PathBuf::from).unwrap_or_else(|| workspace_root().join("target"));
    let wasm = newest_wasm(&target.join("wasm32-wasip1/release/deps")).ok_or("no ranges-*.wasm was built")?;
    // Node 20 often segfaults while exiting after this run (5 exits of 8 here, with builds of
    // older commits too, the results already written), which read as a failed benchmark; with
    // the GC kept on the main thread it did not (0 of 12). The wasm code never uses the JS heap,
    // so its timings do not depend on the GC.
    let ok = Cmd::new("node")
        .arg("--no-warnings")
        .arg("--single-threaded-gc")
        .arg(workspace_root().join("crates/xtask/bench/run_wasi.mjs"))
        .arg(&wasm)
        .arg(dir)
        .args(["--reps", &o.reps.max(MIN_LOCAL_REPS).to_string(), "--tsv", "/out/wasm.tsv"])
        .status()?;
    if !ok {
        return Err("the wasm benchmark failed in node".into());
    }
    read_tsv(&dir.join("wasm.tsv"))
}

pub fn bench(args: &[String]) -> Result<(), String> {
    let o = parse(args)?;
    let dir = std::env::temp_dir().join(format!("promplay-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    let load_before = load_average();
    let native_tsv = dir.join("native.tsv");
    run(Cmd::new("cargo")
        .args(["bench", "-p", "engine", "--bench", "ranges", "--", "--reps"])
        .arg(o.reps.max(MIN_LOCAL_REPS).to_string())
        .arg("--emit")
        .arg(&dir)
        .arg("--tsv")
        .arg(&native_tsv))?;
    let native = read_tsv(&native_tsv)?;
    let datasets: Vec<String> = native.iter().filter(|r| r[0] == "ingest").filter_map(|r| r.get(1).cloned()).collect();

    // Prometheus's answers, per (dataset, query): exec time, eval time, series, points.
    let mut prom: BTreeMap<(String, String), Vec<String>> = BTreeMap::new();
    let mut prom_ingest: BTreeMap<String, (f64, f64)> = BTreeMap::new();
    let mut skipped = None;
    if !o.prometheus {
        skipped = Some("--no-prometheus".to_string());
    } else {
        match oracle() {
            Err(why) => skipped = Some(why),
            Ok(oracle_dir) => {
                for ds in &datasets {
                    let out = dir.join(format!("prometheus-{ds}.tsv"));
                    let ok = Cmd::new("python3")
                        .arg(workspace_root().join("crates/xtask/bench/prom_bench.py"))
                        .arg("--oracle")
                        .arg(&oracle_dir)
                        .arg("--dataset")
                        .arg(dir.join(format!("{ds}.json")))
                        .arg("--reps")
                        .arg(o.reps.to_string())
                        .arg("--tsv")
                        .arg(&out)
                        .status()?;
                    if !ok {
                        eprintln!("xtask bench: the Prometheus run for {ds} failed; its column stays empty");
                        continue;
                    }
                    for r in read_tsv(&out)? {
                        match r.first().map(String::as_str) {
                            Some("query") if r.len() >= 7 => {
                                prom.insert((r[1].clone(), r[2].clone()), r[3..].to_vec());
                            }
                            Some("ingest") if r.len() >= 4 => {
                                prom_ingest.insert(r[1].clone(), (num(&r, 2), num(&r, 3)));
                            }
                            _ => {}
                        }
                    }
                }
            }
        }
    }
    let mut wasm: BTreeMap<(String, String), f64> = BTreeMap::new();
    let wasm_skipped = if !o.wasm {
        Some("--no-wasm".to_string())
    } else {
        match wasm_run(&o, &dir) {
            Ok(rows) => {
                for r in rows.iter().filter(|r| r.len() >= 4 && r[0] == "query") {
                    wasm.insert((r[1].clone(), r[2].clone()), num(r, 3));
                }
                None
            }
            Err(why) => Some(why),
        }
    };
    let report = Report { prom: &prom, prom_ingest: &prom_ingest, wasm: &wasm, skipped: skipped.as_deref(), wasm_skipped: wasm_skipped.as_deref() };
    // The machine is shared: run natively once more now, so that native times span the same
    // stretch of load as Prometheus's, and pool both runs' times per query.
    let native_after = dir.join("native-after.tsv");
    run(Cmd::new("cargo")
        .args(["bench", "-p", "engine", "--bench", "ranges", "--", "--reps"])
        .arg(o.reps.max(MIN_LOCAL_REPS).to_string())
        .arg("--tsv")
        .arg(&native_after))?;
    let native = pool(native, &read_tsv(&native_after)?);
    print_report(&o, &native, &report, &load_before);
    let _ = std::fs::remove_dir_all(&dir);
    Ok(())
}

/// What the other runs measured, beside the native rows.
struct Report<'a> {
    prom: &'a BTreeMap<(String, String), Vec<String>>,
    prom_ingest: &'a BTreeMap<String, (f64, f64)>,
    wasm: &'a BTreeMap<(String, String), f64>,
    skipped: Option<&'a str>,
    wasm_skipped: Option<&'a str>,
}

fn print_report(o: &Opts, native: &[Vec<String>], r: &Report, load_before: &str) {
    let (prom, prom_ingest, skipped) = (r.prom, r.prom_ingest, r.skipped);
    let mut wasm_worst: f64 = 0.0;
    println!();
    println!(
        "promplay vs Prometheus, range queries: medians of {} native runs (half before, half after Prometheus), {} wasm, {} Prometheus",
        2 * o.reps.max(MIN_LOCAL_REPS),
        o.reps.max(MIN_LOCAL_REPS),
        o.reps
    );
    println!("load average (1/5/15 min) before: {load_before}, after: {}", load_average());
    if let Some(why) = skipped {
        println!("Prometheus column skipped: {why}");
    }
    match r.wasm_skipped {
        Some(why) => println!("wasm column skipped: {why}"),
        None => println!("wasm: the same benchmark built for wasm32-wasip1 (release profile), run in Node's V8"),
    }
    println!("Prometheus time: execTotalTime from the API's stats=all; promplay: parse + evaluate, in process.");
    let mut fails = 0;
    for row in native {
        match row.first().map(String::as_str) {
            Some("ingest") => {
                let (ds, ms, samples, series) = (&row[1], num(row, 2), num(row, 3), num(row, 4));
                println!();
                println!("== {ds}: {series} series, {samples} samples");
                let mut line = format!("ingest: promplay {ms:.0} ms ({:.2} M samples/s)", samples / ms / 1000.0);
                if let Some((secs, n)) = prom_ingest.get(ds) {
                    line += &format!(
                        "; Prometheus remote write {secs:.1} s ({:.0} k samples/s, Python encoder included)",
                        n / secs / 1000.0
                    );
                }
                println!("{line}");
            }
            Some("memory") => {
                println!(
                    "tsdb memory: {:.2} bytes/sample (sample columns after shrink_to_fit; {:.2} while appending), {:.0} bytes/series overhead",
                    num(row, 2),
                    num(row, 3),
                    num(row, 4)
                );
                println!(
                    "{:<14} {:>12} {:>14} {:>8}  {:<6} {:>9} {:>6}  result shape",
                    "query", "promplay ms", "Prometheus ms", "ratio", "goal", "wasm ms", "wasm/n"
                );
            }
            Some("query") if row.len() >= 6 => {
                let (ds, q, ms) = (&row[1], &row[2], num(row, 3));
                let shape = format!("{} series / {} points", row[4], row[5]);
                let wasm = match r.wasm.get(&(ds.clone(), q.clone())) {
                    Some(&w) => {
                        wasm_worst = wasm_worst.max(w / ms);
                        format!("{w:>9.2} {:>5.2}x", w / ms)
                    }
                    None => format!("{:>9} {:>6}", "-", "-"),
                };
                match prom.get(&(ds.clone(), q.clone())) {
                    Some(p) => {
                        let pms = num(p, 0);
                        let ratio = pms / ms;
                        let ok = ratio >= GOAL;
                        if !ok {
                            fails += 1;
                        }
                        let same = p.get(2) == row.get(4) && p.get(3) == row.get(5);
                        println!(
                            "{q:<14} {ms:>12.2} {pms:>14.2} {ratio:>7.1}x  {:<6} {wasm}  {shape}{}",
                            if ok { "ok" } else { "FAIL" },
                            if same { " (same as Prometheus)" } else { " (Prometheus differs)" }
                        );
                    }
                    None => println!("{q:<14} {ms:>12.2} {:>14} {:>8}  {:<6} {wasm}  {shape}", "-", "-", "-"),
                }
            }
            _ => {}
        }
    }
    println!();
    if skipped.is_none() && !prom.is_empty() {
        println!("goal: at least {GOAL}x faster than Prometheus on every query: {}", if fails == 0 { "met" } else { "NOT met" });
    }
    if !r.wasm.is_empty() {
        let verdict = if wasm_worst <= WASM_GOAL { "met" } else { "NOT met" };
        println!("goal: wasm within {WASM_GOAL}x of native on every query: {verdict} (worst {wasm_worst:.2}x)");
    }
}
