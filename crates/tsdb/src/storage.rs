//! The store itself: a registry of series, their columnar samples, and selection.

use model::fxhash::FxHashMap;
use model::{is_stale_nan, Labels, Matcher, Timestamp};
use std::sync::OnceLock;

use crate::append::AppendError;
use crate::postings::Postings;

mod memory;
pub use memory::MemoryStats;

/// Index of a series in the store; stable for the store's lifetime.
pub type SeriesId = u32;

#[derive(Debug)]
struct SeriesData {
    labels: Labels,
    // Columnar: 16 bytes per float sample, scanned with two cursors by the engine.
    ts: Vec<Timestamp>,
    vs: Vec<f64>,
    // Start (created) timestamps, one per sample, 0 = unknown. Allocated only once a series
    // gets its first known start timestamp, so series without any keep 16 bytes per sample.
    st: Option<Vec<Timestamp>>,
}

/// A series' samples within the window a selection asked for.
#[derive(Clone, Copy, Debug)]
pub struct SeriesView<'a> {
    pub id: SeriesId,
    pub labels: &'a Labels,
    pub ts: &'a [Timestamp],
    pub vs: &'a [f64],
    /// Start timestamps aligned with `ts` (0 = unknown); `None` when the series has none at all.
    pub st: Option<&'a [Timestamp]>,
}

#[derive(Debug, Default)]
pub struct Storage {
    series: Vec<SeriesData>,
    by_labels: FxHashMap<Labels, SeriesId>,
    postings: Postings,
    samples: usize,
    /// Each series' position in label-set order, built when a large selection first needs it
    /// and dropped when a series is added: selections then sort by integers instead of
    /// comparing label sets (the largest per-series cost of a query over many short series).
    rank: OnceLock<Vec<u32>>,
}

/// Below this many series a selection sorts its label sets directly.
const RANK_MIN: usize = 64;

impl Storage {
    pub fn new() -> Self {
        Storage::default()
    }

    /// Appends one float sample. Samples of a series must come in time order; a repeat of the
    /// newest timestamp is accepted only with the identical value (bit for bit, so a staleness
    /// marker never silently replaces a value).
    pub fn append(
        &mut self,
        labels: &Labels,
        t: Timestamp,
        v: f64,
    ) -> Result<SeriesId, AppendError> {
        self.append_with_st(labels, t, v, 0)
    }

    /// Like [`Storage::append`], with the sample's start (created) timestamp; 0 means unknown.
    /// An accepted repeat of the newest sample keeps the start timestamp stored first.
    pub fn append_with_st(
        &mut self,
        labels: &Labels,
        t: Timestamp,
        v: f64,
        st: Timestamp,
    ) -> Result<SeriesId, AppendError> {
        let id = self.series_id(labels);
        let s = &mut self.series[id as usize];
        if let (Some(&newest), Some(&last_v)) = (s.ts.last(), s.vs.last()) {
            if t < newest {
                return Err(AppendError::OutOfOrder {
                    labels: labels.clone(),
                    t,
                    newest,
                });
            }
            if t == newest {
                if last_v.to_bits() == v.to_bits() {
                    return Ok(id);
                }
                return Err(AppendError::DuplicateTimestamp {
                    labels: labels.clone(),
                    t,
                    old: last_v,
                    new: v,
                });
            }
        }
        s.ts.push(t);
        s.vs.push(v);
        if st != 0 || s.st.is_some() {
            // Earlier samples of the series had no start timestamp: back-fill them as unknown.
            let col = s.st.get_or_insert_with(|| vec![0; s.ts.len() - 1]);
            col.push(st);
        }
        self.samples += 1;
        Ok(id)
    }

    pub fn id_of(&self, labels: &Labels) -> Option<SeriesId> {
        self.by_labels.get(labels).copied()
    }

    /// The newest sample of a series.
    pub fn newest(&self, id: SeriesId) -> Option<(Timestamp, f64)> {
        let s = self.series.get(id as usize)?;
        Some((*s.ts.last()?, *s.vs.last()?))
    }

