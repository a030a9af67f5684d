//! The histogram_quantile explainer: one classic histogram's cumulative buckets as a step chart
//! (SVG), the rank φ·count, the bucket it falls in and the interpolation drawn, the edge case
//! that decided the answer, and a what-if panel comparing the estimate with the true quantile of
//! a known sample. Every number comes from the worker, which asks the engine.
//!
//! The chart is an SVG string: a few dozen shapes, and a string costs less wasm than a canvas
//! drawing or a view per shape.

use std::fmt::Write as _;

use leptos::prelude::*;

use model::format_prom_float;
use protocol::HistogramReply;

use super::escape;
use crate::app::AppCtx;
use crate::explain_state::{Hq, HqSource};
use crate::state::Tab;

/// Opens the explainer on the demo histogram, in the Explain tab.
#[component]
pub fn HqDemoButton() -> impl IntoView {
    let ctx = expect_context::<AppCtx>();
    let open = move |_| {
        let reqs = ctx.state.try_update(|s| s.explain.begin_demo()).unwrap_or_default();
        ctx.send_all(reqs);
        ctx.set_tab(Tab::Explain);
    };
    view! {
        <button id="hq-demo" type="button" class="export hq-demo" on:click=open>
            "histogram_quantile explained"
        </button>
    }
}

#[component]
pub fn HqExplainer() -> impl IntoView {
    let ctx = expect_context::<AppCtx>();
    let state = ctx.state;
    let body = move || state.with(|s| body_html(&s.explain.hq));
    let what_if = move || state.with(|s| what_if_html(&s.explain.hq));
    let from_query = move || state.with(|s| matches!(s.explain.hq.source, HqSource::Query { .. }));
    let options = move || state.with(|s| options_html(&s.explain.hq));
    let initial = move |f: fn(&Hq) -> String| state.with_untracked(|s| f(&s.explain.hq));
    // One delegated handler for every field: each edit re-asks the worker.
    let on_change = move |ev: leptos::ev::Event| {
        let id = event_target::<web_sys::Element>(&ev).id();
        let v = event_target_value(&ev);
        let reqs = state
            .try_update(|s| {
                let m = &mut s.explain;
                match id.as_str() {
                    "hq-phi" => {
                        m.hq.phi = v;
                        vec![m.begin_histogram()]
                    }
                    "hq-buckets" => {
                        m.hq.buckets = v;
                        vec![m.begin_histogram()]
                    }
                    "hq-series" => m.choose_series(v.parse().unwrap_or(0)).into_iter().collect(),
                    "hq-bounds" => {
                        m.hq.bounds = v;
                        vec![m.begin_what_if()]
                    }
                    "hq-whatif-phi" => {
                        m.hq.what_if_phi = v;
                        vec![m.begin_what_if()]
                    }
                    _ => Vec::new(),
                }
            })
            .unwrap_or_default();
        ctx.send_all(reqs);
    };
    view! {
        <section id="hq-explainer" class="hq" on:change=on_change aria-labelledby="hq-title">
            <div class="hq-head">
                <h3 id="hq-title">"histogram_quantile, step by step"</h3>
                <Show
                    when=from_query
                    fallback=move || {
                        view! {
                            <label>
                                "Buckets (le:count) "
                                <input id="hq-buckets" type="text" size="28" value=initial(|h| h.buckets.clone())/>
                            </label>
                            <label>
                                "φ " <input id="hq-phi" type="text" size="5" value=initial(|h| h.phi.clone())/>
                            </label>
                        }
                    }
                >
                    <label>"Output series " <select id="hq-series" inner_html=options></select></label>
                </Show>
                <button
                    id="hq-close"
                    type="button"
                    class="export"
                    aria-label="Close the explainer"
                    on:click=move |_| state.update(|s| s.explain.hq.open = false)
                >
                    "×"
                </button>
            </div>
            <div id="hq-body" inner_html=body></div>
            <div id="hq-whatif" class="hq-whatif">
                <h4>"What if the buckets were different?"</h4>
                <p class="muted">
                    "200 built-in request latencies (seconds) are counted into the buckets you choose; the estimate is compared with their true quantile."
                </p>
                <label>
                    "Bucket bounds " <input id="hq-bounds" type="text" size="32" value=initial(|h| h.bounds.clone())/>
                </label>
                <label>
                    " φ " <input id="hq-whatif-phi" type="text" size="5" value=initial(|h| h.what_if_phi.clone())/>
                </label>
                <div id="hq-whatif-body" inner_html=what_if></div>
            </div>
        </section>
    }
}

/// Rounded to 4 decimals for reading; the engine's full value is in the steps.
fn short(v: f64) -> String {
    if v.is_finite() {
        format_prom_float((v * 10_000.0).round() / 10_000.0)
    } else {
        format_prom_float(v)
    }
}

