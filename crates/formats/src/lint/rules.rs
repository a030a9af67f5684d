//! The checks of client_golang's promlint, one function each, with its exact wording. Each
//! looks at one metric family as the Go text parser builds it (see `mod.rs`).

use super::units::{metric_unit, ABBREVIATIONS};
use super::LintFamily;
use crate::MetricType;

/// The `dto.MetricType` names promlint looks for inside metric names (`UNTYPED` is skipped).
const TYPE_NAMES: &[&str] = &["counter", "gauge", "summary", "histogram", "gauge_histogram"];

pub(super) fn check(f: &LintFamily<'_>, out: &mut Vec<String>) {
    help(f, out);
    units(f, out);
    counter(f, out);
    reserved(f, out);
    type_in_name(f, out);
    colons(f, out);
    camel_case(f, out);
    abbreviations(f, out);
}

fn help(f: &LintFamily<'_>, out: &mut Vec<String>) {
    if f.help.is_none() {
        out.push("no help text".into());
    }
}

fn units(f: &LintFamily<'_>, out: &mut Vec<String>) {
    if let Some((unit, base)) = metric_unit(f.name) {
        if unit != base {
            out.push(format!("use base unit {base:?} instead of {unit:?}"));
        }
    }
}

fn counter(f: &LintFamily<'_>, out: &mut Vec<String>) {
    let total = f.name.ends_with("_total");
    match f.kind {
        MetricType::Counter if !total => out.push(r#"counter metrics should have "_total" suffix"#.into()),
        MetricType::Counter | MetricType::Unknown => {}
        _ if total => out.push(r#"non-counter metrics should not have "_total" suffix"#.into()),
        _ => {}
    }
}

/// Names and labels reserved for histograms and summaries; untyped families are exempt.
fn reserved(f: &LintFamily<'_>, out: &mut Vec<String>) {
    if f.kind == MetricType::Unknown {
        return;
    }
    let histogram = f.kind == MetricType::Histogram;
    let summary = f.kind == MetricType::Summary;
    if !histogram && f.name.ends_with("_bucket") {
        out.push(r#"non-histogram metrics should not have "_bucket" suffix"#.into());
    }
    if !histogram && !summary && f.name.ends_with("_count") {
        out.push(r#"non-histogram and non-summary metrics should not have "_count" suffix"#.into());
    }
    if !histogram && !summary && f.name.ends_with("_sum") {
        out.push(r#"non-histogram and non-summary metrics should not have "_sum" suffix"#.into());
    }
    for m in &f.metrics {
        for name in m {
            if !histogram && *name == "le" {
                out.push(r#"non-histogram metrics should not have "le" label"#.into());
            }
            if !summary && *name == "quantile" {
                out.push(r#"non-summary metrics should not have "quantile" label"#.into());
            }
        }
    }
}

fn type_in_name(f: &LintFamily<'_>, out: &mut Vec<String>) {
    let n = f.name.to_lowercase();
    for t in TYPE_NAMES {
        if n.contains(&format!("_{t}_")) || n.ends_with(&format!("_{t}")) {
            out.push(format!("metric name should not include type '{t}'"));
        }
    }
}

fn colons(f: &LintFamily<'_>, out: &mut Vec<String>) {
    if f.name.contains(':') {
        out.push("metric names should not contain ':'".into());
    }
}

/// promlint's `[a-z][A-Z]`.
fn is_camel(s: &str) -> bool {
    s.as_bytes().windows(2).any(|w| w[0].is_ascii_lowercase() && w[1].is_ascii_uppercase())
}

fn camel_case(f: &LintFamily<'_>, out: &mut Vec<String>) {
    if is_camel(f.name) {
        out.push("metric names should be written in 'snake_case' not 'camelCase'".into());
    }
    for m in &f.metrics {
        for name in m {
            if is_camel(name) {
                out.push("label names should be written in 'snake_case' not 'camelCase'".into());
            }
        }
    }
}

fn abbreviations(f: &LintFamily<'_>, out: &mut Vec<String>) {
    let n = f.name.to_lowercase();
    for a in ABBREVIATIONS {
        if n.contains(&format!("_{a}_")) || n.ends_with(&format!("_{a}")) {
            out.push("metric names should not contain abbreviated units".into());
        }
    }
}
