//! Remote mode's part of the model: the server and the credentials (in memory only: neither the
//! saved workspace nor a link carries them, see `workspace.rs`), the connection, the server's
//! names for completion, the import form and its progress, and the last comparison. A child of
//! `state` so a committed import can tell the query runs that the worker already holds the data
//! pane's new text.

use protocol::{
    Analysis, CompareReply, Completion, CompletionContext, ImportCommitted, ImportProgress, QueryRequest, RangeInput,
    ResultView,
};

use super::AppState;
use crate::remote_api::{self, api_time, query_string, ImportPlan};

/// How the page authenticates to the server.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum AuthKind {
    #[default]
    None,
    Bearer,
    Basic,
}

/// Where requests go and the headers each carries.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Server {
    pub base: String,
    pub authorization: Option<String>,
    /// Mimir's and Cortex's `X-Scope-OrgID`.
    pub tenant: Option<String>,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub enum Connection {
    #[default]
    Idle,
    Connecting,
    /// `what` says what answered (`Prometheus 2.42.0`).
    Connected { server: Server, what: String },
    Failed(String),
}

/// The server's metric names, label names and (asked for one label at a time) label values.
#[derive(Clone, Debug, Default)]
pub struct Vocabulary {
    pub metrics: Vec<String>,
    pub labels: Vec<String>,
    pub values: Vec<(String, Vec<String>)>,
    /// A label whose values the editor wants and that were not asked for yet.
    pub wanted: Option<String>,
    asked: Vec<String>,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub enum ImportStatus {
    #[default]
    Idle,
    Running {
        cancelling: bool,
    },
    Done(String),
    /// Failed or cancelled: the store and the data pane are as they were.
    Failed(String),
}

#[derive(Clone, Debug, Default, PartialEq)]
pub enum CompareStatus {
    #[default]
    Idle,
    Running(&'static str),
    /// The reply, and what was compared (`at 2023-…` or `from … to … step …`).
    Done(Box<CompareReply>, String),
    Failed(String),
}

#[derive(Debug)]
pub struct RemoteState {
    /// The Remote view is shown instead of the Query view.
    pub shown: bool,
    pub url: String,
    pub auth: AuthKind,
    pub token: String,
    pub user: String,
    pub password: String,
    pub tenant: String,
    pub conn: Connection,
    /// Bumped by every Connect, so an older answer cannot overwrite a newer one.
    generation: u32,
    pub vocab: Vocabulary,
    pub selectors: String,
    /// `start`/`end` instead of the last `last`.
    pub use_range: bool,
    pub last: String,
    pub start: String,
    pub end: String,
    pub max_series: String,
    pub max_samples: String,
    /// How much time one request covers; empty for an hour.
    pub chunk: String,
    pub import: ImportStatus,
    /// The last import's counts (kept after it ends): staged so far, chunks done of all.
    pub counts: Option<(ImportProgress, usize, usize)>,
    pub tolerance: String,
    pub compare: CompareStatus,
}

impl Default for RemoteState {
    fn default() -> Self {
        RemoteState {
            shown: false,
            url: String::new(),
            auth: AuthKind::None,
            token: String::new(),
            user: String::new(),
            password: String::new(),
            tenant: String::new(),
            conn: Connection::Idle,
            generation: 0,
            vocab: Vocabulary::default(),
            selectors: String::new(),
            use_range: false,
            last: remote_api::DEFAULT_LAST.to_string(),
            start: String::new(),
            end: String::new(),
            max_series: String::new(),
            max_samples: String::new(),
            chunk: String::new(),
            import: ImportStatus::Idle,
            counts: None,
            tolerance: String::new(),
            compare: CompareStatus::Idle,
        }
    }
}

/// Values are compared with this relative tolerance when the field is empty.
pub const DEFAULT_TOLERANCE: f64 = 1e-9;
/// As many completions as the worker's list holds at most.
const MAX_COMPLETIONS: usize = 60;

impl RemoteState {
    /// Starts a Connect: the server to try (its base URL and headers), and the attempt's number;
    /// the server's names of an earlier connection are forgotten.
    pub fn begin_connect(&mut self) -> Result<(u32, Server), String> {
        self.generation = self.generation.wrapping_add(1);
        self.vocab = Vocabulary::default();
        let server = remote_api::base_url(&self.url).and_then(|base| {
            let tenant = model::tenant_header(&self.tenant)?;
            let authorization = match self.auth {
                AuthKind::None => None,
                AuthKind::Bearer if self.token.trim().is_empty() => None,
                AuthKind::Bearer => Some(format!("Bearer {}", self.token.trim())),
                AuthKind::Basic => Some(model::basic_auth(&self.user, &self.password)),
            };
            Ok(Server { base, authorization, tenant })
        });
        match server {
            Ok(server) => {
                self.conn = Connection::Connecting;
                Ok((self.generation, server))
            }
            Err(e) => {
                self.conn = Connection::Failed(e.clone());
                Err(e)
            }
        }
    }

