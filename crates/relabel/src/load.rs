//! Finds the relabel rules in YAML as people paste it: a bare list, a mapping with
//! `relabel_configs:`-style keys, one scrape config, or a whole prometheus.yml (pick a job).

use model::{format_duration, parse_duration};

use crate::config::{parse_rule, NameScheme, Rule};
use crate::error::ConfigError;
use crate::yaml::{self, Node, Pos, Value};

/// Which list of rules to read.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Section {
    /// `relabel_configs`: targets, before scraping.
    #[default]
    Target,
    /// `metric_relabel_configs`: samples, after scraping.
    Metric,
    /// `write_relabel_configs` of a `remote_write` entry.
    Write,
}

impl Section {
    /// The section named by its YAML key (`relabel_configs`...), or a short name (`target`...).
    pub fn from_key(k: &str) -> Option<Section> {
        match k {
            "relabel_configs" | "target" => Some(Section::Target),
            "metric_relabel_configs" | "metric" => Some(Section::Metric),
            "write_relabel_configs" | "write" => Some(Section::Write),
            _ => None,
        }
    }

    pub fn key(self) -> &'static str {
        match self {
            Section::Target => "relabel_configs",
            Section::Metric => "metric_relabel_configs",
            Section::Write => "write_relabel_configs",
        }
    }
}

/// The scrape settings that shape a target's labels around relabeling (3.x defaults).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ScrapeSettings {
    pub job_name: String,
    /// Durations as Prometheus prints them (`1m`, `15s`), as they appear in labels.
    pub scrape_interval: String,
    pub scrape_timeout: String,
    pub metrics_path: String,
    pub scheme: String,
    /// Query parameters in document order; `__param_<name>` gets the first value.
    pub params: Vec<(String, Vec<String>)>,
    pub honor_labels: bool,
}

impl Default for ScrapeSettings {
    fn default() -> Self {
        ScrapeSettings {
            job_name: "relabel".to_string(),
            scrape_interval: "1m".to_string(),
            scrape_timeout: "10s".to_string(),
            metrics_path: "/metrics".to_string(),
            scheme: "http".to_string(),
            params: Vec::new(),
            honor_labels: false,
        }
    }
}

/// What [`load`] found.
#[derive(Clone, Debug)]
pub struct Loaded {
    pub rules: Vec<Rule>,
    /// From the scrape job when the document was a prometheus.yml or a scrape config.
    pub settings: ScrapeSettings,
    pub scheme: NameScheme,
    /// The scrape job's name when the rules came from a scrape config.
    pub job: Option<String>,
}

/// Reads the rules of `section` from `text`; `job` picks a scrape job (or remote_write `name`)
/// when the document has several.
pub fn load(text: &str, section: Section, job: Option<&str>) -> Result<Loaded, ConfigError> {
    load_node(&yaml::parse(text)?, section, job)
}

/// [`load`] on an already parsed document (e.g. a config embedded in a test file).
pub fn load_node(root: &Node, section: Section, job: Option<&str>) -> Result<Loaded, ConfigError> {
    let global = root.get("global");
    let mut scheme = scheme_of(global)?.unwrap_or_default();
    let mut settings = ScrapeSettings::default();
    let mut from_job = false;
    let list = match &root.value {
        Value::Null => None,
        Value::Seq(_) => Some(root),
        Value::Map(_) => {
            if let Some(configs) = root.get("scrape_configs").filter(|_| section != Section::Write) {
                let job_node = pick(configs, job, "job_name", "scrape job")?;
                settings = settings_of(job_node, global)?;
                from_job = true;
                scheme = scheme_of(Some(job_node))?.unwrap_or(scheme);
                job_node.get(section.key())
            } else if let Some(writes) = root.get("remote_write").filter(|_| section == Section::Write) {
                pick(writes, job, "name", "remote_write")?.get(section.key())
            } else if root.get(section.key()).is_some() {
                if root.get("job_name").is_some() {
                    settings = settings_of(root, global)?;
                    from_job = true;
                    scheme = scheme_of(Some(root))?.unwrap_or(scheme);
                }
                root.get(section.key())
            } else {
                let others: Vec<&str> = [Section::Target, Section::Metric, Section::Write]
                    .iter()
                    .map(|s| s.key())
                    .filter(|k| root.get(k).is_some())
                    .collect();
                let mut msg = format!("no {} in this document", section.key());
                if !others.is_empty() {
                    msg.push_str(&format!(" (it has {})", others.join(", ")));
                } else {
                    msg.push_str(": expected a list of rules, a mapping with relabel_configs, metric_relabel_configs or write_relabel_configs, or a prometheus.yml");
                }
                return Err(ConfigError::new(root.pos, msg));
            }
        }
        Value::Scalar { .. } => {
            return Err(ConfigError::new(root.pos, "expected a list of relabel rules or a mapping, found a scalar"))
        }
    };
    let rules = match list {
        None => Vec::new(),
        Some(n) => rules_of(n, scheme)?,
    };
    let job = from_job.then(|| settings.job_name.clone());
    Ok(Loaded { rules, settings, scheme, job })
}

/// Parses a YAML sequence of rules.
pub fn rules_of(list: &Node, scheme: NameScheme) -> Result<Vec<Rule>, ConfigError> {
    match &list.value {
        Value::Null => Ok(Vec::new()),
        Value::Seq(items) => items.iter().map(|n| parse_rule(n, scheme)).collect(),
        _ => Err(ConfigError::new(list.pos, format!("cannot unmarshal {} into []*relabel.Config", list.tag()))),
    }
}

