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
    // Memos, so the fields are built once per tab and a value or placeholder is set only when
    // it changes: setting an input's value while the user selects in it loses the selection.
    let tab = Memo::new(move |_| state.with(|s| s.tab));
    let placeholders = Memo::new(move |_| {
        state.with(|s| s.output.result.as_ref().map(effective_times)).unwrap_or_else(|| {
            ("data's evaluation time".to_string(), "data's span".to_string(), "about 250 points".to_string())
        })
    });
    let text = move |id: &'static str| {
        Memo::new(move |_| {
            state.with(|s| match id {
                "eval-time" => s.time_text.clone(),
                "range-end" => s.range.end.clone(),
                "range-span" => s.range.range.clone(),
                _ => s.range.step.clone(),
            })
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
    let field = move |id: &'static str, label: &'static str, placeholder: fn(&(String, String, String)) -> &String| {
        let value = text(id);
        view! {
            <label class="time-field">
                <span class="muted">{label}</span>
                <input id=id type="text" spellcheck="false" autocomplete="off"
                    prop:value=move || value.get()
                    placeholder=move || placeholders.with(|p| placeholder(p).clone())
                    on:input=on_input on:keydown=on_key/>
            </label>
        }
    };
    view! {
        <div class="time-controls">
            {move || match tab.get() {
                Tab::Table | Tab::Explain => field("eval-time", "Evaluation time", |p| &p.0).into_any(),
                Tab::Graph => view! {
                    {field("range-end", "End", |p| &p.0)}
                    {field("range-span", "Range", |p| &p.1)}
                    {field("range-step", "Step", |p| &p.2)}
                }
                .into_any(),
            }}
        </div>
    }
}
