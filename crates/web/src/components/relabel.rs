//! The Relabel view: rules, targets or series to run them over, and the worker's answer (see
//! `relabel_view` for the read-only tables). Shown instead of the Query view by the switch in the
//! header; both stay mounted, so neither loses its text.

use leptos::html::Textarea;
use leptos::prelude::*;
use protocol::RelabelReply;
use wasm_bindgen::JsCast;

use super::{is_run_shortcut, relabel_view};
use crate::app::{fetch_text, AppCtx};
use crate::state::RelabelKind;

/// The built-in example (www/relabel/, copied by Trunk): fetched when the view is first opened,
/// so it costs nothing on the first load of the page.
const EXAMPLE_RULES: &str = "relabel/kubernetes-pods.prometheus.yml";
const EXAMPLE_TARGETS: &str = "relabel/kubernetes-pods.targets.yml";

impl AppCtx {
    /// Sends the Relabel view's rules and inputs to the worker.
    pub fn relabel(self, apply: bool) {
        let now = js_sys::Date::now().round() as i64;
        if let Some(req) = self.state.try_update(|s| s.begin_relabel(now, apply)) {
            self.backend.with_value(|b| b.send(req));
        }
    }

    pub fn on_relabel(self, id: u32, reply: RelabelReply) {
        let applied = self.state.try_update(|s| s.finish_relabel(id, reply)).unwrap_or(false);
        // The Query view's result was computed on the data before relabeling.
        if applied {
            self.run();
        }
    }
}

/// The header's Query | Relabel | Lessons | Remote switch.
#[component]
pub fn ViewSwitch() -> impl IntoView {
    let state = expect_context::<AppCtx>().state;
    // 0 Query, 1 Relabel, 2 Lessons, 3 Remote.
    let shown = move || {
        state.with(|s| match (s.relabel.shown, s.lesson.shown, s.remote.shown) {
            (true, _, _) => 1,
            (_, true, _) => 2,
            (_, _, true) => 3,
            _ => 0,
        })
    };
    let show = move |v: u8| {
        state.update(|s| {
            s.relabel.shown = v == 1;
            s.lesson.shown = v == 2;
            s.remote.shown = v == 3;
        })
    };
    view! {
        <nav class="view-switch" aria-label="View">
            <button id="view-query" type="button" class:active=move || shown() == 0 on:click=move |_| show(0)>"Query"</button>
            <button id="view-relabel" type="button" class:active=move || shown() == 1 on:click=move |_| show(1)>"Relabel"</button>
            <button id="view-lessons" type="button" class:active=move || shown() == 2 on:click=move |_| show(2)>"Lessons"</button>
            <button id="view-remote" type="button" class:active=move || shown() == 3 on:click=move |_| show(3)>"Remote"</button>
        </nav>
    }
}

