//! Browser tests of the data features: the dataset menu, suggested queries, the cardinality
//! panel and the export buttons. Dataset files are embedded (no fetch in the test runner) and
//! handed to the same entry point the fetch ends in.
#![cfg(target_arch = "wasm32")]
// A failed DOM lookup should fail the test loudly, which is what expect does.
#![allow(clippy::expect_used, clippy::unwrap_used, clippy::panic)]

use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};
use web_sys::{Element, HtmlElement, HtmlTextAreaElement};

use web::datasets::{parse_manifest, Dataset};
use web::AppCtx;

wasm_bindgen_test_configure!(run_in_browser);

/// Mounts a fresh app in its own container and returns it with the app's context, taken from
/// inside the tree so the test can drive the model the way a finished fetch does.
async fn mount() -> (HtmlElement, AppCtx) {
    let document = web_sys::window().expect("window").document().expect("document");
    // Each test starts as a first visit: an earlier test's saved workspace would be restored.
    if let Ok(Some(storage)) = web_sys::window().expect("window").local_storage() {
        storage.clear().expect("clear localStorage");
    }
    let root: HtmlElement = document.create_element("div").expect("div").unchecked_into();
    document.body().expect("body").append_child(&root).expect("append");
    let slot = std::rc::Rc::new(std::cell::Cell::new(None));
    let out = slot.clone();
    leptos::mount::mount_to(root.clone(), move || {
        let app = web::App();
        // `App` provides its context on the mount's owner, which this closure runs in.
        out.set(use_context::<AppCtx>());
        app
    })
    .forget();
    settle().await;
    (root, slot.get().expect("context"))
}

const INDEX: &str = include_str!("../../../www/datasets/index.json");

/// Gives the app the manifest (the runner cannot serve it) and returns the named dataset.
fn manifest(ctx: AppCtx, id: &str) -> Dataset {
    ctx.set_manifest(INDEX);
    parse_manifest(INDEX).into_iter().find(|d| d.id == id).expect("dataset in index.json")
}

async fn settle() {
    leptos::task::tick().await;
    leptos::task::tick().await;
}

fn find(root: &HtmlElement, selector: &str) -> Option<Element> {
    root.query_selector(selector).expect("valid selector")
}

fn all(root: &HtmlElement, selector: &str) -> Vec<Element> {
    let list = root.query_selector_all(selector).expect("valid selector");
    (0..list.length()).filter_map(|i| list.item(i)).filter_map(|n| n.dyn_into::<Element>().ok()).collect()
}

fn text(root: &HtmlElement, selector: &str) -> String {
    find(root, selector).unwrap_or_else(|| panic!("{selector} not found")).text_content().unwrap_or_default()
}

const COREDNS: &str = include_str!("../../../www/datasets/coredns.prom");
const ACME: &str = include_str!("../../../www/datasets/acme-beverages.prom");

#[wasm_bindgen_test]
async fn menu_lists_every_dataset() {
    let (root, ctx) = mount().await;
    ctx.set_manifest(INDEX);
    settle().await;
    let options = all(&root, "#dataset-menu option");
    let sets = parse_manifest(INDEX);
    assert_eq!(sets.len(), 14);
    // The label option, then one option per manifest entry, in manifest order.
    assert_eq!(options.len(), sets.len() + 1);
    let titles: Vec<String> = options.iter().skip(1).map(|o| o.text_content().unwrap_or_default()).collect();
    let expected: Vec<String> = sets.iter().map(|d| d.title.clone()).collect();
    assert_eq!(titles, expected);
    let acme = sets.iter().find(|d| d.id == "acme-beverages").expect("acme");
    assert_eq!(acme.time_ms, 1_700_000_605_000);
    assert_eq!(sets.iter().find(|d| d.id == "capture-curated").map(|d| d.time_ms), Some(1_795_278_877_565));
    assert!(titles.contains(&"CoreDNS tutorial".to_string()));
    // No dataset chosen yet: the first paint is the embedded sample.
    assert_eq!(text(&root, "#dataset-info"), "");
    root.remove();
}

#[wasm_bindgen_test]
async fn chosen_dataset_shows_description_and_suggested_queries_that_run() {
    let (root, ctx) = mount().await;
    let d = manifest(ctx, "coredns");
    ctx.show_dataset(d.clone(), COREDNS.to_string());
    settle().await;
    let data: HtmlTextAreaElement = find(&root, "#data-input").expect("data").unchecked_into();
    assert_eq!(data.value(), COREDNS);
    assert_eq!(text(&root, ".dataset-description"), d.description);
    let chips = all(&root, ".suggested-query");
    assert_eq!(chips.len(), d.queries.len());
    // The second suggestion: `sum(coredns_dns_requests_total)` is one row, 2.
    let chip: HtmlElement = chips[1].clone().unchecked_into();
    chip.click();
    settle().await;
    let query: HtmlTextAreaElement = find(&root, "#query-input").expect("query").unchecked_into();
    assert_eq!(query.value(), d.queries[1].query);
    let values: Vec<String> =
        all(&root, "#results tr.result-row td.result-value").iter().map(|c| c.text_content().unwrap_or_default()).collect();
    assert_eq!(values, vec!["2".to_string()]);
    assert!(find(&root, "#query-error").is_none());
    assert!(text(&root, ".eval-time").contains("2023-11-14T22:13:20"));
    root.remove();
}

#[wasm_bindgen_test]
async fn cardinality_panel_counts_the_loaded_series() {
    let (root, ctx) = mount().await;
    let d = manifest(ctx, "acme-beverages");
    ctx.show_dataset(d, ACME.to_string());
    settle().await;
    assert!(find(&root, "details#cardinality").is_some());
    assert_eq!(text(&root, "#card-series"), "3");
    assert!(text(&root, "#cardinality").contains("beverages_consumed_total"));
    // The first suggestion was put in the editor and run: max(...) is 40172.
    assert_eq!(text(&root, "#results tr.result-row td.result-value"), "40172");
    root.remove();
}

#[wasm_bindgen_test]
fn a_broken_manifest_gives_no_datasets() {
    assert!(parse_manifest("not json").is_empty());
    assert!(parse_manifest("{}").is_empty());
    // An entry without a file is skipped, the others stay.
    let text = r#"{"datasets":[{"id":"a","title":"A","time":1},{"id":"b","title":"B","file":"b.prom","time":2.5,"queries":[{"query":"up"}]}]}"#;
    let sets = parse_manifest(text);
    assert_eq!(sets.len(), 1);
    assert_eq!(sets[0].time_ms, 2500);
    assert_eq!(sets[0].queries[0].query, "up");
}

#[wasm_bindgen_test]
async fn export_buttons_follow_the_result() {
    let (root, _) = mount().await;
    // Both buttons exist; what they write is checked natively (state.rs) and end to end.
    assert_eq!(text(&root, "#export-csv"), "CSV");
    assert_eq!(text(&root, "#export-json"), "JSON");
    root.remove();
}
