//! The root component: owns the one state object, provides it to the panes and lays them out.

use leptos::prelude::*;

use leptos::html::Textarea;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

use protocol::{ExportFormat, Response, ResponseBody};

use crate::backend::Backend;
use crate::components::{download, CardinalityPanel, DataPane, DatasetInfo, QueryPane, ResultsPane, ThemeToggle};
use crate::components::{LessonPanel, RelabelPanel, RemotePanel, ViewSwitch};
use crate::datasets::{self, Dataset};
use crate::state::{AppState, Tab};
use crate::workspace::{self, Workspace};

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
    /// What the last Copy link did.
    pub share_status: RwSignal<Option<String>>,
    /// The Lessons view, which draws itself (components/lesson.rs).
    pub lesson_root: NodeRef<leptos::html::Main>,
}

/// The manifest's datasets (empty until `index.json` is in) and the chosen one.
#[derive(Clone, Debug, Default)]
pub struct Catalog {
    pub datasets: Vec<Dataset>,
    pub chosen: Option<Dataset>,
}

impl AppCtx {
    /// Sends the data (when the worker lacks it) and the query to the worker; the reply
    /// re-renders the results. The query's highlighting follows, on the data just loaded.
    pub fn run(self) {
        let now = now_ms();
        let mut req = None;
        self.state.update(|s| req = Some(s.begin_run(now)));
        if let Some(req) = req {
            self.backend.with_value(|b| b.send(req));
        }
        self.analyze();
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
        crate::remote_flow::worker_gone();
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
        // Remote mode's tasks wait for some replies (they also go on as usual below).
        crate::remote_flow::notify(&resp);
        match resp.body {
            ResponseBody::Ready => {}
            ResponseBody::Run(reply) => {
                self.state.update(|s| {
                    s.close_completions();
                    s.finish_run(resp.id, *reply);
                });
                self.save_history();
                self.save_workspace();
            }
            ResponseBody::Analysis(a) => {
                self.state.update(|s| {
                    // An exercise editor's highlighting, or the query editor's.
                    if let Some(a) = s.finish_answer_analyze(resp.id, *a) {
                        s.finish_analyze(resp.id, a);
                    }
                });
                self.remote_values_wanted();
            }
            ResponseBody::Formatted(Ok(text)) => self.replace_query(&text, text.len()),
            ResponseBody::Formatted(Err(e)) => self.state.update(|s| s.output.query_error = Some(e)),
            ResponseBody::Export(text) => {
                let format = self.state.try_update_untracked(|s| s.finish_export(resp.id)).flatten();
                if let (Some(format), Some(text)) = (format, text) {
                    match format {
                        ExportFormat::Csv => download("promplay-result.csv", "text/csv", &text),
                        ExportFormat::ApiJson => download("promplay-result.json", "application/json", &text),
                    }
                }
            }
            ResponseBody::Relabel(reply) => self.on_relabel(resp.id, *reply),
            ResponseBody::Explain(r) => self.state.update(|s| s.explain.finish_tree(resp.id, *r)),
            ResponseBody::Evaluated(r) => self.state.update(|s| s.explain.finish_node_graph(resp.id, *r)),
            ResponseBody::Histogram(r) => self.state.update(|s| s.explain.finish_histogram(resp.id, *r)),
            ResponseBody::Lesson(reply) => self.on_lesson(resp.id, *reply),
            // Remote replies go to the task that asked (remote_flow::notify above).
            ResponseBody::Remote(_) => {}
            ResponseBody::Progress(p) => self.state.update(|s| s.set_progress(resp.id, p)),
            // The backend hands these to the full worker; they never reach the page.
            ResponseBody::NeedsFull => {}
            ResponseBody::Crashed(why) => {
                self.backend.with_value(Backend::stop);
                self.state.update(|s| s.relabel_lost(&format!("The evaluator stopped: {why}")));
                self.state.update(|s| s.worker_lost(&format!("The evaluator stopped: {why}")));
            }
        }
    }

    /// Mirrors an edit into the model. Untracked: the textarea already shows the text, and
    /// notifying would re-render results on every keystroke.
    pub fn set_data_text(self, text: String) {
        self.state.update_untracked(|s| s.set_data_text(text));
    }

    /// Mirrors the query editor into the model and asks the worker for highlighting and
    /// completions at the caret. The model is updated untracked: the textarea already shows the
    /// text; the analysis reply re-renders the overlay.
    pub fn query_edited(self) {
        let Some(el) = self.query_input.get_untracked() else { return };
        let text = el.value();
        let caret = el.selection_start().ok().flatten().unwrap_or(0) as usize;
        let cursor = crate::editor::byte_offset(&text, caret);
        let req = self.state.try_update_untracked(|s| {
            s.query_text = text;
            s.begin_analyze(cursor)
        });
        if let Some(req) = req {
            self.backend.with_value(|b| b.send(req));
        }
    }

