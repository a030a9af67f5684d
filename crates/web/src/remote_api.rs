//! Remote mode's arithmetic, free of the DOM: the server's base URL, the API URLs the page
//! fetches, the import window and its chunks (one range-vector instant query per selector and
//! chunk, which returns the raw samples), times and durations as the form takes them, and the
//! basic-auth header. The page builds these itself so its wasm links nothing of the core crates.

use crate::timefmt::format_rfc3339_ms;

/// Each chunk's query covers at most this much time, so one answer stays small and a limit is
/// noticed after one chunk, not after the whole window.
pub const CHUNK_MS: i64 = 3_600_000;
/// The import form's defaults.
pub const DEFAULT_MAX_SERIES: usize = 10_000;
/// Lower than the CLI's 5,000,000: a million samples are ~100 MB of text in the data pane.
pub const DEFAULT_MAX_SAMPLES: usize = 1_000_000;
pub const DEFAULT_LAST: &str = "1h";

/// `host:9090/` or `http://host:9090/prefix/` -> `http://host:9090/prefix`: the API's paths are
/// appended to it.
pub fn base_url(input: &str) -> Result<String, String> {
    let t = input.trim().trim_end_matches('/');
    if t.is_empty() {
        return Err("Enter the server's URL, e.g. http://localhost:9090".to_string());
    }
    // A byte search: `str::find` would link a substring searcher into the page for this alone.
    let at = |pat: &[u8]| t.as_bytes().windows(pat.len()).position(|w| w == pat);
    let url = if at(b"://").is_some() { t.to_string() } else { format!("http://{t}") };
    if !(url.starts_with("http://") || url.starts_with("https://")) {
        return Err(format!("{t}: only http:// and https:// URLs can be fetched"));
    }
    // The API lives below the base; a pasted API URL is cut back to it.
    let cut = at(b"/api/v1").map(|i| i + url.len() - t.len());
    Ok(match cut.and_then(|i| url.get(..i)) {
        Some(base) => base.to_string(),
        None => url,
    })
}

/// Query parameters, percent-encoded as `encodeURIComponent` does.
pub fn query_string(params: &[(&str, &str)]) -> String {
    let mut out = String::new();
    for (i, (k, v)) in params.iter().enumerate() {
        out.push(if i == 0 { '?' } else { '&' });
        out.push_str(k);
        out.push('=');
        out.push_str(&encode(v));
    }
    out
}

/// Percent-encoding as `encodeURIComponent` does it.
pub fn encode(v: &str) -> String {
    let mut out = String::with_capacity(v.len());
    for b in v.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.!~*'()".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// A time as the API's `time`/`start`/`end` parameters take it: unix seconds, to the millisecond.
pub fn api_time(ms: i64) -> String {
    let (s, frac) = (ms.div_euclid(1000), ms.rem_euclid(1000));
    if frac == 0 {
        s.to_string()
    } else {
        format!("{s}.{frac:03}")
    }
}

/// One request of an import: the range-vector selector and the instant it is evaluated at.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Chunk {
    pub query: String,
    pub time_ms: i64,
}

impl Chunk {
    pub fn path(&self) -> String {
        format!("/api/v1/query{}", query_string(&[("query", &self.query), ("time", &api_time(self.time_ms))]))
    }
}

/// An import: its window and requests, oldest chunk first (every selector per chunk), so each
/// series' samples arrive in time order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ImportPlan {
    pub selectors: Vec<String>,
    pub start_ms: i64,
    pub end_ms: i64,
    pub chunks: Vec<Chunk>,
}

/// Selectors (one per line; blank lines and `#` comments skipped) over `[start, end]`, cut into
/// chunks `(from, to]` of `chunk_ms` (the last one shorter), the first from one millisecond
/// before the start (as `crates/remote`'s plan for the CLI): Prometheus 3.x's left-open range
/// selectors then return each sample once, and 2.x's closed ones repeat a sample on a chunk's
/// edge, which the worker's stager drops.
pub fn plan(selectors: &str, start_ms: i64, end_ms: i64, chunk_ms: i64) -> Result<ImportPlan, String> {
    let sels: Vec<&str> = selector_lines(selectors).collect();
    if sels.is_empty() {
        return Err("Enter at least one selector, e.g. up or node_cpu_seconds_total{mode=\"idle\"}".to_string());
    }
    if end_ms < start_ms {
        return Err(format!(
            "The window is empty: the start ({}) is after the end ({}).",
            format_rfc3339_ms(start_ms),
            format_rfc3339_ms(end_ms)
        ));
    }
    let chunk_ms = chunk_ms.max(1000);
    let mut chunks = Vec::new();
    let mut from = start_ms.saturating_sub(1);
    let mut to = start_ms;
    loop {
        to = to.saturating_add(chunk_ms).min(end_ms);
        for sel in &sels {
            chunks.push(Chunk { query: format!("{sel}[{}ms]", to - from), time_ms: to });
        }
        if to >= end_ms {
            break;
        }
        from = to;
    }
    Ok(ImportPlan { selectors: sels.iter().map(|s| s.to_string()).collect(), start_ms, end_ms, chunks })
}

