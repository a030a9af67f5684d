//! Binary operators: scalar/scalar, vector/scalar and vector/vector with `on`/`ignoring`,
//! `group_left`/`group_right`, `bool`, `fill*` and the set operators, with Prometheus's
//! matching errors and its rules for which results keep the metric name.

use model::Labels;
use promql::{BinaryExpr, BinaryOp, Card, VectorMatching};

use crate::error::QueryError;
use crate::eval::{exec_err, Evaluated, Evaluator, Sample, StepSeries};
use crate::labelset::{drop_metadata, keep_only, Grouper};

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
        let mut sigs = Grouper::new(&m.labels, m.on);
        let lsig: Vec<u32> = lhs.iter().map(|s| sigs.group(&s.labels)).collect();
        let rsig: Vec<u32> = rhs.iter().map(|s| sigs.group(&s.labels)).collect();
        let nsigs = sigs.into_keys().len();
        let lsteps = self.gather(&lhs);
        let rsteps = self.gather(&rhs);
        let mut col = self.collator();
        // At most one result per point of the larger side (of both sides for `or`).
        let (lp, rp) = (lhs.iter().map(|s| s.points.len()).sum::<usize>(), rhs.iter().map(|s| s.points.len()).sum());
        col.reserve(if b.op == BinaryOp::Or { lp + rp } else { lp.max(rp) });
        let mut join = crate::join::Join::new(b, m, &lhs, &rhs, &lsig, &rsig, nsigs);
        for step in 0..self.num_steps() {
            let t = self.step_time(step);
            let (l, r) = (lsteps.at(step), rsteps.at(step));
            match b.op {
                BinaryOp::And | BinaryOp::Or | BinaryOp::Unless => {
                    for s in set_op(b.op, l, r, &lhs, &rhs, &lsig, &rsig, nsigs) {
                        col.push(t, s)?;
                    }
                }
                _ => {
                    join.step(step as u32, l, r, &mut col)?;
                    for &(id, v) in &join.out {
                        col.push_id(t, id, v, b.return_bool)?;
                    }
                }
            }
        }
        Ok(col.finish())
    }
}

/// Labels of a vector/vector result: the "many" side's, minus the name for arithmetic, reduced
/// to the matching labels for one-to-one, plus `group_x(...)` labels from the "one" side.
pub(crate) fn result_metric(many: &Labels, one: &Labels, op: BinaryOp, m: &VectorMatching) -> Labels {
    let mut l = if changes_schema(op) { drop_metadata(many) } else { many.clone() };
    if m.card == Card::OneToOne {
        l = if m.on {
            keep_only(&l, &m.labels)
        } else {
            Labels::new(l.iter().filter(|x| !m.labels.contains(&x.name)).cloned())
        };
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
    let has = |p: &[bool], sigs: &[u32], i: u32| {
        sigs.get(i as usize).and_then(|&s| p.get(s as usize)).copied().unwrap_or(false)
    };
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
