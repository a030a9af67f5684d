//! The Lessons view's part of the model (workshop mode): the built-in course, the learner's
//! progress, the open lesson with each exercise's answer, hints and last verdict, and the
//! requests that parse lessons and check answers. A child of `state` so a check can tell
//! whether the worker holds the lesson's data (and send it along when not), as a run does.

use protocol::{
    Analysis, CheckReply, CheckRequest, Lesson, LessonBlock, LessonReply, LessonRequest, LoadRequest, Request,
    RequestBody,
};
use serde::{Deserialize, Serialize};

use super::own_lessons::OwnLessons;
use super::AppState;

/// Samples of a lesson's own data without a timestamp count as scraped at this time, unless
/// the lesson gives one (the lesson format's default, 2023-11-14T22:13:20Z).
pub const DEFAULT_LESSON_TIME_MS: i64 = 1_700_000_000_000;

/// One built-in lesson of `lessons/index.json`.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct CatalogEntry {
    pub id: String,
    /// Relative to `lessons/` in the built site.
    pub file: String,
    pub title: String,
    pub summary: String,
}

/// Where the open lesson came from: a link reproduces it.
#[derive(Clone, Debug, PartialEq)]
pub enum LessonSource {
    /// A built-in lesson, by its catalog id (`#lesson=<id>`).
    Builtin(String),
    /// A file, pasted text or a link's text (carried compressed in the link).
    Text(String),
}

/// What a parse request is for.
#[derive(Clone, Debug, PartialEq)]
enum ParseFor {
    /// A built-in lesson parsed for the overview's exercise list.
    Overview,
    Open(LessonSource),
}

/// The learner's progress on one exercise (`lesson id/exercise id`), kept between visits.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ExerciseProgress {
    pub lesson: String,
    pub exercise: String,
    pub done: bool,
    /// The last answer checked or typed.
    pub answer: String,
}

/// Everything kept in localStorage (`promplay.lessons`). A list, not nested maps: a course has
/// tens of exercises, and map code costs the page's wasm size. Version 1; fields added later
/// must default so old progress keeps loading.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Progress {
    pub v: u32,
    pub exercises: Vec<ExerciseProgress>,
}

impl Progress {
    pub fn get(&self, lesson: &str, exercise: &str) -> Option<&ExerciseProgress> {
        self.exercises.iter().find(|p| p.lesson == lesson && p.exercise == exercise)
    }

    /// Changes an exercise's progress, starting from none.
    fn update(&mut self, lesson: &str, exercise: &str, f: impl FnOnce(&mut ExerciseProgress)) {
        self.v = 1;
        match self.exercises.iter_mut().find(|p| p.lesson == lesson && p.exercise == exercise) {
            Some(p) => f(p),
            None => {
                let mut p = ExerciseProgress { lesson: lesson.to_string(), exercise: exercise.to_string(), ..Default::default() };
                f(&mut p);
                self.exercises.push(p);
            }
        }
    }

    fn forget(&mut self, lesson: &str, exercise: &str) {
        self.exercises.retain(|p| !(p.lesson == lesson && p.exercise == exercise));
    }

    pub fn is_done(&self, lesson: &str, exercise: &str) -> bool {
        self.get(lesson, exercise).is_some_and(|p| p.done)
    }

    /// How many of `lesson`'s exercises are done.
    pub fn done_count(&self, lesson: &Lesson) -> usize {
        lesson.exercises.iter().filter(|e| self.is_done(&lesson.id, &e.id)).count()
    }
}

/// The learner's side of one exercise of the open lesson.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ExerciseView {
    pub answer: String,
    /// How many hints are shown (one more per press of Hint).
    pub hints_shown: usize,
    pub solution_shown: bool,
    /// The check in flight.
    pub checking: Option<u32>,
    /// The last verdict.
    pub reply: Option<CheckReply>,
    /// The answer's highlighting and parse error (PromQL answers), and the newest request for it.
    /// Its completions are the open completion list, as in the query editor.
    pub analysis: Option<Analysis>,
    analyzing: Option<u32>,
    /// The newest request was for typing at the caret: its completions open the list.
    completing: bool,
    /// The selected completion.
    pub completion_index: usize,
}

/// The lesson's data as put into the data pane.
#[derive(Clone, Debug, PartialEq)]
pub struct LessonData {
    pub text: String,
    /// Scrape and evaluation time of the lesson's queries.
    pub time_ms: i64,
    /// The data version it was loaded as: a different one means the learner changed the data
    /// and a check must load the lesson's again.
    version: u64,
}

