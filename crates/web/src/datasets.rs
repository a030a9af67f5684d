//! The sample datasets of `www/datasets/index.json`. The manifest is fetched at start-up and
//! read with the browser's own `JSON.parse`: compiling it (or a JSON parser) into the wasm
//! would cost size the budget does not have. Only a chosen dataset's file is fetched after that.

use wasm_bindgen::{JsCast, JsValue};

/// Where the built site serves the manifest (Trunk copies `www/datasets`). Relative, so the app
/// also works under a sub-path.
pub const INDEX_URL: &str = "datasets/index.json";

/// One suggested query and the sentence that says what it teaches.
#[derive(Clone, Debug, PartialEq)]
pub struct Suggested {
    pub query: String,
    pub explains: String,
}

/// One entry of the manifest. `file` is relative to `datasets/` in the built site.
#[derive(Clone, Debug, PartialEq)]
pub struct Dataset {
    pub id: String,
    pub title: String,
    pub description: String,
    pub file: String,
    /// The evaluation time the suggested queries are written for (untimestamped samples are
    /// scraped at it too).
    pub time_ms: i64,
    pub queries: Vec<Suggested>,
}

impl Dataset {
    /// The file's URL in the built site.
    pub fn url(&self) -> String {
        format!("datasets/{}", self.file)
    }
}

/// The manifest's datasets; entries missing a field are skipped, and text that is not a
/// manifest gives none (never a panic: the file is fetched).
pub fn parse_manifest(text: &str) -> Vec<Dataset> {
    let Ok(root) = js_sys::JSON::parse(text) else {
        return Vec::new();
    };
    array(get(&root, "datasets")).iter().filter_map(|d| dataset(&d)).collect()
}

fn dataset(d: &JsValue) -> Option<Dataset> {
    let s = |key: &str| get(d, key).as_string();
    let queries = array(get(d, "queries"))
        .iter()
        .filter_map(|q| Some(Suggested { query: s_of(&q, "query")?, explains: s_of(&q, "explains").unwrap_or_default() }))
        .collect();
    Some(Dataset {
        id: s("id")?,
        title: s("title")?,
        description: s("description").unwrap_or_default(),
        file: s("file")?,
        // Seconds, possibly fractional, to the app's milliseconds.
        time_ms: (get(d, "time").as_f64()? * 1000.0).round() as i64,
        queries,
    })
}

fn s_of(v: &JsValue, key: &str) -> Option<String> {
    get(v, key).as_string()
}

/// `v` if it is an array, else an empty one (`Array.from(undefined)` would throw).
fn array(v: JsValue) -> js_sys::Array {
    if js_sys::Array::is_array(&v) {
        v.unchecked_into()
    } else {
        js_sys::Array::new()
    }
}

fn get(v: &JsValue, key: &str) -> JsValue {
    js_sys::Reflect::get(v, &JsValue::from_str(key)).unwrap_or(JsValue::UNDEFINED)
}
