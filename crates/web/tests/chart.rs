//! Browser tests of the Graph chart: mount the component alone in headless Chromium with a
//! known result, then check what the user would see: series colours on the canvas's pixels,
//! the legend, the toggles, the hover read-out and drag-to-zoom.
#![cfg(target_arch = "wasm32")]
// A failed DOM lookup should fail the test loudly, which is what expect does.
#![allow(clippy::expect_used, clippy::unwrap_used, clippy::panic)]

use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};
use web_sys::{
    CanvasRenderingContext2d, Element, HtmlButtonElement, HtmlCanvasElement, HtmlElement,
    PointerEvent, PointerEventInit,
};

use web::chart::{ChartData, ChartSeries, Graph};

wasm_bindgen_test_configure!(run_in_browser);

/// The palette's first two colours (`chart::model::PALETTE`): what series 0 and 1 are drawn in.
const BLUE: (u8, u8, u8) = (0x1f, 0x77, 0xb4);
const ORANGE: (u8, u8, u8) = (0xff, 0x7f, 0x0e);
/// The heatmap's hue.
const HEAT: (u8, u8, u8) = (0xe6, 0x52, 0x2c);

const STEP: i64 = 15_000;

fn series(labels: &str, f: impl Fn(i64) -> f64) -> ChartSeries {
    ChartSeries {
        labels: labels.to_string(),
        metric: Some("http_requests".to_string()),
        points: (0..=40).map(|i| (i * STEP, f(i))).collect(),
    }
}

