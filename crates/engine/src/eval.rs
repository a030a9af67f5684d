//! The evaluator: walks the AST over all steps of a query at once, as Prometheus's engine does
//! (an instant query is a range of one step), so a range query never re-selects per step.

use model::fxhash::FxHashMap;
use std::cell::RefCell;

use model::{Labels, Timestamp};
use promql::{Expr, UnaryOp};

use crate::annotations::Notes;
use crate::error::QueryError;
use crate::labelset::drop_metadata;
use crate::options::Options;
use crate::trace::Tracer;

/// One series of an instant-vector expression over the query's steps: `(step time, value)` for
/// the steps where it has a value.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct StepSeries {
    pub labels: Labels,
    pub points: Vec<(Timestamp, f64)>,
    /// Delayed name removal: the metric name (and type/unit) go at the very end of the query.
    pub drop_name: bool,
}

/// One series of a range vector: its raw samples (staleness markers removed).
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct RangeSeries {
    pub labels: Labels,
    pub ts: Vec<Timestamp>,
    pub vs: Vec<f64>,
    /// Start timestamps aligned with `ts` (0 = unknown). Only a range selector over stored data
    /// has them; subqueries and expressions never do, as in Prometheus.
    pub st: Option<Vec<Timestamp>>,
    pub drop_name: bool,
}

/// An expression's value over all steps.
#[derive(Clone, Debug)]
pub(crate) enum Evaluated {
    /// One value per step.
    Scalar(Vec<f64>),
    String(String),
    Vector(Vec<StepSeries>),
    /// A range vector; only an instant query may return one.
    Matrix(Vec<RangeSeries>),
}

impl Evaluated {
    pub fn series_count(&self) -> usize {
        match self {
            Evaluated::Scalar(_) | Evaluated::String(_) => 1,
            Evaluated::Vector(v) => v.len(),
            Evaluated::Matrix(m) => m.len(),
        }
    }
}

/// A sample of an instant vector at one step, as functions and operators see it.
#[derive(Clone, Debug)]
pub(crate) struct Sample {
    pub labels: Labels,
    pub v: f64,
    pub drop_name: bool,
}

/// The samples of an instant vector grouped by step, `(series index, value)` in series order
/// within a step; all steps live in one buffer.
pub(crate) struct ByStep {
    offsets: Vec<usize>,
    items: Vec<(u32, f64)>,
}

impl ByStep {
    /// The samples at step `i` (none past the last step).
    pub fn at(&self, i: usize) -> &[(u32, f64)] {
        match (self.offsets.get(i), self.offsets.get(i + 1)) {
            (Some(&lo), Some(&hi)) => self.items.get(lo..hi).unwrap_or(&[]),
            _ => &[],
        }
    }

    pub fn len(&self) -> usize {
        self.offsets.len().saturating_sub(1)
    }

    pub fn iter(&self) -> impl Iterator<Item = &[(u32, f64)]> + '_ {
        (0..self.len()).map(move |i| self.at(i))
    }
}

/// What every evaluator of one query shares: the store, the settings, the query's own time
/// frame (for `@ start()`, `step()` …), the annotations and the trace.
pub(crate) struct Shared<'a> {
    pub db: &'a tsdb::Storage,
    pub opts: &'a Options,
    pub query_start: Timestamp,
    pub query_end: Timestamp,
    /// 0 for an instant query.
    pub query_step: i64,
    pub notes: RefCell<Notes>,
    pub tracer: Option<RefCell<Tracer>>,
}

impl Shared<'_> {
    pub fn warn(&self, m: String) {
        self.notes.borrow_mut().warn(m);
    }
    pub fn info(&self, m: String) {
        self.notes.borrow_mut().info(m);
    }
}

/// Evaluates at `start, start + interval, … <= end`. Subqueries make their own.
pub(crate) struct Evaluator<'a> {
    pub sh: &'a Shared<'a>,
    pub start: Timestamp,
    pub end: Timestamp,
    /// Always > 0 (an instant query uses 1, as Prometheus).
    pub interval: i64,
}

