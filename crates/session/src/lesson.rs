//! Workshop mode's requests: a lesson parsed (`crates/lesson`), and a learner's answer checked
//! against the exercise's solution on the lesson's data. A query answer and the solution run at
//! the same time(s) and their results are compared with `resultdiff`; a relabel answer and the
//! solution are applied as `metric_relabel_configs` to every stored series and the series they
//! would store are compared. The verdict comes back as sentences (`feedback.rs`).

mod feedback;

use engine::{QueryResult, Value, VectorSample};
use model::Labels;
use protocol::{CheckReply, CheckRequest, Exercise, LessonReply, LessonRequest, QueryRequest};
use relabel::{MetricResult, ScrapedSample, Section};
use resultdiff::{Diff, Options, OwnedResult, OwnedSample};

use crate::{times, view, Loaded, Session};

impl Session {
    pub(crate) fn lesson(&mut self, req: LessonRequest, clock: &dyn Fn() -> f64) -> LessonReply {
        match req {
            LessonRequest::Parse { text } => {
                LessonReply::Parsed(::lesson::parse(&text).map(|p| p.lesson).map_err(|e| e.to_string()))
            }
            LessonRequest::Check(c) => LessonReply::Checked(Box::new(self.check(*c, clock))),
        }
    }

    fn check(&mut self, req: CheckRequest, clock: &dyn Fn() -> f64) -> CheckReply {
        let started = clock();
        let mut reply = CheckReply::default();
        if let Some(load) = &req.load {
            let loaded = self.load_for_relabel(load);
            if let Err(e) = &loaded {
                reply.feedback.push(format!("the lesson's data does not load: {e}"));
            }
            reply.load = Some(loaded);
        }
        if reply.feedback.is_empty() {
            match &self.loaded {
                None => reply.feedback.push("no data loaded: the lesson's data must be loaded first".to_string()),
                Some(loaded) => {
                    let verdict = if req.exercise.relabel {
                        check_relabel(loaded, &req.exercise, &req.answer)
                    } else {
                        check_query(loaded, &req.exercise, &req.answer, &self.options)
                    };
                    match verdict {
                        Ok((diff, result, scalar)) => {
                            reply.passed = diff.is_equal();
                            reply.feedback = feedback::sentences(&diff, scalar);
                            reply.result = Some(result);
                        }
                        Err(sentence) => reply.feedback.push(sentence),
                    }
                }
            }
        }
        reply.elapsed_ms = clock() - started;
        reply
    }
}

/// How the answer differs from the solution, the answer's result to show, and whether the
/// results are scalars; or the one sentence that stops the comparison (the answer's error, or the exercise's own fault).
type Verdict = Result<(Diff, protocol::ResultView, bool), String>;

fn options(ex: &Exercise) -> Options {
    Options {
        tolerance: ex.tolerance.unwrap_or(1e-6),
        ordered: ex.ordered.unwrap_or_else(|| !ex.relabel && ::lesson::sorts_result(&ex.solution)),
        ..Options::default()
    }
}

/// The exercise's evaluation time, or its range query's parameters.
fn times_of(loaded: &Loaded, ex: &Exercise, query: &str) -> Result<(i64, Option<protocol::RangeSpec>), String> {
    let q = QueryRequest { query: query.to_string(), time: ex.time.clone(), range: ex.range.clone() };
    times::resolve(&q, loaded.eval_time_ms, loaded.min_time_ms)
        .map_err(|e| format!("the exercise's time is wrong: {e}"))
}

