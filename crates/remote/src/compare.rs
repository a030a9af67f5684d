//! Compares the local engine's answer to a query with the server's answer to the same query at
//! the same times: the result (through `resultdiff`: series on one side only, values beyond a
//! relative tolerance, type, order of a sorted result) and the annotations. Used by the worker's
//! session and by `promplay compare`, so both report the same differences.

use formats::export::ResultView;
use formats::{read_api_response, ApiResponse, ApiResponseError};
use resultdiff::{Diff, Options};

use crate::response::{looks_like_json, ApiError};

#[derive(Clone, Copy, Debug, PartialEq)]
pub struct CompareOptions {
    /// Relative tolerance for values (`resultdiff::almost_equal`).
    pub tolerance: f64,
    /// Whether the series order must agree (a `sort`ed instant query, see [`is_sorted_query`]).
    pub ordered: bool,
    /// Whether infos count: Prometheus 2.x reports warnings only, so its answers never have
    /// the infos the local engine (3.x semantics) gives.
    pub compare_infos: bool,
}

impl Default for CompareOptions {
    fn default() -> Self {
        CompareOptions { tolerance: 1e-9, ordered: false, compare_infos: true }
    }
}

/// The local engine's answer, borrowed.
#[derive(Clone, Debug)]
pub struct Local<'a> {
    pub result: ResultView<'a>,
    pub warnings: &'a [String],
    pub infos: &'a [String],
}

#[derive(Clone, Debug)]
pub struct Comparison {
    pub local_error: Option<String>,
    /// The server's answer, or why it is not one.
    pub remote: Result<ApiResponse, String>,
    /// When both sides answered; `expected` is the server, `actual` the local engine.
    pub diff: Option<Diff>,
    pub annotations_only_local: Vec<String>,
    pub annotations_only_remote: Vec<String>,
}

impl Comparison {
    /// Nothing differs, annotations included. Two refusals agree (the messages may be worded
    /// differently); one refusal is a difference.
    pub fn is_equal(&self) -> bool {
        let answers = match (&self.local_error, &self.remote, &self.diff) {
            (Some(_), Err(_), _) => true,
            (None, Ok(_), Some(d)) => d.is_equal(),
            _ => false,
        };
        answers && self.annotations_only_local.is_empty() && self.annotations_only_remote.is_empty()
    }
}

/// Reads the server's body (an `/api/v1/query` or `/api/v1/query_range` answer) and compares.
pub fn compare(local: Result<Local<'_>, String>, remote_body: &str, opts: &CompareOptions) -> Comparison {
    let remote = if looks_like_json(remote_body) {
        read_api_response(remote_body).map_err(|e| match e {
            ApiResponseError::Server { .. } => format!("the server answered with an error: {e}"),
            ApiResponseError::Invalid(e) => e.to_string(),
        })
    } else {
        Err(ApiError::NotJson { snippet: crate::response::snippet(remote_body) }.to_string())
    };
    let mut out = Comparison {
        local_error: None,
        remote,
        diff: None,
        annotations_only_local: Vec::new(),
        annotations_only_remote: Vec::new(),
    };
    let local = match local {
        Ok(l) => l,
        Err(e) => {
            out.local_error = Some(e);
            return out;
        }
    };
    let Ok(remote) = &out.remote else { return out };
    let ropts = Options { tolerance: opts.tolerance, ordered: opts.ordered, ..Options::default() };
    out.diff = Some(resultdiff::diff(&remote.result.view(), &local.result, &ropts));
    let mut mine: Vec<&String> = local.warnings.iter().collect();
    let mut theirs: Vec<&String> = remote.warnings.iter().collect();
    if opts.compare_infos {
        mine.extend(local.infos);
        theirs.extend(&remote.infos);
    }
    out.annotations_only_local = only_in(&mine, &theirs);
    out.annotations_only_remote = only_in(&theirs, &mine);
    out
}

/// The entries of `a` that `b` lacks, counting repeats.
fn only_in(a: &[&String], b: &[&String]) -> Vec<String> {
    let mut rest: Vec<&String> = b.to_vec();
    let mut out = Vec::new();
    for x in a {
        match rest.iter().position(|y| y == x) {
            Some(i) => {
                rest.swap_remove(i);
            }
            None => out.push((*x).clone()),
        }
    }
    out
}

