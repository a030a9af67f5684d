//! Reads a Prometheus HTTP API query response (`/api/v1/query`, `/api/v1/query_range`) into
//! its result, of any of the four result types, and the warnings and infos beside it. The one
//! reader for both uses: importing a result as data ([`crate::parse_api_json`]) and comparing a
//! real server's answer with the local engine's (`resultdiff`, `remote`).
//!
//! Errors point at `line:col` of the JSON: syntax and shape errors come from serde_json with
//! its position, a value that is not a Prometheus float is reported where the value is.
//! Native histograms are refused: the engine and the store hold floats only.

use std::collections::BTreeMap;
use std::fmt;

use model::{Label, Labels, Sample};
use serde::de::{self, DeserializeOwned, Deserializer, IgnoredAny};
use serde::Deserialize;

use crate::float::parse_go_float;
use crate::owned_result::{OwnedResult, OwnedSample};
use crate::ParseError;

/// A success response: the result and the annotations beside it.
#[derive(Clone, Debug, PartialEq)]
pub struct ApiResponse {
    pub result: OwnedResult,
    pub warnings: Vec<String>,
    pub infos: Vec<String>,
}

/// Why a body gave no result: the server said `"status":"error"`, or the body is not a
/// response this reader understands.
#[derive(Clone, Debug, PartialEq)]
pub enum ApiResponseError {
    /// Prometheus's own `errorType` and `error`.
    Server { error_type: String, error: String },
    Invalid(ParseError),
}

impl fmt::Display for ApiResponseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ApiResponseError::Server { error_type, error } => write!(f, "{error_type}: {error}"),
            ApiResponseError::Invalid(e) => e.fmt(f),
        }
    }
}

/// First pass: everything but the result, whose shape depends on `resultType`.
#[derive(Deserialize)]
struct Head {
    status: String,
    #[serde(default)]
    data: Option<HeadData>,
    #[serde(default, rename = "errorType")]
    error_type: Option<String>,
    #[serde(default)]
    error: Option<String>,
    #[serde(default)]
    warnings: Vec<String>,
    #[serde(default)]
    infos: Vec<String>,
}

#[derive(Deserialize)]
struct HeadData {
    #[serde(rename = "resultType")]
    result_type: String,
}

/// Second pass, typed by `resultType`, so that serde_json reports a bad item at its own
/// position.
#[derive(Deserialize)]
struct Body<T> {
    data: BodyData<T>,
}

#[derive(Deserialize)]
struct BodyData<T> {
    result: T,
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

/// `[1700000000.5, "1"]`: time in float seconds, value as a Go float string.
struct Point {
    t: i64,
    v: f64,
}

/// `[1700000000.5, "text"]`: a string result.
struct StringPoint {
    t: i64,
    s: String,
}

fn millis<E: de::Error>(t: f64) -> Result<i64, E> {
    if !t.is_finite() {
        return Err(E::custom(format!("invalid timestamp {t}")));
    }
    // Round, not truncate: the API prints milliseconds exactly, but 1.001 * 1000 in binary
    // floating point is 1000.9999...
    Ok((t * 1000.0).round() as i64)
}

impl<'de> Deserialize<'de> for Point {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let (t, v): (f64, String) = Deserialize::deserialize(d)?;
        let v = parse_go_float(&v).map_err(|e| de::Error::custom(format!("invalid sample value {v:?}: {e}")))?;
        Ok(Point { t: millis(t)?, v })
    }
}

impl<'de> Deserialize<'de> for StringPoint {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let (t, s): (f64, String) = Deserialize::deserialize(d)?;
        Ok(StringPoint { t: millis(t)?, s })
    }
}

/// Reads a response body; see the module comment.
pub fn read_api_response(body: &str) -> Result<ApiResponse, ApiResponseError> {
    let invalid = |line, col, msg: String| ApiResponseError::Invalid(ParseError::new(line, col, msg));
    let head: Head = serde_json::from_str(body).map_err(serde_error)?;
    if head.status == "error" {
        return Err(ApiResponseError::Server {
            error_type: head.error_type.unwrap_or_else(|| "unknown".to_string()),
            error: head.error.unwrap_or_else(|| "(no message)".to_string()),
        });
    }
    if head.status != "success" {
        return Err(invalid(1, 1, format!("unexpected \"status\" {:?}: expected \"success\"", head.status)));
    }
    let Some(data) = head.data else {
        return Err(invalid(1, 1, "missing \"data\" in a success response".to_string()));
    };
    let result = match data.result_type.as_str() {
        "scalar" => {
            let p: Point = result(body)?;
            OwnedResult::Scalar { t: p.t, v: p.v }
        }
        "string" => {
            let p: StringPoint = result(body)?;
            OwnedResult::String { t: p.t, s: p.s }
        }
        "vector" => {
            let items: Vec<Item> = result(body)?;
            let mut rows = Vec::with_capacity(items.len());
            for item in items {
                let (labels, points) = series(item)?;
                rows.extend(points.into_iter().map(|p| OwnedSample { labels: labels.clone(), t: p.t, v: p.v }));
            }
            OwnedResult::Vector(rows)
        }
        "matrix" => {
            let items: Vec<Item> = result(body)?;
            let mut out = Vec::with_capacity(items.len());
            for item in items {
                let (labels, points) = series(item)?;
                out.push((labels, points.into_iter().map(|p| Sample { t: p.t, v: p.v }).collect()));
            }
            OwnedResult::Matrix(out)
        }
        other => return Err(invalid(1, 1, format!("unknown resultType {other:?}"))),
    };
    Ok(ApiResponse { result, warnings: head.warnings, infos: head.infos })
}

