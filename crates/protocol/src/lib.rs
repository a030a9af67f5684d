//! The messages between the page (`crates/web`) and the evaluation worker (`crates/worker`).
//!
//! The page owns the user's texts and renders; the worker owns the store and the engine and
//! answers one request at a time, in order. Every reply is already shaped for display (label
//! sets printed as Prometheus prints them, values in the API's float format), so the page needs
//! neither the engine nor the data model. Types cross as JS objects through serde-wasm-bindgen,
//! and are plain Rust values when the session is called in-process (tests).

use serde::{Deserialize, Serialize};

mod explain;
mod lesson;
mod remote;
pub use explain::*;
pub use lesson::*;
pub use remote::*;

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
    /// Highlighting, the parse error and completions for the editor, as the user types.
    Analyze(AnalyzeRequest),
    /// The query in the multi-line form of `promtool promql format`.
    Format(String),
    /// Apply relabel rules to targets or to series (the Relabel view's Run).
    #[cfg(feature = "tools")]
    Relabel(Box<RelabelRequest>),
    /// The query as a tree, each node evaluated at the instant query's time (data as loaded
    /// by the last run).
    #[cfg(feature = "tools")]
    Explain(QueryRequest),
    /// A query on the loaded data that does not become the result to export: the Explain tab
    /// graphs one node's expression over the Graph tab's range with it.
    Evaluate(QueryRequest),
    /// One classic histogram's quantile, step by step.
    #[cfg(feature = "tools")]
    Histogram(HistogramRequest),
    /// Workshop mode: parse a lesson, check an answer.
    #[cfg(feature = "tools")]
    Lesson(LessonRequest),
    /// Remote mode: staged imports of a server's data and comparisons with its answers.
    #[cfg(feature = "tools")]
    Remote(RemoteRequest),
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AnalyzeRequest {
    pub query: String,
    /// The caret, as a byte offset into `query`: completions are for the word before it.
    pub cursor: usize,
}

/// What the editor draws over the query text.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Analysis {
    pub tokens: Vec<TokenSpan>,
    /// The first parse error: its byte span and `line:col: parse error: …`.
    pub error: Option<(usize, usize, String)>,
    /// Candidates for the word ending at the caret, which starts at `completion_from`.
    pub completions: Vec<Completion>,
    pub completion_from: usize,
    /// What the word at the caret names, so the page can add candidates the worker does not
    /// know (a remote server's names, in remote mode).
    #[serde(default)]
    pub context: CompletionContext,
}

/// Where the caret is, for completion; each case carries the part of the word already typed.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum CompletionContext {
    /// Nothing to complete here.
    #[default]
    None,
    /// A metric name, a function or a keyword.
    Expression { prefix: String },
    /// A label name, inside braces or a grouping list.
    LabelName { prefix: String },
    /// A value of `label`, inside its quotes. `closing` is the quote a chosen value is followed
    /// by when the string is not closed yet (empty when it is), so the list does not reopen.
    LabelValue { label: String, prefix: String, closing: String },
}

/// A highlighted stretch of the query, as byte offsets.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TokenSpan {
    pub start: usize,
    pub end: usize,
    pub class: TokenClass,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum TokenClass {
    Metric,
    Label,
    String,
    Number,
    Duration,
    Function,
    Aggregation,
    Keyword,
    Operator,
    Comment,
}

impl TokenClass {
    /// The CSS class the editor gives the stretch.
    pub fn css(self) -> &'static str {
        match self {
            TokenClass::Metric => "t-metric",
            TokenClass::Label => "t-label",
            TokenClass::String => "t-string",
            TokenClass::Number => "t-number",
            TokenClass::Duration => "t-duration",
            TokenClass::Function => "t-function",
            TokenClass::Aggregation => "t-aggregation",
            TokenClass::Keyword => "t-keyword",
            TokenClass::Operator => "t-operator",
            TokenClass::Comment => "t-comment",
        }
    }
}

/// One completion: what is shown, what is inserted, and a line saying what it is.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Completion {
    pub label: String,
    /// `function`, `aggregation`, `keyword`, `metric`, `label` or `value`.
    pub kind: String,
    /// A function's signature and description, a label value's series count, ….
    pub detail: String,
    pub insert: String,
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
    Analysis(Box<Analysis>),
    /// The formatted query, or the parse error that prevents formatting.
    Formatted(Result<String, String>),
    #[cfg(feature = "tools")]
    Relabel(Box<RelabelReply>),
    #[cfg(feature = "tools")]
    Explain(Box<Result<ExplainReply, String>>),
    Evaluated(Box<Result<ResultView, String>>),
    #[cfg(feature = "tools")]
    Histogram(Box<Result<HistogramReply, String>>),
    #[cfg(feature = "tools")]
    Lesson(Box<LessonReply>),
    #[cfg(feature = "tools")]
    Remote(RemoteReply),
    /// Sent during a long request (several per second at most), before its reply.
    Progress(ProgressView),
    /// The first worker cannot answer this request (its query has a regex that needs the Unicode
    /// tables it leaves out, or only the full worker answers its kind): the page hands it to the
    /// full worker.
    NeedsFull,
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

/// How far a long evaluation got: the node being evaluated (the latest one entered) and the
/// windows of its range function done so far (`total` 0 outside one).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ProgressView {
    pub node: Option<String>,
    pub done: usize,
    pub total: usize,
}

