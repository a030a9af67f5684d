//! The app's plain, non-reactive model: the user's texts, the store loaded from the data text and
//! the outcome of the last run. Components only render it; this file holds the logic so it can be
//! unit-tested natively without a browser.

use crate::rfc3339::format_rfc3339_ms;

/// File name of the pre-filled data, shown next to the editor.
pub const SAMPLE_NAME: &str = "blackbox_probe_http_2xx.prom";
/// One real blackbox_exporter probe response, byte for byte (see www/samples/). Embedded so the
/// first load is a single request.
pub const SAMPLE_DATA: &str = include_str!("../../../www/samples/blackbox_probe_http_2xx.prom");
/// Returns four of the five per-phase durations in `SAMPLE_DATA`.
pub const SAMPLE_QUERY: &str = r#"probe_http_duration_seconds{phase!="tls"}"#;

/// Everything the UI shows and edits.
#[derive(Debug)]
pub struct AppState {
    pub data_text: String,
    pub query_text: String,
    /// The store built from `data_text` the last time it parsed; reused while the text is
    /// unchanged so re-running a query keeps the same scrape time.
    loaded: Option<Loaded>,
    /// The evaluation (and scrape) time of a chosen dataset: its queries are written for that
    /// instant. `None` for pasted data: scraped now, evaluated at the newest sample.
    pinned_time_ms: Option<i64>,
    /// The engine's value of the last successful run, kept for export (the table holds text).
    last: Option<(engine::QueryResult, i64)>,
    pub output: Output,
}

#[derive(Debug)]
struct Loaded {
    text: String,
    db: tsdb::Storage,
    samples: usize,
    eval_time_ms: i64,
    /// Which pinned time it was loaded with: choosing a dataset with the same text but another
    /// time must reload.
    pinned_time_ms: Option<i64>,
    /// Computed once per load: the store's own statistics, shown as they are.
    cardinality: tsdb::Cardinality,
}

/// How many entries each cardinality list shows, as the TSDB status page does.
pub const CARDINALITY_TOP: usize = 10;

/// What the last run produced, ready to render.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Output {
    /// `line:col: message` for the data pane.
    pub data_error: Option<String>,
    /// `line:col: message` (parse errors) or a plain message (execution errors).
    pub query_error: Option<String>,
    pub data_summary: Option<DataSummary>,
    pub result: Option<ResultView>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct DataSummary {
    pub samples: usize,
    pub eval_time_ms: i64,
}

