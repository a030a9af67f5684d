//! Query results out of the playground: the Prometheus HTTP API JSON envelope (byte for byte
//! as `/api/v1/query` writes it) and CSV. Shared by the CLI and the browser app, which both
//! hand over a borrowed [`ResultView`] of the engine's value (formats does not know the engine).

mod api_json;
mod csv;

pub use api_json::{api_error, api_success, json_string};
pub use csv::to_csv;

use model::{Labels, Sample, Timestamp};

/// One sample of an instant vector.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct VectorRow<'a> {
    pub labels: &'a Labels,
    pub t: Timestamp,
    pub v: f64,
}

/// One series of a range vector.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct MatrixRow<'a> {
    pub labels: &'a Labels,
    pub samples: &'a [Sample],
}

/// A query result in Prometheus's four value types, borrowed from whoever computed it.
/// Scalars and strings carry the evaluation time, as the API prints them with it.
#[derive(Clone, Debug, PartialEq)]
pub enum ResultView<'a> {
    Scalar { t: Timestamp, v: f64 },
    String { t: Timestamp, s: &'a str },
    Vector(Vec<VectorRow<'a>>),
    Matrix(Vec<MatrixRow<'a>>),
}

impl ResultView<'_> {
    /// The API's `resultType`.
    pub fn type_name(&self) -> &'static str {
        match self {
            ResultView::Scalar { .. } => "scalar",
            ResultView::String { .. } => "string",
            ResultView::Vector(_) => "vector",
            ResultView::Matrix(_) => "matrix",
        }
    }
}
