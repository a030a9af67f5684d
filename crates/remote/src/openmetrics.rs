//! Writes imported series as OpenMetrics 1.0 text with timestamps: what `promplay import`
//! prints, what the browser's data pane shows after an import, and what `promplay eval --data`
//! and `promtool tsdb create-blocks-from openmetrics` read back to the same samples.
//!
//! Families come from `/api/v1/metadata`: a metric name listed there is its own family; a name
//! that is a listed family plus a suffix its type allows (`_total` of a counter, `_bucket` of a
//! histogram, ...) joins that family; any other name is a family of its own without metadata.
//! Lines of one family are contiguous, as OpenMetrics requires.

use std::collections::BTreeMap;

use model::{is_legacy_label_name, is_legacy_metric_name, Labels, Sample, Timestamp};

use crate::response::Metadata;
use crate::stage::StagedSeries;

/// The suffixes each type's family may add to its name (OpenMetrics 1.0).
fn suffixes(kind: &str) -> &'static [&'static str] {
    match kind {
        "counter" => &["_total", "_created"],
        "histogram" => &["_bucket", "_count", "_sum", "_created"],
        "gaugehistogram" => &["_bucket", "_gcount", "_gsum"],
        "summary" => &["_count", "_sum", "_created"],
        "info" => &["_info"],
        _ => &[],
    }
}

/// The OpenMetrics TYPE word of an API metadata type (text 0.0.4's `untyped` is `unknown`).
fn om_type(kind: &str) -> Option<&'static str> {
    Some(match kind {
        "counter" => "counter",
        "gauge" => "gauge",
        "histogram" => "histogram",
        "gaugehistogram" => "gaugehistogram",
        "summary" => "summary",
        "info" => "info",
        "stateset" => "stateset",
        "unknown" | "untyped" => "unknown",
        _ => return None,
    })
}

fn family_of<'m>(name: &str, metadata: &'m BTreeMap<String, Metadata>) -> (String, Option<&'m Metadata>) {
    if let Some(m) = metadata.get(name) {
        return (name.to_string(), Some(m));
    }
    for suffix in ["_total", "_created", "_bucket", "_count", "_sum", "_gcount", "_gsum", "_info"] {
        if let Some(base) = name.strip_suffix(suffix) {
            if let Some(m) = metadata.get(base) {
                if suffixes(&m.kind).contains(&suffix) {
                    return (base.to_string(), Some(m));
                }
            }
        }
    }
    (name.to_string(), None)
}

/// The whole text, ending with `# EOF`.
pub fn write_openmetrics(series: &[StagedSeries], metadata: &BTreeMap<String, Metadata>) -> String {
    // family -> metric name -> series (in the order given: sorted by label set).
    type Members<'a> = BTreeMap<&'a str, Vec<&'a StagedSeries>>;
    let mut families: BTreeMap<String, (Option<&Metadata>, Members<'_>)> = BTreeMap::new();
    for s in series {
        let name = s.labels.metric_name().unwrap_or("");
        let (family, meta) = family_of(name, metadata);
        families.entry(family).or_insert_with(|| (meta, BTreeMap::new())).1.entry(name).or_default().push(s);
    }
    let mut out = String::new();
    for (family, (meta, members)) in families {
        if let Some(m) = meta {
            let name = metric_name_token(&family);
            if !m.help.is_empty() {
                out.push_str(&format!("# HELP {name} {}\n", escape(&m.help)));
            }
            if let Some(t) = om_type(&m.kind) {
                out.push_str(&format!("# TYPE {name} {t}\n"));
            }
        }
        for s in members.into_values().flatten() {
            let series_text = series_text(&s.labels);
            for Sample { t, v } in &s.samples {
                out.push_str(&series_text);
                out.push(' ');
                out.push_str(&formats::format_openmetrics_float(*v));
                out.push(' ');
                out.push_str(&format_timestamp(*t));
                out.push('\n');
            }
        }
    }
    out.push_str("# EOF\n");
    out
}

fn metric_name_token(name: &str) -> String {
    if is_legacy_metric_name(name) {
        name.to_string()
    } else {
        format!("\"{}\"", escape(name))
    }
}

/// `name{a="1",b="2"}`; a name that is not a legacy identifier goes quoted inside the braces
/// (`{"my.metric",a="1"}`), as do such label names.
fn series_text(labels: &Labels) -> String {
    let name = labels.metric_name();
    let mut out = String::new();
    let mut parts: Vec<String> = Vec::new();
    match name {
        Some(n) if is_legacy_metric_name(n) => out.push_str(n),
        Some(n) => parts.push(format!("\"{}\"", escape(n))),
        None => {}
    }
    for l in labels.iter().filter(|l| l.name != "__name__") {
        let key = if is_legacy_label_name(&l.name) { l.name.to_string() } else { format!("\"{}\"", escape(&l.name)) };
        parts.push(format!("{key}=\"{}\"", escape(&l.value)));
    }
    if !parts.is_empty() || name.is_none() {
        out.push('{');
        out.push_str(&parts.join(","));
        out.push('}');
    }
    out
}

/// OpenMetrics escapes `\`, `"` and newlines in label values and HELP.
fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            '\n' => out.push_str("\\n"),
            c => out.push(c),
        }
    }
    out
}

