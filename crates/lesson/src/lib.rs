//! Workshop lessons: the lesson file format (`www/lessons/FORMAT.md`) parsed into the protocol's
//! [`protocol::Lesson`]: prose rendered to safe HTML, example queries, the lesson's data, and
//! exercises whose solutions are known to parse. Every error is `line:col: message` in the file.
//! Checking answers is the session's job (`crates/session/src/lesson.rs`); this crate evaluates
//! nothing.

mod exercise;
mod fence;
mod front;
pub mod markdown;
mod scan;
mod yamlin;

use std::fmt;

use protocol::{Lesson, LessonBlock};

use scan::Segment;

/// Samples without a timestamp in a lesson's ```data block count as scraped at this time when
/// the lesson gives no `time` (2023-11-14T22:13:20Z), so a lesson's answers never depend on
/// when it is opened.
pub const DEFAULT_TIME_MS: i64 = 1_700_000_000_000;

/// A lesson-file error at its 1-based line and column.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Error {
    pub line: usize,
    pub col: usize,
    pub message: String,
}

impl Error {
    pub fn new(line: usize, col: usize, message: impl Into<String>) -> Self {
        Error { line, col, message: message.into() }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}: {}", self.line, self.col, self.message)
    }
}

impl std::error::Error for Error {}

/// A parsed lesson with the file lines tools report against.
#[derive(Clone, Debug, PartialEq)]
pub struct Parsed {
    pub lesson: Lesson,
    /// The line of each exercise's opening fence, in `lesson.exercises` order.
    pub exercise_lines: Vec<usize>,
    /// The line of the ```data block's first content line (its data's line 1).
    pub data_line: Option<usize>,
}

/// Parses a lesson file.
pub fn parse(text: &str) -> Result<Parsed, Error> {
    let scanned = scan::scan(text)?;
    let front = front::parse(&scanned.front, scanned.front_line)?;
    let mut lesson =
        Lesson { id: front.id, title: front.title, dataset: front.dataset, time: front.time, ..Lesson::default() };
    let mut exercise_lines = Vec::new();
    let mut data_line: Option<usize> = None;
    let mut ids: Vec<(String, usize)> = Vec::new();
    for seg in &scanned.segments {
        match seg {
            Segment::Prose(lines) => {
                let html = markdown::to_html(&lines.join("\n"));
                if !html.is_empty() {
                    lesson.blocks.push(LessonBlock::Html(html));
                }
            }
            Segment::Block(b) => match b.fence.lang() {
                "promql" => lesson.blocks.push(LessonBlock::Example(b.lines.join("\n").trim().to_string())),
                "data" => {
                    let col = b.fence.indent + 1;
                    if let Some(first) = data_line {
                        let msg = format!("a lesson has one ```data block; the first starts at line {}", first - 1);
                        return Err(Error::new(b.line, col, msg));
                    }
                    if lesson.dataset.is_some() {
                        let msg = "this lesson names a `dataset:` in its front matter: it has no ```data block as well";
                        return Err(Error::new(b.line, col, msg));
                    }
                    data_line = Some(b.line + 1);
                    lesson.data = Some(b.text());
                }
                _ => {
                    let (ex, (line, col)) = exercise::parse(b, &lesson.time)?;
                    if let Some((_, first)) = ids.iter().find(|(id, _)| *id == ex.id) {
                        return Err(Error::new(
                            line,
                            col,
                            format!("exercise id {:?} is already used at line {first}", ex.id),
                        ));
                    }
                    ids.push((ex.id.clone(), line));
                    lesson.blocks.push(LessonBlock::Exercise(lesson.exercises.len()));
                    lesson.exercises.push(ex);
                    exercise_lines.push(b.line);
                }
            },
        }
    }
    Ok(Parsed { lesson, exercise_lines, data_line })
}

/// Whether a query's result comes in an order of its own: its outermost function (parentheses
/// aside) is `sort`, `sort_desc`, `sort_by_label` or `sort_by_label_desc`. Otherwise series
/// order carries no meaning and an answer is not judged by it.
pub fn sorts_result(query: &str) -> bool {
    let Ok(mut e) = promql::parse(query) else { return false };
    while let promql::Expr::Paren(p) = e {
        e = *p.expr;
    }
    matches!(&e, promql::Expr::Call(c) if matches!(c.func.name, "sort" | "sort_desc" | "sort_by_label" | "sort_by_label_desc"))
}

#[cfg(test)]
mod tests;
