//! The Remote view: connect to a Prometheus-compatible server, import a slice of its data into
//! the data pane, and compare the Query view's query here and there (see `remote_flow` for the
//! steps, `remote_view` for the comparison's HTML). Shown instead of the Query view by the
//! header's switch; the credentials typed here live only in the page's memory.

use leptos::prelude::*;

use super::remote_view;
use crate::app::AppCtx;
use crate::state::remote::{AuthKind, CompareStatus, Connection, ImportStatus, RemoteState};

#[component]
pub fn RemotePanel() -> impl IntoView {
    let ctx = expect_context::<AppCtx>();
    let state = ctx.state;
    let r = move |f: fn(&RemoteState) -> bool| move || state.with(|s| f(&s.remote));
    // One handler for every field: the element's id says which one it is (as the time controls).
    let on_input = move |ev: leptos::ev::Event| {
        let Some(el) = ev.target().and_then(|t| wasm_bindgen::JsCast::dyn_into::<web_sys::Element>(t).ok()) else { return };
        let value = event_target_value(&ev);
        let id = el.id();
        state.update(|s| {
            let r = &mut s.remote;
            match id.as_str() {
                "remote-url" => r.url = value,
                "remote-token" => r.token = value,
                "remote-user" => r.user = value,
                "remote-password" => r.password = value,
                "remote-auth" => {
                    r.auth = match value.as_str() {
                        "bearer" => AuthKind::Bearer,
                        "basic" => AuthKind::Basic,
                        _ => AuthKind::None,
                    }
                }
                "remote-selectors" => r.selectors = value,
                "remote-use-last" => r.use_range = false,
                "remote-use-range" => r.use_range = true,
                "remote-last" => r.last = value,
                "remote-start" => r.start = value,
                "remote-end" => r.end = value,
                "remote-max-series" => r.max_series = value,
                "remote-max-samples" => r.max_samples = value,
                "remote-chunk" => r.chunk = value,
                "remote-tolerance" => r.tolerance = value,
                _ => {}
            }
        });
    };
    let on_enter = move |ev: leptos::ev::KeyboardEvent| {
        if ev.key() == "Enter" {
            ev.prevent_default();
            ctx.remote_connect();
        }
    };
    let status = move || {
        state.with(|s| match &s.remote.conn {
            Connection::Idle => None,
            Connection::Connecting => Some(("muted", "Connecting…".to_string())),
            Connection::Connected { base, what, .. } => {
                let v = &s.remote.vocab;
                let names = if v.metrics.is_empty() {
                    String::new()
                } else {
                    format!(" Its {} metric names and {} label names complete in the query editor.", v.metrics.len(), v.labels.len())
                };
                Some(("remote-ok", format!("Connected to {base}: {what}.{names}")))
            }
            Connection::Failed(e) => Some(("error", e.clone())),
        })
    };
    let import_status = move || {
        state.with(|s| match &s.remote.import {
            ImportStatus::Idle | ImportStatus::Running { .. } => None,
            ImportStatus::Done(m) => Some(("remote-ok", m.clone())),
            ImportStatus::Failed(m) => Some(("error", m.clone())),
        })
    };
    let compare = move || {
        state.with(|s| match &s.remote.compare {
            CompareStatus::Idle => String::new(),
            CompareStatus::Running(m) => format!(r#"<p class="muted">{m}</p>"#),
            CompareStatus::Done(reply, what) => remote_view::compare_html(reply, what),
            CompareStatus::Failed(e) => {
                let mut out = String::from(r#"<p id="remote-compare-error" class="error" role="alert">"#);
                super::escape(&mut out, e);
                out.push_str("</p>");
                out
            }
        })
    };
    let compared_query = move || {
        state.with(|s| {
            let how = match s.tab {
                crate::state::Tab::Graph => "a range query with the Graph tab's end, range and step",
                _ => "an instant query at the table's evaluation time",
            };
            format!("{} — as {how}", s.query_text)
        })
    };
    let text = move |id: &'static str, label: &'static str, placeholder: &'static str, kind: &'static str, value: String| {
        view! {
            <label class="remote-field">
                <span class="muted">{label}</span>
                <input id=id type=kind spellcheck="false" autocomplete="off" placeholder=placeholder prop:value=value on:input=on_input/>
            </label>
        }
    };
    let init = move |f: fn(&RemoteState) -> String| state.with_untracked(|s| f(&s.remote));

    view! {
        <main class="layout remote-layout" hidden=move || state.with(|s| !s.remote.shown)>
            <div class="column">
                <section class="pane remote-pane" aria-labelledby="remote-title">
                    <div class="pane-head">
                        <h2 id="remote-title">"Server"</h2>
                        <span class="muted">"Prometheus, Thanos, Mimir or Cortex: the Prometheus HTTP API"</span>
                    </div>
                    <div class="remote-row">
                        <label class="remote-field remote-url">
                            <span class="muted">"URL"</span>
                            <input id="remote-url" type="url" spellcheck="false" autocomplete="off" placeholder="http://localhost:9090"
                                prop:value=init(|r| r.url.clone()) on:input=on_input on:keydown=on_enter/>
                        </label>
                        <label class="remote-field">
                            <span class="muted">"Auth"</span>
                            <select id="remote-auth" on:change=on_input>
                                <option value="none">"none"</option>
                                <option value="bearer">"bearer token"</option>
                                <option value="basic">"basic auth"</option>
                            </select>
                        </label>
                        <button id="remote-connect" type="button" class="run" on:click=move |_| ctx.remote_connect()>"Connect"</button>
                    </div>
                    <div class="remote-row" hidden=r(|r| r.auth != AuthKind::Bearer)>
                        {text("remote-token", "Token", "kept in this tab's memory only", "password", String::new())}
                    </div>
                    <div class="remote-row" hidden=r(|r| r.auth != AuthKind::Basic)>
                        {text("remote-user", "User", "", "text", String::new())}
                        {text("remote-password", "Password", "kept in this tab's memory only", "password", String::new())}
                    </div>
                    {move || status().map(|(class, m)| view! { <p id="remote-status" class=class role="status">{m}</p> })}
                </section>
                <section class="pane remote-pane" aria-labelledby="remote-import-title">
                    <div class="pane-head">
                        <h2 id="remote-import-title">"Import"</h2>
                        <span class="muted">"raw samples into the data pane, replacing its data"</span>
                    </div>
                    <textarea id="remote-selectors" class="editor remote-selectors" aria-label="Selectors, one per line" rows="3"
                        spellcheck="false" autocomplete="off" autocapitalize="off" wrap="off"
                        placeholder="one selector per line, e.g.\nup\nnode_cpu_seconds_total{mode=\"idle\"}" on:input=on_input></textarea>
                    <div class="remote-row">
                        <label><input id="remote-use-last" type="radio" name="remote-window" prop:checked=r(|r| !r.use_range) on:change=on_input/>" last "</label>
                        <input id="remote-last" class="remote-short" type="text" spellcheck="false" aria-label="Last" prop:value=init(|r| r.last.clone()) on:input=on_input/>
                        <label><input id="remote-use-range" type="radio" name="remote-window" prop:checked=r(|r| r.use_range) on:change=on_input/>" from "</label>
                        <input id="remote-start" type="text" spellcheck="false" aria-label="Start" placeholder="unix seconds or RFC 3339" on:input=on_input/>
                        <span class="muted">" to "</span>
                        <input id="remote-end" type="text" spellcheck="false" aria-label="End" placeholder="now" on:input=on_input/>
                    </div>
                    <div class="remote-row">
                        {text("remote-max-series", "Max series", "10,000", "text", String::new())}
                        {text("remote-max-samples", "Max samples", "2,000,000", "text", String::new())}
                        {text("remote-chunk", "Chunk", "1h", "text", String::new())}
                        <button id="remote-import" type="button" class="run" disabled=r(RemoteState::importing) on:click=move |_| ctx.remote_import()>"Import"</button>
                        <button id="remote-cancel" type="button" disabled=r(|r| !r.importing()) on:click=move |_| ctx.remote_cancel()>"Cancel"</button>
                    </div>
                    <p id="remote-progress" class="muted" role="status" aria-busy=move || if state.with(|s| s.remote.importing()) { "true" } else { "false" }>
                        {move || state.with(|s| s.remote.progress_text())}
                    </p>
                    {move || import_status().map(|(class, m)| view! { <p id="remote-import-status" class=class role="status">{m}</p> })}
                </section>
            </div>
            <div class="column">
                <section class="pane remote-pane" aria-labelledby="remote-compare-title">
                    <div class="pane-head">
                        <h2 id="remote-compare-title">"Compare"</h2>
                        {text("remote-tolerance", "Tolerance", "1e-9", "text", String::new())}
                        <button id="remote-compare" type="button" class="run" on:click=move |_| ctx.remote_compare()>"Compare"</button>
                    </div>
                    <p class="muted">"Runs the Query view's query here and on the server, at the same times:"</p>
                    <p><code id="remote-query">{compared_query}</code></p>
                    <div id="remote-compare-out" aria-busy=move || if state.with(|s| matches!(s.remote.compare, CompareStatus::Running(_))) { "true" } else { "false" }
                        inner_html=compare></div>
                </section>
            </div>
        </main>
    }
}
