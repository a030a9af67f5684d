//! Reading the store: instant selectors (newest sample in `(t - lookback, t]`, staleness,
//! `offset`, `@`, `smoothed`), range selectors and subqueries turned into per-step windows.

use std::borrow::Cow;

use model::{is_stale_nan, Timestamp};
use promql::{AtModifier, Expr, MatrixSelector, Subquery, VectorSelector};

use crate::error::QueryError;
use crate::eval::{exec_err, step_to_range, Evaluator, RangeSeries, StepSeries};
use crate::labelset::drop_metadata;

/// What an instant selector reports for the sample it selects.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Pick {
    Value,
    /// The sample's time in seconds: `timestamp(selector)`.
    Timestamp,
    /// The sample's start timestamp in seconds (0 if unknown): `start_timestamp(selector)`.
    StartTimestamp,
}

/// One series of a range vector argument: a stored series as selected (staleness markers
/// still in it; [`RangeSrc::clean`] takes them out), or one built by a subquery.
pub(crate) enum RangeSrc<'a> {
    Owned(RangeSeries),
    Stored(tsdb::SeriesView<'a>),
}

/// A series' samples without staleness markers, borrowed from the store when it holds none.
pub(crate) struct Clean<'s> {
    pub ts: Cow<'s, [Timestamp]>,
    pub vs: Cow<'s, [f64]>,
    pub st: Option<Cow<'s, [Timestamp]>>,
    /// True when some value is below its predecessor: a counter reset to look for.
    pub drops: bool,
}

impl RangeSrc<'_> {
    pub fn labels(&self) -> &model::Labels {
        match self {
            RangeSrc::Owned(s) => &s.labels,
            RangeSrc::Stored(v) => v.labels,
        }
    }

    /// The samples, staleness markers left out. A stored series is scanned here, one series at
    /// a time just before its windows are cut, so that its samples are read from the cache
    /// rather than from memory a second time. `drops` is only looked for in a built series
    /// when `want_drops` (a stored one gets it for free from the staleness scan).
    pub fn clean(&self, want_drops: bool) -> Clean<'_> {
        match self {
            RangeSrc::Owned(s) => Clean {
                ts: Cow::Borrowed(&s.ts),
                vs: Cow::Borrowed(&s.vs),
                st: s.st.as_deref().map(Cow::Borrowed),
                drops: want_drops && scan(&s.vs).1,
            },
            RangeSrc::Stored(v) => {
                let (stale, drops) = scan(v.vs);
                if !stale {
                    // The common case: the store's own slices, no copy.
                    return Clean {
                        ts: Cow::Borrowed(v.ts),
                        vs: Cow::Borrowed(v.vs),
                        st: v.st.map(Cow::Borrowed),
                        drops,
                    };
                }
                let keep = |i: &usize| v.vs.get(*i).is_some_and(|x| !is_stale_nan(*x));
                let ts: Vec<Timestamp> = (0..v.ts.len()).filter(keep).map(|i| v.ts[i]).collect();
                let vs: Vec<f64> = (0..v.vs.len()).filter(keep).map(|i| v.vs[i]).collect();
                // Start timestamps travel with their samples, staleness markers' left out too.
                let st = v.st.map(|st| (0..st.len()).filter(keep).map(|i| st[i]).collect::<Vec<Timestamp>>());
                let drops = want_drops && scan(&vs).1;
                Clean { ts: Cow::Owned(ts), vs: Cow::Owned(vs), st: st.map(Cow::Owned), drops }
            }
        }
    }

    pub fn drop_name(&self) -> bool {
        match self {
            RangeSrc::Owned(s) => s.drop_name,
            RangeSrc::Stored(_) => false,
        }
    }
}

