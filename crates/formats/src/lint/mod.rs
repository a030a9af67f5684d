//! `promtool check metrics` on pasted text: the findings of client_golang's promlint, worded
//! and ordered exactly as promtool 2.42 prints them (`name message`, sorted by metric name,
//! then message). `tests/lint/` holds promtool's own output for comparison.
//!
//! promtool reads its input with the Go text-format parser, so the input is read as text 0.0.4
//! here too (OpenMetrics `# EOF`/`# UNIT` lines are comments to it, and an OpenMetrics counter
//! family `foo` with samples `foo_total` lints as an untyped `foo_total`, as in promtool). That
//! parser builds metric families the way this module does: a family per name, `_bucket`,
//! `_count`, `_sum` samples joined to a histogram or summary of the base name, families with
//! no samples dropped; one "metric" per sample line, except that histogram and summary
//! samples group by their labels without `le`/`quantile`.
//!
//! One addition: a repeated series is reported as `metric not unique`, as promlint does
//! since client_golang 1.15 (promtool 2.42 says nothing; promplay's parser refuses the line).

mod rules;
mod units;

use std::collections::{BTreeSet, HashMap};
use std::fmt;

use model::METRIC_NAME;

use crate::{parse_lenient_as, Format, MetricType, ParseError};

/// One finding: the metric family it is about and promlint's text.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Problem {
    pub metric: String,
    pub text: String,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.metric, self.text)
    }
}

/// A metric family as promlint sees it: per metric, its label names (without `__name__`).
pub(crate) struct LintFamily<'a> {
    pub name: &'a str,
    pub kind: MetricType,
    pub help: Option<&'a str>,
    pub metrics: Vec<Vec<&'a str>>,
}

/// Lints exposition text. A syntax error fails the whole lint, as in promtool (`error while
/// linting: ...`).
pub fn lint(input: &str) -> Result<Vec<Problem>, ParseError> {
    let (exp, errors) = parse_lenient_as(input, Format::Text);
    let mut duplicate_lines = Vec::new();
    for e in errors {
        if e.message.starts_with("duplicate sample for series") {
            duplicate_lines.push(e.line);
        } else {
            return Err(e);
        }
    }
    let by_name: HashMap<&str, usize> = exp.families.iter().enumerate().map(|(i, f)| (f.name.as_str(), i)).collect();
    let resolve = |name: &str| -> Option<usize> {
        if let Some(&i) = by_name.get(name) {
            return Some(i);
        }
        for (suffix, kinds) in [
            ("_bucket", &[MetricType::Histogram][..]),
            ("_count", &[MetricType::Histogram, MetricType::Summary][..]),
            ("_sum", &[MetricType::Histogram, MetricType::Summary][..]),
        ] {
            let Some(base) = name.strip_suffix(suffix) else { continue };
            if let Some(&i) = by_name.get(base) {
                if exp.families.get(i).is_some_and(|f| kinds.contains(&f.kind)) {
                    return Some(i);
                }
            }
        }
        None
    };
    let mut metrics: Vec<Vec<Vec<&str>>> = vec![Vec::new(); exp.families.len()];
    // Histogram and summary samples with the same labels (le/quantile aside) are one metric.
    let mut grouped: Vec<BTreeSet<Vec<(&str, &str)>>> = vec![BTreeSet::new(); exp.families.len()];
    for s in &exp.samples {
        let name = s.labels.metric_name().unwrap_or("");
        let Some(fi) = resolve(name) else { continue };
        let Some(fam) = exp.families.get(fi) else { continue };
        let skip = match fam.kind {
            MetricType::Histogram if name.ends_with("_bucket") => Some("le"),
            MetricType::Summary if name == fam.name => Some("quantile"),
            _ => None,
        };
        let labels: Vec<(&str, &str)> = s
            .labels
            .iter()
            .filter(|l| l.name != METRIC_NAME && Some(l.name.as_str()) != skip)
            .map(|l| (l.name.as_str(), l.value.as_str()))
            .collect();
        let names: Vec<&str> = labels.iter().map(|(n, _)| *n).collect();
        match fam.kind {
            MetricType::Histogram | MetricType::Summary => {
                if grouped[fi].insert(labels) {
                    metrics[fi].push(names);
                }
            }
            _ => metrics[fi].push(names),
        }
    }
    let mut problems = Vec::new();
    for (fam, metrics) in exp.families.iter().zip(metrics) {
        if metrics.is_empty() {
            continue;
        }
        let lf = LintFamily { name: &fam.name, kind: fam.kind, help: fam.help.as_deref(), metrics };
        let mut texts = Vec::new();
        rules::check(&lf, &mut texts);
        problems.extend(texts.into_iter().map(|text| Problem { metric: fam.name.clone(), text }));
    }
    for line in duplicate_lines {
        let text = input.split('\n').nth(line.saturating_sub(1)).unwrap_or("").trim_start();
        let name = text.split(['{', ' ', '\t']).next().unwrap_or("");
        let family = resolve(name).and_then(|i| exp.families.get(i)).map_or(name, |f| f.name.as_str());
        problems.push(Problem { metric: family.to_string(), text: "metric not unique".into() });
    }
    model::sort::sort(&mut problems);
    Ok(problems)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(input: &str) -> Vec<String> {
        lint(input).unwrap_or_else(|e| panic!("{e}")).iter().map(ToString::to_string).collect()
    }

    #[test]
    fn counter_without_total_and_missing_help() {
        assert_eq!(
            texts("# TYPE http_requests counter\nhttp_requests 1\n"),
            vec!["http_requests counter metrics should have \"_total\" suffix", "http_requests no help text"]
        );
    }

    #[test]
    fn histogram_groups_buckets_into_one_metric() {
        let t = "# HELP h_seconds x\n# TYPE h_seconds histogram\nh_seconds_bucket{le=\"1\",fooBar=\"x\"} 1\nh_seconds_bucket{le=\"+Inf\",fooBar=\"x\"} 1\nh_seconds_sum{fooBar=\"x\"} 1\nh_seconds_count{fooBar=\"x\"} 1\n";
        assert_eq!(texts(t), vec!["h_seconds label names should be written in 'snake_case' not 'camelCase'"]);
    }

    #[test]
    fn duplicates_and_syntax_errors() {
        assert_eq!(texts("# HELP d x\n# TYPE d gauge\nd{a=\"1\"} 1\nd{a=\"1\"} 2\n"), vec!["d metric not unique"]);
        assert_eq!(lint("a 1\nfoo bar\n").err().map(|e| e.line), Some(2));
        assert!(texts("").is_empty());
    }
}
