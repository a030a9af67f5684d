//! `promplay`: thin argument handling over the core crates; the contract is shared/CLI.md.

mod api_json;
mod args;
mod cardinality;
mod eval;
mod lesson;
mod lint;
mod parse;
mod relabel;
mod test;
mod test_relabel;

use std::io::Write;
use std::process::ExitCode;

const USAGE: &str = "usage:
  promplay eval --data FILE [--data FILE]... [--lookback DURATION] [--scrape-time T]
                [--scrape-interval DURATION] [--output json|csv]
                (--time T | --start T --end T --step DURATION) [--] QUERY
  promplay lint [FILE]
  promplay cardinality FILE... [--top N] [--json] [--scrape-time T] [--scrape-interval DURATION]
  promplay parse [FILE]
  promplay test [--json] PATH...
  promplay relabel --config FILE [--job NAME] --targets FILE
  promplay relabel --metric --config FILE [--job NAME] --data FILE [--target-label NAME=VALUE]...
  promplay test-relabel FILE...
  promplay lesson check [--datasets DIR] FILE...

T is unix seconds (fractional allowed) or RFC 3339; DURATION is a Prometheus duration (5m, 1h30m)
or seconds.";

fn main() -> ExitCode {
    let argv: Vec<String> = std::env::args().skip(1).collect();
    let (code, out) = match argv.first().map(String::as_str) {
        Some("eval") => eval::main(&argv[1..]),
        Some("parse") => parse::main(&argv[1..]),
        Some("lint") => lint::main(&argv[1..]),
        Some("cardinality") => cardinality::main(&argv[1..]),
        Some("test") => test::main(&argv[1..]),
        Some("relabel") => relabel::main(&argv[1..]),
        Some("test-relabel") => test_relabel::main(&argv[1..]),
        Some("lesson") => lesson::main(&argv[1..]),
        Some("-h" | "--help" | "help") => (0, format!("{USAGE}\n")),
        _ => {
            eprintln!("{USAGE}");
            return ExitCode::from(2);
        }
    };
    let mut stdout = std::io::stdout().lock();
    // A closed pipe (`promplay ... | head`) is not an error worth a message.
    let _ = stdout.write_all(out.as_bytes()).and_then(|_| stdout.flush());
    ExitCode::from(code)
}
