//! The cardinality view: what the store's own statistics (`tsdb::Storage::cardinality`) say
//! about the loaded data, as Prometheus's TSDB status page lists it. Collapsed by default so the
//! editors keep the room.
//!
//! The tables are written as one escaped HTML string rather than `view!` trees: they are
//! read-only, and each distinct view shape costs several KB of wasm against a tight size budget.

use std::fmt::Write as _;

use leptos::prelude::*;

use super::escape;
use crate::app::AppCtx;

#[component]
pub fn CardinalityPanel() -> impl IntoView {
    let state = expect_context::<AppCtx>().state;
    let html = move || {
        state.with(|s| match &s.output.data_summary {
            Some(d) => render(&d.cardinality),
            None => r#"<p class="muted">Fix the data to see its cardinality.</p>"#.to_string(),
        })
    };
    view! {
        <details id="cardinality" class="pane cardinality">
            <summary>"Cardinality"</summary>
            <div class="card-body" inner_html=html></div>
        </details>
    }
}

/// The panel's HTML. Names and label values come from the user's data, so every one is escaped.
fn render(c: &protocol::Cardinality) -> String {
    let mut out = String::new();
    let totals = [
        ("card-series", "Series", c.num_series.to_string()),
        ("card-samples", "Samples", c.num_samples.to_string()),
        ("card-pairs", "Label pairs", c.num_label_pairs.to_string()),
        ("card-memory", "Memory (estimated)", bytes(c.memory_total_bytes)),
    ];
    out.push_str(r#"<dl class="card-totals">"#);
    for (id, name, value) in totals {
        let _ = write!(out, r#"<div><dt>{name}</dt><dd id="{id}">{value}</dd></div>"#);
    }
    out.push_str("</dl>");
    table(&mut out, "Top metric names", "Series", &c.series_count_by_metric_name);
    table(&mut out, "Label names", "Distinct values", &c.label_value_count_by_label_name);
    table(&mut out, "Label pairs", "Series", &c.series_count_by_label_value_pair);
    out
}

fn table(out: &mut String, title: &str, what: &str, counts: &[(String, usize)]) {
    let _ = write!(
        out,
        r#"<table class="results card-table"><caption>{title}</caption><thead><tr><th scope="col">Name</th><th scope="col" class="num">{what}</th></tr></thead><tbody>"#
    );
    for (name, count) in counts {
        out.push_str(r#"<tr><td class="card-name">"#);
        escape(out, name);
        let _ = write!(out, r#"</td><td class="num">{count}</td></tr>"#);
    }
    out.push_str("</tbody></table>");
}

/// Binary units with one decimal (`1.5 MiB`), in integer arithmetic: float formatting with a
/// precision pulls a second float printer into the wasm.
fn bytes(n: usize) -> String {
    const UNITS: [&str; 4] = ["B", "KiB", "MiB", "GiB"];
    let mut unit = 0;
    let mut div: u64 = 1;
    while (n as u64) >= div * 1024 && unit + 1 < UNITS.len() {
        div *= 1024;
        unit += 1;
    }
    if unit == 0 {
        return format!("{n} B");
    }
    let tenths = ((n as u64) * 10 + div / 2) / div;
    format!("{}.{} {}", tenths / 10, tenths % 10, UNITS[unit])
}

#[cfg(test)]
mod tests {
    #[test]
    fn bytes() {
        assert_eq!(super::bytes(512), "512 B");
        assert_eq!(super::bytes(1536), "1.5 KiB");
        assert_eq!(super::bytes(3 * 1024 * 1024), "3.0 MiB");
        assert_eq!(super::bytes(1024 * 1024 - 1), "1024.0 KiB");
    }
}
