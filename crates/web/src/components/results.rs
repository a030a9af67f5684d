//! The results table: one row per series (label set, value), the series count, the evaluation
//! time and any warnings or infos the engine attached.

use leptos::prelude::*;

use crate::app::AppCtx;
use crate::state::Output;

#[component]
pub fn ResultsPane() -> impl IntoView {
    let state = expect_context::<AppCtx>().state;
    let output = move || state.with(|s| s.output.clone());

    view! {
        <section class="pane results-pane" aria-labelledby="results-title">
            <div class="pane-head">
                <h2 id="results-title">"Result"</h2>
                {move || output().result.map(|r| view! { <span id="result-count" class="count">{r.count_text}</span> })}
                {move || {
                    output().data_summary.map(|d| {
                        view! { <span class="muted eval-time">"evaluated at " <time>{d.eval_time_rfc3339()}</time></span> }
                    })
                }}
            </div>
            {move || notes(&output())}
            <div class="table-wrap">
                <table id="results" class="results">
                    <thead>
                        <tr>
                            <th scope="col">"Series"</th>
                            <th scope="col" class="num">"Value"</th>
                        </tr>
                    </thead>
                    <tbody>{move || rows(output())}</tbody>
                </table>
            </div>
        </section>
    }
}

fn rows(out: Output) -> AnyView {
    let placeholder = |text: &'static str| {
        view! {
            <tr class="placeholder">
                <td colspan="2">{text}</td>
            </tr>
        }
        .into_any()
    };
    match out.result {
        Some(r) if r.rows.is_empty() => placeholder("Empty query result"),
        Some(r) => r
            .rows
            .into_iter()
            .map(|row| {
                view! {
                    <tr class="result-row">
                        <td class="result-labels">{row.labels}</td>
                        <td class="result-value num">{row.value}</td>
                    </tr>
                }
            })
            .collect_view()
            .into_any(),
        None if out.data_error.is_some() => placeholder("Fix the data to run the query"),
        None if out.query_error.is_some() => placeholder("No result: the query failed"),
        None => placeholder("Press Run to evaluate the query"),
    }
}

fn notes(out: &Output) -> Option<impl IntoView> {
    let r = out.result.as_ref()?;
    if r.warnings.is_empty() && r.infos.is_empty() {
        return None;
    }
    let warnings = r.warnings.iter().map(|w| view! { <li class="warning">{w.clone()}</li> }).collect_view();
    let infos = r.infos.iter().map(|i| view! { <li class="info">{i.clone()}</li> }).collect_view();
    Some(view! { <ul class="notes">{warnings}{infos}</ul> })
}