impl DataSummary {
    pub fn eval_time_rfc3339(&self) -> String {
        format_rfc3339_ms(self.eval_time_ms)
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct ResultView {
    /// `N series`, `scalar` or `string`.
    pub count_text: String,
    pub rows: Vec<Row>,
    pub warnings: Vec<String>,
    pub infos: Vec<String>,
}

/// One table row: the label set as Prometheus prints it, and the value(s).
#[derive(Clone, Debug, PartialEq)]
pub struct Row {
    pub labels: String,
    pub value: String,
}

impl Default for AppState {
    fn default() -> Self {
        AppState::new(SAMPLE_DATA, SAMPLE_QUERY)
    }
}

impl AppState {
    pub fn new(data_text: &str, query_text: &str) -> Self {
        AppState {
            data_text: data_text.to_string(),
            query_text: query_text.to_string(),
            loaded: None,
            pinned_time_ms: None,
            last: None,
            output: Output::default(),
        }
    }

    /// Replaces the data with a dataset's text, pinned to the dataset's evaluation time, and
    /// runs. The query is left to the caller.
    pub fn load_dataset(&mut self, text: String, time_ms: i64) {
        self.data_text = text;
        self.pinned_time_ms = Some(time_ms);
        self.run(time_ms);
    }

    /// Statistics of the loaded data (none while the data does not parse).
    pub fn cardinality(&self) -> Option<&tsdb::Cardinality> {
        self.loaded.as_ref().map(|l| &l.cardinality)
    }

    /// The last result as CSV (`formats::export::to_csv`), if there is one.
    pub fn export_csv(&self) -> Option<String> {
        let (res, t) = self.last.as_ref()?;
        Some(formats::export::to_csv(&export_view(&res.value, *t)))
    }

    /// The last result as the Prometheus API's `/api/v1/query` body, annotations included.
    pub fn export_json(&self) -> Option<String> {
        let (res, t) = self.last.as_ref()?;
        Some(formats::export::api_success(&export_view(&res.value, *t), &res.warnings, &res.infos))
    }

    /// Loads the data (if its text changed since the last successful load) as one scrape taken at
    /// `now_ms`, then evaluates the query at the scrape time. Never touches the user's texts.
    pub fn run(&mut self, now_ms: i64) {
        self.last = None;
        if let Err(message) = self.ensure_loaded(now_ms) {
            self.output = Output { data_error: Some(message), ..Output::default() };
            return;
        }
        let Some(loaded) = &self.loaded else {
            return;
        };
        let data_summary = Some(DataSummary { samples: loaded.samples, eval_time_ms: loaded.eval_time_ms });
        let opts = engine::Options::default();
        self.output = match engine::instant_query(&loaded.db, &self.query_text, loaded.eval_time_ms, &opts) {
            Ok(res) => {
                let view = ResultView::from_query(&res);
                self.last = Some((res, loaded.eval_time_ms));
                Output { data_summary, result: Some(view), ..Output::default() }
            }
            Err(e) => Output { data_summary, query_error: Some(e.to_string()), ..Output::default() },
        };
    }

    fn ensure_loaded(&mut self, now_ms: i64) -> Result<(), String> {
        if self.loaded.as_ref().is_some_and(|l| l.text == self.data_text && l.pinned_time_ms == self.pinned_time_ms) {
            return Ok(());
        }
        self.loaded = None;
        let exp = formats::parse_auto(&self.data_text).map_err(|e| e.to_string())?;
        let scrape_time = self.pinned_time_ms.unwrap_or(now_ms);
        let mut db = tsdb::Storage::new();
        let samples = db.load_exposition(&exp, scrape_time).map_err(|e| e.to_string())?;
        // A dataset is evaluated at its manifest time (ACME's is 5 s after its last sample, so
        // the newest sample would be the wrong instant). Otherwise samples without a timestamp
        // were scraped "now"; explicit timestamps are kept by the store, so evaluating at the
        // newest effective sample time sees every series.
        let eval_time_ms = self.pinned_time_ms.unwrap_or_else(|| {
            exp.samples.iter().map(|s| s.timestamp_ms.unwrap_or(now_ms)).max().unwrap_or(now_ms)
        });
        let cardinality = db.cardinality(CARDINALITY_TOP);
        self.loaded = Some(Loaded {
            text: self.data_text.clone(),
            db,
            samples,
            eval_time_ms,
            pinned_time_ms: self.pinned_time_ms,
            cardinality,
        });
        Ok(())
    }
}

impl ResultView {
    fn from_query(res: &engine::QueryResult) -> Self {
        let (count_text, rows) = match &res.value {
            engine::Value::Vector(v) => (
                series_count(v.len()),
                v.iter()
                    .map(|s| Row { labels: s.labels.to_string(), value: model::format_prom_float(s.v) })
                    .collect(),
            ),
            engine::Value::Matrix(m) => (
                series_count(m.len()),
                m.iter()
                    .map(|s| Row { labels: s.labels.to_string(), value: matrix_values(&s.samples) })
                    .collect(),
            ),
            engine::Value::Scalar(v) => {
                ("scalar".to_string(), vec![Row { labels: "scalar".to_string(), value: model::format_prom_float(*v) }])
            }
            engine::Value::String(s) => {
                ("string".to_string(), vec![Row { labels: "string".to_string(), value: s.clone() }])
            }
        };
        ResultView { count_text, rows, warnings: res.warnings.clone(), infos: res.infos.clone() }
    }
}

/// Borrows the engine's value in the shape `formats::export` writes (formats does not know the
/// engine); scalars and strings carry the evaluation time as the API prints them.
fn export_view(value: &engine::Value, t: i64) -> formats::export::ResultView<'_> {
    use formats::export::{MatrixRow, ResultView as View, VectorRow};
    match value {
        engine::Value::Scalar(v) => View::Scalar { t, v: *v },
        engine::Value::String(s) => View::String { t, s },
        engine::Value::Vector(v) => View::Vector(v.iter().map(|s| VectorRow { labels: &s.labels, t: s.t, v: s.v }).collect()),
        engine::Value::Matrix(m) => {
            View::Matrix(m.iter().map(|s| MatrixRow { labels: &s.labels, samples: &s.samples }).collect())
        }
    }
}

fn series_count(n: usize) -> String {
    format!("{n} series")
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
    use super::*;

    const NOW: i64 = 1_795_278_871_000;

    #[test]
    fn sample_query_returns_rows_at_scrape_time() {
        let mut s = AppState::default();
        s.run(NOW);
        assert_eq!(s.output.data_error, None);
        assert_eq!(s.output.query_error, None);
        let summary = s.output.data_summary.clone();
        assert_eq!(summary.map(|d| d.eval_time_ms), Some(NOW));
        let res = s.output.result.clone();
        let rows = res.as_ref().map(|r| r.rows.clone()).unwrap_or_default();
        assert_eq!(res.map(|r| r.count_text), Some("4 series".to_string()));
        assert_eq!(rows[0].labels, r#"probe_http_duration_seconds{phase="connect"}"#);
        assert_eq!(rows[0].value, "0.00021197");
    }

    #[test]
    fn rerun_keeps_the_scrape_time_until_the_data_changes() {
        let mut s = AppState::default();
        s.run(NOW);
        s.query_text = "probe_success".to_string();
        s.run(NOW + 5_000);
        assert_eq!(s.output.data_summary.as_ref().map(|d| d.eval_time_ms), Some(NOW));
        s.data_text.push_str("\nextra_metric 1\n");
        s.run(NOW + 9_000);
        assert_eq!(s.output.data_summary.as_ref().map(|d| d.eval_time_ms), Some(NOW + 9_000));
    }

    #[test]
    fn explicit_timestamps_set_the_evaluation_time() {
        let mut s = AppState::new("a 1 1000\na 2 2000\nb 3 1500\n", "a");
        s.run(NOW);
        assert_eq!(s.output.data_summary.as_ref().map(|d| d.eval_time_ms), Some(2000));
        let rows = s.output.result.map(|r| r.rows).unwrap_or_default();
        assert_eq!(rows.len(), 1);
        assert_eq!(rows[0].value, "2");
    }

    #[test]
    fn bad_data_reports_line_and_keeps_texts() {
        let data = "ok_metric 1\nbad_metric{ 1\n";
        let mut s = AppState::new(data, "ok_metric");
        s.run(NOW);
        let err = s.output.data_error.clone().unwrap_or_default();
        assert!(err.starts_with("2:"), "{err}");
        assert_eq!(s.output.result, None);
        assert_eq!(s.data_text, data);
        assert_eq!(s.query_text, "ok_metric");
    }

    #[test]
    fn bad_query_reports_position_and_keeps_texts() {
        let mut s = AppState::new(SAMPLE_DATA, "probe_success{");
        s.run(NOW);
        let err = s.output.query_error.clone().unwrap_or_default();
        assert!(err.starts_with("1:"), "{err}");
        assert_eq!(s.output.data_error, None);
        assert_eq!(s.query_text, "probe_success{");
    }

    #[test]
    fn dataset_is_evaluated_at_its_manifest_time() {
        let text = include_str!("../../../www/datasets/acme-beverages.prom");
        let mut s = AppState::new("", "max(beverages_consumed_total)");
        s.load_dataset(text.to_string(), 1_700_000_605_000);
        assert_eq!(s.output.data_error, None);
        assert_eq!(s.output.data_summary.as_ref().map(|d| d.eval_time_ms), Some(1_700_000_605_000));
        let rows = s.output.result.clone().map(|r| r.rows).unwrap_or_default();
        assert_eq!(rows.len(), 1);
        assert_eq!(rows[0].value, "40172");
        assert_eq!(s.cardinality().map(|c| c.num_series), Some(3));
        let csv = s.export_csv().unwrap_or_default();
        assert!(csv.lines().count() == 2, "{csv}");
        let json = s.export_json().unwrap_or_default();
        assert!(json.starts_with(r#"{"status":"success","data":{"resultType":"vector""#), "{json}");
    }

    #[test]
    fn no_export_or_cardinality_after_bad_data() {
        let mut s = AppState::new("bad{ 1\n", "bad");
        s.run(NOW);
        assert!(s.export_csv().is_none());
        assert!(s.export_json().is_none());
        assert!(s.cardinality().is_none());
    }

    #[test]
    fn seconds_formatting() {
        assert_eq!(format_seconds(1_700_000_000_000), "1700000000");
        assert_eq!(format_seconds(1_700_000_000_500), "1700000000.5");
        assert_eq!(format_seconds(1_700_000_000_012), "1700000000.012");
    }
}
