//! PromQL evaluation with Prometheus v3.14 semantics over the in-memory store.
//!
//! Every expression is evaluated over the whole query range at once (an instant query is a
//! range of one step), as Prometheus's engine does, so range queries do not re-select per step.
//! The metric name is removed at the end of the query (delayed name removal), as the test suite
//! assumes.

mod aggregate;
mod annotations;
mod binary;
mod collator;
mod error;
mod eval;
mod functions;
mod gosort;
mod join;
mod labelset;
mod options;
mod progress;
mod selector;
mod trace;
mod value;

use std::cell::RefCell;

pub use error::QueryError;
pub use functions::is_implemented;
pub use options::Options;
pub use progress::{Progress, ProgressHook, ProgressSink};
pub use trace::{node_kind, Trace, TraceNode};
pub use value::{QueryResult, Series, Value, VectorSample};

use model::{Duration, Labels, Sample, Timestamp};
use promql::Expr;

use eval::{cleanup_names, cleanup_sorted, step_to_range, Evaluated, Evaluator, Shared};

/// Evaluates `query` at time `t`, like `/api/v1/query`.
pub fn instant_query(db: &tsdb::Storage, query: &str, t: Timestamp, opts: &Options) -> Result<QueryResult, QueryError> {
    let expr = promql::parse(query)?;
    instant_query_expr(db, &expr, t, opts)
}

/// [`instant_query`] for an already parsed expression.
pub fn instant_query_expr(
    db: &tsdb::Storage,
    expr: &Expr,
    t: Timestamp,
    opts: &Options,
) -> Result<QueryResult, QueryError> {
    run(db, expr, t, t, 0, opts, false).0
}

/// [`instant_query`] that also records what each node of the tree produced.
pub fn instant_query_traced(
    db: &tsdb::Storage,
    query: &str,
    t: Timestamp,
    opts: &Options,
) -> (Result<QueryResult, QueryError>, Trace) {
    match promql::parse(query) {
        Ok(expr) => {
            let (r, tr) = run(db, &expr, t, t, 0, opts, true);
            (r, tr.unwrap_or_default())
        }
        Err(e) => (Err(e.into()), Trace::default()),
    }
}

/// Evaluates `query` at `start, start+step, … <= end`, like `/api/v1/query_range`.
pub fn range_query(
    db: &tsdb::Storage,
    query: &str,
    start: Timestamp,
    end: Timestamp,
    step: Duration,
    opts: &Options,
) -> Result<QueryResult, QueryError> {
    let expr = promql::parse(query)?;
    range_query_expr(db, &expr, start, end, step, opts)
}

/// [`range_query`] for an already parsed expression.
pub fn range_query_expr(
    db: &tsdb::Storage,
    expr: &Expr,
    start: Timestamp,
    end: Timestamp,
    step: Duration,
    opts: &Options,
) -> Result<QueryResult, QueryError> {
    if step <= 0 {
        return Err(QueryError::Execution("zero or negative query resolution step widths are not accepted".into()));
    }
    if end < start {
        return Err(QueryError::Execution("end timestamp must not be before start time".into()));
    }
    // Prometheus checks the type before evaluating anything.
    let kind = expr.value_type();
    if !matches!(kind, promql::ValueType::Scalar | promql::ValueType::Vector) {
        return Err(QueryError::Execution(format!(
            "invalid expression type \"{}\" for range query, must be Scalar or instant Vector",
            kind.documented()
        )));
    }
    let points = (end - start) / step + 1;
    if points as usize > opts.max_points_per_series {
        return Err(QueryError::Execution(
            "exceeded maximum resolution of 11,000 points per timeseries. Try decreasing the query resolution (?step=XX)"
                .into(),
        ));
    }
    run(db, expr, start, end, step, opts, false).0
}

// Out of line, so that a profiler can measure queries alone, without the data loading around
// them: `valgrind --tool=callgrind --toggle-collect=engine::run …`.
#[inline(never)]
fn run(
    db: &tsdb::Storage,
    expr: &Expr,
    start: Timestamp,
    end: Timestamp,
    step: i64,
    opts: &Options,
    traced: bool,
) -> (Result<QueryResult, QueryError>, Option<Trace>) {
    let sh = Shared {
        db,
        opts,
        query_start: start,
        query_end: end,
        query_step: step,
        notes: RefCell::new(annotations::Notes::default()),
        tracer: traced.then(|| RefCell::new(trace::Tracer::default())),
    };
    let ev = Evaluator { sh: &sh, start, end, interval: if step > 0 { step } else { 1 } };
    let value = ev.eval(expr).and_then(|v| finish(&ev, v, step > 0));
    let notes = sh.notes.borrow().clone();
    let trace = sh.tracer.map(|t| t.into_inner().trace);
    (value.map(|value| QueryResult { value, warnings: notes.warnings, infos: notes.infos }), trace)
}

/// Turns the evaluated value into the API's value type, finishing delayed name removal.
fn finish(ev: &Evaluator, v: Evaluated, range: bool) -> Result<Value, QueryError> {
    let to_samples = |ts: Vec<i64>, vs: Vec<f64>| ts.into_iter().zip(vs).map(|(t, v)| Sample { t, v }).collect();
    Ok(match v {
        Evaluated::Scalar(vs) if range => Value::Matrix(vec![Series {
            labels: Labels::empty(),
            samples: ev.steps().zip(vs).map(|(t, v)| Sample { t, v }).collect(),
        }]),
        Evaluated::Scalar(vs) => Value::Scalar(vs.first().copied().unwrap_or(f64::NAN)),
        Evaluated::String(s) => Value::String(s),
        Evaluated::Vector(series) if range => Value::Matrix(
            cleanup_sorted(series)?
                .into_iter()
                .map(|s| Series {
                    labels: s.labels,
                    samples: s.points.into_iter().map(|(t, v)| Sample { t, v }).collect(),
                })
                .collect(),
        ),
        Evaluated::Vector(series) => {
            let cleaned = cleanup_names(series.into_iter().map(step_to_range).collect())?;
            Value::Vector(
                cleaned
                    .into_iter()
                    .filter_map(|s| Some(VectorSample { t: *s.ts.first()?, v: *s.vs.first()?, labels: s.labels }))
                    .collect(),
            )
        }
        Evaluated::Matrix(m) => Value::Matrix(
            cleanup_names(m)?
                .into_iter()
                .map(|s| Series { labels: s.labels, samples: to_samples(s.ts, s.vs) })
                .collect(),
        ),
    })
}
