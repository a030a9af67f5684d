//! The Lessons view (workshop mode): the course overview, opening a lesson from the menu, a
//! file, pasted text or a link, and the lesson page (prose, runnable examples, exercise cards
//! checked by the worker). The query editor and results stay beside the lesson, so examples run
//! where the learner can keep experimenting.
//!
//! Drawn by hand: one effect compares the model with what the view shows and rewrites only the
//! parts that changed, and one listener takes every event of the view. Leptos views cost the
//! page's wasm size per distinct shape; this view is a few HTML strings (`lesson_view`).

use leptos::prelude::*;
use protocol::LessonReply;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

use super::{is_run_shortcut, lesson_io, lesson_view};
use crate::app::{fetch_text, AppCtx};
use crate::state::{AppState, LessonSource, Parsed, Tab};

impl AppCtx {
    /// Takes the worker's answer to a parse or a check.
    pub fn on_lesson(self, id: u32, reply: LessonReply) {
        let before = self.state.with_untracked(|s| (s.lesson.generation, s.lesson.paste_text.clone()));
        let next = self.state.try_update(|s| s.finish_lesson(id, reply)).unwrap_or(Parsed::Nothing);
        self.save_progress();
        match next {
            Parsed::FetchDataset(d) => self.load_lesson_dataset(d),
            Parsed::DataReady => self.lesson_data_in(None),
            Parsed::Nothing => {}
        }
        let (generation, text) = self.state.with_untracked(|s| (s.lesson.generation, s.lesson.paste_text.clone()));
        if generation != before.0 {
            // A lesson of the learner's own just opened is listed first now.
            self.state.with_untracked(|s| {
                if matches!(s.lesson.open.as_ref().map(|o| &o.source), Some(LessonSource::Text(_))) {
                    lesson_io::save_own(&s.lesson.own);
                }
            });
            self.publish_lesson_link(false);
            // The starting answers highlighted as the query editor's text is.
            let reqs = self.state.try_update_untracked(|s| s.begin_all_answer_analyses()).unwrap_or_default();
            self.send_all(reqs);
        }
        // A lesson text that did not parse goes to the paste box, to be fixed there.
        if text != before.1 {
            if let Some(el) = self.lesson_element::<web_sys::HtmlTextAreaElement>("#lesson-paste") {
                el.set_value(&text);
            }
        }
    }

    fn save_progress(self) {
        self.state.with_untracked(|s| lesson_io::save_progress(&s.lesson.progress));
    }

    /// An element of the Lessons view (by selector, so a second app on the page, as in the
    /// browser tests, keeps its own).
    fn lesson_element<T: JsCast>(self, selector: &str) -> Option<T> {
        self.lesson_root.get_untracked()?.query_selector(selector).ok().flatten()?.dyn_into::<T>().ok()
    }

    fn send_request(self, req: Option<protocol::Request>) {
        if let Some(req) = req {
            self.backend.with_value(|b| b.send(req));
        }
    }

    /// Opens a lesson's text (a file, the paste box, a link).
    pub fn open_lesson_text(self, text: String) {
        self.send_request(self.state.try_update(|s| s.begin_open(text.clone(), LessonSource::Text(text))));
    }

    fn lesson_failed(self, why: String) {
        self.state.update(|s| {
            s.lesson.opening = false;
            s.lesson.error = Some(why);
        });
    }

    /// Opens a built-in lesson by its catalog id.
    pub fn open_builtin(self, id: String) {
        self.state.update(|s| {
            s.lesson.opening = true;
            s.lesson.error = None;
        });
        leptos::task::spawn_local(async move {
            let text = match self.lesson_catalog().await.map(|l| l.into_iter().find(|e| e.id == id)) {
                Err(e) => Err(e),
                Ok(None) => Err(format!("There is no built-in lesson \"{id}\".")),
                Ok(Some(e)) => fetch_text(&format!("lessons/{}", e.file)).await.map_err(|x| format!("Could not load {}: {x}", e.file)),
            };
            match text {
                Ok(text) => self.send_request(self.state.try_update(|s| s.begin_open(text, LessonSource::Builtin(id)))),
                Err(e) => self.lesson_failed(e),
            }
        });
    }

