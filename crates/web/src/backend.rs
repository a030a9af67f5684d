//! The page's line to the evaluation worker (`crates/worker`): requests go out as JS objects
//! (serde-wasm-bindgen), replies come back to one handler. Requests posted before the worker
//! says it is ready are queued (a fresh worker would drop them). Cancelling a query terminates
//! the worker and starts a fresh one: a synchronous evaluation cannot be interrupted otherwise.
//! The first worker only runs queries; the first request for a view that needs more (Relabel,
//! Explain, lessons, remote mode) replaces it with the full one for the rest of the visit. So
//! does a query the first worker hands back (`NeedsFull`: its regex needs the Unicode tables
//! only the full one has); the request is sent again to the full worker.
//!
//! With the `inline` feature (the wasm-bindgen tests, which cannot serve a worker script) the
//! session runs in the page instead, answering synchronously through the same handler.
// The worker half is unused in the inline build.
#![cfg_attr(feature = "inline", allow(dead_code, unused_imports))]

use std::cell::RefCell;
use std::rc::Rc;

use protocol::{Request, RequestBody, Response, ResponseBody};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

/// The workers' loaders, as Trunk emits them for `data-type="worker"` with `data-loader-shim`:
/// the first load gets the evaluator that runs queries; the full one (relabeling, explain,
/// lessons, remote mode) replaces it when a view first needs it.
const WORKER_URL: &str = "worker_loader.js";
const FULL_WORKER_URL: &str = "worker_full_loader.js";

/// Requests only the full evaluator answers.
fn needs_full(body: &RequestBody) -> bool {
    !matches!(
        body,
        RequestBody::Run(_) | RequestBody::Export(_) | RequestBody::Analyze(_) | RequestBody::Format(_)
    )
}

type Handler = Rc<dyn Fn(Response)>;

#[derive(Clone)]
pub struct Backend(Rc<RefCell<Inner>>);

struct Inner {
    handler: Option<Handler>,
    conn: Conn,
    /// The full evaluator is (or is to be) running.
    full: bool,
    /// Called when the full evaluator replaces the first one, before the request that needed
    /// it: the new worker holds no data, so the page sends it again.
    on_upgrade: Option<Rc<dyn Fn()>>,
    /// Requests the first worker has not answered yet, but for runs (the upgrade hook runs the
    /// query again): what is sent again if it hands one back.
    unanswered: Vec<Request>,
}

enum Conn {
    Idle,
    Worker(Box<WorkerConn>),
    #[cfg(feature = "inline")]
    Inline(session::Session),
}

struct WorkerConn {
    worker: web_sys::Worker,
    ready: bool,
    queue: Vec<Request>,
    // Kept alive as long as the worker: the browser calls them.
    _on_message: Closure<dyn FnMut(web_sys::MessageEvent)>,
    _on_error: Closure<dyn FnMut(web_sys::Event)>,
}

impl Backend {
    pub fn new() -> Self {
        Backend(Rc::new(RefCell::new(Inner { handler: None, conn: Conn::Idle, full: false, on_upgrade: None, unanswered: Vec::new() })))
    }

    /// Where replies go; set once, before `start`.
    pub fn set_handler(&self, handler: impl Fn(Response) + 'static) {
        self.0.borrow_mut().handler = Some(Rc::new(handler));
    }

    /// What to do when the full evaluator replaces the first one; set once, before `start`.
    pub fn set_on_upgrade(&self, f: impl Fn() + 'static) {
        self.0.borrow_mut().on_upgrade = Some(Rc::new(f));
    }

    /// Starts the evaluator early (a page load), so the first run need not wait for it.
    pub fn start(&self) {
        if matches!(self.0.borrow().conn, Conn::Idle) {
            let conn = self.connect();
            self.0.borrow_mut().conn = conn;
        }
    }

    /// Stops whatever the evaluator is doing; the next request starts a fresh one, which holds
    /// no data. Also how a crashed worker is dropped (never restarted in a loop).
    pub fn stop(&self) {
        if let Conn::Worker(w) = &self.0.borrow().conn {
            // Its handlers are dropped with the connection: events still in flight (a script
            // load failing as it is aborted) must not reach them.
            w.worker.set_onmessage(None);
            w.worker.set_onerror(None);
            w.worker.terminate();
        }
        let mut inner = self.0.borrow_mut();
        inner.conn = Conn::Idle;
        inner.unanswered.clear();
    }