pub(crate) fn exec_err(m: impl Into<String>) -> QueryError {
    QueryError::Execution(m.into())
}

pub(crate) const SAME_LABELSET: &str = "vector cannot contain metrics with the same labelset";

impl<'a> Evaluator<'a> {
    pub fn num_steps(&self) -> usize {
        if self.end < self.start {
            0
        } else {
            ((self.end - self.start) / self.interval) as usize + 1
        }
    }

    pub fn step_time(&self, i: usize) -> Timestamp {
        self.start + i as i64 * self.interval
    }

    pub fn steps(&self) -> impl Iterator<Item = Timestamp> + '_ {
        (0..self.num_steps()).map(move |i| self.step_time(i))
    }

    pub fn step_index(&self, t: Timestamp) -> usize {
        ((t - self.start) / self.interval) as usize
    }

    /// [`Evaluator::step_index`] of `t` for a point that follows one at step `hint`: a series'
    /// points are in time order and mostly at consecutive steps, so a few comparisons usually
    /// replace the division.
    fn step_after(&self, t: Timestamp, hint: usize) -> usize {
        for i in hint..hint + 4 {
            if self.step_time(i) == t {
                return i;
            }
        }
        self.step_index(t)
    }

    /// The query's step and range for `step()`/`range()` in duration expressions.
    pub fn eval_duration(&self, d: &promql::DurationExpr) -> Result<i64, QueryError> {
        // A written duration (`1001ms`) is exact in Prometheus; only arithmetic goes through floats.
        if let promql::DurationExpr::Literal { secs, duration: true, .. } = d {
            let ms = (secs * 1000.0).round();
            if ms.is_finite() && ms.abs() < 9.2e18 {
                return Ok(ms as i64);
            }
        }
        let secs = self.duration_secs(d)?;
        // Go converts through nanoseconds (`time.Duration(secs * 1e9)`), which keeps `1001ms`
        // exact where `secs * 1000` would give 1000.999….
        let ns = secs * 1e9;
        if !ns.is_finite() || ns.abs() >= 9.2e18 {
            return Err(exec_err(format!("duration out of range: {secs}")));
        }
        Ok((ns as i64) / 1_000_000)
    }

    fn duration_secs(&self, d: &promql::DurationExpr) -> Result<f64, QueryError> {
        use promql::{BinaryOp, DurationExpr as D, UnaryOp as U};
        Ok(match d {
            D::Literal { secs, .. } => *secs,
            D::Step { .. } => self.sh.query_step as f64 / 1000.0,
            D::Range { .. } => (self.sh.query_end - self.sh.query_start) as f64 / 1000.0,
            D::Unary { op, expr, .. } => {
                let v = self.duration_secs(expr)?;
                if *op == U::Neg {
                    -v
                } else {
                    v
                }
            }
            D::Paren { expr, .. } => self.duration_secs(expr)?,
            D::MinOf { lhs, rhs, .. } => self.duration_secs(lhs)?.min(self.duration_secs(rhs)?),
            D::MaxOf { lhs, rhs, .. } => self.duration_secs(lhs)?.max(self.duration_secs(rhs)?),
            D::Binary { op, lhs, rhs, .. } => {
                let (a, b) = (self.duration_secs(lhs)?, self.duration_secs(rhs)?);
                match op {
                    BinaryOp::Add => a + b,
                    BinaryOp::Sub => a - b,
                    BinaryOp::Mul => a * b,
                    BinaryOp::Div if b == 0.0 => return Err(exec_err("division by zero")),
                    BinaryOp::Div => a / b,
                    BinaryOp::Mod if b == 0.0 => return Err(exec_err("modulo by zero")),
                    BinaryOp::Mod => a % b,
                    BinaryOp::Pow => a.powf(b),
                    other => {
                        return Err(exec_err(format!("operator {} not allowed in duration expression", other.as_str())))
                    }
                }
            }
        })
    }

    pub fn check_samples(&self, n: usize) -> Result<(), QueryError> {
        if n > self.sh.opts.max_samples {
            return Err(exec_err("query processing would load too many samples into memory in query execution"));
        }
        Ok(())
    }

    pub(crate) fn eval(&self, expr: &Expr) -> Result<Evaluated, QueryError> {
        if let Some(p) = &self.sh.opts.progress {
            p.entering(expr);
            let r = self.eval_traced(expr);
            p.leaving();
            return r;
        }
        self.eval_traced(expr)
    }

    fn eval_traced(&self, expr: &Expr) -> Result<Evaluated, QueryError> {
        let Some(tracer) = &self.sh.tracer else { return self.eval_node(expr) };
        let id = tracer.borrow_mut().enter(expr);
        let r = self.eval_node(expr);
        tracer.borrow_mut().leave(id, &r);
        r
    }

    fn eval_node(&self, expr: &Expr) -> Result<Evaluated, QueryError> {
        match expr {
            Expr::NumberLiteral(n) => Ok(Evaluated::Scalar(vec![n.value; self.num_steps()])),
            Expr::StringLiteral(s) => Ok(Evaluated::String(s.value.clone())),
            Expr::Paren(p) => self.eval(&p.expr),
            Expr::VectorSelector(sel) => Ok(Evaluated::Vector(self.vector_selector(sel)?)),
            Expr::MatrixSelector(_) | Expr::Subquery(_) => {
                let input = self.range_input(expr)?;
                Ok(Evaluated::Matrix(input.first_window()))
            }
            Expr::Unary(u) => {
                let inner = self.eval(&u.expr)?;
                if u.op == UnaryOp::Pos {
                    return Ok(inner);
                }
                Ok(match inner {
                    Evaluated::Scalar(vs) => Evaluated::Scalar(vs.into_iter().map(|v| -v).collect()),
                    Evaluated::Vector(series) => Evaluated::Vector(
                        series
                            .into_iter()
                            .map(|s| StepSeries {
                                labels: s.labels,
                                points: s.points.into_iter().map(|(t, v)| (t, -v)).collect(),
                                drop_name: true,
                            })
                            .collect(),
                    ),
                    other => other,
                })
            }
            Expr::Binary(b) => self.eval_binary(b),
            Expr::Aggregate(a) => self.eval_aggregate(a),
            Expr::Call(c) => self.eval_call(c),
        }
    }

    pub fn eval_vector(&self, e: &Expr) -> Result<Vec<StepSeries>, QueryError> {
        match self.eval(e)? {
            Evaluated::Vector(v) => Ok(v),
            _ => Err(exec_err(format!("expected an instant vector, got {}", e.value_type().documented()))),
        }
    }

    pub fn eval_scalar(&self, e: &Expr) -> Result<Vec<f64>, QueryError> {
        match self.eval(e)? {
            Evaluated::Scalar(v) => Ok(v),
            _ => Err(exec_err(format!("expected a scalar, got {}", e.value_type().documented()))),
        }
    }

    /// For each step, the samples of `series` at that step: `(series index, value)`.
    pub fn gather(&self, series: &[StepSeries]) -> ByStep {
        let n = self.num_steps();
        // Counted first, so that all steps share one exactly sized buffer instead of one
        // growing vector per step.
        let mut offsets = vec![0usize; n + 1];
        for s in series {
            let mut hint = 0;
            for &(t, _) in &s.points {
                hint = self.step_after(t, hint);
                if let Some(c) = offsets.get_mut(hint + 1) {
                    *c += 1;
                }
            }
        }
        for i in 1..offsets.len() {
            offsets[i] += offsets[i - 1];
        }
        let mut fill: Vec<usize> = offsets[..n].to_vec();
        let mut items = vec![(0u32, 0.0f64); offsets[n]];
        for (i, s) in series.iter().enumerate() {
            let mut hint = 0;
            for &(t, v) in &s.points {
                hint = self.step_after(t, hint);
                if let Some(at) = fill.get_mut(hint) {
                    if let Some(slot) = items.get_mut(*at) {
                        *slot = (i as u32, v);
                    }
                    *at += 1;
                }
            }
        }
        ByStep { offsets, items }
    }

    pub fn collator(&self) -> crate::collator::Collator {
        crate::collator::Collator::new(self.num_steps() == 1)
    }
}

