//! The Explain tab's answer: the query as a tree, every node evaluated on its own at the
//! evaluation time (its full result, so a click can show it), the engine's per-node trace for
//! timings, a sentence on what the node does, and for aggregations and range-vector functions
//! which inputs went into each output value.
//!
//! A node's result is the node run as a query of its own: that is what a user would see by
//! typing it, and it is the engine's answer, not a re-implementation. Inside a subquery a node
//! is evaluated at every step of the subquery; the tree shows it at the evaluation time.

use std::fmt::Write as _;

use model::{format_duration, format_prom_float, Labels, MatchOp};
use promql::{AggregateExpr, AggregateOp, AtModifier, BinaryExpr, BinaryOp, Card, Expr, ValueType, VectorSelector};
use protocol::{ExplainNode, ExplainReply, Provenance, ProvenanceGroup, ProvenanceWindow};

use crate::view;

/// Rows a node's full result keeps; a node over a large store is still readable and the reply
/// stays small.
pub const MAX_ROWS: usize = 500;
/// Preview lines per node in the tree.
const PREVIEW: usize = 3;
/// Caps of the provenance tables.
const MAX_GROUPS: usize = 30;
const MAX_GROUP_INPUTS: usize = 20;
const MAX_WINDOWS: usize = 30;
const MAX_WINDOW_SAMPLES: usize = 40;

/// One node of the tree in pre-order, with its parent's index.
pub struct Flat<'a> {
    pub expr: &'a Expr,
    pub parent: Option<usize>,
    pub depth: usize,
}

/// The tree in pre-order: an aggregation's parameter before its operand, as written.
pub fn flatten(e: &Expr) -> Vec<Flat<'_>> {
    fn go<'a>(e: &'a Expr, parent: Option<usize>, depth: usize, out: &mut Vec<Flat<'a>>) {
        let me = out.len();
        out.push(Flat { expr: e, parent, depth });
        let child = |c: &'a Expr, out: &mut Vec<Flat<'a>>| go(c, Some(me), depth + 1, out);
        match e {
            Expr::Paren(p) => child(&p.expr, out),
            Expr::Unary(u) => child(&u.expr, out),
            Expr::Subquery(s) => child(&s.expr, out),
            Expr::Binary(b) => {
                child(&b.lhs, out);
                child(&b.rhs, out);
            }
            Expr::Aggregate(a) => {
                if let Some(p) = &a.param {
                    child(p, out);
                }
                child(&a.expr, out);
            }
            Expr::Call(c) => c.args.iter().for_each(|a| child(a, out)),
            Expr::NumberLiteral(_) | Expr::StringLiteral(_) | Expr::VectorSelector(_) | Expr::MatrixSelector(_) => {}
        }
    }
    let mut out = Vec::new();
    go(e, None, 0, &mut out);
    out
}

/// Evaluates `e` on its own, as an instant query at `t`.
pub fn eval_node(db: &tsdb::Storage, e: &Expr, t: i64, opts: &engine::Options) -> Result<engine::QueryResult, String> {
    engine::instant_query_expr(db, e, t, opts).map_err(|e| e.to_string())
}

