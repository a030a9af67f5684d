//! promplay's browser UI: a thin Leptos (client-side rendered) layer over the core crates.
//! The model in `state` holds the logic; components only render it and forward user events.

mod app;
mod backend;
pub mod chart;
mod components;
mod compress;
pub mod editor;
mod local;
pub mod explain_state;
pub mod datasets;
mod panic_hook;
pub mod remote_api;
mod remote_flow;
mod remote_http;
mod timefmt;
pub mod state;
pub mod workspace;

pub use app::{App, AppCtx};

/// Mounts the app on `<body>`; called once by the binary that Trunk builds.
pub fn start() {
    panic_hook::install();
    leptos::mount::mount_to_body(App);
}
