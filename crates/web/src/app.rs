//! The root component: owns the one state object, provides it to the panes and lays them out.

use leptos::prelude::*;

use crate::components::{DataPane, QueryPane, ResultsPane};
use crate::state::AppState;

/// The handle every component gets from context. `LocalStorage` because the store need not be
/// `Send`: the page is single-threaded.
#[derive(Clone, Copy)]
pub struct AppCtx {
    pub state: RwSignal<AppState, LocalStorage>,
}

impl AppCtx {
    /// Loads the data (when changed) and evaluates the query; the only place that re-renders
    /// results.
    pub fn run(self) {
        let now = now_ms();
        self.state.update(|s| s.run(now));
    }

    /// Mirrors an edit into the model. Untracked: the textarea already shows the text, and
    /// notifying would re-render results on every keystroke.
    pub fn set_data_text(self, text: String) {
        self.state.update_untracked(|s| s.data_text = text);
    }

    pub fn set_query_text(self, text: String) {
        self.state.update_untracked(|s| s.query_text = text);
    }
}

/// Wall-clock time in whole milliseconds: the scrape time of data without timestamps.
fn now_ms() -> i64 {
    js_sys::Date::now().round() as i64
}

#[component]
pub fn App() -> impl IntoView {
    let mut initial = AppState::default();
    // Run once so the pre-filled query shows results on first paint.
    initial.run(now_ms());
    let ctx = AppCtx { state: RwSignal::new_local(initial) };
    provide_context(ctx);

    view! {
        <header class="topbar">
            <span class="brand">"promplay"</span>
            <span class="tagline">"PromQL playground · Prometheus 3.14 semantics · runs in your browser"</span>
        </header>
        <main class="layout">
            <DataPane/>
            <div class="column">
                <QueryPane/>
                <ResultsPane/>
            </div>
        </main>
    }
}
