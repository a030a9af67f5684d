//! Remote mode's HTTP: GET a Prometheus API URL with the user's credentials (held in memory by
//! the page, sent only to the server they were typed for), cancellable through an
//! AbortController, and every failure told apart in words a user can act on. A browser reports
//! "connection refused" and "CORS refused" with the same TypeError; a second, `no-cors` request
//! tells them apart, since it succeeds (opaquely) whenever the server answers at all.

use js_sys::Reflect;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

/// Why a request failed.
#[derive(Clone, Debug, PartialEq)]
pub enum HttpError {
    /// Nothing answered: no server, a wrong host or port, or the browser blocked the address.
    Unreachable,
    /// The server answered but the browser withheld the answer: no CORS headers for this page.
    Cors,
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

/// GET `url` with an optional `Authorization` value; `Ok` is a 2xx answer's body.
pub async fn get(url: &str, authorization: Option<&str>, signal: Option<&web_sys::AbortSignal>) -> Result<String, HttpError> {
    let window = web_sys::window().ok_or_else(|| HttpError::Other("no window".to_string()))?;
    let init = web_sys::RequestInit::new();
    init.set_method("GET");
    if let Some(auth) = authorization {
        let headers = web_sys::Headers::new().map_err(|_| HttpError::Other("cannot build headers".to_string()))?;
        headers.append("Authorization", auth).map_err(|_| HttpError::Other("the credentials hold characters HTTP headers cannot carry".to_string()))?;
        init.set_headers(&headers);
    }
    if let Some(s) = signal {
        init.set_signal(Some(s));
    }
    let resp = match JsFuture::from(window.fetch_with_str_and_init(url, &init)).await {
        Ok(r) => r,
        Err(e) => return Err(classify(&window, url, &e, signal).await),
    };
    let resp: web_sys::Response = resp.dyn_into().map_err(|_| HttpError::Other("not a response".to_string()))?;
    let body = match resp.text() {
        Ok(p) => JsFuture::from(p).await.map_err(|e| if aborted(signal) { HttpError::Aborted } else { HttpError::Other(message(&e)) })?,
        Err(e) => return Err(HttpError::Other(message(&e))),
    };
    let body = body.as_string().unwrap_or_default();
    if resp.ok() {
        Ok(body)
    } else {
        Err(HttpError::Status { status: resp.status(), text: error_text(&body), body })
    }
}

fn aborted(signal: Option<&web_sys::AbortSignal>) -> bool {
    signal.is_some_and(web_sys::AbortSignal::aborted)
}

/// A rejected fetch: cancelled, a URL the browser refuses, or a network failure, which is CORS
/// when a `no-cors` request to the same URL gets through.
async fn classify(window: &web_sys::Window, url: &str, e: &JsValue, signal: Option<&web_sys::AbortSignal>) -> HttpError {
    if aborted(signal) {
        return HttpError::Aborted;
    }
    let text = message(e);
    // Chromium says "Failed to fetch", Firefox "NetworkError when attempting to fetch resource.",
    // Safari "Load failed"; anything else (a malformed URL, one with credentials in it) is not
    // the network.
    let network = text == "Failed to fetch" || text == "Load failed" || text.starts_with("NetworkError");
    if !network {
        return HttpError::Other(text);
    }
    let probe = web_sys::RequestInit::new();
    probe.set_method("GET");
    probe.set_mode(web_sys::RequestMode::NoCors);
    if let Some(s) = signal {
        probe.set_signal(Some(s));
    }
    match JsFuture::from(window.fetch_with_str_and_init(url, &probe)).await {
        Ok(_) => HttpError::Cors,
        Err(_) if aborted(signal) => HttpError::Aborted,
        Err(_) => HttpError::Unreachable,
    }
}

fn message(e: &JsValue) -> String {
    Reflect::get(e, &"message".into()).ok().and_then(|m| m.as_string()).unwrap_or_else(|| "request failed".to_string())
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
