//! Writes the generated sample datasets of `www/datasets/` (the manifest, `index.json`, is
//! written by hand). Seeded and free of wall-clock time, so a re-run reproduces the files
//! byte for byte: `cargo run -p formats --example gen_datasets`. Every file is text 0.0.4
//! with millisecond timestamps (except the single-scrape CoreDNS one) and is parsed back
//! before it is written, so a generator bug cannot ship an unreadable dataset.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a build tool: fail loudly

use std::fmt::Write as _;
use std::path::PathBuf;

/// Start of every generated timeline: 2023-11-14T22:13:20Z.
const T0: i64 = 1_700_000_000_000;

#[path = "../tests/common/rng.rs"]
mod rng;
use rng::Rng;

/// Dataset-only draws on top of the shared generator.
trait Draws {
    fn range(&mut self, lo: u64, hi: u64) -> u64;
    fn latency(&mut self, median: f64, spread: f64) -> f64;
}

impl Draws for Rng {
    fn range(&mut self, lo: u64, hi: u64) -> u64 {
        lo + self.next() % (hi - lo + 1)
    }

    /// A positive, right-skewed value around `median` (log-normal from a sum of uniforms).
    fn latency(&mut self, median: f64, spread: f64) -> f64 {
        let g: f64 = (0..6).map(|_| self.f()).sum::<f64>() - 3.0;
        median * (g * spread).exp()
    }
}

/// The lines of one file.
#[derive(Default)]
struct Out(String);

impl Out {
    fn family(&mut self, name: &str, kind: &str, help: &str) {
        writeln!(self.0, "# HELP {name} {help}\n# TYPE {name} {kind}").unwrap();
    }

    fn sample(&mut self, name: &str, labels: &[(&str, &str)], v: f64, t: Option<i64>) {
        self.0.push_str(name);
        if !labels.is_empty() {
            let body: Vec<String> = labels.iter().map(|(k, v)| format!("{k}=\"{v}\"")).collect();
            write!(self.0, "{{{}}}", body.join(",")).unwrap();
        }
        write!(self.0, " {}", num(v)).unwrap();
        if let Some(t) = t {
            write!(self.0, " {t}").unwrap();
        }
        self.0.push('\n');
    }
}

fn num(v: f64) -> String {
    if v.is_infinite() {
        return if v > 0.0 { "+Inf".into() } else { "-Inf".into() };
    }
    // Six decimals are plenty for seconds and ratios; integers print without a fraction.
    let r = (v * 1e6).round() / 1e6;
    format!("{r}")
}

fn le(b: f64) -> String {
    if b.is_infinite() {
        "+Inf".into()
    } else {
        format!("{b}")
    }
}

fn write(name: &str, text: &str) {
    formats::parse_text(text).unwrap_or_else(|e| panic!("{name}: {e}"));
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../www/datasets");
    std::fs::write(dir.join(name), text).unwrap();
    println!("wrote {name} ({} bytes)", text.len());
}

fn lines(s: &str) -> Vec<String> {
    s.lines().map(str::to_string).collect()
}

/// Transposes per-time line lists (the same series order at every time) into series-major
/// order, so each series' samples are together and in time order.
fn by_series<'a>(per_time: impl Iterator<Item = &'a Vec<String>>) -> String {
    let rows: Vec<&Vec<String>> = per_time.collect();
    let width = rows.first().map_or(0, |r| r.len());
    let mut out = String::new();
    for k in 0..width {
        for r in &rows {
            out.push_str(&r[k]);
            out.push('\n');
        }
    }
    out
}

/// ACME beverages: three counters, one reset (Factory 1045 -> 1). At T0 + 605 s:
/// `max` = 40172, `count` = 3, and `max_over_time(...[3m])` = 6, 224, 40172, because the
/// window (T-180s, T] holds the last six 30 s scrapes and Factory's 1045 is the seventh.
fn acme() {
    /// Location, beverage, and the counter's value at scrape `i`.
    type Series = (&'static str, &'static str, fn(i64) -> i64);
    let mut o = Out::default();
    o.family("beverages_consumed_total", "counter", "Beverages consumed, by company, location and beverage.");
    let series: [Series; 3] = [
        ("Factory", "water", |i| if i <= 14 { 1000 + 45 * i / 14 } else { i - 14 }),
        ("HQ", "coffee", |i| 100 + 124 * i / 20),
        ("Warehouse", "tea", |i| 39_000 + 1172 * i / 20),
    ];
    for (location, beverage, f) in series {
        for i in 0..=20 {
            let labels = [("beverage", beverage), ("company", "acme"), ("location", location)];
            o.sample("beverages_consumed_total", &labels, f(i) as f64, Some(T0 + i * 30_000));
        }
    }
    write("acme-beverages.prom", &o.0);
}

