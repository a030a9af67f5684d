//! Browser tests of the UI slice: mount the real app in headless Chromium, type, run, and read
//! the DOM through the stable ids the end-to-end tests also rely on.
#![cfg(target_arch = "wasm32")]
// A failed DOM lookup should fail the test loudly, which is what expect does.
#![allow(clippy::expect_used, clippy::unwrap_used, clippy::panic)]

use wasm_bindgen::JsCast;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};
use web_sys::{Element, Event, EventInit, HtmlElement, HtmlTextAreaElement, KeyboardEvent, KeyboardEventInit};

use web::state::{SAMPLE_DATA, SAMPLE_QUERY};

wasm_bindgen_test_configure!(run_in_browser);

/// Mounts a fresh app into its own container so tests never see each other's elements, and
/// lets the first render effects run, as a page load would.
async fn mount() -> HtmlElement {
    let root = mount_now();
    settle().await;
    root
}

fn mount_now() -> HtmlElement {
    let document = web_sys::window().expect("window").document().expect("document");
    // Each test starts as a first visit: an earlier test's saved workspace would be restored.
    if let Ok(Some(storage)) = web_sys::window().expect("window").local_storage() {
        storage.clear().expect("clear localStorage");
    }
    let root: HtmlElement = document.create_element("div").expect("div").unchecked_into();
    document.body().expect("body").append_child(&root).expect("append");
    leptos::mount::mount_to(root.clone(), web::App).forget();
    root
}

fn find(root: &HtmlElement, selector: &str) -> Option<Element> {
    root.query_selector(selector).expect("valid selector")
}

fn text(root: &HtmlElement, selector: &str) -> String {
    find(root, selector).unwrap_or_else(|| panic!("{selector} not found")).text_content().unwrap_or_default()
}

fn textarea(root: &HtmlElement, selector: &str) -> HtmlTextAreaElement {
    find(root, selector).unwrap_or_else(|| panic!("{selector} not found")).unchecked_into()
}

/// What a user's typing looks like to the app: a new value, then a bubbling `input` event.
fn type_into(root: &HtmlElement, selector: &str, value: &str) {
    let el = textarea(root, selector);
    el.set_value(value);
    let init = EventInit::new();
    init.set_bubbles(true);
    let ev = Event::new_with_event_init_dict("input", &init).expect("event");
    el.dispatch_event(&ev).expect("dispatch");
}

fn click_run(root: &HtmlElement) {
    let button: HtmlElement = find(root, "#run-button").expect("run button").unchecked_into();
    button.click();
}

fn press_ctrl_enter(root: &HtmlElement, selector: &str) {
    let init = KeyboardEventInit::new();
    init.set_key("Enter");
    init.set_ctrl_key(true);
    init.set_bubbles(true);
    init.set_cancelable(true);
    let ev = KeyboardEvent::new_with_keyboard_event_init_dict("keydown", &init).expect("event");
    textarea(root, selector).dispatch_event(&ev).expect("dispatch");
}

/// Lets Leptos flush its scheduled render effects.
async fn settle() {
    leptos::task::tick().await;
    leptos::task::tick().await;
}

/// (labels, value) of every result row, in table order.
fn rows(root: &HtmlElement) -> Vec<(String, String)> {
    let list = root.query_selector_all("#results tr.result-row").expect("valid selector");
    (0..list.length())
        .filter_map(|i| list.item(i))
        .filter_map(|n| n.dyn_into::<Element>().ok())
        .map(|tr| {
            let cell = |sel: &str| {
                tr.query_selector(sel).ok().flatten().and_then(|c| c.text_content()).unwrap_or_default()
            };
            (cell("td.result-labels"), cell("td.result-value"))
        })
        .collect()
}

async fn run_query(root: &HtmlElement, query: &str) {
    type_into(root, "#query-input", query);
    click_run(root);
    settle().await;
}

