//! Parsers for the exposition formats Prometheus scrapes: text 0.0.4 and OpenMetrics 1.0.
//!
//! Every parser is total over its input: it returns samples or a `line:col` error, never
//! panics. Strict functions return the first error; [`parse_lenient`] keeps every valid line
//! and reports every bad one.
//!
//! Semantics follow Prometheus 3.x's scrape path (`model/textparse`) plus the family rules of
//! the reference text parser and the OpenMetrics spec. Choices worth knowing:
//! - `le` of histogram `_bucket` series and `quantile` of summaries are normalised as
//!   Prometheus 3.x does on ingestion ([`normalize_le`]); the type is the sample's family's
//!   type (Prometheus uses the last `# TYPE` line, which only differs for odd inputs).
//!   Gauge histograms are left alone, as in Prometheus.
//! - OpenMetrics timestamps are converted from their decimal digits, exactly; sub-millisecond
//!   digits are truncated toward zero like Prometheus's `int64(ts*1000)`.
//! - OpenMetrics `_created` samples are kept as ordinary samples (see `openmetrics.rs`).
//! - A second sample of one series with no timestamp, or with the same timestamp as its
//!   previous sample, is an error. Older timestamps coming back (out of order) are left to
//!   the store.
//! - Lines are split on `\n`; a quoted string cannot span lines (Prometheus's text lexer
//!   would accept a raw newline inside a label value).

mod api_json;
mod api_response;
mod builder;
mod error;
pub mod export;
mod families;
mod fast;
mod float;
pub mod lint;
mod openmetrics;
mod owned_result;
mod scan;
mod scrapes;
mod series;
mod text;
mod timestamp;
mod types;

pub use api_json::{exposition_of, parse_api_json};
pub use api_response::{read_api_response, ApiResponse, ApiResponseError};
pub use error::ParseError;
pub use float::{format_openmetrics_float, normalize_le, parse_go_float};
pub use owned_result::{OwnedResult, OwnedSample};
pub use scrapes::{place_scrapes, scrape_timeline, split_scrapes, Scrape};
pub use types::{Exemplar, Exposition, Family, MetricType, Sample};

/// The two exposition formats.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Format {
    /// Prometheus text format 0.0.4.
    Text,
    /// OpenMetrics 1.0 text format.
    OpenMetrics,
}

/// Parses Prometheus text format 0.0.4.
pub fn parse_text(input: &str) -> Result<Exposition, ParseError> {
    strict(text::run(input, false))
}

/// Parses OpenMetrics 1.0 text (must end with `# EOF`).
pub fn parse_openmetrics(input: &str) -> Result<Exposition, ParseError> {
    strict(openmetrics::run(input, false))
}

/// Parses either format, choosing with [`detect`].
pub fn parse_auto(input: &str) -> Result<Exposition, ParseError> {
    // Same choice as `parse_as(input, detect(input))`, without a separate pass over the text.
    if ends_with_eof(input) {
        return parse_openmetrics(input);
    }
    match text::run_unless_openmetrics(input, false) {
        Some(parsed) => strict(parsed),
        None => parse_openmetrics(input),
    }
}

pub fn parse_as(input: &str, format: Format) -> Result<Exposition, ParseError> {
    match format {
        Format::Text => parse_text(input),
        Format::OpenMetrics => parse_openmetrics(input),
    }
}

/// Parses with [`detect`]ed format, keeping every valid line and reporting every bad one (in
/// line order). The exposition holds exactly the samples of the valid lines.
pub fn parse_lenient(input: &str) -> (Exposition, Vec<ParseError>) {
    if ends_with_eof(input) {
        return openmetrics::run(input, true);
    }
    text::run_unless_openmetrics(input, true).unwrap_or_else(|| openmetrics::run(input, true))
}

pub fn parse_lenient_as(input: &str, format: Format) -> (Exposition, Vec<ParseError>) {
    match format {
        Format::Text => text::run(input, true),
        Format::OpenMetrics => openmetrics::run(input, true),
    }
}

/// OpenMetrics when some line is exactly `# EOF` or starts with `# UNIT `, text 0.0.4
/// otherwise.
pub fn detect(input: &str) -> Format {
    // Well-formed OpenMetrics ends with `# EOF`; checking the end first spares a full scan.
    if ends_with_eof(input) {
        return Format::OpenMetrics;
    }
    let om = input.lines().any(|l| {
        let l = l.strip_suffix('\r').unwrap_or(l);
        l == "# EOF" || l.starts_with("# UNIT ")
    });
    if om {
        Format::OpenMetrics
    } else {
        Format::Text
    }
}

fn ends_with_eof(input: &str) -> bool {
    input.trim_end_matches(['\n', '\r']).ends_with("\n# EOF") || input.trim_end() == "# EOF"
}

/// Every kind of data a user may paste, as [`detect_data`] tells them apart.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum DataFormat {
    /// Exposition text, either format.
    Exposition(Format),
    /// A Prometheus HTTP API response body ([`parse_api_json`]).
    ApiJson,
    /// promqltest `load` blocks (parsed by the promqltest crate, which owns that grammar).
    LoadBlocks,
}

/// API JSON when the text starts with `{`; `load` blocks when the first line that is neither
/// blank nor a `#` comment starts with the word `load` (`load 1m`, `load_with_nhcb 5m`: no
/// exposition sample line can, as `load` would need a value after a space and a duration is
/// not one); otherwise [`detect`].
pub fn detect_data(input: &str) -> DataFormat {
    if api_json::looks_like_json(input) {
        return DataFormat::ApiJson;
    }
    let first = input
        .lines()
        .map(str::trim)
        .find(|l| !l.is_empty() && !l.starts_with('#'));
    if let Some(l) = first {
        let word = l.split_whitespace().next().unwrap_or("");
        let arg = l.split_whitespace().nth(1).unwrap_or("");
        let is_duration = arg.chars().next().is_some_and(|c| c.is_ascii_digit())
            && arg.chars().last().is_some_and(|c| c.is_ascii_alphabetic());
        if (word == "load" || word == "load_with_nhcb") && is_duration {
            return DataFormat::LoadBlocks;
        }
    }
    DataFormat::Exposition(detect(input))
}

/// [`parse_auto`] over raw bytes, which must be UTF-8.
pub fn parse_bytes(bytes: &[u8]) -> Result<Exposition, ParseError> {
    parse_auto(decode_utf8(bytes)?)
}

/// Checks that raw bytes are UTF-8 (both formats require it) and returns them as text; the
/// error points at the first invalid byte.
pub fn decode_utf8(bytes: &[u8]) -> Result<&str, ParseError> {
    std::str::from_utf8(bytes).map_err(|e| {
        let ok = bytes.get(..e.valid_up_to()).unwrap_or_default();
        let line = ok.iter().filter(|&&b| b == b'\n').count() + 1;
        let line_start = ok.iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1);
        let prefix =
            std::str::from_utf8(ok.get(line_start..).unwrap_or_default()).unwrap_or_default();
        let bad = bytes.get(e.valid_up_to()).copied().unwrap_or(0);
        ParseError::new(
            line,
            prefix.chars().count() + 1,
            format!("invalid UTF-8 byte 0x{bad:02x}: the input must be UTF-8"),
        )
    })
}

fn strict((exp, errors): (Exposition, Vec<ParseError>)) -> Result<Exposition, ParseError> {
    match errors.into_iter().next() {
        Some(e) => Err(e),
        None => Ok(exp),
    }
}
