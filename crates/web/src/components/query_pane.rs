//! The query editor and Run button, with the query's parse or execution error beside it.

use leptos::prelude::*;

use super::is_run_shortcut;
use crate::app::AppCtx;

#[component]
pub fn QueryPane() -> impl IntoView {
    let ctx = expect_context::<AppCtx>();
    let state = ctx.state;
    let error = move || state.with(|s| s.output.query_error.clone());

    view! {
        <section class="pane query-pane" aria-labelledby="query-title">
            <div class="pane-head">
                <h2 id="query-title">"Query"</h2>
                <span class="muted"><kbd>"Ctrl"</kbd>"+"<kbd>"Enter"</kbd>" to run"</span>
            </div>
            <div class="query-row">
                // Initial text as content, not `prop:value`: see DataPane.
                <textarea
                    id="query-input"
                    node_ref=ctx.query_input
                    class="editor query-editor"
                    class:invalid=move || error().is_some()
                    aria-invalid=move || if error().is_some() { "true" } else { "false" }
                    aria-labelledby="query-title"
                    placeholder="PromQL expression, e.g. probe_success"
                    rows="2"
                    spellcheck="false"
                    autocomplete="off"
                    autocapitalize="off"
                    on:input=move |ev| ctx.set_query_text(event_target_value(&ev))
                    on:keydown=move |ev| {
                        if is_run_shortcut(&ev) {
                            ev.prevent_default();
                            ctx.run();
                        }
                    }
                >
                    {state.with_untracked(|s| s.query_text.clone())}
                </textarea>
                <button id="run-button" type="button" class="run" on:click=move |_| ctx.run()>
                    "Run"
                </button>
            </div>
            {move || error().map(|e| view! { <p id="query-error" class="error" role="alert">{e}</p> })}
        </section>
    }
}
