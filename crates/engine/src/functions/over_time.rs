//! The `*_over_time` family, deriv, predict_linear and double_exponential_smoothing: one value
//! per series and window, with Prometheus's summation and tie rules.

use super::Win;
use crate::aggregate::{kahan_inc, quantile};
use crate::annotations::invalid_quantile;

pub(super) fn avg(w: &Win) -> Option<f64> {
    let (&first, rest) = w.vs.split_first()?;
    let (mut sum, mut count, mut mean, mut c, mut incremental) = (first, 1.0, 0.0, 0.0, false);
    for (i, &f) in rest.iter().enumerate() {
        count = (i + 2) as f64;
        if !incremental {
            let (ns, nc) = kahan_inc(f, sum, c);
            if !ns.is_infinite() {
                (sum, c) = (ns, nc);
                continue;
            }
            incremental = true;
            mean = sum / (count - 1.0);
            c /= count - 1.0;
        }
        let q = (count - 1.0) / count;
        (mean, c) = kahan_inc(f / count, q * mean, q * c);
    }
    Some(if incremental { mean + c } else { sum / count + c / count })
}

pub(super) fn sum(w: &Win) -> Option<f64> {
    if w.vs.is_empty() {
        return None;
    }
    let (mut s, mut c) = (0.0, 0.0);
    for &f in w.vs {
        (s, c) = kahan_inc(f, s, c);
    }
    Some(if s.is_infinite() { s } else { s + c })
}

pub(super) fn count(w: &Win) -> Option<f64> {
    Some(w.vs.len() as f64)
}

/// Keeps the sample that `better(candidate, current)` prefers; NaN always loses its place.
fn pick(w: &Win, better: impl Fn(f64, f64) -> bool) -> Option<(i64, f64)> {
    let mut best = (*w.ts.first()?, *w.vs.first()?);
    for (&t, &v) in w.ts.iter().zip(w.vs) {
        if better(v, best.1) || best.1.is_nan() {
            best = (t, v);
        }
    }
    Some(best)
}

/// [`pick`]'s value without the timestamps: the hot loop of `max_over_time` over subqueries.
fn pick_value(vs: &[f64], better: impl Fn(f64, f64) -> bool) -> Option<f64> {
    let mut best = *vs.first()?;
    for &v in vs {
        if better(v, best) || best.is_nan() {
            best = v;
        }
    }
    Some(best)
}

/// `max_over_time` (`max`) or `min_over_time` over every step's window of one series at
/// once, for references that never go back in time: a monotonic deque makes it
/// O(samples + steps) instead of O(steps x window), which matters for subqueries. Each window
/// gets what [`pick_value`] gives: the earliest best non-NaN value, else the last NaN.
#[allow(clippy::too_many_arguments)]
pub(super) fn sliding_extreme(
    ts: &[i64],
    vs: &[f64],
    refs: &[i64],
    before: i64,
    after: i64,
    max: bool,
    dq: &mut std::collections::VecDeque<usize>,
    mut emit: impl FnMut(usize, f64),
) {
    let better = |c: f64, m: f64| if max { c > m } else { c < m };
    // The caller's deque, so that one allocation serves every series.
    dq.clear();
    let mut next = 0usize;
    crate::selector::for_each_window(ts, refs, before, after, |step, lo, hi| {
        while next < hi {
            let v = vs.get(next).copied().unwrap_or(f64::NAN);
            if !v.is_nan() {
                // Only strictly better values displace: among equals the earliest stays first.
                while dq.back().is_some_and(|&b| better(v, vs.get(b).copied().unwrap_or(f64::NAN))) {
                    dq.pop_back();
                }
                dq.push_back(next);
            }
            next += 1;
        }
        while dq.front().is_some_and(|&f| f < lo) {
            dq.pop_front();
        }
        if lo < hi {
            // Only NaN in the window: the scan ends on its last one, payload and all.
            let at = dq.front().copied().unwrap_or(hi - 1);
            emit(step, vs.get(at).copied().unwrap_or(f64::NAN));
        }
    });
}

pub(super) fn max(w: &Win) -> Option<f64> {
    pick_value(w.vs, |c, m| c > m)
}

pub(super) fn min(w: &Win) -> Option<f64> {
    pick_value(w.vs, |c, m| c < m)
}

pub(super) fn ts_of_max(w: &Win) -> Option<f64> {
    pick(w, |c, m| c >= m).map(|p| p.0 as f64 / 1000.0)
}

pub(super) fn ts_of_min(w: &Win) -> Option<f64> {
    pick(w, |c, m| c <= m).map(|p| p.0 as f64 / 1000.0)
}

pub(super) fn first(w: &Win) -> Option<f64> {
    w.vs.first().copied()
}

pub(super) fn last(w: &Win) -> Option<f64> {
    w.vs.last().copied()
}

pub(super) fn ts_of_first(w: &Win) -> Option<f64> {
    w.ts.first().map(|&t| t as f64 / 1000.0)
}

pub(super) fn ts_of_last(w: &Win) -> Option<f64> {
    w.ts.last().map(|&t| t as f64 / 1000.0)
}

pub(super) fn present(w: &Win) -> Option<f64> {
    (!w.vs.is_empty()).then_some(1.0)
}

pub(super) fn quantile_over(w: &Win) -> Option<f64> {
    let q = *w.params.first()?;
    if w.vs.is_empty() {
        return None;
    }
    if q.is_nan() || !(0.0..=1.0).contains(&q) {
        w.sh.warn(invalid_quantile(q));
    }
    let mut v = w.vs.to_vec();
    Some(quantile(q, &mut v))
}