    /// The built-in lessons, fetched once.
    async fn lesson_catalog(self) -> Result<Vec<crate::state::CatalogEntry>, String> {
        let have = self.state.with_untracked(|s| s.lesson.catalog.clone());
        if !have.is_empty() {
            return Ok(have);
        }
        let text = fetch_text(lesson_io::INDEX_URL).await.map_err(|e| format!("Could not load the lesson list: {e}"))?;
        let list = lesson_io::parse_index(&text);
        self.state.update(|s| s.lesson.catalog = list.clone());
        Ok(list)
    }

    /// Fills the overview: the catalog, then each lesson parsed for its exercise list.
    fn load_overview(self) {
        self.state.update_untracked(|s| s.lesson.catalog_requested = true);
        leptos::task::spawn_local(async move {
            let list = match self.lesson_catalog().await {
                Ok(l) => l,
                Err(e) => return self.state.update(|s| s.lesson.error = Some(e)),
            };
            for entry in list {
                if self.state.with_untracked(|s| s.lesson.parsed_lesson(&entry.id).is_some()) {
                    continue;
                }
                // A lesson that cannot be fetched only lacks its exercise list in the overview.
                if let Ok(text) = fetch_text(&format!("lessons/{}", entry.file)).await {
                    self.send_request(self.state.try_update_untracked(|s| s.begin_overview_parse(text)));
                }
            }
        });
    }

    /// Fetches the open lesson's dataset into the data pane, at the lesson's time.
    fn load_lesson_dataset(self, id: String) {
        let generation = self.state.with_untracked(|s| s.lesson.generation);
        leptos::task::spawn_local(async move {
            if self.catalog.with_untracked(|c| c.datasets.is_empty()) {
                if let Ok(text) = fetch_text(crate::datasets::INDEX_URL).await {
                    self.set_manifest(&text);
                }
            }
            let found = self.catalog.with_untracked(|c| c.datasets.iter().find(|d| d.id == id).cloned());
            let fetched = match &found {
                None => Err(format!("there is no built-in dataset \"{id}\"")),
                Some(d) if d.file.ends_with(".gz") => crate::compress::fetch_gzip_text(&d.url()).await,
                Some(d) => fetch_text(&d.url()).await,
            };
            // Another lesson was opened meanwhile.
            if self.state.with_untracked(|s| s.lesson.generation) != generation {
                return;
            }
            match (fetched, found) {
                (Ok(text), Some(d)) => {
                    self.state.update_untracked(|s| {
                        let time = s.lesson_time_ms(d.time_ms);
                        s.set_lesson_data(text, time);
                        if let Some(o) = &mut s.lesson.open {
                            o.dataset_title = Some(d.title.clone());
                        }
                    });
                    self.lesson_data_in(Some(d));
                }
                (r, _) => {
                    let e = r.err().unwrap_or_default();
                    self.state.update(|s| {
                        if let Some(o) = &mut s.lesson.open {
                            o.data_error = Some(format!("Could not load the lesson's data: {e}"));
                        }
                    });
                }
            }
        });
    }

    /// The lesson's data is in the model: show it in the data pane, put the lesson's first
    /// example in the query editor and run it, which also loads the data into the worker.
    fn lesson_data_in(self, dataset: Option<crate::datasets::Dataset>) {
        self.catalog.update(|c| c.chosen = dataset);
        self.fill_data_editor();
        let first = self.state.with_untracked(|s| s.lesson.open.as_ref().and_then(|o| o.examples().next().map(str::to_string)));
        self.state.update_untracked(|s| s.tab = Tab::Table);
        match first {
            Some(q) => self.use_query(&q),
            None => self.run(),
        }
    }

    fn check_exercise(self, i: usize) {
        let Some((req, refill)) = self.state.try_update(|s| s.begin_check(i)).flatten() else { return };
        if refill {
            self.fill_data_editor();
        }
        self.backend.with_value(|b| b.send(req));
    }

