//! The full evaluator, loaded when a view first needs relabeling, explain, lessons or remote
//! mode (built with the `full` feature).

fn main() {
    worker::start();
}
