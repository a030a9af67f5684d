//! Remote mode's steps, as async tasks on the page: Connect (build info, then the names for
//! completion), Import (begin, one fetch and one worker round trip per chunk, metadata, commit;
//! abort on any failure or on Cancel) and Compare (run locally for the resolved times, fetch the
//! server's answer for the same times, let the worker compare). A task waits for the worker's
//! reply to one of its requests through `ask`; the worker's replies still reach `on_response` too.

use std::cell::RefCell;

use leptos::prelude::*;

use protocol::{
    CompareRequest, ImportCommitted, ImportProgress, RemoteReply, RemoteRequest, Request, RequestBody, Response,
    ResponseBody,
};
use wasm_bindgen::JsValue;
use wasm_bindgen_futures::JsFuture;

use crate::app::AppCtx;
use crate::remote_http::{self, HttpError};
use crate::state::remote::{compare_query, CompareStatus, Connection, ImportStatus, Server};

struct Waiter {
    id: u32,
    resolve: js_sys::Function,
    reply: std::rc::Rc<RefCell<Option<ResponseBody>>>,
    /// Posted to the worker (not while the request is being sent: a request that needs another
    /// worker replaces the one running first, which must not fail the request itself).
    sent: bool,
}

thread_local! {
    /// Tasks waiting for the worker's reply to one request.
    static WAITING: RefCell<Vec<Waiter>> = const { RefCell::new(Vec::new()) };
    /// The running import's fetches, aborted by Cancel.
    static IMPORT_ABORT: RefCell<Option<web_sys::AbortController>> = const { RefCell::new(None) };
}

/// Hands a copy of a reply to the task waiting for it (`on_response` calls this first). A
/// crashed worker answers every waiting task with nothing.
pub fn notify(resp: &Response) {
    let crashed = matches!(resp.body, ResponseBody::Crashed(_));
    let ready: Vec<Waiter> = WAITING.with(|w| {
        let mut w = w.borrow_mut();
        let (ready, rest) = w.drain(..).partition(|x| crashed || x.id == resp.id);
        *w = rest;
        ready
    });
    for waiter in ready {
        if !crashed {
            *waiter.reply.borrow_mut() = Some(resp.body.clone());
        }
        let _ = waiter.resolve.call0(&JsValue::NULL);
    }
}

/// The worker was stopped (Cancel of a query, or replaced by another): the requests it was
/// sent will not be answered.
pub fn worker_gone() {
    let gone: Vec<Waiter> = WAITING.with(|w| {
        let mut w = w.borrow_mut();
        let (gone, rest) = w.drain(..).partition(|x| x.sent);
        *w = rest;
        gone
    });
    for waiter in gone {
        let _ = waiter.resolve.call0(&JsValue::NULL);
    }
}

impl AppCtx {
    /// Sends `req` to the worker and waits for its reply; `None` if the worker went away.
    async fn ask(self, req: Request) -> Option<ResponseBody> {
        let reply = std::rc::Rc::new(RefCell::new(None));
        let slot = reply.clone();
        let id = req.id;
        let promise = js_sys::Promise::new(&mut |resolve, _reject| {
            WAITING.with(|w| w.borrow_mut().push(Waiter { id, resolve, reply: slot.clone(), sent: false }));
        });
        self.backend.with_value(|b| b.send(req));
        WAITING.with(|w| w.borrow_mut().iter_mut().filter(|x| x.id == id).for_each(|x| x.sent = true));
        let _ = JsFuture::from(promise).await;
        reply.take()
    }

    async fn ask_remote(self, r: RemoteRequest) -> Option<RemoteReply> {
        let id = self.state.try_update_untracked(|s| s.take_request_id())?;
        match self.ask(Request { id, body: RequestBody::Remote(r) }).await? {
            ResponseBody::Remote(reply) => Some(reply),
            _ => None,
        }
    }

