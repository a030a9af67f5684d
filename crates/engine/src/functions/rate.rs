//! rate, increase, delta (Prometheus's extrapolation, and the `anchored`/`smoothed` variants),
//! irate, idelta, resets and changes. Start timestamps, when the range selector carries them,
//! also mark counter resets and let rate/increase count from a counter's start.

use super::start_ts::{self, st_at};
use super::Win;
use crate::annotations::start_time_overlap;
use crate::selector::interpolate;

/// Samples of the window, as `(t, v)` pairs.
fn pt(w: &Win, i: usize) -> (i64, f64) {
    (w.ts.get(i).copied().unwrap_or(0), w.vs.get(i).copied().unwrap_or(f64::NAN))
}

#[inline]
pub(super) fn extrapolated(w: &Win, counter: bool, is_rate: bool) -> Option<f64> {
    if w.anchored || w.smoothed {
        return extended(w, counter, is_rate);
    }
    if w.st.is_none() {
        let mut memo = w.memo.get();
        let p = Plain { range_start: w.range_start, range_end: w.range_end, range_ms: w.range_ms, counter, is_rate };
        let r = p.eval(w.ts, w.vs, w.never_drops, &mut memo);
        w.memo.set(memo);
        return r;
    }
    let n = w.ts.len();
    // One sample is enough when its start timestamp says where the counter began (below).
    if n == 0 {
        return None;
    }
    let (first_t, first_v) = pt(w, 0);
    let (last_t, last_v) = pt(w, n - 1);
    let mut result = last_v - first_v;
    if counter {
        let mut overlap_noted = false;
        for i in 1..n {
            let (prev, cur) = (pt(w, i - 1), pt(w, i));
            let (prev_st, cur_st) = (st_at(w, i - 1), st_at(w, i));
            // Warned once per series (the notes are a set anyway).
            if !overlap_noted && start_ts::overlaps(prev_st, prev.0, cur_st) {
                w.sh.warn(start_time_overlap(w.labels.metric_name().unwrap_or("")));
                overlap_noted = true;
            }
            if cur.1 < prev.1 || start_ts::is_reset(prev_st, prev.0, cur_st, cur.0) {
                result += prev.1;
            }
        }
    }
    let first_st = st_at(w, 0);
    if !(counter && first_st != 0 && first_st > w.range_start && first_st < first_t) {
        if n == 1 {
            return None;
        }
        let p = Plain { range_start: w.range_start, range_end: w.range_end, range_ms: w.range_ms, counter, is_rate };
        let mut memo = w.memo.get();
        let f = p.factor(&mut memo, (first_t, first_v, last_t), n, result);
        w.memo.set(memo);
        return Some(result * f);
    }
    // The counter started inside the range (the range start is exclusive): it was 0 at its
    // start timestamp, so count from there instead of extrapolating to the left.
    let avg = if n > 1 { ((last_t - first_t) as f64 / 1000.0) / (n - 1) as f64 } else { 0.0 };
    let threshold = avg * 1.1;
    let mut to_end = (w.range_end - last_t) as f64 / 1000.0;
    // With one sample the threshold is 0: no extrapolation to the right.
    if to_end >= threshold {
        to_end = avg / 2.0;
    }
    let sampled = (last_t - first_st) as f64 / 1000.0;
    result += first_v;
    Some(result * scale(sampled, 0.0, to_end, w.range_ms, is_rate))
}

/// The window's shape, which is all the extrapolation factor depends on (but for the counter
/// zero point): (first sample - range start, range end - last sample, last - first, samples).
/// With regular scrapes every window of a series has the same shape.
pub(crate) type Shape = (i64, i64, i64, usize);

/// The extrapolation of one shape: the durations to the range start and end after the 110%
/// threshold, the sampled duration, and the factor when the zero point does not cut in.
#[derive(Clone, Copy, Debug)]
pub(crate) struct ShapeFactor {
    shape: Shape,
    to_start: f64,
    to_end: f64,
    sampled: f64,
    factor: f64,
}

