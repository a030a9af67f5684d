//! Function calls: dispatch from the name in `promql::functions()` to an implementation, the
//! per-step driver for instant-vector functions and the per-window driver for range functions.

mod histogram;
mod info;
mod labels;
mod math;
mod over_time;
mod rate;
mod start_ts;

use std::cell::RefCell;

use model::{Labels, Timestamp};
use promql::{Call, Expr};

use crate::aggregate::unparen;
use crate::annotations::possible_non_counter;
use crate::error::QueryError;
use crate::eval::{exec_err, ByStep, Evaluated, Evaluator, Sample, Shared, StepSeries};
use crate::selector::{for_each_window, reachable_steps, Pick};

/// One series' window at one step, as a range function sees it.
pub(crate) struct Win<'a> {
    pub ts: &'a [Timestamp],
    pub vs: &'a [f64],
    /// Start timestamps aligned with `ts` (0 = unknown), when the range selector has them.
    pub st: Option<&'a [Timestamp]>,
    /// The series' labels, for annotations naming the metric.
    pub labels: &'a Labels,
    /// The step's evaluation time.
    pub t: Timestamp,
    pub range_start: Timestamp,
    pub range_end: Timestamp,
    pub range_ms: i64,
    /// The scalar arguments at this step, in order.
    pub params: &'a [f64],
    pub anchored: bool,
    pub smoothed: bool,
    /// True when no value of the whole series is below its predecessor, so no window has a
    /// counter reset to look for (checked once per series, not once per window).
    pub never_drops: bool,
    /// The extrapolation of the series' previous window, reused when this one has its shape.
    pub memo: &'a std::cell::Cell<Option<rate::ShapeFactor>>,
    pub sh: &'a Shared<'a>,
    pub err: &'a RefCell<Option<String>>,
}

impl Win<'_> {
    fn fail(&self, m: String) {
        self.err.borrow_mut().get_or_insert(m);
    }
}

type RangeFn = fn(&Win) -> Option<f64>;

fn range_fn(name: &str) -> Option<RangeFn> {
    use over_time as o;
    Some(match name {
        "rate" => rate::rate,
        "increase" => rate::increase,
        "delta" => rate::delta,
        "irate" => rate::irate,
        "idelta" => rate::idelta,
        "resets" => rate::resets,
        "changes" => rate::changes,
        "avg_over_time" => o::avg,
        "sum_over_time" => o::sum,
        "count_over_time" => o::count,
        "min_over_time" => o::min,
        "max_over_time" => o::max,
        "first_over_time" => o::first,
        "last_over_time" => o::last,
        "ts_of_first_over_time" => o::ts_of_first,
        "ts_of_last_over_time" => o::ts_of_last,
        "ts_of_min_over_time" => o::ts_of_min,
        "ts_of_max_over_time" => o::ts_of_max,
        "present_over_time" => o::present,
        "absent_over_time" => o::present,
        "quantile_over_time" => o::quantile_over,
        "mad_over_time" => o::mad,
        "stddev_over_time" => o::stddev,
        "stdvar_over_time" => o::stdvar,
        "deriv" => o::deriv,
        "predict_linear" => o::predict_linear,
        "double_exponential_smoothing" => o::double_exponential_smoothing,
        _ => return None,
    })
}

/// Functions handled by name in `eval_call` rather than through a table.
const SPECIAL: &[&str] = &[
    "absent",
    "clamp",
    "clamp_max",
    "clamp_min",
    "end",
    "histogram_avg",
    "histogram_count",
    "histogram_fraction",
    "histogram_quantile",
    "histogram_quantiles",
    "histogram_stddev",
    "histogram_stdvar",
    "histogram_sum",
    "info",
    "label_join",
    "label_replace",
    "max_of",
    "min_of",
    "pi",
    "range",
    "round",
    "scalar",
    "sort",
    "sort_by_label",
    "sort_by_label_desc",
    "sort_desc",
    "start",
    "start_timestamp",
    "step",
    "time",
    "timestamp",
    "vector",
];

