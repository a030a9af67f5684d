//! A query result that owns its data, for results that do not come from an engine value (a
//! server's API JSON, a test's expectation); [`OwnedResult::view`] borrows it in the shape
//! `resultdiff::diff` and [`crate::export`] take.

use crate::export::{MatrixRow, ResultView, VectorRow};
use model::{Labels, Sample, Timestamp};

/// One sample of an instant vector.
#[derive(Clone, Debug, PartialEq)]
pub struct OwnedSample {
    pub labels: Labels,
    pub t: Timestamp,
    pub v: f64,
}

/// Prometheus's four value types; scalars and strings carry the evaluation time.
#[derive(Clone, Debug, PartialEq)]
pub enum OwnedResult {
    Scalar { t: Timestamp, v: f64 },
    String { t: Timestamp, s: String },
    Vector(Vec<OwnedSample>),
    Matrix(Vec<(Labels, Vec<Sample>)>),
}

impl OwnedResult {
    pub fn view(&self) -> ResultView<'_> {
        match self {
            OwnedResult::Scalar { t, v } => ResultView::Scalar { t: *t, v: *v },
            OwnedResult::String { t, s } => ResultView::String { t: *t, s },
            OwnedResult::Vector(rows) => {
                ResultView::Vector(rows.iter().map(|r| VectorRow { labels: &r.labels, t: r.t, v: r.v }).collect())
            }
            OwnedResult::Matrix(series) => {
                ResultView::Matrix(series.iter().map(|(labels, samples)| MatrixRow { labels, samples }).collect())
            }
        }
    }

    /// Copies a borrowed result.
    pub fn from_view(view: &ResultView<'_>) -> OwnedResult {
        match view {
            ResultView::Scalar { t, v } => OwnedResult::Scalar { t: *t, v: *v },
            ResultView::String { t, s } => OwnedResult::String { t: *t, s: s.to_string() },
            ResultView::Vector(rows) => OwnedResult::Vector(
                rows.iter().map(|r| OwnedSample { labels: r.labels.clone(), t: r.t, v: r.v }).collect(),
            ),
            ResultView::Matrix(rows) => {
                OwnedResult::Matrix(rows.iter().map(|r| (r.labels.clone(), r.samples.to_vec())).collect())
            }
        }
    }
}