    /// Asks for the highlighting of the model's query (no caret: no completions), for text put
    /// in the editor by the page rather than typed.
    fn analyze(self) {
        let req = self.state.try_update_untracked(|s| s.begin_analyze(0));
        if let Some(req) = req {
            self.backend.with_value(|b| b.send(req));
        }
    }

    /// Puts `text` in the query editor with the caret at byte `caret`, and re-analyses it.
    fn replace_query(self, text: &str, caret: usize) {
        if let Some(el) = self.query_input.get_untracked() {
            el.set_value(text);
            let at = crate::editor::utf16_offset(text, caret) as u32;
            let _ = el.set_selection_range(at, at);
        }
        self.query_edited();
    }

    /// Replaces the word at the caret with the chosen completion.
    pub fn accept_completion(self, index: usize) {
        let edit = self.state.with_untracked(|s| {
            let a = s.analysis.as_ref()?;
            let c = a.completions.get(index)?;
            let el = self.query_input.get_untracked()?;
            let caret = el.selection_start().ok().flatten().unwrap_or(0) as usize;
            let cursor = crate::editor::byte_offset(&s.query_text, caret);
            crate::editor::apply_completion(&s.query_text, a.completion_from.min(cursor), cursor, &c.insert)
        });
        self.state.update(|s| s.close_completions());
        if let Some((text, caret)) = edit {
            self.replace_query(&text, caret);
        }
        if let Some(el) = self.query_input.get_untracked() {
            let _ = el.focus();
        }
    }

    /// Asks the worker for the multi-line form of the query (`promtool promql format`).
    pub fn format_query(self) {
        let q = self.state.with_untracked(|s| s.query_text.clone());
        let req = self.state.try_update_untracked(|s| s.begin_format(q));
        if let Some(req) = req {
            self.backend.with_value(|b| b.send(req));
        }
    }

    /// Keeps the workspace for the next visit (best effort: a full quota only loses that).
    fn save_workspace(self) {
        // A large text would not fit the storage quota, and serialising it costs a pause.
        if self.state.with_untracked(|s| s.data_text.len() > crate::state::LARGE_TEXT_BYTES) {
            return;
        }
        if let Some(json) = self.state.with_untracked(|s| Workspace::of(s).to_json()) {
            crate::local::set(workspace::STORAGE_KEY, &json);
        }
    }

    /// Puts a restored workspace into the model and the editors, and runs it.
    fn apply_workspace(self, ws: Workspace) {
        let query = ws.query.clone();
        self.state.update(|s| ws.apply(s));
        self.fill_data_editor();
        // The Relabel view's editors are its own; they are filled by id.
        self.state.with_untracked(|s| {
            set_textarea("relabel-rules", &s.relabel.rules_text);
            set_textarea("relabel-targets", &s.relabel.targets_text);
        });
        if let Some(el) = self.query_input.get_untracked() {
            el.set_value(&query);
        }
        self.run();
    }

