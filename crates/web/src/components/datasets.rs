//! The dataset menu (in the data pane's header) and, under the data pane, the chosen dataset's
//! description with its suggested queries as chips that fill the query editor and run it.

use leptos::prelude::*;

use crate::app::AppCtx;
use super::escape;
use crate::datasets::Dataset;

/// The options are one escaped HTML string for the same size reason as the panels below.
#[component]
pub fn DatasetMenu() -> impl IntoView {
    let ctx = expect_context::<AppCtx>();
    let options = move || {
        // The first option is a label, not a dataset: the page opens on the embedded sample.
        let mut out = String::from(r#"<option value="" selected disabled>Sample datasets…</option>"#);
        ctx.catalog.with(|c| {
            for d in &c.datasets {
                out.push_str(r#"<option value=""#);
                escape(&mut out, &d.id);
                out.push_str(r#"">"#);
                escape(&mut out, &d.title);
                out.push_str("</option>");
            }
        });
        out
    };
    view! {
        <select
            id="dataset-menu"
            class="dataset-menu"
            aria-label="Load a sample dataset"
            on:change=move |ev| ctx.choose_dataset(&event_target_value(&ev))
            inner_html=options
        ></select>
    }
}

/// The description and the suggested queries. Written as one escaped HTML string with one
/// delegated click handler instead of a `view!` per chip: each view shape costs wasm size, and
/// the budget is tight. A chip's text is its query, so the handler reads it back from the DOM.
/// Empty (and hidden by CSS) until a dataset is chosen.
#[component]
pub fn DatasetInfo() -> impl IntoView {
    let ctx = expect_context::<AppCtx>();
    let html = move || ctx.catalog.with(|c| c.chosen.as_ref().map(render).unwrap_or_default());
    let on_click = move |ev: leptos::ev::MouseEvent| {
        let target = event_target::<web_sys::Element>(&ev);
        let chip = target.closest(".suggested-query").ok().flatten();
        if let Some(query) = chip.and_then(|c| c.text_content()) {
            ctx.use_query(&query);
        }
    };
    view! {
        <section
            id="dataset-info"
            class="pane dataset-info"
            on:click=on_click
            inner_html=html
        ></section>
    }
}

fn render(d: &Dataset) -> String {
    let mut out = String::from(r#"<div class="pane-head"><h2 id="dataset-title">"#);
    escape(&mut out, &d.title);
    out.push_str(r#"</h2><span class="muted">"#);
    escape(&mut out, &d.file);
    out.push_str(r#"</span></div><p class="dataset-description">"#);
    escape(&mut out, &d.description);
    out.push_str(r#"</p><ul class="suggested">"#);
    for q in &d.queries {
        out.push_str(r#"<li><button type="button" class="suggested-query">"#);
        escape(&mut out, &q.query);
        out.push_str(r#"</button><span class="muted">"#);
        escape(&mut out, &q.explains);
        out.push_str("</span></li>");
    }
    out.push_str("</ul>");
    out
}
