//! The benchmark's seeded data: counters, classic histogram buckets and an info-like series,
//! described as straight-line segments so that the Prometheus driver rebuilds the exact same
//! float values (repeated float addition, as promqltest's `a+bxn`) from a small JSON file.

use model::Labels;

/// A run of `count` samples `start, start+inc, start+inc+inc, …`, one per scrape interval.
#[derive(Clone, Copy, Debug)]
pub struct Seg {
    pub start: f64,
    pub inc: f64,
    pub count: usize,
}

#[derive(Debug)]
pub struct GenSeries {
    pub labels: Vec<(String, String)>,
    pub segs: Vec<Seg>,
}

#[derive(Debug)]
pub struct Query {
    pub name: &'static str,
    pub expr: &'static str,
}

#[derive(Debug)]
pub struct Dataset {
    pub name: String,
    /// Scrape interval; sample i of every series is at `i * interval_ms` (from epoch 0).
    pub interval_ms: i64,
    pub points: usize,
    pub series: Vec<GenSeries>,
    pub start_ms: i64,
    pub end_ms: i64,
    pub step_ms: i64,
}

/// The queries of the issue, in its order.
pub const QUERIES: &[Query] = &[
    Query { name: "sum_rate", expr: "sum by (job) (rate(x[5m]))" },
    Query { name: "hist_quantile", expr: "histogram_quantile(0.9, sum by (le) (rate(b_bucket[5m])))" },
    Query { name: "topk", expr: "topk(5, rate(x[5m]))" },
    Query { name: "group_left", expr: "rate(x[5m]) * on (job, instance) group_left (version) info" },
    Query { name: "subquery", expr: "max_over_time(rate(x[5m])[1h:1m])" },
];

const LES: &[&str] = &["0.05", "0.1", "0.25", "0.5", "1", "2.5", "5", "10", "25", "+Inf"];
const JOBS: usize = 10;

/// SplitMix64: tiny, seeded, and the same on every platform.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    /// An integer in `lo..hi`, as a float (integers keep repeated addition exact).
    fn int(&mut self, lo: u64, hi: u64) -> f64 {
        (lo + self.next() % (hi - lo)) as f64
    }
}

/// One counter's segments: a random start and slope, and for one series in ten a reset.
fn counter_segs(rng: &mut Rng, points: usize, start: f64, inc: f64) -> Vec<Seg> {
    if rng.next() % 10 < 1 {
        let at = 1 + (rng.next() as usize) % (points - 1);
        vec![Seg { start, inc, count: at }, Seg { start: 0.0, inc, count: points - at }]
    } else {
        vec![Seg { start, inc, count: points }]
    }
}

fn pairs(p: &[(&str, &str)]) -> Vec<(String, String)> {
    p.iter().map(|(n, v)| (n.to_string(), v.to_string())).collect()
}

/// `counters` series `x`, `counters / 10` histograms of ten `b_bucket` series, and one `info`
/// series per counter instance; `hours` of samples at 15 s.
pub fn generate(name: &str, counters: usize, hours: i64, seed: u64) -> Dataset {
    let mut rng = Rng(seed);
    let interval_ms = 15_000;
    let points = (hours * 3_600_000 / interval_ms) as usize + 1;
    let mut series = Vec::new();
    for i in 0..counters {
        let (job, inst) = (format!("job-{}", i % JOBS), format!("host-{i}:9100"));
        let (start, inc) = (rng.int(0, 10_000), rng.int(1, 100));
        let segs = counter_segs(&mut rng, points, start, inc);
        series.push(GenSeries { labels: pairs(&[("__name__", "x"), ("job", &job), ("instance", &inst)]), segs });
        let version = format!("v{}", rng.next() % 5);
        let labels = pairs(&[("__name__", "info"), ("job", &job), ("instance", &inst), ("version", &version)]);
        series.push(GenSeries { labels, segs: vec![Seg { start: 1.0, inc: 0.0, count: points }] });
    }
    for h in 0..counters / LES.len() {
        let (job, inst) = (format!("job-{}", h % JOBS), format!("host-{h}:9100"));
        // Buckets are cumulative: each le's slope and start include every smaller bucket's.
        let (mut start, mut inc) = (0.0, 0.0);
        let reset = counter_segs(&mut rng, points, 0.0, 0.0);
        for le in LES {
            start += rng.int(0, 1_000);
            inc += rng.int(0, 20);
            let segs = reset
                .iter()
                .enumerate()
                .map(|(k, s)| Seg { start: if k == 0 { start } else { 0.0 }, inc, count: s.count })
                .collect();
            let labels = pairs(&[("__name__", "b_bucket"), ("job", &job), ("instance", &inst), ("le", le)]);
            series.push(GenSeries { labels, segs });
        }
    }
    let end_ms = hours * 3_600_000;
    // A 5h range where there is 6h of data; otherwise everything after the first 10 minutes.
    let start_ms = if hours > 1 { end_ms - 5 * 3_600_000 } else { 600_000 };
    Dataset { name: name.to_string(), interval_ms, points, series, start_ms, end_ms, step_ms: 60_000 }
}

impl GenSeries {
    pub fn labels(&self) -> Labels {
        Labels::from_pairs(self.labels.iter().map(|(n, v)| (n.as_str(), v.as_str())))
    }

    /// The values in time order, by the same repeated addition the Python driver does.
    pub fn values(&self) -> impl Iterator<Item = f64> + '_ {
        self.segs.iter().flat_map(|s| {
            let mut v = s.start;
            (0..s.count).map(move |_| {
                let out = v;
                v += s.inc;
                out
            })
        })
    }
}

fn json_str(s: &str) -> String {
    // Label names and values here are plain ASCII without quotes or backslashes.
    format!("\"{s}\"")
}

impl Dataset {
    pub fn samples(&self) -> usize {
        self.series.len() * self.points
    }

    /// The dataset and its queries for `crates/xtask/bench/prom_bench.py`.
    pub fn to_json(&self) -> String {
        let series: Vec<String> = self
            .series
            .iter()
            .map(|s| {
                let labels: Vec<String> = s.labels.iter().map(|(n, v)| format!("{}:{}", json_str(n), json_str(v))).collect();
                let segs: Vec<String> = s.segs.iter().map(|g| format!("[{:?},{:?},{}]", g.start, g.inc, g.count)).collect();
                format!("{{\"labels\":{{{}}},\"segs\":[{}]}}", labels.join(","), segs.join(","))
            })
            .collect();
        let queries: Vec<String> = QUERIES
            .iter()
            .map(|q| format!("{{\"name\":{},\"expr\":{}}}", json_str(q.name), json_str(q.expr)))
            .collect();
        format!(
            "{{\"name\":{},\"interval_ms\":{},\"points\":{},\"start_ms\":{},\"end_ms\":{},\"step_ms\":{},\"queries\":[{}],\n\"series\":[\n{}]}}\n",
            json_str(&self.name),
            self.interval_ms,
            self.points,
            self.start_ms,
            self.end_ms,
            self.step_ms,
            queries.join(","),
            series.join(",\n")
        )
    }
}
