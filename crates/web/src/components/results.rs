//! The results table: one row per series (label set, value), the series count, the evaluation
//! time and any warnings or infos the engine attached.

use leptos::prelude::*;

use protocol::ExportFormat;

use super::TimeControls;
use crate::chart::{ChartData, ChartSeries, Graph};
use crate::app::AppCtx;
use crate::state::{eval_time_text, Output, Tab};

#[component]
pub fn ResultsPane() -> impl IntoView {
    let ctx = expect_context::<AppCtx>();
    let state = ctx.state;
    let output = move || state.with(|s| s.output.clone());
    // The table's own order; `None` is the engine's (Prometheus's) order.
    let sort = RwSignal::new(None::<(SortKey, bool)>);
    let running = move || state.with(|s| s.running.is_some());
    let chart = Memo::new(move |_| state.with(|s| s.output.result.as_ref().and_then(chart_data)));
    // One delegated handler for both buttons (each handler closure costs wasm size). Without a
    // result the worker answers with nothing and nothing is downloaded.
    let export = move |ev: leptos::ev::MouseEvent| match event_target::<web_sys::Element>(&ev).id().as_str() {
        "export-csv" => ctx.export(ExportFormat::Csv),
        "export-json" => ctx.export(ExportFormat::ApiJson),
        "export-png" => super::download_canvas_png("graph-canvas", "promplay-graph.png"),
        _ => {}
    };

    view! {
        <section class="pane results-pane" aria-labelledby="results-title">
            <div class="pane-head">
                <h2 id="results-title" class="visually-hidden">"Result"</h2>
                <div class="tabs" role="tablist" aria-label="Result view">
                    {tab_button(ctx, Tab::Table, "tab-table", "Table")}
                    {tab_button(ctx, Tab::Graph, "tab-graph", "Graph")}
                    {tab_button(ctx, Tab::Explain, "tab-explain", "Explain")}
                </div>
                {move || output().result.map(|r| view! { <span id="result-count" class="count">{r.count_text()}</span> })}
                {move || {
                    output().data_summary.map(|d| {
                        view! { <span class="muted eval-time">"evaluated at " <time>{eval_time_text(&d)}</time></span> }
                    })
                }}
                // The worker's own time for the run (load included), as Prometheus's UI shows
                // its load time.
                {move || output().elapsed_ms.map(|ms| view! { <span id="elapsed" class="muted">{format!("{} ms", ms.round())}</span> })}
                {move || {
                    running()
                        .then(|| {
                            view! {
                                <span id="running" class="muted running" role="status">
                                    "Running…"
                                    {move || {
                                        state.with(|s| s.progress.as_ref().map(|p| p.text())).map(|t| view! { <span id="progress">{t}</span> })
                                    }}
                                </span>
                                <button id="cancel-button" type="button" class="export" on:click=move |_| ctx.cancel()>
                                    "Cancel"
                                </button>
                            }
                        })
                }}
                <span class="exports" on:click=export>
                    <button id="export-csv" type="button" class="export">
                        "CSV"
                    </button>
                    <button id="export-json" type="button" class="export">
                        "JSON"
                    </button>
                    <button id="export-png" type="button" class="export" class:hidden=move || state.with(|s| s.tab != Tab::Graph)>
                        "PNG"
                    </button>
                </span>
            </div>
            <TimeControls/>
            {move || notes(&output())}
            <Show when=move || state.with(|s| s.tab == Tab::Graph)>
                <Graph data=chart/>
            </Show>
            <Show when=move || state.with(|s| s.tab == Tab::Explain)>
                <super::ExplainPane/>
            </Show>
            <div class="table-wrap" class:hidden=move || state.with(|s| s.tab == Tab::Graph)>
                <table id="results" class="results">
                    <thead>
                        <tr>
                            <th scope="col" aria-sort=move || aria_sort(sort.get(), SortKey::Labels)>
                                <button id="sort-labels" type="button" class="sort" on:click=move |_| sort.update(|s| *s = next_sort(*s, SortKey::Labels))>
                                    "Series"{move || arrow(sort.get(), SortKey::Labels)}
                                </button>
                            </th>
                            <th scope="col" class="num" aria-sort=move || aria_sort(sort.get(), SortKey::Value)>
                                <button id="sort-value" type="button" class="sort" on:click=move |_| sort.update(|s| *s = next_sort(*s, SortKey::Value))>
                                    "Value"{move || arrow(sort.get(), SortKey::Value)}
                                </button>
                            </th>
                        </tr>
                    </thead>
                    <tbody>{move || rows(output(), sort.get())}</tbody>
                </table>
            </div>
        </section>
    }
}

/// A tab: choosing it runs the query as that tab's kind (instant or range), as Prometheus does.
fn tab_button(ctx: AppCtx, tab: Tab, id: &'static str, label: &'static str) -> impl IntoView {
    let selected = move || ctx.state.with(|s| s.tab == tab);
    view! {
        <button
            id=id
            type="button"
            role="tab"
            class="tab"
            class:selected=selected
            aria-selected=move || if selected() { "true" } else { "false" }
            on:click=move |_| ctx.set_tab(tab)
        >
            {label}
        </button>
    }
}

/// A range result as the chart takes it; `None` for instant results (the graph then says so).
pub(crate) fn chart_data(r: &protocol::ResultView) -> Option<ChartData> {
    let range = r.range?;
    let series = r
        .rows
        .iter()
        .map(|row| ChartSeries { labels: label_set(&row.label_pairs), metric: row.metric.clone(), points: row.points.clone() })
        .collect();
    Some(ChartData { series, start_ms: range.start_ms, end_ms: range.end_ms, step_ms: range.step_ms })
}

