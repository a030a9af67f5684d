//! Query results as CSV: one row per sample, columns `labels..., timestamp, value`. The label
//! columns are the union of every series' label names, `__name__` first and the rest sorted,
//! so the column order depends only on the result, never on evaluation order. A series without
//! a label gets an empty cell. Timestamps are unix seconds as the API prints them; values use
//! Prometheus's float spelling (`+Inf`, `NaN`). Quoting follows RFC 4180.

use std::collections::BTreeSet;

use model::{format_prom_float, Labels, Timestamp, METRIC_NAME};

use super::ResultView;

/// The whole CSV document, header included, each line ending in `\n`.
pub fn to_csv(result: &ResultView<'_>) -> String {
    let series: Vec<&Labels> = match result {
        ResultView::Vector(rows) => rows.iter().map(|r| r.labels).collect(),
        ResultView::Matrix(rows) => rows.iter().map(|r| r.labels).collect(),
        ResultView::Scalar { .. } | ResultView::String { .. } => Vec::new(),
    };
    let columns = label_columns(&series);
    let mut out = String::new();
    let mut header: Vec<String> = columns.iter().map(|c| field(c)).collect();
    header.push("timestamp".into());
    header.push("value".into());
    push_row(&mut out, header);
    match result {
        ResultView::Scalar { t, v } => push_row(&mut out, vec![seconds(*t), format_prom_float(*v)]),
        ResultView::String { t, s } => push_row(&mut out, vec![seconds(*t), field(s)]),
        ResultView::Vector(rows) => {
            for r in rows {
                push_row(&mut out, row(&columns, r.labels, r.t, r.v));
            }
        }
        ResultView::Matrix(rows) => {
            for r in rows {
                for s in r.samples {
                    push_row(&mut out, row(&columns, r.labels, s.t, s.v));
                }
            }
        }
    }
    out
}

fn label_columns(series: &[&Labels]) -> Vec<String> {
    let names: BTreeSet<&str> = series.iter().flat_map(|l| l.iter().map(|x| x.name.as_str())).collect();
    let mut cols: Vec<String> = Vec::with_capacity(names.len());
    if names.contains(METRIC_NAME) {
        cols.push(METRIC_NAME.to_string());
    }
    cols.extend(names.into_iter().filter(|n| *n != METRIC_NAME).map(str::to_string));
    cols
}

fn row(columns: &[String], labels: &Labels, t: Timestamp, v: f64) -> Vec<String> {
    let mut cells: Vec<String> = columns.iter().map(|c| field(labels.get(c).unwrap_or(""))).collect();
    cells.push(seconds(t));
    cells.push(format_prom_float(v));
    cells
}

fn push_row(out: &mut String, cells: Vec<String>) {
    out.push_str(&cells.join(","));
    out.push('\n');
}

fn seconds(t: Timestamp) -> String {
    format_prom_float(t as f64 / 1000.0)
}

/// RFC 4180: quote a field holding a comma, a quote or a line break; double inner quotes.
fn field(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::export::{MatrixRow, VectorRow};
    use model::Sample;

    #[test]
    fn vector_rows_with_union_of_labels() {
        let a = Labels::from_pairs([("__name__", "up"), ("job", "a,b")]);
        let b = Labels::from_pairs([("__name__", "up"), ("instance", "x\"y")]);
        let v = ResultView::Vector(vec![VectorRow { labels: &a, t: 1000, v: 1.0 }, VectorRow { labels: &b, t: 1500, v: f64::NAN }]);
        assert_eq!(to_csv(&v), "__name__,instance,job,timestamp,value\nup,,\"a,b\",1,1\nup,\"x\"\"y\",,1.5,NaN\n");
    }

    #[test]
    fn matrix_one_row_per_sample_and_scalars() {
        let a = Labels::from_pairs([("job", "a")]);
        let s = [Sample { t: 0, v: 1.0 }, Sample { t: 60_000, v: 2.0 }];
        let m = ResultView::Matrix(vec![MatrixRow { labels: &a, samples: &s }]);
        assert_eq!(to_csv(&m), "job,timestamp,value\na,0,1\na,60,2\n");
        assert_eq!(to_csv(&ResultView::Scalar { t: 5000, v: 0.5 }), "timestamp,value\n5,0.5\n");
    }
}
