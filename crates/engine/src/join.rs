//! The per-step core of vector/vector arithmetic and comparisons: match each "many" sample to
//! the "one" sample of its signature, with Prometheus's cardinality errors and `fill*`.
//!
//! Everything per step lives in arrays indexed by signature id and reused across steps (a
//! stamp says which step an entry belongs to), and result label sets are interned in the
//! collator once per matched pair of series, so a join costs no hashing per point.

use model::Labels;
use promql::{BinaryExpr, Card, VectorMatching};

use crate::binary::{float_op, result_metric};
use crate::collator::Collator;
use crate::error::QueryError;
use crate::eval::{exec_err, StepSeries};
use crate::labelset::{go_string, match_labels};

const NONE: u32 = u32::MAX;

pub(crate) struct Join<'a> {
    b: &'a BinaryExpr,
    m: &'a VectorMatching,
    /// One-to-many is many-to-one with the sides swapped.
    swapped: bool,
    many_series: &'a [StepSeries],
    one_series: &'a [StepSeries],
    many_sig: &'a [u32],
    one_sig: &'a [u32],
    /// Per signature: the step stamp the "one" side was seen at, and its `(series, value)`.
    one_stamp: Vec<u32>,
    one_at: Vec<(u32, f64)>,
    one_order: Vec<u32>,
    /// Per signature: the step stamp it was matched at, and the result ids it produced.
    matched_stamp: Vec<u32>,
    matched_ids: Vec<Vec<u32>>,
    /// Per "many" series: the "one" series its result labels were made with, and their id.
    cache: Vec<(u32, u32)>,
    /// This step's output: `(result id, value)`.
    pub out: Vec<(u32, f64)>,
}

