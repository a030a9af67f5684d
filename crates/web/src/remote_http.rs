//! Remote mode's HTTP: GET a Prometheus API URL with the user's credentials (held in memory by
//! the page, sent only to the server they were typed for), cancellable through an
//! AbortController, and every failure told apart in words a user can act on. The fetch itself is
//! in `remote.js` (smaller than through web-sys); it tells "CORS refused" from "nothing answered",
//! which a browser reports with the same TypeError, by a second, `no-cors` request.

use js_sys::Reflect;
use wasm_bindgen::prelude::*;

use crate::state::remote::Server;

/// Why a request failed.
#[derive(Clone, Debug, PartialEq)]
pub enum HttpError {
    /// Nothing answered: no server, a wrong host or port, or the browser blocked the address.
    Unreachable,
    /// The server answered but the browser withheld the answer: no CORS headers for this page.
    Cors,
    /// As `Cors`, but only for the tenant header: the same request without it was answered.
    CorsTenant,
    /// An HTTP error status, with the API's error text (or the start of the body) and the body.
    Status { status: u16, text: String, body: String },
    /// The user cancelled.
    Aborted,
    /// Something the browser would not do (a malformed URL…).
    Other(String),
}

impl HttpError {
    /// The message for the status line, about `url` (the request) and `base` (the server).
    pub fn explain(&self, url: &str, base: &str) -> String {
        match self {
            HttpError::Unreachable => format!(
                "Could not reach {base}: nothing answered. Check that the server is running and the address and port are right \
                 (a page served over https also cannot fetch an http:// address)."
            ),
            HttpError::Cors => format!(
                "{base} answered, but the browser refused to hand the answer to this page (CORS): the server does not allow \
                 requests from {origin}. Prometheus: start it with --web.cors.origin='{origin_re}' (its default '.*' allows \
                 every page; a proxy in front may be dropping the header). Thanos Query allows every origin unless started \
                 with --web.disable-cors. Mimir and Cortex have no such option: put a proxy in front that adds \
                 Access-Control-Allow-Origin and answers OPTIONS requests.",
                origin = page_origin(),
                origin_re = page_origin().replace('.', "\\.")
            ),
            HttpError::CorsTenant => format!(
                "{base} answered, but the browser refused to hand the answer to this page (CORS): the server allows this \
                 page but not the tenant header X-Scope-OrgID. A proxy in front of Mimir or Cortex must list it in \
                 Access-Control-Allow-Headers. Prometheus allows only Accept, Authorization, Content-Type and Origin: \
                 leave Tenant empty for it."
            ),
            HttpError::Status { status, text, .. } => {
                let hint = match status {
                    401 | 403 => " Check the credentials.",
                    404 => " Is this the API's base URL (the address Prometheus's own UI is served at)?",
                    _ => "",
                };
                let text = if text.is_empty() { String::new() } else { format!(": {text}") };
                format!("{url} answered HTTP {status}{text}.{hint}")
            }
            HttpError::Aborted => "Cancelled.".to_string(),
            HttpError::Other(m) => format!("{url}: {m}"),
        }
    }
}

/// The page's own origin (`http://127.0.0.1:8080`): what the server must allow.
pub fn page_origin() -> String {
    web_sys::window().and_then(|w| w.location().origin().ok()).unwrap_or_default()
}

#[wasm_bindgen(module = "/src/remote.js")]
extern "C" {
    #[wasm_bindgen(catch)]
    async fn remote_get(
        url: &str,
        authorization: Option<String>,
        tenant: Option<String>,
        signal: Option<web_sys::AbortSignal>,
    ) -> Result<JsValue, JsValue>;
}

/// GET `url` with the server's headers; `Ok` is a 2xx answer's body.
pub async fn get(url: &str, server: &Server, signal: Option<&web_sys::AbortSignal>) -> Result<String, HttpError> {
    match remote_get(url, server.authorization.clone(), server.tenant.clone(), signal.cloned()).await {
        Ok(body) => Ok(body.as_string().unwrap_or_default()),
        Err(e) => {
            let field = |k: &str| Reflect::get(&e, &JsValue::from_str(k)).ok();
            let text = |k: &str| field(k).and_then(|v| v.as_string()).unwrap_or_default();
            Err(match text("kind").as_str() {
                "aborted" => HttpError::Aborted,
                "unreachable" => HttpError::Unreachable,
                "cors" => HttpError::Cors,
                "cors_tenant" => HttpError::CorsTenant,
                "status" => {
                    let body = text("body");
                    let status = field("status").and_then(|v| v.as_f64()).unwrap_or(0.0) as u16;
                    HttpError::Status { status, text: error_text(&body), body }
                }
                _ => HttpError::Other(text("message")),
            })
        }
    }
}

/// The API's `error` field (with its `errorType`), or the start of a body that is not the API's.
pub fn error_text(body: &str) -> String {
    if let Some(v) = parse_json(body) {
        if let Some(e) = string_at(&v, &["error"]) {
            return match string_at(&v, &["errorType"]) {
                Some(t) if !t.is_empty() => format!("{t}: {e}"),
                _ => e,
            };
        }
    }
    let t = body.trim();
    let mut end = t.len().min(200);
    while !t.is_char_boundary(end) {
        end -= 1;
    }
    if end < t.len() {
        format!("{}…", &t[..end])
    } else {
        t.to_string()
    }
}

pub fn parse_json(body: &str) -> Option<JsValue> {
    js_sys::JSON::parse(body).ok().filter(JsValue::is_object)
}

/// The string at a path of object keys.
pub fn string_at(v: &JsValue, path: &[&str]) -> Option<String> {
    let mut cur = v.clone();
    for key in path {
        cur = Reflect::get(&cur, &JsValue::from_str(key)).ok()?;
    }
    cur.as_string()
}

/// A `{"status":"success","data":[…]}` answer's list.
pub fn data_list(body: &str) -> Result<js_sys::Array, String> {
    let v = parse_json(body).ok_or_else(|| not_json(body))?;
    let data = Reflect::get(&v, &"data".into()).ok().filter(js_sys::Array::is_array);
    let data = data.ok_or_else(|| "the answer has no list under \"data\"".to_string())?;
    Ok(js_sys::Array::from(&data))
}

/// The strings of a list answer (label names and values).
pub fn string_list(body: &str) -> Result<Vec<String>, String> {
    Ok(data_list(body)?.iter().filter_map(|x| x.as_string()).collect())
}

/// What to say about a 2xx body that is not JSON.
pub fn not_json(body: &str) -> String {
    let t = body.trim_start();
    if t.starts_with('<') {
        "the answer is an HTML page, not the API's JSON: is the URL the Prometheus API's base (not a login page or another site)?".to_string()
    } else {
        format!("the answer is not valid JSON: {}", error_text(body))
    }
}
