//! histogram_quantile, histogram_quantiles and histogram_fraction over classic `le` buckets:
//! grouping by the labels other than `le`, the monotonicity fix, and the annotations.

use model::fxhash::FxHashMap;

use model::Labels;

use crate::annotations::{bad_bucket_label, forced_monotonicity, invalid_quantile};
use crate::eval::{Sample, Shared};
use crate::labelset::{with_label, without_label};

#[derive(Clone, Copy, Debug)]
struct Bucket {
    upper: f64,
    count: f64,
}

/// Go's `strconv.ParseFloat` for the values `le` takes in practice.
fn parse_le(s: &str) -> Option<f64> {
    let t = s.trim_start_matches('+');
    if t.eq_ignore_ascii_case("inf") || t.eq_ignore_ascii_case("infinity") {
        return Some(if s.starts_with('-') { f64::NEG_INFINITY } else { f64::INFINITY });
    }
    if s.is_empty() || s.contains('_') {
        return None;
    }
    s.parse::<f64>().ok()
}

/// Classic histograms of one step, by their labels without `le`, in first-seen order.
fn group_buckets(sh: &Shared, samples: &[Sample]) -> Vec<(Labels, bool, Vec<Bucket>)> {
    let mut index: FxHashMap<Labels, usize> = FxHashMap::default();
    let mut out: Vec<(Labels, bool, Vec<Bucket>)> = Vec::new();
    for s in samples {
        let le = s.labels.get_or_empty("le");
        let Some(upper) = parse_le(le) else {
            sh.warn(bad_bucket_label(s.labels.get_or_empty("__name__"), le));
            continue;
        };
        let key = without_label(&s.labels, "le");
        let i = *index.entry(key.clone()).or_insert_with(|| {
            out.push((key, s.drop_name, Vec::new()));
            out.len() - 1
        });
        if let Some(g) = out.get_mut(i) {
            g.2.push(Bucket { upper, count: s.v });
        }
    }
    out
}

fn sort_coalesce(b: &mut Vec<Bucket>) {
    b.sort_by(|x, y| x.upper.total_cmp(&y.upper));
    let mut out: Vec<Bucket> = Vec::with_capacity(b.len());
    for x in b.drain(..) {
        match out.last_mut() {
            Some(l) if l.upper == x.upper => l.count += x.count,
            _ => out.push(x),
        }
    }
    *b = out;
}

/// Makes counts non-decreasing; returns true when a real decrease (not float noise) was fixed.
fn ensure_monotonic(b: &mut [Bucket]) -> bool {
    let mut forced = false;
    let Some(first) = b.first() else { return false };
    let mut max = first.count;
    for x in b.iter_mut().skip(1) {
        if x.count > max {
            if (x.count - max) / x.count <= 1e-12 {
                x.count = max;
            } else {
                max = x.count;
            }
        } else if x.count < max {
            if (max - x.count) / max > 1e-12 {
                forced = true;
            }
            x.count = max;
        }
    }
    forced
}

/// Returns the quantile and whether monotonicity had to be forced.
fn bucket_quantile(q: f64, mut b: Vec<Bucket>) -> (f64, bool) {
    if q.is_nan() {
        return (f64::NAN, false);
    }
    if q < 0.0 {
        return (f64::NEG_INFINITY, false);
    }
    if q > 1.0 {
        return (f64::INFINITY, false);
    }
    sort_coalesce(&mut b);
    if b.last().is_none_or(|l| l.upper != f64::INFINITY) {
        return (f64::NAN, false);
    }
    let forced = ensure_monotonic(&mut b);
    let n = b.len();
    if n < 2 {
        return (f64::NAN, false);
    }
    let obs = b[n - 1].count;
    if obs == 0.0 || obs.is_nan() {
        return (f64::NAN, forced);
    }
    let mut rank = q * obs;
    let i = b[..n - 1].partition_point(|x| x.count < rank);
    if i == n - 1 {
        return (b[n - 2].upper, forced);
    }
    if i == 0 && b[0].upper <= 0.0 {
        return (b[0].upper, forced);
    }
    let end = b[i].upper;
    let mut count = b[i].count;
    let mut start = 0.0;
    if i > 0 {
        start = b[i - 1].upper;
        count -= b[i - 1].count;
        rank -= b[i - 1].count;
    }
    (start + (end - start) * (rank / count), forced)
}

