//! The engine's result as the Prometheus HTTP API envelope. The writer itself lives in
//! `formats::export` (shared with the browser app); this file only lends it the engine's value.

use engine::{QueryResult, Value};
use formats::export::{api_error, api_success, MatrixRow, ResultView, VectorRow};
use model::Timestamp;

pub use formats::export::json_string as string;

/// Borrows the engine's value as the export view; `t` is the evaluation time that scalars and
/// strings are printed with.
pub fn view(value: &Value, t: Timestamp) -> ResultView<'_> {
    match value {
        Value::Scalar(v) => ResultView::Scalar { t, v: *v },
        Value::String(s) => ResultView::String { t, s },
        Value::Vector(samples) => {
            ResultView::Vector(samples.iter().map(|s| VectorRow { labels: &s.labels, t: s.t, v: s.v }).collect())
        }
        Value::Matrix(series) => {
            ResultView::Matrix(series.iter().map(|s| MatrixRow { labels: &s.labels, samples: &s.samples }).collect())
        }
    }
}

pub fn success(result: &QueryResult, t: Timestamp) -> String {
    api_success(&view(&result.value, t), &result.warnings, &result.infos)
}

pub fn error(error_type: &str, message: &str) -> String {
    api_error(error_type, message)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scalar_is_printed_at_the_evaluation_time() {
        let r = QueryResult { value: Value::Scalar(1.5), warnings: vec![], infos: vec![] };
        assert_eq!(success(&r, 1_000_500), "{\"status\":\"success\",\"data\":{\"resultType\":\"scalar\",\"result\":[1000.5,\"1.5\"]}}\n");
        assert_eq!(error("bad_data", "1:1: x"), "{\"status\":\"error\",\"errorType\":\"bad_data\",\"error\":\"1:1: x\"}\n");
    }
}