/// CoreDNS tutorial: one scrape of CoreDNS after two lookups (`dig A` and `dig AAAA`), and the
/// Go runtime metrics of both jobs, as Prometheus stores them (job and instance attached).
fn coredns() {
    let mut rng = Rng(53);
    let mut o = Out::default();
    o.family("coredns_dns_requests_total", "counter", "Counter of DNS requests made per zone, protocol and family.");
    for ty in ["A", "AAAA"] {
        let l = [
            ("family", "1"),
            ("instance", "localhost:9153"),
            ("job", "coredns"),
            ("proto", "udp"),
            ("server", "dns://:53"),
            ("type", ty),
            ("zone", "."),
        ];
        o.sample("coredns_dns_requests_total", &l, 1.0, None);
    }
    o.family("coredns_dns_responses_total", "counter", "Counter of response status codes.");
    let l = [
        ("instance", "localhost:9153"),
        ("job", "coredns"),
        ("plugin", "forward"),
        ("rcode", "NOERROR"),
        ("server", "dns://:53"),
        ("zone", "."),
    ];
    o.sample("coredns_dns_responses_total", &l, 2.0, None);
    let jobs: [(&str, &str, f64); 2] = [("coredns", "localhost:9153", 3.1e6), ("prometheus", "localhost:9090", 2.6e7)];
    for (name, help) in [
        ("go_memstats_alloc_bytes", "Number of bytes allocated and still in use."),
        ("go_memstats_heap_inuse_bytes", "Number of heap bytes that are in use."),
        ("go_memstats_sys_bytes", "Number of bytes obtained from system."),
        ("go_goroutines", "Number of goroutines that currently exist."),
    ] {
        o.family(name, "gauge", help);
        for (job, instance, base) in jobs {
            let v = match name {
                "go_goroutines" => (base / 1e5).round() + rng.range(0, 9) as f64,
                "go_memstats_heap_inuse_bytes" => (base * 1.2 / 8192.0).round() * 8192.0,
                "go_memstats_sys_bytes" => (base * 3.4 / 65536.0).round() * 65536.0,
                _ => (base + rng.range(0, 100_000) as f64).round(),
            };
            o.sample(name, &[("instance", instance), ("job", job)], v, None);
        }
    }
    o.family("up", "gauge", "1 if the target was scraped successfully.");
    for (job, instance, _) in jobs {
        o.sample("up", &[("instance", instance), ("job", job)], 1.0, None);
    }
    write("coredns.prom", &o.0);
}

/// Cumulative bucket counts of a histogram, plus sum and count.
struct Hist {
    bounds: Vec<f64>,
    counts: Vec<u64>,
    sum: f64,
    count: u64,
}

impl Hist {
    fn new(bounds: Vec<f64>) -> Self {
        let n = bounds.len();
        Hist { bounds, counts: vec![0; n], sum: 0.0, count: 0 }
    }

    fn observe(&mut self, v: f64) {
        for (b, c) in self.bounds.iter().zip(self.counts.iter_mut()) {
            if v <= *b {
                *c += 1;
            }
        }
        self.sum += v;
        self.count += 1;
    }
}

/// client_golang's `prometheus.DefBuckets`.
fn default_buckets() -> Vec<f64> {
    vec![0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, f64::INFINITY]
}

/// A histogram's lines at one time; `labels` are the series labels without `le`.
fn hist_lines(o: &mut Out, name: &str, labels: &[(&str, &str)], h: &Hist, t: i64) {
    for (b, c) in h.bounds.iter().zip(&h.counts) {
        let l = le(*b);
        let mut ls: Vec<(&str, &str)> = labels.to_vec();
        ls.push(("le", &l));
        o.sample(&format!("{name}_bucket"), &ls, *c as f64, Some(t));
    }
    o.sample(&format!("{name}_sum"), labels, h.sum, Some(t));
    o.sample(&format!("{name}_count"), labels, h.count as f64, Some(t));
}