fn check_query(loaded: &Loaded, ex: &Exercise, answer: &str, opts: &engine::Options) -> Verdict {
    if answer.trim().is_empty() {
        return Err("your answer is empty: write a query".to_string());
    }
    let (time_ms, range) = times_of(loaded, ex, answer)?;
    let run = |q: &str| match range {
        None => engine::instant_query(&loaded.db, q, time_ms, opts),
        Some(r) => engine::range_query(&loaded.db, q, r.start_ms, r.end_ms, r.step_ms, opts),
    };
    // The solution first: when it fails, the learner's query is not what is wrong.
    let want = run(&ex.solution).map_err(|e| format!("the exercise's solution fails (a fault of the lesson): {e}"))?;
    let mine = run(answer).map_err(|e| format!("your query fails: {e}"))?;
    let diff = resultdiff::diff(&view::export(&want.value, time_ms), &view::export(&mine.value, time_ms), &options(ex));
    let scalar = matches!(want.value, Value::Scalar(_));
    Ok((diff, view::result(&mine, time_ms, range), scalar))
}

fn check_relabel(loaded: &Loaded, ex: &Exercise, answer: &str) -> Verdict {
    let (time_ms, _) = times_of(loaded, ex, "")?;
    let mine = relabel::load(answer, Section::Metric, None).map_err(|e| format!("your rules: {e}"))?;
    let want = relabel::load(&ex.solution, Section::Metric, None)
        .map_err(|e| format!("the exercise's solution fails (a fault of the lesson): {e}"))?;
    let samples = stored_samples(&loaded.db, time_ms);
    let (mine, errors) = stored_after(&samples, &mine.rules, time_ms);
    if let Some(first) = errors.first() {
        let more = if errors.len() > 1 { format!(" (and {} more series)", errors.len() - 1) } else { String::new() };
        return Err(format!("your rules fail on {first}{more}"));
    }
    let (want, errors) = stored_after(&samples, &want.rules, time_ms);
    if let Some(first) = errors.first() {
        return Err(format!("the exercise's solution fails (a fault of the lesson) on {first}"));
    }
    let diff = resultdiff::diff(&want.view(), &mine.view(), &options(ex));
    let OwnedResult::Vector(rows) = mine else {
        return Err("internal: relabeled series are not a vector".to_string());
    };
    let value = Value::Vector(rows.into_iter().map(|r| VectorSample { labels: r.labels, t: r.t, v: r.v }).collect());
    let result = QueryResult { value, warnings: Vec::new(), infos: Vec::new() };
    Ok((diff, view::result(&result, time_ms, None), false))
}

/// Every stored series with its latest value at `time_ms`, in the store's order (the data's
/// order, so "first one wins" on a collision means what it means in a scrape). Series with no
/// sample yet at that time are left out.
fn stored_samples(db: &tsdb::Storage, time_ms: i64) -> Vec<ScrapedSample> {
    (0..db.num_series() as u32)
        .filter_map(|id| db.window(id, i64::MIN, time_ms))
        .filter_map(|w| {
            w.vs.last().map(|&value| ScrapedSample {
                labels: w.labels.clone(),
                value,
                timestamp_ms: None,
                exposed_empty: Vec::new(),
            })
        })
        .collect()
}

/// The series `rules` would store, as an instant vector sorted by labels, and the failures
/// (`series: message`).
fn stored_after(samples: &[ScrapedSample], rules: &[relabel::Rule], time_ms: i64) -> (OwnedResult, Vec<String>) {
    let mut rows = Vec::new();
    let mut errors = Vec::new();
    for o in relabel::relabel_samples(samples, &Labels::empty(), false, rules) {
        match o.result {
            MetricResult::Kept { labels, collision_with: None } => {
                let v = samples.get(o.index).map_or(f64::NAN, |s| s.value);
                rows.push(OwnedSample { labels, t: time_ms, v });
            }
            // A later series with the labels of an earlier one is not stored (first one wins).
            MetricResult::Kept { .. } | MetricResult::Dropped { .. } => {}
            MetricResult::Error { message, .. } => errors.push(format!("{}: {message}", o.attached)),
        }
    }
    model::sort::sort_by_key(&mut rows, |r| r.labels.clone());
    (OwnedResult::Vector(rows), errors)
}
