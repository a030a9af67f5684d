//! The root component: owns the one state object, provides it to the panes and lays them out.

use leptos::prelude::*;

use leptos::html::Textarea;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

use protocol::{ExportFormat, Response, ResponseBody};

use crate::backend::Backend;
use crate::components::{download, CardinalityPanel, DataPane, DatasetInfo, QueryPane, ResultsPane};
use crate::datasets::{self, Dataset};
use crate::state::{AppState, Tab};

/// The handle every component gets from context. `LocalStorage` because the store need not be
/// `Send`: the page is single-threaded.
#[derive(Clone, Copy)]
pub struct AppCtx {
    pub state: RwSignal<AppState, LocalStorage>,
    /// The editors, so a dataset or a suggested query can replace their text: their content is
    /// set once at mount (see DataPane), not bound to the model.
    pub data_input: NodeRef<Textarea>,
    pub query_input: NodeRef<Textarea>,
    /// The manifest and the chosen dataset, in one signal (each signal type costs wasm size).
    pub catalog: RwSignal<Catalog>,
    /// `Some(title)` while a dataset's file is being fetched. A fetch that finishes when another
    /// dataset is loading is dropped, so a slow large file cannot overwrite a later choice.
    pub loading: RwSignal<Option<String>>,
    /// Why the manifest or a dataset could not be fetched.
    pub load_error: RwSignal<Option<String>>,
    /// The evaluation worker.
    pub backend: StoredValue<Backend, LocalStorage>,
}

/// The manifest's datasets (empty until `index.json` is in) and the chosen one.
#[derive(Clone, Debug, Default)]
pub struct Catalog {
    pub datasets: Vec<Dataset>,
    pub chosen: Option<Dataset>,
}

impl AppCtx {
    /// Sends the data (when the worker lacks it) and the query to the worker; the reply
    /// re-renders the results.
    pub fn run(self) {
        let now = now_ms();
        let mut req = None;
        self.state.update(|s| req = Some(s.begin_run(now)));
        if let Some(req) = req {
            self.backend.with_value(|b| b.send(req));
        }
        // After the run, which loads the data the tree is evaluated over.
        let tree = self.state.try_update_untracked(|s| {
            (s.tab == Tab::Explain).then(|| {
                let q = protocol::QueryRequest { query: s.query_text.clone(), time: s.time_text.clone(), range: None };
                s.explain.begin_tree(q)
            })
        });
        if let Some(Some(req)) = tree {
            self.backend.with_value(|b| b.send(req));
        }
    }

    /// Sends the explain model's requests (the histogram explainer's).
    pub fn send_all(self, reqs: Vec<protocol::Request>) {
        self.backend.with_value(|b| reqs.into_iter().for_each(|r| b.send(r)));
    }

    /// Switches between table (instant) and graph (range) and runs the query that way.
    pub fn set_tab(self, tab: Tab) {
        if self.state.with_untracked(|s| s.tab) != tab {
            self.state.update(|s| s.tab = tab);
            self.run();
        }
    }

    /// Stops a running query: the worker is terminated (with the data it held) and a fresh one
    /// started, so the next run sends the data again.
    pub fn cancel(self) {
        self.backend.with_value(|b| {
            b.stop();
            b.start();
        });
        self.state.update(|s| s.worker_lost("Cancelled: the query was stopped."));
    }

    /// Asks the worker for the last result in a download format; the reply downloads it.
    pub fn export(self, format: ExportFormat) {
        let req = self.state.try_update_untracked(|s| s.begin_export(format));
        if let Some(req) = req {
            self.backend.with_value(|b| b.send(req));
        }
    }

    fn on_response(self, resp: Response) {
        match resp.body {
            ResponseBody::Ready => {}
            ResponseBody::Run(reply) => self.state.update(|s| s.finish_run(resp.id, *reply)),
            ResponseBody::Export(text) => {
                let format = self.state.try_update_untracked(|s| s.finish_export(resp.id)).flatten();
                if let (Some(format), Some(text)) = (format, text) {
                    match format {
                        ExportFormat::Csv => download("promplay-result.csv", "text/csv", &text),
                        ExportFormat::ApiJson => download("promplay-result.json", "application/json", &text),
                    }
                }
            }
            ResponseBody::Explain(r) => self.state.update(|s| s.explain.finish_tree(resp.id, *r)),
            ResponseBody::Histogram(r) => self.state.update(|s| s.explain.finish_histogram(resp.id, *r)),
            ResponseBody::Crashed(why) => {
                self.backend.with_value(Backend::stop);
                self.state.update(|s| s.worker_lost(&format!("The evaluator stopped: {why}")));
            }
        }
    }

