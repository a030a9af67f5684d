//! The messages of workshop mode: a lesson parsed into prose and exercises, and the verdict on a
//! learner's answer. The page keeps the parsed lesson and sends an exercise back with each
//! answer, so the worker holds no lesson state (a restarted worker checks as well as the old one).

use serde::{Deserialize, Serialize};

use crate::{DataSummary, LoadRequest, RangeInput, ResultView};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum LessonRequest {
    /// Parse a lesson's text (the format is in the README); nothing is loaded.
    Parse { text: String },
    /// Evaluate `answer` and the exercise's solution on the lesson's data and compare them.
    Check(Box<CheckRequest>),
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CheckRequest {
    /// The lesson's data, when the worker does not hold it yet (as in `RunRequest::load`).
    pub load: Option<LoadRequest>,
    pub exercise: Exercise,
    pub answer: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum LessonReply {
    /// The lesson, or `line:col: message` pointing into the lesson's text.
    Parsed(Result<Lesson, String>),
    Checked(Box<CheckReply>),
}

/// A parsed lesson. Prose is already HTML: rendered from the lesson's Markdown by the worker,
/// every text escaped, links only `http(s):` and `#`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Lesson {
    /// From the front matter; also the key of the learner's progress.
    pub id: String,
    pub title: String,
    /// A built-in dataset (`www/datasets/index.json` id) the page fetches …
    pub dataset: Option<String>,
    /// … or the lesson's own data (exposition text, `load` block, API JSON).
    pub data: Option<String>,
    /// Evaluation time (unix seconds or RFC 3339) for the lesson's queries; empty: the data's.
    pub time: String,
    /// The lesson in reading order.
    pub blocks: Vec<LessonBlock>,
    pub exercises: Vec<Exercise>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum LessonBlock {
    /// Rendered Markdown.
    Html(String),
    /// A query the learner can run with one click (a ```promql block).
    Example(String),
    /// `Lesson::exercises[i]`.
    Exercise(usize),
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Exercise {
    /// Unique within the lesson; progress is kept per `lesson id/exercise id`.
    pub id: String,
    pub title: String,
    /// A relabel exercise: `solution` and `start` are YAML lists of `metric_relabel_configs`
    /// rules, applied to every series of the lesson's data; the stored series are compared.
    pub relabel: bool,
    /// The task, rendered Markdown (HTML).
    pub task_html: String,
    /// Shown one at a time on request, each rendered Markdown (HTML).
    pub hints: Vec<String>,
    pub solution: String,
    /// What the editor holds when the exercise starts (and after "reset exercise").
    pub start: String,
    /// Instant query time (empty: the lesson's), or a range query.
    pub time: String,
    pub range: Option<RangeInput>,
    /// Series order matters (the solution sorts); `None`: decided from the solution's query.
    pub ordered: Option<bool>,
    /// Relative tolerance for values (default 1e-6).
    pub tolerance: Option<f64>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct CheckReply {
    /// Present when the request loaded data.
    pub load: Option<Result<DataSummary, String>>,
    pub passed: bool,
    /// What differs, most important first, in words (`2 series missing: {job="b"}, …`,
    /// `values differ at 10:05:00: …`, `you returned a range vector …`); empty when passed.
    pub feedback: Vec<String>,
    /// The learner's result (or their query's error in `feedback`).
    pub result: Option<ResultView>,
    pub elapsed_ms: f64,
}