/// The lesson being read.
#[derive(Clone, Debug, PartialEq)]
pub struct OpenLesson {
    pub lesson: Lesson,
    pub source: LessonSource,
    /// Parallel to `lesson.exercises`.
    pub exercises: Vec<ExerciseView>,
    /// `None` while a dataset is fetched.
    pub data: Option<LessonData>,
    /// Why the lesson's dataset could not be loaded.
    pub data_error: Option<String>,
    /// The dataset's title, once it is loaded.
    pub dataset_title: Option<String>,
}

#[derive(Debug, Default)]
pub struct LessonState {
    /// The Lessons view is shown instead of the Query view.
    pub shown: bool,
    pub catalog: Vec<CatalogEntry>,
    /// The catalog was asked for (once).
    pub catalog_requested: bool,
    /// Built-in lessons parsed for the overview.
    pub parsed: Vec<Lesson>,
    pub progress: Progress,
    /// The learner's own lessons, listed in the overview after the course.
    pub own: OwnLessons,
    pub open: Option<OpenLesson>,
    /// Bumped whenever another lesson opens (or none), so the page re-renders the lesson's
    /// blocks only then and not on every verdict.
    pub generation: u64,
    /// A lesson being fetched or parsed to be opened.
    pub opening: bool,
    /// Why the last lesson could not be opened: `line:col: message` for a parse error.
    pub error: Option<String>,
    /// What the last "Copy lesson link" did.
    pub link_status: Option<String>,
    /// The text of the last custom lesson that failed to parse: the page puts it in the
    /// overview's paste box, so it is kept for fixing.
    pub paste_text: String,
    parses: Vec<(u32, ParseFor)>,
}

/// What the page does after a parse reply.
#[derive(Debug, PartialEq)]
pub enum Parsed {
    Nothing,
    /// A lesson opened: fetch this built-in dataset (with the lesson's time, if any) …
    FetchDataset(String),
    /// … or its data is in the data pane already.
    DataReady,
}

/// `1700000605`, `1700000605.5` or RFC 3339 (`2023-11-14T22:23:25Z`, `…+01:00`, fractions)
/// to milliseconds; `None` for anything else.
pub fn parse_time_ms(text: &str) -> Option<i64> {
    let t = text.trim();
    if let Ok(secs) = t.parse::<f64>() {
        return secs.is_finite().then(|| (secs * 1000.0).round() as i64);
    }
    let b = t.as_bytes();
    let num = |from: usize, len: usize| -> Option<i64> {
        let s = t.get(from..from + len)?;
        s.bytes().all(|c| c.is_ascii_digit()).then(|| s.parse().ok())?
    };
    let sep = |i: usize, c: u8| b.get(i) == Some(&c);
    if !(sep(4, b'-') && sep(7, b'-') && matches!(b.get(10), Some(b'T' | b't' | b' ')) && sep(13, b':') && sep(16, b':')) {
        return None;
    }
    let (y, mo, d, h, mi, s) = (num(0, 4)?, num(5, 2)?, num(8, 2)?, num(11, 2)?, num(14, 2)?, num(17, 2)?);
    if !(1..=12).contains(&mo) || !(1..=31).contains(&d) || h > 23 || mi > 59 || s > 60 {
        return None;
    }
    let mut i = 19;
    let mut ms = 0;
    if sep(i, b'.') {
        let digits = b.get(i + 1..)?.iter().take_while(|c| c.is_ascii_digit()).count();
        if digits == 0 {
            return None;
        }
        let frac = t.get(i + 1..i + 1 + digits.min(3))?;
        ms = frac.parse::<i64>().ok()? * 10_i64.pow(3 - digits.min(3) as u32);
        i += 1 + digits;
    }
    let offset_min = match b.get(i) {
        Some(b'Z' | b'z') if i + 1 == b.len() => 0,
        Some(c @ (b'+' | b'-')) if i + 6 == b.len() && sep(i + 3, b':') => {
            let m = num(i + 1, 2)? * 60 + num(i + 4, 2)?;
            if *c == b'-' { -m } else { m }
        }
        _ => return None,
    };
    let days = days_from_civil(y, mo, d);
    Some((((days * 24 + h) * 60 + mi - offset_min) * 60 + s) * 1000 + ms)
}

/// (year, month, day) -> days since 1970-01-01 (Howard Hinnant's `days_from_civil`).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y.rem_euclid(400);
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// Milliseconds as the unix seconds the worker reads (`1700000605`, `1700000605.5`).
fn seconds_text(ms: i64) -> String {
    if ms % 1000 == 0 {
        (ms / 1000).to_string()
    } else {
        format!("{}", ms as f64 / 1000.0)
    }
}

impl LessonState {
    /// A built-in lesson parsed, for the overview.
    pub fn parsed_lesson(&self, id: &str) -> Option<&Lesson> {
        self.parsed.iter().find(|l| l.id == id)
    }

