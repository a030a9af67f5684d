//! The time controls above the results: the evaluation time of a table query, or the end,
//! range and step of a graph query. Empty fields follow the data (their placeholders show the
//! values the last run used); Enter runs.

use leptos::prelude::*;

use crate::app::AppCtx;
use crate::state::{effective_times, Tab};

#[component]
pub fn TimeControls() -> impl IntoView {
    let ctx = expect_context::<AppCtx>();
    let state = ctx.state;
    let tab = move || state.with(|s| s.tab);
    let placeholders = move || {
        state.with(|s| s.output.result.as_ref().map(effective_times)).unwrap_or_else(|| {
            ("data's evaluation time".to_string(), "data's span".to_string(), "about 250 points".to_string())
        })
    };
    // One handler for every field: the input's id says which one it is.
    let on_input = move |ev: leptos::ev::Event| {
        let el = event_target::<web_sys::HtmlInputElement>(&ev);
        let value = el.value();
        state.update_untracked(|s| match el.id().as_str() {
            "eval-time" => s.time_text = value,
            "range-end" => s.range.end = value,
            "range-span" => s.range.range = value,
            "range-step" => s.range.step = value,
            _ => {}
        });
    };
    let on_key = move |ev: leptos::ev::KeyboardEvent| {
        if ev.key() == "Enter" {
            ev.prevent_default();
            ctx.run();
        }
    };
    let field = move |id: &'static str, label: &'static str, value: String, placeholder: String| {
        view! {
            <label class="time-field">
                <span class="muted">{label}</span>
                <input id=id type="text" spellcheck="false" autocomplete="off" prop:value=value placeholder=placeholder
                    on:input=on_input on:keydown=on_key/>
            </label>
        }
    };
    view! {
        <div class="time-controls">
            {move || {
                let (t, span, step) = placeholders();
                state.with_untracked(|s| match tab() {
                    Tab::Table | Tab::Explain => field("eval-time", "Evaluation time", s.time_text.clone(), t).into_any(),
                    Tab::Graph => view! {
                        {field("range-end", "End", s.range.end.clone(), t)}
                        {field("range-span", "Range", s.range.range.clone(), span)}
                        {field("range-step", "Step", s.range.step.clone(), step)}
                    }
                    .into_any(),
                })
            }}
        </div>
    }
}
