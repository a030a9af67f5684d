//! `promplay eval`: load data files, run one instant or range query, print the API JSON.

use crate::api_json;
use crate::args::Args;
use crate::timearg::{parse_duration_arg, parse_time};
use model::Timestamp;

const FLAGS: [&str; 7] = ["data", "lookback", "time", "start", "end", "step", "scrape-time"];

/// Returns the exit code and what goes to stdout.
pub fn main(argv: &[String]) -> (u8, String) {
    match run(argv) {
        Ok(out) => (0, out),
        Err((kind, msg)) => (1, api_json::error(kind, &msg)),
    }
}

enum Mode {
    Instant(Timestamp),
    Range { start: Timestamp, end: Timestamp, step: i64 },
}

type Failure = (&'static str, String);

fn bad(msg: impl Into<String>) -> Failure {
    ("bad_data", msg.into())
}

fn run(argv: &[String]) -> Result<String, Failure> {
    let args = Args::parse(argv, &FLAGS).map_err(bad)?;
    let query = match args.positional.as_slice() {
        [q] => q.as_str(),
        [] => return Err(bad("missing QUERY (the last argument)")),
        _ => return Err(bad("expected exactly one QUERY; quote it, and put -- before it if it starts with -")),
    };
    let mode = mode(&args)?;
    let eval_time = match mode {
        Mode::Instant(t) => t,
        Mode::Range { end, .. } => end,
    };
    let scrape_time = match args.one("scrape-time").map_err(bad)? {
        Some(s) => parse_time(s).map_err(|e| bad(format!("invalid parameter \"scrape-time\": {e}")))?,
        None => eval_time,
    };
    let mut opts = engine::Options::default();
    if let Some(s) = args.one("lookback").map_err(bad)? {
        opts.lookback_delta = parse_duration_arg(s).map_err(|e| bad(format!("invalid parameter \"lookback\": {e}")))?;
    }
    if args.all("data").is_empty() {
        return Err(bad("at least one --data FILE is required"));
    }
    let mut db = tsdb::Storage::new();
    for path in args.all("data") {
        load(&mut db, path, scrape_time)?;
    }
    let result = match mode {
        Mode::Instant(t) => engine::instant_query(&db, query, t, &opts),
        Mode::Range { start, end, step } => engine::range_query(&db, query, start, end, step, &opts),
    }
    .map_err(|e| (if e.is_parse() { "bad_data" } else { "execution" }, e.to_string()))?;
    Ok(api_json::success(&result, eval_time))
}

fn mode(args: &Args) -> Result<Mode, Failure> {
    let get = |name: &str| args.one(name).map_err(bad);
    let time = |name: &str, v: &str| parse_time(v).map_err(|e| bad(format!("invalid parameter \"{name}\": {e}")));
    match (get("time")?, get("start")?, get("end")?, get("step")?) {
        (Some(t), None, None, None) => Ok(Mode::Instant(time("time", t)?)),
        (None, Some(s), Some(e), Some(st)) => {
            let (start, end) = (time("start", s)?, time("end", e)?);
            let step = parse_duration_arg(st).map_err(|e| bad(format!("invalid parameter \"step\": {e}")))?;
            if end < start {
                return Err(bad("invalid parameter \"end\": end timestamp must not be before start time"));
            }
            if step <= 0 {
                return Err(bad("invalid parameter \"step\": zero or negative query resolution step widths are not accepted. Try a positive integer"));
            }
            Ok(Mode::Range { start, end, step })
        }
        _ => Err(bad("give either --time T, or --start T --end T --step DURATION")),
    }
}

fn load(db: &mut tsdb::Storage, path: &str, scrape_time: Timestamp) -> Result<(), Failure> {
    let text = std::fs::read_to_string(path).map_err(|e| bad(format!("{path}: {e}")))?;
    let exp = formats::parse_auto(&text).map_err(|e| bad(format!("{path}:{e}")))?;
    db.load_exposition(&exp, scrape_time).map_err(|e| bad(format!("{path}:{e}")))?;
    Ok(())
}