    /// Puts the workspace in the URL fragment and on the clipboard: the link reproduces it.
    pub fn copy_link(self) {
        let status = self.share_status;
        let size = self.state.with_untracked(|s| s.data_text.len());
        if size > crate::state::LARGE_TEXT_BYTES {
            let mb = size / 100_000;
            status.set(Some(format!("The data ({}.{} MB) is too large for a link.", mb / 10, mb % 10)));
            return;
        }
        let ws = self.state.with_untracked(Workspace::of);
        leptos::task::spawn_local(async move {
            let Some(fragment) = ws.to_fragment().await else {
                status.set(Some("This browser cannot compress the link.".to_string()));
                return;
            };
            let Some(window) = web_sys::window() else { return };
            if let Ok(history) = window.history() {
                let _ = history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&fragment));
            }
            let href = window.location().href().unwrap_or_default();
            // Headless or unfocused pages may refuse the clipboard; the address bar has the link.
            let _ = wasm_bindgen_futures::JsFuture::from(window.navigator().clipboard().write_text(&href)).await;
            status.set(Some(format!("Link copied ({} KB)", href.len().div_ceil(1000))));
        });
    }

    /// Forgets the saved workspace and the link's, and starts over with the sample.
    pub fn reset(self) {
        crate::local::remove(workspace::STORAGE_KEY);
        if let Some(window) = web_sys::window() {
            let loc = window.location();
            let path = loc.pathname().unwrap_or_default();
            if let Ok(history) = window.history() {
                let _ = history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&path));
            }
            let _ = loc.reload();
        }
    }

    fn save_history(self) {
        let list = js_sys::Array::new();
        self.state.with_untracked(|s| s.history.iter().for_each(|q| {
            list.push(&wasm_bindgen::JsValue::from_str(q));
        }));
        if let Ok(text) = js_sys::JSON::stringify(&list) {
            crate::local::set(HISTORY_KEY, &String::from(text));
        }
    }

    fn load_history(self) {
        let Some(text) = crate::local::get(HISTORY_KEY) else { return };
        let Ok(v) = js_sys::JSON::parse(&text) else { return };
        let Ok(list) = v.dyn_into::<js_sys::Array>() else { return };
        let history: Vec<String> = list.iter().filter_map(|q| q.as_string()).take(crate::editor::HISTORY_LEN).collect();
        self.state.update_untracked(|s| s.history = history);
    }

    /// Puts a query in the editor and runs it (a suggested-query chip).
    pub fn use_query(self, query: &str) {
        if let Some(el) = self.query_input.get_untracked() {
            el.set_value(query);
        }
        self.state.update_untracked(|s| s.query_text = query.to_string());
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
            let url = d.url();
            let fetched =
                if url.ends_with(".gz") { crate::compress::fetch_gzip_text(&url).await } else { fetch_text(&url).await };
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
        self.fill_data_editor();
        self.run();
    }

    /// Puts the model's data into the data editor: the whole text, or a read-only preview of a
    /// large one (the pane offers to edit it all).
    pub fn fill_data_editor(self) {
        let Some(el) = self.data_input.get_untracked() else { return };
        self.state.with_untracked(|s| {
            el.set_value(s.data_editor_text());
            el.set_read_only(s.data_previewed());
        });
        // The pane's banner follows the model.
        self.state.update(|_| {});
    }
}

/// Sets a textarea's text by element id (no-op when it is not on the page).
fn set_textarea(id: &str, text: &str) {
    let el = web_sys::window().and_then(|w| w.document()).and_then(|d| d.get_element_by_id(id));
    if let Some(ta) = el.and_then(|e| e.dyn_into::<web_sys::HtmlTextAreaElement>().ok()) {
        ta.set_value(text);
    }
}

/// Where the recent queries are kept between visits.
const HISTORY_KEY: &str = "promplay.history";

/// GET `url` as text; any failure (network, HTTP status, non-text body) becomes a message.
pub(crate) async fn fetch_text(url: &str) -> Result<String, String> {
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
    let fragment = web_sys::window().and_then(|w| w.location().hash().ok()).unwrap_or_default();
    let shared = fragment.starts_with(workspace::FRAGMENT_PREFIX);
    let mut initial = AppState::default();
    // A link's workspace is restored once it is inflated (below); otherwise the last visit's.
    if !shared {
        if let Some(ws) = crate::local::get(workspace::STORAGE_KEY).and_then(|t| Workspace::from_json(&t)) {
            ws.apply(&mut initial);
        }
    }
    let ctx = AppCtx {
        state: RwSignal::new_local(initial),
        data_input: NodeRef::new(),
        query_input: NodeRef::new(),
        catalog: RwSignal::new(Catalog::default()),
        loading: RwSignal::new(None),
        load_error: RwSignal::new(None),
        backend: StoredValue::new_local(backend.clone()),
        share_status: RwSignal::new(None),
        lesson_root: NodeRef::new(),
    };
    backend.set_handler(move |resp| ctx.on_response(resp));
    // The full evaluator starts empty: the data (and the query) go to it first.
    backend.set_on_upgrade(move || {
        ctx.state.update_untracked(AppState::worker_replaced);
        // A remote request in flight on the replaced worker gets no answer: its waiter fails.
        crate::remote_flow::worker_gone();
        ctx.run();
    });
    ctx.load_history();
    provide_context(ctx);
    if shared {
        leptos::task::spawn_local(async move {
            match Workspace::from_fragment(&fragment).await {
                Some(ws) => ctx.apply_workspace(ws),
                None => {
                    ctx.share_status.set(Some("The link's workspace could not be read.".to_string()));
                    ctx.run();
                }
            }
        });
    } else {
        // Run once so the pre-filled query shows results as soon as the worker is up.
        ctx.run();
    }
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
            <ViewSwitch/>
            <span class="top-actions">
                {move || ctx.share_status.get().map(|m| view! { <span id="share-status" class="share-status" role="status">{m}</span> })}
                <button id="copy-link" type="button" class="export" on:click=move |_| ctx.copy_link()>"Copy link"</button>
                <button id="reset" type="button" class="export" title="Forget the saved workspace and start over" on:click=move |_| ctx.reset()>"Reset"</button>
                <ThemeToggle/>
            </span>
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
        <RelabelPanel/>
        <LessonPanel/>
        <RemotePanel/>
    }
}
