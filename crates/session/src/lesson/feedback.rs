//! A comparison put into words for the learner, most important difference first (the order
//! FORMAT.md promises): result type, series missing or extra, values, order.

use model::{format_prom_float, Labels};
use resultdiff::{Diff, ValueDiff};

/// Label sets listed in one sentence before "and N more".
const LIST_MAX: usize = 5;
/// Value differences spelled out before "and N more".
const VALUES_MAX: usize = 3;

/// `scalar`: the results are scalars, whose values have no label set to name.
pub fn sentences(d: &Diff, scalar: bool) -> Vec<String> {
    let mut out = Vec::new();
    if let Some(t) = d.type_mismatch {
        out.push(format!("you returned {}; the exercise wants {}", type_words(t.actual), type_words(t.expected)));
        return out;
    }
    if !d.missing.is_empty() {
        out.push(format!("{} series missing: {}", d.missing.len(), list(&d.missing)));
    }
    if !d.extra.is_empty() {
        out.push(format!("{} extra series: {}", d.extra.len(), list(&d.extra)));
    }
    if let Some(s) = &d.string {
        out.push(format!("got the string {:?}, expected {:?}", s.actual, s.expected));
    }
    out.extend(values(&d.values, d.more_values, scalar));
    if let Some(o) = &d.order {
        out.push(format!(
            "the order differs: series {} should be {}, yours is {}",
            o.position + 1,
            o.expected,
            o.actual
        ));
    }
    out
}

fn type_words(api_name: &str) -> &'static str {
    match api_name {
        "vector" => "an instant vector",
        "matrix" => "a range vector",
        "scalar" => "a scalar",
        "string" => "a string",
        _ => "something else",
    }
}

fn list(labels: &[Labels]) -> String {
    let shown: Vec<String> = labels.iter().take(LIST_MAX).map(Labels::to_string).collect();
    let mut s = shown.join(", ");
    if labels.len() > LIST_MAX {
        s.push_str(&format!(" and {} more", labels.len() - LIST_MAX));
    }
    s
}

/// `values differ at 2023-11-14 22:18:20: {job="a"}: got 3, expected 4; {job="b"}: …`, one
/// sentence per time among the first few differences.
fn values(diffs: &[ValueDiff], more: usize, scalar: bool) -> Vec<String> {
    let shown = diffs.get(..VALUES_MAX.min(diffs.len())).unwrap_or_default();
    let mut times: Vec<i64> = Vec::new();
    for d in shown {
        if !times.contains(&d.t) {
            times.push(d.t);
        }
    }
    let mut out: Vec<String> = times
        .iter()
        .map(|&t| {
            let parts: Vec<String> = shown.iter().filter(|d| d.t == t).map(|d| one_value(d, scalar)).collect();
            format!("values differ at {}: {}", utc(t), parts.join("; "))
        })
        .collect();
    let rest = diffs.len() - shown.len() + more;
    if rest > 0 {
        out.push(format!("and {rest} more differing value{}", if rest == 1 { "" } else { "s" }));
    }
    out
}

fn one_value(d: &ValueDiff, scalar: bool) -> String {
    let v = |x: Option<f64>| x.map_or_else(|| "no value".to_string(), format_prom_float);
    let what = format!("got {}, expected {}", v(d.actual), v(d.expected));
    if scalar {
        what
    } else {
        format!("{}: {what}", d.labels)
    }
}

/// `2023-11-14 22:18:20` (UTC), with milliseconds only when there are some.
pub fn utc(t_ms: i64) -> String {
    let t = model::timearg::format_rfc3339_ms(t_ms).trim_end_matches('Z').replacen('T', " ", 1);
    match t.strip_suffix(".000") {
        Some(whole) => whole.to_string(),
        None => t,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utc_times() {
        assert_eq!(utc(1_700_000_300_000), "2023-11-14 22:18:20");
        assert_eq!(utc(0), "1970-01-01 00:00:00");
        assert_eq!(utc(951_782_400_500), "2000-02-29 00:00:00.500");
        assert_eq!(utc(-1000), "1969-12-31 23:59:59");
    }

    #[test]
    fn capped_lists() {
        let ls: Vec<Labels> = (0..7).map(|i| Labels::from_pairs([("job", i.to_string().as_str())])).collect();
        assert_eq!(list(&ls), r#"{job="0"}, {job="1"}, {job="2"}, {job="3"}, {job="4"} and 2 more"#);
        let d = |t, e, a| ValueDiff { labels: Labels::empty(), t, expected: e, actual: a };
        let v = values(
            &[
                d(0, Some(1.0), Some(2.0)),
                d(0, Some(1.0), None),
                d(1000, None, Some(f64::NAN)),
                d(2000, Some(1.0), Some(2.0)),
            ],
            5,
            true,
        );
        assert_eq!(
            v,
            [
                "values differ at 1970-01-01 00:00:00: got 2, expected 1; got no value, expected 1",
                "values differ at 1970-01-01 00:00:01: got NaN, expected no value",
                "and 6 more differing values",
            ]
        );
        let v = values(&[d(0, Some(1.0), Some(2.0))], 0, false);
        assert_eq!(v, ["values differ at 1970-01-01 00:00:00: {}: got 2, expected 1"]);
    }
}
