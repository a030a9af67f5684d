//! Gathering per-step output samples into series, like Prometheus's `rangeEval`.
//!
//! Label sets are interned to small ids, so an operator that produces the same output series
//! at every step (a binary join, topk) hashes its label set once, not once per point.

use model::{Labels, Timestamp};

use crate::error::QueryError;
use crate::eval::{exec_err, Sample, StepSeries, SAME_LABELSET};
use model::fxhash::FxHashMap;

const NONE: u32 = u32::MAX;

/// The same label set twice at one step is an error, except in a one-step evaluation, where
/// Prometheus (with delayed name removal) leaves the check to the end of the query.
pub(crate) struct Collator {
    single_step: bool,
    ids: FxHashMap<Labels, u32>,
    names: Vec<Labels>,
    /// Per id: index into `out`, `NONE` until the first point (so output order is the order
    /// of first points, whatever order ids were handed out in).
    slot: Vec<u32>,
    last: Vec<Timestamp>,
    /// Per slot: how many points it got.
    counts: Vec<usize>,
    /// Every point as `(slot, t, v)`, in arrival order: each series' points are copied out at
    /// the end into a vector of exactly their number, instead of growing one vector per series
    /// step by step.
    log: Vec<(u32, Timestamp, f64)>,
    out: Vec<StepSeries>,
}

impl Collator {
    pub fn new(single_step: bool) -> Self {
        Collator {
            single_step,
            ids: FxHashMap::default(),
            names: Vec::new(),
            slot: Vec::new(),
            last: Vec::new(),
            counts: Vec::new(),
            log: Vec::new(),
            out: Vec::new(),
        }
    }

    /// Room for `n` points in all, when the caller knows about how many are coming.
    pub fn reserve(&mut self, n: usize) {
        if !self.single_step {
            self.log.reserve(n);
        }
    }

    /// The id of a label set; equal sets get equal ids.
    pub fn intern(&mut self, labels: &Labels) -> u32 {
        if let Some(&id) = self.ids.get(labels) {
            return id;
        }
        let id = self.names.len() as u32;
        self.ids.insert(labels.clone(), id);
        self.names.push(labels.clone());
        self.slot.push(NONE);
        id
    }

    pub fn push(&mut self, t: Timestamp, s: Sample) -> Result<(), QueryError> {
        if self.single_step {
            self.out.push(StepSeries { labels: s.labels, points: vec![(t, s.v)], drop_name: s.drop_name });
            return Ok(());
        }
        let id = self.intern(&s.labels);
        self.push_id(t, id, s.v, s.drop_name)
    }

    /// [`Collator::push`] for an interned label set; `drop_name` counts for a new series only.
    pub fn push_id(&mut self, t: Timestamp, id: u32, v: f64, drop_name: bool) -> Result<(), QueryError> {
        let Some(labels) = self.names.get(id as usize) else { return Err(exec_err("unknown series id")) };
        if self.single_step {
            self.out.push(StepSeries { labels: labels.clone(), points: vec![(t, v)], drop_name });
            return Ok(());
        }
        let slot = self.slot.get(id as usize).copied().unwrap_or(NONE);
        if slot == NONE {
            let new = self.out.len() as u32;
            if let Some(s) = self.slot.get_mut(id as usize) {
                *s = new;
            }
            self.last.push(t);
            self.counts.push(1);
            self.log.push((new, t, v));
            self.out.push(StepSeries { labels: labels.clone(), points: Vec::new(), drop_name });
            return Ok(());
        }
        let i = slot as usize;
        if self.last.get(i) == Some(&t) {
            return Err(exec_err(SAME_LABELSET));
        }
        if let (Some(l), Some(c)) = (self.last.get_mut(i), self.counts.get_mut(i)) {
            *l = t;
            *c += 1;
            self.log.push((slot, t, v));
        }
        Ok(())
    }

    pub fn finish(mut self) -> Vec<StepSeries> {
        for (o, &c) in self.out.iter_mut().zip(&self.counts) {
            o.points = Vec::with_capacity(c);
        }
        for &(slot, t, v) in &self.log {
            if let Some(o) = self.out.get_mut(slot as usize) {
                o.points.push((t, v));
            }
        }
        self.out
    }
}
