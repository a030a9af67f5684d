//! The evaluation worker: receives the page's requests, answers them with the session, posts the
//! replies. Running here keeps the page responsive during a long query, and lets the page stop a
//! runaway one by terminating the worker.

#[cfg(target_arch = "wasm32")]
mod wasm {
    use std::cell::{Cell, RefCell};
    use std::rc::Rc;

    use engine::{ProgressHook, ProgressSink};

    use protocol::{ProgressView, Request, Response, ResponseBody};
    use session::Session;
    use wasm_bindgen::prelude::*;
    use wasm_bindgen::JsCast;
    use web_sys::{DedicatedWorkerGlobalScope, MessageEvent};

    fn scope() -> DedicatedWorkerGlobalScope {
        js_sys::global().unchecked_into()
    }

    fn post(reply: &Response) {
        let message = serde_wasm_bindgen::to_value(reply)
            .unwrap_or_else(|e| JsValue::from_str(&format!("cannot encode the reply: {e}")));
        // Posting fails only for values that cannot be cloned; ours are plain objects.
        let _ = scope().post_message(&message);
    }

    /// Milliseconds for timing the work: `performance.now()` resolves below a millisecond, which
    /// the Explain tab's per-node times need; `Date.now()` where it is missing.
    fn now() -> f64 {
        scope().performance().map_or_else(js_sys::Date::now, |p| p.now())
    }

    /// Posts the engine's progress for the request being handled, at most every
    /// [`PROGRESS_EVERY_MS`] and not before a request has run that long (quick ones stay quiet).
    #[derive(Default)]
    struct Progress {
        id: Cell<u32>,
        last: Cell<f64>,
        /// The nodes being evaluated, outermost first: the last is the one working.
        nodes: RefCell<Vec<String>>,
    }

    const PROGRESS_EVERY_MS: f64 = 150.0;

    impl Progress {
        fn start(&self, id: u32) {
            self.id.set(id);
            self.last.set(now());
            self.nodes.borrow_mut().clear();
        }

        fn post(&self, done: usize, total: usize) {
            self.last.set(now());
            let view = ProgressView { node: self.nodes.borrow().last().cloned(), done, total };
            post(&Response { id: self.id.get(), body: ResponseBody::Progress(view) });
        }
    }

    impl ProgressSink for Progress {
        fn enter(&self, node: String) {
            self.nodes.borrow_mut().push(node);
            if self.due() {
                self.post(0, 0);
            }
        }
        fn leave(&self) {
            self.nodes.borrow_mut().pop();
        }
        fn due(&self) -> bool {
            now() - self.last.get() >= PROGRESS_EVERY_MS
        }
        fn windows(&self, p: engine::Progress) {
            self.post(p.done, p.total);
        }
    }

    pub fn start() {
        // A panic is a bug, but it must not leave the page waiting forever: say what happened so
        // the page can report it and start a fresh worker.
        std::panic::set_hook(Box::new(|info| {
            post(&Response { id: 0, body: ResponseBody::Crashed(info.to_string()) });
        }));
        let progress = Rc::new(Progress::default());
        let mut session = Session::new();
        session.set_progress(Some(ProgressHook(progress.clone())));
        let session = RefCell::new(session);
        let on_message = Closure::<dyn FnMut(MessageEvent)>::new(move |ev: MessageEvent| {
            let reply = match serde_wasm_bindgen::from_value::<Request>(ev.data()) {
                Ok(req) => {
                    progress.start(req.id);
                    session.borrow_mut().handle(req, &now)
                }
                Err(e) => Response { id: 0, body: ResponseBody::Crashed(format!("unreadable request: {e}")) },
            };
            post(&reply);
        });
        scope().set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        // The handler lives as long as the worker.
        on_message.forget();
        post(&Response { id: 0, body: ResponseBody::Ready });
    }
}

/// Runs the message loop (the bins' `main`); nothing outside the browser.
pub fn start() {
    #[cfg(target_arch = "wasm32")]
    wasm::start();
}