    fn exercise_action(self, act: &str, i: usize) {
        let state = self.state;
        match act {
            "check" => self.check_exercise(i),
            "hint" => state.update(|s| s.show_hint(i)),
            "solution" => state.update(|s| s.show_solution(i)),
            _ => {
                let reset = state.try_update(|s| {
                    let start = s.reset_exercise(i)?;
                    let id = s.lesson.open.as_ref()?.lesson.exercises.get(i)?.id.clone();
                    Some((id, start))
                });
                if let Some((id, start)) = reset.flatten() {
                    if let Some(el) = self.lesson_element::<web_sys::HtmlTextAreaElement>(&format!("#lesson-answer-{id}")) {
                        el.set_value(&start);
                    }
                }
                self.save_progress();
            }
        }
    }

    /// An answer editor's text went into the model: ask for its highlighting (PromQL only).
    /// The reply redraws the card; an emptied PromQL editor is redrawn at once, to clear its
    /// highlighted copy (relabel rules have none, and nothing else on the page shows them).
    fn answer_edited(self, i: usize, text: String, caret: usize) {
        let empty = text.trim().is_empty();
        let req = self.state.try_update_untracked(|s| {
            s.set_answer(i, text);
            s.begin_answer_analyze(i, Some(caret))
        });
        match req.flatten() {
            Some(req) => self.backend.with_value(|b| b.send(req)),
            None if empty => self.state.update(|_| {}),
            None => {}
        }
    }

    /// The keys of an open completion list, as in the query editor.
    fn completion_key(self, ev: &web_sys::Event, key: &web_sys::KeyboardEvent, i: usize) {
        match key.key().as_str() {
            "ArrowDown" | "ArrowUp" => {
                let down = key.key() == "ArrowDown";
                self.state.update(|s| s.move_answer_completion(i, down));
            }
            "Tab" | "Enter" => {
                let index = self.state.with_untracked(|s| {
                    s.lesson.open.as_ref().and_then(|o| o.exercises.get(i)).map_or(0, |v| v.completion_index)
                });
                self.accept_answer_completion(i, index);
            }
            "Escape" => self.state.update(|s| s.close_answer_completions(i)),
            _ => return,
        }
        ev.prevent_default();
    }

    /// Puts completion `index` in exercise `i`'s editor in place of the word at the caret.
    fn accept_answer_completion(self, i: usize, index: usize) {
        let Some(id) = self.state.with_untracked(|s| s.lesson.open.as_ref().and_then(|o| o.lesson.exercises.get(i).map(|e| e.id.clone()))) else { return };
        let Some(el) = self.lesson_element::<web_sys::HtmlTextAreaElement>(&format!("#lesson-answer-{id}")) else { return };
        let caret = crate::editor::byte_offset(&el.value(), el.selection_start().ok().flatten().unwrap_or(0) as usize);
        let edit = self.state.try_update(|s| s.accept_answer_completion(i, index, caret)).flatten();
        if let Some((text, caret)) = edit {
            el.set_value(&text);
            let at = crate::editor::utf16_offset(&text, caret) as u32;
            let _ = el.set_selection_range(at, at);
            self.answer_edited(i, text, caret);
        }
        let _ = el.focus();
    }

    /// Puts the open lesson (or the overview) in the address bar, so a reload comes back to it;
    /// with `copy`, on the clipboard too ("Copy lesson link").
    fn publish_lesson_link(self, copy: bool) {
        let source = self.state.with_untracked(|s| (!s.lesson.opening).then(|| s.lesson.open.as_ref().map(|o| o.source.clone())));
        let Some(source) = source else { return };
        leptos::task::spawn_local(async move {
            let fragment = match source {
                None => Some("#lessons".to_string()),
                Some(LessonSource::Builtin(id)) => Some(format!("{}{id}", lesson_io::BUILTIN_PREFIX)),
                Some(LessonSource::Text(text)) => lesson_io::text_fragment(&text).await,
            };
            let status = match fragment {
                None => "This browser cannot compress the link.".to_string(),
                Some(f) => {
                    lesson_io::set_fragment(&f);
                    if !copy {
                        return;
                    }
                    let Some(window) = web_sys::window() else { return };
                    let href = window.location().href().unwrap_or_default();
                    // Headless or unfocused pages may refuse the clipboard; the address bar has it.
                    let _ = JsFuture::from(window.navigator().clipboard().write_text(&href)).await;
                    format!("Lesson link copied ({} KB)", href.len().div_ceil(1000))
                }
            };
            self.state.update(|s| s.lesson.link_status = Some(status));
        });
    }