/// IP-allocation service, 30 minutes at 15 s. Cloud API failures burst (and the in-flight
/// gauge climbs) from minute 18 to 21; the reconciler finds dirty records at minute 24.
fn ipam() {
    const SCRAPES: i64 = 121;
    let mut rng = Rng(7);
    let stages = [("validate", 0.002), ("reserve", 0.015), ("cloud_attach", 0.35), ("commit", 0.02)];
    let apis = ["AssignPrivateIpAddresses", "DescribeNetworkInterfaces"];
    let expo: Vec<f64> = (0..10).map(|k| 0.01 * 2f64.powi(k)).chain([f64::INFINITY]).collect();
    let mut stage_h: Vec<Hist> = stages.iter().map(|_| Hist::new(default_buckets())).collect();
    let mut api_h: Vec<Hist> = apis.iter().map(|_| Hist::new(expo.clone())).collect();
    let mut calls = [[0u64; 2]; 2]; // [api][success, failure]
    let (mut allocs, mut dirty) = (0u64, 0u64);
    let mut rows = Vec::new();
    for i in 0..SCRAPES {
        let t = T0 + i * 15_000;
        let minute = i / 4;
        let burst = (18..21).contains(&minute);
        let n = if i == 0 { 0 } else { rng.range(5, 15) };
        for _ in 0..n {
            allocs += 1;
            for (k, (_, median)) in stages.iter().enumerate() {
                stage_h[k].observe(rng.latency(*median, 0.5));
            }
            for (a, h) in api_h.iter_mut().enumerate() {
                h.observe(rng.latency(if a == 0 { 0.12 } else { 0.04 }, 0.6));
                let failed = rng.f() < if burst { 0.3 } else { 0.03 };
                calls[a][usize::from(failed)] += 1;
            }
        }
        if minute == 24 && i % 4 == 0 {
            dirty += 3;
        }
        let in_flight = rng.range(0, 4) as f64 + if burst { 6.0 } else { 0.0 };
        let mut so = Out::default();
        for (k, (stage, _)) in stages.iter().enumerate() {
            hist_lines(&mut so, "ipam_stage_duration_seconds", &[("stage", stage)], &stage_h[k], t);
        }
        let mut ao = Out::default();
        for (a, api) in apis.iter().enumerate() {
            hist_lines(&mut ao, "ipam_cloud_api_duration_seconds", &[("api", api)], &api_h[a], t);
        }
        let mut co = Out::default();
        for (a, api) in apis.iter().enumerate() {
            co.sample("ipam_cloud_api_calls_total", &[("api", api), ("result", "success")], calls[a][0] as f64, Some(t));
            co.sample("ipam_cloud_api_calls_total", &[("api", api), ("result", "failure")], calls[a][1] as f64, Some(t));
        }
        rows.push((lines(&so.0), lines(&ao.0), lines(&co.0), in_flight, allocs, dirty));
    }
    let mut o = Out::default();
    o.family("ipam_stage_duration_seconds", "histogram", "Time spent in each stage of an IP allocation (default buckets).");
    o.0.push_str(&by_series(rows.iter().map(|r| &r.0)));
    o.family("ipam_cloud_api_duration_seconds", "histogram", "Latency of cloud API calls (exponential buckets 0.01 * 2^k).");
    o.0.push_str(&by_series(rows.iter().map(|r| &r.1)));
    o.family("ipam_cloud_api_calls_total", "counter", "Cloud API calls by result.");
    o.0.push_str(&by_series(rows.iter().map(|r| &r.2)));
    let at = |i: usize| Some(T0 + i as i64 * 15_000);
    o.family("ipam_allocations_in_flight", "gauge", "IP allocations currently being processed.");
    for (i, r) in rows.iter().enumerate() {
        o.sample("ipam_allocations_in_flight", &[], r.3, at(i));
    }
    o.family("ipam_allocations_total", "counter", "IP allocations completed.");
    for (i, r) in rows.iter().enumerate() {
        o.sample("ipam_allocations_total", &[], r.4 as f64, at(i));
    }
    o.family("ipam_dirty_records_total", "counter", "Inconsistent allocation records found by the reconciler.");
    for (i, r) in rows.iter().enumerate() {
        o.sample("ipam_dirty_records_total", &[], r.5 as f64, at(i));
    }
    write("ipam.prom", &o.0);
}