/// A range vector argument, ready to be cut into one window per step.
pub(crate) struct RangeInput<'a> {
    pub series: Vec<RangeSrc<'a>>,
    /// Window length in ms.
    pub range: i64,
    /// The window end (reference time) of each step.
    pub refs: Vec<Timestamp>,
    pub anchored: bool,
    pub smoothed: bool,
    /// The metric name every series has, when the selector fixes it with `__name__="…"`.
    pub metric_name: Option<String>,
}

impl RangeInput<'_> {
    /// The samples of the first step's window, for an instant query returning a range vector.
    pub fn first_window(self) -> Vec<RangeSeries> {
        let Some(&rt) = self.refs.first() else { return Vec::new() };
        let lo_t = rt - self.range;
        self.series
            .iter()
            .filter_map(|s| {
                let c = s.clean(false);
                let (ts, vs) = (&*c.ts, &*c.vs);
                let lo = ts.partition_point(|&t| t <= lo_t);
                let hi = ts.partition_point(|&t| t <= rt);
                if lo >= hi {
                    return None;
                }
                Some(RangeSeries {
                    labels: s.labels().clone(),
                    ts: ts.get(lo..hi).map(<[_]>::to_vec).unwrap_or_default(),
                    vs: vs.get(lo..hi).map(<[_]>::to_vec).unwrap_or_default(),
                    st: c.st.as_deref().and_then(|st| st.get(lo..hi)).map(<[_]>::to_vec),
                    drop_name: s.drop_name(),
                })
            })
            .collect()
    }
}

/// Calls `f(step, lo, hi)` with the index range `lo..hi` of `ts` inside `(ref - before, ref + after]`
/// for each step's reference time; cursors slide while the references increase.
pub(crate) fn for_each_window(
    ts: &[Timestamp],
    refs: &[Timestamp],
    before: i64,
    after: i64,
    mut f: impl FnMut(usize, usize, usize),
) {
    let (mut lo, mut hi) = (0usize, 0usize);
    let mut prev: Option<Timestamp> = None;
    for (i, &rt) in refs.iter().enumerate() {
        let (start, end) = (rt - before, rt + after);
        if prev.is_some_and(|p| p > rt) {
            lo = 0;
            hi = 0;
        }
        prev = Some(rt);
        while lo < ts.len() && ts[lo] <= start {
            lo += 1;
        }
        if hi < lo {
            hi = lo;
        }
        while hi < ts.len() && ts[hi] <= end {
            hi += 1;
        }
        f(i, lo, hi);
    }
}

impl<'a> Evaluator<'a> {
    /// The time a selector reads at, for the step at `t`: `@` pins it, `offset` shifts it.
    pub(crate) fn reference_time(&self, t: Timestamp, at: Option<AtModifier>, offset_ms: i64) -> Timestamp {
        let base = match at {
            None => t,
            Some(AtModifier::Timestamp(ts)) => ts,
            Some(AtModifier::Start) => self.sh.query_start,
            Some(AtModifier::End) => self.sh.query_end,
        };
        base - offset_ms
    }

    pub(crate) fn offset_ms(&self, offset: &Option<promql::DurationExpr>) -> Result<i64, QueryError> {
        match offset {
            None => Ok(0),
            Some(d) => self.eval_duration(d),
        }
    }

    fn refs(&self, at: Option<AtModifier>, offset: i64) -> Vec<Timestamp> {
        self.steps().map(|t| self.reference_time(t, at, offset)).collect()
    }

    pub(crate) fn vector_selector(&self, sel: &VectorSelector) -> Result<Vec<StepSeries>, QueryError> {
        self.select_vector(sel, Pick::Value)
    }

