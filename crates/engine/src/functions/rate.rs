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

fn extrapolated(w: &Win, counter: bool, is_rate: bool) -> Option<f64> {
    if w.anchored || w.smoothed {
        return extended(w, counter, is_rate);
    }
    let n = w.ts.len();
    // One sample is enough when its start timestamp says where the counter began (below).
    if n == 0 {
        return None;
    }
    let (first_t, first_v) = pt(w, 0);
    let (last_t, last_v) = pt(w, n - 1);
    let mut result = last_v - first_v;
    if counter && w.st.is_none() {
        // Without start timestamps only value drops mark resets, and a series that never
        // drops needs no look at all. Otherwise a tight loop, adding in the general loop's order.
        if !w.never_drops {
            let mut prev = first_v;
            for &v in w.vs.get(1..n).unwrap_or(&[]) {
                if v < prev {
                    result += prev;
                }
                prev = v;
            }
        }
    } else if counter {
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
    let mut to_start = (first_t - w.range_start) as f64 / 1000.0;
    let mut to_end = (w.range_end - last_t) as f64 / 1000.0;
    let mut sampled = (last_t - first_t) as f64 / 1000.0;
    let avg = if n > 1 { sampled / (n - 1) as f64 } else { 0.0 };
    let threshold = avg * 1.1;
    let first_st = st_at(w, 0);
    if counter && first_st != 0 && first_st > w.range_start && first_st < first_t {
        // The counter started inside the range (the range start is exclusive): it was 0 at its
        // start timestamp, so count from there instead of extrapolating to the left.
        to_start = 0.0;
        sampled = (last_t - first_st) as f64 / 1000.0;
        result += first_v;
    } else if n == 1 {
        return None;
    } else {
        if to_start >= threshold {
            to_start = avg / 2.0;
        }
        if counter {
            // A counter cannot go below zero: do not extrapolate past the zero point.
            let mut to_zero = to_start;
            if result > 0.0 && first_v >= 0.0 {
                to_zero = sampled * (first_v / result);
            }
            if to_zero < to_start {
                to_start = to_zero;
            }
        }
    }
    // With one sample the threshold is 0: no extrapolation to the right.
    if to_end >= threshold {
        to_end = avg / 2.0;
    }
    let mut factor = if sampled != 0.0 { (sampled + to_start + to_end) / sampled } else { 1.0 };
    if is_rate {
        factor /= w.range_ms as f64 / 1000.0;
    }
    Some(result * factor)
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
