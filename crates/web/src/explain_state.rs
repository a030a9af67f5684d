//! The Explain tab's and the histogram_quantile explainer's part of the page model: the requests
//! they send, the replies they keep, the chosen node. Plain data, so the logic is unit-tested
//! natively; `AppState::explain` holds one.

use protocol::{ExplainReply, HistogramReply, HistogramRequest, HistogramSource, QueryRequest, Request, RequestBody};

/// The demo's buckets and φ: `le=1 → 20`, `le=2 → 100`, φ = 0.5 gives 1.375.
pub const DEMO_BUCKETS: &str = "1:20, 2:100, +Inf:100";
pub const DEMO_PHI: &str = "0.5";
/// The what-if's starting bounds over the built-in latency sample (seconds).
pub const WHAT_IF_BOUNDS: &str = "0.05, 0.1, 0.25, 0.5, 1";

/// Requests of this model get ids from their own range: replies are routed by their kind, the
/// ids only tell a current reply from a superseded one.
const FIRST_ID: u32 = 1 << 30;

#[derive(Debug)]
pub struct ExplainModel {
    next_id: u32,
    pending_tree: Option<u32>,
    pub tree: Option<Result<ExplainReply, String>>,
    /// The query the tree is of: a histogram_quantile node is explained against it even when
    /// the editor has changed since.
    pub tree_query: Option<QueryRequest>,
    /// The node whose full result shows below the tree.
    pub selected: usize,
    /// The selected node's expression as a range query (shown as a graph), and its request.
    pub node_graph: Option<Result<protocol::ResultView, String>>,
    pending_graph: Option<u32>,
    pub hq: Hq,
}

/// Where the explainer's histogram comes from.
#[derive(Clone, Debug, PartialEq)]
pub enum HqSource {
    /// The typed buckets (the demo).
    Buckets,
    /// Node `node` of `query`, output series `series`.
    Query { query: QueryRequest, node: usize, series: usize },
}

#[derive(Debug)]
pub struct Hq {
    pub open: bool,
    pub source: HqSource,
    pub phi: String,
    pub buckets: String,
    pub bounds: String,
    pub what_if_phi: String,
    pending: Option<u32>,
    pending_what_if: Option<u32>,
    pub reply: Option<Result<HistogramReply, String>>,
    pub what_if: Option<Result<HistogramReply, String>>,
}

impl Default for ExplainModel {
    fn default() -> Self {
        ExplainModel {
            next_id: FIRST_ID,
            pending_tree: None,
            tree: None,
            tree_query: None,
            selected: 0,
            node_graph: None,
            pending_graph: None,
            hq: Hq {
                open: false,
                source: HqSource::Buckets,
                phi: DEMO_PHI.to_string(),
                buckets: DEMO_BUCKETS.to_string(),
                bounds: WHAT_IF_BOUNDS.to_string(),
                what_if_phi: "0.9".to_string(),
                pending: None,
                pending_what_if: None,
                reply: None,
                what_if: None,
            },
        }
    }
}

impl ExplainModel {
    fn take_id(&mut self) -> u32 {
        let id = self.next_id;
        self.next_id = self.next_id.wrapping_add(1).max(FIRST_ID);
        id
    }

    /// The tree of `query` (sent after the run that loads the data, so the worker has it).
    pub fn begin_tree(&mut self, query: QueryRequest) -> Request {
        let id = self.take_id();
        self.pending_tree = Some(id);
        let query = QueryRequest { range: None, ..query };
        self.tree_query = Some(query.clone());
        Request { id, body: RequestBody::Explain(query) }
    }

    pub fn finish_tree(&mut self, id: u32, reply: Result<ExplainReply, String>) {
        if self.pending_tree != Some(id) {
            return;
        }
        self.pending_tree = None;
        // A histogram explained from the previous tree may no longer be in this one.
        if matches!(self.hq.source, HqSource::Query { .. }) {
            self.hq.open = false;
        }
        self.select(0);
        self.tree = Some(reply);
    }

    /// Shows node `i`'s result; a graph of another node is dropped.
    pub fn select(&mut self, i: usize) {
        if self.selected != i {
            self.node_graph = None;
            self.pending_graph = None;
        }
        self.selected = i;
    }

    /// The selected node's expression evaluated over `range` (the Graph tab's controls), at
    /// the tree's own evaluation time when the range leaves its end open.
    pub fn begin_node_graph(&mut self, range: protocol::RangeInput) -> Option<Request> {
        let Some(Ok(tree)) = &self.tree else { return None };
        let node = tree.nodes.get(self.selected)?;
        let time = self.tree_query.as_ref().map(|q| q.time.clone()).unwrap_or_default();
        let end = if range.end.is_empty() { time.clone() } else { range.end };
        let query = QueryRequest { query: node.text.clone(), time, range: Some(protocol::RangeInput { end, ..range }) };
        let id = self.take_id();
        self.pending_graph = Some(id);
        self.node_graph = None;
        Some(Request { id, body: RequestBody::Evaluate(query) })
    }

    pub fn finish_node_graph(&mut self, id: u32, reply: Result<protocol::ResultView, String>) {
        if self.pending_graph == Some(id) {
            self.pending_graph = None;
            self.node_graph = Some(reply);
        }
    }

    /// Opens the explainer on the demo buckets (also the reply to edits of φ or the buckets).
    pub fn begin_demo(&mut self) -> Vec<Request> {
        self.hq.open = true;
        self.hq.source = HqSource::Buckets;
        let mut out = vec![self.begin_histogram()];
        if self.hq.what_if.is_none() {
            out.push(self.begin_what_if());
        }
        out
    }