    /// Each point's value is what `pick` takes from the selected sample; for anything but the
    /// value the name is marked for removal.
    pub(crate) fn select_vector(&self, sel: &VectorSelector, pick: Pick) -> Result<Vec<StepSeries>, QueryError> {
        let offset = self.offset_ms(&sel.offset)?;
        let refs = self.refs(sel.at, offset);
        let (Some(&lo), Some(&hi)) = (refs.iter().min(), refs.iter().max()) else { return Ok(Vec::new()) };
        let lookback = self.sh.opts.lookback_delta;
        let extra = if sel.smoothed { lookback } else { 0 };
        let mut out = Vec::new();
        let mut total = 0usize;
        let increasing = refs.windows(2).all(|w| w[0] <= w[1]);
        for s in self.sh.db.select(&sel.matchers, lo - lookback + 1, hi + extra) {
            // Sized by the steps whose lookback window can see the series' samples.
            let mut points = Vec::with_capacity(reachable_steps(&refs, increasing, s.ts, lookback, extra));
            if sel.smoothed {
                self.smoothed_points(s.ts, s.vs, &refs, &mut points);
            } else {
                let mut i = 0usize;
                let mut prev_rt = Timestamp::MIN;
                for (step, &rt) in refs.iter().enumerate() {
                    // Newest sample at or before rt; it counts if inside (rt - lookback, rt].
                    if rt < prev_rt {
                        i = 0;
                    }
                    prev_rt = rt;
                    while i < s.ts.len() && s.ts[i] <= rt {
                        i += 1;
                    }
                    let Some(j) = i.checked_sub(1) else { continue };
                    let (Some(&ts), Some(&v)) = (s.ts.get(j), s.vs.get(j)) else { continue };
                    if ts > rt - lookback && !is_stale_nan(v) {
                        let out = match pick {
                            Pick::Value => v,
                            Pick::Timestamp => ts as f64 / 1000.0,
                            // A series without any start timestamp reports 0 (unknown), as one
                            // with an unknown start timestamp for this sample does.
                            Pick::StartTimestamp => s.st.and_then(|st| st.get(j)).copied().unwrap_or(0) as f64 / 1000.0,
                        };
                        points.push((self.step_time(step), out));
                    }
                }
            }
            total += points.len();
            if !points.is_empty() {
                out.push(StepSeries { labels: s.labels.clone(), points, drop_name: pick != Pick::Value });
            }
        }
        self.check_samples(total)?;
        Ok(out)
    }

    /// `x smoothed`: the value at each step interpolated between the samples around it.
    fn smoothed_points(&self, ts: &[Timestamp], vs: &[f64], refs: &[Timestamp], points: &mut Vec<(Timestamp, f64)>) {
        let lb = self.sh.opts.lookback_delta;
        let (fts, fvs): (Vec<Timestamp>, Vec<f64>) =
            ts.iter().zip(vs).filter(|(_, v)| !is_stale_nan(**v)).map(|(&t, &v)| (t, v)).unzip();
        for_each_window(&fts, refs, lb + 1, lb, |step, lo, hi| {
            let Some(&rt) = refs.get(step) else { return };
            let (wt, wv) = (&fts[lo..hi], &fvs[lo..hi]);
            let i = wt.partition_point(|&t| t < rt);
            let v = if wt.get(i) == Some(&rt) {
                wv.get(i).copied()
            } else if i > 0 && i < wt.len() {
                Some(interpolate((wt[i - 1], wv[i - 1]), (wt[i], wv[i]), rt, false))
            } else if i > 0 {
                wv.get(i - 1).copied()
            } else {
                None
            };
            if let Some(v) = v {
                points.push((self.step_time(step), v));
            }
        });
    }