/// Whether an instant query's result order is defined: its outermost function is one of the
/// sorting functions (otherwise Prometheus's order is not part of the answer).
pub fn is_sorted_query(query: &str) -> bool {
    let Ok(mut e) = promql::parse(query) else { return false };
    while let promql::Expr::Paren(p) = e {
        e = *p.expr;
    }
    matches!(&e, promql::Expr::Call(c) if matches!(c.func.name, "sort" | "sort_desc" | "sort_by_label" | "sort_by_label_desc"))
}

/// Whether a server version (`/api/v1/status/buildinfo`) reports infos apart from warnings
/// (Prometheus 3.0 and later; an unknown version is assumed to).
pub fn reports_infos(version: &str) -> bool {
    let major = version.split('.').next().and_then(|m| m.trim_start_matches('v').parse::<u32>().ok());
    !matches!(major, Some(0..=2))
}

#[cfg(test)]
mod tests {
    use super::*;
    use formats::export::VectorRow;
    use model::Labels;

    fn body(rows: &[(&str, &str)], warnings: &[&str]) -> String {
        let items: Vec<String> = rows
            .iter()
            .map(|(job, v)| format!("{{\"metric\":{{\"job\":\"{job}\"}},\"value\":[10,\"{v}\"]}}"))
            .collect();
        let w: Vec<String> = warnings.iter().map(|w| format!("\"{w}\"")).collect();
        format!(
            "{{\"status\":\"success\",\"data\":{{\"resultType\":\"vector\",\"result\":[{}]}},\"warnings\":[{}]}}",
            items.join(","),
            w.join(",")
        )
    }

    #[test]
    fn equal_and_different() {
        let a = Labels::from_pairs([("job", "a")]);
        let b = Labels::from_pairs([("job", "b")]);
        let rows = vec![VectorRow { labels: &a, t: 10_000, v: 1.0 }, VectorRow { labels: &b, t: 10_000, v: 2.0 }];
        let none: Vec<String> = Vec::new();
        let infos = vec!["PromQL info: x".to_string()];
        let local = || Ok(Local { result: ResultView::Vector(rows.clone()), warnings: &none, infos: &infos });
        let no_infos = CompareOptions { compare_infos: false, ..CompareOptions::default() };
        assert!(compare(local(), &body(&[("b", "2"), ("a", "1.0000000000001")], &[]), &no_infos).is_equal());
        let c = compare(local(), &body(&[("b", "2"), ("a", "1")], &[]), &CompareOptions::default());
        assert!(!c.is_equal());
        assert_eq!(c.annotations_only_local, ["PromQL info: x"]);
        let c = compare(local(), &body(&[("a", "1.5"), ("c", "1")], &["PromQL warning: w"]), &no_infos);
        let d = c.diff.clone().unwrap_or_default();
        assert_eq!(d.missing, [Labels::from_pairs([("job", "c")])]);
        assert_eq!(d.extra, [b]);
        assert_eq!(d.values.len(), 1);
        assert_eq!(c.annotations_only_remote, ["PromQL warning: w"]);
        assert!(!c.is_equal());
    }

    #[test]
    fn refusals() {
        let refused = r#"{"status":"error","errorType":"bad_data","error":"1:5: parse error"}"#;
        let c = compare(Err("1:5: parse error: local".into()), refused, &CompareOptions::default());
        assert!(c.is_equal());
        let none: Vec<String> = Vec::new();
        let local = Ok(Local { result: ResultView::Scalar { t: 0, v: 1.0 }, warnings: &none, infos: &none });
        let c = compare(local, refused, &CompareOptions::default());
        assert_eq!(c.remote.as_ref().err().map(String::as_str), Some("the server answered with an error: bad_data: 1:5: parse error"));
        assert!(!c.is_equal());
        let local = Ok(Local { result: ResultView::Scalar { t: 0, v: 1.0 }, warnings: &none, infos: &none });
        let c = compare(local, "<html>", &CompareOptions::default());
        assert!(c.remote.is_err_and(|e| e.contains("not JSON")));
    }

    #[test]
    fn sorted_queries_and_versions() {
        assert!(is_sorted_query("sort_desc(sum by (job) (up))"));
        assert!(is_sorted_query("(sort(x))"));
        assert!(!is_sorted_query("topk(3, x)"));
        assert!(!is_sorted_query("sort(x) + 1"));
        assert!(!reports_infos("2.42.0+ds"));
        assert!(reports_infos("3.5.0"));
        assert!(reports_infos("v3.0.0"));
        assert!(reports_infos(""));
    }
}
