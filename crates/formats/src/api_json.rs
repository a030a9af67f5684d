//! Imports a Prometheus HTTP API response (`/api/v1/query_range` with resultType `matrix`, or
//! `/api/v1/query` with resultType `vector`) as an [`Exposition`] whose samples all carry
//! their timestamps, so a result copied from a real Prometheus can be queried again here.
//!
//! The body is read by [`crate::api_response`] (errors at `line:col` of the JSON, native
//! histograms refused). `"status":"error"` bodies become an error quoting Prometheus's own
//! message; scalar and string results, which hold no series, are refused.

use std::collections::BTreeSet;

use crate::api_response::{read_api_response, ApiResponseError};
use crate::owned_result::OwnedResult;
use crate::types::{Exposition, Family, MetricType, Sample};
use crate::ParseError;

/// Whether the text looks like API JSON: it opens with `{` and a quoted key followed by `:`.
/// (A text-format line may also open with `{"name"`, a quoted UTF-8 metric name, but then a
/// `,`, `=` or `}` follows, never a `:`.)
pub(crate) fn looks_like_json(input: &str) -> bool {
    let Some(rest) = input.trim_start_matches('\u{feff}').trim_start().strip_prefix('{') else {
        return false;
    };
    let rest = rest.trim_start();
    let Some(body) = rest.strip_prefix('"') else {
        // `{}` or `{` alone: not exposition text either; let the JSON parser explain.
        return !rest.starts_with(|c: char| c.is_alphanumeric() || c == '_');
    };
    let mut escaped = false;
    for (i, c) in body.char_indices() {
        match c {
            _ if escaped => escaped = false,
            '\\' => escaped = true,
            '"' => return body.get(i + 1..).is_some_and(|r| r.trim_start().starts_with(':')),
            '\n' => return false,
            _ => {}
        }
    }
    false
}

/// Parses an API response body; see the module comment for what is accepted.
pub fn parse_api_json(input: &str) -> std::result::Result<Exposition, ParseError> {
    match read_api_response(input) {
        Ok(resp) => exposition_of(resp.result),
        Err(ApiResponseError::Invalid(e)) => Err(e),
        Err(e @ ApiResponseError::Server { .. }) => {
            Err(ParseError::new(1, 1, format!("the response is an error, not data: {e}")))
        }
    }
}

/// The series of a vector or matrix result as data, every sample with its timestamp.
pub fn exposition_of(result: OwnedResult) -> std::result::Result<Exposition, ParseError> {
    let series: Vec<(model::Labels, Vec<model::Sample>)> = match result {
        OwnedResult::Matrix(series) => series,
        OwnedResult::Vector(rows) => {
            rows.into_iter().map(|r| (r.labels, vec![model::Sample { t: r.t, v: r.v }])).collect()
        }
        other => {
            return Err(ParseError::new(
                1,
                1,
                format!(
                    "resultType {:?} holds no series: import a \"matrix\" (query_range) or \"vector\" (query) result",
                    other.view().type_name()
                ),
            ))
        }
    };
    let mut exp = Exposition::default();
    let mut seen_families = BTreeSet::new();
    for (labels, samples) in series {
        if let Some(name) = labels.metric_name() {
            if seen_families.insert(name.to_string()) {
                exp.families.push(Family { name: name.to_string(), kind: MetricType::Unknown, help: None, unit: None });
            }
        }
        for p in samples {
            exp.samples.push(Sample { labels: labels.clone(), value: p.v, timestamp_ms: Some(p.t), line: 1, exemplar: None });
        }
    }
    Ok(exp)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matrix_and_vector() {
        let m = r#"{"status":"success","data":{"resultType":"matrix","result":[
            {"metric":{"__name__":"up","job":"a"},"values":[[1000,"1"],[1015.5,"0"]]}]}}"#;
        let exp = parse_api_json(m).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(exp.samples.len(), 2);
        assert_eq!(exp.samples[1].timestamp_ms, Some(1_015_500));
        assert_eq!(exp.families.len(), 1);
        let v = r#"{"status":"success","data":{"resultType":"vector","result":[{"metric":{},"value":[1.001,"+Inf"]}]}}"#;
        let exp = parse_api_json(v).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(exp.samples[0].timestamp_ms, Some(1001));
        assert!(exp.samples[0].value.is_infinite());
    }

    #[test]
    fn tells_json_from_quoted_metric_names() {
        assert!(looks_like_json("  {\"status\" : \"success\"}"));
        assert!(looks_like_json("{}"));
        assert!(!looks_like_json("{\"my.metric\", code=\"200\"} 1"));
        assert!(!looks_like_json("{__name__=\"x\"} 1"));
        assert!(!looks_like_json("up 1"));
    }

    #[test]
    fn errors_are_positioned() {
        let e = parse_api_json("{\"status\":\"success\",\n \"data\": {\"resultType\":\"vector\",\"result\":[{\"metric\":{},\"value\":[1,\"x\"]}]}}")
            .err()
            .map(|e| (e.line, e.message.contains("invalid sample value")));
        assert_eq!(e, Some((2, true)));
        let e = parse_api_json(r#"{"status":"error","errorType":"bad_data","error":"parse error"}"#).err();
        assert!(e.is_some_and(|e| e.message.contains("bad_data: parse error")));
        let e = parse_api_json(r#"{"status":"success","data":{"resultType":"scalar","result":[1,"1"]}}"#).err();
        assert!(e.is_some_and(|e| e.message.contains("scalar")));
        assert!(parse_api_json("{").is_err());
    }
}
