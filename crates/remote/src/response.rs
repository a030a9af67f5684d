//! Reads the server's answers: the API envelope (`status`, `data`, `errorType`, `error`,
//! `warnings`, `infos`), and every way it can go wrong, as one error type whose messages say
//! what happened: an HTTP error with the server's own text, an error envelope, a body that is
//! not JSON (a proxy's HTML page), malformed JSON at `line:col`, or a shape not asked for.

use std::collections::BTreeMap;
use std::fmt;

use model::{Label, Labels};
use serde::de::DeserializeOwned;
use serde::Deserialize;

/// Why an answer could not be used.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ApiError {
    /// An HTTP error status; `error_type`/`message` from the error envelope when the body has one,
    /// else the start of the body.
    Http { status: u16, error_type: Option<String>, message: String },
    /// A `"status":"error"` envelope with a success status code.
    Api { error_type: String, message: String },
    /// The body is not JSON at all.
    NotJson { snippet: String },
    /// JSON that does not parse, or not the API's shape, at `line:col` of the body.
    Malformed { line: usize, col: usize, message: String },
    /// A well-formed answer of another kind than asked for.
    Unexpected(String),
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ApiError::Http { status, error_type, message } => {
                write!(f, "HTTP {status}")?;
                if let Some(reason) = reason_phrase(*status) {
                    write!(f, " {reason}")?;
                }
                match error_type {
                    Some(t) => write!(f, ": {t}: {message}"),
                    None if message.is_empty() => f.write_str(" (empty body)"),
                    None => write!(f, ": {message}"),
                }
            }
            ApiError::Api { error_type, message } => write!(f, "the server answered with an error: {error_type}: {message}"),
            ApiError::NotJson { snippet } => {
                write!(f, "the server's answer is not JSON (is the URL a Prometheus API?): it starts with {snippet:?}")
            }
            ApiError::Malformed { line, col, message } => write!(f, "malformed JSON in the server's answer at {line}:{col}: {message}"),
            ApiError::Unexpected(m) => f.write_str(m),
        }
    }
}

impl std::error::Error for ApiError {}

fn reason_phrase(status: u16) -> Option<&'static str> {
    Some(match status {
        400 => "Bad Request",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        406 => "Not Acceptable",
        413 => "Payload Too Large",
        422 => "Unprocessable Entity",
        429 => "Too Many Requests",
        500 => "Internal Server Error",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        504 => "Gateway Timeout",
        _ => return None,
    })
}

/// The envelope without `data` (serde skips it without building it).
#[derive(Deserialize)]
struct Head {
    status: String,
    #[serde(default, rename = "errorType")]
    error_type: Option<String>,
    #[serde(default)]
    error: Option<String>,
}

/// The whole envelope in one pass, `data` typed: one deserializer per kind of answer (the
/// worker's wasm pays for each).
#[derive(Deserialize)]
struct Envelope<T> {
    status: String,
    data: Option<T>,
    #[serde(default, rename = "errorType")]
    error_type: Option<String>,
    #[serde(default)]
    error: Option<String>,
}

/// The first characters of a body, on one line, for messages.
pub(crate) fn snippet(body: &str) -> String {
    let one_line: String = body.trim().chars().map(|c| if c.is_control() { ' ' } else { c }).take(120).collect();
    if body.trim().chars().count() > 120 {
        format!("{one_line}…")
    } else {
        one_line
    }
}

fn malformed(e: &serde_json::Error) -> ApiError {
    let msg = e.to_string();
    let tail = format!(" at line {} column {}", e.line(), e.column());
    let message = msg.strip_suffix(&tail).unwrap_or(&msg).to_string();
    ApiError::Malformed { line: e.line().max(1), col: e.column().max(1), message }
}

pub(crate) fn looks_like_json(body: &str) -> bool {
    body.trim_start_matches('\u{feff}').trim_start().starts_with('{')
}

/// Checks the HTTP status of an answer: a non-2xx status becomes [`ApiError::Http`] with the
/// server's `errorType: error` when the body is an API error envelope.
pub fn check_status(status: u16, body: &str) -> Result<(), ApiError> {
    if (200..300).contains(&status) {
        return Ok(());
    }
    if looks_like_json(body) {
        if let Ok(head) = serde_json::from_str::<Head>(body) {
            if let Some(message) = head.error {
                return Err(ApiError::Http { status, error_type: head.error_type, message });
            }
        }
    }
    Err(ApiError::Http { status, error_type: None, message: snippet(body) })
}

