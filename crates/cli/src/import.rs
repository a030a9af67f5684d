//! `promplay import`: raw samples of selectors over a window from a Prometheus-compatible server,
//! printed as OpenMetrics with timestamps (what `promplay eval --data` loads). Nothing is
//! printed unless the whole import succeeded, so `> data.om` never holds half an import.

use model::timearg::{parse_duration_arg, parse_time};
use remote::{plan_import, ImportPlan, Limits, Stager};

use crate::args::Args;
use crate::http::{self, Client, Failure};

const OWN_FLAGS: [&str; 6] = ["match", "start", "end", "chunk", "max-series", "max-samples"];

pub const DEFAULT_MAX_SERIES: usize = 10_000;
pub const DEFAULT_MAX_SAMPLES: usize = 5_000_000;

/// Exit codes: 0 imported, 1 the import failed (an error answer, a limit), 2 bad usage or an
/// unreachable server.
pub fn main(argv: &[String]) -> (u8, String) {
    match run(argv) {
        Ok(text) => (0, text),
        Err((code, msg)) => {
            eprintln!("promplay import: {msg}");
            (code, String::new())
        }
    }
}

type Fail = (u8, String);

fn usage(msg: impl Into<String>) -> Fail {
    (2, msg.into())
}

/// An unreachable server is exit 2, an answer that stops the import exit 1.
pub fn failed(what: &str, e: Failure) -> Fail {
    match e {
        Failure::Unreachable(m) => (2, m),
        Failure::Answer(a) => (1, format!("{what}: {a}")),
    }
}

fn run(argv: &[String]) -> Result<String, Fail> {
    let flags: Vec<&str> = http::FLAGS.iter().chain(&OWN_FLAGS).copied().collect();
    let args = Args::parse(argv, &flags).map_err(usage)?;
    if !args.positional.is_empty() {
        return Err(usage(format!("unexpected argument {:?}: selectors go in --match", args.positional.join(" "))));
    }
    let client = Client::from_args(&args).map_err(usage)?;
    let time = |name: &str| -> Result<i64, Fail> {
        let v = args.one(name).map_err(usage)?.ok_or_else(|| usage(format!("--{name} T is required")))?;
        parse_time(v).map_err(|e| usage(format!("invalid parameter \"{name}\": {e}")))
    };
    let (start, end) = (time("start")?, time("end")?);
    let chunk = match args.one("chunk").map_err(usage)? {
        Some(s) => parse_duration_arg(s).map_err(|e| usage(format!("invalid parameter \"chunk\": {e}")))?,
        None => remote::DEFAULT_CHUNK_MS,
    };
    let limits = limits(&args)?;
    let plan = plan_import(args.all("match"), start, end, chunk).map_err(usage)?;
    match client.get(&remote::ApiRequest::buildinfo()) {
        Ok(body) => match remote::parse_buildinfo(&body) {
            Ok(info) => eprintln!("promplay import: {} answers: version {}", client.base(), info.describe()),
            Err(e) => eprintln!("promplay import: no build information ({e}); going on"),
        },
        Err(Failure::Unreachable(m)) => return Err((2, m)),
        // Some compatible servers have no buildinfo endpoint: not a reason to stop.
        Err(Failure::Answer(e)) => eprintln!("promplay import: no build information ({e}); going on"),
    }
    let staged = import(&client, &plan, limits)?;
    eprintln!(
        "promplay import: {} series, {} samples from {} ({} queries)",
        staged.series.len(),
        staged.sample_count(),
        client.base(),
        plan.chunks.len()
    );
    Ok(staged.to_openmetrics())
}

/// `--max-series N --max-samples N`.
pub fn limits(args: &Args) -> Result<Limits, Fail> {
    let n = |name: &str, default: usize| -> Result<usize, Fail> {
        match args.one(name).map_err(usage)? {
            None => Ok(default),
            Some(s) => s.parse().map_err(|_| usage(format!("invalid parameter \"{name}\": {s:?} is not a count"))),
        }
    };
    Ok(Limits { max_series: n("max-series", DEFAULT_MAX_SERIES)?, max_samples: n("max-samples", DEFAULT_MAX_SAMPLES)? })
}

/// Runs the plan: the series count against the limit before any sample is fetched, every
/// chunk (progress to stderr), the metadata.
pub fn import(client: &Client, plan: &ImportPlan, limits: Limits) -> Result<remote::Staged, Fail> {
    let limit_hint = |e: remote::ImportError| -> Fail {
        let flag = match e {
            remote::ImportError::SeriesLimit { .. } => " (--max-series)",
            remote::ImportError::SampleLimit { .. } => " (--max-samples)",
            _ => "",
        };
        (1, format!("{e}{flag}"))
    };
    let mut stager = Stager::new(limits).with_window(plan.start, plan.end);
    let body = client.get(&plan.series_request()).map_err(|e| failed("counting the series (/api/v1/series)", e))?;
    let series = remote::parse_series(&body).map_err(|e| (1, format!("counting the series (/api/v1/series): {e}")))?;
    stager.check_announced_series(series.len()).map_err(limit_hint)?;
    let total = plan.chunks.len();
    for (i, c) in plan.chunks.iter().enumerate() {
        let what = format!("query {}/{total} ({} at {})", i + 1, c.expr, remote::format_time(c.to));
        let body = client.get(&c.request()).map_err(|e| failed(&what, e))?;
        let p = stager.add_chunk(&body).map_err(|e| match e {
            remote::ImportError::Response(r) => (1, format!("{what}: {r}")),
            other => limit_hint(other),
        })?;
        if total > 1 {
            eprintln!("promplay import: {}/{total}: {} series, {} samples", i + 1, p.series, p.samples);
        }
    }
    match client.get(&plan.metadata_request()) {
        Ok(body) => stager.add_metadata(&body).map_err(|e| (1, format!("metadata (/api/v1/metadata): {e}")))?,
        Err(Failure::Unreachable(m)) => return Err((2, m)),
        Err(Failure::Answer(e)) => {
            eprintln!("promplay import: no metadata ({e}); the text has no HELP or TYPE lines");
            stager.progress()
        }
    };
    stager.finish().map_err(|e| (1, e.to_string()))
}
