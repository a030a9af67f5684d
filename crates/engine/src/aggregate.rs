//! Aggregation operators with `by`/`without`: sum avg count min max group stddev stdvar quantile
//! (Kahan summation, the 3.x overflow-safe mean), topk bottomk limitk limit_ratio (Go's heap
//! order) and count_values, with Prometheus's parameter checks and warnings.

use model::fxhash::FxHashMap;

use model::{format_prom_float, Labels};
use promql::{AggregateExpr, AggregateOp, Expr};

use crate::annotations::{invalid_quantile, invalid_ratio};
use crate::error::QueryError;
use crate::eval::{exec_err, ByStep, Evaluated, Evaluator, Sample, StepSeries};
use crate::gosort::{go_sort, heap_fix, heap_push, labels_hash};
use crate::labelset::{keep_only, with_label, without, Grouper};

/// Neumaier's improvement of Kahan summation, as Prometheus's `kahansum.Inc`.
pub(crate) fn kahan_inc(inc: f64, sum: f64, c: f64) -> (f64, f64) {
    let t = sum + inc;
    let c = if t.is_infinite() {
        0.0
    } else if sum.abs() >= inc.abs() {
        c + ((sum - t) + inc)
    } else {
        c + ((inc - t) + sum)
    };
    (t, c)
}

/// φ-quantile of values with linear interpolation between the closest ranks.
pub(crate) fn quantile(q: f64, values: &mut [f64]) -> f64 {
    if values.is_empty() || q.is_nan() {
        return f64::NAN;
    }
    if q < 0.0 {
        return f64::NEG_INFINITY;
    }
    if q > 1.0 {
        return f64::INFINITY;
    }
    // Go's sort with Prometheus's by-value order (NaN counts as smaller than anything), so
    // that NaN lands where it lands in Prometheus.
    crate::gosort::go_sort(values, |a, b| a.is_nan() || a < b);
    let n = values.len() as f64;
    let rank = q * (n - 1.0);
    let lower = rank.floor().max(0.0);
    let upper = (lower + 1.0).min(n - 1.0);
    let w = rank - rank.floor();
    let at = |i: f64| values.get(i as usize).copied().unwrap_or(f64::NAN);
    at(lower) * (1.0 - w) + at(upper) * w
}

/// A topk/bottomk/limitk candidate: the input series and its value at the step.
#[derive(Clone, Copy)]
struct Cand {
    si: u32,
    v: f64,
}

#[derive(Clone, Default)]
struct Group {
    seen: bool,
    value: f64,
    mean: f64,
    c: f64,
    count: f64,
    incremental: bool,
    values: Vec<f64>,
    drop_name: bool,
}

fn grouping_labels(l: &Labels, grouping: &[String], without_: bool) -> Labels {
    if without_ {
        without(l, grouping)
    } else if grouping.is_empty() {
        Labels::empty()
    } else {
        keep_only(l, grouping)
    }
}

/// NaN-propagating extremes, like Go's `math.Max`/`math.Min` over the per-step parameters.
fn go_max(v: &[f64]) -> f64 {
    v.iter().fold(f64::NEG_INFINITY, |m, &x| if x.is_nan() || m.is_nan() { f64::NAN } else { m.max(x) })
}
fn go_min(v: &[f64]) -> f64 {
    v.iter().fold(f64::INFINITY, |m, &x| if x.is_nan() || m.is_nan() { f64::NAN } else { m.min(x) })
}

