//! The Graph tab's chart: a range result drawn as lines (stacked or log-scaled on request) or,
//! for classic histogram buckets, as a heatmap; with a legend, a hover read-out and drag-to-zoom.
//!
//! The numbers (ticks, scales, stacking, gaps, hit-testing, zoom, bucket de-cumulation) live in
//! plain modules tested natively; `draw` turns them into plotters calls on a canvas and
//! `component` wires them to the page. The chart only shows what the engine returned: it
//! computes nothing PromQL would.

mod component;
mod draw;
mod heatmap;
mod labels;
mod model;
mod ticks;

pub use component::Graph;

/// One series of a range result, as the worker hands it over.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ChartSeries {
    /// Prometheus label-set text, e.g. `{job="a", le="0.5"}`.
    pub labels: String,
    pub metric: Option<String>,
    /// (time in ms, value), in time order.
    pub points: Vec<(i64, f64)>,
}

/// A range result and the range it was evaluated over.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ChartData {
    pub series: Vec<ChartSeries>,
    pub start_ms: i64,
    pub end_ms: i64,
    pub step_ms: i64,
}

impl ChartSeries {
    /// The points in strictly increasing time, dropping any that is not after the one before.
    /// Range results come ordered; this only guarantees the binary searches and the gap logic
    /// their precondition without a sort (each sort instantiation costs kilobytes of wasm).
    pub(crate) fn ordered_points(&self) -> impl Iterator<Item = (i64, f64)> + '_ {
        let mut last = None;
        self.points.iter().copied().filter(move |(t, _)| {
            let after = last.is_none_or(|l| *t > l);
            if after {
                last = Some(*t);
            }
            after
        })
    }

    /// How the legend and the read-out name the series: `metric{labels}`, as the table does.
    pub fn name(&self) -> String {
        match (&self.metric, self.labels.as_str()) {
            (Some(m), "" | "{}") => m.clone(),
            (Some(m), l) => format!("{m}{l}"),
            (None, "") => "{}".to_string(),
            (None, l) => l.to_string(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::ChartSeries;

    #[test]
    fn series_are_named_as_the_table_names_them() {
        let s = |metric: Option<&str>, labels: &str| ChartSeries {
            labels: labels.into(),
            metric: metric.map(Into::into),
            points: Vec::new(),
        };
        assert_eq!(s(Some("up"), r#"{job="a"}"#).name(), r#"up{job="a"}"#);
        assert_eq!(s(Some("up"), "{}").name(), "up");
        assert_eq!(s(None, r#"{job="a"}"#).name(), r#"{job="a"}"#);
        assert_eq!(s(None, "").name(), "{}");
    }

    #[test]
    fn out_of_order_points_are_dropped() {
        let s = ChartSeries {
            labels: "{}".into(),
            metric: None,
            points: vec![(10, 1.0), (20, 2.0), (15, 3.0), (20, 4.0), (30, 5.0)],
        };
        assert_eq!(
            s.ordered_points().collect::<Vec<_>>(),
            [(10, 1.0), (20, 2.0), (30, 5.0)]
        );
    }
}
