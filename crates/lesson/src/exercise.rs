//! One ```exercise block: its YAML read into a [`protocol::Exercise`], the solution checked (a
//! query must parse; relabel rules must load) and `ordered` decided, every error at its place in
//! the lesson file.

use protocol::{Exercise, RangeInput};
use relabel::yaml::{Node, Pos, Value};

use crate::markdown::to_html;
use crate::scan::Block;
use crate::yamlin::{check_id, entries, inner_pos, required, source_of, text, Origin};
use crate::Error;

const KEYS: [&str; 11] =
    ["id", "title", "task", "solution", "start", "hints", "time", "range", "ordered", "tolerance", "kind"];

/// The exercise and the file position of its id (for duplicate ids).
pub fn parse(block: &Block<'_>, lesson_time: &str) -> Result<(Exercise, (usize, usize)), Error> {
    let o = Origin { line: block.line + 1, indent: block.fence.indent };
    let root = o.parse(&block.text())?;
    if root.is_null() {
        return Err(Error::new(
            block.line,
            block.fence.indent + 1,
            "this exercise is empty: it needs id, title, task and solution",
        ));
    }
    let items = entries(&root, o, "exercise", &KEYS)?;
    let get = |k: &str| items.iter().find(|(n, _, _)| *n == k).map(|(_, _, v)| *v);
    // The line after a key's value: where the next key starts, or past the block's end.
    let end_of = |k: &str| {
        let i = items.iter().position(|(n, _, _)| *n == k).unwrap_or(items.len());
        items.get(i + 1).map(|(_, key, _)| key.pos.line).unwrap_or(block.lines.len() + 1)
    };
    let key_of = |k: &str| items.iter().find(|(n, _, _)| *n == k).map(|(_, key, _)| *key);
    let at = Pos { line: 1, col: 1 };
    let id = required(get("id"), o, at, "id", "an exercise")?;
    let id_node = get("id").unwrap_or(&root);
    check_id(&id, id_node, o)?;
    let id_pos = o.pos(id_node.pos);
    let title = required(get("title"), o, at, "title", "an exercise")?;
    if title.trim().contains('\n') {
        return Err(o.error(get("title").map_or(at, |v| v.pos), "`title` must be one line"));
    }
    let task = required(get("task"), o, at, "task", "an exercise")?;

    let relabel = match get("kind") {
        None => false,
        Some(v) => match text(v, o, "kind")?.as_deref().map(str::trim) {
            None | Some("query") => false,
            Some("relabel") => true,
            Some(other) => return Err(o.error(v.pos, format!("kind {other:?}: expected `query` or `relabel`"))),
        },
    };

    let mut ex =
        Exercise { id, title: title.trim().to_string(), relabel, task_html: to_html(&task), ..Exercise::default() };
    let Some(sol) = get("solution") else {
        return Err(o.error(at, "an exercise needs `solution:`"));
    };
    if relabel {
        let key = key_of("solution").unwrap_or(&root);
        let (rules, ro) = rules_text(sol, key, o, &block.lines, end_of("solution"))?;
        relabel::load(&rules, relabel::Section::Metric, None)
            .map_err(|e| ro.error(e.pos, format!("solution: {}", e.message)))?;
        ex.solution = rules;
        if let (Some(v), Some(key)) = (get("start"), key_of("start")) {
            ex.start = rules_text(v, key, o, &block.lines, end_of("start"))?.0;
        }
    } else {
        ex.solution = required(Some(sol), o, at, "solution", "an exercise")?.trim().to_string();
        if let Err(e) = promql::parse(&ex.solution) {
            let (line, col) = inner_pos(sol, o, &block.lines, e.line, e.col);
            return Err(Error::new(line, col, format!("solution: parse error: {}", e.message)));
        }
        if let Some(v) = get("start") {
            ex.start = text(v, o, "start")?.unwrap_or_default().trim_end().to_string();
        }
    }

    if let Some(v) = get("hints") {
        ex.hints = match &v.value {
            Value::Null => Vec::new(),
            Value::Seq(items) => {
                let mut hints = Vec::new();
                for h in items {
                    hints.push(to_html(&text(h, o, "hints")?.unwrap_or_default()));
                }
                hints
            }
            Value::Scalar { text, .. } => vec![to_html(text)],
            Value::Map(_) => return Err(o.error(v.pos, "`hints` must be a list of texts")),
        };
    }
    ex.time = match get("time") {
        Some(v) => time_value(v, o, "time")?,
        None => String::new(),
    };
    if ex.time.is_empty() {
        ex.time = lesson_time.to_string();
    }
    if let Some(v) = get("range") {
        let mut r = range(v, o)?;
        if r.end.is_empty() {
            r.end = lesson_time.to_string();
        }
        if relabel {
            return Err(o.error(v.pos, "a relabel exercise compares stored series at one time: `range` does not apply"));
        }
        ex.range = Some(r);
    }
    if let Some(v) = get("tolerance") {
        let t = text(v, o, "tolerance")?.unwrap_or_default();
        match t.trim().parse::<f64>() {
            Ok(x) if x.is_finite() && x >= 0.0 => ex.tolerance = Some(x),
            _ => {
                return Err(
                    o.error(v.pos, format!("tolerance {t:?}: expected a number ≥ 0 (a relative tolerance, like 1e-6)"))
                )
            }
        }
    }
    ex.ordered = Some(match get("ordered") {
        Some(v) => match text(v, o, "ordered")?.as_deref().map(str::trim) {
            Some("true") => true,
            Some("false") => false,
            _ => return Err(o.error(v.pos, "`ordered` must be true or false")),
        },
        None => !relabel && crate::sorts_result(&ex.solution),
    });
    Ok((ex, id_pos))
}

