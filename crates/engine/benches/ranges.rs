//! Range-query benchmark: seeded data (counters, histogram buckets, an info series), the issue's
//! five queries, median of several runs. `cargo xtask bench` runs it beside a real Prometheus.
//!
//! Arguments (all optional): `--reps N`, `--emit DIR` (write each dataset as JSON for the
//! Prometheus driver), `--tsv FILE` (machine-readable results), `--only DATASET`, `--query NAME`.

#[path = "ranges/data.rs"]
mod data;

use std::time::Instant;

use data::{Dataset, QUERIES};
use engine::{Options, Value};

struct Args {
    reps: usize,
    emit: Option<String>,
    tsv: Option<String>,
    only: Option<String>,
    query: Option<String>,
}

fn parse_args() -> Args {
    let mut a = Args { reps: 7, emit: None, tsv: None, only: None, query: None };
    let mut it = std::env::args().skip(1);
    while let Some(arg) = it.next() {
        match arg.as_str() {
            "--reps" => a.reps = it.next().and_then(|v| v.parse().ok()).unwrap_or(a.reps).max(1),
            "--emit" => a.emit = it.next(),
            "--tsv" => a.tsv = it.next(),
            "--only" => a.only = it.next(),
            "--query" => a.query = it.next(),
            // `cargo bench` appends `--bench`; anything else unknown is ignored the same way.
            _ => {}
        }
    }
    a
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v.get(v.len() / 2).copied().unwrap_or(f64::NAN)
}

fn ms(d: std::time::Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// `(series, points)` of a result, to compare with Prometheus's answer.
fn shape(v: &Value) -> (usize, usize) {
    match v {
        Value::Matrix(m) => (m.len(), m.iter().map(|s| s.samples.len()).sum()),
        Value::Vector(v) => (v.len(), v.len()),
        _ => (1, 1),
    }
}

fn run_dataset(ds: &Dataset, args: &Args, tsv: &mut String) -> Result<(), String> {
    let t0 = Instant::now();
    let mut db = tsdb::Storage::new();
    for s in &ds.series {
        let labels = s.labels();
        for (i, v) in s.values().enumerate() {
            db.append(&labels, i as i64 * ds.interval_ms, v).map_err(|e| e.to_string())?;
        }
    }
    let ingest = t0.elapsed();
    let before = db.memory_stats();
    db.shrink_to_fit();
    let mem = db.memory_stats();
    println!(
        "dataset {}: {} series x {} samples = {} samples, ingest {:.0} ms ({:.1} M samples/s)",
        ds.name,
        ds.series.len(),
        ds.points,
        ds.samples(),
        ms(ingest),
        ds.samples() as f64 / ingest.as_secs_f64() / 1e6
    );
    println!(
        "  memory: {:.2} bytes/sample after shrink_to_fit ({:.2} while appending), {:.0} bytes/series overhead",
        mem.bytes_per_sample(),
        before.bytes_per_sample(),
        mem.bytes_per_series()
    );
    tsv.push_str(&format!("ingest\t{}\t{:.3}\t{}\t{}\n", ds.name, ms(ingest), ds.samples(), ds.series.len()));
    tsv.push_str(&format!(
        "memory\t{}\t{:.3}\t{:.3}\t{:.1}\n",
        ds.name,
        mem.bytes_per_sample(),
        before.bytes_per_sample(),
        mem.bytes_per_series()
    ));
    let opts = Options::default();
    for q in QUERIES.iter().filter(|q| args.query.as_deref().is_none_or(|n| n == q.name)) {
        let expr = promql::parse(q.expr).map_err(|e| format!("{}: {e}", q.expr))?;
        let mut times = Vec::with_capacity(args.reps);
        let mut got = (0, 0);
        for _ in 0..args.reps {
            let t = Instant::now();
            let r = engine::range_query_expr(&db, &expr, ds.start_ms, ds.end_ms, ds.step_ms, &opts)
                .map_err(|e| format!("{}: {e}", q.expr))?;
            times.push(ms(t.elapsed()));
            got = shape(&r.value);
        }
        let med = median(times.clone());
        let min = times.iter().copied().fold(f64::INFINITY, f64::min);
        println!("  {:<14} median {:>9.2} ms  min {:>9.2} ms  {:>6} series {:>8} points", q.name, med, min, got.0, got.1);
        // The single times too, so that runs made at different moments can be pooled.
        let all: Vec<String> = times.iter().map(|t| format!("{t:.3}")).collect();
        tsv.push_str(&format!("query\t{}\t{}\t{:.3}\t{}\t{}\t{}\n", ds.name, q.name, med, got.0, got.1, all.join(",")));
    }
    Ok(())
}

fn main() {
    let args = parse_args();
    let datasets = [("2k_x_6h", 1_000, 6, 42), ("10k_x_1h", 5_000, 1, 7)];
    let mut tsv = String::new();
    for (name, counters, hours, seed) in datasets {
        if args.only.as_deref().is_some_and(|o| o != name) {
            continue;
        }
        let ds = data::generate(name, counters, hours, seed);
        if let Some(dir) = &args.emit {
            let path = format!("{dir}/{name}.json");
            if let Err(e) = std::fs::create_dir_all(dir).and_then(|_| std::fs::write(&path, ds.to_json())) {
                eprintln!("ranges: cannot write {path}: {e}");
                std::process::exit(1);
            }
        }
        if let Err(e) = run_dataset(&ds, &args, &mut tsv) {
            eprintln!("ranges: {e}");
            std::process::exit(1);
        }
    }
    if let Some(path) = &args.tsv {
        if let Err(e) = std::fs::write(path, tsv) {
            eprintln!("ranges: cannot write {path}: {e}");
            std::process::exit(1);
        }
    }
}