fn result<T: DeserializeOwned>(body: &str) -> Result<T, ApiResponseError> {
    serde_json::from_str::<Body<T>>(body).map(|b| b.data.result).map_err(serde_error)
}

/// An item's labels and points: a vector's `value` or a matrix's `values`.
fn series(item: Item) -> Result<(Labels, Vec<Point>), ApiResponseError> {
    if item.histogram.is_some() || item.histograms.is_some() {
        return Err(ApiResponseError::Invalid(ParseError::new(1, 1, "native histogram samples are not supported yet")));
    }
    let labels = Labels::new(item.metric.into_iter().map(|(k, v)| Label::new(k, v)));
    let points = item.values.unwrap_or_default().into_iter().chain(item.value).collect();
    Ok((labels, points))
}

/// serde_json's message without its " at line L column C" tail, placed at that position.
fn serde_error(e: serde_json::Error) -> ApiResponseError {
    let msg = e.to_string();
    let tail = format!(" at line {} column {}", e.line(), e.column());
    let msg = msg.strip_suffix(&tail).unwrap_or(&msg);
    ApiResponseError::Invalid(ParseError::new(e.line().max(1), e.column().max(1), format!("invalid API JSON: {msg}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ok(body: &str) -> ApiResponse {
        read_api_response(body).unwrap_or_else(|e| panic!("{e}"))
    }

    #[test]
    fn every_result_type() {
        let r = ok(r#"{"status":"success","data":{"resultType":"scalar","result":[1700000000.5,"NaN"]}}"#);
        assert!(matches!(r.result, OwnedResult::Scalar { t: 1_700_000_000_500, v } if v.is_nan()));
        let r = ok(r#"{"status":"success","data":{"resultType":"string","result":[1,"hi"]}}"#);
        assert_eq!(r.result, OwnedResult::String { t: 1000, s: "hi".into() });
        let r = ok(r#"{"status":"success","data":{"resultType":"vector","result":[
            {"metric":{"__name__":"up","job":"a"},"value":[1.001,"+Inf"]}]},"warnings":["w"],"infos":["i"]}"#);
        let OwnedResult::Vector(rows) = &r.result else { panic!("{r:?}") };
        assert_eq!(rows[0].labels.to_string(), r#"up{job="a"}"#);
        assert_eq!((rows[0].t, rows[0].v), (1001, f64::INFINITY));
        assert_eq!((r.warnings.as_slice(), r.infos.as_slice()), (&["w".to_string()][..], &["i".to_string()][..]));
        let r = ok(r#"{"status":"success","data":{"resultType":"matrix","result":[
            {"metric":{"job":"a"},"values":[[1,"1"],[2,"2"]]},{"metric":{},"values":[]}]}}"#);
        let OwnedResult::Matrix(series) = &r.result else { panic!("{r:?}") };
        assert_eq!(series.len(), 2);
        assert_eq!(series[0].1, vec![Sample { t: 1000, v: 1.0 }, Sample { t: 2000, v: 2.0 }]);
        assert!(r.result.view().type_name() == "matrix");
    }

    #[test]
    fn errors() {
        let e = read_api_response(r#"{"status":"error","errorType":"bad_data","error":"1:5: parse error: x"}"#);
        let server = ApiResponseError::Server { error_type: "bad_data".into(), error: "1:5: parse error: x".into() };
        assert_eq!(e, Err(server));
        let e = read_api_response(
            "{\"status\":\"success\",\n\"data\":{\"resultType\":\"vector\",\"result\":[{\"metric\":{},\"value\":[1,\"x\"]}]}}",
        )
        .map_err(|e| e.to_string());
        assert!(e.as_ref().is_err_and(|e| e.starts_with("2:") && e.contains("invalid sample value")), "{e:?}");
        let e = read_api_response("{\"status\":").map_err(|e| e.to_string());
        assert!(e.as_ref().is_err_and(|e| e.starts_with("1:10: invalid API JSON")), "{e:?}");
        let e = read_api_response(
            r#"{"status":"success","data":{"resultType":"vector","result":[{"metric":{},"histogram":[1,{}]}]}}"#,
        );
        assert!(e.is_err_and(|e| e.to_string().contains("native histogram")));
        let e = read_api_response(r#"{"status":"success","data":{"resultType":"table","result":[]}}"#);
        assert!(e.is_err_and(|e| e.to_string() == "1:1: unknown resultType \"table\""));
    }
}