    /// Opens the explainer on output series `series` of the histogram_quantile node `node`.
    pub fn begin_query(&mut self, query: QueryRequest, node: usize, series: usize) -> Vec<Request> {
        self.hq.open = true;
        self.hq.source = HqSource::Query { query: QueryRequest { range: None, ..query }, node, series };
        let mut out = vec![self.begin_histogram()];
        if self.hq.what_if.is_none() {
            out.push(self.begin_what_if());
        }
        out
    }

    /// Re-asks for the current source (after φ, the buckets or the series changed).
    pub fn begin_histogram(&mut self) -> Request {
        let source = match &self.hq.source {
            HqSource::Buckets => HistogramSource::Buckets(self.hq.buckets.clone()),
            HqSource::Query { query, node, series } => {
                HistogramSource::Query { query: query.clone(), node: *node, series: *series }
            }
        };
        let id = self.take_id();
        self.hq.pending = Some(id);
        Request { id, body: RequestBody::Histogram(HistogramRequest { phi: self.hq.phi.clone(), source }) }
    }

    pub fn begin_what_if(&mut self) -> Request {
        let id = self.take_id();
        self.hq.pending_what_if = Some(id);
        let source = HistogramSource::Sample(self.hq.bounds.clone());
        Request { id, body: RequestBody::Histogram(HistogramRequest { phi: self.hq.what_if_phi.clone(), source }) }
    }

    /// Chooses another output series of the explained histogram_quantile.
    pub fn choose_series(&mut self, i: usize) -> Option<Request> {
        match &mut self.hq.source {
            HqSource::Query { series, .. } => *series = i,
            HqSource::Buckets => return None,
        }
        Some(self.begin_histogram())
    }

    pub fn finish_histogram(&mut self, id: u32, reply: Result<HistogramReply, String>) {
        if self.hq.pending == Some(id) {
            self.hq.pending = None;
            self.hq.reply = Some(reply);
        } else if self.hq.pending_what_if == Some(id) {
            self.hq.pending_what_if = None;
            self.hq.what_if = Some(reply);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replies_go_to_the_request_that_is_current() {
        let mut m = ExplainModel::default();
        let first = m.begin_tree(QueryRequest { query: "up".into(), ..QueryRequest::default() });
        let second = m.begin_tree(QueryRequest { query: "up".into(), ..QueryRequest::default() });
        m.finish_tree(first.id, Err("old".into()));
        assert!(m.tree.is_none());
        m.finish_tree(second.id, Ok(ExplainReply::default()));
        assert!(matches!(m.tree, Some(Ok(_))));

        let reqs = m.begin_demo();
        assert!(m.hq.open);
        assert_eq!(reqs.len(), 2);
        match &reqs[0].body {
            RequestBody::Histogram(h) => {
                assert_eq!(h.source, HistogramSource::Buckets(DEMO_BUCKETS.into()));
                assert_eq!(h.phi, "0.5");
            }
            other => panic!("{other:?}"),
        }
        m.finish_histogram(reqs[1].id, Err("what-if".into()));
        m.finish_histogram(reqs[0].id, Err("main".into()));
        assert_eq!(m.hq.reply, Some(Err("main".into())));
        assert_eq!(m.hq.what_if, Some(Err("what-if".into())));
        assert!(m.choose_series(1).is_none());
    }

    #[test]
    fn a_node_is_graphed_over_the_graph_tabs_range_until_another_is_chosen() {
        let mut m = ExplainModel::default();
        assert!(m.begin_node_graph(protocol::RangeInput::default()).is_none(), "no tree yet");
        let q = QueryRequest { query: "sum(rate(x[5m]))".into(), time: "600".into(), range: None };
        let tree = m.begin_tree(q);
        let node = |text: &str| protocol::ExplainNode { text: text.into(), ..protocol::ExplainNode::default() };
        m.finish_tree(tree.id, Ok(ExplainReply { time_ms: 600_000, nodes: vec![node("sum(rate(x[5m]))"), node("rate(x[5m])")] }));
        m.select(1);
        let req = m.begin_node_graph(protocol::RangeInput { step: "1m".into(), ..Default::default() }).unwrap();
        match &req.body {
            RequestBody::Evaluate(q) => {
                assert_eq!(q.query, "rate(x[5m])");
                assert_eq!(q.range, Some(protocol::RangeInput { end: "600".into(), range: String::new(), step: "1m".into() }));
            }
            other => panic!("{other:?}"),
        }
        m.finish_node_graph(req.id, Err("drawn".into()));
        assert_eq!(m.node_graph, Some(Err("drawn".into())));
        m.select(1);
        assert!(m.node_graph.is_some(), "the same node keeps its graph");
        m.select(0);
        assert_eq!(m.node_graph, None);
        m.finish_node_graph(req.id, Err("late".into()));
        assert_eq!(m.node_graph, None, "a reply for a dropped graph is ignored");
    }

    #[test]
    fn a_query_histogram_closes_with_a_new_tree() {
        let mut m = ExplainModel::default();
        let q = QueryRequest { query: "histogram_quantile(0.9, x)".into(), ..QueryRequest::default() };
        m.begin_query(q, 0, 0);
        let req = m.choose_series(2).map(|r| r.body);
        assert!(matches!(req, Some(RequestBody::Histogram(HistogramRequest { source: HistogramSource::Query { series: 2, .. }, .. }))));
        let t = m.begin_tree(QueryRequest::default());
        m.finish_tree(t.id, Ok(ExplainReply::default()));
        assert!(!m.hq.open);
    }
}