/// Three Kubernetes nodes for an hour at 30 s, with anomalies at known times: node-b CPU
/// saturated from minute 15 to 25, node-c memory nearly exhausted from 30 to 40, node-a
/// receiving ~100 MB/s from 45 to 55.
fn k8s_nodes() {
    const SCRAPES: i64 = 121;
    let mut rng = Rng(8);
    let nodes = ["node-a", "node-b", "node-c"];
    let total_mem = 8.0 * 1024.0 * 1024.0 * 1024.0;
    let mut cpu = [[0.0f64; 3]; 3]; // [node][idle, user, system], summed over 2 cores
    let (mut rx, mut tx) = ([0.0f64; 3], [0.0f64; 3]);
    let mut rows = Vec::new();
    for i in 0..SCRAPES {
        let t = T0 + i * 30_000;
        let minute = i / 2;
        let (mut c, mut m, mut r, mut x) = (Out::default(), Out::default(), Out::default(), Out::default());
        for (n, node) in nodes.iter().enumerate() {
            if i > 0 {
                let busy = if n == 1 && (15..25).contains(&minute) { 0.95 } else { 0.15 + 0.1 * rng.f() };
                let (user, system) = (60.0 * busy * 0.8, 60.0 * busy * 0.2);
                cpu[n][0] += 60.0 - user - system;
                cpu[n][1] += user;
                cpu[n][2] += system;
                let rate = if n == 0 && (45..55).contains(&minute) { 1.0e8 } else { 2.0e6 + 1.0e6 * rng.f() };
                rx[n] += (rate * 30.0).round();
                tx[n] += (rate * 0.3 * 30.0).round();
            }
            for (k, mode) in ["idle", "user", "system"].iter().enumerate() {
                c.sample("node_cpu_seconds_total", &[("mode", mode), ("node", node)], cpu[n][k], Some(t));
            }
            let avail = if n == 2 && (30..40).contains(&minute) { 0.04 + 0.01 * rng.f() } else { 0.55 + 0.1 * rng.f() };
            m.sample("node_memory_MemAvailable_bytes", &[("node", node)], (total_mem * avail / 4096.0).round() * 4096.0, Some(t));
            r.sample("node_network_receive_bytes_total", &[("device", "eth0"), ("node", node)], rx[n], Some(t));
            x.sample("node_network_transmit_bytes_total", &[("device", "eth0"), ("node", node)], tx[n], Some(t));
        }
        rows.push((lines(&c.0), lines(&m.0), lines(&r.0), lines(&x.0)));
    }
    let mut o = Out::default();
    o.family("node_cpu_seconds_total", "counter", "Seconds the CPUs spent in each mode (2 cores).");
    o.0.push_str(&by_series(rows.iter().map(|r| &r.0)));
    o.family("node_memory_MemAvailable_bytes", "gauge", "Memory available for starting new applications.");
    o.0.push_str(&by_series(rows.iter().map(|r| &r.1)));
    o.family("node_memory_MemTotal_bytes", "gauge", "Total usable memory.");
    for node in nodes {
        for i in 0..SCRAPES {
            o.sample("node_memory_MemTotal_bytes", &[("node", node)], total_mem, Some(T0 + i * 30_000));
        }
    }
    o.family("node_network_receive_bytes_total", "counter", "Bytes received per network device.");
    o.0.push_str(&by_series(rows.iter().map(|r| &r.2)));
    o.family("node_network_transmit_bytes_total", "counter", "Bytes sent per network device.");
    o.0.push_str(&by_series(rows.iter().map(|r| &r.3)));
    write("k8s-nodes.prom", &o.0);
}

/// Micrometer-style request histogram whose `uri` label leaks user ids: 8 templated routes
/// plus 40 raw `/api/users/<id>` paths, 3 status codes, 9 buckets: 1584 series, 5 scrapes.
fn high_cardinality() {
    const SCRAPES: i64 = 5;
    let mut rng = Rng(42);
    let mut uris: Vec<String> =
        ["/", "/login", "/logout", "/api/orders", "/api/orders/{id}", "/api/users", "/api/users/{id}", "/actuator/health"]
            .iter()
            .map(|s| s.to_string())
            .collect();
    while uris.len() < 48 {
        let u = format!("/api/users/{}", rng.range(10_000, 99_999));
        if !uris.contains(&u) {
            uris.push(u);
        }
    }
    let buckets = vec![0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, f64::INFINITY];
    let statuses = [("200", "SUCCESS", 0.9), ("404", "CLIENT_ERROR", 0.07), ("500", "SERVER_ERROR", 0.03)];
    let mut o = Out::default();
    o.family("http_server_requests_seconds", "histogram", "Duration of HTTP server request handling.");
    for uri in &uris {
        // The leaked per-user paths are rare; the routes carry the traffic.
        let weight = if uri.starts_with("/api/users/") && !uri.contains('{') { 1.0 } else { 20.0 };
        for (status, outcome, share) in statuses {
            let mut h = Hist::new(buckets.clone());
            let mut per_time = Vec::new();
            for i in 0..SCRAPES {
                if i > 0 {
                    let n = (weight * share * rng.range(5, 15) as f64).round() as u64;
                    for _ in 0..n {
                        h.observe(rng.latency(if status == "500" { 0.3 } else { 0.03 }, 0.7));
                    }
                }
                let mut so = Out::default();
                let labels = [("method", "GET"), ("outcome", outcome), ("status", status), ("uri", uri.as_str())];
                hist_lines(&mut so, "http_server_requests_seconds", &labels, &h, T0 + i * 15_000);
                per_time.push(lines(&so.0));
            }
            o.0.push_str(&by_series(per_time.iter()));
        }
    }
    write("high-cardinality.prom", &o.0);
}

fn main() {
    acme();
    coredns();
    ipam();
    k8s_nodes();
    high_cardinality();
}