    /// A range selector or subquery (parentheses allowed around it), with one window per step.
    pub(crate) fn range_input(&self, e: &Expr) -> Result<RangeInput<'a>, QueryError> {
        match e {
            Expr::Paren(p) => self.range_input(&p.expr),
            Expr::MatrixSelector(m) => self.matrix_selector(m),
            Expr::Subquery(s) => self.subquery(s),
            other => Err(exec_err(format!("expected a range vector, got {}", other.value_type().documented()))),
        }
    }

    fn matrix_selector(&self, m: &MatrixSelector) -> Result<RangeInput<'a>, QueryError> {
        let sel = &m.vector;
        let offset = self.offset_ms(&sel.offset)?;
        let range = self.eval_duration(&m.range)?;
        let refs = self.refs(sel.at, offset);
        let lookback = self.sh.opts.lookback_delta;
        let (Some(&lo), Some(&hi)) = (refs.iter().min(), refs.iter().max()) else {
            return Ok(RangeInput {
                series: Vec::new(),
                range,
                refs,
                anchored: false,
                smoothed: false,
                metric_name: None,
            });
        };
        let (before, after) = if sel.anchored {
            (lookback, 0)
        } else if sel.smoothed {
            (lookback, lookback)
        } else {
            (0, 0)
        };
        let use_st = self.sh.opts.use_start_timestamps;
        let db: &'a tsdb::Storage = self.sh.db;
        let mut series: Vec<tsdb::SeriesView<'a>> = db.select(&sel.matchers, lo - range - before + 1, hi + after);
        for s in &mut series {
            s.st = s.st.filter(|_| use_st);
        }
        // Staleness markers are not samples: when counting them in could make the difference,
        // count without them (the series are scanned for them later, one at a time).
        let upper: usize = series.iter().map(|s| s.ts.len()).sum();
        if upper > self.sh.opts.max_samples {
            self.check_samples(series.iter().map(|s| s.vs.iter().filter(|v| !is_stale_nan(**v)).count()).sum())?;
        }
        let series: Vec<RangeSrc<'a>> = series.into_iter().filter(|s| !s.ts.is_empty()).map(RangeSrc::Stored).collect();
        let metric_name = sel
            .matchers
            .iter()
            .find(|m| m.name == model::METRIC_NAME && m.op == model::MatchOp::Equal && !m.value.is_empty())
            .map(|m| m.value.clone());
        Ok(RangeInput { series, range, refs, anchored: sel.anchored, smoothed: sel.smoothed, metric_name })
    }

    /// Evaluates the inner expression at the multiples of the subquery step (counted from the
    /// epoch) that any window needs, then hands the points out as a range vector.
    fn subquery(&self, sq: &Subquery) -> Result<RangeInput<'a>, QueryError> {
        let offset = self.offset_ms(&sq.offset)?;
        let range = self.eval_duration(&sq.range)?;
        let step = match &sq.step {
            Some(d) => self.eval_duration(d)?,
            None => self.sh.opts.default_subquery_step,
        };
        if step <= 0 {
            return Err(exec_err("zero or negative subquery step"));
        }
        let refs = self.refs(sq.at, offset);
        let (Some(&lo), Some(&hi)) = (refs.iter().min(), refs.iter().max()) else {
            return Ok(RangeInput {
                series: Vec::new(),
                range,
                refs,
                anchored: false,
                smoothed: false,
                metric_name: None,
            });
        };
        let first = lo - range;
        let mut start = step * (first / step);
        if start <= first {
            start += step;
        }
        let sub = Evaluator { sh: self.sh, start, end: hi, interval: step };
        // Every step holds at least a value; refuse before allocating for them.
        self.check_samples(sub.num_steps())?;
        let series = match sub.eval(&sq.expr)? {
            crate::eval::Evaluated::Vector(v) => v.into_iter().map(step_to_range).collect(),
            crate::eval::Evaluated::Scalar(vs) => {
                let ts: Vec<Timestamp> = sub.steps().collect();
                vec![RangeSeries { labels: model::Labels::empty(), ts, vs, st: None, drop_name: false }]
            }
            _ => return Err(exec_err("subquery must be over an instant vector or scalar")),
        };
        // A name-dropping function inside the subquery is respected by the functions over it.
        let series = series
            .into_iter()
            .map(|mut s: RangeSeries| {
                if s.drop_name {
                    s.labels = drop_metadata(&s.labels);
                }
                s
            })
            .filter(|s| !s.ts.is_empty())
            .map(RangeSrc::Owned)
            .collect();
        Ok(RangeInput { series, range, refs, anchored: false, smoothed: false, metric_name: None })
    }
}

