//! Reads a Prometheus HTTP API response (`/api/v1/query` or `/api/v1/query_range`) into an
//! [`OwnedResult`] of its own result type, with the response's warnings and infos, so a real
//! server's answer can be compared with the local engine's. (`formats::parse_api_json` imports
//! such a body as data instead, which forgets the result type.)
//!
//! Errors carry serde_json's `line:col`; `"status":"error"` bodies quote Prometheus's message.
//! Native histograms are refused: the engine has floats only.

use std::collections::BTreeMap;

use model::{Label, Labels, Sample};
use serde::de::{self, DeserializeOwned, Deserializer, IgnoredAny};
use serde::Deserialize;

use crate::owned::{OwnedResult, OwnedSample};

/// A success response: the result and the annotations beside it.
#[derive(Clone, Debug, PartialEq)]
pub struct ApiResult {
    pub result: OwnedResult,
    pub warnings: Vec<String>,
    pub infos: Vec<String>,
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
    #[allow(dead_code)]
    result: IgnoredAny,
}

/// Second pass, typed by `resultType`, so serde_json reports a bad item at its own position.
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
    // Round: 1.001 * 1000 in binary floating point is 1000.9999...
    Ok((t * 1000.0).round() as i64)
}

impl<'de> Deserialize<'de> for Point {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let (t, v): (f64, String) = Deserialize::deserialize(d)?;
        let v =
            formats::parse_go_float(&v).map_err(|e| de::Error::custom(format!("invalid sample value {v:?}: {e}")))?;
        Ok(Point { t: millis(t)?, v })
    }
}

impl<'de> Deserialize<'de> for StringPoint {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let (t, s): (f64, String) = Deserialize::deserialize(d)?;
        Ok(StringPoint { t: millis(t)?, s })
    }
}

/// Parses a response body; see the module comment.
pub fn parse_api_result(body: &str) -> Result<ApiResult, String> {
    let head: Head = serde_json::from_str(body).map_err(serde_error)?;
    if head.status == "error" {
        return Err(format!(
            "the server answered with an error: {}: {}",
            head.error_type.as_deref().unwrap_or("unknown"),
            head.error.as_deref().unwrap_or("(no message)")
        ));
    }
    if head.status != "success" {
        return Err(format!("1:1: unexpected \"status\" {:?}: expected \"success\"", head.status));
    }
    let Some(data) = head.data else {
        return Err("1:1: missing \"data\" in a success response".to_string());
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
        other => return Err(format!("1:1: unknown resultType {other:?}")),
    };
    Ok(ApiResult { result, warnings: head.warnings, infos: head.infos })
}

fn result<T: DeserializeOwned>(body: &str) -> Result<T, String> {
    serde_json::from_str::<Body<T>>(body).map(|b| b.data.result).map_err(serde_error)
}

fn series(item: Item) -> Result<(Labels, Vec<Point>), String> {
    if item.histogram.is_some() || item.histograms.is_some() {
        return Err("native histogram samples are not supported yet".to_string());
    }
    let labels = Labels::new(item.metric.into_iter().map(|(k, v)| Label::new(k, v)));
    let points = item.values.unwrap_or_default().into_iter().chain(item.value).collect();
    Ok((labels, points))
}

/// serde_json's message as `line:col: message`.
fn serde_error(e: serde_json::Error) -> String {
    let msg = e.to_string();
    let tail = format!(" at line {} column {}", e.line(), e.column());
    let msg = msg.strip_suffix(&tail).unwrap_or(&msg);
    format!("{}:{}: invalid API JSON: {msg}", e.line().max(1), e.column().max(1))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ok(body: &str) -> ApiResult {
        parse_api_result(body).unwrap_or_else(|e| panic!("{e}"))
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
        let e = parse_api_result(r#"{"status":"error","errorType":"bad_data","error":"1:5: parse error: x"}"#);
        assert_eq!(e, Err("the server answered with an error: bad_data: 1:5: parse error: x".to_string()));
        let e = parse_api_result("{\"status\":\"success\",\n\"data\":{\"resultType\":\"vector\",\"result\":[{\"metric\":{},\"value\":[1,\"x\"]}]}}");
        assert!(e.as_ref().is_err_and(|e| e.starts_with("2:") && e.contains("invalid sample value")), "{e:?}");
        let e = parse_api_result("{\"status\":");
        assert!(e.as_ref().is_err_and(|e| e.starts_with("1:10: invalid API JSON")), "{e:?}");
        let e = parse_api_result(
            r#"{"status":"success","data":{"resultType":"vector","result":[{"metric":{},"histogram":[1,{}]}]}}"#,
        );
        assert!(e.is_err_and(|e| e.contains("native histogram")));
    }
}
