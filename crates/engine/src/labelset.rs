//! Label-set operations the evaluator needs beyond `model::Labels`: keeping or dropping names
//! for matching and grouping, dropping the metric-name family, and Go's `Labels.String()`.

use model::{quote, Label, Labels, METRIC_NAME};

/// Labels that go when the metric name goes (`__name__` and the type-and-unit metadata).
pub(crate) fn is_metadata_label(name: &str) -> bool {
    name == METRIC_NAME || name == "__type__" || name == "__unit__"
}

pub(crate) fn drop_metadata(l: &Labels) -> Labels {
    if !l.iter().any(|x| is_metadata_label(&x.name)) {
        return l.clone();
    }
    Labels::new(l.iter().filter(|x| !is_metadata_label(&x.name)).cloned())
}

/// Only the labels named in `names`.
pub(crate) fn keep_only(l: &Labels, names: &[String]) -> Labels {
    Labels::new(l.iter().filter(|x| names.iter().any(|n| n == &x.name)).cloned())
}

/// All labels except those in `names` and the metric name (Prometheus's `ignoring`/`without`
/// always leave the name out).
pub(crate) fn without(l: &Labels, names: &[String]) -> Labels {
    Labels::new(l.iter().filter(|x| x.name != METRIC_NAME && !names.iter().any(|n| n == &x.name)).cloned())
}

/// The matching key of a series for `on(names)` (`on == true`) or `ignoring(names)`.
pub(crate) fn match_labels(l: &Labels, on: bool, names: &[String]) -> Labels {
    if on {
        keep_only(l, names)
    } else {
        without(l, names)
    }
}

pub(crate) fn with_label(l: &Labels, name: &str, value: &str) -> Labels {
    let mut b = l.builder();
    b.set(name, value);
    b.build()
}

pub(crate) fn without_label(l: &Labels, name: &str) -> Labels {
    if l.get(name).is_none() {
        return l.clone();
    }
    Labels::new(l.iter().filter(|x| x.name != name).cloned())
}

/// `{__name__="x", a="b"}`: how Prometheus prints label sets inside error messages.
pub(crate) fn go_string(l: &Labels) -> String {
    let parts: Vec<String> = l
        .iter()
        .map(|Label { name, value }| {
            if model::is_legacy_label_name(name) {
                format!("{name}={}", quote(value))
            } else {
                format!("{}={}", quote(name), quote(value))
            }
        })
        .collect();
    format!("{{{}}}", parts.join(", "))
}
