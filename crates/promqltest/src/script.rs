//! The parsed form of a `.test` file: the commands and what each eval expects, kept apart from
//! the parser so the runner and the comparator can be read (and tested) without it.

use model::{Labels, Timestamp};
use promql::SeriesValue;
use model::goregex::Regex;

#[derive(Debug)]
pub struct Script {
    pub commands: Vec<Command>,
}

#[derive(Debug)]
pub enum Command {
    Load(Load),
    Clear { line: usize },
    Eval(Box<Eval>),
}

#[derive(Debug)]
pub struct Load {
    pub line: usize,
    /// Milliseconds between consecutive values of a series line.
    pub interval: i64,
    /// `load_with_nhcb`: classic histograms also become native ones (out of scope here, but the
    /// runner must know which series would exist).
    pub with_nhcb: bool,
    /// After "last line wins" for repeated label sets, in first-appearance order.
    pub series: Vec<LoadSeries>,
}

#[derive(Debug)]
pub struct LoadSeries {
    pub line: usize,
    pub labels: Labels,
    pub values: Vec<SeriesValue>,
    /// Start-timestamp offsets (ms) from an `@st` line, one per value; `None` = unknown.
    pub start_offsets: Option<Vec<Option<i64>>>,
}

#[derive(Debug)]
pub enum EvalKind {
    Instant { at: Timestamp },
    Range { start: Timestamp, end: Timestamp, step: i64 },
}

/// How an expected message (`fail`, `warn`, `info`) is matched.
#[derive(Debug, Clone)]
pub enum MsgMatch {
    Any,
    Exact(String),
    /// Unanchored, like Go's `regexp.MatchString`.
    Regex(Box<Regex>),
}

impl MsgMatch {
    pub fn matches(&self, msg: &str) -> bool {
        match self {
            MsgMatch::Any => true,
            MsgMatch::Exact(s) => s == msg,
            MsgMatch::Regex(r) => r.is_match(msg),
        }
    }

    pub fn describe(&self) -> String {
        match self {
            MsgMatch::Any => "any message".to_string(),
            MsgMatch::Exact(s) => format!("message {s:?}"),
            MsgMatch::Regex(r) => format!("regex {:?}", r.as_str()),
        }
    }
}

/// One expected series line: its position among series lines (for `expect ordered`) and its
/// values (one for a plain instant eval, one per step otherwise).
#[derive(Debug, Clone)]
pub struct ExpectedSeries {
    pub labels: Labels,
    pub pos: usize,
    pub values: Vec<SeriesValue>,
}

/// Everything an eval's header suffix and body lines ask for.
#[derive(Debug, Default)]
pub struct Expectations {
    pub fail: Option<MsgMatch>,
    pub warn: Vec<MsgMatch>,
    pub no_warn: bool,
    pub info: Vec<MsgMatch>,
    pub no_info: bool,
    /// `eval_warn` / `eval_info`: at least one annotation of the kind.
    pub any_warn: bool,
    pub any_info: bool,
    pub ordered: bool,
    /// `expect range vector from A to B step S`, in ms.
    pub range_vector: Option<(Timestamp, Timestamp, i64)>,
    pub string: Option<String>,
    pub scalar: Option<f64>,
    /// Unique by label set (a later line replaces an earlier one), in line order.
    pub series: Vec<ExpectedSeries>,
}

impl Expectations {
    pub fn has_histogram(&self) -> bool {
        self.series.iter().any(|s| {
            s.values.iter().any(|v| matches!(v, SeriesValue::Histogram(_) | SeriesValue::HistogramStep { .. }))
        })
    }
}

#[derive(Debug)]
pub struct Eval {
    pub line: usize,
    pub expr_text: String,
    pub expr: promql::Expr,
    pub kind: EvalKind,
    pub expect: Expectations,
}

impl Eval {
    /// The instant evaluation time, after `expect range vector` replaced it with its end.
    pub fn instant_time(&self) -> Option<Timestamp> {
        match self.kind {
            EvalKind::Instant { at } => Some(self.expect.range_vector.map_or(at, |(_, end, _)| end)),
            EvalKind::Range { .. } => None,
        }
    }
}
