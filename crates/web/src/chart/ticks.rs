//! Axis ticks: where the value and time axes get their gridlines and what their labels say.
//! Pure arithmetic, so the choices are unit-tested natively and drawing only places them.

use crate::timefmt::format_rfc3339_ms;

/// One gridline on the value axis: its value and label.
#[derive(Clone, Debug, PartialEq)]
pub struct Tick {
    pub value: f64,
    pub label: String,
}

/// A value axis: the drawn range (widened to whole ticks) and its ticks, bottom to top.
#[derive(Clone, Debug, PartialEq)]
pub struct Axis {
    pub min: f64,
    pub max: f64,
    pub ticks: Vec<Tick>,
    pub log: bool,
}

impl Axis {
    /// Where `v` sits on the axis as a fraction (0 at `min`, 1 at `max`); `None` when a log
    /// axis is asked about a value it cannot show.
    pub fn fraction(&self, v: f64) -> Option<f64> {
        let (v, lo, hi) = if self.log {
            if v <= 0.0 {
                return None;
            }
            (v.log10(), self.min.log10(), self.max.log10())
        } else {
            (v, self.min, self.max)
        };
        let span = hi - lo;
        if !v.is_finite() || span <= 0.0 || !span.is_finite() {
            return None;
        }
        Some((v - lo) / span)
    }

    /// The widest label, for the axis margin.
    pub fn label_chars(&self) -> usize {
        self.ticks.iter().map(|t| t.label.len()).max().unwrap_or(1)
    }
}

/// A linear axis over finite `values` with about `target` ticks at 1-2-5 steps. No finite value
/// gives 0..1; all-equal values get a band around them so the line sits mid-height.
pub fn linear_axis(values: impl IntoIterator<Item = f64>, target: usize) -> Axis {
    let (mut lo, mut hi) = bounds(values.into_iter().filter(|v| v.is_finite()));
    if lo > hi {
        (lo, hi) = (0.0, 1.0);
    }
    let magnitude = lo.abs().max(hi.abs());
    // Below float resolution the "range" is rounding noise: treat it as one value.
    if hi - lo <= magnitude * 1e-12 {
        let pad = if magnitude == 0.0 {
            1.0
        } else {
            magnitude * 0.1
        };
        (lo, hi) = (lo - pad, hi + pad);
    }
    let target = target.max(2) as f64;
    let Some((mult, exp)) = nice_step((hi - lo) / target) else {
        return Axis {
            min: lo,
            max: hi,
            ticks: Vec::new(),
            log: false,
        };
    };
    let step = scaled(mult, exp);
    // The tolerance keeps a bound that is a tick up to rounding (-0.25 / 0.05) from adding one.
    let first = (lo / step + 1e-9).floor() as i64;
    let last = (hi / step - 1e-9).ceil() as i64;
    let values: Vec<(i64, i32)> = (first..=last)
        .map(|k| (k.saturating_mul(mult), exp))
        .collect();
    let ticks = label_all(&values, true);
    let min = ticks.first().map_or(lo, |t| t.value);
    let max = ticks.last().map_or(hi, |t| t.value);
    Axis {
        min,
        max,
        ticks,
        log: false,
    }
}

/// A base-10 log axis over the positive finite `values` (others cannot be drawn), widened to
/// whole decades with a tick at each power of ten, thinned to at most `target` ticks.
pub fn log_axis(values: impl IntoIterator<Item = f64>, target: usize) -> Axis {
    let (lo, hi) = bounds(values.into_iter().filter(|v| v.is_finite() && *v > 0.0));
    let (mut first, mut last) = if lo > hi {
        (0, 1)
    } else {
        (lo.log10().floor() as i32, hi.log10().ceil() as i32)
    };
    if last <= first {
        last = first + 1;
    }
    // Keep 10^first and 10^last representable (subnormals and overflow would break the mapping).
    first = first.max(-300);
    last = last.min(300).max(first + 1);
    let decades = (last - first) as usize;
    let stride = decades.div_ceil(target.max(2)).max(1) as i32;
    let values: Vec<(i64, i32)> = (first..=last)
        .filter(|e| (e - first) % stride == 0)
        .map(|e| (1, e))
        .collect();
    Axis {
        min: scaled(1, first),
        max: scaled(1, last),
        ticks: label_all(&values, false),
        log: true,
    }
}

