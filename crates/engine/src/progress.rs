//! Progress reports from a long evaluation, so a UI can say how far a query got: which node is
//! being evaluated and, inside the range functions that dominate heavy queries, how many of its
//! windows are done. The engine stays clock-free: the sink decides when a report is due.

use std::rc::Rc;

use promql::Expr;

/// Receives progress. `enter` and `leave` bracket each node's evaluation (a handful of times per
/// query), so the innermost open node is the one being worked on; `windows` is called only when
/// `due` says a report would be shown, so `due` should be cheap (the worker compares a clock
/// with its last report).
pub trait ProgressSink {
    fn enter(&self, node: String);
    fn leave(&self);
    fn due(&self) -> bool;
    fn windows(&self, progress: Progress);
}

#[derive(Clone, Debug, PartialEq)]
pub struct Progress {
    /// Windows of the current range function done, of `total`.
    pub done: usize,
    pub total: usize,
}

/// Where reports go; compares equal to any other hook, so options stay comparable.
#[derive(Clone)]
pub struct ProgressHook(pub Rc<dyn ProgressSink>);

impl std::fmt::Debug for ProgressHook {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ProgressHook")
    }
}

impl PartialEq for ProgressHook {
    fn eq(&self, _: &Self) -> bool {
        true
    }
}

/// Longer node texts are cut: the report is a status line, not the query.
const NODE_CHARS: usize = 80;

impl ProgressHook {
    pub(crate) fn entering(&self, expr: &Expr) {
        let text = expr.to_string();
        let node = match text.char_indices().nth(NODE_CHARS) {
            Some((cut, _)) => format!("{}…", &text[..cut]),
            None => text,
        };
        self.0.enter(node);
    }

    pub(crate) fn leaving(&self) {
        self.0.leave();
    }

    pub(crate) fn windows(&self, done: usize, total: usize) {
        if self.0.due() {
            self.0.windows(Progress { done, total });
        }
    }
}
