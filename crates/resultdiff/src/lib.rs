//! Compares two PromQL query results and says what differs: the result type, series present on
//! one side only, values beyond a relative tolerance, and (when asked) the series order. Lessons
//! compare a learner's answer with the solution; remote mode compares the local engine with a
//! real Prometheus. Both sides are [`formats::export::ResultView`]s, borrowed from an engine
//! value (`session::view::export`, `cli`'s `api_json::view`) or from an [`OwnedResult`] (read
//! from the API's JSON by `formats::read_api_response`, or built by a test).

mod diff;
mod float;

pub use diff::{diff, Diff, Options, OrderDiff, StringDiff, TypeMismatch, ValueDiff};
pub use float::almost_equal;
pub use formats::export::{MatrixRow, ResultView, VectorRow};
pub use formats::{OwnedResult, OwnedSample};
