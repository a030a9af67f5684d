//! Binary operators: scalar/scalar, vector/scalar and vector/vector with `on`/`ignoring`,
//! `group_left`/`group_right`, `bool`, `fill*` and the set operators, with Prometheus's
//! matching errors and its rules for which results keep the metric name.

use std::collections::HashMap;

use model::Labels;
use promql::{BinaryExpr, BinaryOp, Card, VectorMatching};

use crate::error::QueryError;
use crate::eval::{exec_err, Evaluated, Evaluator, Sample, StepSeries};
use crate::labelset::{drop_metadata, go_string, keep_only, match_labels};

/// Arithmetic changes what the value means, so the name (and type/unit) must go.
fn changes_schema(op: BinaryOp) -> bool {
    matches!(
        op,
        BinaryOp::Add | BinaryOp::Sub | BinaryOp::Mul | BinaryOp::Div | BinaryOp::Pow | BinaryOp::Mod | BinaryOp::Atan2
    )
}

/// Go's `math.Mod`: the result has the sign of the dividend (Rust's `%` on f64 agrees).
fn go_mod(a: f64, b: f64) -> f64 {
    a % b
}

/// `(value, keep)` for two floats; comparisons keep the left value when true.
pub(crate) fn float_op(op: BinaryOp, l: f64, r: f64) -> (f64, bool) {
    match op {
        BinaryOp::Add => (l + r, true),
        BinaryOp::Sub => (l - r, true),
        BinaryOp::Mul => (l * r, true),
        BinaryOp::Div => (l / r, true),
        BinaryOp::Pow => (l.powf(r), true),
        BinaryOp::Mod => (go_mod(l, r), true),
        BinaryOp::Atan2 => (l.atan2(r), true),
        BinaryOp::Eql => (l, l == r),
        BinaryOp::Neq => (l, l != r),
        BinaryOp::Gtr => (l, l > r),
        BinaryOp::Lss => (l, l < r),
        BinaryOp::Gte => (l, l >= r),
        BinaryOp::Lte => (l, l <= r),
        // Trims apply to histograms only; set operators never reach here.
        _ => (0.0, false),
    }
}

fn scalar_op(op: BinaryOp, l: f64, r: f64) -> f64 {
    let (v, keep) = float_op(op, l, r);
    if op.is_comparison() {
        if keep {
            1.0
        } else {
            0.0
        }
    } else {
        v
    }
}

fn default_matching(op: BinaryOp) -> VectorMatching {
    VectorMatching {
        card: if op.is_set() { Card::ManyToMany } else { Card::OneToOne },
        on: false,
        labels: Vec::new(),
        include: Vec::new(),
    }
}

