//! The one error type of the crate: a message with the span it refers to.

use std::fmt;

use crate::span::{line_col, Span};

/// A parse or static-check failure. `Display` prints `line:col: parse error: message`, as
/// Prometheus words it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParseError {
    pub message: String,
    pub span: Span,
    pub line: usize,
    pub col: usize,
}

impl ParseError {
    pub fn new(input: &str, span: Span, message: impl Into<String>) -> Self {
        let (line, col) = line_col(input, span.start);
        ParseError {
            message: message.into(),
            span,
            line,
            col,
        }
    }

    pub fn line_col(&self) -> (usize, usize) {
        (self.line, self.col)
    }
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}: parse error: {}", self.line, self.col, self.message)
    }
}

impl std::error::Error for ParseError {}

/// An error before it is tied to the input text (line and column are computed once, at the end).
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct RawError {
    pub message: String,
    pub span: Span,
}

impl RawError {
    pub fn new(span: Span, message: impl Into<String>) -> Self {
        RawError {
            message: message.into(),
            span,
        }
    }

    pub fn into_error(self, input: &str) -> ParseError {
        ParseError::new(input, self.span, self.message)
    }
}

pub(crate) type PResult<T> = Result<T, RawError>;
