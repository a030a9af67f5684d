//! `promplay cardinality FILE... [--top N] [--json]`: what the data costs, like Prometheus's
//! TSDB status page: totals, the metric names with the most series, label names by distinct
//! values, label pairs by series, and the store's memory. Files load exactly as `eval` loads
//! them (`--scrape-time`, `--scrape-interval` as there; samples without a timestamp default
//! to time 0, since no query time exists here).

use crate::args::Args;
use crate::eval::{bad, load_files, scrape_interval};
use model::timearg::parse_time;

const FLAGS: [&str; 3] = ["top", "scrape-time", "scrape-interval"];

pub fn main(argv: &[String]) -> (u8, String) {
    match run(argv) {
        Ok(out) => (0, out),
        Err((_, msg)) => {
            eprintln!("promplay cardinality: {msg}");
            (1, String::new())
        }
    }
}

fn run(argv: &[String]) -> Result<String, crate::eval::Failure> {
    // `--json` takes no value, which the shared flag parser does not know: take it out first.
    let end = argv.iter().position(|a| a == "--").unwrap_or(argv.len());
    let json = argv[..end].iter().any(|a| a == "--json");
    let rest: Vec<String> = argv.iter().enumerate().filter(|(i, a)| !(*i < end && *a == "--json")).map(|(_, a)| a.clone()).collect();
    let args = Args::parse(&rest, &FLAGS).map_err(bad)?;
    let top = match args.one("top").map_err(bad)? {
        None => 10,
        Some(s) => s.parse::<usize>().map_err(|_| bad(format!("invalid --top {s:?}: expected a count")))?,
    };
    let scrape_time = match args.one("scrape-time").map_err(bad)? {
        None => 0,
        Some(s) => parse_time(s).map_err(|e| bad(format!("invalid parameter \"scrape-time\": {e}")))?,
    };
    if args.positional.is_empty() {
        return Err(bad("usage: promplay cardinality FILE... [--top N] [--json]"));
    }
    let mut db = tsdb::Storage::new();
    load_files(&mut db, &args.positional, scrape_time, scrape_interval(&args)?)?;
    let c = db.cardinality(top);
    if json {
        return serde_json::to_string_pretty(&c).map(|s| s + "\n").map_err(|e| bad(e.to_string()));
    }
    Ok(table(&c, top))
}

fn table(c: &tsdb::Cardinality, top: usize) -> String {
    let mut out = String::new();
    let range = match (c.min_time, c.max_time) {
        (Some(a), Some(b)) => format!("{} .. {} (unix seconds)", model::format_prom_float(a as f64 / 1e3), model::format_prom_float(b as f64 / 1e3)),
        _ => "empty".into(),
    };
    let totals = [
        ("series", c.num_series.to_string()),
        ("samples", c.num_samples.to_string()),
        ("label pairs", c.num_label_pairs.to_string()),
        ("label names", c.num_label_names.to_string()),
        ("time range", range),
        (
            "memory",
            format!("{} (samples {}, series and index {})", bytes(c.memory_total_bytes), bytes(c.memory_sample_bytes), bytes(c.memory_series_bytes)),
        ),
    ];
    out.push_str("Totals\n");
    for (k, v) in totals {
        out.push_str(&format!("  {k:<12} {v}\n"));
    }
    section(&mut out, &format!("Top {top} series count by metric name"), "metric name", "series", &c.series_count_by_metric_name);
    section(&mut out, &format!("Top {top} label names with value count"), "label name", "values", &c.label_value_count_by_label_name);
    section(&mut out, &format!("Top {top} label names with high memory usage"), "label name", "bytes", &c.memory_in_bytes_by_label_name);
    section(&mut out, &format!("Top {top} series count by label value pairs"), "label pair", "series", &c.series_count_by_label_value_pair);
    out
}

fn section(out: &mut String, title: &str, left: &str, right: &str, rows: &[tsdb::Count]) {
    let width = rows.iter().map(|r| r.name.chars().count()).max().unwrap_or(0).max(left.len());
    out.push_str(&format!("\n{title}\n  {left:<width$}  {right:>10}\n"));
    for r in rows {
        out.push_str(&format!("  {:<width$}  {:>10}\n", r.name, r.value));
    }
}

fn bytes(n: usize) -> String {
    let f = n as f64;
    if f >= 1024.0 * 1024.0 {
        format!("{:.1} MiB", f / 1024.0 / 1024.0)
    } else if f >= 1024.0 {
        format!("{:.1} KiB", f / 1024.0)
    } else {
        format!("{n} B")
    }
}
