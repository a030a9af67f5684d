//! The Graph tab as a Leptos component: the canvas, its toolbar (stacked, log, heatmap, reset
//! zoom), the legend and the hover read-out. It keeps only view state (toggles, highlight,
//! zoom); every redraw lays the data out again through `model`/`heatmap` and keeps that layout
//! so pointer events hit-test against exactly what is drawn.

use leptos::ev::{MouseEvent, PointerEvent};
use leptos::html::Canvas;
use leptos::prelude::*;

use super::heatmap::{has_buckets, HeatPlot};
use super::model::{css_colour, zoom_range, Options, Plot, Readout, TimeScale};
use super::{draw, ChartData};
use crate::timefmt::format_rfc3339_ms;

/// The canvas's height in CSS pixels; its width follows the container.
const HEIGHT: f64 = 320.0;

/// What the user chose. One signal for all of it: each signal type costs wasm size.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
struct ViewState {
    stacked: bool,
    log: bool,
    heat: bool,
    highlight: Option<usize>,
    zoom: Option<(i64, i64)>,
    /// Bumped on window resize, only to redraw at the new width.
    resized: u32,
}

/// The read-out under the pointer, as shown, and where to put its marker.
#[derive(Clone, Debug, PartialEq)]
struct Hover {
    x: f64,
    y: f64,
    time: String,
    value: String,
    series: String,
}

#[derive(Clone, Debug, Default, PartialEq)]
struct Pointer {
    hover: Option<Hover>,
    /// Where a drag started and where it is now (CSS px from the canvas's left).
    drag: Option<(f64, f64)>,
}

/// What the last redraw drew, for hit-testing.
enum Layout {
    Lines(Plot),
    Heat(HeatPlot),
}

impl Layout {
    fn time(&self) -> &TimeScale {
        match self {
            Layout::Lines(p) => &p.time,
            Layout::Heat(p) => &p.time,
        }
    }

    fn hover(&self, x: f64, y: f64, highlight: Option<usize>, data: &ChartData) -> Option<Hover> {
        let (r, series): (Readout, String) = match self {
            Layout::Lines(p) => {
                let r = p.nearest(x, y, highlight)?;
                let name = data
                    .series
                    .get(r.series)
                    .map(|s| s.name())
                    .unwrap_or_default();
                (r, name)
            }
            Layout::Heat(p) => {
                let r = p.readout(x, y)?;
                let map = p.maps.get(r.series)?;
                let name = format!("{} le=\"{}\"", map.name, r.bucket.as_deref().unwrap_or(""));
                (r, name)
            }
        };
        Some(Hover {
            x: r.x,
            y: r.y,
            time: format_rfc3339_ms(r.t),
            // Formatted as the table formats values.
            value: model::format_prom_float(r.value),
            series,
        })
    }
}

fn offset(ev: &MouseEvent) -> (f64, f64) {
    (f64::from(ev.offset_x()), f64::from(ev.offset_y()))
}