fn bounds(values: impl Iterator<Item = f64>) -> (f64, f64) {
    values.fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), v| {
        (lo.min(v), hi.max(v))
    })
}

/// The 1-2-5 step at or above `raw`, as `mult * 10^exp`.
fn nice_step(raw: f64) -> Option<(i64, i32)> {
    if !(raw.is_finite() && raw > 0.0) {
        return None;
    }
    let exp = raw.log10().floor() as i32;
    let f = raw / scaled(1, exp);
    // The tolerance absorbs log10's rounding at exact powers of ten.
    Some(match f {
        f if f <= 1.0 + 1e-9 => (1, exp),
        f if f <= 2.0 + 1e-9 => (2, exp),
        f if f <= 5.0 + 1e-9 => (5, exp),
        _ => (1, exp + 1),
    })
}

/// `n * 10^exp`, dividing for negative exponents so 0.3 comes out as 3/10, the nearest double.
fn scaled(n: i64, exp: i32) -> f64 {
    if exp >= 0 {
        n as f64 * 10f64.powi(exp)
    } else {
        n as f64 / 10f64.powi(-exp)
    }
}

const SI: [&str; 11] = ["p", "n", "µ", "m", "", "k", "M", "G", "T", "P", "E"];

/// Labels for ticks given exactly as `n * 10^exp`, in integer arithmetic (no float printer, no
/// 0.30000000000000004), with SI prefixes outside 0.001..999. A linear axis (`shared`) uses one
/// prefix, chosen by its largest tick, so its labels line up; a log axis spans decades, so each
/// tick gets its own.
fn label_all(values: &[(i64, i32)], shared: bool) -> Vec<Tick> {
    let magnitude = |&(n, e): &(i64, i32)| digits(n.unsigned_abs()) as i32 - 1 + e;
    let top = values
        .iter()
        .filter(|(n, _)| *n != 0)
        .map(magnitude)
        .max()
        .unwrap_or(0);
    values
        .iter()
        .map(|v| {
            let (n, e) = *v;
            let group = si_group(if shared { top } else { magnitude(v) });
            let mut label = decimal(n, e - 3 * group);
            if n != 0 {
                label.push_str(SI[(group + 4) as usize]);
            }
            Tick {
                value: scaled(n, e),
                label,
            }
        })
        .collect()
}

fn si_group(magnitude: i32) -> i32 {
    if (-3..3).contains(&magnitude) {
        0
    } else {
        magnitude.div_euclid(3).clamp(-4, 6)
    }
}

fn digits(n: u64) -> u32 {
    n.checked_ilog10().unwrap_or(0) + 1
}

/// `n * 10^shift` written out, keeping the decimals a negative shift implies (0.5, 1.0).
fn decimal(n: i64, shift: i32) -> String {
    let sign = if n < 0 { "-" } else { "" };
    let abs = n.unsigned_abs().to_string();
    if n == 0 && shift >= 0 {
        return abs;
    }
    if shift >= 0 {
        return format!("{sign}{abs}{}", "0".repeat(shift as usize));
    }
    let places = (-shift) as usize;
    let padded = format!("{abs:0>width$}", width = places + 1);
    let (int, frac) = padded.split_at(padded.len() - places);
    format!("{sign}{int}.{frac}")
}

/// One gridline on the time axis.
#[derive(Clone, Debug, PartialEq)]
pub struct TimeTick {
    pub ms: i64,
    pub label: String,
}

