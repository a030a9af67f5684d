//! Cardinality statistics, like Prometheus's TSDB status page (`/api/v1/status/tsdb`): totals,
//! the metric names with the most series, the label names with the most distinct values, and
//! the label pairs on the most series, plus the store's memory measured from its allocations.
//! Built only from the store's public reads, so it cannot disturb how the store works.

use serde::Serialize;

use crate::storage::{MemoryStats, Storage};

/// A name (metric name, label name, or `name=value` pair) and its count.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Count {
    pub name: String,
    pub value: usize,
}

/// What a store holds, as the TSDB status page shows it. Every list is sorted by count,
/// largest first, then by name, and cut to the `top` the caller asked for.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Cardinality {
    pub num_series: usize,
    pub num_samples: usize,
    /// Distinct `name=value` pairs over all series (`__name__` included, as Prometheus counts).
    pub num_label_pairs: usize,
    pub num_label_names: usize,
    pub min_time: Option<i64>,
    pub max_time: Option<i64>,
    /// Heap bytes of the sample columns and of the series bookkeeping ([`MemoryStats`]).
    pub memory_sample_bytes: usize,
    pub memory_series_bytes: usize,
    pub memory_total_bytes: usize,
    pub series_count_by_metric_name: Vec<Count>,
    pub label_value_count_by_label_name: Vec<Count>,
    /// Bytes of label values per label name, summed over the series carrying them (what the
    /// status page calls memory in bytes by label name).
    pub memory_in_bytes_by_label_name: Vec<Count>,
    pub series_count_by_label_value_pair: Vec<Count>,
}

impl Storage {
    /// Cardinality statistics with the `top` largest entries of each list.
    pub fn cardinality(&self, top: usize) -> Cardinality {
        let mut by_metric = Vec::new();
        let mut values_by_name = Vec::new();
        let mut bytes_by_name = Vec::new();
        let mut pairs = Vec::new();
        let mut num_label_pairs = 0;
        let names = self.label_names();
        for name in &names {
            let values = self.label_values(name);
            num_label_pairs += values.len();
            values_by_name.push(Count { name: name.to_string(), value: values.len() });
            bytes_by_name.push(Count { name: name.to_string(), value: values.iter().map(|(v, n)| v.len() * n).sum() });
            for (v, n) in &values {
                if *name == model::METRIC_NAME {
                    by_metric.push(Count { name: v.to_string(), value: *n });
                }
                pairs.push(Count { name: format!("{name}={v}"), value: *n });
            }
        }
        let MemoryStats { sample_bytes, series_bytes, .. } = self.memory_stats();
        let range = self.time_range();
        Cardinality {
            num_series: self.num_series(),
            num_samples: self.num_samples(),
            num_label_pairs,
            num_label_names: names.len(),
            min_time: range.map(|r| r.0),
            max_time: range.map(|r| r.1),
            memory_sample_bytes: sample_bytes,
            memory_series_bytes: series_bytes,
            memory_total_bytes: sample_bytes + series_bytes,
            series_count_by_metric_name: top_n(by_metric, top),
            label_value_count_by_label_name: top_n(values_by_name, top),
            memory_in_bytes_by_label_name: top_n(bytes_by_name, top),
            series_count_by_label_value_pair: top_n(pairs, top),
        }
    }
}

fn top_n(mut v: Vec<Count>, top: usize) -> Vec<Count> {
    model::sort::sort_by(&mut v, |a, b| b.value.cmp(&a.value).then_with(|| a.name.cmp(&b.name)));
    v.truncate(top);
    v
}

#[cfg(test)]
mod tests {
    use super::*;
    use model::Labels;

    #[test]
    fn counts_like_the_status_page() {
        let mut s = Storage::new();
        for (name, code) in [("http_requests_total", "200"), ("http_requests_total", "500"), ("up", "")] {
            let l = Labels::from_pairs([("__name__", name), ("code", code)].into_iter().filter(|(_, v)| !v.is_empty()));
            for t in 0..3 {
                s.append(&l, t * 1000, 1.0).unwrap_or_else(|e| panic!("{e}"));
            }
        }
        let c = s.cardinality(10);
        assert_eq!((c.num_series, c.num_samples, c.num_label_pairs, c.num_label_names), (3, 9, 4, 2));
        assert_eq!(c.series_count_by_metric_name[0], Count { name: "http_requests_total".into(), value: 2 });
        assert_eq!(c.label_value_count_by_label_name[0], Count { name: "__name__".into(), value: 2 });
        assert_eq!(c.series_count_by_label_value_pair.len(), 4);
        assert_eq!((c.min_time, c.max_time), (Some(0), Some(2000)));
        assert!(c.memory_total_bytes >= 9 * 16);
        assert_eq!(s.cardinality(1).series_count_by_label_value_pair.len(), 1);
    }
}
