//! The page's plain, non-reactive model: the user's texts, what the worker holds, the request in
//! flight and the last reply, ready to render. Components only render it; the logic is here so it
//! can be unit-tested natively without a browser or a worker.

use protocol::{
    AnalyzeRequest, Analysis, DataSummary, ExportFormat, LoadRequest, QueryRequest, RangeInput, Request, RequestBody,
    ResultView, RunReply, RunRequest,
};

use crate::timefmt::{format_duration_ms, format_rfc3339_ms};

mod lesson;
mod own_lessons;
mod relabel;
pub use lesson::{parse_time_ms, CatalogEntry, ExerciseProgress, ExerciseView, LessonSource, LessonState, OpenLesson, Parsed, Progress};
pub use own_lessons::{OwnExercise, OwnLesson, OwnLessons};
pub use relabel::{RelabelKind, RelabelState};
pub mod remote;

/// File name of the pre-filled data, shown next to the editor.
pub const SAMPLE_NAME: &str = "blackbox_probe_http_2xx.prom";
/// One real blackbox_exporter probe response, byte for byte (see www/samples/). Embedded so the
/// first load is a single request.
pub const SAMPLE_DATA: &str = include_str!("../../../www/samples/blackbox_probe_http_2xx.prom");
/// Returns four of the five per-phase durations in `SAMPLE_DATA`.
pub const SAMPLE_QUERY: &str = r#"probe_http_duration_seconds{phase!="tls"}"#;

/// Data texts above this size are shown as a preview of their first lines: a browser lays out
/// a textarea's whole text, which takes tens of seconds for the 63 MB capture.
pub const LARGE_TEXT_BYTES: usize = 2_000_000;
/// How many lines the preview of a large text shows.
pub const PREVIEW_LINES: usize = 1000;

/// The result views; a query runs as instant (table) or range (graph) by the tab it runs on.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Tab {
    #[default]
    Table,
    Graph,
    /// The query as a tree of evaluated nodes (instant, like the table).
    Explain,
}

/// Everything the UI shows and edits.
#[derive(Debug)]
pub struct AppState {
    pub data_text: String,
    pub query_text: String,
    pub tab: Tab,
    /// The instant query's evaluation time as typed; empty for the data's own.
    pub time_text: String,
    /// The range query's end, range and step as typed; empty fields are chosen from the data.
    pub range: RangeInput,
    /// Bumped on every edit of the data, so a run knows whether the worker's copy is current
    /// without keeping a second copy of a possibly large text.
    data_version: u64,
    /// The data version (and pinned time) the worker holds; `None` after a failed load or a
    /// restart of the worker.
    worker_has: Option<(u64, Option<i64>)>,
    /// The evaluation (and scrape) time of a chosen dataset: its queries are written for that
    /// instant. `None` for pasted data: scraped now, evaluated at the newest sample.
    pinned_time_ms: Option<i64>,
    next_id: u32,
    /// The run in flight: its id, and whether it sends the data (a load that must be redone if
    /// the run is cancelled).
    pub running: Option<u32>,
    /// The running request's last progress report.
    pub progress: Option<protocol::ProgressView>,
    /// An export in flight and its format.
    pending_export: Option<(u32, ExportFormat)>,
    pub output: Output,
    /// The editor's view of the query: highlighting, parse error, completions. Only the reply to
    /// the newest request is kept.
    pub analysis: Option<Analysis>,
    analyze_pending: Option<u32>,
    /// The highlighted completion while the list is open.
    pub completion_index: usize,
    /// Recent queries, newest first.
    pub history: Vec<String>,
    /// The user chose to edit a large text in full despite the cost.
    pub data_editing_all: bool,
    pub relabel: RelabelState,
    /// The Lessons view (workshop mode).
    pub lesson: LessonState,
    /// The Remote view: the server, the import, the comparison.
    pub remote: remote::RemoteState,
    /// The Explain tab and the histogram_quantile explainer.
    pub explain: crate::explain_state::ExplainModel,
}