/// How many of the (increasing) reference times have a window `(ref - before, ref + after]`
/// that can hold one of the samples at `ts`: an upper bound for a series' points.
pub(crate) fn reachable_steps(
    refs: &[Timestamp],
    increasing: bool,
    ts: &[Timestamp],
    before: i64,
    after: i64,
) -> usize {
    let (Some(&first), Some(&last)) = (ts.first(), ts.last()) else { return 0 };
    if !increasing {
        return refs.len();
    }
    let lo = refs.partition_point(|&r| r + after < first);
    let hi = refs.partition_point(|&r| r - before < last);
    hi.saturating_sub(lo)
}

/// Whether `vs` holds a staleness marker, and whether some value is below its predecessor (a
/// counter reset). Every range selection reads all its samples for this, once: by blocks
/// without a branch per sample, which vectorizes, and both answers from the same pass.
// The negated comparison is the point: it is true for NaN, in one instruction.
#[allow(clippy::neg_cmp_op_on_partial_ord)]
pub(crate) fn scan(vs: &[f64]) -> (bool, bool) {
    // One comparison per sample first: `!(c >= p)` holds for a drop and for any NaN (a
    // staleness marker is one). Most series have neither and are done after this pass.
    let mut odd = vs.first().is_some_and(|v| v.is_nan());
    if let Some(rest) = vs.get(1..) {
        for (cur, prev) in rest.chunks(64).zip(vs.chunks(64)) {
            odd |= cur.iter().zip(prev).fold(false, |a, (c, p)| a | !(c >= p));
        }
    }
    if !odd {
        return (false, false);
    }
    // Then each question apart; the exact marker test only when some NaN turned up.
    let (mut nan, mut drop) = (vs.first().is_some_and(|v| v.is_nan()), false);
    if let Some(rest) = vs.get(1..) {
        for (cur, prev) in rest.chunks(64).zip(vs.chunks(64)) {
            let (n, d) = cur.iter().zip(prev).fold((false, false), |(n, d), (c, p)| (n | c.is_nan(), d | (c < p)));
            nan |= n;
            drop |= d;
        }
    }
    (nan && vs.iter().any(|v| is_stale_nan(*v)), drop)
}

/// Linear interpolation at `t`; for counters a drop counts as a reset from zero.
pub(crate) fn interpolate(p1: (Timestamp, f64), p2: (Timestamp, f64), t: Timestamp, counter: bool) -> f64 {
    let (y1, y2) = (if counter && p2.1 < p1.1 { 0.0 } else { p1.1 }, p2.1);
    let dt = (p2.0 - p1.0) as f64;
    if dt == 0.0 {
        return y2;
    }
    y1 + (y2 - y1) * (t - p1.0) as f64 / dt
}

#[cfg(test)]
mod scan_tests {
    use super::scan;
    use model::STALE_NAN;

    #[test]
    fn markers_and_drops_anywhere_in_the_samples() {
        let ramp: Vec<f64> = (0..200).map(f64::from).collect();
        assert_eq!(scan(&ramp), (false, false));
        assert_eq!(scan(&[]), (false, false));
        for at in [0, 1, 63, 64, 65, 199] {
            let mut v = ramp.clone();
            v[at] = STALE_NAN;
            assert!(scan(&v).0, "marker at {at}");
            // An ordinary NaN is a value, not a marker; comparisons with it are false.
            v[at] = f64::NAN;
            assert_eq!(scan(&v), (false, false), "NaN at {at}");
            if at > 0 {
                let mut v = ramp.clone();
                v[at] = -1.0;
                assert_eq!(scan(&v), (false, true), "drop at {at}");
            }
        }
    }
}
