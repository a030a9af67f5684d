//! The generated half of the ingest benchmark: a seeded text 0.0.4 exposition of about a
//! million samples, shaped like a day of scrapes pasted at once. It is time-major (every
//! scrape lists all series again), which is the hard order for a store: consecutive samples
//! belong to different series, so no "same series as the line before" shortcut applies.

use std::fmt::Write as _;

/// 2023-11-14T22:13:20Z in ms, the start of every generated timeline in the repository.
const T0: i64 = 1_700_000_000_000;


#[path = "../../tests/common/rng.rs"]
mod rng;
use rng::Rng;

/// One series: its text as a scrape prints it and how its value moves.
struct Series {
    text: String,
    kind: Kind,
    value: f64,
}

#[derive(Clone, Copy)]
enum Kind {
    /// Integer increments, printed as integers (`1027`).
    Counter,
    /// Float seconds, printed with Go's shortest round-trip digits (often 16-17 of them).
    Seconds,
    /// A gauge of bytes, integers up to 1e10 in exponent notation as Go prints them.
    Bytes,
    /// Histogram buckets: counts, cumulative within one label set.
    Bucket,
}

const BUCKETS: [&str; 11] = [
    "0.005", "0.01", "0.025", "0.05", "0.1", "0.25", "0.5", "1", "2.5", "5", "+Inf",
];

fn series_set(rng: &mut Rng) -> (String, Vec<Series>) {
    let mut meta = String::new();
    let mut out = Vec::new();
    let handlers = [
        "/",
        "/api/v1/query",
        "/api/v1/query_range",
        "/api/v1/series",
        "/metrics",
        "/-/ready",
        "/graph",
        "/api/v1/labels",
    ];
    let methods = ["GET", "POST"];
    let codes = ["200", "204", "400", "404", "500", "503"];
    for f in [
        "http_requests_total counter",
        "http_request_duration_seconds histogram",
        "process_cpu_seconds_total counter",
        "go_memstats_heap_alloc_bytes gauge",
        "node_network_receive_bytes_total counter",
    ] {
        let (name, kind) = f.split_once(' ').unwrap_or((f, "untyped"));
        let _ = writeln!(
            meta,
            "# HELP {name} Generated {kind} for the ingest benchmark.\n# TYPE {name} {kind}"
        );
    }
    for inst in 0..10 {
        let instance = format!("10.0.{}.{}:9090", inst / 4, 10 + inst);
        let common = format!("instance=\"{instance}\",job=\"api-server\"");
        for h in handlers {
            for m in methods {
                for c in codes {
                    let text = format!("http_requests_total{{code=\"{c}\",handler=\"{h}\",{common},method=\"{m}\"}}");
                    out.push(Series {
                        text,
                        kind: Kind::Counter,
                        value: (rng.next() % 10_000) as f64,
                    });
                }
                for le in BUCKETS {
                    let text = format!("http_request_duration_seconds_bucket{{handler=\"{h}\",{common},le=\"{le}\",method=\"{m}\"}}");
                    out.push(Series {
                        text,
                        kind: Kind::Bucket,
                        value: 0.0,
                    });
                }
                let sum = format!(
                    "http_request_duration_seconds_sum{{handler=\"{h}\",{common},method=\"{m}\"}}"
                );
                out.push(Series {
                    text: sum,
                    kind: Kind::Seconds,
                    value: rng.f() * 100.0,
                });
                let count = format!("http_request_duration_seconds_count{{handler=\"{h}\",{common},method=\"{m}\"}}");
                out.push(Series {
                    text: count,
                    kind: Kind::Counter,
                    value: 0.0,
                });
            }
        }
        out.push(Series {
            text: format!("process_cpu_seconds_total{{{common}}}"),
            kind: Kind::Seconds,
            value: rng.f() * 1000.0,
        });
        out.push(Series {
            text: format!("go_memstats_heap_alloc_bytes{{{common}}}"),
            kind: Kind::Bytes,
            value: 5e7,
        });
        for dev in ["eth0", "eth1", "lo", "docker0"] {
            let text = format!("node_network_receive_bytes_total{{device=\"{dev}\",{common}}}");
            out.push(Series {
                text,
                kind: Kind::Bytes,
                value: 1e9 + (rng.next() % 1_000_000_000) as f64,
            });
        }
    }
    (meta, out)
}

/// About `samples` samples: all series at each 15 s scrape until the count is reached.
pub fn text_exposition(samples: usize, seed: u64) -> String {
    let mut rng = Rng(seed);
    let (meta, mut series) = series_set(&mut rng);
    let scrapes = samples.div_ceil(series.len().max(1));
    let mut out = String::with_capacity(samples * 140);
    out.push_str(&meta);
    for i in 0..scrapes {
        let t = T0 + i as i64 * 15_000;
        let mut cumulative = 0.0;
        for s in &mut series {
            s.value = match s.kind {
                Kind::Counter => s.value + (rng.next() % 50) as f64,
                Kind::Seconds => s.value + rng.f() * 3.0,
                Kind::Bytes => (s.value + (rng.next() % 100_000) as f64).round(),
                Kind::Bucket => {
                    // Buckets come in `le` order: each one adds to the running count.
                    if s.text.contains("le=\"0.005\"") {
                        cumulative = s.value;
                    }
                    cumulative += (rng.next() % 7) as f64;
                    cumulative.max(s.value)
                }
            };
            out.push_str(&s.text);
            out.push(' ');
            match s.kind {
                // Go's `%g`-like spelling: exponent form for large byte counts.
                Kind::Bytes if s.value >= 1e9 => {
                    let _ = write!(out, "{:e}", s.value);
                }
                _ => {
                    let _ = write!(out, "{}", s.value);
                }
            }
            let _ = writeln!(out, " {t}");
        }
    }
    out
}