fn bucket_fraction(lower: f64, upper: f64, mut b: Vec<Bucket>) -> f64 {
    sort_coalesce(&mut b);
    if b.last().is_none_or(|l| l.upper != f64::INFINITY) {
        return f64::NAN;
    }
    ensure_monotonic(&mut b);
    let count = b.last().map_or(0.0, |l| l.count);
    if count == 0.0 || lower.is_nan() || upper.is_nan() {
        return f64::NAN;
    }
    if lower >= upper {
        return 0.0;
    }
    let (mut rank, mut lower_rank, mut upper_rank) = (0.0, 0.0, 0.0);
    let (mut lower_set, mut upper_set) = (false, false);
    for (i, x) in b.iter().enumerate() {
        let lb = if i == 0 {
            if x.upper > 0.0 {
                0.0
            } else {
                f64::NEG_INFINITY
            }
        } else {
            b[i - 1].upper
        };
        let ub = x.upper;
        // Nothing is interpolated inside an infinitely wide bucket: the lowest one counts as
        // entirely below any bound inside it, the +Inf one as entirely above.
        let interp = |v: f64| {
            if lb == f64::NEG_INFINITY {
                x.count
            } else if ub == f64::INFINITY {
                rank
            } else {
                rank + (x.count - rank) * (v - lb) / (ub - lb)
            }
        };
        if !lower_set && lb >= lower {
            lower_rank = rank;
            lower_set = true;
        }
        if !upper_set && lb >= upper {
            upper_rank = rank;
            upper_set = true;
        }
        if lower_set && upper_set {
            break;
        }
        if !lower_set && lb < lower && ub > lower {
            lower_rank = interp(lower);
            lower_set = true;
        }
        if !upper_set && lb < upper && ub > upper {
            upper_rank = interp(upper);
            upper_set = true;
        }
        if lower_set && upper_set {
            break;
        }
        rank = x.count;
    }
    if !lower_set || lower_rank > count {
        lower_rank = count;
    }
    if !upper_set || upper_rank > count {
        upper_rank = count;
    }
    (upper_rank - lower_rank) / count
}

pub(super) fn histogram_quantile(sh: &Shared, q: f64, samples: &[Sample]) -> Vec<Sample> {
    if q.is_nan() || !(0.0..=1.0).contains(&q) {
        sh.warn(invalid_quantile(q));
    }
    let mut out = Vec::new();
    for (labels, _, buckets) in group_buckets(sh, samples) {
        let (v, forced) = bucket_quantile(q, buckets);
        if forced {
            sh.info(forced_monotonicity(labels.get_or_empty("__name__")));
        }
        out.push(Sample { labels, v, drop_name: true });
    }
    out
}

pub(super) fn histogram_quantiles(sh: &Shared, label: &str, qs: &[f64], samples: &[Sample]) -> Vec<Sample> {
    for &q in qs {
        if q.is_nan() || !(0.0..=1.0).contains(&q) {
            sh.warn(invalid_quantile(q));
        }
    }
    let groups = group_buckets(sh, samples);
    let mut out = Vec::new();
    for &q in qs {
        for (labels, _, buckets) in &groups {
            let (v, forced) = bucket_quantile(q, buckets.clone());
            if forced {
                sh.info(forced_monotonicity(labels.get_or_empty("__name__")));
            }
            out.push(Sample { labels: with_label(labels, label, &openmetrics_float(q)), v, drop_name: true });
        }
    }
    out
}

/// Go's `labels.FormatOpenMetricsFloat`: integers get a `.0`.
fn openmetrics_float(q: f64) -> String {
    let s = crate::annotations::go_g(q);
    if s.contains('.') || s.contains('e') || s.contains("Inf") || s.contains("NaN") {
        s
    } else {
        s + ".0"
    }
}

pub(super) fn histogram_fraction(sh: &Shared, lower: f64, upper: f64, samples: &[Sample]) -> Vec<Sample> {
    group_buckets(sh, samples)
        .into_iter()
        .map(|(labels, _, buckets)| Sample { labels, v: bucket_fraction(lower, upper, buckets), drop_name: true })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantile_interpolates_inside_bucket() {
        let b = vec![
            Bucket { upper: 1.0, count: 10.0 },
            Bucket { upper: 2.0, count: 20.0 },
            Bucket { upper: f64::INFINITY, count: 20.0 },
        ];
        assert_eq!(bucket_quantile(0.75, b).0, 1.5);
    }
}
