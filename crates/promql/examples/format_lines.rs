//! Formats each line of stdin like `promtool promql format`, printing errors as `line:col: msg`.

use std::io::BufRead;

fn main() {
    for line in std::io::stdin().lock().lines().map_while(Result::ok) {
        match promql::parse(&line) {
            Ok(e) => println!("{}\n", promql::format(&e)),
            Err(e) => println!("{e}\n"),
        }
    }
}
