//! Why an append was refused, worded as Prometheus's storage words it.

use model::{format_prom_float, Labels, Timestamp};
use std::fmt;

#[derive(Clone, Debug, PartialEq)]
pub enum AppendError {
    /// The sample is older than the newest one of its series (no out-of-order window).
    OutOfOrder { labels: Labels, t: Timestamp, newest: Timestamp },
    /// A second sample at a timestamp the series already has, with another value.
    DuplicateTimestamp { labels: Labels, t: Timestamp, old: f64, new: f64 },
}

impl fmt::Display for AppendError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            AppendError::OutOfOrder { labels, t, newest } => write!(
                f,
                "out of order sample for {labels}: timestamp {t} is older than the series' newest sample at {newest}"
            ),
            AppendError::DuplicateTimestamp { labels, t, old, new } => write!(
                f,
                "duplicate sample for timestamp {t} of {labels}: {} then {}",
                format_prom_float(*old),
                format_prom_float(*new)
            ),
        }
    }
}

impl std::error::Error for AppendError {}
