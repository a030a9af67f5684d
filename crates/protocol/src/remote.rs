//! The messages of remote mode. The page talks HTTP to the Prometheus-compatible server (it holds
//! the credentials, in memory only) and hands the response bodies to the worker, which parses,
//! checks limits, stages an import beside the current store and compares results.

use serde::{Deserialize, Serialize};

use crate::{DataSummary, QueryRequest, ResultView};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum RemoteRequest {
    /// Start staging an import; the current store stays as it is until `Commit`.
    ImportBegin { max_series: usize, max_samples: usize },
    /// One `/api/v1/query` response body of a range-vector selector (`resultType: matrix`, raw
    /// samples). Exceeding a limit fails the import (the staged data is dropped).
    ImportChunk { body: String },
    /// The `/api/v1/metadata` response body: HELP and TYPE for the imported metric names.
    ImportMetadata { body: String },
    /// Replace the store with the staged samples, all at once.
    ImportCommit,
    /// Drop the staged samples (cancel, or an HTTP error in the page).
    ImportAbort,
    /// Run a query locally and compare with the server's answer to the same query at the same
    /// times (the page first runs it locally to learn the resolved times, see `CompareReply`).
    Compare(Box<CompareRequest>),
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CompareRequest {
    pub query: QueryRequest,
    /// The server's `/api/v1/query` or `/api/v1/query_range` response body, as received.
    pub remote_body: String,
    /// Relative tolerance for values.
    pub tolerance: f64,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum RemoteReply {
    /// After a chunk or the metadata: how much is staged so far.
    Progress(Result<ImportProgress, String>),
    /// After `ImportCommit`: the new store, and the same data as OpenMetrics text with
    /// timestamps (what the data pane shows and the workspace saves).
    Committed(Box<Result<ImportCommitted, String>>),
    Aborted,
    Compared(Box<Result<CompareReply, String>>),
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportProgress {
    pub series: usize,
    pub samples: usize,
    pub chunks: usize,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ImportCommitted {
    pub summary: DataSummary,
    pub text: String,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct CompareReply {
    pub local: Option<ResultView>,
    /// The local error, when the local engine refused the query.
    pub local_error: Option<String>,
    pub remote: Option<ResultView>,
    pub remote_error: Option<String>,
    /// Label sets present on one side only.
    pub only_local: Vec<String>,
    pub only_remote: Vec<String>,
    /// Values beyond the tolerance: `labels`, the time, both values.
    pub differing: Vec<ValueDifference>,
    /// Warnings and infos that only one side reported.
    pub annotations_only_local: Vec<String>,
    pub annotations_only_remote: Vec<String>,
    /// Nothing differs (annotations included).
    pub equal: bool,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ValueDifference {
    pub labels: String,
    pub time_ms: i64,
    pub local: String,
    pub remote: String,
}