/// True when the engine implements `name` (every name in `promql::functions()` must be).
pub fn is_implemented(name: &str) -> bool {
    range_fn(name).is_some()
        || math::simple(name).is_some()
        || math::DATE_FUNCS.contains(&name)
        || SPECIAL.contains(&name)
}

const ANCHORED_OK: &[&str] = &["changes", "delta", "increase", "rate", "resets"];
const SMOOTHED_OK: &[&str] = &["delta", "increase", "rate"];

/// An argument evaluated for the per-step driver.
enum Arg {
    Scalar(Vec<f64>),
    Vector(Vec<StepSeries>, ByStep),
    Str(String),
}

impl Evaluator<'_> {
    pub(crate) fn eval_call(&self, c: &Call) -> Result<Evaluated, QueryError> {
        let name = c.func.name;
        match name {
            "label_replace" => return self.label_replace(c),
            "label_join" => return self.label_join(c),
            "info" => return self.info(c),
            "timestamp" => {
                if let Some(Expr::VectorSelector(sel)) = c.args.first().map(unparen) {
                    return Ok(Evaluated::Vector(self.select_vector(sel, Pick::Timestamp)?));
                }
            }
            "start_timestamp" => {
                // Only a selector reading stored samples knows their start timestamps; on any
                // other expression, or with start timestamps off, the result is empty.
                if let Some(Expr::VectorSelector(sel)) = c.args.first().map(unparen) {
                    if self.sh.opts.use_start_timestamps {
                        return Ok(Evaluated::Vector(self.select_vector(sel, Pick::StartTimestamp)?));
                    }
                }
            }
            _ => {}
        }
        // The extrapolating functions run on most dashboards: their window function is
        // inlined into the window loop instead of called through a pointer per window.
        match name {
            "rate" => return self.eval_range_fn(c, name, |w: &Win| rate::extrapolated(w, true, true)),
            "increase" => return self.eval_range_fn(c, name, |w: &Win| rate::extrapolated(w, true, false)),
            "delta" => return self.eval_range_fn(c, name, |w: &Win| rate::extrapolated(w, false, false)),
            _ => {}
        }
        if let Some(f) = range_fn(name) {
            return self.eval_range_fn(c, name, f);
        }
        let s = |f: &dyn Fn(Timestamp) -> f64| Ok(Evaluated::Scalar(self.steps().map(f).collect()));
        match name {
            "time" => return s(&|t| t as f64 / 1000.0),
            "pi" => return s(&|_| std::f64::consts::PI),
            "start" => return s(&|_| self.sh.query_start as f64 / 1000.0),
            "end" => return s(&|_| self.sh.query_end as f64 / 1000.0),
            "range" => return s(&|_| (self.sh.query_end - self.sh.query_start) as f64 / 1000.0),
            "step" => return s(&|_| self.sh.query_step as f64 / 1000.0),
            _ => {}
        }
        let mut args = Vec::with_capacity(c.args.len());
        for a in &c.args {
            args.push(match self.eval(a)? {
                Evaluated::Scalar(v) => Arg::Scalar(v),
                Evaluated::String(s) => Arg::Str(s),
                Evaluated::Vector(v) => {
                    let g = self.gather(&v);
                    Arg::Vector(v, g)
                }
                Evaluated::Matrix(_) => return Err(exec_err(format!("unexpected range vector argument to {name}"))),
            });
        }
        let scalar_at = |i: usize, step: usize| match args.get(i) {
            Some(Arg::Scalar(v)) => v.get(step).copied().unwrap_or(f64::NAN),
            _ => f64::NAN,
        };
        let vector_at = |i: usize, step: usize| -> Vec<Sample> {
            match args.get(i) {
                Some(Arg::Vector(series, g)) => g
                    .at(step)
                    .iter()
                    .filter_map(|&(si, v)| {
                        series.get(si as usize).map(|s| Sample { labels: s.labels.clone(), v, drop_name: s.drop_name })
                    })
                    .collect(),
                _ => Vec::new(),
            }
        };
        match name {
            "min_of" | "max_of" => {
                let v = (0..self.num_steps())
                    .map(|i| {
                        let (a, b) = (scalar_at(0, i), scalar_at(1, i));
                        if name == "min_of" {
                            go_min(a, b)
                        } else {
                            go_max(a, b)
                        }
                    })
                    .collect();
                return Ok(Evaluated::Scalar(v));
            }
            "scalar" => {
                let v = (0..self.num_steps())
                    .map(|i| {
                        let vs = vector_at(0, i);
                        if vs.len() == 1 {
                            vs[0].v
                        } else {
                            f64::NAN
                        }
                    })
                    .collect();
                return Ok(Evaluated::Scalar(v));
            }
            _ => {}
        }
        let strings: Vec<String> =
            args.iter().filter_map(|a| if let Arg::Str(s) = a { Some(s.clone()) } else { None }).collect();
        if (name == "sort" || name == "sort_desc" || name.starts_with("sort_by_label")) && self.sh.query_step > 0 {
            self.sh.warn(crate::annotations::SORT_INEFFECTIVE.to_string());
        }
        let mut col = self.collator();
        for step in 0..self.num_steps() {
            let t = self.step_time(step);
            let out: Vec<Sample> = if let Some(f) = math::simple(name) {
                vector_at(0, step).into_iter().map(|s| Sample { v: f(s.v), drop_name: true, ..s }).collect()
            } else if math::DATE_FUNCS.contains(&name) {
                if c.args.is_empty() {
                    vec![Sample {
                        labels: Labels::empty(),
                        v: math::date_part(name, (t / 1000) as f64),
                        drop_name: false,
                    }]
                } else {
                    vector_at(0, step)
                        .into_iter()
                        .map(|s| Sample { v: math::date_part(name, s.v), drop_name: true, ..s })
                        .collect()
                }
            } else {
                match name {
                    "clamp" | "clamp_min" | "clamp_max" => {
                        let (lo, hi) = match name {
                            "clamp" => (scalar_at(1, step), scalar_at(2, step)),
                            "clamp_min" => (scalar_at(1, step), f64::INFINITY),
                            _ => (f64::NEG_INFINITY, scalar_at(1, step)),
                        };
                        if hi < lo {
                            Vec::new()
                        } else {
                            vector_at(0, step)
                                .into_iter()
                                .map(|s| Sample { v: go_max(lo, go_min(hi, s.v)), drop_name: true, ..s })
                                .collect()
                        }
                    }
                    "round" => {
                        let to = if c.args.len() >= 2 { scalar_at(1, step) } else { 1.0 };
                        let inv = 1.0 / to;
                        vector_at(0, step)
                            .into_iter()
                            .map(|s| Sample { v: (s.v * inv + 0.5).floor() / inv, drop_name: true, ..s })
                            .collect()
                    }
                    "timestamp" => vector_at(0, step)
                        .into_iter()
                        .map(|s| Sample { v: t as f64 / 1000.0, drop_name: true, ..s })
                        .collect(),
                    "vector" => vec![Sample { labels: Labels::empty(), v: scalar_at(0, step), drop_name: false }],
                    "absent" => {
                        if vector_at(0, step).is_empty() {
                            let labels = c.args.first().map(labels::absent_labels).unwrap_or_default();
                            vec![Sample { labels, v: 1.0, drop_name: false }]
                        } else {
                            Vec::new()
                        }
                    }
                    "sort" | "sort_desc" | "sort_by_label" | "sort_by_label_desc" => {
                        labels::sort_samples(name, vector_at(0, step), &strings)
                    }
                    "histogram_quantile" => {
                        histogram::histogram_quantile(self.sh, scalar_at(0, step), &vector_at(1, step))
                    }
                    "histogram_fraction" => histogram::histogram_fraction(
                        self.sh,
                        scalar_at(0, step),
                        scalar_at(1, step),
                        &vector_at(2, step),
                    ),
                    "histogram_quantiles" => {
                        let qs: Vec<f64> = (2..c.args.len()).map(|i| scalar_at(i, step)).collect();
                        let label = strings.first().cloned().unwrap_or_default();
                        histogram::histogram_quantiles(self.sh, &label, &qs, &vector_at(0, step))
                    }
                    // Native-histogram functions ignore float samples; `start_timestamp` of an
                    // expression has no start timestamps to report.
                    _ => Vec::new(),
                }
            };
            for smp in out {
                col.push(t, smp)?;
            }
        }
        Ok(Evaluated::Vector(col.finish()))
    }

    fn eval_range_fn(&self, c: &Call, name: &str, f: impl Fn(&Win) -> Option<f64>) -> Result<Evaluated, QueryError> {
        let midx = c
            .args
            .iter()
            .position(|a| matches!(unparen(a), Expr::MatrixSelector(_) | Expr::Subquery(_)))
            .ok_or_else(|| exec_err(format!("{name} needs a range vector argument")))?;
        let mut scalars: Vec<Vec<f64>> = Vec::new();
        for (i, a) in c.args.iter().enumerate() {
            if i != midx {
                scalars.push(self.eval_scalar(a)?);
            }
        }
        let input = self.range_input(c.args.get(midx).ok_or_else(|| exec_err("missing argument"))?)?;
        if input.anchored && !ANCHORED_OK.contains(&name) {
            return Err(exec_err(format!(
                "anchored modifier can only be used with: {} - not with {name}",
                ANCHORED_OK.join(", ")
            )));
        }
        if input.smoothed && !SMOOTHED_OK.contains(&name) {
            return Err(exec_err(format!(
                "smoothed modifier can only be used with: {} - not with {name}",
                SMOOTHED_OK.join(", ")
            )));
        }
        let lookback = self.sh.opts.lookback_delta;
        let (before, after) = if input.anchored {
            (input.range + lookback, 0)
        } else if input.smoothed {
            (input.range + lookback, lookback)
        } else {
            (input.range, 0)
        };
        let drop_name = name != "last_over_time" && name != "first_over_time";
        let err = RefCell::new(None);
        let mut params = vec![0.0; scalars.len()];
        let mut out = Vec::with_capacity(input.series.len());
        let absent = name == "absent_over_time";
        let mut covered = vec![false; if absent { self.num_steps() } else { 0 }];
        // max/min_over_time slide a deque along each series when the windows only move forward.
        let counter_fn = name == "rate" || name == "increase";
        // rate/increase/delta of series without start timestamps get a loop of their own that
        // hands the window's samples straight to the extrapolation (no `Win` per step).
        let plain = match name {
            "rate" => Some((true, true)),
            "increase" => Some((true, false)),
            "delta" => Some((false, false)),
            _ => None,
        }
        .filter(|_| !input.anchored && !input.smoothed)
        .map(|(counter, is_rate)| rate::Plain {
            range_start: 0,
            range_end: 0,
            range_ms: input.range,
            counter,
            is_rate,
        });
        let increasing = input.refs.windows(2).all(|w| w[0] <= w[1]);
        let sliding = (name == "max_over_time" || name == "min_over_time") && scalars.is_empty() && increasing;
        // The last metric name checked for the non-counter info, so that the message is not
        // formatted again for every series of the same metric.
        let mut checked_name: Option<&str> = None;
        let mut deque = std::collections::VecDeque::new();
        let progress = self.sh.opts.progress.as_ref();
        let steps = input.refs.len();
        let total = input.series.len() * steps;
        for (i, s) in input.series.iter().enumerate() {
            if let Some(p) = progress {
                p.windows(i * steps, total);
            }
            let clean = s.clean(counter_fn);
            let (ts, vs, st, labels) = (&*clean.ts, &*clean.vs, clean.st.as_deref(), s.labels());
            // One allocation instead of repeated growth, sized by the steps whose windows can
            // reach the series' first to last sample (a subquery's steps often start long before).
            let mut points =
                Vec::with_capacity(reachable_steps(&input.refs, increasing, ts, before, after).min(ts.len()));
            if sliding {
                over_time::sliding_extreme(
                    ts,
                    vs,
                    &input.refs,
                    before,
                    after,
                    name == "max_over_time",
                    &mut deque,
                    |step, v| {
                        points.push((self.step_time(step), v));
                    },
                );
                if !points.is_empty() {
                    out.push(StepSeries { labels: labels.clone(), points, drop_name });
                }
                continue;
            }
            let never_drops = counter_fn && !clean.drops;
            let memo = std::cell::Cell::new(None);
            if let (Some(p), None) = (plain, st) {
                let mut memo = None;
                for_each_window(ts, &input.refs, before, after, |step, lo, hi| {
                    let rt = input.refs.get(step).copied().unwrap_or_default();
                    let p = rate::Plain { range_start: rt - input.range, range_end: rt, ..p };
                    let (wts, wvs) = (ts.get(lo..hi).unwrap_or(&[]), vs.get(lo..hi).unwrap_or(&[]));
                    if let Some(v) = p.eval(wts, wvs, never_drops, &mut memo) {
                        points.push((self.step_time(step), v));
                    }
                });
            } else {
                for_each_window(ts, &input.refs, before, after, |step, lo, hi| {
                    // The general path holds the expensive functions (quantiles over long
                    // windows): report within a series too, every 64 windows.
                    if let Some(p) = progress.filter(|_| step % 64 == 63) {
                        p.windows(i * steps + step, total);
                    }
                    if lo >= hi {
                        return;
                    }
                    for (p, sv) in params.iter_mut().zip(&scalars) {
                        *p = sv.get(step).copied().unwrap_or(f64::NAN);
                    }
                    let rt = input.refs.get(step).copied().unwrap_or_default();
                    let w = Win {
                        ts: &ts[lo..hi],
                        vs: &vs[lo..hi],
                        st: st.and_then(|st| st.get(lo..hi)),
                        labels,
                        t: self.step_time(step),
                        range_start: rt - input.range,
                        range_end: rt,
                        range_ms: input.range,
                        params: &params,
                        anchored: input.anchored,
                        smoothed: input.smoothed,
                        never_drops,
                        memo: &memo,
                        sh: self.sh,
                        err: &err,
                    };
                    if let Some(v) = f(&w) {
                        points.push((self.step_time(step), v));
                        if absent {
                            if let Some(cv) = covered.get_mut(step) {
                                *cv = true;
                            }
                        }
                    }
                });
            }
            if let Some(m) = err.borrow_mut().take() {
                return Err(exec_err(m));
            }
            if counter_fn && !points.is_empty() {
                // A selector with `__name__="…"` names every series: no label lookup per series.
                let metric = input.metric_name.as_deref().or_else(|| labels.metric_name());
                if let Some(metric) = metric.filter(|m| checked_name != Some(*m)) {
                    if !["_total", "_sum", "_count", "_bucket"].iter().any(|x| metric.ends_with(x)) {
                        self.sh.info(possible_non_counter(metric));
                    }
                    checked_name = Some(metric);
                }
            }
            if !points.is_empty() && !absent {
                out.push(StepSeries { labels: labels.clone(), points, drop_name });
            }
        }
        if absent {
            let points: Vec<(Timestamp, f64)> =
                (0..self.num_steps()).filter(|&i| !covered[i]).map(|i| (self.step_time(i), 1.0)).collect();
            if points.is_empty() {
                return Ok(Evaluated::Vector(Vec::new()));
            }
            let labels = c.args.first().map(labels::absent_labels).unwrap_or_default();
            return Ok(Evaluated::Vector(vec![StepSeries { labels, points, drop_name: true }]));
        }
        Ok(Evaluated::Vector(out))
    }
}

/// Go's `math.Max`/`math.Min`: NaN wins.
fn go_max(a: f64, b: f64) -> f64 {
    if a.is_nan() || b.is_nan() {
        f64::NAN
    } else {
        a.max(b)
    }
}
fn go_min(a: f64, b: f64) -> f64 {
    if a.is_nan() || b.is_nan() {
        f64::NAN
    } else {
        a.min(b)
    }
}
