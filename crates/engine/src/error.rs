//! Query failures: a parse error that points into the query, or an evaluation error.

use std::fmt;

#[derive(Clone, Debug, PartialEq)]
pub enum QueryError {
    /// The query does not parse; displays as `line:col: message`.
    Parse(promql::ParseError),
    /// The query parsed but cannot be evaluated (unsupported, a limit hit, bad matching).
    Execution(String),
}

impl QueryError {
    pub fn is_parse(&self) -> bool {
        matches!(self, QueryError::Parse(_))
    }

    /// 1-based line and column of a parse error.
    pub fn line_col(&self) -> Option<(usize, usize)> {
        match self {
            QueryError::Parse(e) => Some(e.line_col()),
            QueryError::Execution(_) => None,
        }
    }
}

impl fmt::Display for QueryError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            QueryError::Parse(e) => e.fmt(f),
            QueryError::Execution(m) => f.write_str(m),
        }
    }
}

impl std::error::Error for QueryError {}

impl From<promql::ParseError> for QueryError {
    fn from(e: promql::ParseError) -> Self {
        QueryError::Parse(e)
    }
}
