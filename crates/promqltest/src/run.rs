//! Runs a parsed file against a fresh store (PROMQLTEST_FORMAT.md section 7): the main query,
//! the `@`-pinned variants and the range-mode cross-check of instant evals, and range evals.

use std::panic::{catch_unwind, AssertUnwindSafe};

use engine::{Options, QueryResult, Value, VectorSample};
use model::Timestamp;
use promql::Expr;

use crate::annotations::{check_annotations, check_failure};
use crate::atmod::{calls_time_dependent, pin_at, variant_times};
use crate::classify::{needs_histograms, Classification};
use crate::compare::{check_sorted, compare, Grid};
use crate::load::{apply_load, State};
use crate::parse::parse_script;
use crate::script::{Command, Eval, EvalKind};
use crate::{EvalResult, Status};

/// How every skip's reason starts: native histograms are the only reason to skip an eval.
pub const NATIVE_SKIP: &str = "needs native histograms";

/// Runs every eval of one file. `file` names the file in the results (and in `cls`).
pub fn run_file(file: &str, text: &str, cls: &Classification) -> Vec<EvalResult> {
    let result =
        |line: usize, status: Status, error: Option<String>| EvalResult { file: file.to_string(), line, status, error };
    let script = match parse_script(text) {
        Ok(s) => s,
        Err(e) => return vec![result(e.line, Status::Fail, Some(format!("file does not parse: {}", e.message)))],
    };
    let mut state = State::default();
    let mut load_failure: Option<String> = None;
    let mut out = Vec::new();
    for cmd in &script.commands {
        match cmd {
            Command::Clear { .. } => state.clear(),
            Command::Load(load) => {
                if load_failure.is_none() {
                    if let Err(e) = apply_load(&mut state, load) {
                        load_failure = Some(format!("not run: the load at line {} failed: {e}", load.line));
                    }
                }
            }
            Command::Eval(eval) => {
                // The table is the suite's declared policy; the runner's own reading of the
                // eval covers other files and the evals the (approximate) table misses.
                let native = if cls.is_native(file, eval.line) == Some(true) {
                    Some(format!("{NATIVE_SKIP} (the suite's classification table)"))
                } else {
                    needs_histograms(eval, &state).map(|why| format!("{NATIVE_SKIP}: {why}"))
                };
                if let Some(why) = native {
                    out.push(result(eval.line, Status::Skip, Some(why)));
                } else if let Some(e) = &load_failure {
                    out.push(result(eval.line, Status::Fail, Some(e.clone())));
                } else {
                    // The engine is young: a panic in it is this eval's failure, not the run's end.
                    let outcome = catch_unwind(AssertUnwindSafe(|| run_eval(&state, eval)))
                        .unwrap_or_else(|p| Err(format!("engine panicked: {}", panic_text(p.as_ref()))));
                    out.push(match outcome {
                        Ok(()) => result(eval.line, Status::Pass, None),
                        Err(e) => result(eval.line, Status::Fail, Some(e)),
                    });
                }
            }
        }
    }
    out
}

fn panic_text(p: &(dyn std::any::Any + Send)) -> String {
    p.downcast_ref::<&str>().map(|s| s.to_string()).or_else(|| p.downcast_ref::<String>().cloned()).unwrap_or_default()
}

fn secs(t: Timestamp) -> String {
    format!("{:.3}s", t as f64 / 1000.0)
}

/// Runs one eval and all its extra checks; the first problem is the error.
pub fn run_eval(state: &State, eval: &Eval) -> Result<(), String> {
    let opts = suite_options();
    match eval.kind {
        EvalKind::Range { start, end, step } => {
            let res = engine::range_query_expr(&state.storage, &eval.expr, start, end, step, &opts);
            check_outcome(eval, res.map_err(|e| e.to_string()), Grid { start, end, step }).map(|_| ())
        }
        EvalKind::Instant { .. } => {
            let t = eval.instant_time().unwrap_or(0);
            let grid = match eval.expect.range_vector {
                Some((start, end, step)) => Grid { start, end, step },
                None => Grid { start: t, end: t, step: 0 },
            };
            run_instant(state, eval, &eval.expr, &eval.expr_text, t, grid, &opts)?;
            if !calls_time_dependent(&eval.expr) {
                let pinned = pin_at(&eval.expr, t);
                let text = pinned.to_string();
                for vt in variant_times(t) {
                    run_instant(state, eval, &pinned, &text, vt, grid, &opts)
                        .map_err(|e| format!("@ variant `{text}` evaluated at {}: {e}", secs(vt)))?;
                }
            }
            Ok(())
        }
    }
}

/// Error, annotation and value checks of one query; the value is returned when it succeeded.
fn check_outcome(eval: &Eval, res: Result<QueryResult, String>, grid: Grid) -> Result<Option<Value>, String> {
    let res = match res {
        Err(e) => return check_failure(&eval.expect, &e).map(|_| None),
        Ok(r) => r,
    };
    if eval.expect.fail.is_some() {
        return Err("expected an error but the query succeeded".to_string());
    }
    check_annotations(&eval.expect, &res.warnings, &res.infos)?;
    compare(&eval.expect, grid, &res.value)?;
    Ok(Some(res.value))
}

/// The engine configuration the files assume (PROMQLTEST_FORMAT.md section 11).
fn suite_options() -> Options {
    Options { lookback_delta: 5 * 60_000, default_subquery_step: 60_000, use_start_timestamps: true, ..Options::default() }
}

/// One instant query (the main run or an `@` variant, `query` being its printed form) and its
/// range-mode cross-check.
fn run_instant(
    state: &State,
    eval: &Eval,
    expr: &Expr,
    query: &str,
    t: Timestamp,
    grid: Grid,
    opts: &Options,
) -> Result<(), String> {
    let res = engine::instant_query_expr(&state.storage, expr, t, opts).map_err(|e| e.to_string());
    let Some(value) = check_outcome(eval, res, grid)? else { return Ok(()) };
    let exp = &eval.expect;
    let uses_query_range = ["start()", "end()", "range()", "step()"].iter().any(|f| query.contains(f));
    if exp.range_vector.is_some() || exp.string.is_some() || uses_query_range {
        return Ok(());
    }
    let rr = engine::range_query_expr(&state.storage, expr, t - 60_000, t + 60_000, 60_000, opts)
        .map_err(|e| format!("range mode: unexpected error: {e}"))?;
    if exp.ordered {
        // Range results are sorted by labels, so an order cannot be checked here.
        return Ok(());
    }
    let Value::Matrix(matrix) = rr.value else {
        return Err(format!("range mode: expected a matrix but got {}", rr.value.type_name()));
    };
    check_sorted(matrix.iter().map(|s| &s.labels)).map_err(|e| format!("range mode: {e}"))?;
    let at_t: Vec<VectorSample> = matrix
        .iter()
        .filter_map(|s| {
            s.samples.iter().find(|p| p.t == t).map(|p| VectorSample { labels: s.labels.clone(), t, v: p.v })
        })
        .collect();
    let value = if matches!(value, Value::Scalar(_)) {
        match at_t.first() {
            Some(s) => Value::Scalar(s.v),
            None => return Err(format!("range mode: no point at {}", secs(t))),
        }
    } else {
        Value::Vector(at_t)
    };
    compare(exp, grid, &value).map_err(|e| format!("range mode: {e}"))
}