impl ImportPlan {
    /// `/api/v1/series` for the selectors over the window: how many series the import would
    /// bring, asked before any sample is downloaded.
    pub fn series_path(&self) -> String {
        let mut params: Vec<(&str, &str)> = self.selectors.iter().map(|s| ("match[]", s.as_str())).collect();
        let (start, end) = (api_time(self.start_ms), api_time(self.end_ms));
        params.push(("start", &start));
        params.push(("end", &end));
        format!("/api/v1/series{}", query_string(&params))
    }
}

fn selector_lines(selectors: &str) -> impl Iterator<Item = &str> {
    selectors.lines().map(str::trim).filter(|l| !l.is_empty() && !l.starts_with('#'))
}

/// The window the form describes: the last `last` before `now_ms`, or `start`..`end` (an empty
/// end is now).
pub fn window(use_last: bool, last: &str, start: &str, end: &str, now_ms: i64) -> Result<(i64, i64), String> {
    if use_last {
        let d = parse_duration(last).map_err(|e| format!("last: {e}"))?;
        return Ok((now_ms - d, now_ms));
    }
    let end_ms = if end.trim().is_empty() { now_ms } else { parse_time(end).map_err(|e| format!("end: {e}"))? };
    let start_ms = parse_time(start).map_err(|e| format!("start: {e}"))?;
    Ok((start_ms, end_ms))
}

/// `1h30m`, `7d`, `500ms` or plain seconds (`90`), as the HTTP API reads durations; positive.
pub fn parse_duration(s: &str) -> Result<i64, String> {
    let s = s.trim();
    match model::timearg::parse_duration_arg(s)? {
        ms if ms > 0 => Ok(ms),
        _ => Err(format!("{s:?} is not a positive duration")),
    }
}

/// Unix seconds (`1700000000`, `1700000000.5`) or RFC 3339 (`2023-11-14T22:13:20Z`,
/// `2023-11-14T23:13:20.5+01:00`), as the API reads times.
pub fn parse_time(s: &str) -> Result<i64, String> {
    model::timearg::parse_time(s.trim())
}

/// A limit field: empty for the default, else a positive whole number (`1_000` and `1,000` too).
pub fn parse_limit(s: &str, default: usize, what: &str) -> Result<usize, String> {
    let t: String = s.chars().filter(|c| !matches!(c, '_' | ',' | ' ')).collect();
    if t.is_empty() {
        return Ok(default);
    }
    match t.parse::<usize>() {
        Ok(n) if n > 0 => Ok(n),
        _ => Err(format!("{what}: {s:?} is not a positive whole number")),
    }
}


