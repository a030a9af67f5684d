//! Architecture invariants that a reviewer should not have to check by eye.

#![allow(clippy::panic, clippy::unwrap_used, clippy::expect_used)] // test code fails loudly

use std::process::Command;

const CORE: [&str; 11] =
    ["model", "promql", "tsdb", "engine", "formats", "promqltest", "relabel", "cli", "protocol", "session", "remote"];
const BROWSER_ONLY: [&str; 4] = ["leptos", "web-sys", "js-sys", "wasm-bindgen"];

/// No core crate depends on a browser crate, even transitively, on any target.
#[test]
fn core_crates_know_nothing_of_the_browser() {
    for krate in CORE {
        let tree_all = || {
            Command::new(env!("CARGO"))
                .args([
                    "tree",
                    "--quiet",
                    "--offline",
                    "-p",
                    krate,
                    "-e",
                    "normal,build",
                    "--target",
                    "all",
                    "--prefix",
                    "none",
                ])
                .current_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/../.."))
                .output()
                .unwrap_or_else(|e| panic!("cargo tree: {e}"))
        };
        let mut out = tree_all();
        // A build downloads only the host's packages; the other targets' (the CLI's HTTP
        // client has Windows and WASI ones) are fetched once, then the tree is read offline.
        if !out.status.success() && String::from_utf8_lossy(&out.stderr).contains("download") {
            let fetch = Command::new(env!("CARGO"))
                .args(["fetch", "--locked"])
                .current_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/../.."))
                .status()
                .unwrap_or_else(|e| panic!("cargo fetch: {e}"));
            assert!(fetch.success(), "cargo fetch failed");
            out = tree_all();
        }
        assert!(out.status.success(), "cargo tree -p {krate}: {}", String::from_utf8_lossy(&out.stderr));
        let tree = String::from_utf8_lossy(&out.stdout);
        for line in tree.lines() {
            let name = line.split_whitespace().next().unwrap_or("");
            assert!(!BROWSER_ONLY.contains(&name), "{krate} depends on {name}:\n{tree}");
        }
    }
}

/// The page's wasm holds no engine: it talks to the worker through `protocol` only, so the
/// engine and the store are downloaded once, in the worker's module.
#[test]
fn the_page_does_not_link_the_engine() {
    let out = Command::new(env!("CARGO"))
        .args(["tree", "--quiet", "--offline", "-p", "web", "-e", "normal", "--target", "wasm32-unknown-unknown"])
        .args(["--prefix", "none"])
        .current_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/../.."))
        .output()
        .unwrap_or_else(|e| panic!("cargo tree: {e}"));
    assert!(out.status.success(), "cargo tree -p web: {}", String::from_utf8_lossy(&out.stderr));
    let tree = String::from_utf8_lossy(&out.stdout);
    for line in tree.lines() {
        let name = line.split_whitespace().next().unwrap_or("");
        assert!(!["engine", "tsdb", "formats", "session"].contains(&name), "web depends on {name}:\n{tree}");
    }
}