pub fn explain(
    db: &tsdb::Storage,
    query: &str,
    t: i64,
    opts: &engine::Options,
    clock: &dyn Fn() -> f64,
) -> Result<ExplainReply, String> {
    let expr = promql::parse(query).map_err(|e| e.to_string())?;
    let (_, trace) = engine::instant_query_traced(db, query, t, opts);
    let flat = flatten(&expr);
    let mut results = Vec::with_capacity(flat.len());
    let mut nodes = Vec::with_capacity(flat.len());
    for f in &flat {
        let started = clock();
        let res = eval_node(db, f.expr, t, opts);
        let own_ms = clock() - started;
        let span = f.expr.span();
        let traced = trace.nodes.iter().find(|n| n.span == span && n.kind == engine::node_kind(f.expr));
        let elapsed_ms = traced.and_then(|n| n.micros).map_or(own_ms, |us| us as f64 / 1000.0);
        let mut node = ExplainNode {
            parent: f.parent,
            depth: f.depth,
            kind: engine::node_kind(f.expr).to_string(),
            text: query.get(span.start..span.end).map_or_else(|| f.expr.to_string(), str::to_string),
            explanation: describe(f.expr, opts.lookback_delta),
            elapsed_ms,
            histogram_quantile: matches!(f.expr, Expr::Call(c) if c.func.name == "histogram_quantile"),
            ..ExplainNode::default()
        };
        match &res {
            Ok(r) => {
                let mut v = view::result(r, t, None);
                node.count_text = v.count_text();
                node.preview = v.rows.iter().take(PREVIEW).map(preview_line).collect();
                v.rows.truncate(MAX_ROWS);
                node.result = Some(v);
            }
            Err(e) => {
                node.count_text = "error".to_string();
                node.error = Some(e.clone());
            }
        }
        nodes.push(node);
        results.push(res.ok());
    }
    // Provenance needs the children's results, so it comes once every node is evaluated.
    for (i, f) in flat.iter().enumerate() {
        let child = |c: &Expr| {
            let at = flat.iter().position(|g| std::ptr::eq(g.expr, c))?;
            results.get(at)?.as_ref()
        };
        let Some(Some(out)) = results.get(i) else { continue };
        let p = match f.expr {
            Expr::Aggregate(a) => child(&a.expr).map(|input| groups(a, input, out)),
            Expr::Call(c) => c
                .args
                .iter()
                .find(|a| a.value_type() == ValueType::Matrix)
                .and_then(|arg| Some(windows(arg, child(arg)?, out, t))),
            _ => None,
        };
        if let Some(n) = nodes.get_mut(i) {
            n.provenance = p;
        }
    }
    Ok(ExplainReply { time_ms: t, nodes })
}

impl crate::Session {
    /// The Explain tab's request: the tree at the instant query's time over the loaded data.
    pub(crate) fn explain(&self, q: &protocol::QueryRequest, clock: &dyn Fn() -> f64) -> Result<ExplainReply, String> {
        let loaded = self.loaded.as_ref().ok_or("no data loaded")?;
        let instant = protocol::QueryRequest { range: None, ..q.clone() };
        let (t, _) = crate::times::resolve(&instant, loaded.eval_time_ms, loaded.min_time_ms)?;
        explain(&loaded.db, &q.query, t, &self.options, clock)
    }

    /// The histogram_quantile explainer's request.
    pub(crate) fn histogram(&self, req: &protocol::HistogramRequest) -> Result<protocol::HistogramReply, String> {
        let data = self.loaded.as_ref().map(|l| (&l.db, l.eval_time_ms));
        let resolve = |q: &protocol::QueryRequest| {
            let loaded = self.loaded.as_ref().ok_or("no data loaded")?;
            let instant = protocol::QueryRequest { range: None, ..q.clone() };
            crate::times::resolve(&instant, loaded.eval_time_ms, loaded.min_time_ms).map(|r| r.0)
        };
        crate::histogram::explain(req, data, &resolve, &self.options)
    }
}

fn preview_line(r: &protocol::Row) -> String {
    match r.points.len() {
        n if n > 1 || (n == 1 && r.value.contains('@')) => format!("{} => {n} samples", r.labels),
        _ => format!("{} => {}", r.labels, r.value),
    }
}

// ---- explanations ----

/// One plain sentence on what the node does.
pub fn describe(e: &Expr, lookback_ms: i64) -> String {
    match e {
        Expr::NumberLiteral(n) if n.duration => {
            format!("The duration {} as a number of seconds ({}), the same at every step.", e, format_prom_float(n.value))
        }
        Expr::NumberLiteral(n) => format!("The number {}: a scalar, the same at every step.", format_prom_float(n.value)),
        Expr::StringLiteral(_) => "A string argument, for functions such as label_replace.".to_string(),
        Expr::VectorSelector(v) => {
            format!(
                "Selects {} and takes, per series, the newest sample at most {} old{}.",
                series_phrase(v),
                format_duration(lookback_ms),
                window_end(v)
            )
        }
        Expr::MatrixSelector(m) => format!(
            "Takes every sample of {} in the {} window (t−{}, t]{}: a range vector, several samples per series, for a function to combine.",
            series_phrase(&m.vector),
            m.range,
            m.range,
            window_end(&m.vector)
        ),
        Expr::Subquery(s) => {
            let step = s.step.as_ref().map_or_else(|| "1m (the default evaluation interval)".to_string(), |d| d.to_string());
            let mut out = format!(
                "Evaluates the inner expression every {step} over the {} window (t−{}, t], at times aligned to multiples of the step: a range vector built from a query",
                s.range, s.range
            );
            modifiers(&mut out, s.offset.as_ref(), s.at);
            out.push('.');
            out
        }
        Expr::Paren(_) => "Parentheses: they only group; the value passes through unchanged.".to_string(),
        Expr::Unary(u) if u.op == promql::UnaryOp::Neg => "Negates every value (the metric name is dropped).".to_string(),
        Expr::Unary(_) => "Unary plus: the value passes through unchanged.".to_string(),
        Expr::Binary(b) => binary(b),
        Expr::Aggregate(a) => aggregation(a),
        Expr::Call(c) => {
            let mut out = format!("{}: {}", c.func.name, c.func.description);
            if let Some(Expr::MatrixSelector(m)) = c.args.iter().map(unparen).find(|a| matches!(a, Expr::MatrixSelector(_))) {
                let _ = write!(out, " Computed per series from its samples in (t−{}, t].", m.range);
            }
            if c.func.experimental {
                out.push_str(" (Experimental in Prometheus: needs --enable-feature=promql-experimental-functions.)");
            }
            out
        }
    }
}

