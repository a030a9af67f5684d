//! The playground's evaluation session: the store loaded from the user's data and the last
//! result, answering the page's [`protocol`] requests with the core crates.
//!
//! It knows nothing of the browser: the worker (`crates/worker`) only moves messages in and out,
//! and tests call [`Session::handle`] directly, natively.

mod analyze;
#[cfg(feature = "tools")]
mod explain;
#[cfg(feature = "tools")]
mod histogram;
#[cfg(feature = "tools")]
mod lesson;
mod load;
#[cfg(feature = "tools")]
mod relabel;
#[cfg(feature = "tools")]
mod remote;
mod times;
mod view;

use protocol::{ExportFormat, QueryRequest, Request, RequestBody, Response, ResponseBody, RunReply, RunRequest};

pub use load::{load_text, Shape, DEFAULT_SCRAPE_INTERVAL_MS};

/// How many entries each cardinality list holds, as the TSDB status page shows.
pub const CARDINALITY_TOP: usize = 10;

/// The worker's state between requests.
#[derive(Debug, Default)]
pub struct Session {
    loaded: Option<Loaded>,
    /// The engine's value of the last successful query and its evaluation time, for export.
    last: Option<(engine::QueryResult, i64)>,
    options: engine::Options,
    /// Remote mode's import in progress, staged beside `loaded` until it is committed.
    #[cfg(feature = "tools")]
    import: Option<::remote::Stager>,
}

#[derive(Debug)]
struct Loaded {
    db: tsdb::Storage,
    eval_time_ms: i64,
    min_time_ms: Option<i64>,
    /// How the text became samples, for the summary of a relabeled store.
    #[cfg_attr(not(feature = "tools"), allow(dead_code))]
    shape: Shape,
}

impl Session {
    pub fn new() -> Self {
        Session::default()
    }

    /// Where long evaluations report their progress (the worker posts it to the page).
    pub fn set_progress(&mut self, hook: Option<engine::ProgressHook>) {
        self.options.progress = hook;
    }

    /// Answers one request; `clock` (milliseconds) only times the work.
    pub fn handle(&mut self, req: Request, clock: &dyn Fn() -> f64) -> Response {
        let body = match req.body {
            RequestBody::Run(run) => ResponseBody::Run(Box::new(self.run(run, clock))),
            RequestBody::Export(format) => ResponseBody::Export(self.export(format)),
            RequestBody::Analyze(a) => {
                ResponseBody::Analysis(Box::new(analyze::analyze(&a.query, a.cursor, self.loaded.as_ref().map(|l| &l.db))))
            }
            RequestBody::Format(q) => {
                ResponseBody::Formatted(promql::parse(&q).map(|e| promql::format(&e)).map_err(|e| e.to_string()))
            }
            RequestBody::Evaluate(q) => ResponseBody::Evaluated(Box::new(self.evaluate(&q).map(|(_, view)| view))),
            #[cfg(feature = "tools")]
            RequestBody::Relabel(r) => ResponseBody::Relabel(Box::new(self.relabel(*r, clock))),
            #[cfg(feature = "tools")]
            RequestBody::Explain(q) => ResponseBody::Explain(Box::new(self.explain(&q, clock))),
            #[cfg(feature = "tools")]
            RequestBody::Histogram(h) => ResponseBody::Histogram(Box::new(self.histogram(&h))),
            #[cfg(feature = "tools")]
            RequestBody::Lesson(l) => ResponseBody::Lesson(Box::new(self.lesson(l, clock))),
            #[cfg(feature = "tools")]
            RequestBody::Remote(r) => ResponseBody::Remote(self.remote(r)),
            // Only the full worker answers the rest; they exist here when protocol's `tools` is
            // on through another crate of the same build (the page's), and go to the full one.
            #[cfg(not(feature = "tools"))]
            #[allow(unreachable_patterns)]
            _ => ResponseBody::NeedsFull,
        };
        #[cfg(not(feature = "tools"))]
        if needs_unicode_tables(&body) {
            return Response { id: req.id, body: ResponseBody::NeedsFull };
        }
        Response { id: req.id, body }
    }

    fn run(&mut self, req: RunRequest, clock: &dyn Fn() -> f64) -> RunReply {
        let started = clock();
        let mut reply = RunReply::default();
        if let Some(load) = req.load {
            self.loaded = None;
            self.last = None;
            match load::load_text(&load.text, load.scrape_time_ms) {
                Ok((db, shape)) => {
                    let card = db.cardinality(CARDINALITY_TOP);
                    let eval_time_ms = load.eval_time_ms.or(card.max_time).unwrap_or(load.scrape_time_ms);
                    reply.load = Some(Ok(view::summary(&card, eval_time_ms, shape)));
                    self.loaded = Some(Loaded { db, eval_time_ms, min_time_ms: card.min_time, shape });
                }
                Err(e) => reply.load = Some(Err(e)),
            }
        }
        if self.loaded.is_some() {
            reply.result = Some(self.query(&req.query));
        }
        reply.elapsed_ms = clock() - started;
        reply
    }

    /// Evaluates the query, keeping its value as the result to export.
    fn query(&mut self, q: &QueryRequest) -> Result<protocol::ResultView, String> {
        self.last = None;
        let ((res, time_ms), view) = self.evaluate(q)?;
        self.last = Some((res, time_ms));
        Ok(view)
    }

    /// The engine's value with its evaluation time, and the value shaped for display.
    fn evaluate(&self, q: &QueryRequest) -> Result<((engine::QueryResult, i64), protocol::ResultView), String> {
        let loaded = self.loaded.as_ref().ok_or("no data loaded")?;
        let (time_ms, range) = times::resolve(q, loaded.eval_time_ms, loaded.min_time_ms)?;
        let res = match range {
            None => engine::instant_query(&loaded.db, &q.query, time_ms, &self.options),
            Some(r) => engine::range_query(&loaded.db, &q.query, r.start_ms, r.end_ms, r.step_ms, &self.options),
        }
        .map_err(|e| e.to_string())?;
        let view = view::result(&res, time_ms, range);
        Ok(((res, time_ms), view))
    }

    fn export(&self, format: ExportFormat) -> Option<String> {
        let (res, t) = self.last.as_ref()?;
        let v = view::export(&res.value, *t);
        Some(match format {
            ExportFormat::Csv => formats::export::to_csv(&v),
            ExportFormat::ApiJson => formats::export::api_success(&v, &res.warnings, &res.infos),
        })
    }
}

/// Whether a reply failed only because this build left out the regex Unicode tables (the
/// first worker's, without `tools`): the query's error, the editor's parse error, formatting.
#[cfg(not(feature = "tools"))]
fn needs_unicode_tables(body: &ResponseBody) -> bool {
    let says = |e: &str| e.contains(model::goregex::NEEDS_UNICODE_TABLES);
    match body {
        ResponseBody::Run(r) => matches!(&r.result, Some(Err(e)) if says(e)),
        ResponseBody::Analysis(a) => a.error.as_ref().is_some_and(|(_, _, e)| says(e)),
        ResponseBody::Formatted(Err(e)) => says(e),
        ResponseBody::Evaluated(r) => matches!(r.as_ref(), Err(e) if says(e)),
        _ => false,
    }
}