    /// Starts workshop mode when the page was opened with a lesson link (or `#lessons`).
    fn open_linked_lesson(self) {
        let fragment = lesson_io::fragment();
        let linked = lesson_io::linked_lesson(&fragment);
        if linked.is_none() && fragment != "#lessons" {
            return;
        }
        self.state.update_untracked(|s| {
            s.lesson.shown = true;
            s.lesson.opening = linked.is_some();
        });
        match linked {
            None => {}
            Some(lesson_io::LinkedLesson::Builtin(id)) => self.open_builtin(id),
            Some(lesson_io::LinkedLesson::Text(packed)) => self.open_text_when(async move {
                lesson_io::inflate(&packed).await.ok_or_else(|| "The link's lesson could not be read.".to_string())
            }),
        }
    }

    /// Opens the text a future produces (a link's inflated text, a file's contents).
    fn open_text_when(self, text: impl std::future::Future<Output = Result<String, String>> + 'static) {
        leptos::task::spawn_local(async move {
            match text.await {
                Ok(text) => self.open_lesson_text(text),
                Err(e) => self.lesson_failed(e),
            }
        });
    }

    /// Every event of the view, told apart by its type, ids and `data-*` attributes.
    fn lesson_event(self, ev: &web_sys::Event) {
        let answer = closest_attr(ev, ".lesson-answer", "data-i").and_then(|i| i.parse::<usize>().ok());
        match (ev.type_().as_str(), answer) {
            ("input", Some(i)) => {
                if let Some(t) = ev.target().and_then(|t| t.dyn_into::<web_sys::HtmlTextAreaElement>().ok()) {
                    let text = t.value();
                    let caret = crate::editor::byte_offset(&text, t.selection_start().ok().flatten().unwrap_or(0) as usize);
                    self.answer_edited(i, text, caret);
                }
            }
            ("keydown", Some(i)) => {
                let Some(key) = ev.dyn_ref::<web_sys::KeyboardEvent>() else { return };
                if is_run_shortcut(key) {
                    ev.prevent_default();
                    self.check_exercise(i);
                } else if self.state.with_untracked(|s| s.answer_completions(i).is_some()) {
                    self.completion_key(ev, key, i);
                }
            }
            ("focusout", Some(i)) => self.state.update(|s| s.close_answer_completions(i)),
            // mousedown, not click: a click would first take the focus from the editor, which
            // closes the list.
            ("mousedown", None) => {
                let list = closest_attr(ev, ".lesson-completions", "data-i").and_then(|i| i.parse::<usize>().ok());
                let item = closest_attr(ev, ".completion", "data-i").and_then(|i| i.parse::<usize>().ok());
                if let (Some(i), Some(item)) = (list, item) {
                    ev.prevent_default();
                    self.accept_answer_completion(i, item);
                }
            }
            // A changed answer is saved when its editor loses focus.
            ("change", Some(_)) => self.save_progress(),
            ("change", None) => {
                let input = ev.target().and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok());
                let Some(input) = input.filter(|i| i.id() == "lesson-file") else { return };
                let Some(file) = input.files().and_then(|f| f.get(0)) else { return };
                input.set_value("");
                self.open_text_when(async move {
                    let text = JsFuture::from(file.text()).await.ok().and_then(|t| t.as_string());
                    text.ok_or_else(|| format!("Could not read {}.", file.name()))
                });
            }
            ("click", _) => self.lesson_click(ev),
            _ => {}
        }
    }

    fn lesson_click(self, ev: &web_sys::Event) {
        let id = ev.target().and_then(|t| t.dyn_into::<web_sys::Element>().ok()).map(|e| e.id()).unwrap_or_default();
        if let (Some(act), Some(i)) = (closest_attr(ev, "[data-act]", "data-act"), closest_attr(ev, "[data-act]", "data-i")) {
            if let Ok(i) = i.parse() {
                self.exercise_action(&act, i);
            }
        } else if let Some(id) = closest_attr(ev, ".lesson-open", "data-id") {
            self.open_builtin(id);
        } else if let Some(id) = closest_attr(ev, ".lesson-open", "data-own") {
            self.send_request(self.state.try_update(|s| s.begin_open_own(&id)).flatten());
        } else if let Some(id) = closest_attr(ev, ".lesson-remove", "data-own") {
            self.state.update(|s| {
                s.lesson.own.forget(&id);
                lesson_io::save_own(&s.lesson.own);
            });
        } else if let Some(q) = closest_attr(ev, ".lesson-run", "data-q") {
            // An example runs as an instant query, in the editor beside the lesson.
            if self.state.with_untracked(|s| s.tab) != Tab::Table {
                self.state.update(|s| s.tab = Tab::Table);
            }
            self.use_query(&q);
        } else if id == "lesson-back" {
            self.state.update(|s| {
                s.close_lesson();
                s.lesson.link_status = None;
            });
            self.publish_lesson_link(false);
        } else if id == "presenter" {
            let on = !lesson_io::presenter_on();
            lesson_io::apply_presenter(on);
            lesson_io::save_presenter(on);
            // The head is drawn from the model: the button's state must come from there too.
            self.state.update(|_| {});
        } else if id == "lesson-copy-link" {
            self.publish_lesson_link(true);
        } else if id == "lesson-paste-open" {
            if let Some(el) = self.lesson_element::<web_sys::HtmlTextAreaElement>("#lesson-paste") {
                self.open_lesson_text(el.value());
            }
        }
    }
}

