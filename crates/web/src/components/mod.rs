//! The panes of the page, one file each.

mod data_pane;
mod query_pane;
mod results;

pub use data_pane::DataPane;
pub use query_pane::QueryPane;
pub use results::ResultsPane;

use leptos::ev::KeyboardEvent;

/// Ctrl+Enter (Cmd+Enter on macOS) runs from any editor, as in Grafana and the Prometheus UI.
fn is_run_shortcut(ev: &KeyboardEvent) -> bool {
    ev.key() == "Enter" && (ev.ctrl_key() || ev.meta_key())
}
