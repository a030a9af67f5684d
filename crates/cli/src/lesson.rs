//! `promplay lesson check [--datasets DIR] FILE...`: lesson files checked for instructors' CI.
//! Each lesson must parse; each exercise's solution must run on the lesson's data, return
//! something, and pass its own check, through the same session code the browser's worker runs
//! (so what passes here passes there). The format is `www/lessons/FORMAT.md`.

use std::path::{Path, PathBuf};

use protocol::{
    CheckReply, CheckRequest, Exercise, LessonReply, LessonRequest, LoadRequest, Request, RequestBody, ResponseBody,
};
use session::Session;

use crate::args::Args;

const USAGE: &str = "usage: promplay lesson check [--datasets DIR] FILE...";

pub fn main(argv: &[String]) -> (u8, String) {
    if argv.first().map(String::as_str) != Some("check") {
        eprintln!("{USAGE}");
        return (2, String::new());
    }
    let args = match Args::parse(argv.get(1..).unwrap_or_default(), &["datasets"]) {
        Ok(a) if !a.positional.is_empty() => a,
        Ok(_) => {
            eprintln!("{USAGE}");
            return (2, String::new());
        }
        Err(e) => {
            eprintln!("promplay lesson: {e}\n{USAGE}");
            return (2, String::new());
        }
    };
    let datasets = match args.one("datasets") {
        Ok(d) => PathBuf::from(d.unwrap_or("www/datasets")),
        Err(e) => {
            eprintln!("promplay lesson: {e}");
            return (2, String::new());
        }
    };
    let mut out = String::new();
    let (mut exercises, mut failed) = (0usize, 0usize);
    for path in &args.positional {
        let t = check_file(path, &datasets, &mut out);
        exercises += t.exercises;
        failed += t.failed;
    }
    out.push_str(&format!("{} lessons, {exercises} exercises, {failed} failed\n", args.positional.len()));
    (u8::from(failed > 0), out)
}

#[derive(Default)]
struct Tally {
    exercises: usize,
    failed: usize,
}

fn check_file(path: &str, datasets: &Path, out: &mut String) -> Tally {
    let mut t = Tally::default();
    // `line` is `line` or `line:col`.
    let mut fail = |line: String, msg: String, t: &mut Tally| {
        out.push_str(&format!("{path}:{line}: {msg}\n"));
        t.failed += 1;
    };
    let text = match std::fs::read_to_string(path) {
        Ok(s) => s,
        Err(e) => {
            fail("1".into(), format!("cannot read the lesson: {e}"), &mut t);
            return t;
        }
    };
    let parsed = match ::lesson::parse(&text) {
        Ok(p) => p,
        Err(e) => {
            fail(format!("{}:{}", e.line, e.col), e.message, &mut t);
            return t;
        }
    };
    let lesson = &parsed.lesson;
    t.exercises = lesson.exercises.len();
    let load = match load_request(lesson, &text, datasets) {
        Ok(l) => l,
        Err((line, msg)) => {
            // Nothing can run: every exercise fails with the data.
            fail(line.to_string(), msg, &mut t);
            t.failed = t.failed.max(t.exercises);
            return t;
        }
    };
    let mut session = Session::new();
    let mut load = Some(load);
    for (i, ex) in lesson.exercises.iter().enumerate() {
        let line = parsed.exercise_lines.get(i).copied().unwrap_or(1);
        let reply = check(&mut session, load.take(), ex, &ex.solution);
        if let Some(Err(e)) = &reply.load {
            fail(
                data_error_line(e, parsed.data_line).to_string(),
                format!("the lesson's data does not load: {e}"),
                &mut t,
            );
            t.failed = t.failed.max(t.exercises);
            return t;
        }
        if let Err(msg) = verdict(&mut session, ex, &reply) {
            fail(line.to_string(), format!("exercise {:?}: {msg}", ex.id), &mut t);
        }
    }
    t
}