impl<'a> Join<'a> {
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        b: &'a BinaryExpr,
        m: &'a VectorMatching,
        lhs: &'a [StepSeries],
        rhs: &'a [StepSeries],
        lsig: &'a [u32],
        rsig: &'a [u32],
        nsigs: usize,
    ) -> Self {
        let swapped = m.card == Card::OneToMany;
        let (many_series, one_series, many_sig, one_sig) =
            if swapped { (rhs, lhs, rsig, lsig) } else { (lhs, rhs, lsig, rsig) };
        Join {
            b,
            m,
            swapped,
            many_series,
            one_series,
            many_sig,
            one_sig,
            one_stamp: vec![NONE; nsigs],
            one_at: vec![(0, 0.0); nsigs],
            one_order: Vec::new(),
            matched_stamp: vec![NONE; nsigs],
            matched_ids: vec![Vec::new(); nsigs],
            cache: vec![(NONE, NONE); many_series.len()],
            out: Vec::new(),
        }
    }

    /// Joins one step's samples (`l`, `r`: `(series index, value)`) into `self.out`; `stamp`
    /// must differ between steps.
    pub fn step(&mut self, stamp: u32, l: &[(u32, f64)], r: &[(u32, f64)], col: &mut Collator) -> Result<(), QueryError> {
        self.out.clear();
        let fill = &self.b.fill;
        if (l.is_empty() && r.is_empty()) || ((l.is_empty() || r.is_empty()) && fill.is_empty()) {
            return Ok(());
        }
        let (many, one) = if self.swapped { (r, l) } else { (l, r) };
        // Prometheus does not swap the fill values with the sides.
        let (fill_many, fill_one) = (fill.left, fill.right);
        // The "one" side by signature; a repeat is many-to-many.
        self.one_order.clear();
        for &(si, v) in one {
            let sg = self.one_sig.get(si as usize).copied().unwrap_or(0) as usize;
            if self.one_stamp.get(sg) == Some(&stamp) {
                let dup = self.one_at.get(sg).map_or(0, |x| x.0);
                return Err(self.duplicate_error(si, dup));
            }
            if let (Some(st), Some(at)) = (self.one_stamp.get_mut(sg), self.one_at.get_mut(sg)) {
                *st = stamp;
                *at = (si, v);
            }
            self.one_order.push(sg as u32);
        }
        for &(si, v) in many {
            let sg = self.many_sig.get(si as usize).copied().unwrap_or(0);
            let Some(ml) = self.many_series.get(si as usize).map(|s| &s.labels) else { continue };
            if self.one_stamp.get(sg as usize) == Some(&stamp) {
                let (oi, ov) = self.one_at.get(sg as usize).copied().unwrap_or((0, 0.0));
                let id = match self.cache.get(si as usize) {
                    Some(&(coi, id)) if coi == oi => id,
                    _ => {
                        let Some(ol) = self.one_series.get(oi as usize).map(|s| &s.labels) else { continue };
                        let id = col.intern(&result_metric(ml, ol, self.b.op, self.m));
                        if let Some(c) = self.cache.get_mut(si as usize) {
                            *c = (oi, id);
                        }
                        id
                    }
                };
                self.op(stamp, id, v, ov, sg)?;
            } else if let Some(fv) = fill_one {
                let ol = match_labels(ml, self.m.on, &self.m.labels);
                let id = col.intern(&result_metric(ml, &ol, self.b.op, self.m));
                self.op(stamp, id, v, fv, sg)?;
            }
        }
        if let Some(fv) = fill_many {
            for k in 0..self.one_order.len() {
                let Some(&sg) = self.one_order.get(k) else { continue };
                if self.matched_stamp.get(sg as usize) == Some(&stamp) {
                    continue;
                }
                let (oi, ov) = self.one_at.get(sg as usize).copied().unwrap_or((0, 0.0));
                let Some(ol) = self.one_series.get(oi as usize).map(|s| &s.labels) else { continue };
                let ml = match_labels(ol, self.m.on, &self.m.labels);
                let id = col.intern(&result_metric(&ml, ol, self.b.op, self.m));
                self.op(stamp, id, fv, ov, sg)?;
            }
        }
        Ok(())
    }

    /// One matched pair: the cardinality checks, then the operator.
    fn op(&mut self, stamp: u32, id: u32, many_v: f64, one_v: f64, sg: u32) -> Result<(), QueryError> {
        let (lv, rv) = if self.swapped { (one_v, many_v) } else { (many_v, one_v) };
        let (mut val, keep) = float_op(self.b.op, lv, rv);
        if self.b.return_bool {
            val = if keep { 1.0 } else { 0.0 };
        }
        let sg = sg as usize;
        let seen = self.matched_stamp.get(sg) == Some(&stamp);
        if let (Some(st), Some(ids)) = (self.matched_stamp.get_mut(sg), self.matched_ids.get_mut(sg)) {
            if !seen {
                *st = stamp;
                ids.clear();
            }
            if self.m.card == Card::OneToOne {
                if seen {
                    return Err(exec_err(
                        "multiple matches for labels: many-to-one matching must be explicit (group_left/group_right)",
                    ));
                }
            } else {
                // Equal ids are equal label sets: the collator interns them.
                if ids.contains(&id) {
                    return Err(exec_err("multiple matches for labels: grouping labels must ensure unique matches"));
                }
                ids.push(id);
            }
        }
        if keep || self.b.return_bool {
            self.out.push((id, val));
        }
        Ok(())
    }

    fn duplicate_error(&self, si: u32, dup: u32) -> QueryError {
        let side = if self.swapped { "left" } else { "right" };
        let labels = |i: u32| self.one_series.get(i as usize).map(|s| s.labels.clone()).unwrap_or_else(Labels::empty);
        let (cur, prev) = (labels(si), labels(dup));
        let matched = match_labels(&cur, self.m.on, &self.m.labels);
        exec_err(format!(
            "found duplicate series for the match group {} on the {side} hand-side of the operation: [{}, {}];many-to-many matching not allowed: matching labels must be unique on one side",
            go_string(&matched),
            go_string(&cur),
            go_string(&prev)
        ))
    }
}