impl Evaluator<'_> {
    pub(crate) fn eval_binary(&self, b: &BinaryExpr) -> Result<Evaluated, QueryError> {
        let (lt, rt) = (b.lhs.value_type(), b.rhs.value_type());
        let lhs = self.eval(&b.lhs)?;
        let rhs = self.eval(&b.rhs)?;
        match (lhs, rhs) {
            (Evaluated::Scalar(l), Evaluated::Scalar(r)) => {
                Ok(Evaluated::Scalar(l.iter().zip(&r).map(|(&a, &c)| scalar_op(b.op, a, c)).collect()))
            }
            (Evaluated::Vector(v), Evaluated::Scalar(s)) => Ok(Evaluated::Vector(self.vector_scalar(b, v, &s, false)?)),
            (Evaluated::Scalar(s), Evaluated::Vector(v)) => Ok(Evaluated::Vector(self.vector_scalar(b, v, &s, true)?)),
            (Evaluated::Vector(l), Evaluated::Vector(r)) => {
                let matching = b.matching.clone().unwrap_or_else(|| default_matching(b.op));
                Ok(Evaluated::Vector(self.vector_vector(b, &matching, l, r)?))
            }
            _ => Err(exec_err(format!(
                "binary operator {} is not defined between {} and {}",
                b.op.as_str(),
                lt.documented(),
                rt.documented()
            ))),
        }
    }

    /// Vector/scalar: each sample against the step's scalar. Filtering comparisons keep the
    /// vector's value even when the vector is on the right.
    fn vector_scalar(
        &self,
        b: &BinaryExpr,
        series: Vec<StepSeries>,
        scalar: &[f64],
        swap: bool,
    ) -> Result<Vec<StepSeries>, QueryError> {
        let mut out = Vec::with_capacity(series.len());
        for s in series {
            let drop = s.drop_name || changes_schema(b.op) || b.return_bool;
            let mut points = Vec::with_capacity(s.points.len());
            for (t, v) in s.points {
                let sv = scalar.get(self.step_index(t)).copied().unwrap_or(f64::NAN);
                let (l, r) = if swap { (sv, v) } else { (v, sv) };
                let (mut val, mut keep) = float_op(b.op, l, r);
                if b.op.is_comparison() && swap {
                    val = v;
                }
                if b.return_bool {
                    val = if keep { 1.0 } else { 0.0 };
                    keep = true;
                }
                if keep {
                    points.push((t, val));
                }
            }
            if !points.is_empty() {
                out.push(StepSeries { labels: s.labels, points, drop_name: drop });
            }
        }
        Ok(out)
    }

    fn vector_vector(
        &self,
        b: &BinaryExpr,
        m: &VectorMatching,
        lhs: Vec<StepSeries>,
        rhs: Vec<StepSeries>,
    ) -> Result<Vec<StepSeries>, QueryError> {
        // Join signatures, computed once per series, as small integers.
        let mut sig_ids: HashMap<Labels, u32> = HashMap::new();
        let mut sig = |l: &Labels| -> u32 {
            let key = match_labels(l, m.on, &m.labels);
            let next = sig_ids.len() as u32;
            *sig_ids.entry(key).or_insert(next)
        };
        let lsig: Vec<u32> = lhs.iter().map(|s| sig(&s.labels)).collect();
        let rsig: Vec<u32> = rhs.iter().map(|s| sig(&s.labels)).collect();
        let nsigs = sig_ids.len();
        let lsteps = self.gather(&lhs);
        let rsteps = self.gather(&rhs);
        let mut col = self.collator();
        let mut result_cache: HashMap<(u32, u32, bool), Labels> = HashMap::new();
        let empty = Vec::new();
        for step in 0..self.num_steps() {
            let t = self.step_time(step);
            let l = lsteps.get(step).unwrap_or(&empty);
            let r = rsteps.get(step).unwrap_or(&empty);
            let samples: Vec<Sample> = match b.op {
                BinaryOp::And | BinaryOp::Or | BinaryOp::Unless => set_op(b.op, l, r, &lhs, &rhs, &lsig, &rsig, nsigs),
                _ => self.arith_step(b, m, l, r, &lhs, &rhs, &lsig, &rsig, &mut result_cache)?,
            };
            for s in samples {
                col.push(t, s)?;
            }
        }
        Ok(col.finish())
    }

    #[allow(clippy::too_many_arguments)]
    fn arith_step(
        &self,
        b: &BinaryExpr,
        m: &VectorMatching,
        l: &[(u32, f64)],
        r: &[(u32, f64)],
        lhs: &[StepSeries],
        rhs: &[StepSeries],
        lsig: &[u32],
        rsig: &[u32],
        cache: &mut HashMap<(u32, u32, bool), Labels>,
    ) -> Result<Vec<Sample>, QueryError> {
        let fill = &b.fill;
        if (l.is_empty() && r.is_empty()) || ((l.is_empty() || r.is_empty()) && fill.is_empty()) {
            return Ok(Vec::new());
        }
        // One-to-many is many-to-one with the sides swapped.
        let swapped = m.card == Card::OneToMany;
        let (many, one, many_series, one_series, many_sig, one_sig) =
            if swapped { (r, l, rhs, lhs, rsig, lsig) } else { (l, r, lhs, rhs, lsig, rsig) };
        // Prometheus does not swap the fill values with the sides.
        let (fill_many, fill_one) = (fill.left, fill.right);
        // The "one" side by signature; a repeat is many-to-many.
        let mut one_by_sig: HashMap<u32, (u32, f64)> = HashMap::with_capacity(one.len());
        let mut one_order: Vec<u32> = Vec::with_capacity(one.len());
        for &(si, v) in one {
            let sg = one_sig.get(si as usize).copied().unwrap_or(0);
            if let Some(&(dup, _)) = one_by_sig.get(&sg) {
                let side = if swapped { "left" } else { "right" };
                let cur = one_series.get(si as usize).map(|s| s.labels.clone()).unwrap_or_default();
                let prev = one_series.get(dup as usize).map(|s| s.labels.clone()).unwrap_or_default();
                let matched = match_labels(&cur, m.on, &m.labels);
                return Err(exec_err(format!(
                    "found duplicate series for the match group {} on the {side} hand-side of the operation: [{}, {}];many-to-many matching not allowed: matching labels must be unique on one side",
                    go_string(&matched),
                    go_string(&cur),
                    go_string(&prev)
                )));
            }
            one_by_sig.insert(sg, (si, v));
            one_order.push(sg);
        }
        let mut matched: HashMap<u32, Vec<Labels>> = HashMap::new();
        let mut out = Vec::new();
        let do_op = |matched: &mut HashMap<u32, Vec<Labels>>,
                     out: &mut Vec<Sample>,
                     cache: &mut HashMap<(u32, u32, bool), Labels>,
                     many_labels: &Labels,
                         many_v: f64,
                         one_labels: &Labels,
                         one_v: f64,
                         sg: u32,
                         key: Option<(u32, u32, bool)>|
         -> Result<(), QueryError> {
            let (lv, rv) = if swapped { (one_v, many_v) } else { (many_v, one_v) };
            let (mut val, keep) = float_op(b.op, lv, rv);
            if b.return_bool {
                val = if keep { 1.0 } else { 0.0 };
            }
            let metric = match key.and_then(|k| cache.get(&k)) {
                Some(l) => l.clone(),
                None => {
                    let lbl = result_metric(many_labels, one_labels, b.op, m);
                    if let Some(k) = key {
                        cache.insert(k, lbl.clone());
                    }
                    lbl
                }
            };
            let seen = matched.entry(sg);
            match m.card {
                Card::OneToOne => {
                    if let std::collections::hash_map::Entry::Occupied(_) = seen {
                        return Err(exec_err(
                            "multiple matches for labels: many-to-one matching must be explicit (group_left/group_right)",
                        ));
                    }
                    seen.or_default();
                }
                _ => {
                    let list = seen.or_default();
                    if list.contains(&metric) {
                        return Err(exec_err("multiple matches for labels: grouping labels must ensure unique matches"));
                    }
                    list.push(metric.clone());
                }
            }
            if keep || b.return_bool {
                out.push(Sample { labels: metric, v: val, drop_name: b.return_bool });
            }
            Ok(())
        };
        for &(si, v) in many {
            let sg = many_sig.get(si as usize).copied().unwrap_or(0);
            let Some(ml) = many_series.get(si as usize).map(|s| &s.labels) else { continue };
            match one_by_sig.get(&sg) {
                Some(&(oi, ov)) => {
                    let Some(ol) = one_series.get(oi as usize).map(|s| &s.labels) else { continue };
                    do_op(&mut matched, &mut out, cache, ml, v, ol, ov, sg, Some((si, oi, swapped)))?;
                }
                None => {
                    if let Some(fv) = fill_one {
                        let ol = match_labels(ml, m.on, &m.labels);
                        do_op(&mut matched, &mut out, cache, ml, v, &ol, fv, sg, None)?;
                    }
                }
            }
        }
        if let Some(fv) = fill_many {
            for sg in one_order {
                if matched.contains_key(&sg) {
                    continue;
                }
                let Some(&(oi, ov)) = one_by_sig.get(&sg) else { continue };
                let Some(ol) = one_series.get(oi as usize).map(|s| &s.labels) else { continue };
                let ml = match_labels(ol, m.on, &m.labels);
                do_op(&mut matched, &mut out, cache, &ml, fv, ol, ov, sg, None)?;
            }
        }
        Ok(out)
    }
}

