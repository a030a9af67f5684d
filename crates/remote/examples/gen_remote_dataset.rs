//! Writes `tests/remote/data.om`, the data the remote-mode tests load into a real Prometheus:
//! a slice of the curated real capture (`www/datasets/capture-curated.om`: node_exporter,
//! Prometheus itself and blackbox probes over 25 minutes) through the import's own OpenMetrics
//! writer, so every timestamp survives `promtool`'s float reading exactly.
//!
//! `cargo run -p remote --example gen_remote_dataset` (byte-for-byte reproducible).

use std::collections::BTreeMap;
use std::process::ExitCode;

use remote::{Metadata, StagedSeries};

/// Counters, gauges, a histogram, a summary and an info-style gauge; enough for rate, sums,
/// quantiles and joins, small enough to commit.
const FAMILIES: [&str; 20] = [
    "up",
    "scrape_duration_seconds",
    "node_cpu_seconds",
    "node_load1",
    "node_memory_MemAvailable_bytes",
    "node_memory_MemTotal_bytes",
    "node_network_receive_bytes",
    "node_filesystem_avail_bytes",
    "node_filesystem_size_bytes",
    "node_uname_info",
    "prometheus_http_requests",
    "prometheus_http_request_duration_seconds",
    "prometheus_tsdb_head_series",
    "go_goroutines",
    "go_gc_duration_seconds",
    "process_cpu_seconds",
    "process_resident_memory_bytes",
    "probe_success",
    "probe_duration_seconds",
    "ALERTS",
];

fn main() -> ExitCode {
    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/../..");
    let src = format!("{root}/www/datasets/capture-curated.om");
    let out = format!("{root}/tests/remote/data.om");
    let text = match std::fs::read_to_string(&src) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("{src}: {e}");
            return ExitCode::FAILURE;
        }
    };
    let exp = match formats::parse_openmetrics(&text) {
        Ok(e) => e,
        Err(e) => {
            eprintln!("{src}:{e}");
            return ExitCode::FAILURE;
        }
    };
    let mut metadata = BTreeMap::new();
    for f in exp.families.iter().filter(|f| FAMILIES.contains(&f.name.as_str())) {
        let m = Metadata { kind: f.kind.to_string(), help: f.help.clone().unwrap_or_default(), unit: String::new() };
        metadata.insert(f.name.clone(), m);
    }
    let mut series: BTreeMap<model::Labels, Vec<model::Sample>> = BTreeMap::new();
    for s in &exp.samples {
        let name = s.labels.metric_name().unwrap_or("");
        let wanted = FAMILIES.iter().any(|f| name == *f || name.strip_prefix(f).is_some_and(|rest| rest.starts_with('_') && metadata.contains_key(*f)));
        if let (true, Some(t)) = (wanted, s.timestamp_ms) {
            series.entry(s.labels.clone()).or_default().push(model::Sample { t, v: s.value });
        }
    }
    let staged: Vec<StagedSeries> = series.into_iter().map(|(labels, samples)| StagedSeries { labels, samples }).collect();
    let om = remote::write_openmetrics(&staged, &metadata);
    if let Err(e) = std::fs::write(&out, om) {
        eprintln!("{out}: {e}");
        return ExitCode::FAILURE;
    }
    let samples: usize = staged.iter().map(|s| s.samples.len()).sum();
    println!("{out}: {} series, {samples} samples", staged.len());
    ExitCode::SUCCESS
}
