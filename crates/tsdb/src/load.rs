//! Loading a parsed exposition into the store as one scrape.

use model::fxhash::FxHashMap;
use model::{Labels, Timestamp};
use std::fmt;

use crate::append::AppendError;
use crate::storage::{SeriesId, Storage};

/// A sample of the exposition the store refused, with the line it came from.
#[derive(Clone, Debug, PartialEq)]
pub struct LoadError {
    pub line: usize,
    pub message: String,
}

impl fmt::Display for LoadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:1: {}", self.line, self.message)
    }
}

impl std::error::Error for LoadError {}

/// One distinct series of a load: where it goes and what the load has put in it so far.
struct Slot<'e> {
    labels: &'e Labels,
    /// Address and length of the label set it was first seen with.
    key: (usize, usize),
    /// The slot of the sample that followed this one's last time (`SKIP`: none yet).
    next: u32,
    /// The series in the store, if it already exists there.
    id: Option<SeriesId>,
    /// Its newest sample: the store's before the load, then the load's own.
    newest: Option<(Timestamp, f64)>,
    /// Samples this load appends to it.
    added: usize,
}

/// Marks a sample accepted but not stored: an identical repeat of its series' newest sample.
const SKIP: u32 = u32::MAX;

impl Storage {
    /// Stores every sample of `exp`; samples without a timestamp count as scraped at
    /// `scrape_time`. Returns the number of samples stored.
    ///
    /// All or nothing: on error the store is unchanged, so the user's previous data survives a
    /// bad paste.
    pub fn load_exposition(
        &mut self,
        exp: &formats::Exposition,
        scrape_time: Timestamp,
    ) -> Result<usize, LoadError> {
        // First pass: find each sample's series and check it against that series' newest
        // sample, touching nothing. Parsers hand every sample of a series a clone of one
        // shared label set, so the allocation's address finds the series without hashing
        // the labels; equal labels in distinct allocations (a hand-built exposition) still
        // meet in `by_labels`.
        let mut slots: Vec<Slot<'_>> = Vec::new();
        let mut by_ptr: FxHashMap<(usize, usize), u32> = FxHashMap::default();
        let mut by_labels: FxHashMap<&Labels, u32> = FxHashMap::default();
        // Filled by index, not pushed: no capacity check per sample.
        let mut of_sample: Vec<u32> = vec![SKIP; exp.samples.len()];
        // The slot of the previous sample: the next sample's series is most often that one
        // again (a capture grouped by series) or the one that followed it last time (a
        // timeline of scrapes), which a comparison of addresses confirms without hashing.
        let mut prev = SKIP;
        for (n, s) in exp.samples.iter().enumerate() {
            let key = (s.labels.as_slice().as_ptr() as usize, s.labels.len());
            let guess = |i: u32| slots.get(i as usize).filter(|sl| sl.key == key).map(|_| i);
            let after = slots.get(prev as usize).map_or(SKIP, |p| p.next);
            let slot = match guess(prev).or_else(|| guess(after)) {
                Some(slot) => slot,
                None => match by_ptr.get(&key) {
                    Some(&slot) => slot,
                    None => {
                        let slot = match by_labels.get(&s.labels) {
                            Some(&slot) => slot,
                            None => {
                                // A store holds far fewer than 2^32 series; ids are u32 too.
                                let slot = slots.len() as u32;
                                let id = self.id_of(&s.labels);
                                let newest = id.and_then(|id| self.newest(id));
                                slots.push(Slot {
                                    labels: &s.labels,
                                    key,
                                    id,
                                    newest,
                                    added: 0,
                                    next: SKIP,
                                });
                                by_labels.insert(&s.labels, slot);
                                slot
                            }
                        };
                        by_ptr.insert(key, slot);
                        slot
                    }
                },
            };
            if slot != prev {
                if let Some(p) = slots.get_mut(prev as usize) {
                    p.next = slot;
                }
                prev = slot;
            }
            let Some(sl) = slots.get_mut(slot as usize) else {
                continue;
            };
            let t = s.timestamp_ms.unwrap_or(scrape_time);
            if let Some((newest, last_v)) = sl.newest {
                let refused = if t < newest {
                    Some(AppendError::OutOfOrder {
                        labels: s.labels.clone(),
                        t,
                        newest,
                    })
                } else if t == newest && last_v.to_bits() != s.value.to_bits() {
                    Some(AppendError::DuplicateTimestamp {
                        labels: s.labels.clone(),
                        t,
                        old: last_v,
                        new: s.value,
                    })
                } else {
                    None
                };
                if let Some(e) = refused {
                    return Err(LoadError {
                        line: s.line,
                        message: e.to_string(),
                    });
                }
                if t == newest {
                    continue;
                }
            }
            sl.newest = Some((t, s.value));
            sl.added += 1;
            if let Some(o) = of_sample.get_mut(n) {
                *o = slot;
            }
        }
        // Second pass: everything is valid. New series get their ids in order of first
        // appearance, and every column grows once, to its exact final length.
        // Per slot: its series and where its next sample goes.
        let mut at: Vec<(SeriesId, usize)> = slots
            .iter()
            .map(|sl| {
                let id = sl.id.unwrap_or_else(|| self.new_series(sl.labels));
                (id, self.grow_samples(id, sl.added))
            })
            .collect();
        for (s, &slot) in exp.samples.iter().zip(&of_sample) {
            if let Some((id, i)) = at.get_mut(slot as usize) {
                self.set_sample(*id, *i, s.timestamp_ms.unwrap_or(scrape_time), s.value);
                *i += 1;
            }
        }
        // Existing series may have had spare capacity from single appends: give it back, so
        // the store holds 16 bytes per float sample.
        self.shrink_to_fit();
        Ok(exp.samples.len())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> formats::Exposition {
        formats::parse_text(text).unwrap_or_else(|e| panic!("{e}"))
    }

    #[test]
    fn untimestamped_samples_take_the_scrape_time() {
        let mut db = Storage::new();
        let n = db
            .load_exposition(&parse("a 1\nb 2 5000\n"), 9000)
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(n, 2);
        assert_eq!(db.time_range(), Some((5000, 9000)));
        assert_eq!(
            db.memory_stats().sample_bytes,
            2 * 16,
            "{:?}",
            db.memory_stats()
        );
    }

    #[test]
    fn equal_labels_in_distinct_allocations_are_one_series() {
        // What promqltest's `load` blocks build by hand: no shared allocation to go by.
        let l = |n: &str| Labels::from_pairs([("__name__", n)]);
        let sample = |labels: Labels, t: i64, value: f64, line: usize| formats::Sample {
            labels,
            value,
            timestamp_ms: Some(t),
            line,
            exemplar: None,
        };
        let exp = formats::Exposition {
            samples: vec![
                sample(l("a"), 10, 1.0, 1),
                sample(l("b"), 10, 1.0, 2),
                sample(l("a"), 20, 2.0, 3),
                sample(l("a"), 20, 2.0, 4),
            ],
            families: Vec::new(),
        };
        let mut db = Storage::new();
        assert_eq!(db.load_exposition(&exp, 0), Ok(4));
        assert_eq!(
            (db.num_series(), db.num_samples()),
            (2, 3),
            "the identical repeat is accepted, not stored"
        );
        let bad = formats::Exposition {
            samples: vec![sample(l("b"), 30, 1.0, 7), sample(l("b"), 30, 5.0, 8)],
            families: Vec::new(),
        };
        let err = db.load_exposition(&bad, 0).err();
        assert_eq!(err.as_ref().map(|e| e.line), Some(8));
        assert!(err.is_some_and(|e| e
            .message
            .starts_with("duplicate sample for timestamp 30 of b")));
        assert_eq!(db.num_samples(), 3);
    }

    #[test]
    fn loads_extend_existing_series_and_their_start_times() {
        let mut db = Storage::new();
        let a = Labels::from_pairs([("__name__", "a")]);
        db.append_with_st(&a, 1000, 1.0, 500)
            .unwrap_or_else(|e| panic!("{e}"));
        // The repeat of the newest sample is accepted; the rest lands after it.
        let n = db
            .load_exposition(&parse("a 1 1000\na 2 2000\nb 5 2000\n"), 0)
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(n, 3);
        assert_eq!((db.num_series(), db.num_samples()), (2, 3));
        let w = db.window(0, 0, 5000).unwrap_or_else(|| panic!("series a"));
        assert_eq!(
            (w.ts, w.vs, w.st),
            (&[1000, 2000][..], &[1.0, 2.0][..], Some(&[500, 0][..]))
        );
        assert_eq!(db.memory_stats().sample_bytes, 3 * 16 + 2 * 8);
    }

    /// What a load must amount to: every sample appended in order, or on the first refusal
    /// that sample's line and message with nothing stored.
    fn reference(
        before: &Storage,
        exp: &formats::Exposition,
    ) -> Result<Vec<String>, (usize, String)> {
        let mut db = Storage::new();
        for id in 0..before.num_series() as u32 {
            if let Some(w) = before.window(id, i64::MIN, i64::MAX) {
                for (&t, &v) in w.ts.iter().zip(w.vs) {
                    db.append(w.labels, t, v).map_err(|e| (0, e.to_string()))?;
                }
            }
        }
        for s in &exp.samples {
            db.append(&s.labels, s.timestamp_ms.unwrap_or(0), s.value)
                .map_err(|e| (s.line, e.to_string()))?;
        }
        Ok(dump(&db))
    }

    fn dump(db: &Storage) -> Vec<String> {
        (0..db.num_series() as u32)
            .filter_map(|id| db.window(id, i64::MIN, i64::MAX))
            .map(|w| format!("{} {:?} {:?}", w.labels, w.ts, w.vs))
            .collect()
    }

    #[test]
    fn loads_match_appending_one_sample_at_a_time() {
        let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
        let mut pick = |n: u64| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x % n
        };
        let (mut checked, mut refused) = (0, 0);
        for _ in 0..400 {
            // Scrapes of a few series, mostly in time order, now and then going back or
            // repeating a timestamp with the same or another value.
            let mut text = String::new();
            let series = 1 + pick(5);
            for scrape in 0..1 + pick(6) as i64 {
                for k in 0..series {
                    let t = match pick(60) {
                        0 => scrape * 1000 - 1000,
                        1 => scrape * 1000 - 1,
                        _ => scrape * 1000 + 1000,
                    };
                    let v = if pick(10) == 0 { 7 } else { scrape };
                    text.push_str(&format!("m{{k=\"{k}\"}} {v} {t}\n"));
                }
            }
            let Ok(exp) = formats::parse_text(&text) else {
                continue;
            };
            let mut db = Storage::new();
            db.load_exposition(&parse("m{k=\"0\"} 1 500\nm{k=\"9\"} 1 0\n"), 0)
                .unwrap_or_else(|e| panic!("{e}"));
            let want = reference(&db, &exp);
            // The same samples again in label sets of their own, as a hand-built exposition
            // would have them.
            let mut copied = exp.clone();
            for s in &mut copied.samples {
                s.labels = Labels::new(s.labels.iter().cloned());
            }
            for e in [&exp, &copied] {
                let mut got_db = Storage::new();
                got_db
                    .load_exposition(&parse("m{k=\"0\"} 1 500\nm{k=\"9\"} 1 0\n"), 0)
                    .unwrap_or_else(|e| panic!("{e}"));
                let before = dump(&got_db);
                let got = got_db
                    .load_exposition(e, 0)
                    .map(|_| dump(&got_db))
                    .map_err(|e| (e.line, e.message));
                assert_eq!(got, want, "{text}");
                if got.is_err() {
                    assert_eq!(
                        dump(&got_db),
                        before,
                        "a refused load changed the store: {text}"
                    );
                    refused += 1;
                }
                checked += 1;
            }
        }
        assert!(
            checked > 200 && refused > 50 && checked - refused > 50,
            "{checked} loads checked, {refused} refused"
        );
    }

    #[test]
    fn a_refused_load_changes_nothing() {
        let mut db = Storage::new();
        db.load_exposition(&parse("a 1 5000\n"), 0)
            .unwrap_or_else(|e| panic!("{e}"));
        // `b` is new and fine, but `a` goes back in time: nothing of this load may land.
        let err = db.load_exposition(&parse("b 1 6000\na 2 4000\n"), 0).err();
        assert_eq!(err.map(|e| e.line), Some(2));
        assert_eq!(db.num_series(), 1);
        assert_eq!(db.num_samples(), 1);
    }
}
