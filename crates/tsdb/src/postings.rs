//! The postings index: for every label name and value, the sorted ids of the series carrying it.
//!
//! A matcher is resolved by visiting each distinct value of its label once, so a regex runs once
//! per value rather than once per series.

use model::{Labels, Matcher};
use std::collections::BTreeMap;

use crate::storage::SeriesId;

#[derive(Debug, Default)]
pub(crate) struct Postings {
    by_name: BTreeMap<String, BTreeMap<String, Vec<SeriesId>>>,
}

impl Postings {
    /// Ids are handed out in increasing order, so pushing keeps every list sorted.
    pub(crate) fn add(&mut self, id: SeriesId, labels: &Labels) {
        for l in labels {
            self.by_name
                .entry(l.name.clone())
                .or_default()
                .entry(l.value.clone())
                .or_default()
                .push(id);
        }
    }

    /// Heap bytes of the index: the id lists plus the name and value strings. B-tree node
    /// overhead is estimated at one key-value slot per entry.
    pub(crate) fn heap_bytes(&self) -> usize {
        use std::mem::size_of;
        let slot = size_of::<String>() + size_of::<Vec<SeriesId>>();
        self.by_name
            .iter()
            .map(|(name, values)| {
                slot + name.capacity()
                    + values.iter().map(|(v, ids)| slot + v.capacity() + ids.capacity() * size_of::<SeriesId>()).sum::<usize>()
            })
            .sum()
    }

    /// Series ids (sorted) matching every matcher, out of `all` series ids `0..all`.
    pub(crate) fn select(&self, matchers: &[Matcher], all: u32) -> Vec<SeriesId> {
        // Matchers that cannot match a missing label narrow the set best: apply them first.
        let (narrowing, widening): (Vec<&Matcher>, Vec<&Matcher>) =
            matchers.iter().partition(|m| !m.matches_empty());
        let mut current: Option<Vec<SeriesId>> = None;
        for m in narrowing {
            let hits = self.union_matching(&m.name, |v| m.matches(v));
            current = Some(match current {
                None => hits,
                Some(c) => intersect(&c, &hits),
            });
            if current.as_ref().is_some_and(|c| c.is_empty()) {
                return Vec::new();
            }
        }
        let mut current = current.unwrap_or_else(|| (0..all).collect());
        for m in widening {
            // Accepts "", so only series whose value for the label is set and rejected drop out.
            let rejected = self.union_matching(&m.name, |v| !m.matches(v));
            if !rejected.is_empty() {
                current = subtract(&current, &rejected);
            }
        }
        current
    }

    fn union_matching(&self, name: &str, pred: impl Fn(&str) -> bool) -> Vec<SeriesId> {
        let Some(values) = self.by_name.get(name) else {
            return Vec::new();
        };
        let lists: Vec<&Vec<SeriesId>> =
            values.iter().filter(|(v, _)| pred(v)).map(|(_, ids)| ids).collect();
        match lists.as_slice() {
            [] => Vec::new(),
            [one] => one.to_vec(),
            _ => {
                let mut all: Vec<SeriesId> = lists.into_iter().flatten().copied().collect();
                model::sort::sort(&mut all);
                all.dedup();
                all
            }
        }
    }

    pub(crate) fn label_names(&self) -> impl Iterator<Item = &str> {
        self.by_name.keys().map(String::as_str)
    }

    pub(crate) fn label_values(&self, name: &str) -> impl Iterator<Item = (&str, usize)> {
        self.by_name.get(name).into_iter().flatten().map(|(v, ids)| (v.as_str(), ids.len()))
    }
}

fn intersect(a: &[SeriesId], b: &[SeriesId]) -> Vec<SeriesId> {
    let (mut i, mut j) = (0, 0);
    let mut out = Vec::with_capacity(a.len().min(b.len()));
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                out.push(a[i]);
                i += 1;
                j += 1;
            }
        }
    }
    out
}

fn subtract(a: &[SeriesId], b: &[SeriesId]) -> Vec<SeriesId> {
    let mut j = 0;
    let mut out = Vec::with_capacity(a.len());
    for &x in a {
        while j < b.len() && b[j] < x {
            j += 1;
        }
        if j >= b.len() || b[j] != x {
            out.push(x);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn merge_helpers() {
        assert_eq!(intersect(&[1, 3, 5, 7], &[3, 4, 5]), vec![3, 5]);
        assert_eq!(subtract(&[1, 3, 5, 7], &[3, 4, 5]), vec![1, 7]);
        assert_eq!(subtract(&[1, 2], &[]), vec![1, 2]);
    }
}