    fn remember_parsed(&mut self, lesson: Lesson) {
        self.parsed.retain(|l| l.id != lesson.id);
        self.parsed.push(lesson);
    }
}

impl OpenLesson {
    /// The example queries in reading order.
    pub fn examples(&self) -> impl Iterator<Item = &str> {
        self.lesson.blocks.iter().filter_map(|b| match b {
            LessonBlock::Example(q) => Some(q.as_str()),
            _ => None,
        })
    }
}

impl AppState {
    /// The request that parses a built-in lesson's text for the overview.
    pub fn begin_overview_parse(&mut self, text: String) -> Request {
        self.parse_request(text, ParseFor::Overview)
    }

    /// The request that parses a lesson to open it.
    pub fn begin_open(&mut self, text: String, source: LessonSource) -> Request {
        self.lesson.opening = true;
        self.lesson.error = None;
        self.parse_request(text, ParseFor::Open(source))
    }

    /// The request that opens one of the learner's own lessons again, by its id.
    pub fn begin_open_own(&mut self, id: &str) -> Option<Request> {
        let text = self.lesson.own.get(id)?.text.clone();
        Some(self.begin_open(text.clone(), LessonSource::Text(text)))
    }

    fn parse_request(&mut self, text: String, purpose: ParseFor) -> Request {
        let id = self.take_id();
        self.lesson.parses.push((id, purpose));
        Request { id, body: RequestBody::Lesson(LessonRequest::Parse { text }) }
    }

    /// Takes a lesson reply: a parse for the overview or to open a lesson, or a check.
    /// Replies nobody waits for are dropped.
    pub fn finish_lesson(&mut self, id: u32, reply: LessonReply) -> Parsed {
        if let Some(i) = self.lesson.parses.iter().position(|(p, _)| *p == id) {
            let (_, purpose) = self.lesson.parses.remove(i);
            let result = match reply {
                LessonReply::Parsed(r) => r,
                LessonReply::Checked(_) => Err("the evaluator answered a parse with a check".to_string()),
            };
            return match purpose {
                ParseFor::Overview => {
                    if let Ok(lesson) = result {
                        self.lesson.remember_parsed(lesson);
                    }
                    Parsed::Nothing
                }
                ParseFor::Open(source) => self.open_parsed(result, source),
            };
        }
        let reply = match reply {
            LessonReply::Checked(c) => *c,
            // An evaluator without workshop mode answers every lesson request with a parse error.
            LessonReply::Parsed(r) => CheckReply { feedback: vec![r.err().unwrap_or_default()], ..CheckReply::default() },
        };
        self.finish_check(id, reply);
        Parsed::Nothing
    }

    fn open_parsed(&mut self, result: Result<Lesson, String>, source: LessonSource) -> Parsed {
        self.lesson.opening = false;
        let lesson = match result {
            Ok(l) => l,
            Err(e) => {
                self.lesson.error = Some(e);
                if let LessonSource::Text(text) = source {
                    self.lesson.paste_text = text;
                }
                return Parsed::Nothing;
            }
        };
        let progress = &self.lesson.progress;
        let exercises = lesson
            .exercises
            .iter()
            .map(|e| ExerciseView {
                answer: progress.get(&lesson.id, &e.id).map_or_else(|| e.start.clone(), |p| p.answer.clone()),
                ..ExerciseView::default()
            })
            .collect();
        let dataset = lesson.dataset.clone();
        let own = lesson.data.clone();
        let time = parse_time_ms(&lesson.time);
        match &source {
            LessonSource::Builtin(_) => self.lesson.remember_parsed(lesson.clone()),
            LessonSource::Text(text) => self.lesson.own.remember(&lesson, text),
        }
        self.lesson.open = Some(OpenLesson { lesson, source, exercises, data: None, data_error: None, dataset_title: None });
        self.lesson.generation += 1;
        match (dataset, own) {
            (Some(d), _) => Parsed::FetchDataset(d),
            (None, text) => {
                self.set_lesson_data(text.unwrap_or_default(), time.unwrap_or(DEFAULT_LESSON_TIME_MS));
                Parsed::DataReady
            }
        }
    }

    /// Puts the open lesson's data into the data pane, evaluated at `time_ms`; the time
    /// controls are cleared so the lesson's queries run at the lesson's time.
    pub fn set_lesson_data(&mut self, text: String, time_ms: i64) {
        self.set_dataset(text.clone(), time_ms);
        self.time_text.clear();
        self.range = protocol::RangeInput::default();
        let version = self.data_version;
        if let Some(open) = &mut self.lesson.open {
            open.data = Some(LessonData { text, time_ms, version });
            open.data_error = None;
        }
    }

    /// The time the open lesson's dataset is evaluated at: the lesson's own, else the dataset's.
    pub fn lesson_time_ms(&self, dataset_time_ms: i64) -> i64 {
        self.lesson.open.as_ref().and_then(|o| parse_time_ms(&o.lesson.time)).unwrap_or(dataset_time_ms)
    }

