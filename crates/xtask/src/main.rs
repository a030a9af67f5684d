//! `cargo xtask`: the project's own scripts. Everything the build needs is installed here,
//! pinned and idempotent, from the package registries only.

mod bench;
mod bench_ingest;
mod cmd;
mod size;
mod test;
mod tools;

use std::process::ExitCode;

const USAGE: &str = "usage: cargo xtask <command>

  setup   install the pinned tools (idempotent): wasm32 target, trunk, wasm-bindgen-cli,
          wasm-opt (npm binaryen), chromium + chromedriver, playwright-core
  serve   setup, then build and serve the app on http://127.0.0.1:8080
  build   setup, then build the release app into dist/
  test    setup, then run every test layer: native, wasm in Chromium, size budget, end-to-end
  bench   range-query benchmark: promplay natively vs a real Prometheus on the same data
          and in wasm (wasm32-wasip1 in node); needs ../shared/oracle or PROMPLAY_ORACLE
          [--reps N] [--no-prometheus] [--no-wasm]
  bench ingest   exposition ingest throughput (parse, parse + store) natively and in wasm
          (wasm32-wasip1 in node) on the real capture and a generated million samples
          [--reps N] [--no-wasm] [--profile wasm-release|release]";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("setup") => tools::setup().map(|_| ()),
        Some("serve") => tools::setup().and_then(|t| cmd::serve(&t)),
        Some("build") => tools::setup().and_then(|t| cmd::build_release(&t)),
        Some("bench") if args.get(1).is_some_and(|a| a == "ingest") => {
            bench_ingest::bench(&args[2..])
        }
        Some("bench") => bench::bench(&args[1..]),
        Some("test") => tools::setup().and_then(|t| test::all(&t, &args[1..])),
        _ => {
            eprintln!("{USAGE}");
            return ExitCode::from(2);
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("xtask: {e}");
            ExitCode::FAILURE
        }
    }
}