/// Series whose label sets became equal (after a name was dropped) are merged, as long as they
/// never have a value at the same time.
pub(crate) fn merge_same_labelsets(series: Vec<RangeSeries>) -> Result<Vec<RangeSeries>, QueryError> {
    let mut index: FxHashMap<Labels, usize> = FxHashMap::default();
    let mut out: Vec<RangeSeries> = Vec::with_capacity(series.len());
    let mut merged_any = false;
    for s in series {
        if let Some(&i) = index.get(&s.labels) {
            if let Some(o) = out.get_mut(i) {
                o.ts.extend(s.ts);
                o.vs.extend(s.vs);
                merged_any = true;
            }
        } else {
            index.insert(s.labels.clone(), out.len());
            out.push(s);
        }
    }
    if merged_any {
        for s in &mut out {
            let mut pts: Vec<(Timestamp, f64)> = s.ts.iter().copied().zip(s.vs.iter().copied()).collect();
            model::sort::sort_by_key(&mut pts, |p| p.0);
            if pts.windows(2).any(|w| w[0].0 == w[1].0) {
                return Err(exec_err(SAME_LABELSET));
            }
            s.ts = pts.iter().map(|p| p.0).collect();
            s.vs = pts.iter().map(|p| p.1).collect();
            // Only results get merged, and results do not show start timestamps.
            s.st = None;
        }
    }
    Ok(out)
}