impl ProgressView {
    /// `rate(x[5m]) 42%`, or the node alone before its windows start.
    pub fn text(&self) -> String {
        let node = self.node.as_deref().unwrap_or("");
        if self.total == 0 {
            return node.to_string();
        }
        let pct = (self.done as f64 * 100.0 / self.total as f64).floor();
        format!("{node} {pct}%").trim_start().to_string()
    }
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

/// Relabel rules and what to apply them to. The rules are YAML as people write them: a list of
/// rules, a mapping with `relabel_configs`/`metric_relabel_configs`, one scrape config or a whole
/// prometheus.yml (then `job` picks the scrape job; the first one when absent or unknown).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RelabelRequest {
    pub rules_yaml: String,
    pub job: Option<String>,
    pub mode: RelabelMode,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum RelabelMode {
    /// `relabel_configs` over discovered targets: a YAML or JSON list of label maps, or file_sd
    /// groups (`[{targets: [...], labels: {...}}]`).
    Target { targets_text: String },
    /// `metric_relabel_configs` over series.
    Metric(MetricRelabel),
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MetricRelabel {
    pub source: MetricSource,
    /// The target's labels, attached as a scrape attaches them before relabeling: a YAML or JSON
    /// label map (`{job: node, instance: "host:9100"}`); empty for none but the scrape job's `job`.
    pub target_labels: String,
    /// Replace the store with the relabeled series, so queries run on them (loaded data only).
    pub apply: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum MetricSource {
    /// The series in the store; `load` when the worker lacks the page's current data.
    Loaded { load: Option<LoadRequest> },
    /// One scrape, as exposition text.
    Pasted { exposition: String },
}

/// Everything the Relabel view shows. Rule numbers are 1-based, as the view numbers the rules.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct RelabelReply {
    /// `line:col: message` in the rules' YAML, with Prometheus's wording.
    pub rules_error: Option<String>,
    /// The targets, the exposition or the target labels could not be read (`what: line:col: …`).
    pub input_error: Option<String>,
    /// The scrape jobs of a prometheus.yml, for the job picker; empty for other shapes.
    pub jobs: Vec<String>,
    /// The scrape job the rules came from.
    pub job: Option<String>,
    /// One line per rule: `action` and its fields, with the rule's YAML line.
    pub rules: Vec<String>,
    /// Present when the request loaded data (metric mode over loaded data).
    pub load: Option<Result<DataSummary, String>>,
    pub targets: Option<TargetsView>,
    pub metric: Option<MetricView>,
    pub elapsed_ms: f64,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct TargetsView {
    pub kept: usize,
    pub dropped: usize,
    /// Targets Prometheus refuses after relabeling (no address, a bad interval…).
    pub errors: usize,
    pub rows: Vec<TargetRow>,
}

/// One target; label lists are `name="value"` strings in label order.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct TargetRow {
    /// The discovered labels with the scrape defaults added: what relabeling starts from.
    pub before: Vec<String>,
    /// After the rules, `__` labels included; empty when dropped.
    pub relabeled: Vec<String>,
    /// The labels every series scraped from the target gets: `__` labels removed, `instance`
    /// from `__address__` when unset.
    pub target: Vec<String>,
    /// `kept`, `dropped` or `error`.
    pub status: String,
    pub dropped_by: Option<usize>,
    /// Why the target is dropped or refused, in words.
    pub note: String,
    pub steps: Vec<TraceStep>,
}

/// What one rule did to one input.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct TraceStep {
    pub rule: usize,
    pub action: String,
    /// `+name="v"` added, `-name="v"` removed, `~name="old" → "new"` changed; empty when the rule
    /// changed nothing.
    pub changes: Vec<String>,
    /// The label set after the rule; `None` when the rule dropped the input.
    pub labels: Option<Vec<String>>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct MetricView {
    /// Series (or samples of a pasted scrape) relabeled.
    pub total: usize,
    /// Kept with the labels relabeling started from.
    pub unchanged: usize,
    /// Kept with other labels.
    pub changed: usize,
    pub dropped: usize,
    /// Kept by relabeling but identical to an earlier result: Prometheus stores the first only.
    pub collided: usize,
    /// Series the scrape would reject (e.g. `__name__` removed).
    pub errors: usize,
    /// The labels attached before relabeling, as a label set.
    pub target_labels: String,
    /// Per metric name (before relabeling): series before, series stored after.
    pub per_metric: Vec<(String, usize, usize)>,
    /// The dropped, changed, colliding and refused series, in input order (unchanged ones are
    /// only counted); at most [`MetricView::ROWS_MAX`].
    pub rows: Vec<MetricRow>,
    pub rows_omitted: usize,
    pub collisions: Vec<Collision>,
    /// After `apply`: the store now holds the relabeled series.
    pub applied: Option<DataSummary>,
}

impl MetricView {
    /// Rows beyond this are counted, not sent: the table is for reading, not for bulk data.
    pub const ROWS_MAX: usize = 1000;
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct MetricRow {
    /// The series as relabeling saw it (target labels attached), and after.
    pub before: String,
    pub after: String,
    /// `changed`, `dropped`, `collision` or `error`.
    pub status: String,
    pub dropped_by: Option<usize>,
    pub note: String,
}

/// Series that relabeling made identical.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Collision {
    /// The label set they all became.
    pub labels: String,
    /// The first one, which Prometheus stores.
    pub kept: String,
    /// The later ones, whose samples Prometheus rejects as duplicates.
    pub lost: Vec<String>,
}

#[cfg(test)]
mod tests {
    use super::ProgressView;

    #[test]
    fn progress_reads_as_node_and_share_of_windows() {
        let p = |node: Option<&str>, done, total| ProgressView { node: node.map(str::to_string), done, total }.text();
        assert_eq!(p(Some("rate(x[5m])"), 0, 0), "rate(x[5m])");
        assert_eq!(p(Some("rate(x[5m])"), 199, 400), "rate(x[5m]) 49%");
        assert_eq!(p(None, 3, 4), "75%");
    }
}