pub(super) fn mad(w: &Win) -> Option<f64> {
    if w.vs.is_empty() {
        return None;
    }
    // A NaN makes the median, and so the deviation, undefined.
    if w.vs.iter().any(|v| v.is_nan()) {
        return Some(f64::NAN);
    }
    let mut v = w.vs.to_vec();
    let median = quantile(0.5, &mut v);
    let mut dev: Vec<f64> = w.vs.iter().map(|x| (x - median).abs()).collect();
    Some(quantile(0.5, &mut dev))
}

fn variance(w: &Win) -> Option<f64> {
    if w.vs.is_empty() {
        return None;
    }
    let (mut count, mut mean, mut c_mean, mut aux, mut c_aux) = (0.0, 0.0, 0.0, 0.0, 0.0);
    for &f in w.vs {
        count += 1.0;
        let delta = f - (mean + c_mean);
        (mean, c_mean) = kahan_inc(delta / count, mean, c_mean);
        (aux, c_aux) = kahan_inc(delta * (f - (mean + c_mean)), aux, c_aux);
    }
    Some((aux + c_aux) / count)
}

pub(super) fn stdvar(w: &Win) -> Option<f64> {
    variance(w)
}

pub(super) fn stddev(w: &Win) -> Option<f64> {
    variance(w).map(f64::sqrt)
}

/// Least-squares slope and the intercept at `at`, with Kahan sums.
fn linear_regression(ts: &[i64], vs: &[f64], at: i64) -> (f64, f64) {
    let (mut n, mut sx, mut cx, mut sy, mut cy, mut sxy, mut cxy, mut sx2, mut cx2) =
        (0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0);
    let init = vs.first().copied().unwrap_or(f64::NAN);
    let mut const_y = true;
    for (i, (&t, &v)) in ts.iter().zip(vs).enumerate() {
        if const_y && i > 0 && v != init {
            const_y = false;
        }
        n += 1.0;
        let x = (t - at) as f64 / 1e3;
        (sx, cx) = kahan_inc(x, sx, cx);
        (sy, cy) = kahan_inc(v, sy, cy);
        (sxy, cxy) = kahan_inc(x * v, sxy, cxy);
        (sx2, cx2) = kahan_inc(x * x, sx2, cx2);
    }
    if const_y {
        if init.is_infinite() {
            return (f64::NAN, f64::NAN);
        }
        return (0.0, init);
    }
    sx += cx;
    sy += cy;
    sxy += cxy;
    sx2 += cx2;
    let cov = sxy - sx * sy / n;
    let var = sx2 - sx * sx / n;
    let slope = cov / var;
    (slope, sy / n - slope * sx / n)
}

pub(super) fn deriv(w: &Win) -> Option<f64> {
    if w.vs.len() < 2 {
        return None;
    }
    Some(linear_regression(w.ts, w.vs, *w.ts.first()?).0)
}

pub(super) fn predict_linear(w: &Win) -> Option<f64> {
    let d = *w.params.first()?;
    if w.vs.len() < 2 {
        return None;
    }
    let (slope, intercept) = linear_regression(w.ts, w.vs, w.t);
    Some(slope * d + intercept)
}

pub(super) fn double_exponential_smoothing(w: &Win) -> Option<f64> {
    let (sf, tf) = (*w.params.first()?, *w.params.get(1)?);
    if sf <= 0.0 || sf >= 1.0 {
        w.fail(format!("invalid smoothing factor. Expected: 0 < sf < 1, got: {sf:.6}"));
        return None;
    }
    if tf <= 0.0 || tf >= 1.0 {
        w.fail(format!("invalid trend factor. Expected: 0 < tf < 1, got: {tf:.6}"));
        return None;
    }
    let v = w.vs;
    if v.len() < 2 {
        return None;
    }
    let (mut s0, mut s1, mut b) = (0.0, v[0], v[1] - v[0]);
    for (i, &x) in v.iter().enumerate().skip(1) {
        let scaled = sf * x;
        if i > 1 {
            b = tf * (s1 - s0) + (1.0 - tf) * b;
        }
        let y = (1.0 - sf) * (s1 + b);
        s0 = s1;
        s1 = scaled + y;
    }
    Some(s1)
}

#[cfg(test)]
mod sliding_tests {
    use super::{pick_value, sliding_extreme};
    use crate::selector::for_each_window;

    #[test]
    fn sliding_extreme_agrees_with_the_per_window_scan() {
        // NaN, signed zeros, ties and gaps: everything where "which value wins" could differ.
        let pool = [f64::NAN, -f64::NAN, 0.0, -0.0, 1.0, 1.0, -3.0, 7.5, f64::INFINITY, f64::NEG_INFINITY, 2.0];
        let mut seed = 12345u64;
        for _ in 0..200 {
            let n = (seed % 40) as usize;
            let mut ts = Vec::new();
            let mut vs = Vec::new();
            let mut t = 0;
            for _ in 0..n {
                seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
                t += 1 + (seed >> 60) as i64;
                ts.push(t);
                vs.push(pool[(seed >> 33) as usize % pool.len()]);
            }
            let refs: Vec<i64> = (0..30).map(|i| i * 3).collect();
            for max in [true, false] {
                let mut want = Vec::new();
                for_each_window(&ts, &refs, 10, 0, |step, lo, hi| {
                    if lo < hi {
                        let v = pick_value(&vs[lo..hi], |c, m| if max { c > m } else { c < m });
                        want.push((step, v.map(f64::to_bits)));
                    }
                });
                let mut got = Vec::new();
                sliding_extreme(&ts, &vs, &refs, 10, 0, max, &mut Default::default(), |step, v| {
                    got.push((step, Some(v.to_bits())))
                });
                assert_eq!(got, want, "ts {ts:?} vs {vs:?}");
            }
        }
    }
}