    fn series_id(&mut self, labels: &Labels) -> SeriesId {
        if let Some(&id) = self.by_labels.get(labels) {
            return id;
        }
        self.new_series(labels)
    }

    /// Registers a series the caller knows is absent.
    pub(crate) fn new_series(&mut self, labels: &Labels) -> SeriesId {
        let id = self.series.len() as SeriesId;
        self.series.push(SeriesData {
            labels: labels.clone(),
            ts: Vec::new(),
            vs: Vec::new(),
            st: None,
        });
        self.by_labels.insert(labels.clone(), id);
        self.postings.add(id, labels);
        self.rank = OnceLock::new();
        id
    }

    /// Lengthens series `id`'s columns by exactly `n` samples and returns the index of the
    /// first new one, for [`Storage::set_sample`] to fill: a load knows its counts, so every
    /// column grows once, with no doubling headroom to give back. The new samples' start
    /// times are unknown (0).
    pub(crate) fn grow_samples(&mut self, id: SeriesId, n: usize) -> usize {
        let Some(s) = self.series.get_mut(id as usize) else {
            return 0;
        };
        let len = s.ts.len();
        s.ts.reserve_exact(n);
        s.ts.resize(len + n, 0);
        s.vs.reserve_exact(n);
        s.vs.resize(len + n, 0.0);
        if let Some(st) = s.st.as_mut() {
            st.reserve_exact(n);
            st.resize(len + n, 0);
        }
        self.samples += n;
        len
    }

    /// Fills sample `i` of series `id`, which [`Storage::grow_samples`] made room for; the
    /// caller has checked it against the series' previous sample (a load validates all its
    /// samples before it stores any). Inlined: it runs once per loaded sample, also in the
    /// browser's size-optimised build.
    #[inline(always)]
    pub(crate) fn set_sample(&mut self, id: SeriesId, i: usize, t: Timestamp, v: f64) {
        if let Some(s) = self.series.get_mut(id as usize) {
            if let (Some(ts), Some(vs)) = (s.ts.get_mut(i), s.vs.get_mut(i)) {
                *ts = t;
                *vs = v;
            }
        }
    }