    /// The answer to attempt `generation`; older attempts are ignored.
    pub fn finish_connect(&mut self, generation: u32, conn: Connection) -> bool {
        if generation != self.generation {
            return false;
        }
        self.conn = conn;
        true
    }

    /// Disconnect: the connection, the server's names and the secrets typed for it are
    /// forgotten, and an answer still on its way is ignored. The URL and the user name stay.
    pub fn disconnect(&mut self) {
        self.generation = self.generation.wrapping_add(1);
        self.vocab = Vocabulary::default();
        self.conn = Connection::Idle;
        self.token.clear();
        self.password.clear();
    }

    /// Where requests go, and with which headers, while connected.
    pub fn server(&self) -> Option<Server> {
        match &self.conn {
            Connection::Connected { server, .. } => Some(server.clone()),
            _ => None,
        }
    }

    pub fn generation(&self) -> u32 {
        self.generation
    }

    /// The import's requests and limits, from the form; `now_ms` ends a "last …" window.
    pub fn import_plan(&self, now_ms: i64) -> Result<(ImportPlan, usize, usize), String> {
        let (start, end) = remote_api::window(!self.use_range, &self.last, &self.start, &self.end, now_ms)?;
        let chunk = match self.chunk.trim() {
            "" => remote_api::CHUNK_MS,
            c => remote_api::parse_duration(c).map_err(|e| format!("chunk: {e}"))?,
        };
        let plan = remote_api::plan(&self.selectors, start, end, chunk)?;
        let series = remote_api::parse_limit(&self.max_series, remote_api::DEFAULT_MAX_SERIES, "max series")?;
        let samples = remote_api::parse_limit(&self.max_samples, remote_api::DEFAULT_MAX_SAMPLES, "max samples")?;
        Ok((plan, series, samples))
    }

    pub fn importing(&self) -> bool {
        matches!(self.import, ImportStatus::Running { .. })
    }

    /// The cancel button was pressed: the loop stops at its next step.
    pub fn cancel_requested(&self) -> bool {
        matches!(self.import, ImportStatus::Running { cancelling: true, .. })
    }

    /// `chunk 3 of 10 · 12 series · 4,800 samples`.
    pub fn progress_text(&self) -> Option<String> {
        let (p, done, total) = self.counts.as_ref()?;
        Some(format!(
            "{}chunk {done} of {total} · {} series · {} samples",
            if self.cancel_requested() { "cancelling… " } else { "" },
            thousands(p.series),
            thousands(p.samples)
        ))
    }

    /// The relative tolerance of a comparison.
    pub fn tolerance(&self) -> Result<f64, String> {
        let t = self.tolerance.trim();
        if t.is_empty() {
            return Ok(DEFAULT_TOLERANCE);
        }
        match t.parse::<f64>() {
            Ok(v) if v >= 0.0 && v.is_finite() => Ok(v),
            _ => Err(format!("tolerance: {t:?} is not a number ≥ 0 (e.g. 1e-9)")),
        }
    }

