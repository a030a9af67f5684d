//! PromQL for promplay, with Prometheus v3.14 semantics: a nom-based parser producing an AST
//! with byte spans, Prometheus's static checks and error wording, the function signature
//! table, a printer whose output parses back to the same tree, a multi-line formatter, and
//! the series notation of `.test` load blocks.
//!
//! Code map: `lexer` recognises tokens with nom in the lexical mode the grammar is in (normal,
//! inside braces, inside brackets); `quoted` and `number` decode literals with Go's rules;
//! `parser/` is recursive descent over those tokens (`expr` precedence climbing and postfix
//! modifiers, `selector`, `modifiers`, `duration`, `describe` for "unexpected ..." wording);
//! `check` runs Prometheus's static type checks after a successful parse; `printer` and
//! `format` turn trees back into text; `series` parses `.test` series descriptions.
//!
//! Errors stop at the first problem, the one Prometheus reports first, with its wording and
//! position. Nesting deeper than 100 levels is refused with an error rather than risking the
//! (wasm) stack.

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
pub use printer::format_number;
pub use quoted::go_quote_bytes;
pub use series::{parse_series_description, HistogramLiteral, SeriesValue};
pub use span::{line_col, Span};
pub use walk::walk;
