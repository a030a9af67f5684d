//! The histogram_quantile explainer: one classic histogram's buckets, the rank φ·count, the
//! bucket it falls in and the interpolation, with the edge case that decided the answer.
//!
//! The answer itself always comes from the engine: the buckets are written into a small store
//! of their own and `histogram_quantile` runs as a PromQL query over it, so the explainer cannot
//! disagree with what a query returns. The steps in words retrace the engine's rules (Prometheus's
//! `bucketQuantile`); a test checks that retracing against the engine on many histograms.

use model::{format_prom_float, Labels};
use promql::Expr;
use protocol::{HistogramBucket, HistogramReply, HistogramRequest, HistogramSource, QueryRequest, WhatIf};

use crate::explain::{eval_node, flatten};

/// The evaluation time of the explainer's own store (any instant works: one sample per series).
const T: i64 = 1_000;
/// How many observations the what-if sample holds.
pub const SAMPLE_SIZE: usize = 200;

/// Answers a request; `Query` needs the user's store and evaluation time.
pub fn explain(
    req: &HistogramRequest,
    data: Option<(&tsdb::Storage, i64)>,
    resolve_time: &dyn Fn(&QueryRequest) -> Result<i64, String>,
    opts: &engine::Options,
) -> Result<HistogramReply, String> {
    match &req.source {
        HistogramSource::Buckets(text) => {
            let phi = parse_phi(&req.phi)?;
            let buckets = parse_buckets(text)?;
            explain_buckets(phi, &buckets, &demo_labels(), opts)
        }
        HistogramSource::Sample(bounds) => {
            let phi = parse_phi(&req.phi)?;
            what_if(phi, bounds, opts)
        }
        HistogramSource::Query { query, node, series } => {
            let (db, _) = data.ok_or("no data loaded")?;
            let t = resolve_time(query)?;
            from_query(db, &query.query, *node, *series, t, opts)
        }
    }
}

fn parse_phi(s: &str) -> Result<f64, String> {
    let s = s.trim();
    // Rust's float syntax accepts `inf`, `NaN` and a sign, as PromQL numbers do.
    s.parse::<f64>().map_err(|_| format!("φ: {s:?} is not a number"))
}

/// `le:count` pairs separated by commas or new lines.
pub fn parse_buckets(text: &str) -> Result<Vec<(String, f64)>, String> {
    let mut out: Vec<(String, f64)> = Vec::new();
    for part in text.split([',', '\n']).map(str::trim).filter(|p| !p.is_empty()) {
        let (le, count) = part.split_once(':').ok_or_else(|| format!("{part:?}: write a bucket as le:count"))?;
        let le = le.trim().to_string();
        let count: f64 = count.trim().parse().map_err(|_| format!("{part:?}: the count is not a number"))?;
        if out.iter().any(|(l, _)| *l == le) {
            return Err(format!("le={le} is given twice"));
        }
        out.push((le, count));
    }
    Ok(out)
}

/// The typed and the what-if buckets are series of this name.
fn demo_labels() -> Labels {
    Labels::from_pairs([("__name__", "demo_bucket")])
}

