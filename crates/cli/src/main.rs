//! `promplay`: thin argument handling over the core crates; the contract is shared/CLI.md.

mod api_json;
mod args;
mod cardinality;
mod compare;
mod eval;
mod http;
mod import;
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
  promplay import --url URL --match SELECTOR [--match SELECTOR]... --start T --end T
                [--chunk DURATION] [--max-series N] [--max-samples N] [AUTH] > data.om
  promplay compare --url URL [--data FILE]... (--time T | --start T --end T --step DURATION)
                [--tolerance X] [--infos auto|yes|no] [--lookback DURATION] [AUTH] [--] QUERY

T is unix seconds (fractional allowed) or RFC 3339; DURATION is a Prometheus duration (5m, 1h30m)
or seconds. AUTH is --bearer-token-file FILE, or --user USER [--password-file FILE]; --tenant ID sends
Mimir's and Cortex's X-Scope-OrgID (a|b for several); --timeout DURATION bounds each HTTP request
(default 2m). import prints OpenMetrics with timestamps (exit 1
when the import fails, 2 on bad usage or an unreachable server); compare prints the differences
(exit 0 equal, 1 different, 2 bad usage or no answer to compare). Without --data, compare first
imports what the query reads from the server.";

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
        Some("import") => import::main(&argv[1..]),
        Some("compare") => compare::main(&argv[1..]),
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
