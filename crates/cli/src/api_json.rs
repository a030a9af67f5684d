//! The Prometheus HTTP API envelope, written byte for byte as `/api/v1/query` writes it:
//! times as JSON numbers in seconds (`1000`, `1000.5`), values as strings (`"+Inf"`), empty
//! `warnings`/`infos` omitted, and Go's HTML-safe string escaping.

use engine::{QueryResult, Value};
use model::{format_prom_float, Labels, Sample, Timestamp};

pub fn success(result: &QueryResult, t: Timestamp) -> String {
    let mut out = String::from(r#"{"status":"success","data":{"resultType":""#);
    let (kind, body) = match &result.value {
        Value::Scalar(v) => ("scalar", point(t, &format_prom_float(*v))),
        Value::String(s) => ("string", format!("[{},{}]", seconds(t), string(s))),
        Value::Vector(samples) => (
            "vector",
            list(samples.iter().map(|s| format!(r#"{{"metric":{},"value":{}}}"#, metric(&s.labels), point(s.t, &format_prom_float(s.v))))),
        ),
        Value::Matrix(series) => ("matrix", list(series.iter().map(|s| matrix_series(&s.labels, &s.samples)))),
    };
    out.push_str(kind);
    out.push_str(r#"","result":"#);
    out.push_str(&body);
    out.push('}');
    annotations(&mut out, "warnings", &result.warnings);
    annotations(&mut out, "infos", &result.infos);
    out.push_str("}\n");
    out
}

pub fn error(error_type: &str, message: &str) -> String {
    format!(r#"{{"status":"error","errorType":{},"error":{}}}"#, string(error_type), string(message)) + "\n"
}

fn annotations(out: &mut String, key: &str, items: &[String]) {
    if !items.is_empty() {
        out.push_str(&format!(r#","{key}":{}"#, list(items.iter().map(|s| string(s)))));
    }
}

fn matrix_series(labels: &Labels, samples: &[Sample]) -> String {
    let values = list(samples.iter().map(|s| point(s.t, &format_prom_float(s.v))));
    format!(r#"{{"metric":{},"values":{values}}}"#, metric(labels))
}

fn metric(labels: &Labels) -> String {
    // Labels are sorted by name, as Go sorts map keys when it encodes them.
    let body: Vec<String> = labels.iter().map(|l| format!("{}:{}", string(&l.name), string(&l.value))).collect();
    format!("{{{}}}", body.join(","))
}

fn point(t: Timestamp, v: &str) -> String {
    format!("[{},{}]", seconds(t), string(v))
}

fn seconds(t: Timestamp) -> String {
    format_prom_float(t as f64 / 1000.0)
}

fn list(items: impl Iterator<Item = String>) -> String {
    let v: Vec<String> = items.collect();
    format!("[{}]", v.join(","))
}

/// A JSON string as Go's encoding/json writes it (HTML-safe: `<`, `>`, `&` escaped).
pub fn string(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '<' | '>' | '&' | '\u{2028}' | '\u{2029}' => out.push_str(&format!("\\u{:04x}", c as u32)),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strings_escape_like_go() {
        assert_eq!(string("a\"b<c>&\n"), r#""a\"b\u003cc\u003e\u0026\n""#);
    }

    #[test]
    fn times_and_values() {
        assert_eq!(point(1_000_000, "1"), r#"[1000,"1"]"#);
        assert_eq!(point(1_000_500, "+Inf"), r#"[1000.5,"+Inf"]"#);
        assert_eq!(error("bad_data", "1:1: x"), "{\"status\":\"error\",\"errorType\":\"bad_data\",\"error\":\"1:1: x\"}\n");
    }
}