/// `{a="1", b="x\"y"}`: the pairs in Prometheus's label-set notation, values escaped.
fn label_set(pairs: &[(String, String)]) -> String {
    let mut out = String::from("{");
    for (i, (name, value)) in pairs.iter().enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        out.push_str(name);
        out.push_str("=\"");
        for c in value.chars() {
            match c {
                '\\' => out.push_str("\\\\"),
                '"' => out.push_str("\\\""),
                '\n' => out.push_str("\\n"),
                c => out.push(c),
            }
        }
        out.push('"');
    }
    out.push('}');
    out
}

/// What the table is sorted by: click a header for ascending, again for descending, a third
/// time for the engine's order.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum SortKey {
    Labels,
    Value,
}

fn next_sort(now: Option<(SortKey, bool)>, key: SortKey) -> Option<(SortKey, bool)> {
    match now {
        Some((k, false)) if k == key => Some((key, true)),
        Some((k, true)) if k == key => None,
        _ => Some((key, false)),
    }
}

fn aria_sort(now: Option<(SortKey, bool)>, key: SortKey) -> &'static str {
    match now {
        Some((k, desc)) if k == key => if desc { "descending" } else { "ascending" },
        _ => "none",
    }
}

fn arrow(now: Option<(SortKey, bool)>, key: SortKey) -> &'static str {
    match now {
        Some((k, desc)) if k == key => if desc { " ↓" } else { " ↑" },
        _ => "",
    }
}

/// Orders rows by label text or by value (numbers numerically, NaN last; a range cell by its
/// first value), stably.
fn sort_rows(rows: &mut [protocol::Row], sort: Option<(SortKey, bool)>) {
    let Some((key, desc)) = sort else { return };
    let value = |r: &protocol::Row| r.points.first().map_or(f64::NAN, |p| p.1);
    model::sort::sort_by(rows, |a, b| {
        let o = match key {
            SortKey::Labels => a.labels.cmp(&b.labels),
            SortKey::Value => match (value(a).is_nan(), value(b).is_nan()) {
                (true, true) => std::cmp::Ordering::Equal,
                (true, false) => return std::cmp::Ordering::Greater,
                (false, true) => return std::cmp::Ordering::Less,
                _ => value(a).total_cmp(&value(b)),
            },
        };
        if desc { o.reverse() } else { o }
    });
}

fn rows(out: Output, sort: Option<(SortKey, bool)>) -> AnyView {
    let placeholder = |text: &'static str| {
        view! {
            <tr class="placeholder">
                <td colspan="2">{text}</td>
            </tr>
        }
        .into_any()
    };
    match out.result {
        Some(r) if r.rows.is_empty() => placeholder("Empty query result"),
        Some(mut r) => {
            sort_rows(&mut r.rows, sort);
            r.rows
            .into_iter()
            .map(|row| {
                view! {
                    <tr class="result-row">
                        <td class="result-labels">{row.labels}</td>
                        <td class="result-value num">{row.value}</td>
                    </tr>
                }
            })
            .collect_view()
            .into_any()
        }
        None if out.data_error.is_some() => placeholder("Fix the data to run the query"),
        None if out.query_error.is_some() => placeholder("No result: the query failed"),
        None => placeholder("Press Run to evaluate the query"),
    }
}

fn notes(out: &Output) -> Option<impl IntoView> {
    let r = out.result.as_ref()?;
    if r.warnings.is_empty() && r.infos.is_empty() {
        return None;
    }
    let warnings = r.warnings.iter().map(|w| view! { <li class="warning">{w.clone()}</li> }).collect_view();
    let infos = r.infos.iter().map(|i| view! { <li class="info">{i.clone()}</li> }).collect_view();
    Some(view! { <ul class="notes">{warnings}{infos}</ul> })
}

#[cfg(test)]
mod tests {
    use super::{next_sort, sort_rows, SortKey};

    fn row(labels: &str, v: f64) -> protocol::Row {
        protocol::Row { labels: labels.into(), metric: None, label_pairs: Vec::new(), value: v.to_string(), points: vec![(0, v)] }
    }

    #[test]
    fn sorting_by_value_and_labels() {
        let mut rows = vec![row("b", 2.0), row("a", f64::NAN), row("c", 10.0)];
        sort_rows(&mut rows, Some((SortKey::Value, false)));
        assert_eq!(rows.iter().map(|r| r.labels.as_str()).collect::<Vec<_>>(), ["b", "c", "a"]);
        sort_rows(&mut rows, Some((SortKey::Value, true)));
        assert_eq!(rows.iter().map(|r| r.labels.as_str()).collect::<Vec<_>>(), ["c", "b", "a"]);
        sort_rows(&mut rows, Some((SortKey::Labels, false)));
        assert_eq!(rows.iter().map(|r| r.labels.as_str()).collect::<Vec<_>>(), ["a", "b", "c"]);
        let cycle = [None, Some((SortKey::Value, false)), Some((SortKey::Value, true))];
        assert_eq!(next_sort(cycle[0], SortKey::Value), cycle[1]);
        assert_eq!(next_sort(cycle[1], SortKey::Value), cycle[2]);
        assert_eq!(next_sort(cycle[2], SortKey::Value), None);
        assert_eq!(next_sort(cycle[2], SortKey::Labels), Some((SortKey::Labels, false)));
    }

    #[test]
    fn label_sets_are_escaped() {
        let pairs = vec![("a".to_string(), "1".to_string()), ("b".to_string(), "x\"y\\z\n".to_string())];
        assert_eq!(super::label_set(&pairs), r#"{a="1", b="x\"y\\z\n"}"#);
        assert_eq!(super::label_set(&[]), "{}");
    }
}