#[wasm_bindgen_test]
async fn first_paint_shows_the_prefilled_data_query_and_results() {
    let root = mount().await;
    assert_eq!(textarea(&root, "#data-input").value(), SAMPLE_DATA);
    assert_eq!(textarea(&root, "#query-input").value(), SAMPLE_QUERY);
    assert_eq!(text(&root, "#result-count"), "4 series");
    let rows = rows(&root);
    assert_eq!(rows.len(), 4);
    assert_eq!(rows[0], (r#"probe_http_duration_seconds{phase="connect"}"#.to_string(), "0.00021197".to_string()));
    assert!(find(&root, "#data-error").is_none());
    assert!(find(&root, "#query-error").is_none());
    root.remove();
}

#[wasm_bindgen_test]
async fn run_button_evaluates_the_typed_query() {
    let root = mount().await;
    run_query(&root, r#"probe_http_duration_seconds{phase=~"t.*"}"#).await;
    assert_eq!(text(&root, "#result-count"), "2 series");
    assert_eq!(
        rows(&root),
        vec![
            (r#"probe_http_duration_seconds{phase="tls"}"#.to_string(), "0".to_string()),
            (r#"probe_http_duration_seconds{phase="transfer"}"#.to_string(), "0.000040141".to_string()),
        ]
    );
    run_query(&root, r#"{__name__="probe_success"}"#).await;
    assert_eq!(rows(&root), vec![("probe_success".to_string(), "1".to_string())]);
    root.remove();
}

#[wasm_bindgen_test]
async fn all_four_matcher_types_with_anchored_regexes() {
    let root = mount().await;
    run_query(&root, r#"probe_http_duration_seconds{phase="tls"}"#).await;
    assert_eq!(text(&root, "#result-count"), "1 series");
    run_query(&root, r#"probe_http_duration_seconds{phase!="tls"}"#).await;
    assert_eq!(text(&root, "#result-count"), "4 series");
    // Fully anchored: "t" alone matches no phase, though two phases start with it.
    run_query(&root, r#"probe_http_duration_seconds{phase=~"t"}"#).await;
    assert_eq!(text(&root, "#result-count"), "0 series");
    assert!(rows(&root).is_empty());
    run_query(&root, r#"probe_http_duration_seconds{phase!~"t.*|c.*"}"#).await;
    let labels: Vec<String> = rows(&root).into_iter().map(|(l, _)| l).collect();
    assert_eq!(
        labels,
        vec![
            r#"probe_http_duration_seconds{phase="processing"}"#.to_string(),
            r#"probe_http_duration_seconds{phase="resolve"}"#.to_string(),
        ]
    );
    root.remove();
}

#[wasm_bindgen_test]
async fn bad_query_shows_position_and_keeps_the_text() {
    let root = mount().await;
    let bad = r#"probe_success{job="x""#;
    run_query(&root, bad).await;
    let err = text(&root, "#query-error");
    assert!(err.starts_with("1:"), "query error was {err:?}");
    assert_eq!(textarea(&root, "#query-input").value(), bad);
    assert!(rows(&root).is_empty());
    assert!(find(&root, "#data-error").is_none());
    // Fixing the query clears the error.
    run_query(&root, "probe_success").await;
    assert!(find(&root, "#query-error").is_none());
    assert_eq!(rows(&root).len(), 1);
    root.remove();
}

#[wasm_bindgen_test]
async fn bad_data_line_shows_its_line_and_keeps_the_text() {
    let root = mount().await;
    let data = "# TYPE up gauge\nup 1\nup{job=\"a\" 2\nprobe_success 1\n";
    type_into(&root, "#data-input", data);
    click_run(&root);
    settle().await;
    let err = text(&root, "#data-error");
    assert!(err.starts_with("3:"), "data error was {err:?}");
    assert_eq!(textarea(&root, "#data-input").value(), data);
    assert!(rows(&root).is_empty());
    // Repairing the line loads the data again.
    type_into(&root, "#data-input", "up 1\nup{job=\"a\"} 2\n");
    run_query(&root, "up").await;
    assert!(find(&root, "#data-error").is_none());
    assert_eq!(text(&root, "#result-count"), "2 series");
    root.remove();
}

#[wasm_bindgen_test]
async fn ctrl_enter_in_the_query_input_runs() {
    let root = mount().await;
    type_into(&root, "#query-input", "probe_http_status_code");
    press_ctrl_enter(&root, "#query-input");
    settle().await;
    assert_eq!(rows(&root), vec![("probe_http_status_code".to_string(), "200".to_string())]);
    assert_eq!(text(&root, "#result-count"), "1 series");
    root.remove();
}

#[wasm_bindgen_test]
async fn explicit_timestamps_set_the_evaluation_time() {
    let root = mount().await;
    type_into(&root, "#data-input", "requests_total{code=\"200\"} 7 1700000000123\n");
    run_query(&root, "requests_total").await;
    assert_eq!(rows(&root), vec![(r#"requests_total{code="200"}"#.to_string(), "7".to_string())]);
    assert!(text(&root, ".eval-time").contains("2023-11-14T22:13:20.123Z"));
    root.remove();
}

#[wasm_bindgen_test]
async fn editors_hold_their_text_as_soon_as_they_exist() {
    // An end-to-end driver may type the moment the element appears; nothing may overwrite it.
    let root = mount_now();
    assert_eq!(textarea(&root, "#query-input").value(), SAMPLE_QUERY);
    assert_eq!(textarea(&root, "#data-input").value(), SAMPLE_DATA);
    type_into(&root, "#query-input", "probe_http_version");
    settle().await;
    assert_eq!(textarea(&root, "#query-input").value(), "probe_http_version");
    click_run(&root);
    settle().await;
    assert_eq!(rows(&root), vec![("probe_http_version".to_string(), "1.1".to_string())]);
    root.remove();
}

#[wasm_bindgen_test]
async fn a_run_leaves_a_time_field_and_its_selection_alone() {
    // A result arriving must not set the fields' values again: that drops a selection the user
    // (or a driver's fill, which selects before it types) has in the field.
    let root = mount().await;
    let field = || -> web_sys::HtmlInputElement { find(&root, "#eval-time").expect("eval-time").unchecked_into() };
    let before = field();
    // The time the run used, typed in: the run answers as before.
    let time = before.placeholder();
    before.set_value(&time);
    let init = EventInit::new();
    init.set_bubbles(true);
    before.dispatch_event(&Event::new_with_event_init_dict("input", &init).expect("event")).expect("dispatch");
    before.focus().expect("focus");
    before.select();
    run_query(&root, "probe_success").await;
    assert_eq!(rows(&root).len(), 1);
    let after = field();
    assert!(after.is_same_node(Some(&before)), "the field was built again");
    assert_eq!(after.value(), time);
    let end = u32::try_from(time.len()).ok();
    assert_eq!((after.selection_start(), after.selection_end()), (Ok(Some(0)), Ok(end)));
    root.remove();
}
