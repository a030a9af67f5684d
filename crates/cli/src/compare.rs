//! `promplay compare`: one query, evaluated locally and by a Prometheus-compatible server at the
//! same times, and what differs (series on one side only, values beyond the tolerance,
//! annotations). The local data is `--data FILE...`, or else exactly what the query reads,
//! imported from the server first.
//!
//! Exit codes: 0 equal, 1 a difference (a refusal on one side only included), 2 bad usage, an
//! unreachable server, or an answer that is no answer to the query (a proxy's error page).

use engine::QueryResult;
use formats::export::ResultView;
use model::timearg::{parse_duration_arg, parse_time};
use model::{format_prom_float, Timestamp};
use remote::{ApiRequest, CompareOptions, Comparison, ImportPlan, Local};

use crate::api_json::view;
use crate::args::Args;
use crate::eval::{self, Mode};
use crate::http::{self, Client, Failure};
use crate::import;

const OWN_FLAGS: [&str; 13] = [
    "data",
    "time",
    "start",
    "end",
    "step",
    "tolerance",
    "lookback",
    "scrape-time",
    "scrape-interval",
    "max-series",
    "max-samples",
    "chunk",
    "infos",
];

type Fail = (u8, String);

fn usage(msg: impl Into<String>) -> Fail {
    (2, msg.into())
}

pub fn main(argv: &[String]) -> (u8, String) {
    match run(argv) {
        Ok((equal, report)) => (u8::from(!equal), report),
        Err((code, msg)) => {
            eprintln!("promplay compare: {msg}");
            (code, String::new())
        }
    }
}

fn run(argv: &[String]) -> Result<(bool, String), Fail> {
    let flags: Vec<&str> = http::FLAGS.iter().chain(&OWN_FLAGS).copied().collect();
    let args = Args::parse(argv, &flags).map_err(usage)?;
    let query = match args.positional.as_slice() {
        [q] => q.clone(),
        [] => return Err(usage("missing QUERY (the last argument)")),
        _ => return Err(usage("expected exactly one QUERY; quote it, and put -- before it if it starts with -")),
    };
    let mode = eval::mode(&args).map_err(|(_, m)| usage(m))?;
    let tolerance = match args.one("tolerance").map_err(usage)? {
        None => CompareOptions::default().tolerance,
        Some(s) => match s.parse::<f64>() {
            Ok(t) if t >= 0.0 => t,
            _ => return Err(usage(format!("invalid parameter \"tolerance\": {s:?} is not a relative tolerance (like 1e-9)"))),
        },
    };
    let mut opts = engine::Options::default();
    if let Some(s) = args.one("lookback").map_err(usage)? {
        opts.lookback_delta = parse_duration_arg(s).map_err(|e| usage(format!("invalid parameter \"lookback\": {e}")))?;
    }
    let client = Client::from_args(&args).map_err(usage)?;
    let version = server_version(&client)?;

    let (start, end, step) = match mode {
        Mode::Instant(t) => (t, t, 0),
        Mode::Range { start, end, step } => (start, end, step),
    };
    let mut notes = Vec::new();
    let db = local_store(&args, &client, &query, remote::Eval { start, end, step, lookback: opts.lookback_delta }, &mut notes)?;
    let local = match mode {
        Mode::Instant(t) => engine::instant_query(&db, &query, t, &opts),
        Mode::Range { start, end, step } => engine::range_query(&db, &query, start, end, step, &opts),
    }
    .map_err(|e| e.to_string());

    let req = match mode {
        Mode::Instant(t) => ApiRequest::query(&query, t),
        Mode::Range { start, end, step } => ApiRequest::query_range(&query, start, end, step),
    };
    let (status, body) = client.get_raw(&req).map_err(|e| import::failed("the query", e))?;
    // A 400 or 422 with the API's error envelope is the server refusing the query: an answer to
    // compare. Anything else that is not a success cannot be compared.
    let refusal = matches!(status, 400 | 422) && remote::check_envelope(&body).is_err_and(|e| matches!(e, remote::ApiError::Api { .. }));
    if !refusal {
        remote::check_status(status, &body).map_err(|e| (2, format!("the query: {e}")))?;
    }

    let compare_infos = match args.one("infos").map_err(usage)? {
        None | Some("auto") => remote::reports_infos(&version),
        Some("yes") => true,
        Some("no") => false,
        Some(other) => return Err(usage(format!("invalid parameter \"infos\": {other:?} (auto, yes or no)"))),
    };
    if !compare_infos && remote::reports_infos(&version) {
        notes.push("infos are not compared (--infos no)".to_string());
    } else if !compare_infos {
        notes.push(format!("infos are not compared (the server, version {version}, reports warnings only)"));
    }
    let ordered = matches!(mode, Mode::Instant(_)) && remote::is_sorted_query(&query);
    let copts = CompareOptions { tolerance, ordered, compare_infos };
    let eval_time = end;
    let local_side = local.as_ref().map(|r: &QueryResult| Local { result: view(&r.value, eval_time), warnings: &r.warnings, infos: &r.infos });
    let cmp = remote::compare(local_side.map_err(Clone::clone), &body, &copts);
    let report = report(&cmp, local.as_ref().ok(), &version, &notes);
    Ok((cmp.is_equal(), report))
}

/// The server's version from `/api/v1/status/buildinfo` (empty when it has no such endpoint).
fn server_version(client: &Client) -> Result<String, Fail> {
    match client.get(&ApiRequest::buildinfo()) {
        Ok(body) => Ok(remote::parse_buildinfo(&body).map(|b| b.version).unwrap_or_default()),
        Err(Failure::Unreachable(m)) => Err((2, m)),
        Err(Failure::Answer(_)) => Ok(String::new()),
    }
}