    /// Adds the server's names that fit the word at the caret to the worker's completions (after
    /// them, without repeating one). A label's values are asked for the first time they are
    /// wanted (`vocab.wanted`); the list is completed again when they come.
    pub fn add_completions(&mut self, a: &mut Analysis) {
        if self.server().is_none() {
            return;
        }
        // `closing`: values are quoted, and close a string not closed yet (as the worker's do).
        let (prefix, kind, names, closing) = match &a.context {
            CompletionContext::None => return,
            CompletionContext::Expression { prefix } => (prefix, "metric", &self.vocab.metrics, None),
            CompletionContext::LabelName { prefix } => (prefix, "label", &self.vocab.labels, None),
            CompletionContext::LabelValue { label, prefix, closing } if label == "__name__" => {
                (prefix, "value", &self.vocab.metrics, Some(closing))
            }
            CompletionContext::LabelValue { label, prefix, closing } => match self.vocab.values.iter().find(|(l, _)| l == label)
            {
                Some((_, values)) => (prefix, "value", values, Some(closing)),
                None => {
                    if !self.vocab.asked.contains(label) {
                        self.vocab.asked.push(label.clone());
                        self.vocab.wanted = Some(label.clone());
                    }
                    return;
                }
            },
        };
        for name in names.iter().filter(|n| n.starts_with(prefix.as_str()) && *n != "__name__") {
            if a.completions.len() >= MAX_COMPLETIONS {
                break;
            }
            let insert = match closing {
                Some(q) => format!("{}{q}", model::escape_quoted(name)),
                None => name.clone(),
            };
            if a.completions.iter().any(|c| c.insert == insert || c.label == *name) {
                continue;
            }
            a.completions.push(Completion {
                label: name.clone(),
                kind: kind.to_string(),
                detail: "on the server".to_string(),
                insert,
            });
        }
        // An exact match alone is no suggestion, unless choosing it closes the string (as the
        // worker's own list).
        if a.completions.len() == 1 && a.completions[0].label == *prefix && closing.is_none_or(|q| q.is_empty()) {
            a.completions.clear();
        }
    }
}

/// `4800` -> `4,800`.
pub fn thousands(n: usize) -> String {
    let s = n.to_string();
    let mut out = String::with_capacity(s.len() + s.len() / 3);
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

impl AppState {
    /// An id for a request the page builds itself (remote mode's).
    pub fn take_request_id(&mut self) -> u32 {
        self.take_id()
    }

    /// A committed import: the data pane shows its text and the worker already holds it (no
    /// reload on the next run); evaluated at the newest imported sample.
    pub fn imported(&mut self, c: ImportCommitted) {
        self.set_data_text(c.text);
        self.pinned_time_ms = None;
        self.worker_has = Some((self.data_version, None));
        self.output.data_error = None;
        self.output.data_summary = Some(c.summary);
    }
}

/// The local query of a comparison, pinned to the times the local run resolved (so both sides
/// answer the same question), and the server's API path for it with the same times.
pub fn compare_query(query: &str, local: &ResultView) -> (QueryRequest, String, String) {
    match local.range {
        Some(r) => {
            let q = QueryRequest {
                query: query.to_string(),
                time: String::new(),
                range: Some(RangeInput {
                    end: api_time(r.end_ms),
                    range: format!("{}ms", r.end_ms - r.start_ms),
                    step: format!("{}ms", r.step_ms),
                }),
            };
            let (start, end, step) = (api_time(r.start_ms), api_time(r.end_ms), api_time(r.step_ms));
            let path = format!(
                "/api/v1/query_range{}",
                query_string(&[("query", query), ("start", &start), ("end", &end), ("step", &step)])
            );
            let what = format!(
                "range query from {} to {} step {}",
                crate::timefmt::format_rfc3339_ms(r.start_ms),
                crate::timefmt::format_rfc3339_ms(r.end_ms),
                crate::timefmt::format_duration_ms(r.step_ms)
            );
            (q, path, what)
        }
        None => {
            let t = api_time(local.time_ms);
            let q = QueryRequest { query: query.to_string(), time: t.clone(), range: None };
            let path = format!("/api/v1/query{}", query_string(&[("query", query), ("time", &t)]));
            (q, path, format!("instant query at {}", crate::timefmt::format_rfc3339_ms(local.time_ms)))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use protocol::{Cardinality, DataSummary, RangeSpec, Request, RequestBody};

    fn connected() -> RemoteState {
        let mut r = RemoteState { url: "localhost:9090".into(), ..RemoteState::default() };
        let (g, server) = r.begin_connect().unwrap_or_default();
        r.finish_connect(g, Connection::Connected { server, what: "Prometheus 2.42.0".into() });
        r.vocab.metrics =
            vec!["up".into(), "process_cpu_seconds_total".into(), "prometheus_http_requests_total".into()];
        r.vocab.labels = vec!["__name__".into(), "code".into(), "job".into()];
        r
    }

    fn completion(label: &str, kind: &str) -> Completion {
        Completion { label: label.into(), kind: kind.into(), detail: String::new(), insert: label.into() }
    }

    fn labels(a: &Analysis) -> Vec<&str> {
        a.completions.iter().map(|c| c.label.as_str()).collect()
    }

    #[test]
    fn credentials_and_tenant_become_headers() {
        let mut r = RemoteState {
            url: "http://h:9090/".into(),
            auth: AuthKind::Bearer,
            token: " abc ".into(),
            ..RemoteState::default()
        };
        let server = |r: &mut RemoteState| r.begin_connect().map(|c| c.1);
        assert_eq!(
            server(&mut r),
            Ok(Server { base: "http://h:9090".into(), authorization: Some("Bearer abc".into()), tenant: None })
        );
        r.auth = AuthKind::Basic;
        r.user = "Aladdin".into();
        r.password = "open sesame".into();
        r.tenant = " team-a|team-b ".into();
        assert_eq!(
            server(&mut r).map(|s| (s.authorization, s.tenant)),
            Ok((Some("Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==".into()), Some("team-a|team-b".into())))
        );
        r.auth = AuthKind::None;
        r.tenant = String::new();
        assert_eq!(server(&mut r).map(|s| (s.authorization, s.tenant)), Ok((None, None)));
        // A tenant ID Mimir would refuse fails the Connect before any request.
        r.tenant = "team a".into();
        assert!(matches!(server(&mut r), Err(e) if e.starts_with("tenant: ' ' in")));
        assert!(matches!(r.conn, Connection::Failed(_)));
        r.tenant = String::new();
        r.url = String::new();
        assert!(server(&mut r).is_err());
        assert!(matches!(r.conn, Connection::Failed(_)));
    }

    #[test]
    fn disconnect_forgets_the_connection_its_names_and_secrets() {
        let mut r = connected();
        r.user = "me".into();
        r.password = "pw".into();
        r.token = "tok".into();
        let pending = r.generation();
        r.disconnect();
        assert_eq!((r.server(), &r.conn), (None, &Connection::Idle));
        assert!(r.vocab.metrics.is_empty() && r.vocab.labels.is_empty());
        assert_eq!((r.token.as_str(), r.password.as_str(), r.user.as_str()), ("", "", "me"));
        assert_eq!(r.url, "localhost:9090");
        // A Connect that was still on its way when the user disconnected changes nothing.
        assert!(!r.finish_connect(pending, Connection::Failed("late".into())));
        assert_eq!(r.conn, Connection::Idle);
        let mut a = Analysis { context: CompletionContext::Expression { prefix: "pro".into() }, ..Analysis::default() };
        r.add_completions(&mut a);
        assert!(a.completions.is_empty());
    }

    #[test]
    fn a_stale_connect_answer_is_dropped() {
        let mut r = RemoteState { url: "h:1".into(), ..RemoteState::default() };
        let (first, ..) = r.begin_connect().unwrap_or_default();
        let (second, ..) = r.begin_connect().unwrap_or_default();
        assert!(!r.finish_connect(first, Connection::Failed("old".into())));
        assert_eq!(r.conn, Connection::Connecting);
        assert!(r.finish_connect(second, Connection::Failed("new".into())));
        assert_eq!(r.server(), None);
    }

    #[test]
    fn server_names_are_added_after_the_workers() {
        let mut r = connected();
        let mut a = Analysis {
            completions: vec![completion("process_cpu_seconds_total", "metric")],
            context: CompletionContext::Expression { prefix: "pro".into() },
            ..Analysis::default()
        };
        r.add_completions(&mut a);
        assert_eq!(labels(&a), ["process_cpu_seconds_total", "prometheus_http_requests_total"]);
        assert_eq!(a.completions[1].detail, "on the server");
        // Label names: never __name__.
        let mut a = Analysis { context: CompletionContext::LabelName { prefix: String::new() }, ..Analysis::default() };
        r.add_completions(&mut a);
        assert_eq!(labels(&a), ["code", "job"]);
        // An exact match alone is no suggestion.
        let mut a = Analysis { context: CompletionContext::Expression { prefix: "up".into() }, ..Analysis::default() };
        r.add_completions(&mut a);
        assert!(a.completions.is_empty());
        // Not connected: nothing added.
        r.conn = Connection::Idle;
        let mut a = Analysis { context: CompletionContext::Expression { prefix: "pro".into() }, ..Analysis::default() };
        r.add_completions(&mut a);
        assert!(a.completions.is_empty());
    }

    #[test]
    fn label_values_are_asked_for_once_then_offered_quoted() {
        let mut r = connected();
        let ctx = CompletionContext::LabelValue { label: "job".into(), prefix: "p".into(), closing: String::new() };
        let mut a = Analysis { context: ctx.clone(), ..Analysis::default() };
        r.add_completions(&mut a);
        assert_eq!(r.vocab.wanted.take().as_deref(), Some("job"));
        r.add_completions(&mut a);
        assert_eq!(r.vocab.wanted, None, "asked once");
        r.vocab.values.push(("job".into(), vec!["node".into(), "prom\"x".into(), "prometheus".into()]));
        let mut a = Analysis { context: ctx, ..Analysis::default() };
        r.add_completions(&mut a);
        assert_eq!(labels(&a), ["prom\"x", "prometheus"]);
        assert_eq!(a.completions[0].insert, "prom\\\"x");
        // `__name__`'s values are the metric names.
        let mut a = Analysis {
            context: CompletionContext::LabelValue { label: "__name__".into(), prefix: "u".into(), closing: String::new() },
            ..Analysis::default()
        };
        r.add_completions(&mut a);
        assert_eq!(labels(&a), ["up"]);
        assert_eq!(a.completions[0].insert, "up");
        // In a string not closed yet, a value closes it; typed out in full, it is still offered.
        for prefix in ["u", "up"] {
            let mut a = Analysis {
                context: CompletionContext::LabelValue { label: "__name__".into(), prefix: prefix.into(), closing: "'".into() },
                ..Analysis::default()
            };
            r.add_completions(&mut a);
            assert_eq!(a.completions.iter().map(|c| c.insert.as_str()).collect::<Vec<_>>(), ["up'"], "{prefix}");
        }
    }

    #[test]
    fn import_plans_read_the_form() {
        let mut r = RemoteState { selectors: "up\n".into(), ..RemoteState::default() };
        let (plan, series, samples) = r.import_plan(7_200_000).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!((plan.start_ms, plan.end_ms, plan.chunks.len()), (3_600_000, 7_200_000, 1));
        assert_eq!((series, samples), (remote_api::DEFAULT_MAX_SERIES, remote_api::DEFAULT_MAX_SAMPLES));
        r.use_range = true;
        r.start = "0".into();
        r.end = "7200".into();
        r.max_series = "5".into();
        let (plan, series, _) = r.import_plan(0).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!((plan.chunks.len(), series), (2, 5));
        r.chunk = "10m".into();
        assert_eq!(r.import_plan(0).map(|p| p.0.chunks.len()), Ok(12));
        r.chunk = "often".into();
        assert!(r.import_plan(0).is_err_and(|e| e.starts_with("chunk: ")));
        r.chunk = String::new();
        r.max_samples = "lots".into();
        assert!(r.import_plan(0).is_err_and(|e| e.starts_with("max samples: ")));
    }

    #[test]
    fn progress_wording() {
        let mut r = RemoteState::default();
        assert_eq!(r.progress_text(), None);
        r.import = ImportStatus::Running { cancelling: false };
        r.counts = Some((ImportProgress { series: 12, samples: 4800, chunks: 3 }, 3, 10));
        assert_eq!(r.progress_text().as_deref(), Some("chunk 3 of 10 · 12 series · 4,800 samples"));
        r.import = ImportStatus::Running { cancelling: true };
        assert_eq!(r.progress_text().as_deref(), Some("cancelling… chunk 3 of 10 · 12 series · 4,800 samples"));
        assert_eq!(thousands(1_234_567), "1,234,567");
        assert_eq!(thousands(12), "12");
    }

    #[test]
    fn tolerance_field() {
        let mut r = RemoteState::default();
        assert_eq!(r.tolerance(), Ok(DEFAULT_TOLERANCE));
        r.tolerance = "1e-6".into();
        assert_eq!(r.tolerance(), Ok(1e-6));
        r.tolerance = "-1".into();
        assert!(r.tolerance().is_err());
    }

    #[test]
    fn compared_queries_use_the_local_runs_times() {
        let mut view = ResultView {
            result_type: "vector".into(),
            rows: Vec::new(),
            warnings: Vec::new(),
            infos: Vec::new(),
            time_ms: 1_700_000_000_500,
            range: None,
        };
        let (q, path, _) = compare_query("sum(up)", &view);
        assert_eq!((q.time.as_str(), q.range), ("1700000000.500", None));
        assert_eq!(path, "/api/v1/query?query=sum(up)&time=1700000000.500");
        view.range = Some(RangeSpec { start_ms: 1_700_000_000_000, end_ms: 1_700_003_600_000, step_ms: 14_000 });
        let (q, path, what) = compare_query("up", &view);
        assert_eq!(
            q.range,
            Some(RangeInput { end: "1700003600".into(), range: "3600000ms".into(), step: "14000ms".into() })
        );
        assert_eq!(path, "/api/v1/query_range?query=up&start=1700000000&end=1700003600&step=14");
        assert!(what.starts_with("range query from 2023-11-14T22:13:20.000Z"));
    }

    #[test]
    fn a_committed_import_is_what_the_worker_holds() {
        let mut s = AppState::default();
        let first = s.begin_run(0);
        s.finish_run(first.id, protocol::RunReply::default());
        let summary = DataSummary {
            samples: 2,
            eval_time_ms: 60_000,
            min_time_ms: Some(0),
            max_time_ms: Some(60_000),
            scrapes: 0,
            scrape_interval_ms: 0,
            timestamped: true,
            cardinality: Cardinality {
                num_series: 1,
                num_samples: 2,
                num_label_pairs: 1,
                memory_total_bytes: 0,
                series_count_by_metric_name: Vec::new(),
                label_value_count_by_label_name: Vec::new(),
                series_count_by_label_value_pair: Vec::new(),
            },
        };
        s.set_dataset("old 1\n".into(), 5);
        s.imported(ImportCommitted { summary, text: "up 1 0\nup 2 60\n# EOF\n".into() });
        assert_eq!(s.data_text, "up 1 0\nup 2 60\n# EOF\n");
        assert_eq!(s.pinned_time_ms(), None);
        let run: Request = s.begin_run(1);
        assert!(matches!(run.body, RequestBody::Run(r) if r.load.is_none()), "no reload of what the worker holds");
        // An edit of the data pane afterwards is sent again.
        s.set_data_text("up 3\n".into());
        assert!(matches!(s.begin_run(1).body, RequestBody::Run(r) if r.load.is_some()));
    }
}