    /// Closes the open lesson (back to the overview).
    pub fn close_lesson(&mut self) {
        self.lesson.open = None;
        self.lesson.generation += 1;
    }

    /// The request that checks exercise `i`'s answer, and whether the lesson's data had to be
    /// put back into the data pane (the learner changed it, or the worker holds relabeled
    /// series): the caller then refills the data editor. `None` while the data is not in.
    pub fn begin_check(&mut self, i: usize) -> Option<(Request, bool)> {
        let open = self.lesson.open.as_ref()?;
        let data = open.data.as_ref()?;
        let refill = data.version != self.data_version || self.relabeled_in_worker();
        if refill {
            let (text, time) = (data.text.clone(), data.time_ms);
            self.set_lesson_data(text, time);
        }
        let open = self.lesson.open.as_ref()?;
        let data = open.data.as_ref()?;
        let mut exercise = open.lesson.exercises.get(i)?.clone();
        let answer = open.exercises.get(i)?.answer.clone();
        // The exercise's time, else the lesson's, so answer and solution run at the instant the
        // lesson is written for whatever the worker's data says.
        if exercise.time.is_empty() && exercise.range.is_none() {
            exercise.time = seconds_text(data.time_ms);
        }
        let current = (self.data_version, self.pinned_time_ms);
        let load = (self.worker_has != Some(current)).then(|| LoadRequest {
            text: data.text.clone(),
            scrape_time_ms: data.time_ms,
            eval_time_ms: Some(data.time_ms),
        });
        self.worker_has = Some(current);
        let id = self.take_id();
        let view = self.lesson.open.as_mut()?.exercises.get_mut(i)?;
        view.checking = Some(id);
        let body = RequestBody::Lesson(LessonRequest::Check(Box::new(CheckRequest { load, exercise, answer })));
        Some((Request { id, body }, refill))
    }

    /// Takes a check's verdict; a passed exercise is marked done. True when the progress
    /// changed (the caller saves it).
    pub fn finish_check(&mut self, id: u32, reply: CheckReply) -> bool {
        match &reply.load {
            Some(Ok(summary)) if self.lesson_checking(id) => {
                self.output.data_summary = Some(summary.clone());
                self.output.data_error = None;
            }
            Some(Err(e)) if self.lesson_checking(id) => {
                self.worker_has = None;
                self.output.data_error = Some(e.clone());
            }
            _ => {}
        }
        let Some(open) = &mut self.lesson.open else { return false };
        let Some(i) = open.exercises.iter().position(|e| e.checking == Some(id)) else { return false };
        let (Some(view), Some(ex)) = (open.exercises.get_mut(i), open.lesson.exercises.get(i)) else { return false };
        view.checking = None;
        let passed = reply.passed;
        view.reply = Some(reply);
        self.lesson.progress.update(&open.lesson.id, &ex.id, |p| {
            p.answer = view.answer.clone();
            p.done |= passed;
        });
        true
    }

    fn lesson_checking(&self, id: u32) -> bool {
        self.lesson.open.as_ref().is_some_and(|o| o.exercises.iter().any(|e| e.checking == Some(id)))
    }

    /// Mirrors an answer editor into the model and the progress (the caller saves it when the
    /// editor loses focus).
    pub fn set_answer(&mut self, i: usize, text: String) {
        let Some(open) = &mut self.lesson.open else { return };
        let (Some(view), Some(ex)) = (open.exercises.get_mut(i), open.lesson.exercises.get(i)) else { return };
        self.lesson.progress.update(&open.lesson.id, &ex.id, |p| p.answer = text.clone());
        view.answer = text;
    }

    /// One more hint (no-op when all are shown).
    pub fn show_hint(&mut self, i: usize) {
        let Some(open) = &mut self.lesson.open else { return };
        let n = open.lesson.exercises.get(i).map_or(0, |e| e.hints.len());
        if let Some(v) = open.exercises.get_mut(i) {
            v.hints_shown = (v.hints_shown + 1).min(n);
        }
    }

    pub fn show_solution(&mut self, i: usize) {
        if let Some(v) = self.lesson.open.as_mut().and_then(|o| o.exercises.get_mut(i)) {
            v.solution_shown = true;
        }
    }

    /// "Reset exercise": its starting text back, hints, solution and verdict hidden, its
    /// progress forgotten. Returns the starting text for the editor.
    pub fn reset_exercise(&mut self, i: usize) -> Option<String> {
        let open = self.lesson.open.as_mut()?;
        let ex = open.lesson.exercises.get(i)?;
        let view = open.exercises.get_mut(i)?;
        *view = ExerciseView { answer: ex.start.clone(), ..ExerciseView::default() };
        self.lesson.progress.forget(&open.lesson.id, &ex.id);
        Some(ex.start.clone())
    }