/// What the last run produced, ready to render.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Output {
    /// `line:col: message` for the data pane.
    pub data_error: Option<String>,
    /// `line:col: message` (parse errors) or a plain message (execution errors, limits).
    pub query_error: Option<String>,
    pub data_summary: Option<DataSummary>,
    pub result: Option<ResultView>,
    /// How long the worker took for the last run.
    pub elapsed_ms: Option<f64>,
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
            tab: Tab::Table,
            time_text: String::new(),
            range: RangeInput::default(),
            data_version: 0,
            worker_has: None,
            pinned_time_ms: None,
            next_id: 1,
            running: None,
            progress: None,
            pending_export: None,
            output: Output::default(),
            analysis: None,
            analyze_pending: None,
            completion_index: 0,
            history: Vec::new(),
            data_editing_all: false,
            relabel: RelabelState::default(),
            lesson: LessonState::default(),
            remote: Default::default(),
            explain: Default::default(),
        }
    }

    /// The request for the editor's analysis of the query, the caret at `cursor` (bytes).
    pub fn begin_analyze(&mut self, cursor: usize) -> Request {
        let id = self.take_id();
        self.analyze_pending = Some(id);
        Request { id, body: RequestBody::Analyze(AnalyzeRequest { query: self.query_text.clone(), cursor }) }
    }

    /// The request for the formatted query.
    pub fn begin_format(&mut self, query: String) -> Request {
        Request { id: self.take_id(), body: RequestBody::Format(query) }
    }

    /// Keeps the analysis if it answers the newest request.
    pub fn finish_analyze(&mut self, id: u32, mut analysis: Analysis) {
        if self.analyze_pending == Some(id) {
            self.analyze_pending = None;
            self.completion_index = 0;
            self.remote.add_completions(&mut analysis);
            self.analysis = Some(analysis);
        }
    }

    /// Closes the completion list (Escape, a run, a click elsewhere).
    pub fn close_completions(&mut self) {
        if let Some(a) = &mut self.analysis {
            a.completions.clear();
        }
    }

    pub fn completions_open(&self) -> bool {
        self.analysis.as_ref().is_some_and(|a| !a.completions.is_empty())
    }

    /// Pasted or typed data: scraped now, no pinned time.
    pub fn set_data_text(&mut self, text: String) {
        self.data_text = text;
        self.data_version += 1;
        self.data_editing_all = false;
    }

    /// Replaces the data with a dataset's text, pinned to the dataset's evaluation time.
    pub fn set_dataset(&mut self, text: String, time_ms: i64) {
        self.set_data_text(text);
        self.pinned_time_ms = Some(time_ms);
    }

    /// Whether the data pane shows a preview instead of the whole (large) text.
    pub fn data_previewed(&self) -> bool {
        self.data_text.len() > LARGE_TEXT_BYTES && !self.data_editing_all
    }

    /// What the data editor holds: the whole text, or the first lines of a large one.
    pub fn data_editor_text(&self) -> &str {
        if !self.data_previewed() {
            return &self.data_text;
        }
        let end = self.data_text.match_indices('\n').nth(PREVIEW_LINES - 1).map_or(self.data_text.len(), |(i, _)| i + 1);
        &self.data_text[..end]
    }

    /// The evaluation time a chosen dataset pins, if one is loaded.
    pub fn pinned_time_ms(&self) -> Option<i64> {
        self.pinned_time_ms
    }

    fn take_id(&mut self) -> u32 {
        let id = self.next_id;
        self.next_id = self.next_id.wrapping_add(1).max(1);
        id
    }

    /// The request for a press of Run: the data goes along only when the worker lacks it.
    /// A run started while another is in flight supersedes it (its reply is ignored).
    pub fn begin_run(&mut self, now_ms: i64) -> Request {
        let current = (self.data_version, self.pinned_time_ms);
        let load = (self.worker_has != Some(current)).then(|| LoadRequest {
            text: self.data_text.clone(),
            scrape_time_ms: self.pinned_time_ms.unwrap_or(now_ms),
            eval_time_ms: self.pinned_time_ms,
        });
        // Optimistic: a failed load is recorded when its reply comes.
        self.worker_has = Some(current);
        let id = self.take_id();
        self.running = Some(id);
        self.progress = None;
        let query = QueryRequest {
            query: self.query_text.clone(),
            time: self.time_text.clone(),
            range: (self.tab == Tab::Graph).then(|| self.range.clone()),
        };
        Request { id, body: RequestBody::Run(RunRequest { load, query }) }
    }

    /// Keeps the running request's progress; reports of superseded runs are dropped.
    pub fn set_progress(&mut self, id: u32, progress: protocol::ProgressView) {
        if self.running == Some(id) {
            self.progress = Some(progress);
        }
    }

    /// Takes a run's reply; replies to superseded runs are dropped.
    pub fn finish_run(&mut self, id: u32, reply: RunReply) {
        if self.running != Some(id) {
            return;
        }
        self.running = None;
        self.progress = None;
        let mut out = Output { elapsed_ms: Some(reply.elapsed_ms), ..Output::default() };
        match reply.load {
            Some(Ok(summary)) => out.data_summary = Some(summary),
            Some(Err(e)) => {
                self.worker_has = None;
                out.data_error = Some(e);
            }
            // The worker kept the data of an earlier run.
            None => out.data_summary = self.output.data_summary.take(),
        }
        match reply.result {
            Some(Ok(view)) => {
                crate::editor::remember(&mut self.history, &self.query_text);
                out.result = Some(view);
            }
            Some(Err(e)) => out.query_error = Some(e),
            None => {}
        }
        self.output = out;
    }

    /// A fresh worker replaced the one that held the data (not an error: nothing was running
    /// that the next run does not redo).
    pub fn worker_replaced(&mut self) {
        self.worker_has = None;
    }

    /// The worker was stopped (Cancel) or died: it holds no data any more, and the run in flight
    /// ends with `why`.
    pub fn worker_lost(&mut self, why: &str) {
        self.worker_has = None;
        self.pending_export = None;
        self.lesson_lost(why);
        if self.running.take().is_some() {
            self.output.query_error = Some(why.to_string());
            self.output.result = None;
        }
    }

    /// The request for an export of the last result.
    pub fn begin_export(&mut self, format: ExportFormat) -> Request {
        let id = self.take_id();
        self.pending_export = Some((id, format));
        Request { id, body: RequestBody::Export(format) }
    }

    /// The format of the export this reply answers, if it is the one awaited.
    pub fn finish_export(&mut self, id: u32) -> Option<ExportFormat> {
        match self.pending_export {
            Some((pending, format)) if pending == id => {
                self.pending_export = None;
                Some(format)
            }
            _ => None,
        }
    }

    /// The data pane's one-line summary of what was loaded.
    pub fn data_summary_text(&self) -> Option<String> {
        self.output.data_summary.as_ref().map(summary_text)
    }
}

