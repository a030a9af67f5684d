//! The evaluation worker: receives the page's requests, answers them with the session, posts the
//! replies. Running here keeps the page responsive during a long query, and lets the page stop a
//! runaway one by terminating the worker.

#[cfg(target_arch = "wasm32")]
mod wasm {
    use std::cell::RefCell;

    use protocol::{Request, Response, ResponseBody};
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

    pub fn start() {
        // A panic is a bug, but it must not leave the page waiting forever: say what happened so
        // the page can report it and start a fresh worker.
        std::panic::set_hook(Box::new(|info| {
            post(&Response { id: 0, body: ResponseBody::Crashed(info.to_string()) });
        }));
        let session = RefCell::new(Session::new());
        let on_message = Closure::<dyn FnMut(MessageEvent)>::new(move |ev: MessageEvent| {
            let reply = match serde_wasm_bindgen::from_value::<Request>(ev.data()) {
                Ok(req) => session.borrow_mut().handle(req, &now),
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

fn main() {
    #[cfg(target_arch = "wasm32")]
    wasm::start();
}