fn unparen(e: &Expr) -> &Expr {
    match e {
        Expr::Paren(p) => unparen(&p.expr),
        e => e,
    }
}

/// "the series named x whose job is "api"": the matchers in words.
fn series_phrase(v: &VectorSelector) -> String {
    let mut conds = Vec::new();
    let mut name = None;
    for m in &v.matchers {
        if m.name == "__name__" && m.op == MatchOp::Equal {
            name = Some(m.value.clone());
            continue;
        }
        let what = if m.name == "__name__" { "the metric name".to_string() } else { m.name.clone() };
        conds.push(match m.op {
            MatchOp::Equal if m.value.is_empty() => format!("{what} is empty or missing"),
            MatchOp::Equal => format!("{what} is {}", model::quote(&m.value)),
            MatchOp::NotEqual => format!("{what} is not {}", model::quote(&m.value)),
            MatchOp::RegexMatch => format!("{what} fully matches the regex {}", model::quote(&m.value)),
            MatchOp::RegexNoMatch => format!("{what} does not match the regex {}", model::quote(&m.value)),
        });
    }
    let mut out = match name {
        Some(n) => format!("the series of metric {n}"),
        None => "every series".to_string(),
    };
    if !conds.is_empty() {
        let _ = write!(out, " whose {}", conds.join(" and "));
    }
    out
}

/// ", 1h earlier (offset 1h)" and the `@` pin, or nothing.
fn window_end(v: &VectorSelector) -> String {
    let mut out = String::new();
    modifiers(&mut out, v.offset.as_ref(), v.at);
    out
}

fn modifiers(out: &mut String, offset: Option<&promql::DurationExpr>, at: Option<AtModifier>) {
    match at {
        Some(AtModifier::Timestamp(ms)) => {
            let _ = write!(out, ", with t pinned to {} (@)", format_seconds(ms));
        }
        Some(AtModifier::Start) => out.push_str(", with t pinned to the query's start (@ start())"),
        Some(AtModifier::End) => out.push_str(", with t pinned to the query's end (@ end())"),
        None => {}
    }
    if let Some(o) = offset {
        let _ = write!(out, ", looking {o} further back (offset {o})");
    }
}

fn format_seconds(ms: i64) -> String {
    if ms % 1000 == 0 {
        (ms / 1000).to_string()
    } else {
        format_prom_float(ms as f64 / 1000.0)
    }
}

fn matching_phrase(b: &BinaryExpr) -> String {
    let Some(m) = &b.matching else { return String::new() };
    let on = if m.on {
        format!("on the labels {}", list(&m.labels))
    } else if m.labels.is_empty() {
        "on identical label sets (the metric name aside)".to_string()
    } else {
        format!("on all labels but {} (and the metric name)", list(&m.labels))
    };
    let card = match m.card {
        Card::ManyToOne => format!(
            "; many-to-one (group_left): several left series may share one right series{}",
            if m.include.is_empty() { String::new() } else { format!(", whose {} labels are copied over", list(&m.include)) }
        ),
        Card::OneToMany => format!(
            "; one-to-many (group_right): several right series may share one left series{}",
            if m.include.is_empty() { String::new() } else { format!(", whose {} labels are copied over", list(&m.include)) }
        ),
        _ => String::new(),
    };
    format!("{on}{card}")
}