pub(crate) fn step_to_range(s: StepSeries) -> RangeSeries {
    let (ts, vs) = s.points.into_iter().unzip();
    RangeSeries { labels: s.labels, ts, vs, st: None, drop_name: s.drop_name }
}

pub(crate) fn range_to_step(s: RangeSeries) -> StepSeries {
    StepSeries { labels: s.labels, points: s.ts.into_iter().zip(s.vs).collect(), drop_name: s.drop_name }
}

/// The end of delayed name removal: drops names where asked, then merges or refuses label sets
/// that became equal.
pub(crate) fn cleanup_names(series: Vec<RangeSeries>) -> Result<Vec<RangeSeries>, QueryError> {
    let series = series
        .into_iter()
        .map(|mut s| {
            if s.drop_name {
                s.labels = drop_metadata(&s.labels);
                s.drop_name = false;
            }
            s
        })
        .collect();
    merge_same_labelsets(series)
}

/// [`cleanup_names`] for a range query's result, sorted by label set as the API returns it.
/// Sorting first puts series whose label sets became equal side by side, so they are merged
/// (or refused) without hashing every label set.
pub(crate) fn cleanup_sorted(mut series: Vec<StepSeries>) -> Result<Vec<StepSeries>, QueryError> {
    for s in &mut series {
        if s.drop_name {
            s.labels = drop_metadata(&s.labels);
            s.drop_name = false;
        }
    }
    // Stable, so that merged points keep their input order among equal times, as before.
    model::sort::sort_by(&mut series, |a, b| a.labels.cmp(&b.labels));
    if !series.windows(2).any(|w| w[0].labels == w[1].labels) {
        return Ok(series);
    }
    let mut out: Vec<StepSeries> = Vec::with_capacity(series.len());
    let mut merged = false;
    for s in series {
        match out.last_mut() {
            Some(last) if last.labels == s.labels => {
                last.points.extend(s.points);
                merged = true;
            }
            _ => {
                if merged {
                    sort_merged(out.last_mut())?;
                    merged = false;
                }
                out.push(s);
            }
        }
    }
    if merged {
        sort_merged(out.last_mut())?;
    }
    Ok(out)
}

/// The points of series merged by [`cleanup_sorted`] in time order; two at one time are the
/// same-labelset error.
fn sort_merged(s: Option<&mut StepSeries>) -> Result<(), QueryError> {
    let Some(s) = s else { return Ok(()) };
    model::sort::sort_by_key(&mut s.points, |p| p.0);
    if s.points.windows(2).any(|w| w[0].0 == w[1].0) {
        return Err(exec_err(SAME_LABELSET));
    }
    Ok(())
}