/// Checks a body's envelope: JSON, and `"status":"success"`.
pub fn check_envelope(body: &str) -> Result<(), ApiError> {
    if !looks_like_json(body) {
        return Err(ApiError::NotJson { snippet: snippet(body) });
    }
    let head: Head = serde_json::from_str(body).map_err(|e| malformed(&e))?;
    match head.status.as_str() {
        "success" => Ok(()),
        "error" => Err(ApiError::Api {
            error_type: head.error_type.unwrap_or_else(|| "unknown".into()),
            message: head.error.unwrap_or_else(|| "(no message)".into()),
        }),
        other => Err(ApiError::Unexpected(format!("unexpected \"status\" {other:?} in the server's answer (expected \"success\")"))),
    }
}

/// The `data` of a success envelope, as `T`.
pub fn parse_data<T: DeserializeOwned>(body: &str) -> Result<T, ApiError> {
    if !looks_like_json(body) {
        return Err(ApiError::NotJson { snippet: snippet(body) });
    }
    let env: Envelope<T> = serde_json::from_str(body).map_err(|e| malformed(&e))?;
    match (env.status.as_str(), env.data) {
        ("success", Some(data)) => Ok(data),
        ("success", None) => Err(ApiError::Unexpected("the server's answer has no \"data\"".into())),
        ("error", _) => Err(ApiError::Api {
            error_type: env.error_type.unwrap_or_else(|| "unknown".into()),
            message: env.error.unwrap_or_else(|| "(no message)".into()),
        }),
        (other, _) => Err(ApiError::Unexpected(format!("unexpected \"status\" {other:?} in the server's answer (expected \"success\")"))),
    }
}

/// The samples of a range-vector query's answer (a matrix of raw samples; an instant vector's
/// samples are taken as they are), every sample with its timestamp. The body is read by
/// `formats::read_api_response`, the reader of pasted API JSON too, so the worker holds one.
pub fn parse_matrix(body: &str) -> Result<formats::Exposition, ApiError> {
    if !looks_like_json(body) {
        return Err(ApiError::NotJson { snippet: snippet(body) });
    }
    let malformed = |e: formats::ParseError| ApiError::Malformed {
        line: e.line,
        col: e.col,
        message: e.message.strip_prefix("invalid API JSON: ").unwrap_or(&e.message).to_string(),
    };
    match formats::read_api_response(body) {
        Ok(resp) => formats::exposition_of(resp.result).map_err(malformed),
        Err(formats::ApiResponseError::Server { error_type, error }) => Err(ApiError::Api { error_type, message: error }),
        Err(formats::ApiResponseError::Invalid(e)) => Err(malformed(e)),
    }
}

/// `/api/v1/status/buildinfo`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
pub struct BuildInfo {
    #[serde(default)]
    pub version: String,
    #[serde(default)]
    pub revision: String,
    #[serde(default)]
    pub branch: String,
    #[serde(default, rename = "goVersion")]
    pub go_version: String,
}

impl BuildInfo {
    /// `2.42.0 (revision abc, go1.19.8)`, leaving out what the server did not say.
    pub fn describe(&self) -> String {
        let mut extra = Vec::new();
        if !self.revision.is_empty() {
            extra.push(format!("revision {}", self.revision));
        }
        if !self.go_version.is_empty() {
            extra.push(self.go_version.clone());
        }
        let version = if self.version.is_empty() { "unknown version" } else { &self.version };
        if extra.is_empty() {
            version.to_string()
        } else {
            format!("{version} ({})", extra.join(", "))
        }
    }
}

pub fn parse_buildinfo(body: &str) -> Result<BuildInfo, ApiError> {
    parse_data(body)
}

/// One metric's entry of `/api/v1/metadata` (Prometheus lists one per distinct target value;
/// the first is kept).
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
pub struct Metadata {
    #[serde(rename = "type", default)]
    pub kind: String,
    #[serde(default)]
    pub help: String,
    #[serde(default)]
    pub unit: String,
}

pub fn parse_metadata(body: &str) -> Result<BTreeMap<String, Metadata>, ApiError> {
    let all: BTreeMap<String, Vec<Metadata>> = parse_data(body)?;
    Ok(all.into_iter().filter_map(|(name, entries)| Some((name, entries.into_iter().next()?))).collect())
}

/// `/api/v1/labels` and `/api/v1/label/<name>/values`.
pub fn parse_string_list(body: &str) -> Result<Vec<String>, ApiError> {
    parse_data(body)
}

