//! Saving text as a file: a Blob, an object URL and a temporary `<a download>` clicked once,
//! which is how a page without a server offers a download.

use wasm_bindgen::JsCast;

/// Offers `text` as a download named `name`. Failures (an old browser without Blob) are
/// ignored: the result stays on screen, nothing is lost.
pub fn download(name: &str, mime: &str, text: &str) {
    let _ = try_download(name, mime, text);
}

fn try_download(name: &str, mime: &str, text: &str) -> Option<()> {
    let parts = js_sys::Array::of1(&wasm_bindgen::JsValue::from_str(text));
    let opts = web_sys::BlobPropertyBag::new();
    opts.set_type(mime);
    let blob = web_sys::Blob::new_with_str_sequence_and_options(&parts, &opts).ok()?;
    let url = web_sys::Url::create_object_url_with_blob(&blob).ok()?;
    let document = web_sys::window()?.document()?;
    let a: web_sys::HtmlAnchorElement = document.create_element("a").ok()?.dyn_into().ok()?;
    a.set_href(&url);
    a.set_download(name);
    // Never attached to the page: a detached anchor's click still starts the download.
    a.click();
    let _ = web_sys::Url::revoke_object_url(&url);
    Some(())
}
