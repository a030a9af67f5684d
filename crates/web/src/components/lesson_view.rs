//! The Lessons view as HTML strings with delegated event handlers (each distinct `view!` shape
//! costs wasm size, as the relabel and cardinality panels note): the course overview with
//! per-lesson progress, the lesson page (written once per lesson, so the answer editors keep
//! their text and focus), and what changes on an exercise card, compared with what is shown so
//! only changes touch the DOM. User and lesson text is escaped; only the worker's rendered
//! Markdown (already sanitized) goes in as HTML.

use std::fmt::Write as _;

use protocol::{Exercise, Lesson, LessonBlock, ResultView};

use super::escape;
use crate::editor::highlight_html;
use crate::state::{CatalogEntry, ExerciseView, OpenLesson, OwnLesson, Progress};

fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    escape(&mut out, s);
    out
}

/// The view's frame; `draw` fills it. The overview's way in for an instructor's own lesson is
/// static.
pub const SKELETON: &str = r#"<section class="pane lesson-pane" aria-labelledby="lesson-heading"><div id="lesson-head" class="pane-head"></div><p id="lesson-error" class="error" role="alert" hidden></p><div id="lesson-overview" class="lesson-overview"><p class="muted">A PromQL course: each lesson loads its data, and your answers are checked against the solution's result on it. Your progress stays in this browser.</p><div id="lesson-catalog"></div><h3>Open your own lesson</h3><p class="muted">Open a lesson file, or paste one (the format is in <a href="lessons/FORMAT.md" target="_blank" rel="noopener">FORMAT.md</a>); "Copy lesson link" then shares it. It is listed under "Your lessons" in this browser from then on.</p><input id="lesson-file" type="file" accept=".md,.markdown,.txt,text/markdown,text/plain" aria-label="Open a lesson file"><textarea id="lesson-paste" class="editor lesson-paste" aria-label="Lesson text" spellcheck="false" rows="8" placeholder="---&#10;id: my-lesson&#10;title: My lesson&#10;---&#10;&#10;Prose, promql examples and exercise blocks…"></textarea><div><button id="lesson-paste-open" type="button" class="run">Open pasted lesson</button></div></div><div id="lesson-page" class="lesson-page" hidden><p id="lesson-data" class="muted"></p><div id="lesson-body" class="lesson-body"></div></div></section>"#;

/// Which data the lesson's queries run on, or why it is missing.
pub fn data_line(o: &OpenLesson) -> String {
    if let Some(e) = &o.data_error {
        return e.clone();
    }
    let what = match (&o.dataset_title, &o.lesson.dataset) {
        (Some(title), _) => format!("the dataset {title}"),
        (None, Some(id)) => format!("the dataset {id}"),
        (None, None) => "the lesson's own data".to_string(),
    };
    match &o.data {
        None => format!("Loading {what}…"),
        Some(_) => format!("Queries run on {what} (the Query view's data pane shows it)."),
    }
}