/// Seconds with millisecond digits (`1795277418.827`). Prometheus reads OpenMetrics timestamps
/// as a float64 and truncates `int64(ts*1000)`, which turns some millisecond values into the
/// one before (1.001 * 1000 = 1000.9999...); for those a `5` is appended (half a millisecond
/// further from zero), which that truncation and this project's exact decimal reading both
/// take back to the same millisecond.
pub fn format_timestamp(ms: Timestamp) -> String {
    let exact = crate::api::format_time(ms);
    let through_float = exact.parse::<f64>().map(|f| (f * 1000.0) as i64);
    if through_float == Ok(ms) {
        return exact;
    }
    let sign = if ms < 0 { "-" } else { "" };
    let abs = ms.unsigned_abs();
    format!("{sign}{}.{:03}5", abs / 1000, abs % 1000)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn series(pairs: &[(&str, &str)], samples: &[(i64, f64)]) -> StagedSeries {
        StagedSeries { labels: Labels::from_pairs(pairs.iter().copied()), samples: samples.iter().map(|&(t, v)| Sample { t, v }).collect() }
    }

    fn meta(kind: &str, help: &str) -> Metadata {
        Metadata { kind: kind.into(), help: help.into(), unit: String::new() }
    }

    #[test]
    fn timestamps_survive_float_truncation() {
        for ms in [1_795_277_418_827_i64, 1001, 0, 1, 999, 1_000_000, -1001, -7, 1_795_278_875_579] {
            let s = format_timestamp(ms);
            let f: f64 = s.parse().unwrap_or(f64::NAN);
            assert_eq!((f * 1000.0) as i64, ms, "{s}");
        }
        assert_eq!(format_timestamp(1_795_277_418_827), "1795277418.827");
        assert_eq!(format_timestamp(1_000_000), "1000");
    }

    #[test]
    fn families_from_metadata_and_the_text_loads_back() {
        let mut md = BTreeMap::new();
        md.insert("http_requests".to_string(), meta("counter", "Requests \"served\".\nTwo lines \\ one."));
        md.insert("latency_seconds".to_string(), meta("histogram", "Latency."));
        md.insert("up".to_string(), meta("gauge", "Up."));
        let all = vec![
            series(&[("__name__", "up"), ("job", "a")], &[(1_000, 1.0), (16_001, 0.0)]),
            series(&[("__name__", "http_requests_total"), ("code", "200")], &[(1_000, 5.0), (2_000, f64::NAN)]),
            series(&[("__name__", "latency_seconds_bucket"), ("le", "+Inf")], &[(1_000, 3.0)]),
            series(&[("__name__", "latency_seconds_bucket"), ("le", "0.5")], &[(1_000, 2.0)]),
            series(&[("__name__", "latency_seconds_count")], &[(1_000, 3.0)]),
            series(&[("__name__", "other"), ("path", "a\"b\\c\nd")], &[(1_500, 1e300)]),
            series(&[("__name__", "my.metric"), ("weird-label", "x")], &[(1_500, -2.5)]),
        ];
        let text = write_openmetrics(&all, &md);
        assert!(text.contains("# HELP http_requests Requests \\\"served\\\".\\nTwo lines \\\\ one.\n# TYPE http_requests counter\nhttp_requests_total{code=\"200\"} 5.0 1\n"), "{text}");
        assert!(text.contains("# TYPE latency_seconds histogram\nlatency_seconds_bucket{le=\"+Inf\"} 3.0 1\nlatency_seconds_bucket{le=\"0.5\"} 2.0 1\nlatency_seconds_count 3.0 1\n"), "{text}");
        assert!(text.contains("{\"my.metric\",\"weird-label\"=\"x\"} -2.5 1.5\n"), "{text}");
        assert!(text.ends_with("# EOF\n"));

        let exp = formats::parse_openmetrics(&text).unwrap_or_else(|e| panic!("{e}\n{text}"));
        assert_eq!(exp.samples.len(), all.iter().map(|s| s.samples.len()).sum::<usize>());
        for s in &all {
            let back: Vec<(i64, u64)> = exp
                .samples
                .iter()
                .filter(|x| x.labels == s.labels)
                .map(|x| (x.timestamp_ms.unwrap_or(i64::MIN), x.value.to_bits()))
                .collect();
            let want: Vec<(i64, u64)> = s.samples.iter().map(|x| (x.t, x.v.to_bits())).collect();
            assert_eq!(back, want, "{}", s.labels);
        }
        let fam = exp.family("http_requests").map(|f| (f.kind, f.help.clone()));
        assert_eq!(fam, Some((formats::MetricType::Counter, Some("Requests \"served\".\nTwo lines \\ one.".to_string()))));
    }

    #[test]
    fn names_without_metadata_are_their_own_family() {
        let all = vec![
            series(&[("__name__", "foo")], &[(1, 1.0)]),
            series(&[("__name__", "foo_bucket"), ("le", "1")], &[(1, 1.0)]),
            series(&[("__name__", "foo_total")], &[(1, 1.0)]),
        ];
        let text = write_openmetrics(&all, &BTreeMap::new());
        assert_eq!(text, "foo 1.0 0.001\nfoo_bucket{le=\"1\"} 1.0 0.001\nfoo_total 1.0 0.001\n# EOF\n");
        let exp = formats::parse_openmetrics(&text).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(exp.samples.len(), 3);
        assert_eq!(exp.samples[1].labels.get("le"), Some("1"));
    }
}
