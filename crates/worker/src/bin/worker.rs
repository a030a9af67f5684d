//! The first evaluator the page loads: queries only (the session without its `tools`).

fn main() {
    worker::start();
}