    pub fn send(&self, req: Request) {
        #[cfg(not(feature = "inline"))]
        if needs_full(&req.body) {
            self.upgrade();
        }
        self.start();
        let mut inner = self.0.borrow_mut();
        // The inline session answers at once and never hands a request back.
        if !cfg!(feature = "inline") && !inner.full && !matches!(req.body, RequestBody::Run(_)) {
            inner.unanswered.push(req.clone());
        }
        match &mut inner.conn {
            Conn::Worker(w) if w.ready => post(&w.worker, &req),
            Conn::Worker(w) => w.queue.push(req),
            // The browser refused a worker; `connect` said so.
            Conn::Idle => {}
            #[cfg(feature = "inline")]
            Conn::Inline(session) => {
                let reply = session.handle(req, &js_sys::Date::now);
                drop(inner);
                self.deliver(reply);
            }
        }
    }

    /// Replaces the first worker with the full one (once): the hook sends it the data.
    fn upgrade(&self) {
        if self.0.borrow().full {
            return;
        }
        self.stop();
        let hook = {
            let mut inner = self.0.borrow_mut();
            inner.full = true;
            inner.on_upgrade.clone()
        };
        if let Some(hook) = hook {
            hook();
        }
    }

    /// A reply from the first worker: a request it handed back goes to the full worker.
    fn on_reply(&self, reply: Response) {
        if matches!(reply.body, ResponseBody::Progress(_)) {
            return self.deliver(reply);
        }
        let handed = {
            let mut inner = self.0.borrow_mut();
            let at = inner.unanswered.iter().position(|r| r.id == reply.id);
            at.map(|i| inner.unanswered.swap_remove(i))
        };
        if !matches!(reply.body, ResponseBody::NeedsFull) {
            return self.deliver(reply);
        }
        self.upgrade();
        // A run needs no resending: the upgrade hook ran the query again.
        if let Some(req) = handed {
            self.send(req);
        }
    }

    fn deliver(&self, reply: Response) {
        let handler = self.0.borrow().handler.clone();
        if let Some(h) = handler {
            h(reply);
        }
    }

    #[cfg(feature = "inline")]
    fn connect(&self) -> Conn {
        Conn::Inline(session::Session::new())
    }

    #[cfg(not(feature = "inline"))]
    fn connect(&self) -> Conn {
        let url = if self.0.borrow().full { FULL_WORKER_URL } else { WORKER_URL };
        let worker = match web_sys::Worker::new(url) {
            Ok(w) => w,
            Err(_) => {
                self.deliver(crashed("the browser refused to start the evaluation worker"));
                return Conn::Idle;
            }
        };
        let me = self.clone();
        let on_message = Closure::<dyn FnMut(web_sys::MessageEvent)>::new(move |ev: web_sys::MessageEvent| {
            let reply = serde_wasm_bindgen::from_value::<Response>(ev.data())
                .unwrap_or_else(|e| crashed(&format!("unreadable reply: {e}")));
            if matches!(reply.body, ResponseBody::Ready) {
                me.flush();
            }
            me.on_reply(reply);
        });
        let me = self.clone();
        let on_error = Closure::<dyn FnMut(web_sys::Event)>::new(move |ev: web_sys::Event| {
            // An ErrorEvent's message says what failed (a missing file, a trap after a panic).
            let message = ev
                .dyn_ref::<web_sys::ErrorEvent>()
                .map(|e| e.message())
                .unwrap_or_else(|| "the evaluation worker failed".to_string());
            me.deliver(crashed(&message));
        });
        worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        worker.set_onerror(Some(on_error.as_ref().unchecked_ref()));
        Conn::Worker(Box::new(WorkerConn {
            worker,
            ready: false,
            queue: Vec::new(),
            _on_message: on_message,
            _on_error: on_error,
        }))
    }

    fn flush(&self) {
        if let Conn::Worker(w) = &mut self.0.borrow_mut().conn {
            w.ready = true;
            for req in w.queue.drain(..) {
                post(&w.worker, &req);
            }
        }
    }
}

fn post(worker: &web_sys::Worker, req: &Request) {
    if let Ok(v) = serde_wasm_bindgen::to_value(req) {
        let _ = worker.post_message(&v);
    }
}

fn crashed(message: &str) -> Response {
    Response { id: 0, body: ResponseBody::Crashed(message.to_string()) }
}
