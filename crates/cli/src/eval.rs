//! `promplay eval`: load data files, run one instant or range query, print the API JSON.

use crate::api_json;
use crate::args::Args;
use model::timearg::{parse_duration_arg, parse_time};
use model::Timestamp;

const FLAGS: [&str; 9] = ["data", "lookback", "time", "start", "end", "step", "scrape-time", "scrape-interval", "output"];

/// Spacing of `# SCRAPE`/`---` scrapes inside one file when `--scrape-interval` is not given.
const DEFAULT_SCRAPE_INTERVAL: i64 = 15_000;

/// Returns the exit code and what goes to stdout.
pub fn main(argv: &[String]) -> (u8, String) {
    match run(argv) {
        Ok(out) => (0, out),
        Err((kind, msg)) => (1, api_json::error(kind, &msg)),
    }
}

pub enum Mode {
    Instant(Timestamp),
    Range { start: Timestamp, end: Timestamp, step: i64 },
}

pub type Failure = (&'static str, String);

pub fn bad(msg: impl Into<String>) -> Failure {
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
    let csv = match args.one("output").map_err(bad)? {
        None | Some("json") => false,
        Some("csv") => true,
        Some(other) => return Err(bad(format!("invalid parameter \"output\": {other:?} (json or csv)"))),
    };
    let interval = scrape_interval(&args)?;
    let mut db = tsdb::Storage::new();
    load_files(&mut db, args.all("data"), scrape_time, interval)?;
    let result = match mode {
        Mode::Instant(t) => engine::instant_query(&db, query, t, &opts),
        Mode::Range { start, end, step } => engine::range_query(&db, query, start, end, step, &opts),
    }
    .map_err(|e| (if e.is_parse() { "bad_data" } else { "execution" }, e.to_string()))?;
    if csv {
        return Ok(formats::export::to_csv(&api_json::view(&result.value, eval_time)));
    }
    Ok(api_json::success(&result, eval_time))
}

pub fn mode(args: &Args) -> Result<Mode, Failure> {
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

/// `--scrape-interval DURATION`, if given.
pub fn scrape_interval(args: &Args) -> Result<Option<i64>, Failure> {
    match args.one("scrape-interval").map_err(bad)? {
        None => Ok(None),
        Some(s) => match parse_duration_arg(s) {
            Ok(d) if d > 0 => Ok(Some(d)),
            Ok(_) => Err(bad("invalid parameter \"scrape-interval\": must be positive")),
            Err(e) => Err(bad(format!("invalid parameter \"scrape-interval\": {e}"))),
        },
    }
}

/// One exposition scrape waiting for its time.
struct Pending {
    path: String,
    time: Option<Timestamp>,
    exp: formats::Exposition,
}

/// Loads every data file, whatever its format (detected from content, `formats::detect_data`).
///
/// Exposition files may hold several scrapes (`# SCRAPE [time]` or `---` lines). Samples with
/// their own timestamps keep them. Without `interval`, each file is its own timeline whose
/// last scrape lands on `scrape_time` (a file without separators is one scrape at
/// `scrape_time`, as shared/CLI.md says). With `interval`, the untimestamped scrapes of all
/// files, in order, are consecutive scrapes `interval` apart, the last at `scrape_time`.
pub fn load_files(db: &mut tsdb::Storage, paths: &[String], scrape_time: Timestamp, interval: Option<i64>) -> Result<(), Failure> {
    let mut pending: Vec<Pending> = Vec::new();
    let mut fixed: Vec<Pending> = Vec::new();
    for path in paths {
        let text = std::fs::read_to_string(path).map_err(|e| bad(format!("{path}: {e}")))?;
        let at = |e: &dyn std::fmt::Display| bad(format!("{path}:{e}"));
        match formats::detect_data(&text) {
            formats::DataFormat::ApiJson => {
                let exp = formats::parse_api_json(&text).map_err(|e| at(&e))?;
                db.load_exposition(&exp, scrape_time).map_err(|e| at(&e))?;
            }
            formats::DataFormat::LoadBlocks => {
                promqltest::load_blocks(&text, db).map_err(|e| at(&e))?;
            }
            formats::DataFormat::Exposition(_) => {
                let scrapes = formats::split_scrapes(&text).map_err(|e| at(&e))?;
                // A scrape whose samples all carry timestamps takes no slot in the timeline:
                // it is loaded as it is, beside the timeline.
                let (mut mine, stamped): (Vec<Pending>, Vec<Pending>) = scrapes
                    .into_iter()
                    .map(|s| Pending { path: path.clone(), time: s.time, exp: s.exposition })
                    .partition(|p| p.time.is_some() || p.exp.samples.iter().any(|x| x.timestamp_ms.is_none()));
                if interval.is_none() {
                    place(&mut mine, scrape_time, DEFAULT_SCRAPE_INTERVAL);
                }
                pending.extend(mine);
                fixed.extend(stamped);
            }
        }
    }
    if let Some(iv) = interval {
        place(&mut pending, scrape_time, iv);
    }
    // The store wants each series in time order; explicit `# SCRAPE` times of different files
    // need not be.
    pending.sort_by_key(|p| p.time);
    for p in fixed.iter().chain(&pending) {
        let t = p.time.unwrap_or(scrape_time);
        db.load_exposition(&p.exp, t).map_err(|e| bad(format!("{}:{e}", p.path)))?;
    }
    Ok(())
}

/// Gives every scrape its time on one timeline (`formats::place_scrapes`).
fn place(scrapes: &mut [Pending], anchor: Timestamp, interval: i64) {
    let times: Vec<Option<Timestamp>> = scrapes.iter().map(|s| s.time).collect();
    for (s, t) in scrapes.iter_mut().zip(formats::place_scrapes(&times, anchor, interval)) {
        s.time = Some(t);
    }
}