    /// Series matching all matchers, with their samples in `[mint, maxt]` (both ends inclusive:
    /// the engine applies PromQL's left-open windows itself), ordered by label set so results
    /// never depend on insertion order. Series with no sample in the window are left out.
    pub fn select(
        &self,
        matchers: &[Matcher],
        mint: Timestamp,
        maxt: Timestamp,
    ) -> Vec<SeriesView<'_>> {
        let ids = self.postings.select(matchers, self.series.len() as u32);
        let mut out: Vec<SeriesView<'_>> = ids
            .into_iter()
            .filter_map(|id| {
                let v = self.window(id, mint, maxt)?;
                (!v.ts.is_empty()).then_some(v)
            })
            .collect();
        if out.len() < RANK_MIN {
            model::sort::sort_by(&mut out, |a, b| a.labels.cmp(b.labels));
        } else {
            let rank = self.rank.get_or_init(|| self.label_order());
            // Label sets are unique per series, so ranks are too: the order is the same.
            model::sort::sort_by_key(&mut out, |v| rank.get(v.id as usize).copied().unwrap_or(u32::MAX));
        }
        out
    }

    /// `rank[id]`: the position of series `id` among all series sorted by label set.
    fn label_order(&self) -> Vec<u32> {
        let mut ids: Vec<u32> = (0..self.series.len() as u32).collect();
        model::sort::sort_by(&mut ids, |&a, &b| {
            let l = |i: u32| self.series.get(i as usize).map(|s| &s.labels);
            l(a).cmp(&l(b))
        });
        let mut rank = vec![0u32; ids.len()];
        for (pos, &id) in ids.iter().enumerate() {
            if let Some(r) = rank.get_mut(id as usize) {
                *r = pos as u32;
            }
        }
        rank
    }

    /// One series' samples in `[mint, maxt]`.
    pub fn window(&self, id: SeriesId, mint: Timestamp, maxt: Timestamp) -> Option<SeriesView<'_>> {
        let s = self.series.get(id as usize)?;
        let lo = s.ts.partition_point(|&t| t < mint);
        let hi = s.ts.partition_point(|&t| t <= maxt);
        let (lo, hi) = (lo.min(hi), hi);
        let st = s.st.as_deref().and_then(|st| st.get(lo..hi));
        Some(SeriesView {
            id,
            labels: &s.labels,
            ts: &s.ts[lo..hi],
            vs: &s.vs[lo..hi],
            st,
        })
    }

    pub fn num_series(&self) -> usize {
        self.series.len()
    }

    pub fn num_samples(&self) -> usize {
        self.samples
    }

    /// Oldest and newest sample timestamp over all series (staleness markers included).
    pub fn time_range(&self) -> Option<(Timestamp, Timestamp)> {
        let min = self.series.iter().filter_map(|s| s.ts.first()).min()?;
        let max = self.series.iter().filter_map(|s| s.ts.last()).max()?;
        Some((*min, *max))
    }

    /// Label names in use, sorted.
    pub fn label_names(&self) -> Vec<&str> {
        self.postings.label_names().collect()
    }

    /// Distinct values of a label with the number of series carrying each, sorted by value.
    pub fn label_values(&self, name: &str) -> Vec<(&str, usize)> {
        self.postings.label_values(name).collect()
    }

    /// Number of stored staleness markers, for statistics.
    pub fn num_stale_markers(&self) -> usize {
        self.series
            .iter()
            .map(|s| s.vs.iter().filter(|v| is_stale_nan(**v)).count())
            .sum()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use model::{MatchOp, STALE_NAN};

    fn labels(pairs: &[(&str, &str)]) -> Labels {
        Labels::from_pairs(pairs.iter().copied())
    }

    fn m(op: MatchOp, n: &str, v: &str) -> Matcher {
        Matcher::new(op, n, v).unwrap_or_else(|e| panic!("{e}"))
    }

    fn store() -> Storage {
        let mut s = Storage::new();
        for (job, inst, v) in [("api", "a", 1.0), ("api", "b", 2.0), ("db", "a", 3.0)] {
            let l = labels(&[("__name__", "up"), ("job", job), ("instance", inst)]);
            s.append(&l, 1000, v).unwrap_or_else(|e| panic!("{e}"));
        }
        s.append(&labels(&[("__name__", "other")]), 1000, 9.0)
            .unwrap_or_else(|e| panic!("{e}"));
        s
    }

    fn jobs(s: &Storage, ms: &[Matcher]) -> Vec<String> {
        s.select(ms, 0, 2000)
            .iter()
            .map(|v| v.labels.to_string())
            .collect()
    }

    #[test]
    fn select_by_each_matcher_type() {
        let s = store();
        let name = m(MatchOp::Equal, "__name__", "up");
        assert_eq!(
            jobs(&s, &[name.clone(), m(MatchOp::Equal, "job", "api")]).len(),
            2
        );
        assert_eq!(
            jobs(&s, &[name.clone(), m(MatchOp::NotEqual, "job", "api")]).len(),
            1
        );
        assert_eq!(
            jobs(&s, &[name.clone(), m(MatchOp::RegexMatch, "job", "a.*")]).len(),
            2
        );
        assert_eq!(
            jobs(&s, &[name.clone(), m(MatchOp::RegexNoMatch, "job", "a.*")]).len(),
            1
        );
        // `job=""` selects series without a job label.
        assert_eq!(jobs(&s, &[m(MatchOp::Equal, "job", "")]), vec!["other"]);
        // `!=` on a name nobody has keeps everything that matches otherwise.
        assert_eq!(
            jobs(&s, &[name, m(MatchOp::NotEqual, "zone", "x")]).len(),
            3
        );
    }

    #[test]
    fn results_are_sorted_by_labels() {
        let s = store();
        let got = jobs(&s, &[m(MatchOp::RegexMatch, "__name__", ".+")]);
        let mut sorted = got.clone();
        model::sort::sort(&mut sorted);
        assert_eq!(got.len(), 4);
        assert_eq!(got[0], "other");
        assert!(got[1..].windows(2).all(|w| w[0] <= w[1]));
    }

    #[test]
    fn large_selections_are_sorted_by_labels_too() {
        let mut s = Storage::new();
        // Inserted in reverse label order, more than RANK_MIN of them, then one more series
        // after the first selection (which must drop the cached order).
        for i in (0..100).rev() {
            let l = labels(&[("__name__", "m"), ("i", &format!("{i:03}"))]);
            s.append(&l, 1000, 1.0).unwrap_or_else(|e| panic!("{e}"));
        }
        let all = m(MatchOp::Equal, "__name__", "m");
        assert!(jobs(&s, std::slice::from_ref(&all))
            .windows(2)
            .all(|w| w[0] < w[1]));
        s.append(&labels(&[("__name__", "m"), ("i", "050a")]), 1000, 1.0)
            .unwrap_or_else(|e| panic!("{e}"));
        let got = jobs(&s, &[all]);
        assert_eq!(got.len(), 101);
        assert!(got.windows(2).all(|w| w[0] < w[1]), "{got:?}");
    }

    #[test]
    fn append_rules() {
        let mut s = Storage::new();
        let l = labels(&[("__name__", "x")]);
        assert!(s.append(&l, 10, 1.0).is_ok());
        assert!(
            s.append(&l, 10, 1.0).is_ok(),
            "identical duplicate is accepted"
        );
        assert!(matches!(
            s.append(&l, 10, 2.0),
            Err(AppendError::DuplicateTimestamp { .. })
        ));
        assert!(matches!(
            s.append(&l, 5, 2.0),
            Err(AppendError::OutOfOrder { .. })
        ));
        assert!(matches!(
            s.append(&l, 10, STALE_NAN),
            Err(AppendError::DuplicateTimestamp { .. })
        ));
        assert!(s.append(&l, 20, STALE_NAN).is_ok());
        assert_eq!(s.num_samples(), 2);
        assert_eq!(s.num_stale_markers(), 1);
    }

    #[test]
    fn start_timestamps_are_stored_lazily_and_aligned() {
        let mut s = Storage::new();
        let plain = labels(&[("__name__", "plain")]);
        let with = labels(&[("__name__", "with")]);
        for t in [0, 10, 20] {
            s.append(&plain, t, 1.0).unwrap_or_else(|e| panic!("{e}"));
        }
        s.append(&with, 0, 1.0).unwrap_or_else(|e| panic!("{e}"));
        s.append_with_st(&with, 10, 2.0, 5)
            .unwrap_or_else(|e| panic!("{e}"));
        s.append_with_st(&with, 20, 3.0, 0)
            .unwrap_or_else(|e| panic!("{e}"));
        assert!(
            s.window(0, 0, 20).is_some_and(|w| w.st.is_none()),
            "no column without a start timestamp"
        );
        let w = s.window(1, 10, 20).unwrap_or_else(|| panic!("series 1"));
        assert_eq!(w.st, Some(&[5, 0][..]));
        let all = s.window(1, 0, 20).unwrap_or_else(|| panic!("series 1"));
        assert_eq!(
            all.st,
            Some(&[0, 5, 0][..]),
            "earlier samples back-filled as unknown"
        );
        // An identical repeat is accepted and changes nothing.
        assert!(s.append_with_st(&with, 20, 3.0, 7).is_ok());
        assert_eq!(s.num_samples(), 6);
    }

    #[test]
    fn window_is_inclusive() {
        let mut s = Storage::new();
        let l = labels(&[("__name__", "x")]);
        for t in [0, 10, 20, 30] {
            s.append(&l, t, t as f64).unwrap_or_else(|e| panic!("{e}"));
        }
        let w = s.window(0, 10, 20).unwrap_or_else(|| panic!("series 0"));
        assert_eq!(w.ts, &[10, 20]);
        assert!(s.window(0, 40, 50).is_some_and(|w| w.ts.is_empty()));
        assert!(s.window(7, 0, 1).is_none());
    }
}