    /// Mirrors an edit into the model. Untracked: the textarea already shows the text, and
    /// notifying would re-render results on every keystroke.
    pub fn set_data_text(self, text: String) {
        self.state.update_untracked(|s| s.set_data_text(text));
    }

    pub fn set_query_text(self, text: String) {
        self.state.update_untracked(|s| s.query_text = text);
    }

    /// Puts a query in the editor and runs it (a suggested-query chip).
    pub fn use_query(self, query: &str) {
        if let Some(el) = self.query_input.get_untracked() {
            el.set_value(query);
        }
        self.set_query_text(query.to_string());
        self.run();
    }

    /// Fetches a dataset's file; the current text stays (and stays usable) until the new one is
    /// in, then it replaces the data, the query becomes the dataset's first suggestion, and the
    /// result is evaluated at the dataset's time.
    pub fn choose_dataset(self, id: &str) {
        let Some(d) = self.catalog.with_untracked(|c| c.datasets.iter().find(|d| d.id == id).cloned()) else {
            return;
        };
        self.loading.set(Some(d.title.clone()));
        self.load_error.set(None);
        leptos::task::spawn_local(async move {
            let fetched = fetch_text(&d.url()).await;
            if self.loading.with_untracked(|l| l.as_deref() != Some(d.title.as_str())) {
                return;
            }
            match fetched {
                Ok(text) => self.show_dataset(d, text),
                Err(e) => self.load_error.set(Some(format!("Could not load {}: {e}", d.file))),
            }
            self.loading.set(None);
        });
    }

    /// Fills the menu from the manifest's text (also how the browser tests, which cannot fetch,
    /// provide it).
    pub fn set_manifest(self, text: &str) {
        self.catalog.update(|c| c.datasets = datasets::parse_manifest(text));
    }

    /// Shows an already-fetched dataset text (also the entry point of the browser tests, which
    /// embed the file instead of fetching it).
    pub fn show_dataset(self, d: Dataset, text: String) {
        if let Some(el) = self.data_input.get_untracked() {
            el.set_value(&text);
        }
        let query = d.queries.first().map(|q| q.query.clone());
        if let (Some(q), Some(el)) = (&query, self.query_input.get_untracked()) {
            el.set_value(q);
        }
        let time_ms = d.time_ms;
        self.catalog.update(|c| c.chosen = Some(d));
        self.state.update_untracked(|s| {
            if let Some(q) = query {
                s.query_text = q;
            }
            s.set_dataset(text, time_ms);
        });
        self.run();
    }
}

/// GET `url` as text; any failure (network, HTTP status, non-text body) becomes a message.
async fn fetch_text(url: &str) -> Result<String, String> {
    let window = web_sys::window().ok_or("no window")?;
    // The browser's own message for a network failure says no more than this, and printing a
    // JsValue costs wasm size.
    let network = |_| "network error".to_string();
    let resp = JsFuture::from(window.fetch_with_str(url)).await.map_err(network)?;
    let resp: web_sys::Response = resp.dyn_into().map_err(|_| "not a response".to_string())?;
    if !resp.ok() {
        return Err(format!("HTTP {}", resp.status()));
    }
    let text = JsFuture::from(resp.text().map_err(network)?).await.map_err(network)?;
    text.as_string().ok_or_else(|| "body is not text".to_string())
}

/// Wall-clock time in whole milliseconds: the scrape time of data without timestamps.
fn now_ms() -> i64 {
    js_sys::Date::now().round() as i64
}

#[component]
pub fn App() -> impl IntoView {
    let backend = Backend::new();
    let ctx = AppCtx {
        state: RwSignal::new_local(AppState::default()),
        data_input: NodeRef::new(),
        query_input: NodeRef::new(),
        catalog: RwSignal::new(Catalog::default()),
        loading: RwSignal::new(None),
        load_error: RwSignal::new(None),
        backend: StoredValue::new_local(backend.clone()),
    };
    backend.set_handler(move |resp| ctx.on_response(resp));
    provide_context(ctx);
    // Run once so the pre-filled query shows results as soon as the worker is up.
    ctx.run();
    leptos::task::spawn_local(async move {
        match fetch_text(datasets::INDEX_URL).await {
            Ok(text) => ctx.set_manifest(&text),
            Err(e) => ctx.load_error.set(Some(format!("Could not load the dataset list: {e}"))),
        }
    });

    view! {
        <header class="topbar">
            <span class="brand">"promplay"</span>
            <span class="tagline">"PromQL playground · Prometheus 3.14 semantics · runs in your browser"</span>
            <crate::components::HqDemoButton/>
        </header>
        <main class="layout">
            <div class="column">
                <DataPane/>
                <DatasetInfo/>
                <CardinalityPanel/>
            </div>
            <div class="column">
                <QueryPane/>
                <ResultsPane/>
            </div>
        </main>
    }
}
