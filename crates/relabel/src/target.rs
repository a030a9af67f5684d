//! Target mode: what Prometheus 3.x does around `relabel_configs` (`PopulateLabels`): defaults
//! before, address checks, `__meta_*` removal and the `instance` default after.

use model::{parse_duration, Label, Labels};

use crate::config::Rule;
use crate::load::ScrapeSettings;
use crate::process::{trace, Trace};

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TargetResult {
    /// `relabeled` is `relabel.Process`'s output (`__` labels included); `target` is the
    /// label set every scraped series gets (no `__` labels, `instance` defaulted).
    Kept {
        relabeled: Labels,
        target: Labels,
    },
    Dropped {
        rule: usize,
    },
    /// Prometheus refuses the target ("no address", a bad interval...).
    Error {
        relabeled: Labels,
        message: String,
    },
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TargetOutcome {
    /// The input with the scrape defaults added: what relabeling starts from.
    pub discovered: Labels,
    pub trace: Trace,
    pub result: TargetResult,
}

/// Adds `job`, `__scrape_interval__`, `__scrape_timeout__`, `__metrics_path__`, `__scheme__` and
/// `__param_<k>` where absent or empty (3.x: a target's own `__param_*` wins over the config).
pub fn discovered_labels(input: &Labels, s: &ScrapeSettings) -> Labels {
    let mut labels: Vec<Label> = input.iter().cloned().collect();
    let mut add = |name: &str, value: &str| {
        if input.get(name).is_none() && !labels.iter().any(|l| l.name == name) {
            labels.push(Label::new(name, value));
        }
    };
    add("job", &s.job_name);
    add("__scrape_interval__", &s.scrape_interval);
    add("__scrape_timeout__", &s.scrape_timeout);
    add("__metrics_path__", &s.metrics_path);
    add("__scheme__", &s.scheme);
    for (k, v) in &s.params {
        if let Some(first) = v.first() {
            add(&format!("__param_{k}"), first);
        }
    }
    Labels::new(labels)
}

/// Relabels one discovered target as a scrape pool does.
pub fn relabel_target(input: &Labels, settings: &ScrapeSettings, rules: &[Rule]) -> TargetOutcome {
    let discovered = discovered_labels(input, settings);
    let trace = trace(&discovered, rules);
    let result = match (trace.result(&discovered).cloned(), trace.dropped_by()) {
        (_, Some(rule)) => TargetResult::Dropped { rule },
        (None, None) => TargetResult::Dropped { rule: 0 },
        (Some(relabeled), None) => match finish(&relabeled) {
            Ok(target) => TargetResult::Kept { relabeled, target },
            Err(message) => TargetResult::Error { relabeled, message },
        },
    };
    TargetOutcome { discovered, trace, result }
}

/// The checks and clean-up after relabeling; the public target labels.
pub fn finish(relabeled: &Labels) -> Result<Labels, String> {
    let addr = relabeled.get_or_empty("__address__");
    if addr.is_empty() {
        return Err("no address".to_string());
    }
    if addr.contains('/') {
        return Err(format!("{} is not a valid hostname", go_quote(addr)));
    }
    let interval = relabeled.get_or_empty("__scrape_interval__");
    let iv = parse_duration(interval)
        .map_err(|_| format!("error parsing scrape interval: not a valid duration string: {}", go_quote(interval)))?;
    if iv == 0 {
        return Err("scrape interval cannot be 0".to_string());
    }
    let timeout = relabeled.get_or_empty("__scrape_timeout__");
    let to = parse_duration(timeout)
        .map_err(|_| format!("error parsing scrape timeout: not a valid duration string: {}", go_quote(timeout)))?;
    if to == 0 {
        return Err("scrape timeout cannot be 0".to_string());
    }
    if to > iv {
        return Err(format!(
            "scrape timeout cannot be greater than scrape interval ({} > {})",
            go_quote(timeout),
            go_quote(interval)
        ));
    }
    let mut out: Vec<Label> = relabeled.iter().filter(|l| !l.name.starts_with("__")).cloned().collect();
    if relabeled.get("instance").is_none() {
        out.push(Label::new("instance", addr));
    }
    Ok(Labels::new(out))
}

/// Go's `%q` for the plain strings these messages quote.
fn go_quote(s: &str) -> String {
    model::quote(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_then_cleanup() {
        let input = Labels::from_pairs([("__address__", "h:9100"), ("__meta_x", "1"), ("team", "a")]);
        let out = relabel_target(&input, &ScrapeSettings::default(), &[]);
        assert_eq!(out.discovered.get("__scheme__"), Some("http"));
        assert_eq!(out.discovered.get("job"), Some("relabel"));
        let TargetResult::Kept { target, .. } = out.result else { panic!("{:?}", out.result) };
        assert_eq!(target.to_string(), r#"{instance="h:9100", job="relabel", team="a"}"#);
    }

    #[test]
    fn no_address() {
        let out = relabel_target(&Labels::from_pairs([("a", "b")]), &ScrapeSettings::default(), &[]);
        assert!(matches!(out.result, TargetResult::Error { ref message, .. } if message == "no address"));
    }
}
