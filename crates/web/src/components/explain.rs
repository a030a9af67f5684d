//! The Explain tab: the query as a tree of nodes, each with its own result, timing and a
//! sentence on what it does; a click on a node shows its full result below (and, on request, its
//! expression graphed over the Graph tab's range), and for aggregations and range-vector
//! functions which inputs went into each output value.
//!
//! Read-only, so the tree and the tables are escaped HTML strings (as in cardinality.rs): one
//! delegated click handler instead of a view per node keeps the wasm small.

use std::fmt::Write as _;

use leptos::prelude::*;
use wasm_bindgen::JsCast;

use protocol::{ExplainNode, Provenance};

use super::escape;
use super::HqExplainer;
use crate::app::AppCtx;
use crate::chart::Graph;
use crate::explain_state::ExplainModel;
use crate::timefmt::format_rfc3339_ms;

#[component]
pub fn ExplainPane() -> impl IntoView {
    let ctx = expect_context::<AppCtx>();
    let state = ctx.state;
    let tree = move || state.with(|s| tree_html(&s.explain));
    let result = move || state.with(|s| result_html(&s.explain));
    let on_click = move |ev: leptos::ev::MouseEvent| {
        let Some(el) = ev.target().and_then(|t| t.dyn_into::<web_sys::Element>().ok()) else { return };
        let index = |e: web_sys::Element| e.get_attribute("data-i").and_then(|i| i.parse::<usize>().ok());
        if let Some(i) = el.closest(".hq-open").ok().flatten().and_then(index) {
            let reqs = state
                .try_update(|s| {
                    let q = s.explain.tree_query.clone()?;
                    Some(s.explain.begin_query(q, i, 0))
                })
                .flatten()
                .unwrap_or_default();
            ctx.send_all(reqs);
        } else if let Some(i) = el.closest(".explain-node").ok().flatten().and_then(index) {
            state.update(|s| s.explain.select(i));
        }
    };
    let graph_node = move |_| {
        let req = state.try_update(|s| {
            let range = s.range.clone();
            s.explain.begin_node_graph(range)
        });
        if let Some(Some(req)) = req {
            ctx.send_all(vec![req]);
        }
    };
    let node_chart = Signal::derive(move || {
        state.with(|s| s.explain.node_graph.as_ref().and_then(|r| r.as_ref().ok()).and_then(super::results::chart_data))
    });
    view! {
        <div id="explain" class="explain">
            <Show when=move || state.with(|s| s.explain.hq.open)>
                <HqExplainer/>
            </Show>
            <div id="explain-tree" class="explain-tree" on:click=on_click on:keydown=super::click_on_enter inner_html=tree></div>
            <div id="explain-result" class="explain-result" inner_html=result></div>
            <Show when=move || state.with(|s| matches!(s.explain.tree, Some(Ok(_))))>
                <button id="explain-node-graph" type="button" class="export" on:click=graph_node>
                    "Graph this node over the Graph tab's range"
                </button>
            </Show>
            {move || {
                state.with(|s| match &s.explain.node_graph {
                    Some(Err(e)) => Some(view! { <p id="explain-graph-error" class="error">{e.clone()}</p> }.into_any()),
                    Some(Ok(_)) => Some(view! { <Graph data=node_chart/> }.into_any()),
                    None => None,
                })
            }}
        </div>
    }
}

/// Milliseconds as `850 µs` or `12.3 ms`, in integer arithmetic (see cardinality.rs's bytes).
fn duration_text(ms: f64) -> String {
    let us = (ms * 1000.0).round().max(0.0) as u64;
    if us < 1000 {
        format!("{us} µs")
    } else {
        let tenths = (us + 50) / 100;
        format!("{}.{} ms", tenths / 10, tenths % 10)
    }
}

