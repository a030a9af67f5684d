//! A per-node record of an evaluation for the explain view: each AST node's span, kind, how
//! many series it produced, its first few results and (off wasm) how long it took.

use promql::{Expr, Span};

use crate::error::QueryError;
use crate::eval::Evaluated;

/// How many result lines a node keeps for display.
const SHOWN: usize = 5;

#[derive(Clone, Debug, PartialEq)]
pub struct TraceNode {
    /// Index of the parent node in `Trace::nodes`; `None` for the root.
    pub parent: Option<usize>,
    pub depth: usize,
    pub span: Span,
    pub kind: &'static str,
    /// Series (or 1 for a scalar or string) the node produced over all steps.
    pub series: usize,
    /// Up to five results, as `labels => first value`.
    pub results: Vec<String>,
    /// Wall time in microseconds, children included; `None` where no clock is available (wasm).
    pub micros: Option<u64>,
    pub error: Option<String>,
}

/// Nodes in evaluation order (parents before their children).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Trace {
    pub nodes: Vec<TraceNode>,
}

#[derive(Default)]
pub(crate) struct Tracer {
    pub trace: Trace,
    stack: Vec<usize>,
    #[cfg(not(target_arch = "wasm32"))]
    starts: Vec<std::time::Instant>,
}

/// The name a trace node gives its expression's kind (`aggregation`, `range selector`, …).
pub fn node_kind(e: &Expr) -> &'static str {
    match e {
        Expr::NumberLiteral(_) => "number",
        Expr::StringLiteral(_) => "string",
        Expr::VectorSelector(_) => "vector selector",
        Expr::MatrixSelector(_) => "range selector",
        Expr::Subquery(_) => "subquery",
        Expr::Paren(_) => "parentheses",
        Expr::Unary(_) => "unary expression",
        Expr::Binary(_) => "binary operator",
        Expr::Aggregate(_) => "aggregation",
        Expr::Call(_) => "function call",
    }
}

impl Tracer {
    pub fn enter(&mut self, e: &Expr) -> usize {
        let id = self.trace.nodes.len();
        self.trace.nodes.push(TraceNode {
            parent: self.stack.last().copied(),
            depth: self.stack.len(),
            span: e.span(),
            kind: node_kind(e),
            series: 0,
            results: Vec::new(),
            micros: None,
            error: None,
        });
        self.stack.push(id);
        #[cfg(not(target_arch = "wasm32"))]
        self.starts.push(std::time::Instant::now());
        id
    }

    pub fn leave(&mut self, id: usize, r: &Result<Evaluated, QueryError>) {
        self.stack.pop();
        #[cfg(not(target_arch = "wasm32"))]
        let micros = self.starts.pop().map(|s| s.elapsed().as_micros() as u64);
        #[cfg(target_arch = "wasm32")]
        let micros = None;
        let Some(n) = self.trace.nodes.get_mut(id) else { return };
        n.micros = micros;
        match r {
            Err(e) => n.error = Some(e.to_string()),
            Ok(v) => {
                n.series = v.series_count();
                n.results = match v {
                    Evaluated::Scalar(s) => s.iter().take(1).map(|x| model::format_prom_float(*x)).collect(),
                    Evaluated::String(s) => vec![model::quote(s)],
                    Evaluated::Vector(vs) => vs
                        .iter()
                        .take(SHOWN)
                        .map(|s| {
                            let v = s.points.first().map(|p| model::format_prom_float(p.1)).unwrap_or_default();
                            format!("{} => {v}", s.labels)
                        })
                        .collect(),
                    Evaluated::Matrix(m) => m
                        .iter()
                        .take(SHOWN)
                        .map(|s| format!("{} => {} samples", s.labels, s.ts.len()))
                        .collect(),
                };
            }
        }
    }
}
