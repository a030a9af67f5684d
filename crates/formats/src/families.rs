//! Metric-family bookkeeping: which family a sample name belongs to, and the metadata rules of
//! each format (one TYPE/HELP/UNIT per family, metadata before samples, and in OpenMetrics,
//! families that do not interleave).

use model::fxhash::FxHashMap;
use crate::types::{Family, MetricType};

#[derive(Default, Clone, Copy)]
struct State {
    has_type: bool,
    has_samples: bool,
}

#[derive(Default)]
pub(crate) struct Families {
    pub list: Vec<Family>,
    state: Vec<State>,
    by_name: FxHashMap<String, usize>,
    /// OpenMetrics: the family whose lines are being read; every other family is finished.
    current: Option<usize>,
}

/// Metadata line kinds.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum Meta {
    Help,
    Type,
    Unit,
}

impl Meta {
    pub fn word(self) -> &'static str {
        match self {
            Meta::Help => "HELP",
            Meta::Type => "TYPE",
            Meta::Unit => "UNIT",
        }
    }
}

/// A point to roll family creation back to.
#[derive(Clone, Copy)]
pub(crate) struct Mark {
    len: usize,
    current: Option<usize>,
}

impl Families {
    pub fn mark(&self) -> Mark {
        Mark {
            len: self.list.len(),
            current: self.current,
        }
    }

    /// Forgets families created since `m` (only implicit ones can be: metadata lines never
    /// roll back).
    pub fn rollback(&mut self, m: Mark) {
        while self.list.len() > m.len {
            if let Some(f) = self.list.pop() {
                self.by_name.remove(&f.name);
            }
            self.state.pop();
        }
        self.current = m.current;
    }

    pub fn kind(&self, idx: usize) -> MetricType {
        self.list.get(idx).map_or(MetricType::Unknown, |f| f.kind)
    }

    fn create(&mut self, name: &str) -> usize {
        let idx = self.list.len();
        self.list.push(Family {
            name: name.to_string(),
            kind: MetricType::Unknown,
            help: None,
            unit: None,
        });
        self.state.push(State::default());
        self.by_name.insert(name.to_string(), idx);
        idx
    }

    fn get_or_create(&mut self, name: &str) -> usize {
        match self.by_name.get(name) {
            Some(&i) => i,
            None => self.create(name),
        }
    }

    pub fn mark_sample(&mut self, idx: usize) {
        if let Some(s) = self.state.get_mut(idx) {
            s.has_samples = true;
        }
    }

    // ---- text 0.0.4 ----

    /// `# TYPE`: at most once per family and never after the family's samples, as the
    /// reference text parser (client_golang's expfmt) insists.
    pub fn text_type(&mut self, name: &str, kind: MetricType) -> Result<(), String> {
        let idx = self.get_or_create(name);
        let st = self.state.get(idx).copied().unwrap_or_default();
        if st.has_type || st.has_samples {
            return Err(format!(
                "second TYPE line for metric name {name:?}, or TYPE reported after samples"
            ));
        }
        if let (Some(f), Some(s)) = (self.list.get_mut(idx), self.state.get_mut(idx)) {
            f.kind = kind;
            s.has_type = true;
        }
        Ok(())
    }

    pub fn text_help(&mut self, name: &str, help: String) -> Result<(), String> {
        let idx = self.get_or_create(name);
        match self.list.get_mut(idx) {
            Some(f) if f.help.is_some() => {
                Err(format!("second HELP line for metric name {name:?}"))
            }
            Some(f) => {
                f.help = Some(help);
                Ok(())
            }
            None => Ok(()),
        }
    }

    /// The family of a sample name: the family of that exact name, else a histogram or
    /// summary whose `_bucket`/`_count`/`_sum` it is, else a new untyped family.
    pub fn text_resolve(&mut self, name: &str) -> usize {
        if let Some(&i) = self.by_name.get(name) {
            return i;
        }
        for (suffix, kinds) in [
            ("_bucket", &[MetricType::Histogram][..]),
            ("_count", &[MetricType::Histogram, MetricType::Summary][..]),
            ("_sum", &[MetricType::Histogram, MetricType::Summary][..]),
        ] {
            if let Some(base) = name.strip_suffix(suffix) {
                if let Some(&i) = self.by_name.get(base) {
                    if kinds.contains(&self.kind(i)) {
                        return i;
                    }
                }
            }
        }
        self.create(name)
    }

    // ---- OpenMetrics 1.0 ----

    pub fn om_meta(&mut self, name: &str, meta: Meta, value: &str) -> Result<(), String> {
        let idx = match self.by_name.get(name) {
            Some(&i) => {
                if self.current != Some(i) {
                    return Err(format!(
                        "{} for metric family {name:?} after other families: the lines of a family must be contiguous",
                        meta.word()
                    ));
                }
                if self.state.get(i).is_some_and(|s| s.has_samples) {
                    return Err(format!(
                        "{} for metric family {name:?} after its samples",
                        meta.word()
                    ));
                }
                i
            }
            None => {
                let i = self.create(name);
                self.current = Some(i);
                i
            }
        };
        let (Some(f), Some(st)) = (self.list.get_mut(idx), self.state.get_mut(idx)) else {
            return Ok(());
        };
        let dup = match meta {
            Meta::Help => f.help.replace(value.to_string()).is_some(),
            Meta::Unit => f.unit.replace(value.to_string()).is_some(),
            Meta::Type => {
                let dup = std::mem::replace(&mut st.has_type, true);
                if let Some(k) = MetricType::from_openmetrics(value) {
                    f.kind = k;
                }
                dup
            }
        };
        if dup {
            return Err(format!(
                "second {} line for metric family {name:?}",
                meta.word()
            ));
        }
        Ok(())
    }

    /// The family of an OpenMetrics sample: the current family if the name is one of its
    /// sample names, else a new family with no metadata. A name that belongs to a finished
    /// family is an error (families must not interleave).
    pub fn om_resolve(&mut self, name: &str) -> Result<usize, String> {
        if let Some(c) = self.current {
            if let Some(f) = self.list.get(c) {
                if om_member(f.kind, &f.name, name) {
                    return Ok(c);
                }
            }
        }
        if let Some(&i) = self.by_name.get(name) {
            let fam = self.list.get(i).map_or("", |f| f.name.as_str());
            return Err(format!("sample of metric family {fam:?} after other families: the lines of a family must be contiguous"));
        }
        let i = self.create(name);
        self.current = Some(i);
        Ok(i)
    }

    pub fn is_current(&self, idx: usize) -> bool {
        self.current == Some(idx)
    }

    pub fn name(&self, idx: usize) -> &str {
        self.list.get(idx).map_or("", |f| f.name.as_str())
    }
}

/// Whether `sample` is a sample name of family `family` of type `kind` in OpenMetrics 1.0.
/// The bare family name is accepted for every type, as Prometheus accepts it.
fn om_member(kind: MetricType, family: &str, sample: &str) -> bool {
    let Some(suffix) = sample.strip_prefix(family) else {
        return false;
    };
    if suffix.is_empty() {
        return true;
    }
    let allowed: &[&str] = match kind {
        MetricType::Counter => &["_total", "_created"],
        MetricType::Histogram => &["_bucket", "_count", "_sum", "_created"],
        MetricType::GaugeHistogram => &["_bucket", "_gcount", "_gsum"],
        MetricType::Summary => &["_count", "_sum", "_created"],
        MetricType::Info => &["_info"],
        MetricType::Gauge | MetricType::StateSet | MetricType::Unknown => &[],
    };
    allowed.contains(&suffix)
}