/// The element's or its closest ancestor's `attr`.
fn closest_attr(ev: &web_sys::Event, selector: &str, attr: &str) -> Option<String> {
    let target = ev.target()?.dyn_into::<web_sys::Element>().ok()?;
    target.closest(selector).ok().flatten()?.get_attribute(attr)
}

/// What the view shows, as last drawn.
#[derive(Default)]
struct Drawn {
    listening: bool,
    shown: Option<bool>,
    head: String,
    error: String,
    catalog: String,
    data: String,
    open: Option<bool>,
    generation: Option<u64>,
    cards: Vec<lesson_view::CardState>,
}

/// What the effect does after drawing, outside the model's borrow.
#[derive(Default)]
struct After {
    listen: bool,
    /// The view was shown or hidden (not at start-up).
    toggled: Option<bool>,
    load_overview: bool,
}

fn find(root: &web_sys::Element, selector: &str) -> Option<web_sys::Element> {
    root.query_selector(selector).ok().flatten()
}

/// Writes `now` into the element as HTML (or text) when it differs from what it shows.
fn put(root: &web_sys::Element, selector: &str, shown: &mut String, now: String, html: bool) {
    if *shown == now {
        return;
    }
    if let Some(el) = find(root, selector) {
        if html {
            el.set_inner_html(&now);
        } else {
            el.set_text_content(Some(&now));
        }
        *shown = now;
    }
}

fn set_hidden(root: &web_sys::Element, selector: &str, hidden: bool) {
    if let Some(el) = find(root, selector) {
        let _ = el.toggle_attribute_with_force("hidden", hidden);
    }
}

/// Brings the view in line with the model.
fn draw(root: &web_sys::Element, s: &AppState, d: &mut Drawn) -> After {
    let l = &s.lesson;
    let mut after = After { listen: !d.listening, ..After::default() };
    d.listening = true;
    if d.shown != Some(l.shown) {
        let _ = root.toggle_attribute_with_force("hidden", !l.shown);
        after.toggled = d.shown.map(|_| l.shown);
        d.shown = Some(l.shown);
    }
    if !l.shown {
        return after;
    }
    let open = l.open.as_ref();
    // Fetched when first seen, not for a lesson opened from a link.
    after.load_overview = !l.catalog_requested && open.is_none() && !l.opening;
    let head = lesson_view::head(open, &l.progress, l.opening, l.link_status.as_deref(), lesson_io::presenter_on());
    put(root, "#lesson-head", &mut d.head, head, true);
    let error = l.error.clone().unwrap_or_default();
    if d.error != error {
        set_hidden(root, "#lesson-error", error.is_empty());
    }
    put(root, "#lesson-error", &mut d.error, error, false);
    if d.open != Some(open.is_some()) {
        set_hidden(root, "#lesson-overview", open.is_some());
        set_hidden(root, "#lesson-page", open.is_none());
        d.open = Some(open.is_some());
    }
    let Some(o) = open else {
        put(root, "#lesson-catalog", &mut d.catalog, lesson_view::overview(&l.catalog, &l.parsed, &l.own.lessons, &l.progress), true);
        return after;
    };
    put(root, "#lesson-data", &mut d.data, lesson_view::data_line(o), false);
    if d.generation != Some(l.generation) {
        let (html, cards) = lesson_view::body(o, &l.progress);
        if let Some(el) = find(root, "#lesson-body") {
            el.set_inner_html(&html);
        }
        d.cards = cards;
        d.generation = Some(l.generation);
    } else {
        sync_cards(root, s, &mut d.cards);
    }
    after
}

