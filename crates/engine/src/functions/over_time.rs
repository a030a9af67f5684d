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

pub(super) fn max(w: &Win) -> Option<f64> {
    pick(w, |c, m| c > m).map(|p| p.1)
}

pub(super) fn min(w: &Win) -> Option<f64> {
    pick(w, |c, m| c < m).map(|p| p.1)
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