#[component]
pub fn RelabelPanel() -> impl IntoView {
    let ctx = expect_context::<AppCtx>();
    let state = ctx.state;
    let rules: NodeRef<Textarea> = NodeRef::new();
    let targets: NodeRef<Textarea> = NodeRef::new();
    let fetch_error = RwSignal::new(None::<String>);
    let load_example = move || {
        state.update_untracked(|s| s.relabel.example_requested = true);
        leptos::task::spawn_local(async move {
            match (fetch_text(EXAMPLE_RULES).await, fetch_text(EXAMPLE_TARGETS).await) {
                (Ok(r), Ok(t)) => {
                    if let (Some(a), Some(b)) = (rules.get_untracked(), targets.get_untracked()) {
                        a.set_value(&r);
                        b.set_value(&t);
                    }
                    state.update_untracked(|s| {
                        s.relabel.rules_text = r;
                        s.relabel.targets_text = t;
                        s.relabel.job = None;
                        s.relabel.kind = RelabelKind::Target;
                    });
                    ctx.relabel(false);
                }
                (Err(e), _) | (_, Err(e)) => fetch_error.set(Some(format!("Could not load the example: {e}"))),
            }
        });
    };
    // Opened for the first time: with nothing typed, show what the view does; with rules
    // restored from a saved or shared workspace, show what they do.
    Effect::new(move |_| {
        let (shown, requested, empty, answered) = state.with(|s| {
            let r = &s.relabel;
            (r.shown, r.example_requested, r.rules_text.is_empty(), r.reply.is_some() || r.running.is_some())
        });
        if shown && empty && !requested {
            load_example();
        } else if shown && !empty && !answered {
            ctx.relabel(false);
        }
    });
    let kind = move || state.with(|s| s.relabel.kind);
    let pasted = move || state.with(|s| s.relabel.pasted);
    let set_kind = move |k: RelabelKind| {
        state.update(|s| s.relabel.kind = k);
        ctx.relabel(false);
    };
    let error = move || {
        state.with(|s| {
            let r = s.relabel.reply.as_ref()?;
            r.rules_error.as_ref().map(|e| format!("rules: {e}")).or_else(|| r.input_error.clone())
        })
    };
    let jobs = move || state.with(|s| s.relabel.reply.as_ref().map(|r| r.jobs.clone()).unwrap_or_default());
    let job_options = move || {
        let chosen = state.with(|s| s.relabel.job.clone());
        jobs()
            .into_iter()
            .map(|j| {
                let selected = chosen.as_deref() == Some(j.as_str());
                view! { <option value=j.clone() selected=selected>{j.clone()}</option> }
            })
            .collect_view()
    };
    let keydown = move |ev: leptos::ev::KeyboardEvent| {
        if is_run_shortcut(&ev) {
            ev.prevent_default();
            ctx.relabel(false);
        }
    };
    let edit = move |f: fn(&mut crate::state::RelabelState, String)| {
        move |ev: leptos::ev::Event| {
            let v = event_target_value(&ev);
            state.update_untracked(|s| f(&mut s.relabel, v));
        }
    };
    let results = move || state.with(|s| relabel_view::results(&s.relabel));
    let trace = move || state.with(|s| relabel_view::trace(&s.relabel));
    // Rows are HTML strings: a click finds its row by the `data-i` the row carries.
    let pick = move |ev: leptos::ev::MouseEvent| {
        let row = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
            .and_then(|e| e.closest(".relabel-row[data-i]").ok().flatten())
            .and_then(|e| e.get_attribute("data-i"))
            .and_then(|i| i.parse::<usize>().ok());
        if row.is_some() {
            state.update(|s| s.relabel.selected = row);
        }
    };

    view! {
        <main class="layout relabel-layout" hidden=move || state.with(|s| !s.relabel.shown)>
            <div class="column">
                <section class="pane relabel-pane" aria-labelledby="relabel-title">
                    <div class="pane-head">
                        <h2 id="relabel-title">"Relabel rules"</h2>
                        <div class="relabel-modes" role="group" aria-label="Mode">
                            <button id="relabel-mode-target" type="button" class:active=move || kind() == RelabelKind::Target on:click=move |_| set_kind(RelabelKind::Target)>"Targets"</button>
                            <button id="relabel-mode-metric" type="button" class:active=move || kind() == RelabelKind::Metric on:click=move |_| set_kind(RelabelKind::Metric)>"Metrics"</button>
                        </div>
                        <select id="relabel-job" aria-label="Scrape job" hidden=move || jobs().len() < 2
                            on:change=move |ev| {
                                let j = event_target_value(&ev);
                                state.update_untracked(|s| s.relabel.job = Some(j));
                                ctx.relabel(false);
                            }>
                            {job_options}
                        </select>
                        <button id="relabel-example" type="button" class="link" on:click=move |_| load_example()>"Kubernetes example"</button>
                    </div>
                    <textarea id="relabel-rules" node_ref=rules class="editor relabel-editor" class:invalid=move || error().is_some_and(|e| e.starts_with("rules:"))
                        aria-labelledby="relabel-title" spellcheck="false" autocomplete="off" autocapitalize="off" wrap="off"
                        placeholder="- source_labels: [__meta_kubernetes_pod_annotation_prometheus_io_scrape]\n  regex: \"true\"\n  action: keep"
                        on:input=edit(|r, v| r.rules_text = v) on:keydown=keydown>{state.with_untracked(|s| s.relabel.rules_text.clone())}</textarea>
                    <p class="muted relabel-hint">{move || match kind() {
                        RelabelKind::Target => "relabel_configs over discovered targets (a YAML or JSON list of label maps, or file_sd groups):",
                        RelabelKind::Metric => "metric_relabel_configs over every series, with the target labels attached first:",
                    }}</p>
                    <textarea id="relabel-targets" node_ref=targets class="editor relabel-editor" hidden=move || kind() != RelabelKind::Target
                        aria-label="Targets" spellcheck="false" autocomplete="off" autocapitalize="off" wrap="off"
                        placeholder="- __address__: \"10.0.0.1:8080\"\n  __meta_kubernetes_namespace: shop"
                        on:input=edit(|r, v| r.targets_text = v) on:keydown=keydown>{state.with_untracked(|s| s.relabel.targets_text.clone())}</textarea>
                    <div class="relabel-metric" hidden=move || kind() != RelabelKind::Metric>
                        <label><input id="relabel-source-loaded" type="radio" name="relabel-source" prop:checked=move || !pasted()
                            on:change=move |_| state.update(|s| s.relabel.pasted = false)/>" the loaded data"</label>
                        <label><input id="relabel-source-pasted" type="radio" name="relabel-source" prop:checked=pasted
                            on:change=move |_| state.update(|s| s.relabel.pasted = true)/>" a pasted scrape"</label>
                        <input id="relabel-target-labels" type="text" class="relabel-input" aria-label="Target labels" spellcheck="false"
                            placeholder="target labels: {job: node, instance: \"host:9100\"}" on:input=edit(|r, v| r.target_labels = v)/>
                        <textarea id="relabel-exposition" class="editor relabel-editor" hidden=move || !pasted() aria-label="Scrape"
                            spellcheck="false" autocomplete="off" wrap="off" placeholder="# exposition text of one scrape"
                            on:input=edit(|r, v| r.exposition_text = v) on:keydown=keydown></textarea>
                    </div>
                    <div class="relabel-actions">
                        <button id="relabel-run" type="button" class="run" on:click=move |_| ctx.relabel(false)>"Run"</button>
                        <button id="relabel-apply" type="button" hidden=move || kind() != RelabelKind::Metric || pasted()
                            title="Replace the loaded data with the relabeled series, so queries run on them"
                            on:click=move |_| ctx.relabel(true)>"Query the relabeled data"</button>
                        {move || state.with(|s| s.relabeled_in_worker()).then(|| view! { <span id="relabel-applied" class="muted">"Queries now run on the relabeled series."</span> })}
                    </div>
                    {move || fetch_error.get().or_else(error).map(|e| view! { <p id="relabel-error" class="error" role="alert">{e}</p> })}
                </section>
                <section class="pane relabel-trace-pane" aria-label="Trace">
                    <div id="relabel-trace" inner_html=trace></div>
                </section>
            </div>
            <div class="column">
                <section class="pane relabel-out" aria-label="Relabel result">
                    <div id="relabel-output" aria-busy=move || if state.with(|s| s.relabel.running.is_some()) { "true" } else { "false" }
                        inner_html=results on:click=pick on:keydown=super::click_on_enter></div>
                </section>
            </div>
        </main>
    }
}