    /// The request for the highlighting of exercise `i`'s answer (`None` for relabel rules),
    /// and for completions of the word before `caret` (bytes) when the learner is typing there.
    pub fn begin_answer_analyze(&mut self, i: usize, caret: Option<usize>) -> Option<Request> {
        let open = self.lesson.open.as_ref()?;
        if open.lesson.exercises.get(i)?.relabel {
            return None;
        }
        let query = open.exercises.get(i)?.answer.clone();
        // Nothing to highlight, and "no expression found" is no news while nothing is typed.
        if query.trim().is_empty() {
            let v = self.lesson.open.as_mut()?.exercises.get_mut(i)?;
            v.analysis = None;
            v.analyzing = None;
            return None;
        }
        let id = self.take_id();
        let v = self.lesson.open.as_mut()?.exercises.get_mut(i)?;
        v.analyzing = Some(id);
        v.completing = caret.is_some();
        let cursor = caret.unwrap_or(0).min(query.len());
        Some(Request { id, body: RequestBody::Analyze(protocol::AnalyzeRequest { query, cursor }) })
    }

    /// Exercise `i`'s open completion list, if any.
    pub fn answer_completions(&self, i: usize) -> Option<&Analysis> {
        let a = self.lesson.open.as_ref()?.exercises.get(i)?.analysis.as_ref()?;
        (!a.completions.is_empty()).then_some(a)
    }

    /// Closes exercise `i`'s completion list (Escape, leaving the editor, a choice made).
    pub fn close_answer_completions(&mut self, i: usize) {
        let v = self.lesson.open.as_mut().and_then(|o| o.exercises.get_mut(i));
        if let Some(a) = v.and_then(|v| v.analysis.as_mut()) {
            a.completions.clear();
        }
    }

    /// Moves the selection in exercise `i`'s completion list, wrapping around.
    pub fn move_answer_completion(&mut self, i: usize, down: bool) {
        let Some(v) = self.lesson.open.as_mut().and_then(|o| o.exercises.get_mut(i)) else { return };
        let n = v.analysis.as_ref().map_or(0, |a| a.completions.len()).max(1);
        v.completion_index = if down { (v.completion_index + 1) % n } else { (v.completion_index + n - 1) % n };
    }

    /// Exercise `i`'s answer with completion `index` put in place of the word before `caret`
    /// (bytes), and the caret after it; the list closes.
    pub fn accept_answer_completion(&mut self, i: usize, index: usize, caret: usize) -> Option<(String, usize)> {
        let v = self.lesson.open.as_ref()?.exercises.get(i)?;
        let a = v.analysis.as_ref()?;
        let c = a.completions.get(index)?;
        let edit = crate::editor::apply_completion(&v.answer, a.completion_from.min(caret), caret, &c.insert);
        self.close_answer_completions(i);
        edit
    }

    /// The highlighting of every answer, for a lesson just opened.
    pub fn begin_all_answer_analyses(&mut self) -> Vec<Request> {
        let n = self.lesson.open.as_ref().map_or(0, |o| o.exercises.len());
        (0..n).filter_map(|i| self.begin_answer_analyze(i, None)).collect()
    }

    /// Keeps an analysis that answers an exercise editor; hands back any other.
    pub fn finish_answer_analyze(&mut self, id: u32, analysis: Analysis) -> Option<Analysis> {
        let view = self.lesson.open.as_mut().and_then(|o| o.exercises.iter_mut().find(|v| v.analyzing == Some(id)));
        match view {
            Some(v) => {
                v.analyzing = None;
                v.completion_index = 0;
                let mut analysis = analysis;
                if !v.completing {
                    analysis.completions.clear();
                }
                v.analysis = Some(analysis);
                None
            }
            None => Some(analysis),
        }
    }

