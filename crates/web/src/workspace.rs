//! The whole workspace (data, query, tab, time controls, chosen dataset) as one value: saved in
//! localStorage after every run and restored on the next visit, and carried compressed in the
//! URL fragment (`#w=…`) so a link reproduces it with no server.

use serde::{Deserialize, Serialize};

use crate::compress::{deflate_text, inflate_text};
use crate::state::{AppState, Tab};

/// Where the workspace is kept between visits.
pub const STORAGE_KEY: &str = "promplay.workspace";
/// The fragment prefix of a shared workspace.
pub const FRAGMENT_PREFIX: &str = "#w=";

/// Version 1 of the saved form; fields added later must default so old links keep working.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Workspace {
    pub v: u32,
    pub data: String,
    pub query: String,
    /// `table`, `graph` or `explain`.
    pub tab: String,
    pub time: String,
    pub end: String,
    pub range: String,
    pub step: String,
    /// A dataset's evaluation time, which its data and queries are written for.
    pub pinned_time_ms: Option<i64>,
    /// The Relabel view's rules and targets.
    pub relabel_rules: String,
    pub relabel_targets: String,
}

impl Workspace {
    pub fn of(s: &AppState) -> Self {
        Workspace {
            v: 1,
            data: s.data_text.clone(),
            query: s.query_text.clone(),
            tab: match s.tab {
                Tab::Table => "table",
                Tab::Graph => "graph",
                Tab::Explain => "explain",
            }
            .to_string(),
            time: s.time_text.clone(),
            end: s.range.end.clone(),
            range: s.range.range.clone(),
            step: s.range.step.clone(),
            pinned_time_ms: s.pinned_time_ms(),
            relabel_rules: s.relabel.rules_text.clone(),
            relabel_targets: s.relabel.targets_text.clone(),
        }
    }

    /// Puts the workspace into the model (the editors' elements are the caller's).
    pub fn apply(self, s: &mut AppState) {
        match self.pinned_time_ms {
            Some(t) => s.set_dataset(self.data, t),
            None => s.set_data_text(self.data),
        }
        s.query_text = self.query;
        s.tab = match self.tab.as_str() {
            "graph" => Tab::Graph,
            "explain" => Tab::Explain,
            _ => Tab::Table,
        };
        s.time_text = self.time;
        s.range.end = self.end;
        s.range.range = self.range;
        s.range.step = self.step;
        if !self.relabel_rules.is_empty() {
            // The user's rules, not the built-in example, are what the view opens with.
            s.relabel.example_requested = true;
            s.relabel.rules_text = self.relabel_rules;
            s.relabel.targets_text = self.relabel_targets;
        }
    }

    pub fn to_json(&self) -> Option<String> {
        let v = serde_wasm_bindgen::to_value(self).ok()?;
        js_sys::JSON::stringify(&v).ok().map(String::from)
    }

    pub fn from_json(text: &str) -> Option<Workspace> {
        let v = js_sys::JSON::parse(text).ok()?;
        serde_wasm_bindgen::from_value(v).ok()
    }

    /// The fragment that reproduces this workspace.
    pub async fn to_fragment(&self) -> Option<String> {
        let json = self.to_json()?;
        let packed = deflate_text(&json).await.ok()?.as_string()?;
        Some(format!("{FRAGMENT_PREFIX}{packed}"))
    }

    /// The workspace of a `#w=…` fragment; `None` for any other fragment or a damaged one.
    pub async fn from_fragment(fragment: &str) -> Option<Workspace> {
        let packed = fragment.strip_prefix(FRAGMENT_PREFIX)?;
        let json = inflate_text(packed).await.ok()?.as_string()?;
        Workspace::from_json(&json)
    }
}
