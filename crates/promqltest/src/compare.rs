//! Compares a query's value with an eval's expectations exactly as the reference runner does
//! (PROMQLTEST_FORMAT.md section 8): result type, label sets, order, then values within a
//! relative tolerance of 1e-6.

use engine::Value;
use model::{is_stale_nan, Labels, Timestamp, STALE_NAN};
use promql::{format_number, SeriesValue};

use crate::script::{Expectations, ExpectedSeries};

const EPSILON: f64 = 1e-6;
const MIN_NORMAL: f64 = 2.2250738585072014e-308;

/// Prometheus's `almost.Equal`: StaleNaN only equals StaleNaN, NaN equals NaN, otherwise a
/// relative error below `epsilon` (an exact match when either side is zero).
pub fn almost_equal(a: f64, b: f64, epsilon: f64) -> bool {
    if is_stale_nan(a) || is_stale_nan(b) {
        return is_stale_nan(a) && is_stale_nan(b);
    }
    if a.is_nan() && b.is_nan() {
        return true;
    }
    if a == b {
        return true;
    }
    let abs_sum = a.abs() + b.abs();
    let diff = (a - b).abs();
    if a == 0.0 || b == 0.0 || abs_sum < MIN_NORMAL {
        return diff < epsilon * MIN_NORMAL;
    }
    diff / abs_sum.min(f64::MAX) < epsilon
}

/// The time grid expected values are laid on: value `i` is at `start + i*step`, and must not
/// fall after `end`. An instant eval without `expect range vector` has a grid of one point.
#[derive(Debug, Clone, Copy)]
pub struct Grid {
    pub start: Timestamp,
    pub end: Timestamp,
    pub step: i64,
}

fn num(v: f64) -> String {
    if is_stale_nan(v) {
        "stale".to_string()
    } else {
        format_number(v)
    }
}

/// An expected float, or `None` for a slot without one; histograms are `Err` (described).
fn expected_float(v: &SeriesValue) -> Result<Option<f64>, String> {
    match v {
        SeriesValue::Omitted => Ok(None),
        SeriesValue::Float(f) => Ok(Some(*f)),
        SeriesValue::Stale => Ok(Some(STALE_NAN)),
        SeriesValue::Histogram(_) | SeriesValue::HistogramStep { .. } => Err("a native histogram".to_string()),
    }
}

fn describe_values(s: &ExpectedSeries) -> String {
    let parts: Vec<String> = s
        .values
        .iter()
        .map(|v| match expected_float(v) {
            Ok(Some(f)) => num(f),
            Ok(None) => "_".to_string(),
            Err(h) => h,
        })
        .collect();
    format!("[{}]", parts.join(" "))
}

