//! Applies `load` blocks to the store (PROMQLTEST_FORMAT.md section 3): value `i` at
//! `i × interval`, `_` writes nothing, `stale` writes the staleness marker, and an `@st` line
//! gives each value its start timestamp (section 3.5). The store holds
//! floats only, so native-histogram samples are not stored; the series that would hold them
//! are remembered so that evals reading them can be skipped.

use model::{Labels, LabelsBuilder, METRIC_NAME, STALE_NAN};
use promql::SeriesValue;

use crate::script::Load;

/// What the evals of a file run against.
#[derive(Debug, Default)]
pub struct State {
    pub storage: tsdb::Storage,
    /// Series that have (or, through `load_with_nhcb`, would have) native-histogram samples,
    /// each with where it came from, so that a skip can say why.
    pub histogram_series: Vec<(Labels, HistogramOrigin)>,
}

impl State {
    pub fn clear(&mut self) {
        *self = State::default();
    }

    fn note_histogram_series(&mut self, labels: &Labels, origin: HistogramOrigin) {
        if !self.histogram_series.iter().any(|(l, _)| l == labels) {
            self.histogram_series.push((labels.clone(), origin));
        }
    }
}

/// Why a series holds native histograms: a `{{…}}` value written on a series line, or the
/// classic-to-native conversion of a `load_with_nhcb` block (both by their line in the file).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HistogramOrigin {
    Literal { line: usize },
    Nhcb { load_line: usize },
}

impl std::fmt::Display for HistogramOrigin {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            HistogramOrigin::Literal { line } => write!(f, "a {{{{…}}}} sample at line {line}"),
            HistogramOrigin::Nhcb { load_line } => write!(f, "the load_with_nhcb conversion at line {load_line}"),
        }
    }
}

/// Appends a load block; an append the store refuses fails the load (and so the file).
pub fn apply_load(state: &mut State, load: &Load) -> Result<(), String> {
    for s in &load.series {
        for (i, v) in s.values.iter().enumerate() {
            let t = i as i64 * load.interval;
            let value = match v {
                SeriesValue::Omitted => continue,
                SeriesValue::Float(f) => *f,
                SeriesValue::Stale => STALE_NAN,
                SeriesValue::Histogram(_) | SeriesValue::HistogramStep { .. } => {
                    state.note_histogram_series(&s.labels, HistogramOrigin::Literal { line: s.line });
                    continue;
                }
            };
            // An `@st` offset is relative to the sample's own time; "no ST" is stored as 0.
            let st = s.start_offsets.as_ref().and_then(|o| o.get(i).copied().flatten()).map_or(0, |off| t + off);
            state.storage.append_with_st(&s.labels, t, value, st).map_err(|e| format!("line {}: {e}", s.line))?;
        }
    }
    if load.with_nhcb {
        for s in &load.series {
            if let Some(base) = nhcb_base(&s.labels) {
                state.note_histogram_series(&base, HistogramOrigin::Nhcb { load_line: load.line });
            }
        }
    }
    Ok(())
}

/// The native series a classic `_bucket` series feeds under `load_with_nhcb`: the name without
/// its suffix, and no `le`. Buckets whose `le` is not a number are ignored, as the reference does.
fn nhcb_base(labels: &Labels) -> Option<Labels> {
    let base = labels.metric_name()?.strip_suffix("_bucket")?;
    let le: f64 = match labels.get("le")? {
        "+Inf" | "Inf" | "inf" | "+inf" => f64::INFINITY,
        other => other.parse().ok()?,
    };
    if le.is_nan() {
        return None;
    }
    let mut b: LabelsBuilder = labels.builder();
    b.del("le");
    b.set(METRIC_NAME, base);
    Some(b.build())
}
