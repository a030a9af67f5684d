//! The messages between the page (`crates/web`) and the evaluation worker (`crates/worker`).
//!
//! The page owns the user's texts and renders; the worker owns the store and the engine and
//! answers one request at a time, in order. Every reply is already shaped for display (label
//! sets printed as Prometheus prints them, values in the API's float format), so the page needs
//! neither the engine nor the data model. Types cross as JS objects through serde-wasm-bindgen,
//! and are plain Rust values when the session is called in-process (tests).

use serde::{Deserialize, Serialize};

mod explain;
pub use explain::*;

/// One request; its reply carries the same `id`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Request {
    pub id: u32,
    pub body: RequestBody,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum RequestBody {
    /// Load data (when given) and evaluate a query: one round trip per press of Run.
    Run(RunRequest),
    /// The last successful result in a download format.
    Export(ExportFormat),
    /// The query as a tree, each node evaluated at the instant query's time (data as loaded
    /// by the last run).
    Explain(QueryRequest),
    /// One classic histogram's quantile, step by step.
    Histogram(HistogramRequest),
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RunRequest {
    /// `None` when the worker already holds the data the page shows.
    pub load: Option<LoadRequest>,
    pub query: QueryRequest,
}

/// Replace the store with this text, all or nothing.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LoadRequest {
    pub text: String,
    /// Samples without a timestamp were scraped at this time.
    pub scrape_time_ms: i64,
    /// A dataset's own evaluation time; otherwise the newest sample's time is used.
    pub eval_time_ms: Option<i64>,
}

/// A query and its time controls as the user typed them; the worker reads them (RFC 3339 or
/// unix seconds, Prometheus durations or seconds, as the HTTP API does) and fills what is left
/// empty from the loaded data.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct QueryRequest {
    pub query: String,
    /// Instant query: the evaluation time; empty means the loaded data's evaluation time.
    pub time: String,
    /// A range query instead of an instant one.
    pub range: Option<RangeInput>,
}

/// Range query controls; each empty field is chosen from the data: `end` is the data's
/// evaluation time, `range` spans the data (at least 5m, the lookback), `step` gives about 250
/// points as Prometheus's graph does.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RangeInput {
    pub end: String,
    pub range: String,
    pub step: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RangeSpec {
    pub start_ms: i64,
    pub end_ms: i64,
    pub step_ms: i64,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum ExportFormat {
    Csv,
    ApiJson,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Response {
    pub id: u32,
    pub body: ResponseBody,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum ResponseBody {
    /// Sent once by a fresh worker: requests posted before it would be lost.
    Ready,
    Run(Box<RunReply>),
    /// `None` when there is no successful result to export.
    Export(Option<String>),
    Explain(Box<Result<ExplainReply, String>>),
    Histogram(Box<Result<HistogramReply, String>>),
    /// The worker failed in a way it could not answer for (a bug); the page says so and drops
    /// the worker (the next request starts a fresh one).
    Crashed(String),
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct RunReply {
    /// Present when the request loaded data: the summary, or `line:col: message`.
    pub load: Option<Result<DataSummary, String>>,
    /// Absent when there is no data to query (the load failed).
    pub result: Option<Result<ResultView, String>>,
    /// Wall-clock milliseconds the worker spent (load + query).
    pub elapsed_ms: f64,
}

/// What was loaded, for the data pane and the cardinality panel.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DataSummary {
    pub samples: usize,
    pub eval_time_ms: i64,
    pub min_time_ms: Option<i64>,
    pub max_time_ms: Option<i64>,
    /// Scrapes placed on a timeline (samples without timestamps): 1 for one pasted scrape.
    pub scrapes: usize,
    /// The interval between those scrapes.
    pub scrape_interval_ms: i64,
    /// Whether any sample came with its own time (timestamps, API JSON, `load` blocks).
    pub timestamped: bool,
    pub cardinality: Cardinality,
}

/// The TSDB status page's numbers for the loaded data.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Cardinality {
    pub num_series: usize,
    pub num_samples: usize,
    pub num_label_pairs: usize,
    pub memory_total_bytes: usize,
    pub series_count_by_metric_name: Vec<(String, usize)>,
    pub label_value_count_by_label_name: Vec<(String, usize)>,
    pub series_count_by_label_value_pair: Vec<(String, usize)>,
}

/// A query result, ready to render as a table (and, for range results, a graph).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ResultView {
    /// `vector`, `matrix`, `scalar` or `string`, as the API names them.
    pub result_type: String,
    pub rows: Vec<Row>,
    pub warnings: Vec<String>,
    pub infos: Vec<String>,
    /// The evaluation time of an instant query (the end of a range query).
    pub time_ms: i64,
    /// The range a range query ran over, with every default filled in.
    pub range: Option<RangeSpec>,
}

/// One series (or the scalar/string): its label set as Prometheus prints it, the table cell,
/// and the raw points for charts.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Row {
    pub labels: String,
    /// The metric name, if the series has one.
    pub metric: Option<String>,
    /// The label pairs without `__name__`, for sorting and for charts' legends.
    pub label_pairs: Vec<(String, String)>,
    pub value: String,
    /// Range results and range-vector instant results: every sample. Instant vectors: one.
    pub points: Vec<(i64, f64)>,
}

impl ResultView {
    /// `N series`, `scalar` or `string`, as the table's header says it.
    pub fn count_text(&self) -> String {
        match self.result_type.as_str() {
            "scalar" | "string" => self.result_type.clone(),
            _ => format!("{} series", self.rows.len()),
        }
    }
}
