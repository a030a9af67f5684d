//! The in-memory store the engine reads: series with their samples, found by label matchers.
//!
//! Samples are kept columnar per series (timestamps and values in separate vectors) and appended
//! in time order with Prometheus's rules; a postings index answers matcher queries. A series
//! may also carry a start (created) timestamp per sample, stored only for series that have one.

mod append;
mod load;
mod postings;
mod stats;
mod storage;

pub use append::AppendError;
pub use load::LoadError;
pub use stats::{Cardinality, Count};
pub use storage::{MemoryStats, SeriesId, SeriesView, Storage};