/// Steps a time axis may use: round numbers of UTC seconds, minutes, hours and days.
const TIME_STEPS: [i64; 30] = [
    1,
    10,
    50,
    100,
    200,
    500,
    1_000,
    2_000,
    5_000,
    10_000,
    15_000,
    30_000,
    60_000,
    2 * 60_000,
    5 * 60_000,
    10 * 60_000,
    15 * 60_000,
    30 * 60_000,
    3_600_000,
    2 * 3_600_000,
    3 * 3_600_000,
    6 * 3_600_000,
    12 * 3_600_000,
    DAY,
    2 * DAY,
    7 * DAY,
    14 * DAY,
    30 * DAY,
    90 * DAY,
    365 * DAY,
];
const DAY: i64 = 86_400_000;

/// Ticks in `[start, end]` at about `target` round UTC instants, labelled as precisely as the
/// step needs: `HH:MM:SS.mmm`, `HH:MM:SS`, `HH:MM` (with the date when the span crosses days),
/// `MM-DD` or `YYYY-MM-DD`.
pub fn time_ticks(start: i64, end: i64, target: usize) -> Vec<TimeTick> {
    if end <= start {
        return Vec::new();
    }
    let span = end.saturating_sub(start);
    let raw = span / target.max(1) as i64;
    let step = TIME_STEPS
        .iter()
        .copied()
        .find(|s| *s >= raw)
        .unwrap_or_else(|| {
            (raw / (365 * DAY))
                .saturating_add(1)
                .saturating_mul(365 * DAY)
        });
    let mut ms = start.div_euclid(step).saturating_mul(step);
    if ms < start {
        ms = ms.saturating_add(step);
    }
    let mut out = Vec::new();
    while ms <= end {
        out.push(TimeTick {
            ms,
            label: time_label(ms, step, span),
        });
        ms = match ms.checked_add(step) {
            Some(m) => m,
            None => break,
        };
    }
    out
}

