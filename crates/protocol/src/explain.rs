//! The messages of the Explain tab and the histogram_quantile explainer: the query as a tree of
//! nodes, each with its own result and what went into it, and one classic histogram's quantile
//! taken apart step by step. Kept apart from the run messages so each feature's shapes read on
//! their own; every text is formatted by the worker.

use serde::{Deserialize, Serialize};

use crate::ResultView;

/// The evaluated tree, nodes in pre-order (a parent before its children, left to right).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ExplainReply {
    /// The instant the tree was evaluated at.
    pub time_ms: i64,
    pub nodes: Vec<ExplainNode>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ExplainNode {
    /// Index of the parent in `ExplainReply::nodes`; `None` for the root.
    pub parent: Option<usize>,
    pub depth: usize,
    /// What kind of node (`aggregation`, `range selector`, …).
    pub kind: String,
    /// The node's PromQL as written in the query.
    pub text: String,
    /// One plain-language sentence on what the node does.
    pub explanation: String,
    /// `3 series`, `scalar`, `string`; the error when the node failed on its own.
    pub count_text: String,
    /// The first few results as `labels => value`.
    pub preview: Vec<String>,
    /// How long the node took, children included: the engine's trace where it has a clock,
    /// otherwise the node evaluated on its own.
    pub elapsed_ms: f64,
    pub error: Option<String>,
    /// The node's full result at the evaluation time (capped; see `ResultView::rows`).
    pub result: Option<ResultView>,
    /// Which inputs went into each output value, for aggregations and range-vector functions.
    pub provenance: Option<Provenance>,
    /// A histogram_quantile call: the explainer can take it apart.
    pub histogram_quantile: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Provenance {
    /// Cross-sectional: an aggregation combines series (rows) at one instant.
    Groups(Vec<ProvenanceGroup>),
    /// Longitudinal: a range-vector function combines the samples (columns) of one series'
    /// window `(from, to]`.
    Windows { from_ms: i64, to_ms: i64, rows: Vec<ProvenanceWindow> },
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ProvenanceGroup {
    /// The group's labels (`by`/`without` applied).
    pub group: String,
    /// The output series of the group as `labels => value`.
    pub outputs: Vec<String>,
    /// The input series as (labels, value, whether it appears in the output: topk and friends).
    pub inputs: Vec<(String, String, bool)>,
    /// Inputs left out of `inputs` to keep the reply small.
    pub more_inputs: usize,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ProvenanceWindow {
    pub series: String,
    /// The function's value for this series; empty when it produced none (too few samples).
    pub value: String,
    /// The window's samples as (seconds before the evaluation time, value).
    pub samples: Vec<(String, String)>,
    pub more_samples: usize,
}

/// What the histogram_quantile explainer takes apart.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct HistogramRequest {
    /// φ as typed; ignored for `Query` (the query's own φ is used).
    pub phi: String,
    pub source: HistogramSource,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum HistogramSource {
    /// Buckets typed as `le:count` pairs separated by commas (`1:20, 2:100, +Inf:100`).
    Buckets(String),
    /// Bucket bounds (comma-separated) over the built-in sample of observations: the what-if.
    Sample(String),
    /// Output series `series` of the histogram_quantile call that is node `node` (pre-order) of
    /// the query, at the query's evaluation time. Needs the data loaded.
    Query { query: crate::QueryRequest, node: usize, series: usize },
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct HistogramReply {
    /// For `Query`: every output series, to choose from; `chosen` is the one explained.
    pub series: Vec<String>,
    pub chosen: usize,
    pub phi: f64,
    /// The buckets as the engine reads them: sorted by bound, duplicates summed.
    pub buckets: Vec<HistogramBucket>,
    /// Observations (the +Inf bucket's count after the monotonicity fix).
    pub total: f64,
    /// φ · total.
    pub rank: f64,
    /// The bucket the rank falls in (index into `buckets`), when the estimate interpolates.
    pub bucket: Option<usize>,
    /// The engine's answer, and as text.
    pub value: f64,
    pub value_text: String,
    /// The computation in words, one line each (rank, bucket, interpolation).
    pub steps: Vec<String>,
    /// Which rule decided the answer (an edge case or the interpolation), in words.
    pub case: String,
    /// The engine's warnings and infos for this histogram.
    pub notes: Vec<String>,
    pub what_if: Option<WhatIf>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct HistogramBucket {
    /// The `le` label as written.
    pub le: String,
    pub upper: f64,
    /// As given, and after the monotonicity fix (equal unless a decrease was fixed).
    pub count: f64,
    pub fixed: f64,
}

/// The estimate against the truth over the built-in sample.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct WhatIf {
    pub observations: usize,
    /// The exact φ-quantile of the observations (linear between closest ranks, as the
    /// `quantile` aggregation computes it).
    pub true_value: f64,
    pub estimate: f64,
    /// estimate − true, and that relative to the true value (percent).
    pub error: f64,
    pub error_percent: f64,
    /// The observations' smallest and largest value, for choosing bounds.
    pub min: f64,
    pub max: f64,
}
