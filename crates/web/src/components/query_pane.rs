//! The query editor: a textarea over a highlighted copy of its text (classes from the worker's
//! analysis, the parse error underlined), a completion list, Run and Format, recent queries.
//! The textarea stays the real input, so typing, selection and undo are the browser's own.

use leptos::prelude::*;
use wasm_bindgen::JsCast;

use super::is_run_shortcut;
use crate::app::AppCtx;
use crate::editor::highlight_html;

#[component]
pub fn QueryPane() -> impl IntoView {
    let ctx = expect_context::<AppCtx>();
    let state = ctx.state;
    let error = move || state.with(|s| s.output.query_error.clone());
    let highlight = move || state.with(|s| highlight_html(&s.query_text, s.analysis.as_ref()));
    let parse_error = move || state.with(|s| s.analysis.as_ref().and_then(|a| a.error.as_ref().map(|e| e.2.clone())));
    let on_keydown = move |ev: leptos::ev::KeyboardEvent| {
        if state.with_untracked(|s| s.completions_open()) && !ev.ctrl_key() && !ev.meta_key() {
            match ev.key().as_str() {
                "ArrowDown" | "ArrowUp" => {
                    ev.prevent_default();
                    let down = ev.key() == "ArrowDown";
                    state.update(|s| {
                        let n = s.analysis.as_ref().map_or(0, |a| a.completions.len()).max(1);
                        s.completion_index = if down { (s.completion_index + 1) % n } else { (s.completion_index + n - 1) % n };
                    });
                    return;
                }
                "Tab" | "Enter" => {
                    ev.prevent_default();
                    ctx.accept_completion(state.with_untracked(|s| s.completion_index));
                    return;
                }
                "Escape" => {
                    ev.prevent_default();
                    state.update(|s| s.close_completions());
                    return;
                }
                _ => {}
            }
        }
        if is_run_shortcut(&ev) {
            ev.prevent_default();
            ctx.run();
        }
    };
    // The overlay scrolls with the textarea, so the colours stay under their letters.
    let on_scroll = move |ev: leptos::ev::Event| {
        let ta = event_target::<web_sys::HtmlTextAreaElement>(&ev);
        if let Some(pre) = ta.previous_element_sibling() {
            pre.set_scroll_top(ta.scroll_top());
            pre.set_scroll_left(ta.scroll_left());
        }
    };
    let history_options = move || {
        let mut out = String::from(r#"<option value="" selected disabled>Recent queries…</option>"#);
        state.with(|s| {
            for q in &s.history {
                out.push_str("<option>");
                super::escape(&mut out, q);
                out.push_str("</option>");
            }
        });
        out
    };

    view! {
        <section class="pane query-pane" aria-labelledby="query-title">
            <div class="pane-head">
                <h2 id="query-title">"Query"</h2>
                <span class="muted"><kbd>"Ctrl"</kbd>"+"<kbd>"Enter"</kbd>" to run · "<kbd>"Tab"</kbd>" completes"</span>
                <select
                    id="query-history"
                    class="dataset-menu"
                    aria-label="Recent queries"
                    on:change=move |ev| {
                        let q = event_target_value(&ev);
                        ctx.use_query(&q);
                        if let Some(sel) = ev.target().and_then(|t| t.dyn_into::<web_sys::HtmlSelectElement>().ok()) {
                            sel.set_selected_index(0);
                        }
                    }
                    inner_html=history_options
                ></select>
            </div>
            <div class="query-row">
                <div class="editor-wrap">
                    <pre id="query-highlight" class="editor query-editor highlight" aria-hidden="true" inner_html=highlight></pre>
                    // Initial text as content, not `prop:value`: see DataPane.
                    <textarea
                        id="query-input"
                        node_ref=ctx.query_input
                        class="editor query-editor overlay"
                        class:invalid=move || error().is_some()
                        aria-invalid=move || if error().is_some() { "true" } else { "false" }
                        aria-labelledby="query-title"
                        aria-autocomplete="list"
                        aria-controls="completions"
                        placeholder="PromQL expression, e.g. probe_success"
                        rows="2"
                        spellcheck="false"
                        autocomplete="off"
                        autocapitalize="off"
                        on:input=move |_| ctx.query_edited()
                        on:click=move |_| ctx.query_edited()
                        on:blur=move |_| state.update(|s| s.close_completions())
                        on:keydown=on_keydown
                        on:scroll=on_scroll
                    >
                        {state.with_untracked(|s| s.query_text.clone())}
                    </textarea>
                    <Completions/>
                </div>
                <div class="query-buttons">
                    <button id="run-button" type="button" class="run" on:click=move |_| ctx.run()>
                        "Run"
                    </button>
                    <button id="format-button" type="button" class="export" title="Format as promtool promql format does" on:click=move |_| ctx.format_query()>
                        "Format"
                    </button>
                </div>
            </div>
            {move || {
                // The run's error wins; while typing, the parser's error is shown as a hint.
                match error() {
                    Some(e) => Some(view! { <p id="query-error" class="error" role="alert">{e}</p> }.into_any()),
                    None => parse_error().map(|e| view! { <p id="query-hint" class="muted hint">{e}</p> }.into_any()),
                }
            }}
        </section>
    }
}

/// The completion list under the editor. One HTML string with one delegated handler, for size.
#[component]
fn Completions() -> impl IntoView {
    let ctx = expect_context::<AppCtx>();
    let state = ctx.state;
    let html = move || state.with(|s| s.analysis.as_ref().map(|a| super::completion_items(a, s.completion_index)).unwrap_or_default());
    // mousedown, not click: a click would first blur the editor, which closes the list.
    let on_mousedown = move |ev: leptos::ev::MouseEvent| {
        ev.prevent_default();
        let item = event_target::<web_sys::Element>(&ev).closest(".completion").ok().flatten();
        if let Some(i) = item.and_then(|el| el.get_attribute("data-i")).and_then(|i| i.parse().ok()) {
            ctx.accept_completion(i);
        }
    };
    view! {
        <ul
            id="completions"
            class="completions"
            role="listbox"
            class:hidden=move || !state.with(|s| s.completions_open())
            on:mousedown=on_mousedown
            inner_html=html
        ></ul>
    }
}