/// Two series well apart: one rising from 1 to 41, one flat at 60.
fn two_series() -> ChartData {
    ChartData {
        series: vec![
            series(r#"{job="api"}"#, |i| 1.0 + i as f64),
            series(r#"{job="db"}"#, |_| 60.0),
        ],
        start_ms: 0,
        end_ms: 40 * STEP,
        step_ms: STEP,
    }
}

/// A classic histogram: cumulative buckets 1, 2 and +Inf.
fn buckets() -> ChartData {
    let b = |le: &str, n: f64| ChartSeries {
        labels: format!(r#"{{le="{le}"}}"#),
        metric: Some("latency_bucket".to_string()),
        points: (0..=40).map(|i| (i * STEP, n * (1 + i) as f64)).collect(),
    };
    ChartData {
        series: vec![b("1", 20.0), b("+Inf", 100.0), b("2", 60.0)],
        start_ms: 0,
        end_ms: 40 * STEP,
        step_ms: STEP,
    }
}

/// Mounts the chart alone in an 800-px container and lets its first draw run.
async fn mount(data: ChartData) -> (HtmlElement, RwSignal<Option<ChartData>>) {
    let document = web_sys::window()
        .expect("window")
        .document()
        .expect("document");
    let root: HtmlElement = document
        .create_element("div")
        .expect("div")
        .unchecked_into();
    root.set_attribute("style", "width: 800px").expect("style");
    document
        .body()
        .expect("body")
        .append_child(&root)
        .expect("append");
    let signal = RwSignal::new(Some(data));
    leptos::mount::mount_to(root.clone(), move || view! { <Graph data=signal/> }).forget();
    settle().await;
    (root, signal)
}

async fn settle() {
    leptos::task::tick().await;
    leptos::task::tick().await;
}

fn find(root: &HtmlElement, selector: &str) -> Element {
    root.query_selector(selector)
        .expect("valid selector")
        .unwrap_or_else(|| panic!("{selector} not found"))
}

fn button(root: &HtmlElement, id: &str) -> HtmlButtonElement {
    find(root, id).unchecked_into()
}

fn canvas(root: &HtmlElement) -> HtmlCanvasElement {
    find(root, "#graph-canvas").unchecked_into()
}

/// How many pixels of the plot (right of the value labels, above the time labels) are close to `colour`
/// and mostly opaque. Anti-aliasing blends edges, so a tolerance.
fn pixels_like(root: &HtmlElement, colour: (u8, u8, u8)) -> usize {
    let c = canvas(root);
    let ctx: CanvasRenderingContext2d = c.get_context("2d").unwrap().unwrap().unchecked_into();
    let (w, h) = (c.width(), c.height());
    assert!(w >= 700 && h >= 300, "canvas is {w}x{h}");
    let img = ctx
        .get_image_data(60.0, 0.0, f64::from(w - 60), f64::from(h - 25))
        .expect("pixels")
        .data();
    let near = |a: u8, b: u8| a.abs_diff(b) <= 24;
    img.chunks_exact(4)
        .filter(|p| {
            p[3] >= 160 && near(p[0], colour.0) && near(p[1], colour.1) && near(p[2], colour.2)
        })
        .count()
}

fn no_error(root: &HtmlElement) {
    if let Some(e) = root.query_selector("#graph-message").unwrap() {
        panic!("chart error: {:?}", e.text_content());
    }
}

fn mouse(root: &HtmlElement, kind: &str, x: f64, y: f64) {
    pointer(root, kind, x, y, "mouse");
}

/// A pointer event at `(x, y)` on the canvas, as a mouse, pen or finger (`pointer_type`) sends it.
fn pointer(root: &HtmlElement, kind: &str, x: f64, y: f64, pointer_type: &str) {
    let c = canvas(root);
    let rect = c.get_bounding_client_rect();
    let init = PointerEventInit::new();
    init.set_bubbles(true);
    init.set_client_x((rect.left() + x) as i32);
    init.set_client_y((rect.top() + y) as i32);
    init.set_pointer_type(pointer_type);
    init.set_is_primary(true);
    let ev = PointerEvent::new_with_event_init_dict(kind, &init).expect("event");
    c.dispatch_event(&ev).expect("dispatch");
}

#[wasm_bindgen_test]
async fn draws_each_series_in_its_colour() {
    let (root, _) = mount(two_series()).await;
    no_error(&root);
    let (blue, orange) = (pixels_like(&root, BLUE), pixels_like(&root, ORANGE));
    // Each line crosses ~700 px of plot at 2 px wide.
    assert!(blue > 500, "series 0 pixels: {blue}");
    assert!(orange > 500, "series 1 pixels: {orange}");
    assert_eq!(pixels_like(&root, HEAT), 0);
    root.remove();
}

#[wasm_bindgen_test]
async fn log_and_stacked_toggles_redraw() {
    let (root, _) = mount(two_series()).await;
    for id in [
        "#graph-log",
        "#graph-stacked",
        "#graph-log",
        "#graph-stacked",
    ] {
        let b = button(&root, id);
        let before = b.get_attribute("aria-pressed");
        b.click();
        settle().await;
        assert_ne!(
            b.get_attribute("aria-pressed"),
            before,
            "{id} did not toggle"
        );
        no_error(&root);
        assert!(pixels_like(&root, BLUE) > 300, "after {id}");
        assert!(pixels_like(&root, ORANGE) > 300, "after {id}");
    }
    root.remove();
}

#[wasm_bindgen_test]
async fn legend_lists_series_and_highlights_one() {
    let (root, _) = mount(two_series()).await;
    let items = root
        .query_selector_all("#graph-legend .legend-item")
        .unwrap();
    assert_eq!(items.length(), 2);
    let item = |i: u32| -> HtmlElement { items.item(i).unwrap().unchecked_into() };
    assert_eq!(
        item(0).text_content().unwrap(),
        r#"http_requests{job="api"}"#
    );
    assert_eq!(
        item(1).text_content().unwrap(),
        r#"http_requests{job="db"}"#
    );
    let swatch = item(1)
        .query_selector(".swatch")
        .unwrap()
        .unwrap()
        .get_attribute("style")
        .unwrap();
    assert!(swatch.contains("#ff7f0e"), "{swatch}");

    let orange_before = pixels_like(&root, ORANGE);
    item(0).click();
    settle().await;
    assert!(!item(0).class_list().contains("dimmed"));
    assert!(item(1).class_list().contains("dimmed"));
    // The other series is drawn faint: hardly any opaque orange pixels left.
    assert!(pixels_like(&root, ORANGE) < orange_before / 4);
    assert!(pixels_like(&root, BLUE) > 500);
    // A second click restores all.
    item(0).click();
    settle().await;
    assert!(!item(1).class_list().contains("dimmed"));
    assert_eq!(pixels_like(&root, ORANGE), orange_before);
    root.remove();
}

#[wasm_bindgen_test]
async fn hover_reads_out_time_value_and_series() {
    let (root, _) = mount(two_series()).await;
    let hover = find(&root, "#graph-hover");
    assert_eq!(hover.text_content().unwrap(), "");
    // Near the top right, where the flat series at 60 runs.
    mouse(&root, "pointermove", 700.0, 20.0);
    settle().await;
    let text = hover.text_content().unwrap();
    assert!(text.contains("1970-01-01T00:"), "{text}");
    assert!(text.contains("60"), "{text}");
    assert!(text.contains(r#"http_requests{job="db"}"#), "{text}");
    mouse(&root, "pointerleave", 700.0, 20.0);
    root.remove();
}

#[wasm_bindgen_test]
async fn drag_zooms_and_reset_restores() {
    let (root, _) = mount(two_series()).await;
    let reset = button(&root, "#graph-reset-zoom");
    assert!(reset.disabled());
    let before = pixels_like(&root, BLUE);
    // A finger, not a mouse: touch zooms the same way.
    pointer(&root, "pointerdown", 100.0, 100.0, "touch");
    pointer(&root, "pointermove", 300.0, 100.0, "touch");
    settle().await;
    let sel = find(&root, ".graph-selection")
        .get_attribute("style")
        .unwrap();
    assert!(sel.contains("width:200px"), "{sel}");
    pointer(&root, "pointerup", 300.0, 100.0, "touch");
    settle().await;
    no_error(&root);
    assert!(!reset.disabled());
    // Zoomed into a part of the rising series: its line is steeper, so more of its pixels.
    assert!(pixels_like(&root, BLUE) > 300);
    reset.click();
    settle().await;
    assert!(reset.disabled());
    assert_eq!(pixels_like(&root, BLUE), before);
    root.remove();
}

#[wasm_bindgen_test]
async fn heatmap_is_offered_only_for_bucket_series() {
    let (root, signal) = mount(two_series()).await;
    let heat = button(&root, "#graph-heatmap");
    assert!(heat.disabled());
    signal.set(Some(buckets()));
    settle().await;
    assert!(!heat.disabled());
    heat.click();
    settle().await;
    no_error(&root);
    // Cells in the heat hue, at several intensities; no series lines.
    assert!(pixels_like(&root, HEAT) > 1000);
    assert_eq!(pixels_like(&root, BLUE), 0);
    assert!(button(&root, "#graph-log").disabled());
    root.remove();
}

#[wasm_bindgen_test]
async fn no_result_and_empty_result_draw_without_error() {
    let (root, signal) = mount(two_series()).await;
    signal.set(None);
    settle().await;
    no_error(&root);
    assert_eq!(
        root.query_selector_all("#graph-legend .legend-item")
            .unwrap()
            .length(),
        0
    );
    signal.set(Some(ChartData {
        series: vec![],
        start_ms: 0,
        end_ms: 0,
        step_ms: 0,
    }));
    settle().await;
    no_error(&root);
    assert_eq!(pixels_like(&root, BLUE), 0);
    root.remove();
}