/// rate/increase/delta of one window without start timestamps (the common case), given
/// plainly so that the range loop can call it without building a [`Win`] per step.
#[derive(Clone, Copy)]
pub(crate) struct Plain {
    pub range_start: i64,
    pub range_end: i64,
    pub range_ms: i64,
    pub counter: bool,
    pub is_rate: bool,
}

impl Plain {
    /// The window's samples are `ts`/`vs`; `never_drops` says no value of the series is below
    /// its predecessor; `memo` carries the previous window's extrapolation.
    #[inline]
    pub fn eval(&self, ts: &[i64], vs: &[f64], never_drops: bool, memo: &mut Option<ShapeFactor>) -> Option<f64> {
        let n = ts.len();
        let (Some(&first_t), Some(&last_t), Some(&first_v), Some(&last_v)) =
            (ts.first(), ts.last(), vs.first(), vs.last())
        else {
            return None;
        };
        // Without a start timestamp one sample says nothing about the rate.
        if n < 2 {
            return None;
        }
        let mut result = last_v - first_v;
        // Only value drops mark resets, and a series that never drops needs no look at all.
        if self.counter && !never_drops {
            let mut prev = first_v;
            for &v in vs.get(1..n).unwrap_or(&[]) {
                if v < prev {
                    result += prev;
                }
                prev = v;
            }
        }
        Some(result * self.factor(memo, (first_t, first_v, last_t), n, result))
    }

    /// The extrapolation factor of a window of `n >= 2` samples that does not count from a start
    /// timestamp. The float operations are exactly those of Prometheus's `extrapolatedRate`, in
    /// its order; only their results for the previous window's shape are reused (`memo`), so the
    /// long chain of divisions runs once per series instead of once per step when the samples
    /// are regular.
    #[inline]
    fn factor(&self, memo: &mut Option<ShapeFactor>, first_last: (i64, f64, i64), n: usize, result: f64) -> f64 {
        let (first_t, first_v, last_t) = first_last;
        let shape: Shape = (first_t - self.range_start, self.range_end - last_t, last_t - first_t, n);
        let sf = match memo.filter(|m| m.shape == shape) {
            Some(m) => m,
            None => {
                let mut to_start = shape.0 as f64 / 1000.0;
                let mut to_end = shape.1 as f64 / 1000.0;
                let sampled = shape.2 as f64 / 1000.0;
                let avg = sampled / (n - 1) as f64;
                let threshold = avg * 1.1;
                if to_start >= threshold {
                    to_start = avg / 2.0;
                }
                if to_end >= threshold {
                    to_end = avg / 2.0;
                }
                let factor = scale(sampled, to_start, to_end, self.range_ms, self.is_rate);
                let m = ShapeFactor { shape, to_start, to_end, sampled, factor };
                *memo = Some(m);
                m
            }
        };
        if self.counter && result > 0.0 && first_v >= 0.0 {
            // A counter cannot go below zero: do not extrapolate past the zero point.
            let to_zero = sf.sampled * (first_v / result);
            if to_zero < sf.to_start {
                return scale(sf.sampled, to_zero, sf.to_end, self.range_ms, self.is_rate);
            }
        }
        sf.factor
    }
}

fn scale(sampled: f64, to_start: f64, to_end: f64, range_ms: i64, is_rate: bool) -> f64 {
    let mut factor = if sampled != 0.0 { (sampled + to_start + to_end) / sampled } else { 1.0 };
    if is_rate {
        factor /= range_ms as f64 / 1000.0;
    }
    factor
}