/// The pane's head: the way back to the overview and, with a lesson open, its title, the
/// progress and the link button.
pub fn head(open: Option<&OpenLesson>, progress: &Progress, opening: bool, link_status: Option<&str>, presenter: bool) -> String {
    let mut out = String::from(r#"<h2 id="lesson-heading"><button id="lesson-back" type="button" class="link""#);
    out.push_str(if open.is_some() { ">" } else { " disabled>" });
    out.push_str("Lessons</button></h2>");
    if let Some(o) = open {
        let _ = write!(
            out,
            r#"<span class="lesson-crumb">›</span><h1 id="lesson-title" class="lesson-title">{}</h1><span id="lesson-progress" class="count">{} / {} exercises done</span><button id="lesson-copy-link" type="button" class="export">Copy lesson link</button>"#,
            esc(&o.lesson.title),
            progress.done_count(&o.lesson),
            o.lesson.exercises.len()
        );
    }
    if let Some(m) = link_status {
        let _ = write!(out, r#"<span id="lesson-link-status" class="muted" role="status">{}</span>"#, esc(m));
    }
    if opening {
        out.push_str(r#"<span class="muted" role="status">Opening…</span>"#);
    }
    let _ = write!(
        out,
        r#"<button id="presenter" type="button" class="export" aria-pressed="{presenter}" title="Large type for projectors, on every view; kept in this browser">Presenter mode</button>"#
    );
    out
}

/// The lesson in reading order: prose, examples with Run, exercise cards; and the cards'
/// changing parts as drawn (later changes go through `CardState::apply`).
pub fn body(o: &OpenLesson, progress: &Progress) -> (String, Vec<CardState>) {
    let cards = card_states(o, progress);
    let mut out = String::new();
    for block in &o.lesson.blocks {
        match block {
            // Rendered and sanitized by the worker.
            LessonBlock::Html(h) => {
                let _ = write!(out, r#"<div class="lesson-prose">{h}</div>"#);
            }
            LessonBlock::Example(q) => {
                let q = esc(q);
                let _ = write!(
                    out,
                    r#"<div class="lesson-example"><pre class="lesson-code">{q}</pre><button type="button" class="export lesson-run" data-q="{q}" title="Put it in the query editor and run it">Run</button></div>"#
                );
            }
            LessonBlock::Exercise(i) => {
                if let (Some(ex), Some(v), Some(c)) = (o.lesson.exercises.get(*i), o.exercises.get(*i), cards.get(*i)) {
                    card(&mut out, *i, ex, v, c);
                }
            }
        }
    }
    (out, cards)
}

/// Every card's changing parts, from the model.
pub fn card_states(o: &OpenLesson, progress: &Progress) -> Vec<CardState> {
    let data_in = o.data.is_some();
    o.lesson
        .exercises
        .iter()
        .zip(&o.exercises)
        .map(|(ex, v)| CardState::of(ex, v, progress.get(&o.lesson.id, &ex.id).is_some_and(|p| p.done), data_in))
        .collect()
}

fn card(out: &mut String, i: usize, ex: &Exercise, v: &ExerciseView, c: &CardState) {
    let id = esc(&ex.id);
    let (wrap, overlay, rows, label, placeholder) = if ex.relabel {
        (" plain", "", 6, "Your relabel rules (YAML)", "- source_labels: [le]&#10;  action: drop")
    } else {
        ("", " overlay", 2, "Your query", "Your PromQL query · Ctrl+Enter checks")
    };
    let disabled = |off: bool| if off { " disabled" } else { "" };
    let _ = write!(
        out,
        r#"<article id="exercise-{id}" class="exercise{done_class}"><h3 class="exercise-title">{title}<span class="exercise-done">{done}</span></h3><div class="lesson-prose exercise-task">{task}</div><div class="editor-wrap{wrap}"><pre class="editor query-editor highlight" aria-hidden="true">{highlight}</pre><textarea id="lesson-answer-{id}" class="editor query-editor lesson-answer{overlay}" data-i="{i}" rows="{rows}" aria-label="{label}" placeholder="{placeholder}" spellcheck="false" autocomplete="off" autocapitalize="off"{complete}>{answer}</textarea>{list}</div><p class="muted hint">{hint}</p><div class="exercise-actions"><button id="lesson-check-{id}" type="button" class="run lesson-check" data-act="check" data-i="{i}"{check_off}>Check</button><button id="lesson-hint-{id}" type="button" class="export lesson-hint" data-act="hint" data-i="{i}"{hint_off}>{hint_label}</button><button id="lesson-solution-{id}" type="button" class="export lesson-solution" data-act="solution" data-i="{i}">Show solution</button><button id="lesson-reset-{id}" type="button" class="export lesson-reset" data-act="reset" data-i="{i}" title="Back to the starting text; forgets this exercise's progress">Reset exercise</button></div><div class="exercise-status">{status}</div></article>"#,
        done_class = if c.done { " done" } else { "" },
        done = if c.done { DONE_MARK } else { "" },
        title = esc(&ex.title),
        task = ex.task_html,
        highlight = c.highlight,
        answer = esc(&v.answer),
        complete = if ex.relabel { String::new() } else { format!(r#" aria-autocomplete="list" aria-controls="lesson-completions-{id}""#) },
        list = if ex.relabel {
            String::new()
        } else {
            format!(
                r#"<ul id="lesson-completions-{id}" class="completions lesson-completions{hidden}" role="listbox" data-i="{i}">{items}</ul>"#,
                hidden = if c.completions.is_empty() { " hidden" } else { "" },
                items = c.completions
            )
        },
        hint = esc(&c.parse_hint),
        check_off = disabled(c.waiting),
        hint_off = disabled(!c.hints_left),
        hint_label = esc(&c.hint_label),
        status = c.status,
    );
}

/// After a done exercise's title.
pub const DONE_MARK: &str = " ✓ done";

/// The parts of an exercise card that change, computed from the model.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct CardState {
    pub done: bool,
    /// Check waits for the lesson's data or the verdict in flight.
    pub waiting: bool,
    pub hint_label: String,
    pub hints_left: bool,
    /// The editor's highlighted copy (empty for relabel rules).
    pub highlight: String,
    /// The answer's parse error while typing.
    pub parse_hint: String,
    /// The open completion list's items (empty when closed).
    pub completions: String,
    pub status: String,
}

impl CardState {
    pub fn of(ex: &Exercise, v: &ExerciseView, done: bool, data_in: bool) -> CardState {
        let analysis = v.analysis.as_ref();
        let n = ex.hints.len();
        CardState {
            done,
            waiting: !data_in || v.checking.is_some(),
            hint_label: match v.hints_shown {
                _ if n == 0 => "No hints".to_string(),
                s if s >= n => "All hints shown".to_string(),
                s => format!("Hint ({} of {n})", s + 1),
            },
            hints_left: v.hints_shown < n,
            highlight: if ex.relabel { String::new() } else { highlight_html(&v.answer, analysis) },
            parse_hint: analysis.and_then(|a| a.error.as_ref()).map(|e| e.2.clone()).unwrap_or_default(),
            completions: match analysis {
                Some(a) if !ex.relabel => super::completion_items(a, v.completion_index),
                _ => String::new(),
            },
            status: status(ex, v),
        }
    }
}

/// The course: each built-in lesson with its summary, how many exercises are done and, once
/// the lesson was parsed, its exercises with a mark on the done ones; then the learner's own
/// lessons, each with a way to take it off the list.
pub fn overview(catalog: &[CatalogEntry], parsed: &[Lesson], own: &[OwnLesson], progress: &Progress) -> String {
    let mut out = String::from(r#"<ol id="lesson-list" class="lesson-list">"#);
    for entry in catalog {
        let exercises = parsed
            .iter()
            .find(|l| l.id == entry.id)
            .map(|l| l.exercises.iter().map(|e| (e.id.as_str(), e.title.as_str())).collect::<Vec<_>>());
        let item = Item { own: false, id: &entry.id, title: &entry.title, summary: &entry.summary, exercises };
        item.write(&mut out, progress);
    }
    out.push_str("</ol>");
    if !own.is_empty() {
        out.push_str(r#"<h3>Your lessons</h3><ol id="own-lesson-list" class="lesson-list">"#);
        for l in own {
            let exercises = Some(l.exercises.iter().map(|e| (e.id.as_str(), e.title.as_str())).collect());
            Item { own: true, id: &l.id, title: &l.title, summary: "", exercises }.write(&mut out, progress);
        }
        out.push_str("</ol>");
    }
    out
}

/// One lesson of the overview.
struct Item<'a> {
    /// The learner's own (opened by `data-own`, with a Remove button) or the course's (`data-id`).
    own: bool,
    id: &'a str,
    title: &'a str,
    summary: &'a str,
    /// Ids and titles; `None` until the lesson was parsed.
    exercises: Option<Vec<(&'a str, &'a str)>>,
}

impl Item<'_> {
    fn write(&self, out: &mut String, progress: &Progress) {
        let done = |e: &str| progress.is_done(self.id, e);
        let count = self.exercises.as_ref().map(|l| (l.iter().filter(|(e, _)| done(e)).count(), l.len()));
        let complete = count.is_some_and(|(done, all)| all > 0 && done == all);
        out.push_str(if complete { r#"<li class="lesson-entry complete">"# } else { r#"<li class="lesson-entry">"# });
        let (prefix, attr) = if self.own { ("lesson-own-open-", "data-own") } else { ("lesson-open-", "data-id") };
        let id = esc(self.id);
        let _ = write!(out, r#"<button type="button" class="lesson-open" id="{prefix}{id}" {attr}="{id}">{}</button>"#, esc(self.title));
        if let Some((done, all)) = count {
            let _ = write!(out, r#"<span class="lesson-count">{done} / {all} done</span>"#);
        }
        if self.own {
            let _ = write!(
                out,
                r#"<button type="button" class="link lesson-remove" id="lesson-own-remove-{id}" data-own="{id}" title="Take it off this list; your answers stay for when you open it again">Remove</button>"#
            );
        } else {
            let _ = write!(out, r#"<p class="muted">{}</p>"#, esc(self.summary));
        }
        if let Some(list) = &self.exercises {
            out.push_str(r#"<ul class="lesson-exercises">"#);
            for (e, title) in list {
                out.push_str(if done(e) { r#"<li class="done">"# } else { "<li>" });
                escape(out, title);
                out.push_str("</li>");
            }
            out.push_str("</ul>");
        }
        out.push_str("</li>");
    }
}

/// Under an exercise's editor: the hints shown so far, the solution if asked for, and the
/// last verdict with the learner's result. `key` is the exercise id, for the element ids.
pub fn status(ex: &Exercise, view: &ExerciseView) -> String {
    let mut out = String::new();
    let key = {
        let mut k = String::new();
        escape(&mut k, &ex.id);
        k
    };
    if view.hints_shown > 0 {
        let _ = write!(out, r#"<ol id="lesson-hints-{key}" class="lesson-hints">"#);
        for h in ex.hints.iter().take(view.hints_shown) {
            // Rendered and sanitized by the worker.
            let _ = write!(out, "<li>{h}</li>");
        }
        out.push_str("</ol>");
    }
    if view.solution_shown {
        let _ = write!(out, r#"<div id="lesson-solution-text-{key}" class="lesson-solution"><span class="muted">Solution</span><pre class="lesson-code">"#);
        escape(&mut out, &ex.solution);
        out.push_str("</pre></div>");
    }
    if view.checking.is_some() {
        out.push_str(r#"<p class="muted" role="status">Checking…</p>"#);
        return out;
    }
    let Some(reply) = &view.reply else { return out };
    if reply.passed {
        let _ = write!(out, r#"<p id="lesson-passed-{key}" class="lesson-passed" role="status">Correct! Your result matches the solution's.</p>"#);
    } else {
        let _ = write!(out, r#"<ul id="lesson-feedback-{key}" class="lesson-feedback" role="alert">"#);
        for f in &reply.feedback {
            out.push_str("<li>");
            escape(&mut out, f);
            out.push_str("</li>");
        }
        out.push_str("</ul>");
    }
    if let Some(r) = &reply.result {
        result_table(&mut out, r, &key);
    }
    out
}

/// The learner's result, as the Table tab shows it (label set, value), and its notes.
fn result_table(out: &mut String, r: &ResultView, key: &str) {
    let _ = write!(out, r#"<table id="lesson-result-{key}" class="results lesson-result"><caption>Your result: "#);
    escape(out, &r.count_text());
    out.push_str("</caption><tbody>");
    for row in &r.rows {
        out.push_str("<tr><td>");
        escape(out, &row.labels);
        out.push_str(r#"</td><td class="num">"#);
        escape(out, &row.value);
        out.push_str("</td></tr>");
    }
    out.push_str("</tbody></table>");
    for (class, notes) in [("warning", &r.warnings), ("info", &r.infos)] {
        for n in notes {
            let _ = write!(out, r#"<p class="muted {class}">"#);
            escape(out, n);
            out.push_str("</p>");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use protocol::{CheckReply, Row};

    fn ex() -> Exercise {
        Exercise {
            id: "by-job".to_string(),
            title: "Sum <by> job".to_string(),
            solution: r#"sum by (job) (up{a="<"})"#.to_string(),
            hints: vec!["<p>one</p>".to_string(), "<p>two</p>".to_string()],
            ..Exercise::default()
        }
    }

    #[test]
    fn overview_counts_done_exercises() {
        let catalog = vec![
            CatalogEntry { id: "intro".into(), file: "intro.md".into(), title: "Intro & more".into(), summary: "s".into() },
            CatalogEntry { id: "later".into(), file: "later.md".into(), title: "Later".into(), summary: String::new() },
        ];
        let lesson = Lesson { id: "intro".into(), exercises: vec![ex(), Exercise { id: "b".into(), ..ex() }], ..Lesson::default() };
        let parsed = vec![lesson];
        let done = crate::state::ExerciseProgress { lesson: "intro".into(), exercise: "b".into(), done: true, answer: String::new() };
        let progress = Progress { v: 1, exercises: vec![done] };
        let html = overview(&catalog, &parsed, &[], &progress);
        assert!(html.contains(r#"id="lesson-open-intro" data-id="intro">Intro &amp; more</button><span class="lesson-count">1 / 2 done</span>"#), "{html}");
        assert!(html.contains(r#"<li>Sum &lt;by&gt; job</li><li class="done">Sum &lt;by&gt; job</li>"#), "{html}");
        // Not parsed yet: no count.
        assert!(html.contains(r#"id="lesson-open-later" data-id="later">Later</button><p class="muted"></p></li>"#), "{html}");
        assert!(!html.contains("Your lessons"), "{html}");

        // The learner's own lessons follow, counted against the same progress.
        let mut own = crate::state::OwnLessons::default();
        own.remember(&Lesson { id: "intro".into(), title: "Mine <1>".into(), ..parsed[0].clone() }, "text");
        let all_done = crate::state::ExerciseProgress { exercise: "by-job".into(), ..progress.exercises[0].clone() };
        let progress = Progress { v: 1, exercises: vec![progress.exercises[0].clone(), all_done] };
        let html = overview(&catalog, &parsed, &own.lessons, &progress);
        assert!(
            html.contains(r#"<h3>Your lessons</h3><ol id="own-lesson-list" class="lesson-list"><li class="lesson-entry complete"><button type="button" class="lesson-open" id="lesson-own-open-intro" data-own="intro">Mine &lt;1&gt;</button><span class="lesson-count">2 / 2 done</span><button type="button" class="link lesson-remove" id="lesson-own-remove-intro" data-own="intro""#),
            "{html}"
        );
    }

    #[test]
    fn the_page_escapes_what_the_learner_and_the_author_wrote() {
        let ex = Exercise { task_html: "<p>Do <strong>it</strong></p>".into(), ..ex() };
        let lesson = Lesson {
            id: "l".into(),
            blocks: vec![LessonBlock::Html("<h1>T</h1>".into()), LessonBlock::Example(r#"up{a="<b>"}"#.into()), LessonBlock::Exercise(0)],
            exercises: vec![ex],
            ..Lesson::default()
        };
        let mut v = ExerciseView::default();
        v.answer = "</textarea><script>x</script>".into();
        let o = OpenLesson {
            lesson,
            source: crate::state::LessonSource::Text(String::new()),
            exercises: vec![v],
            data: None,
            data_error: None,
            dataset_title: None,
        };
        let (html, cards) = body(&o, &Progress::default());
        assert!(html.starts_with(r#"<div class="lesson-prose"><h1>T</h1></div>"#), "{html}");
        assert!(html.contains(r#"<pre class="lesson-code">up{a=&quot;&lt;b&gt;&quot;}</pre><button type="button" class="export lesson-run" data-q="up{a=&quot;&lt;b&gt;&quot;}""#), "{html}");
        assert!(html.contains(r#"<div class="lesson-prose exercise-task"><p>Do <strong>it</strong></p></div>"#), "{html}");
        assert!(html.contains(">&lt;/textarea&gt;&lt;script&gt;x&lt;/script&gt;</textarea>"), "{html}");
        assert!(!html.contains("<script>"));
        // The data is not in yet: Check waits.
        assert!(html.contains(r#"data-act="check" data-i="0" disabled>Check</button>"#), "{html}");
        assert_eq!(cards.len(), 1);
        assert!(cards.iter().all(|c| c.waiting && c.hints_left && c.hint_label == "Hint (1 of 2)"));
    }

    #[test]
    fn card_state_follows_the_exercise() {
        let mut v = ExerciseView::default();
        v.answer = "sum(up)".into();
        let c = CardState::of(&ex(), &v, true, true);
        assert_eq!((c.done, c.waiting, c.hints_left, c.hint_label.as_str()), (true, false, true, "Hint (1 of 2)"));
        assert_eq!(c.highlight, "sum(up)\n");
        v.hints_shown = 2;
        v.checking = Some(1);
        let c = CardState::of(&ex(), &v, false, true);
        assert_eq!((c.waiting, c.hints_left, c.hint_label.as_str()), (true, false, "All hints shown"));
        let none = CardState::of(&Exercise { hints: vec![], relabel: true, ..ex() }, &v, false, true);
        assert_eq!((none.hint_label.as_str(), none.highlight.as_str()), ("No hints", ""));
    }

    #[test]
    fn status_shows_hints_solution_and_verdict() {
        let mut v = ExerciseView::default();
        v.hints_shown = 1;
        assert_eq!(status(&ex(), &v), r#"<ol id="lesson-hints-by-job" class="lesson-hints"><li><p>one</p></li></ol>"#);
        v.solution_shown = true;
        v.reply = Some(CheckReply { feedback: vec![r#"1 series missing: {job="b"}"#.to_string()], ..CheckReply::default() });
        let html = status(&ex(), &v);
        assert!(html.contains(r#"<pre class="lesson-code">sum by (job) (up{a=&quot;&lt;&quot;})</pre>"#), "{html}");
        assert!(html.contains(r#"<ul id="lesson-feedback-by-job" class="lesson-feedback" role="alert"><li>1 series missing: {job=&quot;b&quot;}</li></ul>"#), "{html}");
        assert!(!html.contains("lesson-passed"));
        let result = ResultView {
            result_type: "vector".into(),
            rows: vec![Row { labels: r#"{job="a"}"#.into(), metric: None, label_pairs: vec![], value: "3".into(), points: vec![] }],
            warnings: vec![],
            infos: vec![],
            time_ms: 0,
            range: None,
        };
        v.reply = Some(CheckReply { passed: true, result: Some(result), ..CheckReply::default() });
        let html = status(&ex(), &v);
        assert!(html.contains(r#"id="lesson-passed-by-job""#), "{html}");
        assert!(html.contains(r#"<tr><td>{job=&quot;a&quot;}</td><td class="num">3</td></tr>"#), "{html}");
        assert!(!html.contains("lesson-feedback"));
        v.checking = Some(3);
        assert!(status(&ex(), &v).ends_with("Checking…</p>"));
    }
}