/// What is wrong with an exercise, given its solution's own check.
fn verdict(session: &mut Session, ex: &Exercise, reply: &CheckReply) -> Result<(), String> {
    if !reply.passed {
        return Err(format!("the solution does not pass its own check: {}", reply.feedback.join("; ")));
    }
    let rows = reply.result.as_ref().map_or(0, |r| r.rows.len());
    if rows == 0 {
        let what =
            if ex.relabel { "the solution's rules store no series" } else { "the solution returns an empty result" };
        return Err(format!("{what}: a learner could not tell a right answer from a wrong one"));
    }
    if !ex.start.trim().is_empty() && check(session, None, ex, &ex.start).passed {
        return Err("the starting text already passes: the exercise is solved before it starts".to_string());
    }
    Ok(())
}

fn check(session: &mut Session, load: Option<LoadRequest>, ex: &Exercise, answer: &str) -> CheckReply {
    let req = CheckRequest { load, exercise: ex.clone(), answer: answer.to_string() };
    let body = RequestBody::Lesson(LessonRequest::Check(Box::new(req)));
    match session.handle(Request { id: 0, body }, &|| 0.0).body {
        ResponseBody::Lesson(r) => match *r {
            LessonReply::Checked(c) => *c,
            LessonReply::Parsed(_) => {
                CheckReply { feedback: vec!["internal: a parse reply to a check".into()], ..CheckReply::default() }
            }
        },
        _ => CheckReply { feedback: vec!["internal: not a lesson reply".into()], ..CheckReply::default() },
    }
}

/// The data the page loads for this lesson, at the time the page uses for both the scrape of
/// untimestamped samples and the evaluation: the lesson's `time`, else the dataset's own time
/// (`index.json`), else `lesson::DEFAULT_TIME_MS` for the lesson's own data. Errors carry the
/// file line to blame.
fn load_request(lesson: &protocol::Lesson, text: &str, datasets: &Path) -> Result<LoadRequest, (usize, String)> {
    let lesson_time = match lesson.time.as_str() {
        "" => None,
        t => Some(model::timearg::parse_time(t).map_err(|e| (front_line(text, "time:"), format!("time: {e}")))?),
    };
    let (data, time) = match &lesson.dataset {
        None => (lesson.data.clone().unwrap_or_default(), lesson_time.unwrap_or(::lesson::DEFAULT_TIME_MS)),
        Some(id) => {
            let line = front_line(text, "dataset:");
            let (file, time) = dataset(datasets, id).map_err(|e| (line, e))?;
            let data =
                std::fs::read_to_string(&file).map_err(|e| (line, format!("dataset {id:?}: {}: {e}", file.display())))?;
            (data, lesson_time.unwrap_or(time))
        }
    };
    Ok(LoadRequest { text: data, scrape_time_ms: time, eval_time_ms: Some(time) })
}

/// A dataset's file and evaluation time from `DIR/index.json`.
fn dataset(dir: &Path, id: &str) -> Result<(PathBuf, i64), String> {
    let index = dir.join("index.json");
    let text = std::fs::read_to_string(&index).map_err(|e| format!("dataset {id:?}: {}: {e}", index.display()))?;
    let json: serde_json::Value =
        serde_json::from_str(&text).map_err(|e| format!("dataset {id:?}: {}: {e}", index.display()))?;
    let entry = json["datasets"]
        .as_array()
        .and_then(|list| list.iter().find(|d| d["id"].as_str() == Some(id)))
        .ok_or_else(|| format!("no dataset {id:?} in {}", index.display()))?;
    let file = entry["file"].as_str().ok_or_else(|| format!("dataset {id:?}: no `file` in {}", index.display()))?;
    let time = entry["time"].as_f64().ok_or_else(|| format!("dataset {id:?}: no `time` in {}", index.display()))?;
    if file.ends_with(".gz") {
        return Err(format!(
            "dataset {id:?} is gzip-compressed ({file}): `promplay lesson check` reads plain text only; use another dataset or the lesson's own data"
        ));
    }
    Ok((dir.join(file), (time * 1000.0).round() as i64))
}

/// The line of a front matter key, to blame it.
fn front_line(text: &str, key: &str) -> usize {
    text.lines().position(|l| l.trim_start().starts_with(key)).map_or(1, |i| i + 1)
}

/// A `line:col: …` load error of the ```data block as a line of the lesson file.
fn data_error_line(err: &str, data_line: Option<usize>) -> usize {
    let (Some(first), Some((l, _))) = (data_line, err.split_once(':')) else { return data_line.unwrap_or(1) };
    l.trim().parse::<usize>().map_or(first, |l| first + l.max(1) - 1)
}
