//! Metric mode: `metric_relabel_configs` over scraped samples, after the target labels are
//! attached as a scrape attaches them, with Prometheus's first-one-wins on collisions.

use std::collections::HashMap;

use model::{Label, Labels};

use crate::builder::Builder;
use crate::config::Rule;
use crate::process::trace;

/// One scraped sample as it comes out of the exposition parser.
#[derive(Clone, Debug, PartialEq)]
pub struct ScrapedSample {
    pub labels: Labels,
    pub value: f64,
    pub timestamp_ms: Option<i64>,
    /// Labels the sample exposed with an empty value (see [`crate::empty_label_names`]); they
    /// matter only with `honor_labels: true`.
    pub exposed_empty: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum MetricResult {
    /// `collision_with` names the earlier sample (index into the input) that already produced
    /// the same label set; Prometheus stores only that first one.
    Kept { labels: Labels, collision_with: Option<usize> },
    /// `rule` is `None` when relabeling emptied the label set (Prometheus drops it silently).
    Dropped { rule: Option<usize> },
    /// The scrape would fail on this sample (e.g. `__name__` removed).
    Error { labels: Labels, message: String },
}

#[derive(Clone, Debug, PartialEq)]
pub struct MetricOutcome {
    pub index: usize,
    /// The exposed labels with the target labels attached: what relabeling starts from.
    pub attached: Labels,
    pub result: MetricResult,
}

/// Attaches target labels as `mutateSampleLabels` does. With `honor_labels` false a target
/// label wins and the exposed value moves to `exported_<name>` (more `exported_` prefixes while
/// taken); with true the exposed label wins.
pub fn attach_target_labels(exposed: &Labels, exposed_empty: &[String], target: &Labels, honor_labels: bool) -> Labels {
    let mut b = Builder::new(exposed.clone());
    if honor_labels {
        for l in target {
            if exposed.get(&l.name).is_none() && !exposed_empty.contains(&l.name) {
                b.set(&l.name, &l.value);
            }
        }
        return b.labels();
    }
    let mut conflicts: Vec<Label> = Vec::new();
    for l in target {
        if let Some(v) = exposed.get(&l.name) {
            conflicts.push(Label::new(l.name.clone(), v));
        }
        b.set(&l.name, &l.value);
    }
    // Shorter names first, as Prometheus resolves them (stable for equal lengths).
    model::sort::sort_by_key(&mut conflicts, |l| l.name.len());
    for l in conflicts {
        let mut name = l.name.clone();
        loop {
            name = format!("exported_{name}");
            if b.get(&name).is_empty() {
                b.set(&name, &l.value);
                break;
            }
        }
    }
    b.labels()
}

/// Relabels every sample in order and marks collisions.
pub fn relabel_samples(
    samples: &[ScrapedSample],
    target: &Labels,
    honor_labels: bool,
    rules: &[Rule],
) -> Vec<MetricOutcome> {
    let mut first_seen: HashMap<Labels, usize> = HashMap::new();
    let mut out = Vec::with_capacity(samples.len());
    for (index, s) in samples.iter().enumerate() {
        let attached = attach_target_labels(&s.labels, &s.exposed_empty, target, honor_labels);
        let t = trace(&attached, rules);
        let result = match (t.dropped_by(), t.result(&attached)) {
            (Some(rule), _) => MetricResult::Dropped { rule: Some(rule) },
            (None, None) => MetricResult::Dropped { rule: None },
            (None, Some(l)) if l.is_empty() => MetricResult::Dropped { rule: None },
            (None, Some(l)) if l.metric_name().is_none() => {
                MetricResult::Error { labels: l.clone(), message: "missing metric name (__name__ label)".to_string() }
            }
            (None, Some(l)) => {
                let collision_with = match first_seen.get(l) {
                    Some(&first) => Some(first),
                    None => {
                        first_seen.insert(l.clone(), index);
                        None
                    }
                };
                MetricResult::Kept { labels: l.clone(), collision_with }
            }
        };
        out.push(MetricOutcome { index, attached, result });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exported_prefix() {
        let exposed = Labels::from_pairs([("__name__", "x"), ("job", "mine"), ("exported_job", "taken")]);
        let target = Labels::from_pairs([("instance", "i"), ("job", "j")]);
        let got = attach_target_labels(&exposed, &[], &target, false);
        assert_eq!(got.get("exported_exported_job"), Some("mine"));
        assert_eq!(got.get("job"), Some("j"));
        let honored = attach_target_labels(&exposed, &[], &target, true);
        assert_eq!(honored.get("job"), Some("mine"));
        let empty = attach_target_labels(&exposed, &["instance".to_string()], &target, true);
        assert_eq!(empty.get("instance"), None);
    }
}
