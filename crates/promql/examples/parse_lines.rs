//! Parses each line of stdin (`\n` in a line stands for a newline) and prints the line, then
//! `OK` and the canonical form, or the error's `line:col` and message, tab-separated. Used to
//! draft rows of tests/promql/invalid.tsv and to eyeball the printer.

use std::io::BufRead;

fn main() {
    for line in std::io::stdin().lock().lines().map_while(Result::ok) {
        let query = line.replace("\\n", "\n");
        match promql::parse(&query) {
            Ok(e) => println!("{line}\tOK\t{e}"),
            Err(e) => println!("{line}\t{}:{}\t{}", e.line, e.col, e.message),
        }
    }
}
