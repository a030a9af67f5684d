//! The Remote view: connect to a Prometheus-compatible server, import a slice of its data into
//! the data pane, and compare the Query view's query here and there (see `remote_flow` for the
//! steps, `remote_view` for what is shown). Shown instead of the Query view by the header's
//! switch; the credentials typed here live only in the page's memory.
//!
//! The view is one static HTML string with one delegated handler per event kind (each `view!`
//! element costs wasm size: this way the view costs a few KB instead of 15); what changes is
//! written into its slots by one effect, as HTML strings and attributes.

use leptos::prelude::*;
use wasm_bindgen::{JsCast, JsValue};

use super::{escape, remote_view};
use crate::app::AppCtx;
use crate::state::remote::{AuthKind, CompareStatus, Connection, RemoteState};
use crate::state::AppState;

macro_rules! server_form {
    () => {
        r#"<div class="pane-head"><h2 id="remote-title">Server</h2><span class="muted">Prometheus, Thanos, Mimir or Cortex: the Prometheus HTTP API</span></div>
<div class="remote-row"><label class="remote-field remote-url"><span class="muted">URL</span><input id="remote-url" type="url" spellcheck="false" autocomplete="off" placeholder="http://localhost:9090"></label>
<label class="remote-field"><span class="muted">Auth</span><select id="remote-auth"><option value="none">none</option><option value="bearer">bearer token</option><option value="basic">basic auth</option></select></label>
<button id="remote-connect" type="button" class="run">Connect</button><button id="remote-disconnect" type="button" disabled>Disconnect</button></div>
<div id="remote-bearer" class="remote-row"><label class="remote-field"><span class="muted">Token</span><input id="remote-token" type="password" autocomplete="off" placeholder="kept in this tab's memory only"></label></div>
<div id="remote-basic" class="remote-row"><label class="remote-field"><span class="muted">User</span><input id="remote-user" type="text" autocomplete="off" spellcheck="false"></label>
<label class="remote-field"><span class="muted">Password</span><input id="remote-password" type="password" autocomplete="off" placeholder="kept in this tab's memory only"></label></div>
<div class="remote-row"><label class="remote-field remote-url"><span class="muted">Tenant</span><input id="remote-tenant" type="text" spellcheck="false" autocomplete="off" placeholder="X-Scope-OrgID for Mimir or Cortex; a|b for several"></label></div>"#
    };
}

macro_rules! import_form {
    () => {
        r#"<div class="pane-head"><h2 id="remote-import-title">Import</h2><span class="muted">raw samples into the data pane, replacing its data</span></div>
<textarea id="remote-selectors" class="editor remote-selectors" aria-label="Selectors, one per line" rows="3" spellcheck="false" autocomplete="off" autocapitalize="off" wrap="off" placeholder="one selector per line, e.g.&#10;up&#10;node_cpu_seconds_total{mode=&quot;idle&quot;}"></textarea>
<div class="remote-row"><label><input id="remote-use-last" type="radio" name="remote-window" checked> last </label><input id="remote-last" class="remote-short" type="text" spellcheck="false" aria-label="Last" value="1h">
<label><input id="remote-use-range" type="radio" name="remote-window"> from </label><input id="remote-start" type="text" spellcheck="false" aria-label="Start" placeholder="unix seconds or RFC 3339"><span class="muted"> to </span><input id="remote-end" type="text" spellcheck="false" aria-label="End" placeholder="now"></div>
<div class="remote-row"><label class="remote-field"><span class="muted">Max series</span><input id="remote-max-series" type="text" spellcheck="false" placeholder="10,000"></label>
<label class="remote-field"><span class="muted">Max samples</span><input id="remote-max-samples" type="text" spellcheck="false" placeholder="1,000,000"></label>
<label class="remote-field"><span class="muted">Chunk</span><input id="remote-chunk" type="text" spellcheck="false" placeholder="1h"></label>
<button id="remote-import" type="button" class="run">Import</button><button id="remote-cancel" type="button" disabled>Cancel</button></div>"#
    };
}

macro_rules! compare_head {
    () => {
        r#"<div class="pane-head"><h2 id="remote-compare-title">Compare</h2><label class="remote-field"><span class="muted">Tolerance</span><input id="remote-tolerance" type="text" spellcheck="false" placeholder="1e-9"></label>
<button id="remote-compare" type="button" class="run">Compare</button></div><p class="muted">Runs the Query view's query here and on the server, at the same times:</p>"#
    };
}

/// The whole view; the slots (`*-slot`, `remote-progress`, `remote-query`, `remote-compare-out`)
/// are filled by the effect below.
const PANEL: &str = concat!(
    r#"<div class="column"><section class="pane remote-pane" aria-labelledby="remote-title">"#,
    server_form!(),
    r#"<div id="remote-status-slot"></div></section><section class="pane remote-pane" aria-labelledby="remote-import-title">"#,
    import_form!(),
    r#"<p id="remote-progress" class="muted" role="status" aria-busy="false"></p><div id="remote-import-slot"></div></section></div>"#,
    r#"<div class="column"><section class="pane remote-pane" aria-labelledby="remote-compare-title">"#,
    compare_head!(),
    r#"<p><code id="remote-query"></code></p><div id="remote-compare-out" aria-busy="false"></div></section></div>"#,
);

/// Where the changing parts go: the element, and whether its HTML or an attribute changes.
const SLOTS: [(&str, &str); 10] = [
    ("remote-status-slot", ""),
    ("remote-progress", ""),
    ("remote-import-slot", ""),
    ("remote-query", ""),
    ("remote-compare-out", ""),
    ("remote-progress", "aria-busy"),
    ("remote-compare-out", "aria-busy"),
    ("remote-import", "disabled"),
    ("remote-cancel", "disabled"),
    ("remote-disconnect", "disabled"),
];

