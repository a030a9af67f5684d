//! PromQL for promplay, with Prometheus v3.14 semantics: a nom-based parser producing an AST
//! with byte spans, Prometheus's static checks and error wording, the function signature
//! table, a printer whose output parses back to the same tree, a multi-line formatter, and
//! the series notation of `.test` load blocks.

mod ast;
mod check;
mod error;
mod format;
mod functions;
mod lexer;
mod number;
mod parser;
mod printer;
mod quoted;
pub mod series;
mod span;
mod walk;

pub use ast::*;
pub use check::check_range_modifiers;
pub use error::ParseError;
pub use format::format;
pub use functions::{function, functions, FunctionSig};
pub use parser::parse;
pub use series::{parse_series_description, HistogramLiteral, SeriesValue};
pub use printer::format_number;
pub use quoted::go_quote_bytes;
pub use span::{line_col, Span};
pub use walk::walk;