fn summary_text(d: &DataSummary) -> String {
    let noun = if d.samples == 1 { "sample" } else { "samples" };
    match (d.scrapes, d.timestamped) {
        (1, false) => format!("{} {noun} loaded as one scrape", d.samples),
        (0, _) => format!("{} {noun} with their own timestamps", d.samples),
        (n, stamped) => format!(
            "{} {noun} in {n} scrapes {} s apart{}",
            d.samples,
            d.scrape_interval_ms / 1000,
            if stamped { ", some with their own timestamps" } else { "" }
        ),
    }
}

/// The evaluation time as RFC 3339, for the results header.
pub fn eval_time_text(d: &DataSummary) -> String {
    format_rfc3339_ms(d.eval_time_ms)
}

/// What the time controls show when left empty: the values the last result actually used, as
/// (evaluation time or end, range, step).
pub fn effective_times(r: &ResultView) -> (String, String, String) {
    match r.range {
        Some(s) => (
            format_rfc3339_ms(s.end_ms),
            format_duration_ms(s.end_ms - s.start_ms),
            format_duration_ms(s.step_ms),
        ),
        None => (format_rfc3339_ms(r.time_ms), String::new(), String::new()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use protocol::{Cardinality, ProgressView};

    const NOW: i64 = 1_795_278_871_000;

    fn summary(samples: usize, scrapes: usize, timestamped: bool) -> DataSummary {
        DataSummary {
            samples,
            eval_time_ms: NOW,
            min_time_ms: None,
            max_time_ms: None,
            scrapes,
            scrape_interval_ms: 15_000,
            timestamped,
            cardinality: Cardinality {
                num_series: 0,
                num_samples: samples,
                num_label_pairs: 0,
                memory_total_bytes: 0,
                series_count_by_metric_name: Vec::new(),
                label_value_count_by_label_name: Vec::new(),
                series_count_by_label_value_pair: Vec::new(),
            },
        }
    }

    fn load_of(req: &Request) -> Option<&LoadRequest> {
        match &req.body {
            RequestBody::Run(r) => r.load.as_ref(),
            _ => None,
        }
    }

    #[test]
    fn data_is_sent_once_until_it_changes() {
        let mut s = AppState::default();
        let first = s.begin_run(NOW);
        assert_eq!(load_of(&first).map(|l| (l.text.as_str(), l.scrape_time_ms)), Some((SAMPLE_DATA, NOW)));
        s.finish_run(first.id, RunReply { load: Some(Ok(summary(5, 1, false))), ..RunReply::default() });
        let again = s.begin_run(NOW + 5_000);
        assert!(load_of(&again).is_none());
        s.set_data_text("up 1\n".to_string());
        assert_eq!(load_of(&s.begin_run(NOW + 9_000)).map(|l| l.scrape_time_ms), Some(NOW + 9_000));
    }

    #[test]
    fn a_failed_load_is_resent() {
        let mut s = AppState::new("bad{ 1\n", "bad");
        let req = s.begin_run(NOW);
        s.finish_run(req.id, RunReply { load: Some(Err("1:5: bad".to_string())), ..RunReply::default() });
        assert_eq!(s.output.data_error.as_deref(), Some("1:5: bad"));
        assert_eq!(s.data_text, "bad{ 1\n");
        assert!(load_of(&s.begin_run(NOW)).is_some());
    }

    #[test]
    fn a_superseded_reply_is_dropped_and_the_summary_kept() {
        let mut s = AppState::default();
        let first = s.begin_run(NOW);
        let second = s.begin_run(NOW);
        s.finish_run(first.id, RunReply { load: Some(Err("stale".to_string())), ..RunReply::default() });
        assert_eq!(s.output.data_error, None);
        assert_eq!(s.running, Some(second.id));
        s.finish_run(second.id, RunReply { load: Some(Ok(summary(5, 1, false))), ..RunReply::default() });
        let third = s.begin_run(NOW);
        s.finish_run(third.id, RunReply::default());
        assert_eq!(s.output.data_summary.as_ref().map(|d| d.samples), Some(5));
    }

    #[test]
    fn progress_belongs_to_the_running_request() {
        let view = |node: Option<&str>, done| ProgressView { node: node.map(str::to_string), done, total: 10 };
        let mut s = AppState::default();
        let first = s.begin_run(NOW);
        let second = s.begin_run(NOW);
        s.set_progress(first.id, view(Some("stale"), 1));
        assert_eq!(s.progress, None);
        s.set_progress(second.id, view(Some("rate(x[5m])"), 5));
        assert_eq!(s.progress.as_ref().map(ProgressView::text).as_deref(), Some("rate(x[5m]) 50%"));
        s.finish_run(second.id, RunReply::default());
        assert_eq!(s.progress, None);
    }

    #[test]
    fn cancel_forgets_the_workers_data() {
        let mut s = AppState::default();
        let req = s.begin_run(NOW);
        s.worker_lost("Cancelled");
        assert_eq!(s.output.query_error.as_deref(), Some("Cancelled"));
        assert_eq!(s.running, None);
        s.finish_run(req.id, RunReply::default());
        assert_eq!(s.output.query_error.as_deref(), Some("Cancelled"));
        assert!(load_of(&s.begin_run(NOW)).is_some());
    }

    #[test]
    fn datasets_pin_their_time() {
        let mut s = AppState::default();
        s.set_dataset("a 1\n".to_string(), 1_700_000_605_000);
        let req = s.begin_run(NOW);
        let load = load_of(&req).cloned();
        assert_eq!(
            load.map(|l| (l.scrape_time_ms, l.eval_time_ms)),
            Some((1_700_000_605_000, Some(1_700_000_605_000)))
        );
    }

    #[test]
    fn the_graph_tab_runs_a_range_query() {
        let mut s = AppState::default();
        let query = |req: &Request| match &req.body {
            RequestBody::Run(r) => r.query.clone(),
            _ => QueryRequest::default(),
        };
        assert_eq!(query(&s.begin_run(NOW)).range, None);
        s.tab = Tab::Graph;
        s.range.step = "30s".to_string();
        s.time_text = "1700000000".to_string();
        let q = query(&s.begin_run(NOW));
        assert_eq!(q.range.map(|r| r.step), Some("30s".to_string()));
        assert_eq!(q.time, "1700000000");
    }

    #[test]
    fn only_the_newest_analysis_is_kept() {
        let mut s = AppState::default();
        let old = s.begin_analyze(1);
        let new = s.begin_analyze(2);
        let a = |n: usize| Analysis { completion_from: n, ..Analysis::default() };
        s.finish_analyze(old.id, a(1));
        assert_eq!(s.analysis, None);
        s.finish_analyze(new.id, a(2));
        assert_eq!(s.analysis.as_ref().map(|a| a.completion_from), Some(2));
    }

    #[test]
    fn a_successful_run_remembers_the_query() {
        let mut s = AppState::new("up 1\n", "up");
        let req = s.begin_run(NOW);
        s.finish_run(req.id, RunReply { result: Some(Err("bad".to_string())), ..RunReply::default() });
        assert!(s.history.is_empty());
        let req = s.begin_run(NOW);
        let view = ResultView {
            result_type: "vector".to_string(),
            rows: Vec::new(),
            warnings: Vec::new(),
            infos: Vec::new(),
            time_ms: NOW,
            range: None,
        };
        s.finish_run(req.id, RunReply { result: Some(Ok(view)), ..RunReply::default() });
        assert_eq!(s.history, ["up"]);
    }

    #[test]
    fn large_texts_are_previewed() {
        let line = "metric_with_a_long_name{label=\"value\"} 1\n";
        let big = line.repeat(LARGE_TEXT_BYTES / line.len() + 1);
        let mut s = AppState::default();
        assert!(!s.data_previewed());
        assert_eq!(s.data_editor_text(), SAMPLE_DATA);
        s.set_dataset(big.clone(), NOW);
        assert!(s.data_previewed());
        assert_eq!(s.data_editor_text().lines().count(), PREVIEW_LINES);
        // The whole text still goes to the worker.
        assert_eq!(load_of(&s.begin_run(NOW)).map(|l| l.text.len()), Some(big.len()));
        s.data_editing_all = true;
        assert_eq!(s.data_editor_text().len(), big.len());
    }

    #[test]
    fn exports_match_their_reply() {
        let mut s = AppState::default();
        let req = s.begin_export(ExportFormat::Csv);
        assert_eq!(s.finish_export(req.id + 1), None);
        assert_eq!(s.finish_export(req.id), Some(ExportFormat::Csv));
        assert_eq!(s.finish_export(req.id), None);
    }

    #[test]
    fn summary_wording() {
        assert_eq!(summary_text(&summary(1, 1, false)), "1 sample loaded as one scrape");
        assert_eq!(summary_text(&summary(40, 0, true)), "40 samples with their own timestamps");
        assert_eq!(summary_text(&summary(9, 3, false)), "9 samples in 3 scrapes 15 s apart");
    }
}
