//! The Prometheus HTTP API envelope, written byte for byte as `/api/v1/query` writes it:
//! times as JSON numbers in seconds (`1000`, `1000.5`), values as strings (`"+Inf"`), empty
//! `warnings`/`infos` omitted, and Go's HTML-safe string escaping.

use model::{format_prom_float, Labels, Sample, Timestamp};

use super::ResultView;

/// `{"status":"success",...}` plus a newline, as Prometheus's API handler ends its body.
pub fn api_success(result: &ResultView<'_>, warnings: &[String], infos: &[String]) -> String {
    let mut out = String::from(r#"{"status":"success","data":{"resultType":""#);
    let body = match result {
        ResultView::Scalar { t, v } => point(*t, &format_prom_float(*v)),
        ResultView::String { t, s } => format!("[{},{}]", seconds(*t), json_string(s)),
        ResultView::Vector(rows) => list(
            rows.iter()
                .map(|s| format!(r#"{{"metric":{},"value":{}}}"#, metric(s.labels), point(s.t, &format_prom_float(s.v)))),
        ),
        ResultView::Matrix(rows) => list(rows.iter().map(|s| matrix_series(s.labels, s.samples))),
    };
    out.push_str(result.type_name());
    out.push_str(r#"","result":"#);
    out.push_str(&body);
    out.push('}');
    annotations(&mut out, "warnings", warnings);
    annotations(&mut out, "infos", infos);
    out.push_str("}\n");
    out
}

/// `{"status":"error","errorType":...,"error":...}` plus a newline.
pub fn api_error(error_type: &str, message: &str) -> String {
    format!(r#"{{"status":"error","errorType":{},"error":{}}}"#, json_string(error_type), json_string(message)) + "\n"
}

fn annotations(out: &mut String, key: &str, items: &[String]) {
    if !items.is_empty() {
        out.push_str(&format!(r#","{key}":{}"#, list(items.iter().map(|s| json_string(s)))));
    }
}

fn matrix_series(labels: &Labels, samples: &[Sample]) -> String {
    let values = list(samples.iter().map(|s| point(s.t, &format_prom_float(s.v))));
    format!(r#"{{"metric":{},"values":{values}}}"#, metric(labels))
}

fn metric(labels: &Labels) -> String {
    // Labels are sorted by name, as Go sorts map keys when it encodes them.
    let body: Vec<String> = labels.iter().map(|l| format!("{}:{}", json_string(&l.name), json_string(&l.value))).collect();
    format!("{{{}}}", body.join(","))
}

fn point(t: Timestamp, v: &str) -> String {
    format!("[{},{}]", seconds(t), json_string(v))
}

fn seconds(t: Timestamp) -> String {
    format_prom_float(t as f64 / 1000.0)
}

fn list(items: impl Iterator<Item = String>) -> String {
    let v: Vec<String> = items.collect();
    format!("[{}]", v.join(","))
}

/// A JSON string as Go's encoding/json writes it (HTML-safe: `<`, `>`, `&` escaped).
pub fn json_string(s: &str) -> String {
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
    use crate::export::{MatrixRow, VectorRow};

    #[test]
    fn strings_escape_like_go() {
        assert_eq!(json_string("a\"b<c>&\n"), r#""a\"b\u003cc\u003e\u0026\n""#);
    }

    #[test]
    fn times_and_values() {
        assert_eq!(point(1_000_000, "1"), r#"[1000,"1"]"#);
        assert_eq!(point(1_000_500, "+Inf"), r#"[1000.5,"+Inf"]"#);
        assert_eq!(api_error("bad_data", "1:1: x"), "{\"status\":\"error\",\"errorType\":\"bad_data\",\"error\":\"1:1: x\"}\n");
    }

    #[test]
    fn envelopes() {
        let l = Labels::from_pairs([("__name__", "up"), ("job", "a")]);
        let v = ResultView::Vector(vec![VectorRow { labels: &l, t: 1000, v: 1.0 }]);
        assert_eq!(
            api_success(&v, &[], &["i".to_string()]),
            "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[{\"metric\":{\"__name__\":\"up\",\"job\":\"a\"},\"value\":[1,\"1\"]}]},\"infos\":[\"i\"]}\n"
        );
        let samples = [Sample { t: 0, v: f64::INFINITY }, Sample { t: 1500, v: 2.5 }];
        let m = ResultView::Matrix(vec![MatrixRow { labels: &l, samples: &samples }]);
        assert!(api_success(&m, &[], &[]).contains(r#""values":[[0,"+Inf"],[1.5,"2.5"]]"#));
        let s = ResultView::Scalar { t: 2000, v: f64::NAN };
        assert_eq!(api_success(&s, &[], &[]), "{\"status\":\"success\",\"data\":{\"resultType\":\"scalar\",\"result\":[2,\"NaN\"]}}\n");
    }
}
