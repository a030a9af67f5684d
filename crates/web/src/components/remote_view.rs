//! What the Remote view shows, as escaped HTML strings (as the relabel and cardinality panels
//! do, for size): the connection's status, the import's outcome, and the comparison: "equal", or
//! what differs (series on one side only, values beyond the tolerance, annotations only one side
//! reported, either side's error).

use std::fmt::Write as _;

use protocol::{CompareReply, ResultView};

use super::escape;
use crate::state::remote::{CompareStatus, Connection, ImportStatus, RemoteState};
use crate::state::{AppState, Tab};
use crate::timefmt::format_rfc3339_ms;

/// One status line: `<p id=… class=… role=…>text</p>`.
fn line(id: &str, class: &str, role: &str, text: &str) -> String {
    let mut out = format!(r#"<p id="{id}" class="{class}" role="{role}">"#);
    escape(&mut out, text);
    out.push_str("</p>");
    out
}

/// The connection's status under the server form.
pub fn connection_html(r: &RemoteState) -> String {
    match &r.conn {
        Connection::Idle => String::new(),
        Connection::Connecting => line("remote-status", "muted", "status", "Connecting…"),
        Connection::Connected { server, what } => {
            let tenant = server.tenant.as_ref().map(|t| format!(" as tenant {t}")).unwrap_or_default();
            let v = &r.vocab;
            let names = if v.metrics.is_empty() {
                String::new()
            } else {
                format!(
                    " Its {} metric names and {} label names complete in the query editor.",
                    v.metrics.len(),
                    v.labels.len()
                )
            };
            line("remote-status", "remote-ok", "status", &format!("Connected to {}{tenant}: {what}.{names}", server.base))
        }
        Connection::Failed(e) => line("remote-status", "error", "alert", e),
    }
}

/// How the last import ended.
pub fn import_html(r: &RemoteState) -> String {
    match &r.import {
        ImportStatus::Idle | ImportStatus::Running { .. } => String::new(),
        ImportStatus::Done(m) => line("remote-import-status", "remote-ok", "status", m),
        ImportStatus::Failed(m) => line("remote-import-status", "error", "alert", m),
    }
}

/// The query Compare runs, and how.
pub fn compared_query(s: &AppState) -> String {
    let how = match s.tab {
        Tab::Graph => "a range query with the Graph tab's end, range and step",
        _ => "an instant query at the table's evaluation time",
    };
    format!("{} — as {how}", s.query_text)
}

/// The comparison's state.
pub fn compare_out(c: &CompareStatus) -> String {
    match c {
        CompareStatus::Idle => String::new(),
        CompareStatus::Running(m) => line("remote-compare-running", "muted", "status", m),
        CompareStatus::Done(reply, what) => compare_html(reply, what),
        CompareStatus::Failed(e) => line("remote-compare-error", "error", "alert", e),
    }
}

/// Rows of a list beyond this are counted, not shown.
const SHOWN: usize = 50;

fn count(v: Option<&ResultView>) -> String {
    v.map_or_else(|| "no result".to_string(), ResultView::count_text)
}

fn list(out: &mut String, title: &str, class: &str, items: &[String]) {
    if items.is_empty() {
        return;
    }
    let _ = write!(out, r#"<h3>{title} ({})</h3><ul class="labels {class}">"#, items.len());
    for item in items.iter().take(SHOWN) {
        out.push_str("<li>");
        escape(out, item);
        out.push_str("</li>");
    }
    if items.len() > SHOWN {
        let _ = write!(out, "<li class=\"muted\">… and {} more</li>", items.len() - SHOWN);
    }
    out.push_str("</ul>");
}

/// What the comparison of `what` (`instant query at …`) found.
pub fn compare_html(r: &CompareReply, what: &str) -> String {
    let mut out = String::new();
    if r.equal {
        out.push_str(r#"<p id="remote-equal" class="remote-equal">Equal: "#);
        escape(&mut out, &count(r.local.as_ref()));
        out.push_str(" here and on the server, values within the tolerance, same annotations (");
        escape(&mut out, what);
        out.push_str(").</p>");
        return out;
    }
    out.push_str(r#"<div id="remote-diff"><p class="remote-differ">Different ("#);
    escape(&mut out, what);
    out.push_str("): here ");
    escape(&mut out, &count(r.local.as_ref()));
    out.push_str(", on the server ");
    escape(&mut out, &count(r.remote.as_ref()));
    out.push_str(".</p>");
    for (side, e) in [("Here", &r.local_error), ("On the server", &r.remote_error)] {
        if let Some(e) = e {
            let _ = write!(out, r#"<p class="error">{side}: "#);
            escape(&mut out, e);
            out.push_str("</p>");
        }
    }
    list(&mut out, "Only here", "only-local", &r.only_local);
    list(&mut out, "Only on the server", "only-remote", &r.only_remote);
    if !r.differing.is_empty() {
        let _ = write!(
            out,
            r#"<h3>Different values ({})</h3><table class="results remote-values"><thead><tr><th scope="col">Series</th><th scope="col">Time</th><th scope="col" class="num">Here</th><th scope="col" class="num">Server</th></tr></thead><tbody>"#,
            r.differing.len()
        );
        for d in r.differing.iter().take(SHOWN) {
            out.push_str("<tr><td>");
            escape(&mut out, &d.labels);
            let _ = write!(out, "</td><td>{}</td><td class=\"num\">", format_rfc3339_ms(d.time_ms));
            escape(&mut out, &d.local);
            out.push_str("</td><td class=\"num\">");
            escape(&mut out, &d.remote);
            out.push_str("</td></tr>");
        }
        out.push_str("</tbody></table>");
        if r.differing.len() > SHOWN {
            let _ = write!(out, "<p class=\"muted\">… and {} more</p>", r.differing.len() - SHOWN);
        }
    }
    list(&mut out, "Annotations only here", "only-local", &r.annotations_only_local);
    list(&mut out, "Annotations only on the server", "only-remote", &r.annotations_only_remote);
    out.push_str("</div>");
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::state::remote::Server;
    use protocol::ValueDifference;

    fn view(rows: usize) -> ResultView {
        ResultView {
            result_type: "vector".into(),
            rows: (0..rows)
                .map(|i| protocol::Row {
                    labels: format!("{{i=\"{i}\"}}"),
                    metric: None,
                    label_pairs: Vec::new(),
                    value: "1".into(),
                    points: Vec::new(),
                })
                .collect(),
            warnings: Vec::new(),
            infos: Vec::new(),
            time_ms: 0,
            range: None,
        }
    }

    #[test]
    fn equal_says_so() {
        let r = CompareReply { local: Some(view(3)), remote: Some(view(3)), equal: true, ..CompareReply::default() };
        let html = compare_html(&r, "instant query at 1970-01-01T00:00:00.000Z");
        assert!(html.starts_with(r#"<p id="remote-equal""#), "{html}");
        assert!(html.contains("Equal: 3 series here and on the server"), "{html}");
        assert!(!html.contains("remote-diff"));
    }

    #[test]
    fn differences_are_listed_and_escaped() {
        let r = CompareReply {
            local: Some(view(2)),
            remote: Some(view(1)),
            only_local: vec!["{a=\"<x>\"}".into()],
            differing: vec![ValueDifference {
                labels: "{b=\"1\"}".into(),
                time_ms: 1_000,
                local: "1".into(),
                remote: "1.5".into(),
            }],
            annotations_only_remote: vec!["PromQL info: metric might not be a counter".into()],
            remote_error: None,
            ..CompareReply::default()
        };
        let html = compare_html(&r, "w");
        assert!(html.starts_with(r#"<div id="remote-diff">"#), "{html}");
        assert!(html.contains("here 2 series, on the server 1 series"), "{html}");
        assert!(html.contains("<h3>Only here (1)</h3>"), "{html}");
        assert!(html.contains("{a=&quot;&lt;x&gt;&quot;}"), "{html}");
        assert!(!html.contains("Only on the server ("), "{html}");
        assert!(
            html.contains("<td>1970-01-01T00:00:01.000Z</td><td class=\"num\">1</td><td class=\"num\">1.5</td>"),
            "{html}"
        );
        assert!(html.contains("Annotations only on the server (1)"), "{html}");
    }

    #[test]
    fn status_lines() {
        let mut r = RemoteState::default();
        assert_eq!(connection_html(&r), "");
        r.conn = Connection::Failed("Could not reach <x>".into());
        assert_eq!(
            connection_html(&r),
            r#"<p id="remote-status" class="error" role="alert">Could not reach &lt;x&gt;</p>"#
        );
        r.conn =
            Connection::Connected { server: Server { base: "http://h".into(), ..Server::default() }, what: "Prometheus 2.42.0".into() };
        assert!(connection_html(&r).contains(">Connected to http://h: Prometheus 2.42.0.</p>"));
        if let Connection::Connected { server, .. } = &mut r.conn {
            server.tenant = Some("team-a|team-b".into());
        }
        assert!(connection_html(&r).contains(">Connected to http://h as tenant team-a|team-b: Prometheus"));
        r.vocab.metrics = vec!["up".into()];
        r.vocab.labels = vec!["job".into(), "__name__".into()];
        assert!(connection_html(&r).contains("Its 1 metric names and 2 label names complete"));
        r.import = ImportStatus::Failed("Import cancelled. The data is unchanged.".into());
        assert!(
            import_html(&r).starts_with(r#"<p id="remote-import-status" class="error" role="alert">Import cancelled."#)
        );
        assert_eq!(compare_out(&CompareStatus::Idle), "");
        assert!(compare_out(&CompareStatus::Failed("Connect to a server first.".into()))
            .contains(r#"id="remote-compare-error""#));
        let mut s = AppState::new("", "up");
        assert_eq!(compared_query(&s), "up — as an instant query at the table's evaluation time");
        s.tab = Tab::Graph;
        assert!(compared_query(&s).ends_with("Graph tab's end, range and step"));
    }

    #[test]
    fn errors_and_long_lists() {
        let r = CompareReply {
            local: Some(view(60)),
            remote_error: Some("bad_data: parse error".into()),
            only_local: (0..60).map(|i| i.to_string()).collect(),
            ..CompareReply::default()
        };
        let html = compare_html(&r, "w");
        assert!(html.contains(r#"<p class="error">On the server: bad_data: parse error</p>"#), "{html}");
        assert!(html.contains("on the server no result"), "{html}");
        assert!(html.contains("… and 10 more"), "{html}");
    }
}
