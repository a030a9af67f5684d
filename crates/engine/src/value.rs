//! What a query returns: Prometheus's four value types, plus the annotations beside them.

use model::{Labels, Sample, Timestamp};

#[derive(Clone, Debug, PartialEq)]
pub struct VectorSample {
    pub labels: Labels,
    pub t: Timestamp,
    pub v: f64,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Series {
    pub labels: Labels,
    pub samples: Vec<Sample>,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    Scalar(f64),
    String(String),
    Vector(Vec<VectorSample>),
    Matrix(Vec<Series>),
}

impl Value {
    /// The name Prometheus's API gives the type (`resultType`).
    pub fn type_name(&self) -> &'static str {
        match self {
            Value::Scalar(_) => "scalar",
            Value::String(_) => "string",
            Value::Vector(_) => "vector",
            Value::Matrix(_) => "matrix",
        }
    }
}

/// A query's result with Prometheus's warnings and infos (texts as the API returns them).
#[derive(Clone, Debug, PartialEq)]
pub struct QueryResult {
    pub value: Value,
    pub warnings: Vec<String>,
    pub infos: Vec<String>,
}
