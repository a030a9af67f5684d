//! The data editor: exposition text loaded as one scrape, with its parse error shown beside it.

use leptos::prelude::*;

use super::{is_run_shortcut, DatasetMenu};
use crate::app::AppCtx;
use crate::state::SAMPLE_NAME;

#[component]
pub fn DataPane() -> impl IntoView {
    let ctx = expect_context::<AppCtx>();
    let state = ctx.state;
    let error = move || state.with(|s| s.output.data_error.clone());
    let summary = move || state.with(|s| s.data_summary_text());

    view! {
        <section class="pane data-pane" aria-labelledby="data-title">
            <div class="pane-head">
                <h2 id="data-title">"Data"</h2>
                // Static: a chosen dataset names its file in the panel below, and CSS hides this.
                <span class="muted sample-name">"Prometheus text exposition · " {SAMPLE_NAME}</span>
                <DatasetMenu/>
            </div>
            // The initial text is the element's content, not `prop:value`: Leptos applies
            // properties a tick after mount, and typing in between would be overwritten.
            <textarea
                id="data-input"
                node_ref=ctx.data_input
                class="editor"
                class:invalid=move || error().is_some()
                aria-invalid=move || if error().is_some() { "true" } else { "false" }
                aria-describedby="data-status"
                aria-labelledby="data-title"
                spellcheck="false"
                autocomplete="off"
                autocapitalize="off"
                wrap="off"
                on:input=move |ev| ctx.set_data_text(event_target_value(&ev))
                on:keydown=move |ev| {
                    if is_run_shortcut(&ev) {
                        ev.prevent_default();
                        ctx.run();
                    }
                }
            >
                {state.with_untracked(|s| s.data_editor_text().to_string())}
            </textarea>
            {move || {
                state.with(|s| s.data_previewed()).then(|| {
                    let mb = state.with_untracked(|s| s.data_text.len()) / 100_000;
                    view! {
                        <p id="data-large" class="muted">
                            {format!("Showing the first {} lines of {}.{} MB; all of it is loaded. ", crate::state::PREVIEW_LINES, mb / 10, mb % 10)}
                            <button id="data-edit-all" type="button" class="export" on:click=move |_| {
                                state.update_untracked(|s| s.data_editing_all = true);
                                ctx.fill_data_editor();
                            }>"Edit all (slow)"</button>
                        </p>
                    }
                })
            }}
            <div id="data-status" class="pane-foot">
                // One line for both: "Loading <title>…" while a file is fetched, else a fetch failure.
                {move || {
                    let message = ctx.loading.get().map(|t| format!("Loading {t}…")).or_else(|| ctx.load_error.get());
                    message.map(|m| view! { <p id="dataset-status" class="muted" role="status">{m}</p> })
                }}
                {move || match error() {
                    Some(e) => view! { <p id="data-error" class="error" role="alert">{e}</p> }.into_any(),
                    None => view! { <p class="muted">{summary}</p> }.into_any(),
                }}
            </div>
        </section>
    }
}