fn list(names: &[String]) -> String {
    if names.is_empty() {
        "(none)".to_string()
    } else {
        names.join(", ")
    }
}

fn binary(b: &BinaryExpr) -> String {
    let op = b.op.as_str();
    let (l, r) = (b.lhs.value_type(), b.rhs.value_type());
    if b.op.is_set() {
        let on = matching_phrase(b);
        return match b.op {
            BinaryOp::And => format!("Keeps the left series that have a partner on the right, matching {on}; values come from the left."),
            BinaryOp::Or => format!("All left series, plus the right series with no partner on the left, matching {on}."),
            _ => format!("Keeps the left series that have no partner on the right, matching {on}."),
        };
    }
    let what = if b.op.is_comparison() {
        if b.return_bool {
            format!("compares with {op} and returns 1 (true) or 0 (false) instead of filtering")
        } else {
            format!("keeps only the samples where left {op} right holds (the left value is kept)")
        }
    } else {
        format!("computes left {op} right")
    };
    match (l, r) {
        (ValueType::Scalar, ValueType::Scalar) => format!("Scalar arithmetic: {what}."),
        (ValueType::Vector, ValueType::Vector) => format!(
            "Pairs the series of both sides, matching {}, and for each pair {what}; series without a partner are dropped.",
            matching_phrase(b)
        ),
        _ => format!("Applies the scalar to every series of the vector side: for each sample it {what}."),
    }
}

fn aggregation(a: &AggregateExpr) -> String {
    let op = match a.op {
        AggregateOp::Sum => "Adds up the values",
        AggregateOp::Avg => "Averages the values",
        AggregateOp::Count => "Counts the series",
        AggregateOp::Min => "Takes the smallest value",
        AggregateOp::Max => "Takes the largest value",
        AggregateOp::Group => "Returns 1",
        AggregateOp::Stddev => "Takes the population standard deviation of the values",
        AggregateOp::Stdvar => "Takes the population variance of the values",
        AggregateOp::Topk => "Keeps the k series (k = the first argument) with the largest values, labels unchanged,",
        AggregateOp::Bottomk => "Keeps the k series (k = the first argument) with the smallest values, labels unchanged,",
        AggregateOp::CountValues => "Counts the series per distinct value, writing the value into the label named by the first argument,",
        AggregateOp::Quantile => "Takes the φ-quantile (φ = the first argument) of the values",
        AggregateOp::Limitk => "Keeps k series (k = the first argument, the same ones at every step), labels unchanged,",
        AggregateOp::LimitRatio => {
            "Keeps about that ratio of the series (chosen by a hash of the labels, stable over time), labels unchanged,"
        }
    };
    let per = if a.without {
        format!("per group of series that are equal in all labels except {} and the metric name", list(&a.grouping))
    } else if a.grouping.is_empty() {
        "across all series, into one".to_string()
    } else {
        format!("per group of series with the same {}; the result keeps only those labels", list(&a.grouping))
    };
    format!("{op} {per}: a cross-section of the input at one instant.")
}

// ---- provenance ----

/// The group key of `l` under the aggregation's `by`/`without` (the `count_values` label set
/// aside), printed.
fn group_key(a: &AggregateExpr, l: &Labels, extra: Option<&str>) -> String {
    let keep = |name: &str| {
        if Some(name) == extra {
            return false;
        }
        if a.without {
            name != "__name__" && !a.grouping.iter().any(|g| g == name)
        } else {
            a.grouping.iter().any(|g| g == name)
        }
    };
    Labels::new(l.iter().filter(|x| keep(&x.name)).cloned()).to_string()
}