/// Checks `value` against the expectations of an eval.
pub fn compare(exp: &Expectations, grid: Grid, value: &Value) -> Result<(), String> {
    if let Some(want) = &exp.string {
        return match value {
            Value::String(s) if s == want => Ok(()),
            Value::String(s) => Err(format!("expected string {want:?} but got {s:?}")),
            other => Err(format!("expected string {want:?} but got {}", other.type_name())),
        };
    }
    match value {
        Value::String(s) => Err(format!("expected {} but got string {s:?}", expected_kind(exp))),
        Value::Scalar(v) => {
            let Some(want) = exp.scalar else {
                return Err(format!("expected vector or matrix result, but got scalar {}", num(*v)));
            };
            if almost_equal(want, *v, EPSILON) {
                Ok(())
            } else {
                Err(format!("expected scalar {} but got {}", num(want), num(*v)))
            }
        }
        Value::Vector(samples) => {
            if exp.scalar.is_some() {
                return Err(format!("expected scalar result, but got vector of {} samples", samples.len()));
            }
            let mut seen = vec![false; exp.series.len()];
            for (i, s) in samples.iter().enumerate() {
                let Some(idx) = exp.series.iter().position(|e| e.labels == s.labels) else {
                    return Err(format!("unexpected metric {} in result, has value {}", s.labels, num(s.v)));
                };
                let e = &exp.series[idx];
                if exp.ordered && e.pos != i + 1 {
                    return Err(format!(
                        "expected metric {} with {} at position {} but was at {}",
                        s.labels,
                        describe_values(e),
                        e.pos,
                        i + 1
                    ));
                }
                match e.values.first().map(expected_float) {
                    Some(Ok(Some(want))) => {
                        if !almost_equal(want, s.v, EPSILON) {
                            return Err(format!("expected {} for {} but got {}", num(want), s.labels, num(s.v)));
                        }
                    }
                    Some(Err(h)) => return Err(format!("expected {h} for {} but got float {}", s.labels, num(s.v))),
                    _ => return Err(format!("expected no value for {} but got {}", s.labels, num(s.v))),
                }
                seen[idx] = true;
            }
            missing(exp, &seen)
        }
        Value::Matrix(series) => {
            if exp.ordered {
                return Err("expected ordered result, but query returned a matrix".to_string());
            }
            if exp.scalar.is_some() {
                return Err(format!("expected scalar result, but got matrix of {} series", series.len()));
            }
            check_sorted(series.iter().map(|s| &s.labels))?;
            let mut seen = vec![false; exp.series.len()];
            for s in series {
                let Some(idx) = exp.series.iter().position(|e| e.labels == s.labels) else {
                    return Err(format!(
                        "unexpected metric {} in result, has {}",
                        s.labels,
                        describe_points(&s.samples)
                    ));
                };
                seen[idx] = true;
                compare_points(&exp.series[idx], grid, &s.samples)?;
            }
            missing(exp, &seen)
        }
    }
}

fn expected_kind(exp: &Expectations) -> &'static str {
    if exp.scalar.is_some() {
        "scalar"
    } else {
        "vector or matrix"
    }
}

fn missing(exp: &Expectations, seen: &[bool]) -> Result<(), String> {
    match exp.series.iter().zip(seen).find(|(_, &s)| !s) {
        Some((e, _)) => Err(format!("expected metric {} with {} not found", e.labels, describe_values(e))),
        None => Ok(()),
    }
}

fn describe_points(points: &[model::Sample]) -> String {
    // Enough to see the problem; a long range would otherwise flood the report.
    const SHOWN: usize = 12;
    let mut parts: Vec<String> = points.iter().take(SHOWN).map(|p| format!("{} @[{}]", num(p.v), p.t)).collect();
    if points.len() > SHOWN {
        parts.push(format!("... ({} points)", points.len()));
    }
    parts.join(", ")
}

/// Range results must come sorted by label set (name, then value, pair by pair).
pub fn check_sorted<'a>(labels: impl Iterator<Item = &'a Labels>) -> Result<(), String> {
    let mut prev: Option<&Labels> = None;
    for l in labels {
        if let Some(p) = prev {
            if p > l {
                return Err(format!("matrix results should always be sorted by labels, but {p} came before {l}"));
            }
        }
        prev = Some(l);
    }
    Ok(())
}