/// Slices of the RFC 3339 text (`2023-11-14T22:13:20.123Z`): the formatter already in the
/// bundle does the calendar arithmetic.
fn time_label(ms: i64, step: i64, span: i64) -> String {
    let iso = format_rfc3339_ms(ms);
    let part = |a: usize, b: usize| iso.get(a..b).unwrap_or("").to_string();
    match step {
        s if s < 1_000 => part(11, 23),
        s if s < 60_000 => part(11, 19),
        s if s < DAY && span >= DAY => format!("{} {}", part(5, 10), part(11, 16)),
        s if s < DAY => part(11, 16),
        _ if span > 365 * DAY => part(0, 10),
        _ => part(5, 10),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn labels(a: &Axis) -> Vec<&str> {
        a.ticks.iter().map(|t| t.label.as_str()).collect()
    }

    #[test]
    fn linear_ticks_use_1_2_5_steps_and_cover_the_data() {
        let a = linear_axis([0.0, 0.93], 5);
        assert_eq!(labels(&a), ["0.0", "0.2", "0.4", "0.6", "0.8", "1.0"]);
        assert_eq!((a.min, a.max), (0.0, 1.0));
        // 0.6 is computed as 6/10, the same double as the literal.
        assert_eq!(a.ticks[3].value, 0.6);

        let a = linear_axis([3.0, 97.0], 4);
        assert_eq!(labels(&a), ["0", "50", "100"]);

        let a = linear_axis([0.0, 1.0], 10);
        assert_eq!(a.ticks.len(), 11);
        assert_eq!(a.ticks[1].label, "0.1");
    }

    #[test]
    fn negative_values_span_zero() {
        let a = linear_axis([-7.0, 12.0], 4);
        assert_eq!(labels(&a), ["-10", "-5", "0", "5", "10", "15"]);
        assert!(a.min <= -7.0 && a.max >= 12.0);
        let a = linear_axis([-0.25, -0.05], 4);
        assert_eq!(labels(&a), ["-0.25", "-0.20", "-0.15", "-0.10", "-0.05"]);
    }

    #[test]
    fn all_equal_values_get_a_band_around_them() {
        let a = linear_axis([5.0, 5.0, 5.0], 5);
        assert!(a.min < 5.0 && a.max > 5.0, "{a:?}");
        assert!((a.fraction(5.0).unwrap() - 0.5).abs() < 1e-9);
        let a = linear_axis([0.0], 5);
        assert_eq!((a.min, a.max), (-1.0, 1.0));
    }

    #[test]
    fn non_finite_values_are_skipped() {
        let a = linear_axis([f64::NAN, 1.0, f64::INFINITY, 2.0, f64::NEG_INFINITY], 5);
        assert_eq!((a.min, a.max), (1.0, 2.0));
        let a = linear_axis([f64::NAN], 5);
        assert_eq!((a.min, a.max), (0.0, 1.0));
    }

    #[test]
    fn large_and_small_values_get_si_prefixes() {
        let a = linear_axis([0.0, 2_500_000.0], 5);
        assert_eq!(labels(&a), ["0.0", "0.5M", "1.0M", "1.5M", "2.0M", "2.5M"]);
        let a = linear_axis([0.0, 30_000_000.0], 3);
        assert_eq!(labels(&a), ["0", "10M", "20M", "30M"]);
        let a = linear_axis([0.0, 0.0004], 4);
        assert_eq!(labels(&a), ["0", "100µ", "200µ", "300µ", "400µ"]);
    }

    #[test]
    fn log_axis_has_ticks_at_powers_of_ten_and_skips_non_positive() {
        let a = log_axis([0.0, -3.0, 0.02, 350.0, f64::NAN], 10);
        assert!(a.log);
        assert_eq!((a.min, a.max), (0.01, 1000.0));
        assert_eq!(labels(&a), ["0.01", "0.1", "1", "10", "100", "1k"]);
        assert!((a.fraction(1.0).unwrap() - 0.4).abs() < 1e-9);
        assert_eq!(a.fraction(0.0), None);
        assert_eq!(a.fraction(-1.0), None);
        // Many decades are thinned, still at powers of ten.
        let a = log_axis([1e-6, 1e12], 5);
        assert!(a.ticks.len() <= 6, "{:?}", labels(&a));
        assert!(a.ticks.iter().all(|t| t.value.log10().fract().abs() < 1e-9));
        // One value: one decade around it.
        let a = log_axis([5.0], 5);
        assert_eq!((a.min, a.max), (1.0, 10.0));
        // Nothing positive: a default decade instead of a broken axis.
        let a = log_axis([0.0, -1.0], 5);
        assert_eq!((a.min, a.max), (1.0, 10.0));
    }

    #[test]
    fn time_ticks_are_round_utc_instants_labelled_for_the_span() {
        // 2023-11-14T22:13:20Z + 10 minutes.
        let start = 1_700_000_000_000;
        let t = time_ticks(start, start + 600_000, 2);
        assert_eq!(
            t.iter().map(|t| t.label.as_str()).collect::<Vec<_>>(),
            ["22:15", "22:20"]
        );
        assert!(t.iter().all(|t| t.ms % 300_000 == 0 && t.ms >= start));

        let t = time_ticks(start, start + 30_000, 6);
        assert_eq!(t[0].label, "22:13:20");
        assert_eq!(t[1].label, "22:13:25");

        let t = time_ticks(start, start + 900, 3);
        assert_eq!(t[0].label, "22:13:20.000");

        // Three days: hour steps show the date, day steps only the date.
        let t = time_ticks(start, start + 3 * DAY, 6);
        assert_eq!(t[0].label, "11-15 00:00");
        let t = time_ticks(start, start + 3 * DAY, 3);
        assert_eq!(t[0].label, "11-15");
        let t = time_ticks(start, start + 800 * DAY, 3);
        assert!(t[0].label.starts_with("20"), "{:?}", t[0]);

        assert!(time_ticks(start, start, 5).is_empty());
    }
}