impl Evaluator<'_> {
    pub(crate) fn eval_aggregate(&self, a: &AggregateExpr) -> Result<Evaluated, QueryError> {
        let mut grouping = a.grouping.clone();
        model::sort::sort(&mut grouping);
        if a.op == AggregateOp::CountValues {
            return self.count_values(a, grouping).map(Evaluated::Vector);
        }
        let params = match &a.param {
            Some(p) => Some(self.eval_scalar(p)?),
            None => None,
        };
        let input = self.eval_vector(&a.expr)?;
        let mut grouper = Grouper::new(&grouping, !a.without);
        let series_group: Vec<usize> = input.iter().map(|s| grouper.group(&s.labels) as usize).collect();
        let group_labels = grouper.into_keys();
        let steps = self.gather(&input);
        match a.op {
            AggregateOp::Topk | AggregateOp::Bottomk | AggregateOp::Limitk | AggregateOp::LimitRatio => {
                let p = params.unwrap_or_default();
                self.aggregate_k(a, &p, &input, &series_group, group_labels.len(), &steps).map(Evaluated::Vector)
            }
            _ => {
                let q = params.unwrap_or_default();
                if a.op == AggregateOp::Quantile {
                    if q.iter().any(|x| x.is_nan()) {
                        self.sh.warn(invalid_quantile(f64::NAN));
                    }
                    let (mx, mn) = (go_max(&q), go_min(&q));
                    if mx > 1.0 {
                        self.sh.warn(invalid_quantile(mx));
                    }
                    if mn < 0.0 {
                        self.sh.warn(invalid_quantile(mn));
                    }
                }
                Ok(Evaluated::Vector(self.aggregate_simple(a.op, &q, &input, &series_group, group_labels, &steps)))
            }
        }
    }

    fn aggregate_simple(
        &self,
        op: AggregateOp,
        q: &[f64],
        input: &[StepSeries],
        series_group: &[usize],
        group_labels: Vec<Labels>,
        steps: &ByStep,
    ) -> Vec<StepSeries> {
        let mut groups = vec![Group::default(); group_labels.len()];
        let mut out: Vec<StepSeries> = group_labels
            .into_iter()
            .map(|labels| StepSeries { labels, points: Vec::new(), drop_name: false })
            .collect();
        for (step, samples) in steps.iter().enumerate() {
            let t = self.step_time(step);
            for g in &mut groups {
                g.seen = false;
            }
            for &(si, f) in samples {
                let Some(g) = series_group.get(si as usize).and_then(|&gi| groups.get_mut(gi)) else { continue };
                let dn = input.get(si as usize).is_some_and(|s| s.drop_name);
                if !g.seen {
                    *g = Group { seen: true, value: f, mean: f, count: 1.0, drop_name: dn, ..Group::default() };
                    match op {
                        AggregateOp::Stddev | AggregateOp::Stdvar => {
                            g.value = if f.is_nan() || f.is_infinite() { f64::NAN } else { 0.0 };
                        }
                        AggregateOp::Quantile => g.values = vec![f],
                        AggregateOp::Group => g.value = 1.0,
                        _ => {}
                    }
                    continue;
                }
                if dn {
                    g.drop_name = true;
                }
                match op {
                    AggregateOp::Sum => (g.value, g.c) = kahan_inc(f, g.value, g.c),
                    AggregateOp::Avg => {
                        g.count += 1.0;
                        if !g.incremental {
                            let (nv, nc) = kahan_inc(f, g.value, g.c);
                            if !nv.is_infinite() {
                                (g.value, g.c) = (nv, nc);
                                continue;
                            }
                            g.incremental = true;
                            g.mean = g.value / (g.count - 1.0);
                            g.c /= g.count - 1.0;
                        }
                        let qq = (g.count - 1.0) / g.count;
                        (g.mean, g.c) = kahan_inc(f / g.count, qq * g.mean, qq * g.c);
                    }
                    AggregateOp::Max if g.value < f || g.value.is_nan() => g.value = f,
                    AggregateOp::Min if g.value > f || g.value.is_nan() => g.value = f,
                    AggregateOp::Count => g.count += 1.0,
                    AggregateOp::Stddev | AggregateOp::Stdvar => {
                        g.count += 1.0;
                        let delta = f - g.mean;
                        g.mean += delta / g.count;
                        g.value += delta * (f - g.mean);
                    }
                    AggregateOp::Quantile => g.values.push(f),
                    _ => {}
                }
            }
            for (gi, g) in groups.iter_mut().enumerate() {
                if !g.seen {
                    continue;
                }
                let v = match op {
                    AggregateOp::Avg => {
                        if g.incremental {
                            g.mean + g.c
                        } else {
                            g.value / g.count + g.c / g.count
                        }
                    }
                    AggregateOp::Count => g.count,
                    AggregateOp::Stdvar => g.value / g.count,
                    AggregateOp::Stddev => (g.value / g.count).sqrt(),
                    AggregateOp::Quantile => quantile(q.get(step).copied().unwrap_or(f64::NAN), &mut g.values),
                    AggregateOp::Sum => g.value + g.c,
                    _ => g.value,
                };
                if let Some(o) = out.get_mut(gi) {
                    o.points.push((t, v));
                    o.drop_name = g.drop_name;
                }
            }
        }
        out.retain(|s| !s.points.is_empty());
        out
    }

    fn aggregate_k(
        &self,
        a: &AggregateExpr,
        params: &[f64],
        input: &[StepSeries],
        series_group: &[usize],
        ngroups: usize,
        steps: &ByStep,
    ) -> Result<Vec<StepSeries>, QueryError> {
        let (mx, mn) = (go_max(params), go_min(params));
        if a.op == AggregateOp::LimitRatio {
            if mx == 0.0 && mn == 0.0 {
                return Ok(Vec::new());
            }
            if params.iter().any(|x| x.is_nan()) {
                return Err(exec_err("Ratio value is NaN"));
            }
            if mx > 1.0 {
                self.sh.warn(invalid_ratio(mx, 1.0));
            }
            if mn < -1.0 {
                self.sh.warn(invalid_ratio(mn, -1.0));
            }
        } else {
            if mx < 1.0 {
                return Ok(Vec::new());
            }
            if params.iter().any(|x| x.is_nan()) {
                return Err(exec_err("Parameter value is NaN"));
            }
            if mn <= i64::MIN as f64 {
                return Err(exec_err(format!("Scalar value {} underflows int64", crate::annotations::go_g(mn))));
            }
            if mx >= i64::MAX as f64 {
                return Err(exec_err(format!("Scalar value {} overflows int64", crate::annotations::go_g(mx))));
            }
        }
        // topk keeps the smallest kept value on top (NaN counts as smallest), bottomk the largest.
        // Heaps hold `(series index, value)`; labels are cloned only for the kept samples.
        let less_top = |x: &Cand, y: &Cand| x.v.is_nan() || x.v < y.v;
        let less_bottom = |x: &Cand, y: &Cand| x.v.is_nan() || x.v > y.v;
        let mut col = self.collator();
        // One heap per group, emptied at each step and reused, not allocated per step.
        let mut heaps: Vec<Vec<Cand>> = vec![Vec::new(); ngroups];
        for (step, samples) in steps.iter().enumerate() {
            let t = self.step_time(step);
            let p = params.get(step).copied().unwrap_or(f64::NAN);
            let k = (p as i64).min(input.len() as i64);
            let r = p.clamp(-1.0, 1.0);
            if (a.op != AggregateOp::LimitRatio && k < 1) || (a.op == AggregateOp::LimitRatio && p == 0.0) {
                continue;
            }
            let k = k.max(0) as usize;
            for h in &mut heaps {
                h.clear();
            }
            for &(si, f) in samples {
                let Some(s) = input.get(si as usize) else { continue };
                let Some(h) = series_group.get(si as usize).and_then(|&g| heaps.get_mut(g)) else { continue };
                let smp = Cand { si, v: f };
                match a.op {
                    AggregateOp::Topk => {
                        if h.len() < k {
                            heap_push(h, smp, &less_top);
                        } else if let Some(top) = h.first() {
                            if top.v < f || (top.v.is_nan() && !f.is_nan()) {
                                h[0] = smp;
                                if k > 1 {
                                    heap_fix(h, 0, &less_top);
                                }
                            }
                        }
                    }
                    AggregateOp::Bottomk => {
                        if h.len() < k {
                            heap_push(h, smp, &less_bottom);
                        } else if let Some(top) = h.first() {
                            if top.v > f || (top.v.is_nan() && !f.is_nan()) {
                                h[0] = smp;
                                if k > 1 {
                                    heap_fix(h, 0, &less_bottom);
                                }
                            }
                        }
                    }
                    AggregateOp::Limitk => {
                        if h.len() < k {
                            heap_push(h, smp, &less_top);
                        }
                    }
                    _ => {
                        let offset = labels_hash(&s.labels) as f64 / u64::MAX as f64;
                        if (r >= 0.0 && offset < r) || (r < 0.0 && offset >= 1.0 + r) {
                            heap_push(h, smp, &less_top);
                        }
                    }
                }
            }
            // Groups in the order of their first series; a group without a kept sample is empty.
            for h in &mut heaps {
                match a.op {
                    AggregateOp::Topk => go_sort(h, |x, y| less_top(y, x)),
                    AggregateOp::Bottomk => go_sort(h, |x, y| less_bottom(y, x)),
                    _ => {}
                }
                for &c in h.iter() {
                    let Some(s) = input.get(c.si as usize) else { continue };
                    col.push(t, Sample { labels: s.labels.clone(), v: c.v, drop_name: s.drop_name })?;
                }
            }
        }
        Ok(col.finish())
    }

    fn count_values(&self, a: &AggregateExpr, mut grouping: Vec<String>) -> Result<Vec<StepSeries>, QueryError> {
        let Some(Expr::StringLiteral(lit)) = a.param.as_deref().map(unparen) else {
            return Err(exec_err("count_values needs a string parameter"));
        };
        if lit.value.is_empty() || lit.invalid_utf8.is_some() {
            let shown = match &lit.invalid_utf8 {
                Some(b) => promql::go_quote_bytes(b),
                None => model::quote(&lit.value),
            };
            return Err(exec_err(format!("invalid label name {shown}")));
        }
        let label = lit.value.clone();
        if !a.without {
            grouping.push(label.clone());
            model::sort::sort(&mut grouping);
        }
        let input = self.eval_vector(&a.expr)?;
        let steps = self.gather(&input);
        let mut col = self.collator();
        for (step, samples) in steps.iter().enumerate() {
            let t = self.step_time(step);
            let mut index: FxHashMap<Labels, usize> = FxHashMap::default();
            let mut counts: Vec<(Labels, f64)> = Vec::new();
            for &(si, f) in samples {
                let Some(s) = input.get(si as usize) else { continue };
                let metric = with_label(&s.labels, &label, &format_prom_float(f));
                let key = grouping_labels(&metric, &grouping, a.without);
                match index.get(&key) {
                    Some(&i) => {
                        if let Some(c) = counts.get_mut(i) {
                            c.1 += 1.0;
                        }
                    }
                    None => {
                        index.insert(key.clone(), counts.len());
                        counts.push((key, 1.0));
                    }
                }
            }
            for (labels, v) in counts {
                col.push(t, Sample { labels, v, drop_name: false })?;
            }
        }
        Ok(col.finish())
    }
}

pub(crate) fn unparen(e: &Expr) -> &Expr {
    match e {
        Expr::Paren(p) => unparen(&p.expr),
        other => other,
    }
}