/// Brings the exercise cards in line with the model, touching only what changed since `shown`
/// (the cards as last drawn).
fn sync_cards(root: &web_sys::Element, state: &AppState, shown: &mut [lesson_view::CardState]) {
    let Some(o) = &state.lesson.open else { return };
    let now = lesson_view::card_states(o, &state.lesson.progress);
    for ((ex, now), before) in o.lesson.exercises.iter().zip(now).zip(shown.iter_mut()) {
        if *before == now {
            continue;
        }
        let Some(card) = find(root, &format!("#exercise-{}", ex.id)) else { continue };
        let _ = card.class_list().toggle_with_force("done", now.done);
        let text = |sel: &str, t: &str| {
            if let Some(el) = find(&card, sel) {
                el.set_text_content(Some(t));
            }
        };
        text(".exercise-done", if now.done { lesson_view::DONE_MARK } else { "" });
        text(".lesson-hint", &now.hint_label);
        text(".hint", &now.parse_hint);
        for (sel, off) in [(".lesson-check", now.waiting), (".lesson-hint", !now.hints_left)] {
            if let Some(el) = find(&card, sel) {
                let _ = el.toggle_attribute_with_force("disabled", off);
            }
        }
        for (sel, was, html) in [
            (".highlight", &before.highlight, &now.highlight),
            (".exercise-status", &before.status, &now.status),
            (".lesson-completions", &before.completions, &now.completions),
        ] {
            if was != html {
                if let Some(el) = find(&card, sel) {
                    el.set_inner_html(html);
                }
            }
        }
        if before.completions.is_empty() != now.completions.is_empty() {
            if let Some(el) = find(&card, ".lesson-completions") {
                let _ = el.class_list().toggle_with_force("hidden", now.completions.is_empty());
            }
        }
        *before = now;
    }
}

#[component]
pub fn LessonPanel() -> impl IntoView {
    let ctx = expect_context::<AppCtx>();
    let state = ctx.state;
    state.update_untracked(|s| {
        s.lesson.progress = lesson_io::load_progress();
        s.lesson.own = lesson_io::load_own();
    });
    lesson_io::apply_presenter(lesson_io::load_presenter());
    ctx.open_linked_lesson();
    let drawn = StoredValue::new_local(Drawn::default());
    Effect::new(move |_| {
        let Some(root) = ctx.lesson_root.get() else { return };
        let root: web_sys::Element = root.into();
        let after = state.with(|s| drawn.try_update_value(|d| draw(&root, s, d))).unwrap_or_default();
        if after.listen {
            let on_event = Closure::<dyn Fn(web_sys::Event)>::new(move |ev: web_sys::Event| ctx.lesson_event(&ev));
            // focusout and mousedown: for the exercise editors' completion lists.
            for name in ["click", "input", "keydown", "change", "focusout", "mousedown"] {
                let _ = root.add_event_listener_with_callback(name, on_event.as_ref().unchecked_ref());
            }
            // Lives as long as the page.
            on_event.forget();
        }
        if after.load_overview {
            ctx.load_overview();
        }
        // Leaving the view takes the lesson out of the address bar (a reload then restores the
        // workspace, not the lesson's data over it); coming back puts it in again.
        match after.toggled {
            Some(true) => ctx.publish_lesson_link(false),
            Some(false) => {
                let fragment = lesson_io::fragment();
                if lesson_io::linked_lesson(&fragment).is_some() || fragment == "#lessons" {
                    lesson_io::set_fragment("");
                }
            }
            None => {}
        }
    });
    view! { <main class="layout lesson-layout" node_ref=ctx.lesson_root hidden inner_html=lesson_view::SKELETON></main> }
}
