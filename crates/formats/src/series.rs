//! Turns the series text of sample lines into shared `Labels`, once per distinct text, and
//! catches duplicate samples. Large captures repeat the same few thousand series text for
//! hundreds of thousands of lines; looking the raw text up first avoids unescaping, sorting
//! and allocating labels for every line.

use model::{Label, Labels, METRIC_NAME};

use crate::float::normalize_le;
use crate::scan::{err, unescape_label, LineResult, RawLabel, RawSeries};
use crate::types::MetricType;
use model::fxhash::FxHashMap;

struct SeriesState {
    labels: Labels,
    /// Line of the last sample, for duplicate messages.
    last_line: usize,
    last_ts: Option<i64>,
    seen_without_ts: bool,
}

/// What a sample line resolved to.
#[derive(Clone, Copy)]
pub(crate) struct Resolved {
    pub series: u32,
    pub family: usize,
    /// The spelling of the series text it was found by (an index into the text cache).
    pub entry: u32,
}

/// One spelling of a series text, and the spelling that followed it on the last sample
/// line stored after it.
struct Entry<'a> {
    text: &'a str,
    resolved: Resolved,
    next: u32,
}

const NO_ENTRY: u32 = u32::MAX;

#[derive(Default)]
pub(crate) struct SeriesTable<'a> {
    by_text: FxHashMap<&'a str, u32>,
    entries: Vec<Entry<'a>>,
    /// The spelling of the last stored sample (`NO_ENTRY` after a reset).
    prev: u32,
    by_labels: FxHashMap<Labels, u32>,
    series: Vec<SeriesState>,
}

impl<'a> SeriesTable<'a> {
    pub fn new() -> Self {
        SeriesTable {
            prev: NO_ENTRY,
            ..SeriesTable::default()
        }
    }

    /// Forgets the text cache: family resolution (and so `le` normalisation) may differ now.
    pub fn invalidate_text_cache(&mut self) {
        self.by_text.clear();
        self.entries.clear();
        self.prev = NO_ENTRY;
    }

    pub fn cached(&self, text: &str) -> Option<Resolved> {
        let &e = self.by_text.get(text)?;
        self.entries.get(e as usize).map(|e| e.resolved)
    }

    /// The series text the next sample line most likely starts with: whatever followed the
    /// previous line's spelling last time. In a capture grouped by series that is the same
    /// series again; in a timeline of scrapes it is the next series of the scrape. Checking
    /// one guess with a byte comparison is cheaper than hashing the text.
    pub fn predicted(&self) -> Option<(&'a str, Resolved)> {
        let prev = self.entries.get(self.prev as usize)?;
        let next = self.entries.get(prev.next as usize)?;
        Some((next.text, next.resolved))
    }

    /// Records that a sample line found by spelling `entry` was stored.
    pub fn stored(&mut self, entry: u32) {
        if let Some(p) = self.entries.get_mut(self.prev as usize) {
            p.next = entry;
        }
        self.prev = entry;
    }

    /// Builds the label set of a series seen for the first time in this spelling.
    pub fn resolve(
        &mut self,
        raw: &RawSeries<'a>,
        labels: &[RawLabel<'a>],
        family: usize,
        kind: MetricType,
    ) -> LineResult<Resolved> {
        let name = if raw.name_esc {
            unescape_label(raw.name)
        } else {
            raw.name.to_string()
        };
        if name.is_empty() {
            return err(raw.name_pos, "metric name must not be empty");
        }
        let mut out: Vec<(Label, usize)> = Vec::with_capacity(labels.len() + 1);
        out.push((Label::new(METRIC_NAME, name), raw.name_pos));
        for l in labels {
            let lname = if l.name_esc {
                unescape_label(l.name)
            } else {
                l.name.to_string()
            };
            if lname.is_empty() {
                return err(l.pos, "label name must not be empty");
            }
            let mut value = if l.value_esc {
                unescape_label(l.value)
            } else {
                l.value.to_string()
            };
            // Prometheus 3.x rewrites classic-histogram `le` and summary `quantile` values to
            // one spelling so `le="1"` and `le="1.0"` are the same series.
            if (kind == MetricType::Histogram && lname == "le")
                || (kind == MetricType::Summary && lname == "quantile")
            {
                value = normalize_le(&value);
            }
            out.push((Label::new(lname, value), l.pos));
        }
        model::sort::sort_by(&mut out, |a, b| a.0.name.cmp(&b.0.name).then(a.1.cmp(&b.1)));
        for w in out.windows(2) {
            if let [a, b] = w {
                if a.0.name == b.0.name {
                    return err(b.1, format!("label name {:?} is not unique", b.0.name));
                }
            }
        }
        let labels = Labels::new(out.into_iter().map(|(l, _)| l));
        let next = u32::try_from(self.series.len()).unwrap_or(u32::MAX);
        let id = *self.by_labels.entry(labels.clone()).or_insert(next);
        if id == next {
            self.series.push(SeriesState {
                labels,
                last_line: 0,
                last_ts: None,
                seen_without_ts: false,
            });
        }
        // Far fewer than 2^32 spellings fit in memory; the index stays a u32 like series ids.
        let entry = self.entries.len() as u32;
        let r = Resolved {
            series: id,
            family,
            entry,
        };
        self.entries.push(Entry {
            text: raw.text,
            resolved: r,
            next: NO_ENTRY,
        });
        self.by_text.insert(raw.text, entry);
        Ok(r)
    }

    pub fn labels(&self, id: u32) -> Labels {
        self.series
            .get(id as usize)
            .map(|s| s.labels.clone())
            .unwrap_or_default()
    }

    /// Records a sample; a second sample of one series at the same time is an error, as
    /// Prometheus rejects it on append. Only the previous timestamp is remembered: an
    /// earlier one coming back is out of order, which the store reports, not the parser.
    pub fn record(&mut self, id: u32, ts: Option<i64>, line: usize) -> Result<(), String> {
        let Some(s) = self.series.get_mut(id as usize) else {
            return Ok(());
        };
        let dup = match ts {
            None => std::mem::replace(&mut s.seen_without_ts, true),
            Some(t) => s.last_line != 0 && s.last_ts == Some(t),
        };
        if dup {
            let at = match ts {
                Some(t) => format!(" at timestamp {t}"),
                None => String::new(),
            };
            return Err(format!(
                "duplicate sample for series {}{at} (previous sample on line {})",
                s.labels, s.last_line
            ));
        }
        if ts.is_some() {
            s.last_ts = ts;
        }
        s.last_line = line;
        Ok(())
    }
}