#[component]
pub fn Graph(#[prop(into)] data: Signal<Option<ChartData>>) -> impl IntoView {
    let state = RwSignal::new(ViewState::default());
    let pointer = RwSignal::new(Pointer::default());
    let error = RwSignal::new(None::<String>);
    let layout = StoredValue::new_local(None::<Layout>);
    let canvas = NodeRef::<Canvas>::new();
    let buckets = Memo::new(move |_| data.with(|d| d.as_ref().is_some_and(has_buckets)));
    let showing_heat = move || state.with(|v| v.heat) && buckets.get();

    // A new result starts unzoomed and unhighlighted (its series are not the old ones).
    Effect::watch(
        move || data.track(),
        move |_, _, _| state.update(|v| (v.highlight, v.zoom) = (None, None)),
        false,
    );

    Effect::new(move |_| {
        let v = state.get();
        let heat = v.heat && buckets.get();
        let Some(el) = canvas.get() else { return };
        let width = el
            .parent_element()
            .map(|p| f64::from(p.client_width()))
            .filter(|w| *w > 0.0)
            .unwrap_or(640.0);
        let dpr = web_sys::window().map_or(1.0, |w| w.device_pixel_ratio());
        let surface = draw::Surface {
            canvas: &el,
            width,
            height: HEIGHT,
            dpr,
            ink: draw::ink(&el),
        };
        let (drawn, result) = data.with(|d| match d {
            None => (
                None,
                draw::message(&surface, "Run a range query to graph it."),
            ),
            Some(d) if d.series.is_empty() => (None, draw::message(&surface, "Empty query result")),
            Some(d) if heat => {
                let p = HeatPlot::new(d, v.zoom, width, HEIGHT);
                let r = draw::heatmap(&surface, &p);
                (Some(Layout::Heat(p)), r)
            }
            Some(d) => {
                let p = Plot::new(
                    d,
                    Options {
                        stacked: v.stacked,
                        log: v.log,
                    },
                    v.zoom,
                    width,
                    HEIGHT,
                );
                let r = draw::lines(&surface, &p, v.highlight);
                (Some(Layout::Lines(p)), r)
            }
        });
        layout.set_value(drawn);
        pointer.set(Pointer::default());
        error.set(result.err());
    });

    let resize = window_event_listener(leptos::ev::resize, move |_| {
        state.update(|v| v.resized = v.resized.wrapping_add(1))
    });
    on_cleanup(move || resize.remove());

    // Pointer events: a mouse, a pen and a finger zoom the same way (the canvas lets the page
    // scroll vertically, so a horizontal drag is the chart's).
    let mousemove = move |ev: PointerEvent| {
        let (x, y) = offset(&ev);
        let highlight = state.with_untracked(|v| v.highlight);
        let hover = data.with_untracked(|d| {
            let d = d.as_ref()?;
            layout.with_value(|l| l.as_ref()?.hover(x, y, highlight, d))
        });
        pointer.update(|p| {
            p.hover = hover;
            if let Some(drag) = &mut p.drag {
                drag.1 = x;
            }
        });
    };
    let mousedown = move |ev: PointerEvent| {
        if ev.button() == 0 {
            // No text selection while dragging across the page.
            ev.prevent_default();
            // The drag goes on when the pointer leaves the canvas (a finger rarely stays on it).
            let _ = event_target::<web_sys::Element>(&ev).set_pointer_capture(ev.pointer_id());
            let x = offset(&ev).0;
            pointer.update(|p| p.drag = Some((x, x)));
        }
    };
    let mouseup = move |ev: PointerEvent| {
        let Some((x0, _)) = pointer.with_untracked(|p| p.drag) else {
            return;
        };
        pointer.update(|p| p.drag = None);
        let step = data.with_untracked(|d| d.as_ref().map_or(0, |d| d.step_ms));
        let zoom = layout.with_value(|l| zoom_range(l.as_ref()?.time(), x0, offset(&ev).0, step));
        if zoom.is_some() {
            state.update(|v| v.zoom = zoom);
        }
    };

    // One delegated handler per group of buttons (each handler closure costs wasm size).
    let toolbar = move |ev: MouseEvent| {
        let Some(button) = event_target::<web_sys::Element>(&ev)
            .closest("button")
            .ok()
            .flatten()
        else {
            return;
        };
        state.update(|v| match button.id().as_str() {
            "graph-stacked" => v.stacked = !v.stacked,
            "graph-log" => v.log = !v.log,
            "graph-heatmap" => v.heat = !v.heat,
            "graph-reset-zoom" => v.zoom = None,
            _ => {}
        });
    };
    let legend = move |ev: MouseEvent| {
        let item = event_target::<web_sys::Element>(&ev)
            .closest(".legend-item")
            .ok()
            .flatten();
        let Some(i) = item
            .and_then(|e| e.get_attribute("data-series"))
            .and_then(|s| s.parse::<usize>().ok())
        else {
            return;
        };
        // A second click on the highlighted series restores all.
        state.update(|v| {
            v.highlight = if v.highlight == Some(i) {
                None
            } else {
                Some(i)
            }
        });
    };

    let pressed = move |f: fn(&ViewState) -> bool| move || state.with(f).to_string();
    let legend_items = move || {
        data.with(|d| {
            d.as_ref()
                .map(|d| {
                    d.series
                        .iter()
                        .enumerate()
                        .map(|(i, s)| {
                            let dimmed = move || state.with(|v| v.highlight.is_some_and(|h| h != i));
                            view! {
                                <button type="button" class="legend-item" class:dimmed=dimmed data-series=i.to_string()>
                                    <span class="swatch" style=format!("background:{}", css_colour(i))></span>
                                    <span class="legend-label">{s.name()}</span>
                                </button>
                            }
                        })
                        .collect_view()
                })
        })
    };

    view! {
        <div class="graph">
            <div class="graph-toolbar" on:click=toolbar>
                <button id="graph-stacked" type="button" class="toggle" aria-pressed=pressed(|v| v.stacked) disabled=showing_heat>
                    "Stacked"
                </button>
                <button id="graph-log" type="button" class="toggle" aria-pressed=pressed(|v| v.log) disabled=showing_heat>
                    "Log scale"
                </button>
                <button
                    id="graph-heatmap"
                    type="button"
                    class="toggle"
                    aria-pressed=pressed(|v| v.heat)
                    disabled=move || !buckets.get()
                    title="Classic histogram buckets (series with an le label) as a heatmap"
                >
                    "Heatmap"
                </button>
                <button id="graph-reset-zoom" type="button" disabled=move || state.with(|v| v.zoom.is_none())>
                    "Reset zoom"
                </button>
                <span class="muted graph-tip">"Drag across the graph to zoom"</span>
            </div>
            {move || error.get().map(|e| view! { <p id="graph-message" class="error">{e}</p> })}
            <div class="graph-wrap" on:pointerleave=move |_| pointer.update(|p| p.hover = None)>
                <canvas
                    id="graph-canvas"
                    node_ref=canvas
                    on:pointermove=mousemove
                    on:pointerdown=mousedown
                    on:pointerup=mouseup
                    on:pointercancel=move |_| pointer.set(Pointer::default())
                ></canvas>
                <div
                    class="graph-selection"
                    style=move || {
                        pointer
                            .with(|p| p.drag)
                            .map(|(a, b)| format!("left:{}px;width:{}px", a.min(b), (a - b).abs()))
                            .unwrap_or_else(|| "display:none".into())
                    }
                ></div>
                <div
                    class="graph-dot"
                    style=move || {
                        pointer
                            .with(|p| p.hover.as_ref().map(|h| format!("left:{}px;top:{}px", h.x, h.y)))
                            .unwrap_or_else(|| "display:none".into())
                    }
                ></div>
            </div>
            <div id="graph-hover" class="graph-hover" aria-live="polite">
                {move || {
                    pointer
                        .with(|p| p.hover.clone())
                        .map(|h| {
                            view! {
                                <time class="hover-time">{h.time}</time>
                                <span class="hover-value">{h.value}</span>
                                <span class="hover-series">{h.series}</span>
                            }
                        })
                }}
            </div>
            <div id="graph-legend" class="graph-legend" on:click=legend>
                {legend_items}
            </div>
        </div>
    }
}
