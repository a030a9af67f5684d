//! The vocabulary every promplay crate shares: label sets, label matchers, samples and time.
//!
//! Time is `i64` milliseconds since the Unix epoch everywhere; durations are `i64` milliseconds.

mod basic_auth;
pub mod fxhash;
pub mod goregex;
pub mod sort;
pub mod timearg;
mod labels;
mod matcher;
mod sample;
mod tenant;
mod time;

pub use basic_auth::basic_auth;
pub use labels::{escape_quoted, is_legacy_label_name, is_legacy_metric_name, quote, Label, Labels, LabelsBuilder, METRIC_NAME};
pub use matcher::{MatchOp, Matcher, MatcherError};
pub use sample::{is_stale_nan, Sample, STALE_NAN, STALE_NAN_BITS};
pub use tenant::{tenant_header, TENANT_HEADER};
pub use time::{format_duration, format_prom_float, parse_duration, Duration, Timestamp};
