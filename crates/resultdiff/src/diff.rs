//! The comparison itself: result types first (nothing else is comparable across types), then
//! series matched by label set, then the points of each matched series by timestamp, then the
//! order of the matched series when it matters.

use std::collections::{BTreeMap, VecDeque};

use formats::export::ResultView;
use model::{Labels, Sample, Timestamp};

use crate::float::almost_equal;

/// How to compare.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Options {
    /// Relative tolerance for values ([`almost_equal`]'s epsilon: a fraction of the larger value).
    pub tolerance: f64,
    /// Whether series order matters (a sorted result).
    pub ordered: bool,
    /// Value differences kept in [`Diff::values`]; the rest are only counted in
    /// [`Diff::more_values`], so a big result differing everywhere stays small.
    pub max_value_diffs: usize,
}

impl Default for Options {
    fn default() -> Self {
        Options { tolerance: 1e-6, ordered: false, max_value_diffs: 100 }
    }
}

/// The two results have different types (the API's names: `vector`, `matrix`, `scalar`,
/// `string`). When set, nothing else is compared.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TypeMismatch {
    pub expected: &'static str,
    pub actual: &'static str,
}

/// A point of a series present on both sides (or of a scalar, with empty labels) that differs:
/// beyond the tolerance, or present on one side only (`None` on the other).
#[derive(Clone, Debug, PartialEq)]
pub struct ValueDiff {
    pub labels: Labels,
    pub t: Timestamp,
    pub expected: Option<f64>,
    pub actual: Option<f64>,
}

/// Two string results differ.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StringDiff {
    pub expected: String,
    pub actual: String,
}

/// The first place where the series both sides share come in a different order: `position`
/// counts from 0 among those shared series.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OrderDiff {
    pub position: usize,
    pub expected: Labels,
    pub actual: Labels,
}

/// Everything that differs; [`Diff::is_equal`] when nothing does. Label sets print as
/// Prometheus prints them (`up{job="a"}`) with `to_string()`.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Diff {
    pub type_mismatch: Option<TypeMismatch>,
    /// Series of the expected result the actual one lacks, in the expected result's order.
    pub missing: Vec<Labels>,
    /// Series only the actual result has, in its order.
    pub extra: Vec<Labels>,
    /// Point differences of the series both have, in the expected result's series order, then
    /// by time; at most `Options::max_value_diffs`.
    pub values: Vec<ValueDiff>,
    /// Value differences beyond the cap.
    pub more_values: usize,
    pub string: Option<StringDiff>,
    /// Only checked when `Options::ordered`.
    pub order: Option<OrderDiff>,
}

impl Diff {
    pub fn is_equal(&self) -> bool {
        self.type_mismatch.is_none()
            && self.missing.is_empty()
            && self.extra.is_empty()
            && self.values.is_empty()
            && self.more_values == 0
            && self.string.is_none()
            && self.order.is_none()
    }

    fn push_value(&mut self, max: usize, d: ValueDiff) {
        if self.values.len() < max {
            self.values.push(d);
        } else {
            self.more_values += 1;
        }
    }
}

/// One series of either side: a vector's sample is a series of one point.
struct Series<'a> {
    labels: &'a Labels,
    samples: Points<'a>,
}

enum Points<'a> {
    One(Sample),
    Many(&'a [Sample]),
}

impl Points<'_> {
    fn as_slice(&self) -> &[Sample] {
        match self {
            Points::One(s) => std::slice::from_ref(s),
            Points::Many(s) => s,
        }
    }
}

fn series<'a>(r: &ResultView<'a>) -> Vec<Series<'a>> {
    match r {
        ResultView::Vector(rows) => rows
            .iter()
            .map(|row| Series { labels: row.labels, samples: Points::One(Sample { t: row.t, v: row.v }) })
            .collect(),
        ResultView::Matrix(rows) => {
            rows.iter().map(|row| Series { labels: row.labels, samples: Points::Many(row.samples) }).collect()
        }
        ResultView::Scalar { .. } | ResultView::String { .. } => Vec::new(),
    }
}

/// Compares `actual` with `expected`.
pub fn diff(expected: &ResultView<'_>, actual: &ResultView<'_>, opts: &Options) -> Diff {
    let mut out = Diff::default();
    if expected.type_name() != actual.type_name() {
        out.type_mismatch = Some(TypeMismatch { expected: expected.type_name(), actual: actual.type_name() });
        return out;
    }
    match (expected, actual) {
        (ResultView::Scalar { t, v: e }, ResultView::Scalar { v: a, .. }) => {
            if !almost_equal(*a, *e, opts.tolerance) {
                out.push_value(
                    opts.max_value_diffs,
                    ValueDiff { labels: Labels::empty(), t: *t, expected: Some(*e), actual: Some(*a) },
                );
            }
        }
        (ResultView::String { s: e, .. }, ResultView::String { s: a, .. }) => {
            if e != a {
                out.string = Some(StringDiff { expected: e.to_string(), actual: a.to_string() });
            }
        }
        _ => series_diff(&series(expected), &series(actual), opts, &mut out),
    }
    out
}

