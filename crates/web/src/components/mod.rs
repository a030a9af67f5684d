//! The panes of the page, one file each.

mod cardinality;
mod data_pane;
mod datasets;
mod download;
mod explain;
mod hq_explainer;
mod lesson;
mod lesson_io;
mod lesson_view;
mod query_pane;
mod relabel;
mod relabel_view;
mod remote;
mod remote_view;
mod results;
mod theme;
mod time_controls;

pub use cardinality::CardinalityPanel;
pub use data_pane::DataPane;
pub use datasets::{DatasetInfo, DatasetMenu};
pub use download::{download, download_canvas_png};
pub use explain::ExplainPane;
pub use hq_explainer::{HqDemoButton, HqExplainer};
pub use lesson::LessonPanel;
pub use query_pane::QueryPane;
pub use relabel::{RelabelPanel, ViewSwitch};
pub use remote::RemotePanel;
pub use results::ResultsPane;
pub use theme::ThemeToggle;
pub use time_controls::TimeControls;

use leptos::ev::KeyboardEvent;

/// Ctrl+Enter (Cmd+Enter on macOS) runs from any editor, as in Grafana and the Prometheus UI.
fn is_run_shortcut(ev: &KeyboardEvent) -> bool {
    ev.key() == "Enter" && (ev.ctrl_key() || ev.meta_key())
}

/// Enter or Space on a focusable row of a panel written as HTML (`tabindex="0"`, its click
/// handled by the panel) acts as a click, so the rows are reachable without a mouse.
pub(crate) fn click_on_enter(ev: KeyboardEvent) {
    use wasm_bindgen::JsCast;
    if ev.key() != "Enter" && ev.key() != " " {
        return;
    }
    let Some(el) = ev.target().and_then(|t| t.dyn_into::<web_sys::HtmlElement>().ok()) else { return };
    if el.get_attribute("tabindex").as_deref() == Some("0") {
        ev.prevent_default();
        el.click();
    }
}

/// Escapes text for element content or a quoted attribute, for the panels written as HTML
/// strings (their names and values come from the user's data).
pub(crate) fn escape(out: &mut String, s: &str) {
    for ch in s.chars() {
        match ch {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            c => out.push(c),
        }
    }
}

/// A completion list's items (`li.completion`, the selected one marked), for the query editor
/// and the exercise editors alike.
pub(crate) fn completion_items(a: &protocol::Analysis, selected: usize) -> String {
    let mut out = String::new();
    for (i, c) in a.completions.iter().enumerate() {
        let mark = if i == selected { " selected" } else { "" };
        out.push_str(&format!(r#"<li class="completion{mark}" role="option" data-i="{i}"><span class="c-label">"#));
        escape(&mut out, &c.label);
        out.push_str(r#"</span><span class="c-kind">"#);
        escape(&mut out, &c.kind);
        out.push_str(r#"</span><span class="c-detail">"#);
        escape(&mut out, &c.detail);
        out.push_str("</span></li>");
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn escaping() {
        let mut out = String::new();
        super::escape(&mut out, r#"a="<b>&""#);
        assert_eq!(out, "a=&quot;&lt;b&gt;&amp;&quot;");
    }
}
