//! What workshop mode reads and writes outside the model: the built-in course's manifest
//! (`lessons/index.json`, read with the browser's `JSON.parse` as the dataset manifest is), the
//! learner's progress and own lessons in localStorage, the presenter setting, and the lesson links
//! (`#lesson=<id>` for a built-in lesson, `#lesson-text=<deflated text>` for any other).

use wasm_bindgen::{JsCast, JsValue};

use crate::compress::{deflate_text, inflate_text};
use crate::state::{CatalogEntry, OwnExercise, OwnLesson, OwnLessons, Progress};

/// Where the built site serves the course (Trunk copies `www/lessons`).
pub const INDEX_URL: &str = "lessons/index.json";
/// The learner's progress: lesson id -> exercise id -> done and last answer.
pub const PROGRESS_KEY: &str = "promplay.lessons";
/// The learner's own lessons, with their texts.
pub const OWN_KEY: &str = "promplay.lessons.own";
/// Large fonts for projectors, kept between visits.
pub const PRESENTER_KEY: &str = "promplay.presenter";
pub const BUILTIN_PREFIX: &str = "#lesson=";
pub const TEXT_PREFIX: &str = "#lesson-text=";

/// The manifest's lessons; entries missing a field are skipped, and text that is not a
/// manifest gives none.
pub fn parse_index(text: &str) -> Vec<CatalogEntry> {
    let Ok(root) = js_sys::JSON::parse(text) else { return Vec::new() };
    items(&root, "lessons")
        .into_iter()
        .filter_map(|l| {
            let s = |key: &str| get(&l, key).as_string();
            Some(CatalogEntry { id: s("id")?, file: s("file")?, title: s("title")?, summary: s("summary").unwrap_or_default() })
        })
        .collect()
}

fn get(v: &JsValue, key: &str) -> JsValue {
    js_sys::Reflect::get(v, &JsValue::from_str(key)).unwrap_or(JsValue::UNDEFINED)
}

/// The items of the array at `v[key]`; none when it is not an array.
fn items(v: &JsValue, key: &str) -> Vec<JsValue> {
    let list = get(v, key);
    if !js_sys::Array::is_array(&list) {
        return Vec::new();
    }
    list.unchecked_into::<js_sys::Array>().to_vec()
}

fn object(fields: &[(&str, JsValue)]) -> JsValue {
    let o = js_sys::Object::new();
    for (k, v) in fields {
        let _ = js_sys::Reflect::set(&o, &JsValue::from_str(k), v);
    }
    o.into()
}

/// The saved progress; missing or damaged storage gives none (never a panic).
pub fn load_progress() -> Progress {
    let parsed = crate::local::get(PROGRESS_KEY).and_then(|t| js_sys::JSON::parse(&t).ok());
    parsed.and_then(|v| serde_wasm_bindgen::from_value(v).ok()).unwrap_or_default()
}

pub fn save_progress(p: &Progress) {
    // Maps as plain objects, so the stored JSON reads `{"lessons":{"<id>":{"<exercise>":…}}}`.
    let ser = serde_wasm_bindgen::Serializer::json_compatible();
    if let Ok(v) = serde::Serialize::serialize(p, &ser) {
        if let Ok(text) = js_sys::JSON::stringify(&v) {
            crate::local::set(PROGRESS_KEY, &String::from(text));
        }
    }
}

/// The learner's own lessons; damaged entries are skipped. Read and written through
/// `JSON` by hand: serde code for three more types costs the page's wasm more.
pub fn load_own() -> OwnLessons {
    let Some(root) = crate::local::get(OWN_KEY).and_then(|t| js_sys::JSON::parse(&t).ok()) else {
        return OwnLessons::default();
    };
    let lessons = items(&root, "lessons")
        .into_iter()
        .filter_map(|l| {
            let s = |v: &JsValue, key: &str| get(v, key).as_string();
            let exercises = items(&l, "exercises")
                .into_iter()
                .filter_map(|e| Some(OwnExercise { id: s(&e, "id")?, title: s(&e, "title")? }))
                .collect();
            Some(OwnLesson { id: s(&l, "id")?, title: s(&l, "title")?, exercises, text: s(&l, "text")? })
        })
        .collect();
    OwnLessons { lessons }
}

pub fn save_own(own: &OwnLessons) {
    let s = |t: &str| JsValue::from_str(t);
    let lessons: js_sys::Array = own
        .lessons
        .iter()
        .map(|l| {
            let exercises: js_sys::Array = l.exercises.iter().map(|e| object(&[("id", s(&e.id)), ("title", s(&e.title))])).collect();
            object(&[("id", s(&l.id)), ("title", s(&l.title)), ("exercises", exercises.into()), ("text", s(&l.text))])
        })
        .collect();
    if let Ok(text) = js_sys::JSON::stringify(&object(&[("v", JsValue::from(1)), ("lessons", lessons.into())])) {
        crate::local::set(OWN_KEY, &String::from(text));
    }
}

/// The lesson a fragment names, if it names one.
pub enum LinkedLesson {
    Builtin(String),
    /// Still compressed.
    Text(String),
}

pub fn linked_lesson(fragment: &str) -> Option<LinkedLesson> {
    if let Some(id) = fragment.strip_prefix(BUILTIN_PREFIX) {
        let id = js_sys::decode_uri_component(id).ok().and_then(|s| s.as_string()).unwrap_or_else(|| id.to_string());
        return Some(LinkedLesson::Builtin(id));
    }
    fragment.strip_prefix(TEXT_PREFIX).map(|p| LinkedLesson::Text(p.to_string()))
}

pub async fn inflate(packed: &str) -> Option<String> {
    inflate_text(packed).await.ok()?.as_string()
}

/// The fragment that opens a lesson's text.
pub async fn text_fragment(text: &str) -> Option<String> {
    let packed = deflate_text(text).await.ok()?.as_string()?;
    Some(format!("{TEXT_PREFIX}{packed}"))
}

/// Puts `fragment` in the address bar without a navigation (an empty one clears it).
pub fn set_fragment(fragment: &str) {
    let Some(window) = web_sys::window() else { return };
    let loc = window.location();
    let url = format!("{}{}{fragment}", loc.pathname().unwrap_or_default(), loc.search().unwrap_or_default());
    if let Ok(history) = window.history() {
        let _ = history.replace_state_with_url(&JsValue::NULL, "", Some(&url));
    }
}

pub fn fragment() -> String {
    web_sys::window().and_then(|w| w.location().hash().ok()).unwrap_or_default()
}

fn body() -> Option<web_sys::HtmlElement> {
    web_sys::window()?.document()?.body()
}

pub fn load_presenter() -> bool {
    crate::local::get(PRESENTER_KEY).as_deref() == Some("on")
}

pub fn save_presenter(on: bool) {
    if on {
        crate::local::set(PRESENTER_KEY, "on");
    } else {
        crate::local::remove(PRESENTER_KEY);
    }
}

/// Whether `<body>` has the presenter class.
pub fn presenter_on() -> bool {
    body().is_some_and(|b| b.class_list().contains("presenter"))
}

/// Sets the presenter class on `<body>`.
pub fn apply_presenter(on: bool) {
    if let Some(body) = body() {
        let _ = body.class_list().toggle_with_force("presenter", on);
    }
}
