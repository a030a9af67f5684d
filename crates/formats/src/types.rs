//! The parsed form of an exposition: samples in input order plus the metric families' metadata.

use std::collections::HashSet;
use std::fmt;

use model::Labels;
use serde::Serialize;

/// Everything one exposition held. Samples keep input order; families are listed in order of
/// first appearance (declared by `# TYPE`/`# HELP`/`# UNIT`, or implied by a sample with no
/// metadata, which gets kind `Unknown`).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Exposition {
    pub samples: Vec<Sample>,
    pub families: Vec<Family>,
}

impl Exposition {
    /// The distinct label sets (series), in order of first appearance.
    pub fn series(&self) -> Vec<Labels> {
        let mut seen: HashSet<&Labels> = HashSet::new();
        let mut out = Vec::new();
        for s in &self.samples {
            if seen.insert(&s.labels) {
                out.push(s.labels.clone());
            }
        }
        out
    }

    pub fn series_count(&self) -> usize {
        self.samples
            .iter()
            .map(|s| &s.labels)
            .collect::<HashSet<_>>()
            .len()
    }

    pub fn family(&self, name: &str) -> Option<&Family> {
        self.families.iter().find(|f| f.name == name)
    }
}

/// One float sample. `labels` includes `__name__`.
#[derive(Clone, Debug, PartialEq)]
pub struct Sample {
    pub labels: Labels,
    pub value: f64,
    pub timestamp_ms: Option<i64>,
    /// 1-based line of the input the sample came from.
    pub line: usize,
    /// OpenMetrics exemplar (`... # {trace_id="x"} 1.0 1.5`); always `None` in text 0.0.4.
    /// Boxed because few samples have one: it keeps every sample 32 bytes smaller.
    pub exemplar: Option<Box<Exemplar>>,
}

/// An OpenMetrics exemplar attached to a sample.
#[derive(Clone, Debug, PartialEq)]
pub struct Exemplar {
    pub labels: Labels,
    pub value: f64,
    pub timestamp_ms: Option<i64>,
}

/// A metric family's metadata.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Family {
    pub name: String,
    pub kind: MetricType,
    pub help: Option<String>,
    pub unit: Option<String>,
}

/// The metric types of both formats. Text 0.0.4's `untyped` is `Unknown`, as in Prometheus.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum MetricType {
    Counter,
    Gauge,
    Histogram,
    GaugeHistogram,
    Summary,
    Info,
    StateSet,
    Unknown,
}

impl MetricType {
    /// The OpenMetrics spelling (`gaugehistogram`, `stateset`, `unknown`), which is also what
    /// Prometheus's metadata API reports.
    pub fn as_str(self) -> &'static str {
        match self {
            MetricType::Counter => "counter",
            MetricType::Gauge => "gauge",
            MetricType::Histogram => "histogram",
            MetricType::GaugeHistogram => "gaugehistogram",
            MetricType::Summary => "summary",
            MetricType::Info => "info",
            MetricType::StateSet => "stateset",
            MetricType::Unknown => "unknown",
        }
    }

    /// Text 0.0.4 `# TYPE` words.
    pub fn from_text(word: &str) -> Option<Self> {
        Some(match word {
            "counter" => MetricType::Counter,
            "gauge" => MetricType::Gauge,
            "histogram" => MetricType::Histogram,
            "summary" => MetricType::Summary,
            "untyped" => MetricType::Unknown,
            _ => return None,
        })
    }

    /// OpenMetrics 1.0 `# TYPE` words.
    pub fn from_openmetrics(word: &str) -> Option<Self> {
        Some(match word {
            "counter" => MetricType::Counter,
            "gauge" => MetricType::Gauge,
            "histogram" => MetricType::Histogram,
            "gaugehistogram" => MetricType::GaugeHistogram,
            "summary" => MetricType::Summary,
            "info" => MetricType::Info,
            "stateset" => MetricType::StateSet,
            "unknown" => MetricType::Unknown,
            _ => return None,
        })
    }
}

impl fmt::Display for MetricType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}
