//! Saving text as a file: a Blob, an object URL and a temporary `<a download>` clicked once,
//! which is how a page without a server offers a download.

use wasm_bindgen::JsCast;

/// Offers `text` as a download named `name`. Failures (an old browser without Blob) are
/// ignored: the result stays on screen, nothing is lost.
pub fn download(name: &str, mime: &str, text: &str) {
    let _ = try_download(name, mime, text);
}

/// Offers the graph's canvas as a PNG file (what is drawn, at the screen's pixel density).
pub fn download_canvas_png(canvas_id: &str, name: &str) {
    let _ = try_download_canvas(canvas_id, name);
}

fn try_download_canvas(canvas_id: &str, name: &str) -> Option<()> {
    let document = web_sys::window()?.document()?;
    let canvas: web_sys::HtmlCanvasElement = document.get_element_by_id(canvas_id)?.dyn_into().ok()?;
    let url = canvas.to_data_url_with_type("image/png").ok()?;
    click_link(&document, &url, name)
}

fn click_link(document: &web_sys::Document, href: &str, name: &str) -> Option<()> {
    let a: web_sys::HtmlAnchorElement = document.create_element("a").ok()?.dyn_into().ok()?;
    a.set_href(href);
    a.set_download(name);
    // Never attached to the page: a detached anchor's click still starts the download.
    a.click();
    Some(())
}

fn try_download(name: &str, mime: &str, text: &str) -> Option<()> {
    let parts = js_sys::Array::of1(&wasm_bindgen::JsValue::from_str(text));
    let opts = web_sys::BlobPropertyBag::new();
    opts.set_type(mime);
    let blob = web_sys::Blob::new_with_str_sequence_and_options(&parts, &opts).ok()?;
    let url = web_sys::Url::create_object_url_with_blob(&blob).ok()?;
    let document = web_sys::window()?.document()?;
    click_link(&document, &url, name);
    let _ = web_sys::Url::revoke_object_url(&url);
    Some(())
}
