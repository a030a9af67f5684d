//! Remote mode without I/O: what the playground needs to know of the Prometheus HTTP API to
//! import a server's raw samples and compare its answers, shared by the CLI (a blocking HTTP
//! client) and the evaluation worker (the page does the fetches and hands over the bodies).
//!
//! - [`api`]: request paths and parameters (buildinfo, query, query_range, series, labels,
//!   label values, metadata);
//! - [`plan`]: an import as range-vector instant queries, chunk by chunk;
//! - [`response`]: answers and their errors (HTTP status, error envelopes, non-JSON bodies,
//!   malformed JSON at `line:col`);
//! - [`stage`]: the samples of an import as they arrive, deduplicated, with limits;
//! - [`openmetrics`]: the imported series as OpenMetrics text with timestamps;
//! - [`needs`]: which selectors over which windows a query reads;
//! - [`compare`]: the local engine's answer against the server's.

pub mod api;
pub mod compare;
pub mod needs;
pub mod openmetrics;
pub mod plan;
pub mod response;
pub mod stage;

pub use api::{format_time, ApiRequest};
pub use compare::{compare, is_sorted_query, reports_infos, CompareOptions, Comparison, Local};
pub use needs::{data_needed, Eval, Need};
pub use openmetrics::write_openmetrics;
pub use plan::{check_selector, plan_import, Chunk, ImportPlan, DEFAULT_CHUNK_MS};
pub use response::{check_envelope, check_status, parse_buildinfo, parse_matrix, parse_metadata, parse_series, parse_string_list, ApiError, BuildInfo, Metadata};
pub use stage::{ImportError, Limits, Progress, Staged, StagedSeries, Stager};