#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_urls() {
        assert_eq!(base_url(" localhost:9090/ ").as_deref(), Ok("http://localhost:9090"));
        assert_eq!(base_url("https://thanos.example/prom/").as_deref(), Ok("https://thanos.example/prom"));
        assert_eq!(base_url("http://h:9090/api/v1/query?query=up").as_deref(), Ok("http://h:9090"));
        assert_eq!(base_url("h:9090/prom/api/v1/").as_deref(), Ok("http://h:9090/prom"));
        assert!(base_url("").is_err());
        assert!(base_url("ftp://h").is_err());
    }

    #[test]
    fn query_strings_are_encoded_as_encode_uri_component() {
        assert_eq!(
            query_string(&[("query", "up{job=\"a b\"}[5m]"), ("time", "1.5")]),
            "?query=up%7Bjob%3D%22a%20b%22%7D%5B5m%5D&time=1.5"
        );
        assert_eq!(query_string(&[("q", "é")]), "?q=%C3%A9");
    }

    #[test]
    fn api_times() {
        assert_eq!(api_time(1_700_000_000_000), "1700000000");
        assert_eq!(api_time(1_700_000_000_007), "1700000000.007");
        assert_eq!(api_time(-500), "-1.500");
    }

    #[test]
    fn plans_cover_the_window_in_chunks_oldest_first() {
        let p =
            plan("up\n\n# comment\n  rate_me{a=\"b\"}  \n", 0, 9_000_000, CHUNK_MS).unwrap_or_else(|e| panic!("{e}"));
        let got: Vec<(&str, i64)> = p.chunks.iter().map(|c| (c.query.as_str(), c.time_ms)).collect();
        assert_eq!(
            got,
            [
                ("up[3600001ms]", 3_600_000),
                ("rate_me{a=\"b\"}[3600001ms]", 3_600_000),
                ("up[3600000ms]", 7_200_000),
                ("rate_me{a=\"b\"}[3600000ms]", 7_200_000),
                ("up[1800000ms]", 9_000_000),
                ("rate_me{a=\"b\"}[1800000ms]", 9_000_000),
            ]
        );
        assert_eq!(p.chunks[4].path(), "/api/v1/query?query=up%5B1800000ms%5D&time=9000");
        // One instant is one chunk of one millisecond.
        let one = plan("up", 5000, 5000, CHUNK_MS).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(one.chunks, [Chunk { query: "up[1ms]".into(), time_ms: 5000 }]);
        assert!(plan(" \n# x\n", 0, 1000, CHUNK_MS).is_err());
        assert!(plan("up", 1001, 1000, CHUNK_MS).is_err_and(|e| e.contains("window is empty")));
    }

    #[test]
    fn the_series_count_is_asked_over_the_window() {
        let p = plan("up\njob_x", 1000, 2000, CHUNK_MS).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(p.series_path(), "/api/v1/series?match[]=up&match[]=job_x&start=1&end=2");
    }

    #[test]
    fn durations() {
        assert_eq!(parse_duration("1h30m"), Ok(5_400_000));
        assert_eq!(parse_duration("7d"), Ok(604_800_000));
        assert_eq!(parse_duration("500ms"), Ok(500));
        assert_eq!(parse_duration("90"), Ok(90_000));
        for bad in ["", "1x", "h", "0s", "-5m", "1h 5m"] {
            assert!(parse_duration(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn times() {
        assert_eq!(parse_time("1700000000"), Ok(1_700_000_000_000));
        assert_eq!(parse_time("1700000000.5"), Ok(1_700_000_000_500));
        assert_eq!(parse_time("2023-11-14T22:13:20Z"), Ok(1_700_000_000_000));
        assert_eq!(parse_time("2023-11-14T22:13:20.25Z"), Ok(1_700_000_000_250));
        assert_eq!(parse_time("2023-11-14T23:13:20+01:00"), Ok(1_700_000_000_000));
        assert_eq!(parse_time("1970-01-01T00:00:00Z"), Ok(0));
        assert_eq!(parse_time("2024-02-29T00:00:00Z"), Ok(1_709_164_800_000));
        for bad in ["", "yesterday", "2023-13-01T00:00:00Z", "2023-11-14T22:13:20", "2023-11-14T22:13:20.Z"] {
            assert!(parse_time(bad).is_err(), "{bad}");
        }
        // The RFC 3339 the UI prints reads back.
        assert_eq!(parse_time(&format_rfc3339_ms(1_700_000_000_123)), Ok(1_700_000_000_123));
    }

    #[test]
    fn windows() {
        assert_eq!(window(true, "1h", "", "", 10_000_000), Ok((6_400_000, 10_000_000)));
        assert_eq!(window(false, "", "100", "", 500_000), Ok((100_000, 500_000)));
        assert_eq!(window(false, "", "100", "200", 500_000), Ok((100_000, 200_000)));
        assert!(window(false, "", "", "", 0).is_err_and(|e| e.starts_with("start: ")));
        assert!(window(true, "soon", "", "", 0).is_err_and(|e| e.starts_with("last: ")));
    }

    #[test]
    fn limits() {
        assert_eq!(parse_limit("", 7, "max series"), Ok(7));
        assert_eq!(parse_limit("1_000", 7, "max series"), Ok(1000));
        assert_eq!(parse_limit("2,000,000", 7, "max samples"), Ok(2_000_000));
        assert!(parse_limit("0", 7, "max series").is_err_and(|e| e.starts_with("max series: ")));
        assert!(parse_limit("-3", 7, "max series").is_err());
    }

    #[test]
    fn quoting() {
    }
}