fn compare_points(e: &ExpectedSeries, grid: Grid, got: &[model::Sample]) -> Result<(), String> {
    let mut want: Vec<(Timestamp, f64)> = Vec::new();
    let mut histograms = 0;
    for (i, v) in e.values.iter().enumerate() {
        let t = grid.start + i as i64 * grid.step;
        if t > grid.end {
            return Err(format!(
                "expected {} points for {}, but query time range cannot return this many points",
                e.values.len(),
                e.labels
            ));
        }
        match expected_float(v) {
            Ok(Some(f)) => want.push((t, f)),
            Ok(None) => {}
            Err(_) => histograms += 1,
        }
    }
    if want.len() != got.len() || histograms != 0 {
        return Err(format!(
            "expected {} float points and {} histogram points for {}, but got {}",
            want.len(),
            histograms,
            e.labels,
            describe_points(got)
        ));
    }
    for (i, ((t, w), g)) in want.iter().zip(got).enumerate() {
        if *t != g.t {
            return Err(format!(
                "expected float value at index {i} for {} to have timestamp {t}, but it had timestamp {} (result has {})",
                e.labels,
                g.t,
                describe_points(got)
            ));
        }
        if !almost_equal(*w, g.v, EPSILON) {
            return Err(format!(
                "expected float value at index {i} (t={t}) for {} to be {}, but got {} (result has {})",
                e.labels,
                num(*w),
                num(g.v),
                describe_points(got)
            ));
        }
    }
    Ok(())
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::parse::parse_script;
    use crate::script::Command;
    use engine::{Series, VectorSample};
    use model::Sample;

    /// The expectations of the first eval in `src`.
    fn expect(src: &str) -> Expectations {
        let script = parse_script(src).unwrap();
        for c in script.commands {
            if let Command::Eval(e) = c {
                return e.expect;
            }
        }
        Expectations::default()
    }

    fn l(s: &str) -> Labels {
        promql::parse_series_description(s).unwrap().0
    }

    fn vector(items: &[(&str, f64)]) -> Value {
        Value::Vector(items.iter().map(|(ls, v)| VectorSample { labels: l(ls), t: 0, v: *v }).collect())
    }

    const ONE: Grid = Grid { start: 0, end: 0, step: 0 };

    #[test]
    fn tolerance_nan_and_stale() {
        assert!(almost_equal(1.0, 1.0 + 1e-7, EPSILON));
        assert!(!almost_equal(1.0, 1.0 + 1e-5, EPSILON));
        assert!(almost_equal(f64::NAN, -f64::NAN, EPSILON));
        assert!(!almost_equal(STALE_NAN, f64::NAN, EPSILON));
        assert!(almost_equal(STALE_NAN, STALE_NAN, EPSILON));
        assert!(!almost_equal(0.0, 1e-9, EPSILON));
        assert!(almost_equal(0.0, -0.0, EPSILON));
        assert!(almost_equal(f64::INFINITY, f64::INFINITY, EPSILON));
        assert!(!almost_equal(f64::INFINITY, f64::NEG_INFINITY, EPSILON));
        assert!(!almost_equal(f64::INFINITY, f64::MAX, EPSILON));
    }

    #[test]
    fn vectors_cut_both_ways() {
        let e = expect("eval instant at 0 m\n  m{a=\"1\"} 1\n  m{a=\"2\"} 2\n");
        assert!(compare(&e, ONE, &vector(&[("m{a=\"2\"}", 2.0), ("m{a=\"1\"}", 1.0)])).is_ok());
        assert!(compare(&e, ONE, &vector(&[("m{a=\"1\"}", 1.0), ("m{a=\"2\"}", 2.5)])).is_err(), "wrong value");
        assert!(compare(&e, ONE, &vector(&[("m{a=\"1\"}", 1.0)])).is_err(), "missing series");
        let extra = vector(&[("m{a=\"1\"}", 1.0), ("m{a=\"2\"}", 2.0), ("m{a=\"3\"}", 3.0)]);
        assert!(compare(&e, ONE, &extra).is_err(), "extra series");
        assert!(compare(&e, ONE, &vector(&[("{a=\"1\"}", 1.0), ("m{a=\"2\"}", 2.0)])).is_err(), "__name__ matters");
        assert!(compare(&e, ONE, &vector(&[("m{a=\"1\"}", 1.0 + 1e-9), ("m{a=\"2\"}", 2.0)])).is_ok(), "tolerance");
    }

    #[test]
    fn ordered_vectors() {
        let e = expect("eval instant at 0 m\n  expect ordered\n  m{a=\"2\"} 2\n  m{a=\"1\"} 1\n");
        assert!(compare(&e, ONE, &vector(&[("m{a=\"2\"}", 2.0), ("m{a=\"1\"}", 1.0)])).is_ok());
        assert!(compare(&e, ONE, &vector(&[("m{a=\"1\"}", 1.0), ("m{a=\"2\"}", 2.0)])).is_err());
        let m = Value::Matrix(vec![]);
        assert!(compare(&e, ONE, &m).is_err(), "an ordered eval cannot return a matrix");
    }

    #[test]
    fn scalars_are_not_empty_label_vectors() {
        let scalar = expect("eval instant at 0 1\n  1\n");
        let vec_e = expect("eval instant at 0 1\n  {} 1\n");
        assert!(compare(&scalar, ONE, &Value::Scalar(1.0)).is_ok());
        assert!(compare(&scalar, ONE, &Value::Scalar(2.0)).is_err());
        assert!(compare(&scalar, ONE, &vector(&[("{}", 1.0)])).is_err());
        assert!(compare(&vec_e, ONE, &Value::Scalar(1.0)).is_err());
        assert!(compare(&vec_e, ONE, &vector(&[("{}", 1.0)])).is_ok());
        let nan = expect("eval instant at 0 1\n  NaN\n");
        assert!(compare(&nan, ONE, &Value::Scalar(f64::NAN)).is_ok());
        let empty = expect("eval instant at 0 m\n");
        assert!(compare(&empty, ONE, &vector(&[])).is_ok());
        assert!(compare(&empty, ONE, &Value::Matrix(vec![])).is_ok());
        assert!(compare(&empty, ONE, &Value::Scalar(1.0)).is_err());
    }

    fn series(ls: &str, points: &[(i64, f64)]) -> Series {
        Series { labels: l(ls), samples: points.iter().map(|&(t, v)| Sample { t, v }).collect() }
    }

    #[test]
    fn matrices() {
        let e = expect("eval range from 0 to 2m step 1m m\n  m{a=\"1\"} 1 _ 3\n  m{a=\"2\"} 1x2\n");
        let grid = Grid { start: 0, end: 120_000, step: 60_000 };
        let good = || {
            vec![
                series("m{a=\"1\"}", &[(0, 1.0), (120_000, 3.0)]),
                series("m{a=\"2\"}", &[(0, 1.0), (60_000, 1.0), (120_000, 1.0)]),
            ]
        };
        assert!(compare(&e, grid, &Value::Matrix(good())).is_ok());
        let mut unsorted = good();
        unsorted.reverse();
        assert!(compare(&e, grid, &Value::Matrix(unsorted)).is_err(), "matrix must be sorted");
        let mut wrong_t = good();
        wrong_t[0].samples[1].t = 60_000;
        assert!(compare(&e, grid, &Value::Matrix(wrong_t)).is_err(), "timestamps matter");
        let mut extra_point = good();
        extra_point[0].samples.insert(1, Sample { t: 60_000, v: 2.0 });
        assert!(compare(&e, grid, &Value::Matrix(extra_point)).is_err(), "`_` means no point");
        let too_many = expect("eval range from 0 to 1m step 1m m\n  m 1 2 3\n");
        let grid = Grid { start: 0, end: 60_000, step: 60_000 };
        assert!(compare(&too_many, grid, &Value::Matrix(vec![series("m", &[(0, 1.0), (60_000, 2.0)])])).is_err());
    }

    #[test]
    fn stale_expectations_only_match_stale_values() {
        let e = expect("eval range from 0 to 1m step 1m m\n  m 1 stale\n");
        let grid = Grid { start: 0, end: 60_000, step: 60_000 };
        assert!(compare(&e, grid, &Value::Matrix(vec![series("m", &[(0, 1.0), (60_000, STALE_NAN)])])).is_ok());
        assert!(compare(&e, grid, &Value::Matrix(vec![series("m", &[(0, 1.0), (60_000, f64::NAN)])])).is_err());
    }

    #[test]
    fn strings() {
        let e = expect("eval instant at 0 \"a\"\n  expect string \"a\\n\"\n");
        assert!(compare(&e, ONE, &Value::String("a\n".into())).is_ok());
        assert!(compare(&e, ONE, &Value::String("b".into())).is_err());
        assert!(compare(&e, ONE, &vector(&[])).is_err());
        assert!(compare(&expect("eval instant at 0 \"a\"\n"), ONE, &Value::String("a".into())).is_err());
    }
}