    /// Checks the server with its build information and, when it answers, fetches its names for
    /// the editor's completions.
    pub fn remote_connect(self) {
        self.read_remote_form();
        let Some(Ok((generation, server))) = self.state.try_update(|s| s.remote.begin_connect()) else { return };
        leptos::task::spawn_local(async move {
            let conn = connect(&server).await;
            let connected = matches!(conn, Connection::Connected { .. });
            if !self.state.try_update(|s| s.remote.finish_connect(generation, conn)).unwrap_or(false) || !connected {
                return;
            }
            let get = |path: &'static str| {
                let url = format!("{}{path}", server.base);
                let server = server.clone();
                async move {
                    remote_http::get(&url, &server, None)
                        .await
                        .ok()
                        .and_then(|b| remote_http::string_list(&b).ok())
                }
            };
            let metrics = get("/api/v1/label/__name__/values").await.unwrap_or_default();
            let labels = get("/api/v1/labels").await.unwrap_or_default();
            self.state.update(|s| {
                if s.remote.generation() == generation {
                    s.remote.vocab.metrics = metrics;
                    s.remote.vocab.labels = labels;
                }
            });
        });
    }

    /// Fetches the values of the label the editor asked about, then completes again.
    pub fn remote_values_wanted(self) {
        let wanted = self.state.try_update_untracked(|s| {
            let label = s.remote.vocab.wanted.take()?;
            Some((label, s.remote.server()?, s.remote.generation()))
        });
        let Some(Some((label, server, generation))) = wanted else { return };
        leptos::task::spawn_local(async move {
            let url = format!("{}/api/v1/label/{}/values", server.base, crate::remote_api::encode(&label));
            let Ok(body) = remote_http::get(&url, &server, None).await else { return };
            let Ok(values) = remote_http::string_list(&body) else { return };
            self.state.update(|s| {
                if s.remote.generation() != generation {
                    return;
                }
                s.remote.vocab.values.push((label, values));
                if let Some(mut a) = s.analysis.take() {
                    s.remote.add_completions(&mut a);
                    s.analysis = Some(a);
                }
            });
        });
    }

    /// Imports the form's selectors over its window into a staged store, then replaces the data
    /// with it; any failure or Cancel drops the staged data and leaves everything as it was.
    pub fn remote_import(self) {
        self.read_remote_form();
        let now = js_sys::Date::now().round() as i64 / 1000 * 1000;
        let planned = self.state.try_update(|s| {
            if s.remote.importing() {
                return Err(None);
            }
            let Some(server) = s.remote.server() else {
                s.remote.import = ImportStatus::Failed("Connect to a server first.".to_string());
                return Err(None);
            };
            match s.remote.import_plan(now) {
                Ok((plan, series, samples)) => {
                    s.remote.counts = Some((ImportProgress::default(), 0, plan.chunks.len()));
                    s.remote.import = ImportStatus::Running { cancelling: false };
                    Ok((plan, series, samples, server))
                }
                Err(e) => Err(Some(e)),
            }
        });
        let (plan, max_series, max_samples, server) = match planned {
            Some(Ok(p)) => p,
            Some(Err(Some(e))) => {
                self.state.update(|s| s.remote.import = ImportStatus::Failed(e));
                return;
            }
            _ => return,
        };
        let controller = web_sys::AbortController::new().ok();
        let signal = controller.as_ref().map(web_sys::AbortController::signal);
        IMPORT_ABORT.with(|c| *c.borrow_mut() = controller);
        leptos::task::spawn_local(async move {
            let outcome =
                self.import_steps(&plan, max_series, max_samples, &server, signal.as_ref()).await;
            IMPORT_ABORT.with(|c| c.borrow_mut().take());
            match outcome {
                Ok((committed, note)) => {
                    let series = committed.summary.cardinality.num_series;
                    let samples = committed.summary.samples;
                    self.state.update(|s| {
                        s.imported(committed);
                        s.remote.import = ImportStatus::Done(format!(
                            "Imported {} series, {} samples from {} to {}. The data pane holds them as OpenMetrics; queries run on them.{note}",
                            crate::state::remote::thousands(series),
                            crate::state::remote::thousands(samples),
                            crate::timefmt::format_rfc3339_ms(plan.start_ms),
                            crate::timefmt::format_rfc3339_ms(plan.end_ms),
                        ));
                    });
                    self.fill_data_editor();
                    self.run();
                }
                Err(why) => {
                    // The worker drops what it staged; the store it queries is untouched.
                    let _ = self.ask_remote(RemoteRequest::ImportAbort).await;
                    self.state.update(|s| s.remote.import = ImportStatus::Failed(why));
                }
            }
        });
    }

    async fn import_steps(
        self,
        plan: &crate::remote_api::ImportPlan,
        max_series: usize,
        max_samples: usize,
        server: &Server,
        signal: Option<&web_sys::AbortSignal>,
    ) -> Result<(ImportCommitted, String), String> {
        let base = &server.base;
        // The worker's own messages say the data is unchanged; the page's say it here.
        let unchanged = |m: String| format!("{m} The data is unchanged.");
        let lost = || "The evaluator stopped during the import.".to_string();
        let cancelled = || self.state.with_untracked(|s| s.remote.cancel_requested());
        let cancel_message = || unchanged("Import cancelled.".to_string());
        if let RemoteReply::Progress(Err(e)) =
            self.ask_remote(RemoteRequest::ImportBegin { max_series, max_samples }).await.ok_or_else(lost)?
        {
            return Err(e);
        }
        // The series limit is checked before any sample is downloaded.
        let url = format!("{base}{}", plan.series_path());
        let series = match remote_http::get(&url, server, signal).await {
            Ok(body) => remote_http::data_list(&body).map_err(|e| unchanged(format!("{url}: {e}")))?.length() as usize,
            Err(HttpError::Aborted) => return Err(cancel_message()),
            Err(e) => return Err(unchanged(e.explain(&url, base))),
        };
        if series == 0 {
            return Err(unchanged(
                "No series match the selectors in the window: check them and the times.".to_string(),
            ));
        }
        if series > max_series {
            return Err(unchanged(format!(
                "{series} series match the selectors in the window, over the limit of {max_series}: narrow the selectors or the window, or raise the limit."
            )));
        }
        for (i, chunk) in plan.chunks.iter().enumerate() {
            if cancelled() {
                return Err(cancel_message());
            }
            let url = format!("{base}{}", chunk.path());
            let body = remote_http::get(&url, server, signal).await.map_err(|e| match e {
                HttpError::Aborted => cancel_message(),
                e => unchanged(format!(
                    "Chunk {} of {} ({}): {}",
                    i + 1,
                    plan.chunks.len(),
                    chunk.query,
                    e.explain(&url, base)
                )),
            })?;
            match self.ask_remote(RemoteRequest::ImportChunk { body }).await.ok_or_else(lost)? {
                RemoteReply::Progress(Ok(p)) => {
                    self.state.update(|s| s.remote.counts = Some((p, i + 1, plan.chunks.len())))
                }
                RemoteReply::Progress(Err(e)) => {
                    return Err(format!("Chunk {} of {} ({}): {e}", i + 1, plan.chunks.len(), chunk.query))
                }
                _ => return Err(lost()),
            }
        }
        if cancelled() {
            return Err(cancel_message());
        }
        // HELP and TYPE are a nicety: a server without the metadata API still imports.
        let url = format!("{base}/api/v1/metadata");
        let note = match remote_http::get(&url, server, signal).await {
            Ok(body) => match self.ask_remote(RemoteRequest::ImportMetadata { body }).await.ok_or_else(lost)? {
                // The worker dropped the import with its message.
                RemoteReply::Progress(Err(e)) => return Err(e),
                _ => String::new(),
            },
            Err(HttpError::Aborted) => return Err(cancel_message()),
            Err(e) => format!(" Without HELP and TYPE: {}", e.explain(&url, base)),
        };
        if cancelled() {
            return Err(cancel_message());
        }
        match self.ask_remote(RemoteRequest::ImportCommit).await.ok_or_else(lost)? {
            RemoteReply::Committed(c) => (*c).map(|c| (c, note)),
            _ => Err(lost()),
        }
    }

    /// Stops the import: its fetch is aborted and the worker drops what it staged (the worker
    /// itself keeps running, with the data it holds).
    pub fn remote_cancel(self) {
        self.state.update(|s| {
            if let ImportStatus::Running { cancelling, .. } = &mut s.remote.import {
                *cancelling = true;
            }
        });
        IMPORT_ABORT.with(|c| {
            if let Some(c) = c.borrow().as_ref() {
                c.abort();
            }
        });
    }

    /// Runs the query here (the Graph tab: as a range query with its controls), asks the server
    /// the same question for the times the local run resolved, and lets the worker compare.
    pub fn remote_compare(self) {
        self.read_remote_form();
        let ready = self.state.try_update(|s| {
            let server = s.remote.server();
            let tolerance = s.remote.tolerance();
            match (server, tolerance) {
                (None, _) => s.remote.compare = CompareStatus::Failed("Connect to a server first.".to_string()),
                (_, Err(e)) => s.remote.compare = CompareStatus::Failed(e),
                (Some(server), Ok(t)) => {
                    s.remote.compare = CompareStatus::Running("Running the query here…");
                    return Some((server, t, s.query_text.clone()));
                }
            }
            None
        });
        let Some(Some((server, tolerance, query))) = ready else { return };
        leptos::task::spawn_local(async move {
            let status = self
                .compare_steps(&server, tolerance, &query)
                .await
                .unwrap_or_else(CompareStatus::Failed);
            self.state.update(|s| s.remote.compare = status);
        });
    }

    async fn compare_steps(
        self,
        server: &Server,
        tolerance: f64,
        query: &str,
    ) -> Result<CompareStatus, String> {
        let lost = || "The evaluator stopped.".to_string();
        let now = js_sys::Date::now().round() as i64;
        let Some(run) = self.state.try_update(|s| s.begin_run(now)) else { return Err(lost()) };
        let local = match self.ask(run).await.ok_or_else(lost)? {
            ResponseBody::Run(r) => match (r.load, r.result) {
                (Some(Err(e)), _) => return Err(format!("The data pane's data does not load: {e}")),
                (_, Some(Ok(view))) => view,
                (_, Some(Err(e))) => {
                    return Err(format!("The query fails here, so there are no times to ask the server for: {e}"))
                }
                (_, None) => return Err("There is no data here to run the query on.".to_string()),
            },
            _ => return Err(lost()),
        };
        let (q, path, what) = compare_query(query, &local);
        self.state.update(|s| s.remote.compare = CompareStatus::Running("Asking the server…"));
        let url = format!("{}{path}", server.base);
        let remote_body = match remote_http::get(&url, server, None).await {
            Ok(body) => body,
            // The API's own answer to a query it refuses (bad_data, execution): compared as such.
            Err(HttpError::Status { status: 400 | 422, body, .. }) => body,
            Err(e) => return Err(e.explain(&url, &server.base)),
        };
        let req = CompareRequest { query: q, remote_body, tolerance };
        match self.ask_remote(RemoteRequest::Compare(Box::new(req))).await.ok_or_else(lost)? {
            RemoteReply::Compared(r) => (*r).map(|reply| CompareStatus::Done(Box::new(reply), what)),
            _ => Err(lost()),
        }
    }
}

