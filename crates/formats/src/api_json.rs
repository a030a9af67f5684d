//! Imports a Prometheus HTTP API response (`/api/v1/query_range` with resultType `matrix`, or
//! `/api/v1/query` with resultType `vector`) as an [`Exposition`] whose samples all carry
//! their timestamps, so a result copied from a real Prometheus can be queried again here.
//!
//! Errors point at `line:col` of the JSON: syntax and shape errors come from serde_json with
//! its position; a value that is not a Prometheus float is reported where the value is.
//! `"status":"error"` bodies become an error quoting Prometheus's own message. Native
//! histograms (`"histogram"`/`"histograms"`) are refused: the store holds floats only.

use std::collections::BTreeMap;

use model::{Label, Labels};
use serde::de::{self, Deserializer, IgnoredAny};
use serde::Deserialize;

use crate::float::parse_go_float;
use crate::types::{Exposition, Family, MetricType, Sample};
use crate::ParseError;

/// First pass: the envelope without the result, to tell errors and result types apart.
#[derive(Deserialize)]
struct Head {
    status: String,
    #[serde(default)]
    data: Option<HeadData>,
    #[serde(default, rename = "errorType")]
    error_type: Option<String>,
    #[serde(default)]
    error: Option<String>,
}

#[derive(Deserialize)]
struct HeadData {
    #[serde(rename = "resultType")]
    result_type: String,
}

/// Second pass, once the result is known to be a list of series, so that serde_json reports
/// a bad series at its own position.
#[derive(Deserialize)]
struct Body {
    data: BodyData,
}

#[derive(Deserialize)]
struct BodyData {
    result: Vec<Item>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Item {
    metric: BTreeMap<String, String>,
    #[serde(default)]
    value: Option<Point>,
    #[serde(default)]
    values: Option<Vec<Point>>,
    #[serde(default)]
    histogram: Option<IgnoredAny>,
    #[serde(default)]
    histograms: Option<IgnoredAny>,
}

/// `[1700000000.5, "1"]`: time in float seconds, value as a string.
struct Point {
    t_ms: i64,
    v: f64,
}

impl<'de> Deserialize<'de> for Point {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        let (t, v): (f64, String) = Deserialize::deserialize(d)?;
        if !t.is_finite() {
            return Err(de::Error::custom(format!("invalid timestamp {t}")));
        }
        let v = parse_go_float(&v).map_err(|e| de::Error::custom(format!("invalid sample value {v:?}: {e}")))?;
        // Round, not truncate: the API prints milliseconds exactly, but 1.001 * 1000 in binary
        // floating point is 1000.9999...
        Ok(Point { t_ms: (t * 1000.0).round() as i64, v })
    }
}

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
    let resp: Head = serde_json::from_str(input).map_err(serde_error)?;
    if resp.status == "error" {
        return Err(ParseError::new(
            1,
            1,
            format!(
                "the response is an error, not data: {}: {}",
                resp.error_type.as_deref().unwrap_or("unknown"),
                resp.error.as_deref().unwrap_or("(no message)")
            ),
        ));
    }
    if resp.status != "success" {
        return Err(ParseError::new(1, 1, format!("unexpected \"status\" {:?}: expected \"success\"", resp.status)));
    }
    let Some(data) = resp.data else {
        return Err(ParseError::new(1, 1, "missing \"data\" in a success response"));
    };
    if !matches!(data.result_type.as_str(), "matrix" | "vector") {
        return Err(ParseError::new(
            1,
            1,
            format!(
                "resultType {:?} holds no series: import a \"matrix\" (query_range) or \"vector\" (query) result",
                data.result_type
            ),
        ));
    }
    let items = serde_json::from_str::<Body>(input).map_err(serde_error)?.data.result;
    let mut exp = Exposition::default();
    let mut seen_families: BTreeMap<String, ()> = BTreeMap::new();
    for item in items {
        if item.histogram.is_some() || item.histograms.is_some() {
            return Err(ParseError::new(1, 1, "native histogram samples are not supported yet"));
        }
        let labels = Labels::new(item.metric.into_iter().map(|(k, v)| Label::new(k, v)));
        if let Some(name) = labels.metric_name() {
            if seen_families.insert(name.to_string(), ()).is_none() {
                exp.families.push(Family { name: name.to_string(), kind: MetricType::Unknown, help: None, unit: None });
            }
        }
        let points = item.values.unwrap_or_default().into_iter().chain(item.value);
        for p in points {
            exp.samples.push(Sample { labels: labels.clone(), value: p.v, timestamp_ms: Some(p.t_ms), line: 1, exemplar: None });
        }
    }
    Ok(exp)
}

/// serde_json's message without its " at line L column C" tail, placed at that position.
fn serde_error(e: serde_json::Error) -> ParseError {
    let msg = e.to_string();
    let tail = format!(" at line {} column {}", e.line(), e.column());
    let msg = msg.strip_suffix(&tail).unwrap_or(&msg).to_string();
    ParseError::new(e.line().max(1), e.column().max(1), format!("invalid API JSON: {msg}"))
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
