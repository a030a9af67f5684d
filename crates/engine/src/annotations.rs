//! Warnings and infos returned beside a result, worded exactly as Prometheus v3.14 words them
//! (the test suite compares the texts), and collected without duplicates.

use model::quote;

/// The annotations of one query. Prometheus keeps them in a set, so a message raised at every
/// step is reported once.
#[derive(Clone, Debug, Default)]
pub(crate) struct Notes {
    pub warnings: Vec<String>,
    pub infos: Vec<String>,
}

impl Notes {
    pub fn warn(&mut self, msg: String) {
        if !self.warnings.contains(&msg) {
            self.warnings.push(msg);
        }
    }

    pub fn info(&mut self, msg: String) {
        if !self.infos.contains(&msg) {
            self.infos.push(msg);
        }
    }
}

/// Go's `%g` for the numbers that appear in messages.
pub(crate) fn go_g(v: f64) -> String {
    if v.is_nan() {
        "NaN".into()
    } else if v.is_infinite() {
        if v > 0.0 { "+Inf".into() } else { "-Inf".into() }
    } else {
        let abs = v.abs();
        if abs != 0.0 && !(1e-4..1e21).contains(&abs) {
            let s = format!("{v:e}");
            // Rust writes `1e21`, Go `1e+21`.
            match s.split_once('e') {
                Some((m, e)) if !e.starts_with('-') => format!("{m}e+{e:0>2}"),
                Some((m, e)) => format!("{m}e-{:0>2}", e.trim_start_matches('-')),
                None => s,
            }
        } else {
            format!("{v}")
        }
    }
}

pub(crate) fn possible_non_counter(metric: &str) -> String {
    format!(
        "PromQL info: metric might not be a counter, name does not end in _total/_sum/_count/_bucket: {}",
        quote(metric)
    )
}

pub(crate) fn invalid_quantile(q: f64) -> String {
    format!("PromQL warning: quantile value should be between 0 and 1, got {}", go_g(q))
}

pub(crate) fn invalid_ratio(r: f64, cap: f64) -> String {
    format!("PromQL warning: ratio value should be between -1 and 1, got {}, capping to {}", go_g(r), go_g(cap))
}

pub(crate) fn bad_bucket_label(metric: &str, le: &str) -> String {
    format!(
        "PromQL warning: bucket label \"le\" is missing or has a malformed value of {} for metric name {}",
        quote(le),
        quote(metric)
    )
}

pub(crate) fn forced_monotonicity(metric: &str) -> String {
    format!(
        "PromQL info: input to histogram_quantile needed to be fixed for monotonicity (see https://prometheus.io/docs/prometheus/latest/querying/functions/#histogram_quantile) for metric name {}",
        quote(metric)
    )
}

pub(crate) fn start_time_overlap(metric: &str) -> String {
    format!(
        "PromQL warning: sample has start time that overlaps with previous sample timestamp for metric {}",
        quote(metric)
    )
}

pub(crate) const SORT_INEFFECTIVE: &str =
    "PromQL warning: sort is ineffective for range queries since results are always ordered by labels";

#[cfg(test)]
mod tests {
    use super::go_g;

    #[test]
    fn go_number_format() {
        assert_eq!(go_g(1.1), "1.1");
        assert_eq!(go_g(f64::NAN), "NaN");
        assert_eq!(go_g(-1.0), "-1");
        assert_eq!(go_g(1e21), "1e+21");
    }
}