/// What answers at `base`: Prometheus's build information, or (for servers without that
/// endpoint) any answer of the query API.
async fn connect(server: &Server) -> Connection {
    let base = &server.base;
    let url = format!("{base}/api/v1/status/buildinfo");
    let body = match remote_http::get(&url, server, None).await {
        Ok(body) => body,
        Err(HttpError::Status { status: 404, .. }) => {
            let url = format!("{base}/api/v1/query?query=1");
            return match remote_http::get(&url, server, None).await {
                Ok(body)
                    if remote_http::string_at(&remote_http::parse_json(&body).unwrap_or_default(), &["status"])
                        .as_deref()
                        == Some("success") =>
                {
                    Connection::Connected {
                        server: server.clone(),
                        what: "a Prometheus-compatible API (it has no build information)".to_string(),
                    }
                }
                Ok(body) => Connection::Failed(format!(
                    "{base} answered, but it is not a Prometheus API: {}",
                    remote_http::not_json(&body)
                )),
                Err(e) => Connection::Failed(e.explain(&url, base)),
            };
        }
        Err(e) => return Connection::Failed(e.explain(&url, base)),
    };
    let Some(json) = remote_http::parse_json(&body) else {
        return Connection::Failed(format!(
            "{base} answered, but it is not a Prometheus API: {}",
            remote_http::not_json(&body)
        ));
    };
    match remote_http::string_at(&json, &["data", "version"]) {
        Some(version) if remote_http::string_at(&json, &["status"]).as_deref() == Some("success") => Connection::Connected {
            server: server.clone(),
            // Mimir names itself; Prometheus and Thanos say only their version.
            what: format!(
                "{} {version}",
                remote_http::string_at(&json, &["data", "application"]).unwrap_or_else(|| "Prometheus".to_string())
            ),
        },
        _ => Connection::Failed(format!(
            "{base} answered with JSON, but not a Prometheus API's build information (no data.version in /api/v1/status/buildinfo)."
        )),
    }
}