fn options_html(h: &Hq) -> String {
    let mut out = String::new();
    if let Some(Ok(r)) = &h.reply {
        for (i, s) in r.series.iter().enumerate() {
            let _ = write!(out, r#"<option value="{i}"{}>"#, if i == r.chosen { " selected" } else { "" });
            escape(&mut out, s);
            out.push_str("</option>");
        }
    }
    out
}

const RULES: &str = r#"<details class="hq-rules"><summary>Edge cases</summary><ul><li>The rank falls in the +Inf bucket: the result is the highest finite bound, since the +Inf bucket has no upper end.</li><li>Fewer than two buckets, or no +Inf bucket: NaN.</li><li>The +Inf bucket counts 0 or NaN: NaN.</li><li>φ &lt; 0 gives −Inf, φ &gt; 1 gives +Inf, φ NaN gives NaN, each with a warning.</li><li>Counts must not decrease as le grows; a smaller count is raised to the largest one before it (the monotonicity fix; Prometheus adds an info).</li><li>The first bucket interpolates from 0, unless its bound is 0 or less: then that bound is the result.</li></ul></details>"#;

fn error_html(e: &str) -> String {
    let mut out = String::from(r#"<p class="error">"#);
    escape(&mut out, e);
    out.push_str("</p>");
    out
}

fn body_html(h: &Hq) -> String {
    let r = match &h.reply {
        None => return r#"<p class="muted">Working…</p>"#.to_string(),
        Some(Err(e)) => return error_html(e),
        Some(Ok(r)) => r,
    };
    let mut out = String::from(r#"<p class="hq-answer">histogram_quantile("#);
    out.push_str(&format_prom_float(r.phi));
    out.push_str(", ");
    match r.series.get(r.chosen) {
        Some(s) => escape(&mut out, s),
        None => out.push_str("buckets"),
    }
    out.push_str(r#") = <output id="hq-value">"#);
    out.push_str(&r.value_text);
    out.push_str("</output></p>");
    chart_svg(&mut out, r);
    out.push_str(r#"<p class="hq-case">"#);
    escape(&mut out, &r.case);
    out.push_str(r#"</p><ol class="hq-steps">"#);
    for s in &r.steps {
        out.push_str("<li>");
        escape(&mut out, s);
        out.push_str("</li>");
    }
    out.push_str("</ol>");
    if !r.notes.is_empty() {
        out.push_str(r#"<ul class="notes">"#);
        for n in &r.notes {
            out.push_str(r#"<li class="info">"#);
            escape(&mut out, n);
            out.push_str("</li>");
        }
        out.push_str("</ul>");
    }
    out.push_str(RULES);
    out
}

fn what_if_html(h: &Hq) -> String {
    let r = match &h.what_if {
        None => return String::new(),
        Some(Err(e)) => return error_html(e),
        Some(Ok(r)) => r,
    };
    let Some(w) = &r.what_if else { return String::new() };
    let sign = if w.error > 0.0 { "+" } else { "" };
    let mut out = format!(
        r#"<p class="hq-verdict">true quantile <b id="hq-true">{}</b> · estimate <b id="hq-estimate">{}</b> · error <b id="hq-error">{sign}{} ({sign}{}%)</b></p><p class="muted">Observations from {} to {}; bucket counts: "#,
        short(w.true_value),
        short(w.estimate),
        short(w.error),
        format_prom_float((w.error_percent * 10.0).round() / 10.0),
        short(w.min),
        short(w.max),
    );
    for (i, b) in r.buckets.iter().enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        escape(&mut out, &b.le);
        let _ = write!(out, " → {}", format_prom_float(b.count));
    }
    out.push_str("</p>");
    chart_svg(&mut out, r);
    out
}

const W: f64 = 560.0;
const H: f64 = 220.0;
const LEFT: f64 = 64.0;
const RIGHT: f64 = 16.0;
const TOP: f64 = 14.0;
const BOTTOM: f64 = 34.0;

/// The cumulative counts as steps over equal-width bucket slots (bounds are often exponential,
/// and inside a bucket the engine interpolates linearly, so each slot is linear in its own
/// range), the rank as a horizontal line, the interpolation as the diagonal of the chosen bucket.
fn chart_svg(out: &mut String, r: &HistogramReply) {
    let n = r.buckets.len();
    if n == 0 {
        return;
    }
    let finite = |v: f64| if v.is_finite() { v } else { 0.0 };
    let ymax = r.buckets.iter().map(|b| finite(b.fixed).max(finite(b.count))).fold(0.0, f64::max);
    let ymax = if ymax > 0.0 { ymax } else { 1.0 };
    let slot = (W - LEFT - RIGHT) / n as f64;
    let x = |k: usize| (LEFT + k as f64 * slot).round() as i64;
    let plot_h = H - TOP - BOTTOM;
    let y = |c: f64| (TOP + plot_h - finite(c) / ymax * plot_h).round() as i64;
    let base = y(0.0);
    let _ = write!(
        out,
        r#"<svg id="hq-chart" class="hq-chart" viewBox="0 0 {W} {H}" role="img" aria-label="cumulative bucket counts"><line class="axis" x1="{}" y1="{base}" x2="{}" y2="{base}"/><line class="axis" x1="{}" y1="{}" x2="{}" y2="{base}"/><text class="tick" x="{}" y="{}" text-anchor="end">{}</text><text class="tick" x="{}" y="{}" text-anchor="end">0</text><text class="tick" x="{}" y="{}" text-anchor="middle">0</text>"#,
        x(0),
        x(n),
        x(0),
        TOP,
        x(0),
        x(0) - 4,
        y(ymax) + 4,
        format_prom_float(ymax),
        x(0) - 4,
        base,
        x(0),
        base + 14
    );
    let mut steps = format!("M{} {base}", x(0));
    for (i, b) in r.buckets.iter().enumerate() {
        let (x0, x1, yc) = (x(i), x(i + 1), y(b.fixed));
        let _ = write!(steps, " L{x0} {yc} L{x1} {yc}");
        let _ = write!(
            out,
            r#"<rect class="bar" x="{x0}" y="{yc}" width="{}" height="{}"/><text class="tick" x="{x1}" y="{}" text-anchor="middle">"#,
            x1 - x0,
            base - yc,
            base + 14
        );
        escape(out, &b.le);
        let _ = write!(out, r#"</text><text class="count" x="{}" y="{}" text-anchor="middle">{}</text>"#, (x0 + x1) / 2, yc - 3, format_prom_float(b.fixed));
        if b.count.to_bits() != b.fixed.to_bits() {
            let _ = write!(
                out,
                r#"<circle class="unfixed" cx="{}" cy="{}" r="4"><title>given {}, read as {}</title></circle>"#,
                (x0 + x1) / 2,
                y(b.count),
                format_prom_float(b.count),
                format_prom_float(b.fixed)
            );
        }
    }
    let _ = write!(out, r#"<path class="steps" d="{steps}"/>"#);
    if r.rank.is_finite() && r.total.is_finite() && r.total > 0.0 {
        let yr = y(r.rank);
        let xr = match r.bucket.and_then(|i| r.buckets.get(i).map(|b| (i, b))) {
            Some((i, b)) => {
                let below = if i > 0 { r.buckets[i - 1].fixed } else { 0.0 };
                let _ = write!(
                    out,
                    r#"<line class="interp" x1="{}" y1="{}" x2="{}" y2="{}"/>"#,
                    x(i),
                    y(below),
                    x(i + 1),
                    y(b.fixed)
                );
                let frac = if b.fixed > below { (r.rank - below) / (b.fixed - below) } else { 0.0 };
                let xr = (x(i) as f64 + frac * slot).round() as i64;
                let _ = write!(
                    out,
                    r#"<line class="guide" x1="{xr}" y1="{yr}" x2="{xr}" y2="{base}"/><circle class="hit" cx="{xr}" cy="{yr}" r="4"/><text class="hit-label" x="{}" y="{}">{}</text>"#,
                    xr + 6,
                    yr - 6,
                    escape_owned(&r.value_text)
                );
                xr
            }
            None => x(n),
        };
        let _ = write!(
            out,
            r#"<line class="guide rank" x1="{}" y1="{yr}" x2="{xr}" y2="{yr}"/><text class="tick rank" x="{}" y="{}" text-anchor="end">rank {}</text>"#,
            x(0),
            x(0) - 4,
            yr + 4,
            short(r.rank)
        );
    }
    out.push_str("</svg>");
}

fn escape_owned(s: &str) -> String {
    let mut out = String::new();
    escape(&mut out, s);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use protocol::HistogramBucket;

    #[test]
    fn the_chart_draws_steps_and_the_interpolation() {
        let b = |le: &str, upper, count| HistogramBucket { le: le.to_string(), upper, count, fixed: count };
        let r = HistogramReply {
            phi: 0.5,
            buckets: vec![b("1", 1.0, 20.0), b("2", 2.0, 100.0), b("+Inf", f64::INFINITY, 100.0)],
            total: 100.0,
            rank: 50.0,
            bucket: Some(1),
            value: 1.375,
            value_text: "1.375".to_string(),
            ..HistogramReply::default()
        };
        let mut svg = String::new();
        chart_svg(&mut svg, &r);
        assert_eq!(svg.matches("<rect").count(), 3);
        assert!(svg.contains(r#"class="interp""#) && svg.contains(">1.375<") && svg.contains(">rank 50<"), "{svg}");
        assert!(svg.contains(">+Inf<"));
    }
}
