//! The time controls above the results: the evaluation time of a table query, or the end,
//! range and step of a graph query. Empty fields follow the data (their placeholders show the
//! values the last run used); Enter runs.

use leptos::prelude::*;

use crate::app::AppCtx;
use crate::state::{effective_times, AppState, Tab};

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
    let on_key = move |ev: leptos::ev::KeyboardEvent| {
        if ev.key() == "Enter" {
            ev.prevent_default();
            ctx.run();
        }
    };
    // A field over one text of the state: `get` reads it for the memo, `set` for typing.
    let field = move |id: &'static str,
                      label: &'static str,
                      get: fn(&AppState) -> &String,
                      set: fn(&mut AppState) -> &mut String,
                      placeholder: fn(&(String, String, String)) -> &String| {
        let value = Memo::new(move |_| state.with(|s| get(s).clone()));
        let on_input = move |ev: leptos::ev::Event| {
            let text = event_target_value(&ev);
            state.update_untracked(|s| *set(s) = text);
        };
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
    // One place per field names the state's text it edits.
    macro_rules! field {
        ($id:literal, $label:literal, $($text:ident).+, $placeholder:tt) => {
            field($id, $label, |s| &s.$($text).+, |s| &mut s.$($text).+, |p| &p.$placeholder)
        };
    }
    view! {
        <div class="time-controls">
            {move || match tab.get() {
                Tab::Table | Tab::Explain => field!("eval-time", "Evaluation time", time_text, 0).into_any(),
                Tab::Graph => view! {
                    {field!("range-end", "End", range.end, 0)}
                    {field!("range-span", "Range", range.range, 1)}
                    {field!("range-step", "Step", range.step, 2)}
                }
                .into_any(),
            }}
        </div>
    }
}
