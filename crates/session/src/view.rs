//! Shapes the engine's and the store's values for display: label sets printed as Prometheus
//! prints them, values in the API's float format, the table's cell text.

use protocol::{Cardinality, DataSummary, RangeSpec, ResultView, Row};

use crate::load::{Shape, DEFAULT_SCRAPE_INTERVAL_MS};

pub fn summary(c: &tsdb::Cardinality, eval_time_ms: i64, shape: Shape) -> DataSummary {
    let pairs = |v: &[tsdb::Count]| v.iter().map(|c| (c.name.clone(), c.value)).collect();
    DataSummary {
        samples: c.num_samples,
        eval_time_ms,
        min_time_ms: c.min_time,
        max_time_ms: c.max_time,
        scrapes: shape.scrapes,
        scrape_interval_ms: DEFAULT_SCRAPE_INTERVAL_MS,
        timestamped: shape.timestamped,
        cardinality: Cardinality {
            num_series: c.num_series,
            num_samples: c.num_samples,
            num_label_pairs: c.num_label_pairs,
            memory_total_bytes: c.memory_total_bytes,
            series_count_by_metric_name: pairs(&c.series_count_by_metric_name),
            label_value_count_by_label_name: pairs(&c.label_value_count_by_label_name),
            series_count_by_label_value_pair: pairs(&c.series_count_by_label_value_pair),
        },
    }
}

pub fn result(res: &engine::QueryResult, time_ms: i64, range: Option<RangeSpec>) -> ResultView {
    result_of(&export(&res.value, time_ms), &res.warnings, &res.infos, time_ms, range)
}

/// Any result in the export shape (the engine's, or a server's answer read by `resultdiff`),
/// shaped for display.
pub fn result_of(
    value: &formats::export::ResultView<'_>,
    warnings: &[String],
    infos: &[String],
    time_ms: i64,
    range: Option<RangeSpec>,
) -> ResultView {
    use formats::export::ResultView as View;
    let rows = match value {
        View::Vector(v) => {
            v.iter().map(|s| series_row(s.labels, model::format_prom_float(s.v), vec![(s.t, s.v)])).collect()
        }
        View::Matrix(m) => m
            .iter()
            .map(|s| {
                let points = s.samples.iter().map(|p| (p.t, p.v)).collect();
                series_row(s.labels, matrix_values(s.samples), points)
            })
            .collect(),
        View::Scalar { v, .. } => vec![plain_row("scalar", model::format_prom_float(*v), vec![(time_ms, *v)])],
        View::String { s, .. } => vec![plain_row("string", s.to_string(), Vec::new())],
    };
    ResultView {
        result_type: value.type_name().to_string(),
        rows,
        warnings: warnings.to_vec(),
        infos: infos.to_vec(),
        time_ms,
        range,
    }
}

fn series_row(labels: &model::Labels, value: String, points: Vec<(i64, f64)>) -> Row {
    Row {
        labels: labels.to_string(),
        metric: labels.metric_name().map(str::to_string),
        label_pairs: labels
            .iter()
            .filter(|l| l.name != "__name__")
            .map(|l| (l.name.to_string(), l.value.to_string()))
            .collect(),
        value,
        points,
    }
}

fn plain_row(kind: &str, value: String, points: Vec<(i64, f64)>) -> Row {
    Row { labels: kind.to_string(), metric: None, label_pairs: Vec::new(), value, points }
}

/// Borrows the engine's value in the shape `formats::export` writes (formats does not know the
/// engine); scalars and strings carry the evaluation time as the API prints them.
pub fn export(value: &engine::Value, t: i64) -> formats::export::ResultView<'_> {
    use formats::export::{MatrixRow, ResultView as View, VectorRow};
    match value {
        engine::Value::Scalar(v) => View::Scalar { t, v: *v },
        engine::Value::String(s) => View::String { t, s },
        engine::Value::Vector(v) => {
            View::Vector(v.iter().map(|s| VectorRow { labels: &s.labels, t: s.t, v: s.v }).collect())
        }
        engine::Value::Matrix(m) => {
            View::Matrix(m.iter().map(|s| MatrixRow { labels: &s.labels, samples: &s.samples }).collect())
        }
    }
}

/// Range-vector cells list `value @timestamp_seconds` per line, as Prometheus's table view does.
fn matrix_values(samples: &[model::Sample]) -> String {
    let lines: Vec<String> =
        samples.iter().map(|s| format!("{} @{}", model::format_prom_float(s.v), format_seconds(s.t))).collect();
    lines.join("\n")
}

/// Milliseconds as seconds with up to three decimals, no trailing zeros (`1700000000.5`).
fn format_seconds(t_ms: i64) -> String {
    let secs = t_ms.div_euclid(1000);
    let ms = t_ms.rem_euclid(1000);
    if ms == 0 {
        return secs.to_string();
    }
    let frac = format!("{ms:03}");
    format!("{secs}.{}", frac.trim_end_matches('0'))
}

#[cfg(test)]
mod tests {
    #[test]
    fn seconds_formatting() {
        assert_eq!(super::format_seconds(1_700_000_000_000), "1700000000");
        assert_eq!(super::format_seconds(1_700_000_000_500), "1700000000.5");
        assert_eq!(super::format_seconds(1_700_000_000_012), "1700000000.012");
    }
}