    /// The worker stopped: checks and parses in flight end with `why`.
    pub fn lesson_lost(&mut self, why: &str) {
        let opening = self.lesson.parses.iter().any(|(_, p)| matches!(p, ParseFor::Open(_)));
        self.lesson.parses.clear();
        if opening {
            self.lesson.opening = false;
            self.lesson.error = Some(why.to_string());
        }
        if let Some(open) = &mut self.lesson.open {
            for v in open.exercises.iter_mut().filter(|v| v.checking.is_some()) {
                v.checking = None;
                v.reply = Some(CheckReply { feedback: vec![why.to_string()], ..CheckReply::default() });
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use protocol::Exercise;

    fn lesson() -> Lesson {
        let ex = |id: &str, start: &str| Exercise {
            id: id.to_string(),
            title: id.to_string(),
            solution: "up".to_string(),
            start: start.to_string(),
            hints: vec!["<p>one</p>".to_string(), "<p>two</p>".to_string()],
            ..Exercise::default()
        };
        Lesson {
            id: "intro".to_string(),
            title: "Intro".to_string(),
            data: Some("up 1\n".to_string()),
            blocks: vec![LessonBlock::Html("<p>x</p>".to_string()), LessonBlock::Example("up".to_string()), LessonBlock::Exercise(0)],
            exercises: vec![ex("a", "u"), ex("b", "")],
            ..Lesson::default()
        }
    }

    fn open(s: &mut AppState, l: Lesson) -> Parsed {
        let req = s.begin_open("text".to_string(), LessonSource::Text("text".to_string()));
        s.finish_lesson(req.id, LessonReply::Parsed(Ok(l)))
    }

    fn check(req: &Request) -> Option<&CheckRequest> {
        match &req.body {
            RequestBody::Lesson(LessonRequest::Check(c)) => Some(c),
            _ => None,
        }
    }

    #[test]
    fn times_in_both_notations() {
        assert_eq!(parse_time_ms("1700000605"), Some(1_700_000_605_000));
        assert_eq!(parse_time_ms(" 1700000605.25 "), Some(1_700_000_605_250));
        assert_eq!(parse_time_ms("2023-11-14T22:13:20Z"), Some(1_700_000_000_000));
        assert_eq!(parse_time_ms("2023-11-14T22:13:20.5Z"), Some(1_700_000_000_500));
        assert_eq!(parse_time_ms("2023-11-14T23:13:20.123456+01:00"), Some(1_700_000_000_123));
        assert_eq!(parse_time_ms("1970-01-01T00:00:00Z"), Some(0));
        assert_eq!(parse_time_ms("2024-02-29T00:00:00-00:30"), Some(1_709_166_600_000));
        for bad in ["", "soon", "2023-11-14", "2023-13-14T22:13:20Z", "2023-11-14T22:13:20", "2023-11-14T22:13:20.Z", "NaN", "inf"] {
            assert_eq!(parse_time_ms(bad), None, "{bad}");
        }
    }

    #[test]
    fn opening_starts_from_progress_or_the_start_text() {
        let mut s = AppState::default();
        s.lesson.progress.update("intro", "b", |p| p.answer = "sum(up)".to_string());
        assert_eq!(open(&mut s, lesson()), Parsed::DataReady);
        let o = s.lesson.open.as_ref().map(|o| o.exercises.iter().map(|e| e.answer.clone()).collect::<Vec<_>>());
        assert_eq!(o, Some(vec!["u".to_string(), "sum(up)".to_string()]));
        // The lesson's own data is in the data pane, at the default lesson time.
        assert_eq!(s.data_text, "up 1\n");
        assert_eq!(s.pinned_time_ms(), Some(DEFAULT_LESSON_TIME_MS));
        assert_eq!(s.lesson.open.as_ref().map(|o| o.examples().collect::<Vec<_>>()), Some(vec!["up"]));
    }

    #[test]
    fn a_dataset_lesson_waits_for_its_data() {
        let mut s = AppState::default();
        let l = Lesson { dataset: Some("acme".to_string()), data: None, time: "1700000605".to_string(), ..lesson() };
        assert_eq!(open(&mut s, l), Parsed::FetchDataset("acme".to_string()));
        assert!(s.begin_check(0).is_none(), "no check before the data is in");
        assert_eq!(s.lesson_time_ms(5), 1_700_000_605_000);
        s.set_lesson_data("beverages 1\n".to_string(), 1_700_000_605_000);
        let (req, refill) = s.begin_check(0).unwrap_or_else(|| panic!("a check"));
        assert!(!refill);
        let c = check(&req).cloned().unwrap_or_else(|| panic!("a check request"));
        assert_eq!(c.load.map(|l| (l.text, l.eval_time_ms)), Some(("beverages 1\n".to_string(), Some(1_700_000_605_000))));
        assert_eq!(c.exercise.time, "1700000605");
        assert_eq!(c.answer, "u");
    }

    #[test]
    fn a_parse_error_keeps_the_custom_text() {
        let mut s = AppState::default();
        let req = s.begin_open("---\nid: x\n".to_string(), LessonSource::Text("---\nid: x\n".to_string()));
        assert!(s.lesson.opening);
        s.finish_lesson(req.id, LessonReply::Parsed(Err("2:1: title is required".to_string())));
        assert!(!s.lesson.opening);
        assert_eq!(s.lesson.error.as_deref(), Some("2:1: title is required"));
        assert_eq!(s.lesson.paste_text, "---\nid: x\n");
        assert!(s.lesson.open.is_none());
        assert!(s.lesson.own.lessons.is_empty(), "a lesson that does not parse is not listed");
    }

    #[test]
    fn own_lessons_are_listed_once_opened_and_open_again() {
        let mut s = AppState::default();
        let req = s.begin_open("builtin".to_string(), LessonSource::Builtin("intro".to_string()));
        s.finish_lesson(req.id, LessonReply::Parsed(Ok(lesson())));
        assert!(s.lesson.own.lessons.is_empty(), "the course is listed from its manifest");
        assert_eq!(s.begin_open_own("intro"), None);

        open(&mut s, lesson());
        let listed: Vec<_> = s.lesson.own.lessons.iter().map(|l| (l.id.as_str(), l.title.as_str(), l.text.as_str())).collect();
        assert_eq!(listed, [("intro", "Intro", "text")]);
        s.close_lesson();
        let req = s.begin_open_own("intro").unwrap_or_else(|| panic!("a request"));
        assert!(matches!(&req.body, RequestBody::Lesson(LessonRequest::Parse { text }) if text == "text"));
        assert!(s.lesson.opening);
        s.finish_lesson(req.id, LessonReply::Parsed(Ok(lesson())));
        assert_eq!(s.lesson.open.as_ref().map(|o| &o.source), Some(&LessonSource::Text("text".to_string())));
        assert_eq!(s.lesson.own.lessons.len(), 1);
    }

    #[test]
    fn the_data_is_sent_once_and_again_after_the_learner_changed_it() {
        let mut s = AppState::default();
        open(&mut s, lesson());
        let (first, _) = s.begin_check(0).unwrap_or_else(|| panic!("a check"));
        assert!(check(&first).is_some_and(|c| c.load.is_some()));
        s.finish_lesson(first.id, LessonReply::Checked(Box::default()));
        let (second, refill) = s.begin_check(0).unwrap_or_else(|| panic!("a check"));
        assert!(!refill);
        assert!(check(&second).is_some_and(|c| c.load.is_none()));
        s.set_data_text("other 2\n".to_string());
        let (third, refill) = s.begin_check(1).unwrap_or_else(|| panic!("a check"));
        assert!(refill);
        assert_eq!(s.data_text, "up 1\n");
        assert_eq!(check(&third).and_then(|c| c.load.as_ref()).map(|l| l.text.as_str()), Some("up 1\n"));
    }

    #[test]
    fn a_passed_check_marks_the_exercise_done_and_reset_forgets_it() {
        let mut s = AppState::default();
        open(&mut s, lesson());
        s.set_answer(0, "wrong".to_string());
        let (req, _) = s.begin_check(0).unwrap_or_else(|| panic!("a check"));
        let wrong = CheckReply { feedback: vec!["1 series missing: {job=\"b\"}".to_string()], ..CheckReply::default() };
        assert!(s.finish_check(req.id, wrong));
        assert_eq!(s.lesson.progress.get("intro", "a").map(|p| (p.done, p.answer.as_str())), Some((false, "wrong")));
        s.set_answer(0, "up".to_string());
        let (req, _) = s.begin_check(0).unwrap_or_else(|| panic!("a check"));
        assert!(!s.finish_check(req.id + 1, CheckReply::default()), "another id is not this check");
        s.finish_lesson(req.id, LessonReply::Checked(Box::new(CheckReply { passed: true, ..CheckReply::default() })));
        assert_eq!(s.lesson.progress.get("intro", "a").map(|p| (p.done, p.answer.as_str())), Some((true, "up")));
        let l = s.lesson.open.as_ref().map(|o| o.lesson.clone()).unwrap_or_default();
        assert_eq!(s.lesson.progress.done_count(&l), 1);
        // A wrong answer later does not undo what was achieved.
        let (req, _) = s.begin_check(0).unwrap_or_else(|| panic!("a check"));
        s.finish_check(req.id, CheckReply::default());
        assert_eq!(s.lesson.progress.done_count(&l), 1);

        s.show_hint(0);
        s.show_hint(0);
        s.show_hint(0);
        s.show_solution(0);
        let v = s.lesson.open.as_ref().and_then(|o| o.exercises.first().cloned()).unwrap_or_default();
        assert_eq!((v.hints_shown, v.solution_shown), (2, true));
        assert_eq!(s.reset_exercise(0).as_deref(), Some("u"));
        let v = s.lesson.open.as_ref().and_then(|o| o.exercises.first().cloned()).unwrap_or_default();
        assert_eq!((v.answer.as_str(), v.hints_shown, v.solution_shown, v.reply), ("u", 0, false, None));
        assert_eq!(s.lesson.progress.done_count(&l), 0);
        assert!(s.lesson.progress.exercises.is_empty());
    }

    #[test]
    fn an_evaluator_without_lessons_answers_checks_with_its_message() {
        let mut s = AppState::default();
        open(&mut s, lesson());
        let (req, _) = s.begin_check(1).unwrap_or_else(|| panic!("a check"));
        s.finish_lesson(req.id, LessonReply::Parsed(Err("lessons are not available yet".to_string())));
        let v = s.lesson.open.as_ref().and_then(|o| o.exercises.get(1).cloned()).unwrap_or_default();
        assert_eq!(v.checking, None);
        assert_eq!(v.reply.map(|r| (r.passed, r.feedback)), Some((false, vec!["lessons are not available yet".to_string()])));
    }

    #[test]
    fn overview_parses_fill_the_catalog_and_lost_checks_end() {
        let mut s = AppState::default();
        let req = s.begin_overview_parse("x".to_string());
        assert_eq!(s.finish_lesson(req.id, LessonReply::Parsed(Ok(lesson()))), Parsed::Nothing);
        assert_eq!(s.lesson.parsed_lesson("intro").map(|l| l.exercises.len()), Some(2));
        assert!(s.lesson.open.is_none());
        open(&mut s, lesson());
        let _ = s.begin_check(0);
        let _ = s.begin_open("y".to_string(), LessonSource::Builtin("y".to_string()));
        s.lesson_lost("The evaluator stopped");
        let v = s.lesson.open.as_ref().and_then(|o| o.exercises.first().cloned()).unwrap_or_default();
        assert_eq!(v.checking, None);
        assert_eq!(v.reply.map(|r| r.feedback), Some(vec!["The evaluator stopped".to_string()]));
        assert_eq!(s.lesson.error.as_deref(), Some("The evaluator stopped"));
    }

    #[test]
    fn answer_highlighting_is_routed_by_id() {
        let mut s = AppState::default();
        let mut l = lesson();
        if let Some(e) = l.exercises.get_mut(1) {
            e.relabel = true;
        }
        open(&mut s, l);
        let main = s.begin_analyze(0);
        let all = s.begin_all_answer_analyses();
        assert_eq!(all.len(), 1, "relabel rules are not PromQL");
        let newer = s.begin_answer_analyze(0, None).unwrap_or_else(|| panic!("a request"));
        let a = |n: usize| Analysis { completion_from: n, ..Analysis::default() };
        assert!(s.finish_answer_analyze(main.id, a(1)).is_some());
        // Superseded by the newer request for the same editor.
        assert!(s.finish_answer_analyze(all[0].id, a(2)).is_some());
        assert!(s.finish_answer_analyze(newer.id, a(3)).is_none());
        let v = s.lesson.open.as_ref().and_then(|o| o.exercises.first().cloned()).unwrap_or_default();
        assert_eq!(v.analysis.map(|a| a.completion_from), Some(3));
    }

    #[test]
    fn typing_in_an_answer_opens_its_completions() {
        let mut s = AppState::default();
        open(&mut s, lesson());
        let offered = |names: &[&str], from: usize| Analysis {
            completions: names
                .iter()
                .map(|n| protocol::Completion { label: n.to_string(), kind: "function".into(), detail: String::new(), insert: format!("{n}(") })
                .collect(),
            completion_from: from,
            ..Analysis::default()
        };
        // Highlighting a lesson just opened opens no list, whatever the worker offers.
        let all = s.begin_all_answer_analyses();
        s.finish_answer_analyze(all[0].id, offered(&["up"], 0));
        assert!(s.answer_completions(0).is_none());

        s.set_answer(0, "sum(ra) by (job)".to_string());
        let req = s.begin_answer_analyze(0, Some(6)).unwrap_or_else(|| panic!("a request"));
        assert!(matches!(&req.body, RequestBody::Analyze(a) if a.cursor == 6 && a.query == "sum(ra) by (job)"));
        s.finish_answer_analyze(req.id, offered(&["rate", "rad"], 4));
        assert_eq!(s.answer_completions(0).map(|a| a.completions.len()), Some(2));
        s.move_answer_completion(0, true);
        s.move_answer_completion(0, true);
        s.move_answer_completion(0, false);
        let index = s.lesson.open.as_ref().map_or(0, |o| o.exercises[0].completion_index);
        assert_eq!(index, 1);
        assert_eq!(s.accept_answer_completion(0, index, 6), Some(("sum(rad() by (job)".to_string(), 8)));
        assert!(s.answer_completions(0).is_none(), "a choice closes the list");

        let req = s.begin_answer_analyze(0, Some(6)).unwrap_or_else(|| panic!("a request"));
        s.finish_answer_analyze(req.id, offered(&["rate"], 4));
        s.close_answer_completions(0);
        assert!(s.answer_completions(0).is_none());
        assert_eq!(s.accept_answer_completion(0, 0, 6), None, "nothing to accept once closed");
    }
}