/// `/api/v1/series`.
pub fn parse_series(body: &str) -> Result<Vec<Labels>, ApiError> {
    let list: Vec<BTreeMap<String, String>> = parse_data(body)?;
    Ok(list.into_iter().map(|m| Labels::new(m.into_iter().map(|(k, v)| Label::new(k, v)))).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn http_errors_quote_the_server() {
        let body = r#"{"status":"error","errorType":"bad_data","error":"invalid parameter \"query\": 1:4: parse error: unexpected end of input"}"#;
        let e = check_status(400, body).err().map(|e| e.to_string());
        assert_eq!(
            e.as_deref(),
            Some("HTTP 400 Bad Request: bad_data: invalid parameter \"query\": 1:4: parse error: unexpected end of input")
        );
        let e = check_status(502, "<html><body>\n<h1>502 Bad Gateway</h1></body></html>").err().map(|e| e.to_string());
        assert_eq!(e.as_deref(), Some("HTTP 502 Bad Gateway: <html><body> <h1>502 Bad Gateway</h1></body></html>"));
        assert_eq!(check_status(503, "").err().map(|e| e.to_string()).as_deref(), Some("HTTP 503 Service Unavailable (empty body)"));
        assert_eq!(check_status(299, "whatever"), Ok(()));
    }

    #[test]
    fn bodies_that_are_not_the_api() {
        let e = parse_buildinfo("404 page not found\n").err().map(|e| e.to_string());
        assert_eq!(
            e.as_deref(),
            Some("the server's answer is not JSON (is the URL a Prometheus API?): it starts with \"404 page not found\"")
        );
        let e = parse_buildinfo("{\"status\":\"success\",\n\"data\":{\"version\":2.42}}").err();
        assert!(matches!(e, Some(ApiError::Malformed { line: 2, .. })), "{e:?}");
        let e = parse_matrix("{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":[").err().map(|e| e.to_string());
        assert!(e.as_deref().is_some_and(|e| e.starts_with("malformed JSON in the server's answer at 1:")), "{e:?}");
        let e = parse_matrix(r#"{"status":"error","errorType":"execution","error":"query timed out"}"#).err().map(|e| e.to_string());
        assert_eq!(e.as_deref(), Some("the server answered with an error: execution: query timed out"));
        let e = parse_matrix(r#"{"status":"success","data":{"resultType":"scalar","result":[1,"1"]}}"#).err();
        assert!(matches!(e, Some(ApiError::Malformed { ref message, .. }) if message.contains("scalar")), "{e:?}");
        assert_eq!(parse_buildinfo(r#"{"status":"success"}"#).err().map(|e| e.to_string()).as_deref(), Some("the server's answer has no \"data\""));
    }

    #[test]
    fn data_of_each_endpoint() {
        let b = r#"{"status":"success","data":{"version":"2.42.0+ds","revision":"2.42.0+ds-5","branch":"debian/sid","buildUser":"x","buildDate":"y","goVersion":"go1.19.8"}}"#;
        assert_eq!(parse_buildinfo(b).map(|b| b.describe()), Ok("2.42.0+ds (revision 2.42.0+ds-5, go1.19.8)".to_string()));
        let m = r#"{"status":"success","data":{"up":[{"type":"gauge","help":"Up.","unit":""},{"type":"counter","help":"other","unit":""}]}}"#;
        let meta = parse_metadata(m).unwrap_or_default();
        assert_eq!(meta.get("up").map(|m| (m.kind.as_str(), m.help.as_str())), Some(("gauge", "Up.")));
        assert_eq!(parse_string_list(r#"{"status":"success","data":["a","b"]}"#), Ok(vec!["a".to_string(), "b".to_string()]));
        let s = parse_series(r#"{"status":"success","data":[{"__name__":"up","job":"n"}]}"#).unwrap_or_default();
        assert_eq!(s.iter().map(|l| l.to_string()).collect::<Vec<_>>(), ["up{job=\"n\"}"]);
        let mx = r#"{"status":"success","data":{"resultType":"matrix","result":[{"metric":{"__name__":"x"},"values":[[1.5,"2"],[3,"NaN"]]}]}}"#;
        let exp = parse_matrix(mx).unwrap_or_default();
        assert_eq!(exp.samples.iter().map(|s| s.timestamp_ms).collect::<Vec<_>>(), [Some(1500), Some(3000)]);
        assert!(exp.samples[1].value.is_nan());
    }
}