fn groups(a: &AggregateExpr, input: &engine::QueryResult, out: &engine::QueryResult) -> Provenance {
    let (engine::Value::Vector(ins), engine::Value::Vector(outs)) = (&input.value, &out.value) else {
        return Provenance::Groups(Vec::new());
    };
    let extra = match (a.op, a.param.as_deref()) {
        (AggregateOp::CountValues, Some(Expr::StringLiteral(s))) => Some(s.value.as_str()),
        _ => None,
    };
    let selects =
        matches!(a.op, AggregateOp::Topk | AggregateOp::Bottomk | AggregateOp::Limitk | AggregateOp::LimitRatio);
    let mut gs: Vec<ProvenanceGroup> = Vec::new();
    let find = |key: String, gs: &mut Vec<ProvenanceGroup>| -> usize {
        if let Some(i) = gs.iter().position(|g| g.group == key) {
            return i;
        }
        gs.push(ProvenanceGroup { group: key, outputs: Vec::new(), inputs: Vec::new(), more_inputs: 0 });
        gs.len() - 1
    };
    for o in outs {
        let i = find(group_key(a, &o.labels, extra), &mut gs);
        if let Some(g) = gs.get_mut(i) {
            g.outputs.push(format!("{} => {}", o.labels, format_prom_float(o.v)));
        }
    }
    for s in ins {
        let i = find(group_key(a, &s.labels, None), &mut gs);
        let kept = !selects || outs.iter().any(|o| o.labels == s.labels);
        if let Some(g) = gs.get_mut(i) {
            if g.inputs.len() < MAX_GROUP_INPUTS {
                g.inputs.push((s.labels.to_string(), format_prom_float(s.v), kept));
            } else {
                g.more_inputs += 1;
            }
        }
    }
    gs.truncate(MAX_GROUPS);
    Provenance::Groups(gs)
}

/// The window `(from, to]` a range selector or subquery reads at `t`.
fn window_of(arg: &Expr, t: i64) -> (i64, i64) {
    let (range, offset, at) = match unparen(arg) {
        Expr::MatrixSelector(m) => (&m.range, m.vector.offset.as_ref(), m.vector.at),
        Expr::Subquery(s) => (&s.range, s.offset.as_ref(), s.at),
        _ => return (t, t),
    };
    // An instant query's step() and range() are 0.
    let ms = |d: &promql::DurationExpr| d.eval_ms(Some(0), Some(0)).unwrap_or(0);
    let end = match at {
        Some(AtModifier::Timestamp(ms)) => ms,
        _ => t,
    } - offset.map_or(0, ms);
    (end - ms(range), end)
}

fn windows(arg: &Expr, input: &engine::QueryResult, out: &engine::QueryResult, t: i64) -> Provenance {
    let (from_ms, to_ms) = window_of(arg, t);
    let mut rows = Vec::new();
    if let engine::Value::Matrix(ms) = &input.value {
        let outs: &[engine::VectorSample] = match &out.value {
            engine::Value::Vector(v) => v,
            _ => &[],
        };
        for s in ms.iter().take(MAX_WINDOWS) {
            let key = s.labels.without_metric_name();
            let value = outs
                .iter()
                .find(|o| o.labels.without_metric_name() == key)
                .map_or_else(String::new, |o| format_prom_float(o.v));
            let samples = s
                .samples
                .iter()
                .take(MAX_WINDOW_SAMPLES)
                .map(|p| (relative(p.t - to_ms), format_prom_float(p.v)))
                .collect();
            rows.push(ProvenanceWindow {
                series: s.labels.to_string(),
                value,
                samples,
                more_samples: s.samples.len().saturating_sub(MAX_WINDOW_SAMPLES),
            });
        }
    }
    Provenance::Windows { from_ms, to_ms, rows }
}

/// A sample's time relative to the window's end: `−15s`, `−4m45s`, `0s`.
fn relative(d: i64) -> String {
    if d == 0 {
        return "0s".to_string();
    }
    let sign = if d < 0 { "−" } else { "+" };
    format!("{sign}{}", format_duration(d.abs()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn describe_q(q: &str) -> String {
        promql::parse(q).map(|e| describe(&e, 300_000)).unwrap_or_else(|e| e.to_string())
    }

    #[test]
    fn sentences() {
        assert_eq!(
            describe_q(r#"http_requests_total{job="api", code=~"5.."}"#),
            r#"Selects the series of metric http_requests_total whose job is "api" and code fully matches the regex "5.." and takes, per series, the newest sample at most 5m old."#
        );
        assert!(describe_q("x[5m] offset 1h").contains("(t−5m, t], looking 1h further back (offset 1h)"));
        assert!(describe_q("sum by (job) (x)").starts_with("Adds up the values per group of series with the same job"));
        assert!(describe_q("a * on(instance) group_left(team) b").contains("many-to-one (group_left)"));
        assert!(describe_q("rate(x[5m])").starts_with("rate: Per-second average increase"));
        assert!(describe_q("max_over_time(x[10m:30s])").starts_with("max_over_time: "));
        assert!(describe_q("x[10m:30s]").starts_with("Evaluates the inner expression every 30s over the 10m window"));
        assert_eq!(relative(-285_000), "−4m45s");
    }
}