/// Labels of a vector/vector result: the "many" side's, minus the name for arithmetic, reduced
/// to the matching labels for one-to-one, plus `group_x(...)` labels from the "one" side.
fn result_metric(many: &Labels, one: &Labels, op: BinaryOp, m: &VectorMatching) -> Labels {
    let mut l = if changes_schema(op) { drop_metadata(many) } else { many.clone() };
    if m.card == Card::OneToOne {
        l = if m.on { keep_only(&l, &m.labels) } else { Labels::new(l.iter().filter(|x| !m.labels.contains(&x.name)).cloned()) };
    }
    if !m.include.is_empty() {
        let mut bld = l.builder();
        for name in &m.include {
            match one.get(name) {
                Some(v) => bld.set(name, v),
                None => bld.del(name),
            };
        }
        l = bld.build();
    }
    l
}

#[allow(clippy::too_many_arguments)]
fn set_op(
    op: BinaryOp,
    l: &[(u32, f64)],
    r: &[(u32, f64)],
    lhs: &[StepSeries],
    rhs: &[StepSeries],
    lsig: &[u32],
    rsig: &[u32],
    nsigs: usize,
) -> Vec<Sample> {
    let sample = |series: &[StepSeries], i: u32, v: f64| -> Option<Sample> {
        series.get(i as usize).map(|s| Sample { labels: s.labels.clone(), v, drop_name: s.drop_name })
    };
    let present = |side: &[(u32, f64)], sigs: &[u32]| {
        let mut p = vec![false; nsigs];
        for &(i, _) in side {
            if let Some(slot) = sigs.get(i as usize).and_then(|&s| p.get_mut(s as usize)) {
                *slot = true;
            }
        }
        p
    };
    let has = |p: &[bool], sigs: &[u32], i: u32| sigs.get(i as usize).and_then(|&s| p.get(s as usize)).copied().unwrap_or(false);
    match op {
        BinaryOp::And => {
            if l.is_empty() || r.is_empty() {
                return Vec::new();
            }
            let p = present(r, rsig);
            l.iter().filter(|&&(i, _)| has(&p, lsig, i)).filter_map(|&(i, v)| sample(lhs, i, v)).collect()
        }
        BinaryOp::Or => {
            let mut out: Vec<Sample> = l.iter().filter_map(|&(i, v)| sample(lhs, i, v)).collect();
            if l.is_empty() || r.is_empty() {
                out.extend(r.iter().filter_map(|&(i, v)| sample(rhs, i, v)));
                return out;
            }
            let p = present(l, lsig);
            out.extend(r.iter().filter(|&&(i, _)| !has(&p, rsig, i)).filter_map(|&(i, v)| sample(rhs, i, v)));
            out
        }
        _ => {
            if l.is_empty() || r.is_empty() {
                return l.iter().filter_map(|&(i, v)| sample(lhs, i, v)).collect();
            }
            let p = present(r, rsig);
            l.iter().filter(|&&(i, _)| !has(&p, lsig, i)).filter_map(|&(i, v)| sample(lhs, i, v)).collect()
        }
    }
}