fn pick<'a>(list: &'a Node, want: Option<&str>, key: &str, what: &str) -> Result<&'a Node, ConfigError> {
    let Value::Seq(items) = &list.value else {
        return Err(ConfigError::new(list.pos, format!("{what}s: expected a list, found {}", list.tag())));
    };
    let names: Vec<&str> = items.iter().filter_map(|i| i.get(key).and_then(Node::as_str)).collect();
    let found = match want {
        Some(w) => items.iter().find(|i| i.get(key).and_then(Node::as_str) == Some(w)),
        None if items.len() == 1 => items.first(),
        None => None,
    };
    found.ok_or_else(|| {
        let listed = if names.is_empty() { "none".to_string() } else { names.join(", ") };
        let msg = match want {
            Some(w) => format!("{what} {w:?} not found; available: {listed}"),
            None => format!("several {what}s in this file, choose one with --job; available: {listed}"),
        };
        ConfigError::new(list.pos, msg)
    })
}

fn scheme_of(n: Option<&Node>) -> Result<Option<NameScheme>, ConfigError> {
    let Some(v) = n.and_then(|n| n.get("metric_name_validation_scheme")) else {
        return Ok(None);
    };
    match v.as_str().unwrap_or_default() {
        "" => Ok(None),
        "utf8" => Ok(Some(NameScheme::Utf8)),
        "legacy" => Ok(Some(NameScheme::Legacy)),
        other => Err(ConfigError::new(
            v.pos,
            format!(
                "unknown global name validation method specified, must be either '', 'legacy' or 'utf8', got {other:?}"
            ),
        )),
    }
}

fn duration(n: Option<&Node>) -> Result<Option<(i64, Pos)>, ConfigError> {
    let Some(n) = n.filter(|n| !n.is_null()) else {
        return Ok(None);
    };
    let text = n.as_str().unwrap_or_default();
    parse_duration(text)
        .map(|d| Some((d, n.pos)))
        .map_err(|e| ConfigError::new(n.pos, format!("not a valid duration string: {text:?} ({e})")))
}

/// Job settings with Prometheus's inheritance from `global` and its defaults.
fn settings_of(job: &Node, global: Option<&Node>) -> Result<ScrapeSettings, ConfigError> {
    let g_interval = duration(global.and_then(|g| g.get("scrape_interval")))?.map_or(60_000, |d| d.0);
    let g_timeout = match duration(global.and_then(|g| g.get("scrape_timeout")))? {
        Some(d) => d.0,
        None => 10_000.min(g_interval),
    };
    let interval = duration(job.get("scrape_interval"))?.map_or(g_interval, |d| d.0);
    let timeout = match duration(job.get("scrape_timeout"))? {
        Some(d) => d.0,
        None => g_timeout.min(interval),
    };
    let text = |k: &str, default: &str| job.get(k).and_then(Node::as_str).unwrap_or(default).to_string();
    let mut params = Vec::new();
    if let Some(Value::Map(entries)) = job.get("params").map(|p| &p.value) {
        for (k, v) in entries {
            let values = match &v.value {
                Value::Seq(items) => items.iter().filter_map(|i| i.as_str().map(str::to_string)).collect(),
                Value::Scalar { text, .. } => vec![text.clone()],
                _ => Vec::new(),
            };
            params.push((k.as_str().unwrap_or_default().to_string(), values));
        }
    }
    Ok(ScrapeSettings {
        job_name: text("job_name", ""),
        scrape_interval: format_duration(interval),
        scrape_timeout: format_duration(timeout),
        metrics_path: text("metrics_path", "/metrics"),
        scheme: text("scheme", "http"),
        params,
        honor_labels: job.get("honor_labels").and_then(Node::as_str) == Some("true"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shapes() {
        let list =
            load("- target_label: a\n  replacement: b\n", Section::Target, None).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(list.rules.len(), 1);
        let m = load("metric_relabel_configs:\n- action: labeldrop\n  regex: x\n", Section::Metric, None)
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(m.rules.len(), 1);
        let e = load("metric_relabel_configs: []\n", Section::Target, None).err().unwrap_or_else(|| panic!("ok"));
        assert!(e.message.contains("it has metric_relabel_configs"), "{e}");
    }

    #[test]
    fn prometheus_yml_jobs() {
        let y = "global:\n  scrape_interval: 15s\nscrape_configs:\n- job_name: a\n  relabel_configs: []\n- job_name: b\n  scrape_interval: 5s\n  relabel_configs:\n  - target_label: x\n    replacement: y\n";
        let e = load(y, Section::Target, None).err().unwrap_or_else(|| panic!("ok"));
        assert!(e.message.contains("available: a, b"), "{e}");
        let e = load(y, Section::Target, Some("c")).err().unwrap_or_else(|| panic!("ok"));
        assert_eq!(e.message, "scrape job \"c\" not found; available: a, b");
        let b = load(y, Section::Target, Some("b")).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(b.rules.len(), 1);
        assert_eq!(b.settings.scrape_interval, "5s");
        assert_eq!(b.settings.scrape_timeout, "5s");
        let a = load(y, Section::Target, Some("a")).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!((a.settings.scrape_interval.as_str(), a.settings.scrape_timeout.as_str()), ("15s", "10s"));
    }
}
