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
            out: Vec::new(),
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
            if let Some(s) = self.slot.get_mut(id as usize) {
                *s = self.out.len() as u32;
            }
            self.last.push(t);
            self.out.push(StepSeries { labels: labels.clone(), points: vec![(t, v)], drop_name });
            return Ok(());
        }
        let i = slot as usize;
        if self.last.get(i) == Some(&t) {
            return Err(exec_err(SAME_LABELSET));
        }
        if let (Some(l), Some(o)) = (self.last.get_mut(i), self.out.get_mut(i)) {
            *l = t;
            o.points.push((t, v));
        }
        Ok(())
    }

    pub fn finish(self) -> Vec<StepSeries> {
        self.out
    }
}