/// Runs `histogram_quantile` in the engine over these buckets: series `labels` with `le` as
/// given (the user's own labels for a query's histogram, so the engine's notes name its metric).
fn engine_quantile(
    phi: f64,
    buckets: &[(String, f64)],
    labels: &Labels,
    opts: &engine::Options,
) -> Result<(f64, Vec<String>), String> {
    let mut db = tsdb::Storage::new();
    // φ travels as a sample, bit for bit, instead of being printed into the query.
    db.append(&Labels::from_pairs([("__name__", "hq_phi")]), T, phi).map_err(|e| e.to_string())?;
    for (le, count) in buckets {
        let mut l = labels.builder();
        l.set("le", le);
        db.append(&l.build(), T, *count).map_err(|e| e.to_string())?;
    }
    let r = engine::instant_query(&db, r#"histogram_quantile(scalar(hq_phi), {le!=""})"#, T, opts)
        .map_err(|e| e.to_string())?;
    let v = match &r.value {
        engine::Value::Vector(v) => v.first().map_or(f64::NAN, |s| s.v),
        _ => f64::NAN,
    };
    let mut notes = r.warnings;
    notes.extend(r.infos);
    Ok((v, notes))
}

/// Go's `strconv.ParseFloat` on `le` values, as the engine reads them.
fn parse_le(s: &str) -> Option<f64> {
    let t = s.trim_start_matches(['+', '-']);
    if t.eq_ignore_ascii_case("inf") || t.eq_ignore_ascii_case("infinity") {
        return Some(if s.starts_with('-') { f64::NEG_INFINITY } else { f64::INFINITY });
    }
    if s.is_empty() || s.contains('_') {
        return None;
    }
    s.parse().ok()
}

pub fn explain_buckets(
    phi: f64,
    given: &[(String, f64)],
    labels: &Labels,
    opts: &engine::Options,
) -> Result<HistogramReply, String> {
    let (value, notes) = engine_quantile(phi, given, labels, opts)?;
    let mut buckets: Vec<HistogramBucket> = Vec::new();
    let mut steps = Vec::new();
    for (le, count) in given {
        match parse_le(le) {
            Some(upper) => buckets.push(HistogramBucket { le: le.clone(), upper, count: *count, fixed: *count }),
            None => steps.push(format!("le={le:?} is not a number: the bucket is ignored.")),
        }
    }
    buckets.sort_by(|a, b| a.upper.total_cmp(&b.upper));
    let mut merged: Vec<HistogramBucket> = Vec::with_capacity(buckets.len());
    for b in buckets {
        match merged.last_mut() {
            Some(l) if l.upper == b.upper => {
                steps.push(format!("le={} and le={} are the same bound: their counts are added.", l.le, b.le));
                l.count += b.count;
                l.fixed = l.count;
            }
            _ => merged.push(b),
        }
    }
    let mut buckets = merged;
    let fixes = monotonic_fix(&mut buckets);
    let f = format_prom_float;
    let total = buckets.last().map_or(f64::NAN, |b| b.fixed);
    let rank = phi * total;
    let mut bucket = None;
    let has_inf = buckets.last().is_some_and(|b| b.upper == f64::INFINITY);
    let case = if phi.is_nan() {
        "φ is NaN, so the result is NaN.".to_string()
    } else if phi < 0.0 {
        "φ < 0: there is no such quantile; the result is −Inf.".to_string()
    } else if phi > 1.0 {
        "φ > 1: there is no such quantile; the result is +Inf.".to_string()
    } else if !has_inf {
        "There is no +Inf bucket, so the total number of observations is unknown: NaN.".to_string()
    } else if buckets.len() < 2 {
        "Fewer than two buckets (only +Inf): there is no finite bound to interpolate to, so the result is NaN.".to_string()
    } else if total == 0.0 || total.is_nan() {
        format!("The +Inf bucket counts {} observations, so there is no rank to find: NaN.", f(total))
    } else {
        let n = buckets.len();
        steps.push(format!("total = the +Inf bucket's count = {}", f(total)));
        steps.push(format!("rank = φ · total = {} · {} = {}", f(phi), f(total), f(rank)));
        let i = buckets[..n - 1].partition_point(|b| b.fixed < rank);
        let b = &buckets[i];
        steps.push(format!("the first bucket whose count reaches the rank: le={} (count {})", b.le, f(b.fixed)));
        if i == n - 1 {
            let top = &buckets[n - 2];
            format!(
                "The rank falls in the +Inf bucket, whose upper end is unknown: the result is the highest finite bound, {}.",
                f(top.upper)
            )
        } else if i == 0 && b.upper <= 0.0 {
            format!(
                "The rank falls in the first bucket, whose bound {} is not positive, so there is no lower end to interpolate from: the result is {}.",
                f(b.upper),
                f(b.upper)
            )
        } else {
            bucket = Some(i);
            let (start, below) = if i > 0 { (buckets[i - 1].upper, buckets[i - 1].fixed) } else { (0.0, 0.0) };
            let inside = b.fixed - below;
            steps.push(format!(
                "below it: {} observations (≤ {}); inside ({}, {}]: {} − {} = {}",
                f(below),
                f(start),
                f(start),
                f(b.upper),
                f(b.fixed),
                f(below),
                f(inside)
            ));
            let est = start + (b.upper - start) * ((rank - below) / inside);
            steps.push(format!(
                "value = {} + ({} − {}) · ({} − {}) / {} = {}",
                f(start),
                f(b.upper),
                f(start),
                f(rank),
                f(below),
                f(inside),
                f(est)
            ));
            if est.to_bits() != value.to_bits() && !(est.is_nan() && value.is_nan()) {
                steps.push(format!("(the engine returned {}: this explanation missed a rule)", f(value)));
            }
            format!(
                "Linear interpolation: the observations inside (lower bound {}, upper bound {}] are assumed spread evenly.",
                f(start),
                f(b.upper)
            )
        }
    };
    steps.extend(fixes);
    Ok(HistogramReply {
        phi,
        buckets,
        total,
        rank,
        bucket,
        value,
        value_text: f(value),
        steps,
        case,
        notes,
        ..HistogramReply::default()
    })
}

/// The engine's monotonicity fix (`ensureMonotonicAndIgnoreSmallDeltas`): a count below the
/// largest before it is raised to it; relative increases up to 1e-12 are float noise and
/// flattened. Says what it changed.
fn monotonic_fix(b: &mut [HistogramBucket]) -> Vec<String> {
    let mut out = Vec::new();
    let Some(first) = b.first() else { return out };
    let mut max = first.fixed;
    for x in b.iter_mut().skip(1) {
        if x.fixed > max {
            if (x.fixed - max) / x.fixed <= 1e-12 {
                x.fixed = max;
            } else {
                max = x.fixed;
            }
        } else if x.fixed < max {
            out.push(format!(
                "Monotonicity fix: le={} counts {}, fewer than a smaller bucket ({}); cumulative counts cannot decrease, so it is read as {}.",
                x.le,
                format_prom_float(x.fixed),
                format_prom_float(max),
                format_prom_float(max)
            ));
            x.fixed = max;
        }
    }
    out
}

/// The histogram_quantile node `node` of `query`: its φ and the buckets of output series
/// `series`, as the engine sees them at `t`.
fn from_query(
    db: &tsdb::Storage,
    query: &str,
    node: usize,
    series: usize,
    t: i64,
    opts: &engine::Options,
) -> Result<HistogramReply, String> {
    let expr = promql::parse(query).map_err(|e| e.to_string())?;
    let flat = flatten(&expr);
    let call = match flat.get(node).map(|f| f.expr) {
        Some(Expr::Call(c)) if c.func.name == "histogram_quantile" && c.args.len() == 2 => c,
        _ => return Err("that node is not a histogram_quantile call".to_string()),
    };
    let phi = match eval_node(db, &call.args[0], t, opts)?.value {
        engine::Value::Scalar(v) => v,
        _ => f64::NAN,
    };
    let engine::Value::Vector(samples) = eval_node(db, &call.args[1], t, opts)?.value else {
        return Err("the buckets are not an instant vector".to_string());
    };
    // Grouped by the labels other than `le`, in first-seen order, as the engine groups them.
    let mut groups: Vec<(Labels, Vec<(String, f64)>)> = Vec::new();
    for s in &samples {
        let key = Labels::new(s.labels.iter().filter(|l| l.name != "le").cloned());
        let le = s.labels.get_or_empty("le").to_string();
        match groups.iter_mut().find(|g| g.0 == key) {
            Some(g) => g.1.push((le, s.v)),
            None => groups.push((key, vec![(le, s.v)])),
        }
    }
    if groups.is_empty() {
        return Err("the buckets' selector returns no series at the evaluation time".to_string());
    }
    let chosen = series.min(groups.len() - 1);
    let mut reply = explain_buckets(phi, &groups[chosen].1, &groups[chosen].0, opts)?;
    reply.series = groups.iter().map(|g| g.0.to_string()).collect();
    reply.chosen = chosen;
    Ok(reply)
}

/// The built-in observations: latencies in seconds, mostly 20–420 ms with a slow tail, from a
/// fixed seed. Integer arithmetic only, so every platform draws the same numbers.
pub fn sample() -> Vec<f64> {
    let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut next = move || {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        (x >> 11) as f64 / (1u64 << 53) as f64
    };
    (0..SAMPLE_SIZE)
        .map(|_| {
            let (u, v, w) = (next(), next(), next());
            let slow = if w < 0.1 { 1.5 * v } else { 0.0 };
            ((0.02 + 0.4 * u * u + slow) * 1000.0).round() / 1000.0
        })
        .collect()
}

/// The φ-quantile of the observations, as the `quantile` aggregation computes it: linear
/// between the closest ranks of φ·(n−1).
pub fn true_quantile(phi: f64, sorted: &[f64]) -> f64 {
    if phi.is_nan() || sorted.is_empty() {
        return f64::NAN;
    }
    if phi < 0.0 {
        return f64::NEG_INFINITY;
    }
    if phi > 1.0 {
        return f64::INFINITY;
    }
    let rank = phi * (sorted.len() - 1) as f64;
    let lo = rank.floor() as usize;
    let hi = (lo + 1).min(sorted.len() - 1);
    let w = rank - lo as f64;
    sorted[lo] * (1.0 - w) + sorted[hi] * w
}

fn what_if(phi: f64, bounds: &str, opts: &engine::Options) -> Result<HistogramReply, String> {
    let mut obs = sample();
    obs.sort_by(f64::total_cmp);
    let mut les: Vec<(String, f64)> = Vec::new();
    for b in bounds.split([',', ' ', '\n']).map(str::trim).filter(|b| !b.is_empty()) {
        let upper = parse_le(b).ok_or_else(|| format!("{b:?} is not a bucket bound"))?;
        if upper.is_nan() {
            return Err("a bucket bound cannot be NaN".to_string());
        }
        if !les.iter().any(|l| l.1 == upper) {
            les.push((b.to_string(), upper));
        }
    }
    if !les.iter().any(|l| l.1 == f64::INFINITY) {
        les.push(("+Inf".to_string(), f64::INFINITY));
    }
    les.sort_by(|a, b| a.1.total_cmp(&b.1));
    let buckets: Vec<(String, f64)> =
        les.into_iter().map(|(le, upper)| (le, obs.partition_point(|&o| o <= upper) as f64)).collect();
    let mut reply = explain_buckets(phi, &buckets, &demo_labels(), opts)?;
    let true_value = true_quantile(phi, &obs);
    let error = reply.value - true_value;
    reply.what_if = Some(WhatIf {
        observations: obs.len(),
        true_value,
        estimate: reply.value,
        error,
        error_percent: error / true_value * 100.0,
        min: obs.first().copied().unwrap_or(f64::NAN),
        max: obs.last().copied().unwrap_or(f64::NAN),
    });
    Ok(reply)
}
