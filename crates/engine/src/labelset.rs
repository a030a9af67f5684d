//! Label-set operations the evaluator needs beyond `model::Labels`: keeping or dropping names
//! for matching and grouping, dropping the metric-name family, and Go's `Labels.String()`.

use std::hash::Hasher;

use model::fxhash::{FxHashMap, FxHasher};
use model::{quote, Label, Labels, METRIC_NAME};

/// Labels that go when the metric name goes (`__name__` and the type-and-unit metadata).
pub(crate) fn is_metadata_label(name: &str) -> bool {
    name == METRIC_NAME || name == "__type__" || name == "__unit__"
}

pub(crate) fn drop_metadata(l: &Labels) -> Labels {
    if !l.iter().any(|x| is_metadata_label(&x.name)) {
        return l.clone();
    }
    Labels::new(l.iter().filter(|x| !is_metadata_label(&x.name)).cloned())
}

/// Only the labels named in `names`.
pub(crate) fn keep_only(l: &Labels, names: &[String]) -> Labels {
    Labels::new(l.iter().filter(|x| names.iter().any(|n| n == &x.name)).cloned())
}

/// All labels except those in `names` and the metric name (Prometheus's `ignoring`/`without`
/// always leave the name out).
pub(crate) fn without(l: &Labels, names: &[String]) -> Labels {
    Labels::new(l.iter().filter(|x| x.name != METRIC_NAME && !names.iter().any(|n| n == &x.name)).cloned())
}

/// The matching key of a series for `on(names)` (`on == true`) or `ignoring(names)`.
pub(crate) fn match_labels(l: &Labels, on: bool, names: &[String]) -> Labels {
    if on {
        keep_only(l, names)
    } else {
        without(l, names)
    }
}

pub(crate) fn with_label(l: &Labels, name: &str, value: &str) -> Labels {
    let mut b = l.builder();
    b.set(name, value);
    b.build()
}

pub(crate) fn without_label(l: &Labels, name: &str) -> Labels {
    if l.get(name).is_none() {
        return l.clone();
    }
    Labels::new(l.iter().filter(|x| x.name != name).cloned())
}

/// `{__name__="x", a="b"}`: how Prometheus prints label sets inside error messages.
pub(crate) fn go_string(l: &Labels) -> String {
    let parts: Vec<String> = l
        .iter()
        .map(|Label { name, value }| {
            if model::is_legacy_label_name(name) {
                format!("{name}={}", quote(value))
            } else {
                format!("{}={}", quote(name), quote(value))
            }
        })
        .collect();
    format!("{{{}}}", parts.join(", "))
}

/// Assigns group ids to series by the labels a `by`/`on` list keeps or a `without`/`ignoring`
/// list leaves (with the metric name), in order of first appearance. A series' key is hashed
/// from its own labels; the key's label set is built once per group, not once per series.
pub(crate) struct Grouper<'n> {
    names: &'n [String],
    /// `by`/`on` (keep `names`) rather than `without`/`ignoring`.
    keep: bool,
    by_hash: FxHashMap<u64, u32>,
    /// Per group: the next group with the same hash (`u32::MAX` at the end), and its labels.
    next: Vec<u32>,
    keys: Vec<Labels>,
}

impl<'n> Grouper<'n> {
    pub fn new(names: &'n [String], keep: bool) -> Self {
        Grouper { names, keep, by_hash: FxHashMap::default(), next: Vec::new(), keys: Vec::new() }
    }

    fn kept<'l>(&self, l: &'l Labels) -> impl Iterator<Item = &'l Label> + 'l
    where
        'n: 'l,
    {
        let (names, keep): (&'l [String], bool) = (self.names, self.keep);
        l.iter().filter(move |x| {
            if keep {
                names.iter().any(|n| n == &x.name)
            } else {
                x.name != METRIC_NAME && !names.iter().any(|n| n == &x.name)
            }
        })
    }

    /// The group of `l`, a new one when no earlier series had its key.
    pub fn group(&mut self, l: &Labels) -> u32 {
        let mut h = FxHasher::default();
        for x in self.kept(l) {
            h.write(x.name.as_bytes());
            h.write_u8(0xff);
            h.write(x.value.as_bytes());
            h.write_u8(0xff);
        }
        let hash = h.finish();
        let mut at = self.by_hash.get(&hash).copied();
        while let Some(g) = at.filter(|&g| g != u32::MAX) {
            if let Some(key) = self.keys.get(g as usize) {
                if key.iter().eq(self.kept(l)) {
                    return g;
                }
            }
            at = self.next.get(g as usize).copied();
        }
        let g = self.keys.len() as u32;
        let first = self.by_hash.insert(hash, g).unwrap_or(u32::MAX);
        self.next.push(first);
        self.keys.push(Labels::new(self.kept(l).cloned()));
        g
    }

    /// The label sets of the groups, by id.
    pub fn into_keys(self) -> Vec<Labels> {
        self.keys
    }
}
