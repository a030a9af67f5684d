//! What the store costs in memory: sample bytes per sample and the per-series overhead.

use std::mem::size_of;

use model::{Label, Labels, Timestamp};

use super::{SeriesData, SeriesId, Storage};

/// Heap bytes held by the store, split so that "bytes per sample" can be checked against the
/// 16-byte goal (8 for the timestamp, 8 for the value) separately from the per-series cost.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct MemoryStats {
    pub series: usize,
    pub samples: usize,
    /// Allocated (capacity, not length) bytes of the sample columns: timestamps, values and
    /// start timestamps where a series has them.
    pub sample_bytes: usize,
    /// Per-series bookkeeping: the series table, label sets, the label-set index and the
    /// postings lists. An estimate for the hash map and B-tree nodes (their exact layout is
    /// private to std), exact for everything else.
    pub series_bytes: usize,
}

impl MemoryStats {
    /// Sample-column bytes per stored sample.
    pub fn bytes_per_sample(&self) -> f64 {
        self.sample_bytes as f64 / self.samples.max(1) as f64
    }

    /// Bookkeeping bytes per series.
    pub fn bytes_per_series(&self) -> f64 {
        self.series_bytes as f64 / self.series.max(1) as f64
    }
}

fn labels_heap(l: &Labels) -> usize {
    // The Arc's two counters plus the slice, plus each name and value buffer.
    2 * size_of::<usize>()
        + l.len() * size_of::<Label>()
        + l.iter().map(|x| x.name.capacity() + x.value.capacity()).sum::<usize>()
}

impl Storage {
    /// Measures what the store holds; see [`MemoryStats`].
    pub fn memory_stats(&self) -> MemoryStats {
        let ts = size_of::<Timestamp>();
        let sample_bytes = self
            .series
            .iter()
            .map(|s| s.ts.capacity() * ts + s.vs.capacity() * size_of::<f64>() + s.st.as_ref().map_or(0, |c| c.capacity() * ts))
            .sum();
        // `by_labels` shares each label set's allocation with the series table (an Arc clone).
        let index_entry = size_of::<(Labels, SeriesId)>() + 1;
        let series_bytes = self.series.capacity() * size_of::<SeriesData>()
            + self.series.iter().map(|s| labels_heap(&s.labels)).sum::<usize>()
            + self.by_labels.capacity() * index_entry
            + self.postings.heap_bytes();
        MemoryStats { series: self.series.len(), samples: self.samples, sample_bytes, series_bytes }
    }

    /// Gives back the spare capacity of every sample column (growth by doubling leaves up to
    /// half of it unused), so a loaded store costs 16 bytes per float sample.
    pub fn shrink_to_fit(&mut self) {
        for s in &mut self.series {
            s.ts.shrink_to_fit();
            s.vs.shrink_to_fit();
            if let Some(st) = s.st.as_mut() {
                st.shrink_to_fit();
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shrunk_store_costs_sixteen_bytes_per_sample() {
        let mut s = Storage::new();
        let l = Labels::from_pairs([("__name__", "x")]);
        for t in 0..1000 {
            s.append(&l, t, 1.0).unwrap_or_else(|e| panic!("{e}"));
        }
        assert!(s.memory_stats().bytes_per_sample() >= 16.0);
        s.shrink_to_fit();
        let m = s.memory_stats();
        assert_eq!((m.series, m.samples), (1, 1000));
        assert_eq!(m.bytes_per_sample(), 16.0);
        assert!(m.series_bytes > 0);
    }
}
