//! Prometheus 3.x relabeling for the playground: rules read from YAML as people write them
//! (with Prometheus's validation messages at line:col), the 11 actions, a per-rule trace, and the
//! target and metric modes that wrap relabeling in a real Prometheus.

mod builder;
mod config;
mod error;
mod exposed;
mod inputs;
mod load;
mod metric;
mod process;
mod target;
pub mod yaml;

pub use config::{parse_rule, Action, NameScheme, Rule, DEFAULT_REGEX, DEFAULT_REPLACEMENT, DEFAULT_SEPARATOR};
pub use error::ConfigError;
pub use exposed::empty_label_names;
pub use inputs::parse_targets;
pub use load::{load, load_node, rules_of, Loaded, ScrapeSettings, Section};
pub use metric::{attach_target_labels, relabel_samples, MetricOutcome, MetricResult, ScrapedSample};
pub use process::{hashmod, process, trace, Step, Trace};
pub use target::{discovered_labels, finish, relabel_target, TargetOutcome, TargetResult};
pub use yaml::Pos;