/// The local store: the `--data` files, or the query's selectors imported from the server over
/// the windows the query reads.
fn local_store(args: &Args, client: &Client, query: &str, ev: remote::Eval, notes: &mut Vec<String>) -> Result<tsdb::Storage, Fail> {
    let mut db = tsdb::Storage::new();
    if !args.all("data").is_empty() {
        let scrape_time = match args.one("scrape-time").map_err(usage)? {
            Some(s) => parse_time(s).map_err(|e| usage(format!("invalid parameter \"scrape-time\": {e}")))?,
            None => ev.end,
        };
        let interval = eval::scrape_interval(args).map_err(|(_, m)| usage(m))?;
        eval::load_files(&mut db, args.all("data"), scrape_time, interval).map_err(|(_, m)| usage(m))?;
        return Ok(db);
    }
    let needs = remote::data_needed(query, ev).map_err(|e| usage(format!("the query: {e}")))?;
    if needs.is_empty() {
        return Ok(db);
    }
    let chunk = match args.one("chunk").map_err(usage)? {
        Some(s) => parse_duration_arg(s).map_err(|e| usage(format!("invalid parameter \"chunk\": {e}")))?,
        None => remote::DEFAULT_CHUNK_MS,
    };
    let mut plan: Option<ImportPlan> = None;
    for n in &needs {
        let p = remote::plan_import(&[n.selector.as_str()], n.start, n.end, chunk).map_err(usage)?;
        plan = Some(match plan {
            None => p,
            Some(mut all) => {
                all.selectors.extend(p.selectors);
                all.chunks.extend(p.chunks);
                all.start = all.start.min(p.start);
                all.end = all.end.max(p.end);
                all
            }
        });
    }
    let Some(plan) = plan else { return Ok(db) };
    let staged = import::import(client, &plan, import::limits(args)?)?;
    notes.push(format!(
        "local data: {} series, {} samples imported from the server ({})",
        staged.series.len(),
        staged.sample_count(),
        needs.iter().map(|n| format!("{} from {} to {}", n.selector, remote::format_time(n.start), remote::format_time(n.end))).collect::<Vec<_>>().join("; ")
    ));
    let text = staged.to_openmetrics();
    let exp = formats::parse_openmetrics(&text).map_err(|e| (1, format!("the imported data does not load back: {e}")))?;
    db.load_exposition(&exp, ev.end).map_err(|e| (1, format!("the imported data does not load: {e}")))?;
    Ok(db)
}

fn describe(v: &ResultView<'_>) -> String {
    match v {
        ResultView::Scalar { v, .. } => format!("scalar {}", format_prom_float(*v)),
        ResultView::String { s, .. } => format!("string {s:?}"),
        ResultView::Vector(rows) => format!("vector of {} series", rows.len()),
        ResultView::Matrix(rows) => {
            let points: usize = rows.iter().map(|r| r.samples.len()).sum();
            format!("matrix of {} series, {points} points", rows.len())
        }
    }
}

fn point(v: Option<f64>) -> String {
    v.map_or_else(|| "(no point)".to_string(), format_prom_float)
}

fn time(t: Timestamp) -> String {
    remote::format_time(t)
}

/// The differences, one per line, then `equal` or the count.
fn report(c: &Comparison, local: Option<&QueryResult>, version: &str, notes: &[String]) -> String {
    let mut out = String::new();
    let server = if version.is_empty() { "remote".to_string() } else { format!("remote ({version})") };
    for n in notes {
        out.push_str(&format!("note: {n}\n"));
    }
    match (local, &c.local_error) {
        (Some(r), _) => out.push_str(&format!("local: {}\n", describe(&view(&r.value, 0)))),
        (None, Some(e)) => out.push_str(&format!("local: error: {e}\n")),
        (None, None) => {}
    }
    match &c.remote {
        Ok(r) => out.push_str(&format!("{server}: {}\n", describe(&r.result.view()))),
        Err(e) => out.push_str(&format!("{server}: error: {e}\n")),
    }
    let mut count = 0usize;
    let mut line = |s: String| {
        out.push_str(&s);
        out.push('\n');
        count += 1;
    };
    if let Some(d) = &c.diff {
        if let Some(t) = &d.type_mismatch {
            line(format!("type differs: local {}, remote {}", t.actual, t.expected));
        }
        for l in &d.extra {
            line(format!("only local: {l}"));
        }
        for l in &d.missing {
            line(format!("only remote: {l}"));
        }
        for v in &d.values {
            line(format!("value differs: {} at {}: local {}, remote {}", v.labels, time(v.t), point(v.actual), point(v.expected)));
        }
        if d.more_values > 0 {
            line(format!("... and {} more value differences", d.more_values));
        }
        if let Some(s) = &d.string {
            line(format!("string differs: local {:?}, remote {:?}", s.actual, s.expected));
        }
        if let Some(o) = &d.order {
            line(format!("order differs at position {}: local {}, remote {}", o.position + 1, o.actual, o.expected));
        }
    } else if c.local_error.is_none() && c.remote.is_err() {
        line("only the local engine answered".to_string());
    } else if c.local_error.is_some() && c.remote.is_ok() {
        line("only the server answered".to_string());
    }
    for a in &c.annotations_only_local {
        line(format!("annotation only local: {a}"));
    }
    for a in &c.annotations_only_remote {
        line(format!("annotation only remote: {a}"));
    }
    if c.is_equal() {
        out.push_str("equal\n");
    } else {
        out.push_str(&format!("{count} difference{}\n", if count == 1 { "" } else { "s" }));
    }
    out
}