/// What the slots hold for this state: HTML, or for an attribute "" (absent) or its value.
fn slots(s: &AppState) -> [String; 10] {
    let r = &s.remote;
    let flag = |on: bool| if on { "true".to_string() } else { String::new() };
    let busy = |on: bool| if on { "true" } else { "false" }.to_string();
    let mut progress = String::new();
    escape(&mut progress, &r.progress_text().unwrap_or_default());
    let mut query = String::new();
    escape(&mut query, &remote_view::compared_query(s));
    [
        remote_view::connection_html(r),
        progress,
        remote_view::import_html(r),
        query,
        remote_view::compare_out(&r.compare),
        busy(r.importing()),
        busy(matches!(r.compare, CompareStatus::Running(_))),
        flag(r.importing()),
        flag(!r.importing()),
        flag(matches!(r.conn, Connection::Idle | Connection::Failed(_))),
    ]
}

/// Where the model keeps one of the form's text fields.
type Field = fn(&mut RemoteState) -> &mut String;

/// The form's text fields.
const FIELDS: [(&str, Field); 13] = [
    ("remote-url", |r| &mut r.url),
    ("remote-token", |r| &mut r.token),
    ("remote-user", |r| &mut r.user),
    ("remote-password", |r| &mut r.password),
    ("remote-tenant", |r| &mut r.tenant),
    ("remote-selectors", |r| &mut r.selectors),
    ("remote-last", |r| &mut r.last),
    ("remote-start", |r| &mut r.start),
    ("remote-end", |r| &mut r.end),
    ("remote-max-series", |r| &mut r.max_series),
    ("remote-max-samples", |r| &mut r.max_samples),
    ("remote-chunk", |r| &mut r.chunk),
    ("remote-tolerance", |r| &mut r.tolerance),
];

/// An element's `value` (or `checked`) property, by id.
fn property(doc: &web_sys::Document, id: &str, name: &str) -> JsValue {
    doc.get_element_by_id(id)
        .and_then(|el| js_sys::Reflect::get(&el, &JsValue::from_str(name)).ok())
        .unwrap_or_default()
}

impl AppCtx {
    /// Copies the form into the model before an action reads it: the fields are the page's
    /// own inputs, not mirrored keystroke by keystroke.
    pub fn read_remote_form(self) {
        let Some(doc) = web_sys::window().and_then(|w| w.document()) else { return };
        self.state.update_untracked(|s| {
            let r = &mut s.remote;
            for (id, field) in FIELDS {
                if let Some(v) = property(&doc, id, "value").as_string() {
                    *field(r) = v;
                }
            }
            r.use_range = property(&doc, "remote-use-range", "checked").is_truthy();
            r.auth = match property(&doc, "remote-auth", "value").as_string().as_deref() {
                Some("bearer") => AuthKind::Bearer,
                Some("basic") => AuthKind::Basic,
                _ => AuthKind::None,
            };
        });
    }

    /// Disconnect: a running import is cancelled, and the model forgets the connection and the
    /// secrets, which are emptied in the form as well.
    pub fn remote_disconnect(self) {
        self.remote_cancel();
        self.state.update(|s| s.remote.disconnect());
        let Some(doc) = web_sys::window().and_then(|w| w.document()) else { return };
        for id in ["remote-token", "remote-password"] {
            if let Some(el) = doc.get_element_by_id(id) {
                let _ = js_sys::Reflect::set(&el, &JsValue::from_str("value"), &JsValue::from_str(""));
            }
        }
    }
}

#[component]
pub fn RemotePanel() -> impl IntoView {
    let ctx = expect_context::<AppCtx>();
    let state = ctx.state;
    let on_click = move |ev: leptos::ev::MouseEvent| {
        let id = ev.target().and_then(|t| t.dyn_into::<web_sys::Element>().ok()).map(|e| e.id()).unwrap_or_default();
        match id.as_str() {
            "remote-connect" => ctx.remote_connect(),
            "remote-disconnect" => ctx.remote_disconnect(),
            "remote-import" => ctx.remote_import(),
            "remote-cancel" => ctx.remote_cancel(),
            "remote-compare" => ctx.remote_compare(),
            _ => {}
        }
    };
    let on_key = move |ev: leptos::ev::KeyboardEvent| {
        let url =
            ev.target().and_then(|t| t.dyn_into::<web_sys::Element>().ok()).is_some_and(|e| e.id() == "remote-url");
        if url && ev.key() == "Enter" {
            ev.prevent_default();
            ctx.remote_connect();
        }
    };
    // The static form is in the document once the view is built; the parts that follow the
    // state are written into it, each only when it changed.
    Effect::new(move |prev: Option<[String; 10]>| {
        let now = state.with(slots);
        let Some(doc) = web_sys::window().and_then(|w| w.document()) else { return now };
        for (i, ((id, attr), value)) in SLOTS.iter().zip(&now).enumerate() {
            if prev.as_ref().is_some_and(|p| p[i] == *value) {
                continue;
            }
            let Some(el) = doc.get_element_by_id(id) else { continue };
            match (*attr, value.is_empty()) {
                ("", _) => el.set_inner_html(value),
                (_, true) => {
                    let _ = el.remove_attribute(attr);
                }
                (_, false) => {
                    let _ = el.set_attribute(attr, value);
                }
            }
        }
        now
    });

    view! {
        <main class="layout remote-layout" hidden=move || state.with(|s| !s.remote.shown) on:click=on_click on:keydown=on_key
            inner_html=PANEL></main>
    }
}
