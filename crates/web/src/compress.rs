//! The browser's CompressionStream, through a small JS module: deflate for shareable links and
//! gzip for datasets served compressed, without a compressor in the wasm.

use wasm_bindgen::prelude::*;

#[wasm_bindgen(module = "/src/compress.js")]
extern "C" {
    #[wasm_bindgen(catch)]
    pub async fn deflate_text(text: &str) -> Result<JsValue, JsValue>;
    #[wasm_bindgen(catch)]
    pub async fn inflate_text(b64: &str) -> Result<JsValue, JsValue>;
    #[wasm_bindgen(catch)]
    async fn fetch_gunzip(url: &str) -> Result<JsValue, JsValue>;
}

/// GET a gzip file as text, decompressed by the browser.
pub async fn fetch_gzip_text(url: &str) -> Result<String, String> {
    let v = fetch_gunzip(url).await.map_err(|e| {
        js_sys::Reflect::get(&e, &"message".into()).ok().and_then(|m| m.as_string()).unwrap_or_else(|| "network error".into())
    })?;
    v.as_string().ok_or_else(|| "body is not text".to_string())
}

