//! The Relabel view's read-only output as escaped HTML strings (one string per table, as the
//! cardinality panel does: each distinct `view!` shape costs wasm size): the target table and
//! a target's trace, or metric mode's summary, per-metric counts, series and collisions.

use std::fmt::Write as _;

use protocol::{MetricView, TargetRow, TargetsView};

use super::escape;
use crate::state::RelabelState;

/// Results of the last run, or a hint when there are none.
pub fn results(r: &RelabelState) -> String {
    let Some(reply) = &r.reply else {
        let hint = if r.running.is_some() { "Relabeling…" } else { "Run the rules to see what they do." };
        return format!(r#"<p class="muted">{hint}</p>"#);
    };
    let mut out = String::new();
    if !reply.rules.is_empty() {
        out.push_str(r#"<details class="relabel-rules"><summary>"#);
        let n = reply.rules.len();
        let _ = write!(out, "{n} {}", if n == 1 { "rule" } else { "rules" });
        if let Some(job) = &reply.job {
            out.push_str(" of job ");
            escape(&mut out, job);
        }
        out.push_str("</summary><ol>");
        for rule in &reply.rules {
            out.push_str("<li>");
            escape(&mut out, rule);
            out.push_str("</li>");
        }
        out.push_str("</ol></details>");
    }
    if let Some(t) = &reply.targets {
        targets(&mut out, t, r.selected);
    }
    if let Some(m) = &reply.metric {
        metric(&mut out, m);
    }
    out
}

fn list(out: &mut String, pairs: &[String]) {
    out.push_str(r#"<ul class="labels">"#);
    for p in pairs {
        out.push_str("<li>");
        escape(out, p);
        out.push_str("</li>");
    }
    out.push_str("</ul>");
}

fn targets(out: &mut String, v: &TargetsView, selected: Option<usize>) {
    let _ = write!(
        out,
        r#"<p id="relabel-counts" class="relabel-counts">{} targets: {} kept, {} dropped, {} refused · click a row for its trace</p>"#,
        v.rows.len(),
        v.kept,
        v.dropped,
        v.errors
    );
    out.push_str(r#"<table id="relabel-results" class="results relabel-table"><thead><tr><th scope="col" class="num">#</th><th scope="col">Discovered labels</th><th scope="col">Target labels after relabeling</th></tr></thead><tbody>"#);
    for (i, row) in v.rows.iter().enumerate() {
        let mut class = String::from("relabel-row");
        if row.status != "kept" {
            let _ = write!(class, " {}", if row.status == "dropped" { "dropped" } else { "refused" });
        }
        if selected == Some(i) {
            class.push_str(" selected");
        }
        let rule = row.dropped_by.map(|r| format!(r#" data-rule="{r}""#)).unwrap_or_default();
        let _ = write!(out, r#"<tr class="{class}" data-i="{i}" tabindex="0"{rule}><td class="num">{}</td><td class="relabel-before">"#, i + 1);
        // Discovery's `__meta_*` labels are most of a target: folded, so a row stays a few lines.
        let (meta, own): (Vec<String>, Vec<String>) = row.before.iter().cloned().partition(|p| p.starts_with("__meta_"));
        list(out, &own);
        if !meta.is_empty() {
            let _ = write!(out, "<details><summary>{} __meta_ labels</summary>", meta.len());
            list(out, &meta);
            out.push_str("</details>");
        }
        out.push_str(r#"</td><td class="relabel-after">"#);
        if row.status == "kept" {
            list(out, &row.target);
        } else {
            out.push_str(r#"<span class="relabel-note">"#);
            escape(out, &row.note);
            out.push_str("</span>");
        }
        out.push_str("</td></tr>");
    }
    out.push_str("</tbody></table>");
}

/// The chosen target's way through the rules, then what Prometheus does after relabeling.
pub fn trace(r: &RelabelState) -> String {
    let row: Option<&TargetRow> =
        r.reply.as_ref().and_then(|x| x.targets.as_ref()).and_then(|t| r.selected.and_then(|i| t.rows.get(i)));
    let Some(row) = row else { return String::new() };
    let rules = r.reply.as_ref().map(|x| x.rules.as_slice()).unwrap_or_default();
    let mut out = String::new();
    let _ = write!(out, r#"<h3>Trace of target {}</h3><ol class="trace-steps">"#, r.selected.map_or(0, |i| i + 1));
    for s in &row.steps {
        let dropped = s.labels.is_none();
        let _ = write!(out, r#"<li class="trace-step{}" value="{}"><div class="trace-rule">"#, if dropped { " dropped" } else { "" }, s.rule);
        escape(&mut out, rules.get(s.rule.wrapping_sub(1)).map_or(s.action.as_str(), String::as_str));
        out.push_str("</div>");
        if dropped {
            out.push_str(r#"<p class="trace-drop">Dropped here: no later rule runs.</p>"#);
        } else if s.changes.is_empty() {
            out.push_str(r#"<p class="muted">no change</p>"#);
        } else {
            list(&mut out, &s.changes);
        }
        if let Some(l) = &s.labels {
            out.push_str(r#"<details><summary>labels after this rule</summary>"#);
            list(&mut out, l);
            out.push_str("</details>");
        }
        out.push_str("</li>");
    }
    out.push_str("</ol>");
    match row.status.as_str() {
        "kept" => {
            out.push_str(r#"<h4>After relabeling</h4><p class="muted">Prometheus removes the labels starting with <code>__</code> and sets <code>instance</code> from <code>__address__</code> when no rule set it. Every series scraped from this target gets:</p><div id="relabel-final">"#);
            list(&mut out, &row.target);
            out.push_str("</div>");
        }
        _ => {
            out.push_str(r#"<p class="relabel-note">"#);
            escape(&mut out, &row.note);
            out.push_str("</p>");
        }
    }
    out
}

fn metric(out: &mut String, m: &MetricView) {
    let kept = m.total.saturating_sub(m.dropped + m.errors);
    let stored = kept.saturating_sub(m.collided);
    out.push_str(r#"<dl id="relabel-summary" class="card-totals relabel-summary">"#);
    let totals = [
        ("relabel-total", "Series", m.total),
        ("relabel-kept", "Kept", kept),
        ("relabel-dropped", "Dropped", m.dropped),
        ("relabel-changed", "Changed", m.changed),
        ("relabel-collided", "Collisions", m.collided),
        ("relabel-stored", "Stored", stored),
    ];
    for (id, name, n) in totals {
        let _ = write!(out, r#"<div><dt>{name}</dt><dd id="{id}">{n}</dd></div>"#);
    }
    out.push_str("</dl>");
    if m.errors > 0 {
        let _ = write!(out, r#"<p class="error">{} series would fail the scrape.</p>"#, m.errors);
    }
    out.push_str(r#"<p class="muted">Target labels attached first: <code>"#);
    escape(out, &m.target_labels);
    out.push_str("</code></p>");
    if !m.collisions.is_empty() {
        out.push_str(r#"<section id="relabel-collisions"><h3>Collisions</h3><p class="muted">These series became identical. A scrape appends samples in exposition order: the first series is stored, and the later ones' samples are rejected as duplicates for the same timestamp.</p><ol>"#);
        for c in &m.collisions {
            out.push_str(r#"<li class="collision"><code class="collision-labels">"#);
            escape(out, &c.labels);
            out.push_str(r#"</code><div class="collision-kept">stored: "#);
            escape(out, &c.kept);
            out.push_str("</div>");
            for l in &c.lost {
                out.push_str(r#"<div class="collision-lost">rejected: "#);
                escape(out, l);
                out.push_str("</div>");
            }
            out.push_str("</li>");
        }
        out.push_str("</ol></section>");
    }
    out.push_str(r#"<table id="relabel-per-metric" class="results card-table"><caption>Series per metric</caption><thead><tr><th scope="col">Metric</th><th scope="col" class="num">Before</th><th scope="col" class="num">After</th></tr></thead><tbody>"#);
    for (name, before, after) in &m.per_metric {
        let class = if before != after { r#" class="relabel-fewer""# } else { "" };
        out.push_str(&format!("<tr{class}><td>"));
        escape(out, name);
        let _ = write!(out, r#"</td><td class="num">{before}</td><td class="num">{after}</td></tr>"#);
    }
    out.push_str("</tbody></table>");
    let _ = write!(
        out,
        r#"<table id="relabel-results" class="results relabel-table"><caption>Dropped, changed and colliding series ({} unchanged not listed)</caption><thead><tr><th scope="col">Before</th><th scope="col">After</th></tr></thead><tbody>"#,
        m.unchanged
    );
    for row in &m.rows {
        let class = match row.status.as_str() {
            "dropped" => " dropped",
            "collision" => " collision",
            "error" => " refused",
            _ => "",
        };
        let rule = row.dropped_by.map(|r| format!(r#" data-rule="{r}""#)).unwrap_or_default();
        let _ = write!(out, r#"<tr class="relabel-row{class}"{rule}><td class="relabel-before">"#);
        escape(out, &row.before);
        out.push_str(r#"</td><td class="relabel-after">"#);
        escape(out, &row.after);
        if !row.note.is_empty() {
            out.push_str(r#" <span class="relabel-note">"#);
            escape(out, &row.note);
            out.push_str("</span>");
        }
        out.push_str("</td></tr>");
    }
    out.push_str("</tbody></table>");
    if m.rows_omitted > 0 {
        let _ = write!(out, r#"<p class="muted">{} more not listed.</p>"#, m.rows_omitted);
    }
}