/// The `anchored`/`smoothed` forms: the window also holds the samples around its edges, and the
/// values at the edges are picked (anchored) or interpolated (smoothed).
fn extended(w: &Win, counter: bool, is_rate: bool) -> Option<f64> {
    let n = w.ts.len();
    if n == 0 {
        return None;
    }
    let mut last = n - 1;
    let first = w.ts[..last].partition_point(|&t| t <= w.range_start).saturating_sub(1);
    if w.smoothed {
        last = w.ts[..last].partition_point(|&t| t < w.range_end);
    }
    if pt(w, last).0 <= w.range_start {
        return None;
    }
    // Smoothing needs data inside the range, not only after it.
    if w.smoothed && pt(w, first).0 > w.range_end {
        return None;
    }
    let left = if w.smoothed && pt(w, first).0 < w.range_start && first + 1 < n {
        interpolate(pt(w, first), pt(w, first + 1), w.range_start, counter)
    } else {
        pt(w, first).1
    };
    let right = if w.smoothed && last > 0 && pt(w, last).0 > w.range_end {
        interpolate(pt(w, last - 1), pt(w, last), w.range_end, counter)
    } else {
        pt(w, last).1
    };
    let mut result = right - left;
    if counter {
        let mut lo = first;
        let mut hi = last as isize;
        if pt(w, lo).0 <= w.range_start {
            lo += 1;
        }
        if pt(w, last).0 >= w.range_end {
            hi -= 1;
        }
        let mut prev = left;
        let mut correction = 0.0;
        if hi >= lo as isize {
            for &v in w.vs.get(lo..=(hi as usize)).unwrap_or(&[]) {
                if v < prev {
                    correction += prev;
                }
                prev = v;
            }
        }
        if right < prev {
            correction += prev;
        }
        result += correction;
    }
    if is_rate {
        result /= w.range_ms as f64 / 1000.0;
    }
    Some(result)
}

pub(super) fn rate(w: &Win) -> Option<f64> {
    extrapolated(w, true, true)
}

pub(super) fn increase(w: &Win) -> Option<f64> {
    extrapolated(w, true, false)
}

pub(super) fn delta(w: &Win) -> Option<f64> {
    extrapolated(w, false, false)
}

fn instant_value(w: &Win, is_rate: bool) -> Option<f64> {
    let n = w.ts.len();
    if n < 2 {
        return None;
    }
    let (t0, v0) = pt(w, n - 2);
    let (t1, v1) = pt(w, n - 1);
    let dt = t1 - t0;
    if dt == 0 {
        return None;
    }
    // A counter reset (a drop, or a start timestamp after the previous sample) leaves the
    // newest value as the increase.
    let reset = v1 < v0 || start_ts::is_reset(st_at(w, n - 2), t0, st_at(w, n - 1), t1);
    let mut r = v1;
    if !is_rate || !reset {
        r = v1 - v0;
    }
    if is_rate {
        r /= dt as f64 / 1000.0;
    }
    Some(r)
}

pub(super) fn irate(w: &Win) -> Option<f64> {
    instant_value(w, true)
}

pub(super) fn idelta(w: &Win) -> Option<f64> {
    instant_value(w, false)
}

/// With `anchored`, counting starts at the last sample before the window.
fn first_index(w: &Win) -> Option<usize> {
    if !w.anchored {
        return Some(0);
    }
    let n = w.ts.len();
    if n == 0 || pt(w, n - 1).0 <= w.range_start {
        return None;
    }
    Some(w.ts[..n - 1].partition_point(|&t| t <= w.range_start).saturating_sub(1))
}

pub(super) fn resets(w: &Win) -> Option<f64> {
    let first = first_index(w)?;
    let n = w.ts.len();
    if first >= n {
        return None;
    }
    let count = (first + 1..n)
        .filter(|&i| {
            let (prev, cur) = (pt(w, i - 1), pt(w, i));
            cur.1 < prev.1 || start_ts::is_reset(st_at(w, i - 1), prev.0, st_at(w, i), cur.0)
        })
        .count();
    Some(count as f64)
}

pub(super) fn changes(w: &Win) -> Option<f64> {
    let first = first_index(w)?;
    let vs = w.vs.get(first..)?;
    Some(vs.windows(2).filter(|p| p[1] != p[0] && !(p[1].is_nan() && p[0].is_nan())).count() as f64)
}
