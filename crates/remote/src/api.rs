//! The requests of the Prometheus HTTP API (`/api/v1/...`) as paths and form parameters, so the
//! CLI (a blocking HTTP client) and the browser (fetch) ask the server the same questions.
//! Nothing here does I/O.

use model::Timestamp;

/// One GET request: a path below the server's base URL and its query parameters (in order;
/// `match[]` may repeat). Prometheus also accepts the same parameters as a POST form body.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ApiRequest {
    pub path: String,
    pub params: Vec<(String, String)>,
}

impl ApiRequest {
    fn new(path: impl Into<String>) -> Self {
        ApiRequest { path: path.into(), params: Vec::new() }
    }

    fn param(mut self, name: &str, value: impl Into<String>) -> Self {
        self.params.push((name.to_string(), value.into()));
        self
    }

    fn matches(mut self, matchers: &[String]) -> Self {
        for m in matchers {
            self = self.param("match[]", m.as_str());
        }
        self
    }

    fn window(mut self, start: Option<Timestamp>, end: Option<Timestamp>) -> Self {
        if let Some(s) = start {
            self = self.param("start", format_time(s));
        }
        if let Some(e) = end {
            self = self.param("end", format_time(e));
        }
        self
    }

    /// `/api/v1/status/buildinfo`: which server answered (version, revision).
    pub fn buildinfo() -> Self {
        ApiRequest::new("/api/v1/status/buildinfo")
    }

    /// `/api/v1/query`: an instant query at `time`.
    pub fn query(expr: &str, time: Timestamp) -> Self {
        ApiRequest::new("/api/v1/query").param("query", expr).param("time", format_time(time))
    }

    /// `/api/v1/query_range`; `step` in milliseconds.
    pub fn query_range(expr: &str, start: Timestamp, end: Timestamp, step: i64) -> Self {
        ApiRequest::new("/api/v1/query_range")
            .param("query", expr)
            .param("start", format_time(start))
            .param("end", format_time(end))
            .param("step", format_time(step))
    }

    /// `/api/v1/series`: the label sets the selectors match in the window.
    pub fn series(matchers: &[String], start: Option<Timestamp>, end: Option<Timestamp>) -> Self {
        ApiRequest::new("/api/v1/series").matches(matchers).window(start, end)
    }

    /// `/api/v1/labels`: label names (of the matched series, if any selectors).
    pub fn labels(matchers: &[String], start: Option<Timestamp>, end: Option<Timestamp>) -> Self {
        ApiRequest::new("/api/v1/labels").matches(matchers).window(start, end)
    }

    /// `/api/v1/label/<name>/values`: the values of one label (`__name__` gives metric names).
    pub fn label_values(name: &str, matchers: &[String], start: Option<Timestamp>, end: Option<Timestamp>) -> Self {
        ApiRequest::new(format!("/api/v1/label/{}/values", encode_component(name))).matches(matchers).window(start, end)
    }

    /// `/api/v1/metadata`: HELP, TYPE and UNIT per metric name, of every metric or of one.
    pub fn metadata(metric: Option<&str>) -> Self {
        let r = ApiRequest::new("/api/v1/metadata");
        match metric {
            Some(m) => r.param("metric", m),
            None => r,
        }
    }

    /// The parameters as `a=1&b=2`, percent-encoded as a form (`application/x-www-form-urlencoded`).
    pub fn query_string(&self) -> String {
        let parts: Vec<String> =
            self.params.iter().map(|(k, v)| format!("{}={}", encode_component(k), encode_component(v))).collect();
        parts.join("&")
    }

    /// The full URL below `base` (`http://host:9090`, or with a path prefix such as Mimir's
    /// `http://host/prometheus`; a trailing `/` is ignored).
    pub fn url(&self, base: &str) -> String {
        let base = base.trim_end_matches('/');
        let qs = self.query_string();
        if qs.is_empty() {
            format!("{base}{}", self.path)
        } else {
            format!("{base}{}?{qs}", self.path)
        }
    }
}

/// A time as the API reads it: unix seconds with up to three decimals, exact
/// (`1795277418.827`, `-1.5`, `1000`).
pub fn format_time(ms: Timestamp) -> String {
    let sign = if ms < 0 { "-" } else { "" };
    let abs = ms.unsigned_abs();
    let (secs, frac) = (abs / 1000, abs % 1000);
    if frac == 0 {
        return format!("{sign}{secs}");
    }
    let digits = format!("{frac:03}");
    format!("{sign}{secs}.{}", digits.trim_end_matches('0'))
}

/// Percent-encodes everything but RFC 3986's unreserved characters, which is valid both in a
/// query string and in a path segment.
pub fn encode_component(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_are_exact_decimal_seconds() {
        assert_eq!(format_time(1_795_277_418_827), "1795277418.827");
        assert_eq!(format_time(1_795_277_418_800), "1795277418.8");
        assert_eq!(format_time(1_000_000), "1000");
        assert_eq!(format_time(-1500), "-1.5");
        assert_eq!(format_time(5), "0.005");
        for ms in [0, 1, 999, 1_795_277_418_827, -7] {
            assert_eq!(model::timearg::parse_time(&format_time(ms)), Ok(ms));
        }
    }

    #[test]
    fn query_urls() {
        let r = ApiRequest::query("up{job=\"a b\"}[1h]", 1_000_500);
        assert_eq!(r.url("http://h:9090/"), "http://h:9090/api/v1/query?query=up%7Bjob%3D%22a%20b%22%7D%5B1h%5D&time=1000.5");
        let r = ApiRequest::query_range("rate(x[5m])", 0, 60_000, 15_000);
        assert_eq!(r.query_string(), "query=rate%28x%5B5m%5D%29&start=0&end=60&step=15");
        assert_eq!(ApiRequest::buildinfo().url("http://h/prometheus"), "http://h/prometheus/api/v1/status/buildinfo");
    }

    #[test]
    fn series_labels_metadata() {
        let m = vec!["up".to_string(), "{job=~\".+\"}".to_string()];
        let r = ApiRequest::series(&m, Some(1000), Some(2000));
        assert_eq!(r.path, "/api/v1/series");
        assert_eq!(r.query_string(), "match%5B%5D=up&match%5B%5D=%7Bjob%3D~%22.%2B%22%7D&start=1&end=2");
        assert_eq!(ApiRequest::labels(&[], None, None).url("http://h"), "http://h/api/v1/labels");
        assert_eq!(ApiRequest::label_values("__name__", &[], None, Some(5)).url("http://h"), "http://h/api/v1/label/__name__/values?end=0.005");
        assert_eq!(ApiRequest::metadata(Some("up")).query_string(), "metric=up");
        assert!(ApiRequest::metadata(None).params.is_empty());
    }
}