/// A relabel exercise's rules: a YAML list written in place (kept as written, comments
/// included) or a text; and where that text's line 1, column 1 is in the file.
fn rules_text(v: &Node, key: &Node, o: Origin, lines: &[&str], end_line: usize) -> Result<(String, Origin), Error> {
    match &v.value {
        Value::Null => Ok((String::new(), o)),
        Value::Seq(_) | Value::Map(_) => {
            let (text, inner) = source_of(v, key, lines, end_line);
            Ok((text, Origin { line: o.line + inner.line - 1, indent: o.indent + inner.indent }))
        }
        Value::Scalar { text, .. } => {
            // A block scalar (`|`) starts on the line after its key, at its node's column.
            let (line, col) = inner_pos(v, o, lines, 1, 1);
            Ok((text.clone(), Origin { line, indent: col - 1 }))
        }
    }
}

fn time_value(v: &Node, o: Origin, key: &str) -> Result<String, Error> {
    let t = text(v, o, key)?.unwrap_or_default().trim().to_string();
    if !t.is_empty() {
        model::timearg::parse_time(&t).map_err(|e| o.error(v.pos, format!("{key}: {e}")))?;
    }
    Ok(t)
}

fn range(v: &Node, o: Origin) -> Result<RangeInput, Error> {
    let mut r = RangeInput::default();
    if v.is_null() {
        return Ok(r);
    }
    for (name, _, val) in entries(v, o, "range", &["end", "range", "step"])? {
        if name == "end" {
            r.end = time_value(val, o, "end")?;
            continue;
        }
        let d = text(val, o, name)?.unwrap_or_default().trim().to_string();
        if !d.is_empty() {
            match model::timearg::parse_duration_arg(&d) {
                Ok(ms) if ms > 0 => {}
                Ok(_) => return Err(o.error(val.pos, format!("{name}: must be positive"))),
                Err(e) => return Err(o.error(val.pos, format!("{name}: {e}"))),
            }
        }
        if name == "range" {
            r.range = d;
        } else {
            r.step = d;
        }
    }
    Ok(r)
}