fn tree_html(m: &ExplainModel) -> String {
    let r = match &m.tree {
        None => return r#"<p class="muted">Press Run to explain the query.</p>"#.to_string(),
        Some(Err(e)) => {
            let mut out = String::from(r#"<p class="error">"#);
            escape(&mut out, e);
            out.push_str("</p>");
            return out;
        }
        Some(Ok(r)) => r,
    };
    let mut out = String::new();
    // Pre-order with depths: a node's element stays open until a node at its depth or above.
    let mut open = 0;
    for (i, n) in r.nodes.iter().enumerate() {
        while open > n.depth {
            out.push_str("</div>");
            open -= 1;
        }
        node_html(&mut out, i, n, i == m.selected);
        open += 1;
    }
    for _ in 0..open {
        out.push_str("</div>");
    }
    out
}

fn node_html(out: &mut String, i: usize, n: &ExplainNode, selected: bool) {
    let _ = write!(
        out,
        r#"<div class="explain-node{}" data-i="{i}"><div class="en-self" tabindex="0" role="button"><div class="en-head"><code class="en-text">"#,
        if selected { " selected" } else { "" }
    );
    escape(out, &n.text);
    let _ = write!(
        out,
        r#"</code><span class="en-kind">{}</span><span class="en-count">{}</span><span class="en-time" title="evaluation time, children included">{}</span></div><div class="en-why">"#,
        n.kind,
        n.count_text,
        duration_text(n.elapsed_ms)
    );
    escape(out, &n.explanation);
    out.push_str("</div>");
    if let Some(e) = &n.error {
        out.push_str(r#"<div class="error">"#);
        escape(out, e);
        out.push_str("</div>");
    } else if !n.preview.is_empty() {
        out.push_str(r#"<div class="en-preview">"#);
        for line in &n.preview {
            escape(out, line);
            out.push_str("<br>");
        }
        out.push_str("</div>");
    }
    if n.histogram_quantile {
        let _ = write!(out, r#"<button type="button" class="export hq-open" data-i="{i}">Explain this histogram_quantile</button>"#);
    }
    out.push_str("</div>");
}

fn result_html(m: &ExplainModel) -> String {
    let Some(Ok(r)) = &m.tree else { return String::new() };
    let Some(n) = r.nodes.get(m.selected) else { return String::new() };
    let mut out = String::from("<h3>Result of <code>");
    escape(&mut out, &n.text);
    let _ = write!(out, r#"</code> <span class="muted">at {}</span></h3>"#, format_rfc3339_ms(r.time_ms));
    if let Some(v) = &n.result {
        out.push_str(
            r#"<table class="results"><thead><tr><th scope="col">Series</th><th scope="col" class="num">Value</th></tr></thead><tbody>"#,
        );
        if v.rows.is_empty() {
            out.push_str(r#"<tr class="placeholder"><td colspan="2">Empty result</td></tr>"#);
        }
        for row in &v.rows {
            out.push_str(r#"<tr class="result-row"><td class="result-labels">"#);
            escape(&mut out, &row.labels);
            out.push_str(r#"</td><td class="result-value num">"#);
            escape(&mut out, &row.value);
            out.push_str("</td></tr>");
        }
        out.push_str("</tbody></table>");
    }
    match &n.provenance {
        Some(Provenance::Groups(gs)) => groups_html(&mut out, gs),
        Some(Provenance::Windows { from_ms, to_ms, rows }) => windows_html(&mut out, *from_ms, *to_ms, rows),
        None => {}
    }
    out
}

fn groups_html(out: &mut String, gs: &[protocol::ProvenanceGroup]) {
    out.push_str(
        r#"<h4 class="prov-title">Cross-section: which series (rows) went into each output, at one instant</h4><table id="provenance" class="results prov"><thead><tr><th scope="col">Input series</th><th scope="col" class="num">Value</th></tr></thead><tbody>"#,
    );
    for g in gs {
        out.push_str(r#"<tr class="prov-group"><td colspan="2">group <code>"#);
        escape(out, &g.group);
        out.push_str("</code> → ");
        if g.outputs.is_empty() {
            out.push_str("no output");
        }
        for (i, o) in g.outputs.iter().enumerate() {
            if i > 0 {
                out.push_str(", ");
            }
            out.push_str("<code>");
            escape(out, o);
            out.push_str("</code>");
        }
        out.push_str("</td></tr>");
        for (labels, value, kept) in &g.inputs {
            let _ = write!(out, r#"<tr class="prov-input{}"><td class="result-labels">"#, if *kept { "" } else { " dropped" });
            escape(out, labels);
            out.push_str(r#"</td><td class="num">"#);
            escape(out, value);
            out.push_str("</td></tr>");
        }
        if g.more_inputs > 0 {
            let _ = write!(out, r#"<tr class="muted"><td colspan="2">… and {} more</td></tr>"#, g.more_inputs);
        }
    }
    out.push_str("</tbody></table>");
}

fn windows_html(out: &mut String, from_ms: i64, to_ms: i64, rows: &[protocol::ProvenanceWindow]) {
    let _ = write!(
        out,
        r#"<h4 class="prov-title">Longitudinal: which samples (columns of the window ({}, {}]) went into each value</h4><table id="provenance" class="results prov"><thead><tr><th scope="col">Series</th><th scope="col">Samples: value, time before the window's end</th><th scope="col" class="num">Result</th></tr></thead><tbody>"#,
        format_rfc3339_ms(from_ms),
        format_rfc3339_ms(to_ms)
    );
    for w in rows {
        out.push_str(r#"<tr class="prov-input"><td class="result-labels">"#);
        escape(out, &w.series);
        out.push_str(r#"</td><td class="prov-samples">"#);
        for (t, v) in &w.samples {
            out.push_str(r#"<span class="sample">"#);
            escape(out, v);
            out.push_str("<small>");
            escape(out, t);
            out.push_str("</small></span>");
        }
        if w.more_samples > 0 {
            let _ = write!(out, "… {} more", w.more_samples);
        }
        out.push_str(r#"</td><td class="num">"#);
        if w.value.is_empty() {
            out.push_str(r#"<span class="muted">none</span>"#);
        }
        escape(out, &w.value);
        out.push_str("</td></tr>");
    }
    out.push_str("</tbody></table>");
}

#[cfg(test)]
mod tests {
    use super::*;
    use protocol::ExplainReply;

    #[test]
    fn the_tree_nests_by_depth() {
        let node = |depth, parent, text: &str| ExplainNode {
            depth,
            parent,
            text: text.to_string(),
            kind: "k".to_string(),
            ..ExplainNode::default()
        };
        let mut m = ExplainModel::default();
        m.tree = Some(Ok(ExplainReply {
            time_ms: 0,
            nodes: vec![node(0, None, "a + b"), node(1, Some(0), "a"), node(1, Some(0), "<b>")],
        }));
        let html = tree_html(&m);
        assert_eq!(html.matches(r#"<div class="explain-node"#).count(), 3);
        assert!(html.contains("&lt;b&gt;"));
        // Both children close before the root does.
        assert!(html.ends_with("</div></div></div>"), "{html}");
        assert_eq!(html.matches("<div").count(), html.matches("</div>").count());
    }

    #[test]
    fn durations() {
        assert_eq!(duration_text(0.0123), "12 µs");
        assert_eq!(duration_text(12.34), "12.3 ms");
    }
}
