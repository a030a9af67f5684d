//! What both parsers share once a line is tokenised: resolving the family and series of a
//! sample, enforcing duplicate rules, and collecting samples, families and errors. Strict mode
//! stops at the first error; lenient mode drops the bad line and goes on.

use std::borrow::Cow;

use model::{Label, Labels};

use crate::error::ParseError;
use crate::families::Families;
use crate::scan::{col_of, err, unescape_label, LineError, LineResult, RawLabel, RawSeries};
use crate::series::{Resolved, SeriesTable};
use crate::types::{Exemplar, Exposition, Sample};

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum Dialect {
    Text,
    OpenMetrics,
}

/// A tokenised exemplar (`# {labels} value [timestamp]`).
pub(crate) struct RawExemplar<'a> {
    pub labels: Vec<RawLabel<'a>>,
    pub value: f64,
    pub timestamp_ms: Option<i64>,
}

/// A tokenised sample line; its labels live in the caller's reusable buffer.
pub(crate) struct RawSample<'a> {
    pub series: RawSeries<'a>,
    /// Set when the series text was already known, in which case the labels were not
    /// tokenised at all.
    pub known: Option<Resolved>,
    pub value: f64,
    pub timestamp_ms: Option<i64>,
    pub exemplar: Option<RawExemplar<'a>>,
}

pub(crate) struct Builder<'a> {
    pub samples: Vec<Sample>,
    pub families: Families,
    pub series: SeriesTable<'a>,
    pub errors: Vec<ParseError>,
    pub lenient: bool,
    dialect: Dialect,
}

impl<'a> Builder<'a> {
    pub fn new(dialect: Dialect, lenient: bool, input_len: usize) -> Self {
        Builder {
            // Sample lines with their labels run 60-140 bytes; reserving for ~96 avoids most
            // regrowth copies without holding twice the memory needed (wasm never gives
            // memory back, so an over-reservation stays for the life of the tab).
            samples: Vec::with_capacity((input_len / 96).min(1 << 24)),
            families: Families::default(),
            series: SeriesTable::new(),
            errors: Vec::new(),
            lenient,
            dialect,
        }
    }

    /// Records an error on `line`; returns whether parsing should go on.
    pub fn fail(&mut self, line_no: usize, line: &str, e: LineError) -> bool {
        self.errors
            .push(ParseError::new(line_no, col_of(line, e.pos), e.msg));
        self.lenient
    }

    pub fn fail_at(&mut self, line_no: usize, col: usize, msg: impl Into<String>) -> bool {
        self.errors.push(ParseError::new(line_no, col, msg));
        self.lenient
    }

    pub fn finish(self) -> (Exposition, Vec<ParseError>) {
        (
            Exposition {
                samples: self.samples,
                families: self.families.list,
            },
            self.errors,
        )
    }

    pub fn sample(
        &mut self,
        line_no: usize,
        mut raw: RawSample<'a>,
        labels: &[RawLabel<'a>],
    ) -> LineResult<()> {
        let pos = raw.series.name_pos;
        // Built first so a bad exemplar leaves no trace of the line behind.
        let exemplar = match raw.exemplar.take() {
            Some(e) => Some(Box::new(build_exemplar(e)?)),
            None => None,
        };
        let resolved = match raw.known {
            Some(r) => r,
            None => {
                let mark = self.families.mark();
                let r = self.resolve_new(&raw, labels);
                if r.is_err() {
                    // A rejected line must not leave an empty implicit family behind.
                    self.families.rollback(mark);
                }
                r?
            }
        };
        self.push(line_no, resolved, raw.value, raw.timestamp_ms, exemplar)
            .or_else(|m| err(pos, m))
    }

    /// Stores a sample of a resolved series after the checks every sample line gets. Changes
    /// nothing when it refuses, so the caller may still hand the line to the full parser.
    pub fn push(
        &mut self,
        line_no: usize,
        r: Resolved,
        value: f64,
        timestamp_ms: Option<i64>,
        exemplar: Option<Box<Exemplar>>,
    ) -> Result<(), String> {
        if self.dialect == Dialect::OpenMetrics && !self.families.is_current(r.family) {
            return Err(interleaved(self.families.name(r.family)));
        }
        self.series.record(r.series, timestamp_ms, line_no)?;
        self.families.mark_sample(r.family);
        self.series.stored(r.entry);
        self.samples.push(Sample {
            labels: self.series.labels(r.series),
            value,
            timestamp_ms,
            line: line_no,
            exemplar,
        });
        Ok(())
    }

    /// Family and label set of a series text not seen before.
    fn resolve_new(
        &mut self,
        raw: &RawSample<'a>,
        labels: &[RawLabel<'a>],
    ) -> LineResult<Resolved> {
        let pos = raw.series.name_pos;
        if !raw.series.has_name {
            return err(pos, "metric name not set");
        }
        let name: Cow<str> = if raw.series.name_esc {
            Cow::Owned(unescape_label(raw.series.name))
        } else {
            Cow::Borrowed(raw.series.name)
        };
        let fam = match self.dialect {
            Dialect::Text => self.families.text_resolve(&name),
            Dialect::OpenMetrics => self.families.om_resolve(&name).or_else(|m| err(pos, m))?,
        };
        let kind = self.families.kind(fam);
        self.series.resolve(&raw.series, labels, fam, kind)
    }
}

pub(crate) fn interleaved(family: &str) -> String {
    format!("sample of metric family {family:?} after other families: the lines of a family must be contiguous")
}

fn build_exemplar(e: RawExemplar<'_>) -> LineResult<Exemplar> {
    let mut out: Vec<(Label, usize)> = Vec::with_capacity(e.labels.len());
    for l in &e.labels {
        let name = if l.name_esc {
            unescape_label(l.name)
        } else {
            l.name.to_string()
        };
        let value = if l.value_esc {
            unescape_label(l.value)
        } else {
            l.value.to_string()
        };
        out.push((Label::new(name, value), l.pos));
    }
    model::sort::sort_by(&mut out, |a, b| a.0.name.cmp(&b.0.name).then(a.1.cmp(&b.1)));
    for w in out.windows(2) {
        if let [a, b] = w {
            if a.0.name == b.0.name {
                return err(b.1, format!("label name {:?} is not unique", b.0.name));
            }
        }
    }
    Ok(Exemplar {
        labels: Labels::new(out.into_iter().map(|(l, _)| l)),
        value: e.value,
        timestamp_ms: e.timestamp_ms,
    })
}