fn series_diff(expected: &[Series<'_>], actual: &[Series<'_>], opts: &Options, out: &mut Diff) {
    // Label set -> indexes into `actual`, so a repeated label set (possible in a hand-made or
    // remote result) pairs up first with first.
    let mut by_labels: BTreeMap<&Labels, VecDeque<usize>> = BTreeMap::new();
    for (j, s) in actual.iter().enumerate() {
        by_labels.entry(s.labels).or_default().push_back(j);
    }
    let mut matched_actual = vec![false; actual.len()];
    let mut pairs: Vec<(usize, usize)> = Vec::new();
    for (i, e) in expected.iter().enumerate() {
        match by_labels.get_mut(e.labels).and_then(VecDeque::pop_front) {
            Some(j) => {
                if let Some(m) = matched_actual.get_mut(j) {
                    *m = true;
                }
                pairs.push((i, j));
            }
            None => out.missing.push(e.labels.clone()),
        }
    }
    out.extra = actual.iter().zip(&matched_actual).filter(|(_, m)| !**m).map(|(s, _)| s.labels.clone()).collect();
    for &(i, j) in &pairs {
        if let (Some(e), Some(a)) = (expected.get(i), actual.get(j)) {
            points_diff(e.labels, e.samples.as_slice(), a.samples.as_slice(), opts, out);
        }
    }
    if opts.ordered {
        out.order = order_diff(expected, actual, &pairs);
    }
}

/// Merges two time-ordered point lists.
fn points_diff(labels: &Labels, expected: &[Sample], actual: &[Sample], opts: &Options, out: &mut Diff) {
    use std::cmp::Ordering;
    let (mut e, mut a) = (expected.iter().peekable(), actual.iter().peekable());
    loop {
        let (x, y) = (e.peek().copied().copied(), a.peek().copied().copied());
        let side = match (x, y) {
            (None, None) => return,
            (Some(x), Some(y)) => x.t.cmp(&y.t),
            (Some(_), None) => Ordering::Less,
            (None, Some(_)) => Ordering::Greater,
        };
        let (expected, actual) = match side {
            Ordering::Equal => (e.next(), a.next()),
            Ordering::Less => (e.next(), None),
            Ordering::Greater => (None, a.next()),
        };
        let (expected, actual) = (expected.copied(), actual.copied());
        if let (Some(x), Some(y)) = (expected, actual) {
            if almost_equal(y.v, x.v, opts.tolerance) {
                continue;
            }
        }
        let Some(t) = expected.or(actual).map(|s| s.t) else { return };
        let d = ValueDiff { labels: labels.clone(), t, expected: expected.map(|s| s.v), actual: actual.map(|s| s.v) };
        out.push_value(opts.max_value_diffs, d);
    }
}

fn order_diff(expected: &[Series<'_>], actual: &[Series<'_>], pairs: &[(usize, usize)]) -> Option<OrderDiff> {
    // `pairs` is in expected order; the same pairs sorted by their actual index give the order
    // the actual result lists the shared series in.
    let mut by_actual: Vec<usize> = pairs.iter().map(|&(_, j)| j).collect();
    by_actual.sort_unstable();
    for (position, (&(i, _), j)) in pairs.iter().zip(by_actual).enumerate() {
        let (Some(e), Some(a)) = (expected.get(i), actual.get(j)) else { continue };
        if e.labels != a.labels {
            return Some(OrderDiff { position, expected: e.labels.clone(), actual: a.labels.clone() });
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{OwnedResult, OwnedSample};

    fn l(job: &str) -> Labels {
        Labels::from_pairs([("__name__", "up"), ("job", job)])
    }

    fn vector(rows: &[(&str, f64)]) -> OwnedResult {
        OwnedResult::Vector(rows.iter().map(|(j, v)| OwnedSample { labels: l(j), t: 1000, v: *v }).collect())
    }

    fn matrix(series: &[(&str, &[(i64, f64)])]) -> OwnedResult {
        OwnedResult::Matrix(
            series.iter().map(|(j, pts)| (l(j), pts.iter().map(|&(t, v)| Sample { t, v }).collect())).collect(),
        )
    }

    fn run(e: &OwnedResult, a: &OwnedResult, opts: Options) -> Diff {
        diff(&e.view(), &a.view(), &opts)
    }

    #[test]
    fn equal_results() {
        let e = vector(&[("a", 1.0), ("b", f64::NAN), ("c", f64::NEG_INFINITY)]);
        let a = vector(&[("c", f64::NEG_INFINITY), ("a", 1.0 + 1e-9), ("b", f64::NAN)]);
        let d = run(&e, &a, Options::default());
        assert!(d.is_equal(), "{d:?}");
        // The same results in another order differ only when order matters.
        let d = run(&e, &a, Options { ordered: true, ..Options::default() });
        assert_eq!(d.order, Some(OrderDiff { position: 0, expected: l("a"), actual: l("c") }));
        assert!(!d.is_equal());
    }

    #[test]
    fn type_mismatch_stops_there() {
        let d = run(&vector(&[("a", 1.0)]), &matrix(&[("b", &[(1000, 1.0)])]), Options::default());
        assert_eq!(d.type_mismatch, Some(TypeMismatch { expected: "vector", actual: "matrix" }));
        assert!(d.missing.is_empty() && d.extra.is_empty());
        let d = run(
            &OwnedResult::Scalar { t: 0, v: 1.0 },
            &OwnedResult::String { t: 0, s: "1".into() },
            Options::default(),
        );
        assert_eq!(d.type_mismatch, Some(TypeMismatch { expected: "scalar", actual: "string" }));
    }

    #[test]
    fn missing_extra_and_values() {
        let e = vector(&[("a", 1.0), ("b", 2.0), ("c", 3.0)]);
        let a = vector(&[("d", 9.0), ("a", 1.5)]);
        let d = run(&e, &a, Options::default());
        assert_eq!(d.missing, vec![l("b"), l("c")]);
        assert_eq!(d.extra, vec![l("d")]);
        assert_eq!(d.values, vec![ValueDiff { labels: l("a"), t: 1000, expected: Some(1.0), actual: Some(1.5) }]);
        assert_eq!(d.missing[0].to_string(), r#"up{job="b"}"#);
        // The tolerance is relative.
        let d = run(
            &e,
            &vector(&[("a", 1.01), ("b", 2.02), ("c", 3.0)]),
            Options { tolerance: 0.02, ..Options::default() },
        );
        assert!(d.is_equal(), "{d:?}");
        // +Inf is not -Inf, NaN is not a number.
        let d = run(
            &vector(&[("a", f64::INFINITY), ("b", 1.0)]),
            &vector(&[("a", f64::NEG_INFINITY), ("b", f64::NAN)]),
            Options::default(),
        );
        assert_eq!(d.values.len(), 2);
    }

    #[test]
    fn matrix_points_by_time() {
        let e = matrix(&[("a", &[(0, 1.0), (1000, 2.0), (2000, 3.0)])]);
        let a = matrix(&[("a", &[(0, 1.0), (2000, 4.0), (3000, 5.0)])]);
        let d = run(&e, &a, Options::default());
        assert_eq!(
            d.values,
            vec![
                ValueDiff { labels: l("a"), t: 1000, expected: Some(2.0), actual: None },
                ValueDiff { labels: l("a"), t: 2000, expected: Some(3.0), actual: Some(4.0) },
                ValueDiff { labels: l("a"), t: 3000, expected: None, actual: Some(5.0) },
            ]
        );
        let d = run(&e, &a, Options { max_value_diffs: 1, ..Options::default() });
        assert_eq!((d.values.len(), d.more_values), (1, 2));
        assert!(!d.is_equal());
    }

    #[test]
    fn scalars_and_strings() {
        let s = |v| OwnedResult::Scalar { t: 5000, v };
        assert!(run(&s(f64::NAN), &s(f64::NAN), Options::default()).is_equal());
        let d = run(&s(1.0), &s(2.0), Options::default());
        assert_eq!(
            d.values,
            vec![ValueDiff { labels: Labels::empty(), t: 5000, expected: Some(1.0), actual: Some(2.0) }]
        );
        let st = |x: &str| OwnedResult::String { t: 0, s: x.to_string() };
        assert!(run(&st("a"), &st("a"), Options::default()).is_equal());
        assert_eq!(
            run(&st("a"), &st("b"), Options::default()).string,
            Some(StringDiff { expected: "a".into(), actual: "b".into() })
        );
    }

    #[test]
    fn order_among_shared_series_and_repeated_labels() {
        // Extra and missing series do not count as order differences.
        let e = vector(&[("c", 3.0), ("b", 2.0), ("a", 1.0)]);
        let a = vector(&[("x", 0.0), ("c", 3.0), ("a", 1.0)]);
        let d = run(&e, &a, Options { ordered: true, ..Options::default() });
        assert_eq!((d.order, d.missing, d.extra), (None, vec![l("b")], vec![l("x")]));
        // A repeated label set pairs first with first.
        let d =
            run(&vector(&[("a", 1.0), ("a", 2.0)]), &vector(&[("a", 1.0), ("a", 2.0), ("a", 3.0)]), Options::default());
        assert_eq!((d.values.len(), d.extra.len()), (0, 1));
        let d = run(&vector(&[]), &vector(&[]), Options { ordered: true, ..Options::default() });
        assert!(d.is_equal());
    }
}
