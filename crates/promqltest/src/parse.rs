//! Reads a `.test` file into a [`Script`] with the reference runner's grammar and quirks
//! (PROMQLTEST_FORMAT.md sections 1-6): the whole file is parsed before anything runs, and
//! any syntax error fails the file at its line.

use std::fmt;
use std::sync::OnceLock;

use model::{parse_duration, Labels};
use model::goregex::Regex;

use crate::numbers::parse_go_number;
use crate::script::{Command, Eval, EvalKind, Expectations, ExpectedSeries, Load, LoadSeries, MsgMatch, Script};
use crate::st::parse_start_offsets;

/// A syntax error that fails the whole file; `line` is 1-based.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseFileError {
    pub line: usize,
    pub message: String,
}

impl fmt::Display for ParseFileError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.line, self.message)
    }
}

type Res<T> = Result<T, ParseFileError>;

fn err<T>(line: usize, message: impl Into<String>) -> Res<T> {
    Err(ParseFileError { line, message: message.into() })
}

struct Patterns {
    load: Regex,
    instant: Regex,
    range: Regex,
    expect: Regex,
    range_vector: Regex,
    string: Regex,
}

/// The header and body patterns of the reference runner (the spec quotes them), compiled once.
fn patterns() -> Option<&'static Patterns> {
    static P: OnceLock<Option<Patterns>> = OnceLock::new();
    P.get_or_init(|| {
        Some(Patterns {
            load: Regex::new(r"^load(?:_(with_nhcb))?\s+(.+?)$").ok()?,
            instant: Regex::new(r"^eval(?:_(fail|warn|ordered|info))?\s+instant\s+(?:at\s+(.+?))?\s+(.+)$").ok()?,
            range: Regex::new(r"^eval(?:_(fail|warn|info))?\s+range\s+from\s+(.+)\s+to\s+(.+)\s+step\s+(.+?)\s+(.+)$")
                .ok()?,
            expect: Regex::new(r"^expect\s+(ordered|fail|warn|no_warn|info|no_info)(?:\s+(regex|msg):(.+))?$").ok()?,
            range_vector: Regex::new(r"^expect\s+range\s+vector\s+from\s+(\S+)\s+to\s+(\S+)\s+step\s+(\S+)$").ok()?,
            string: Regex::new(r"^expect\s+string\s+(.+)$").ok()?,
        })
    })
    .as_ref()
}

/// Parses a whole file.
pub fn parse_script(text: &str) -> Res<Script> {
    let Some(p) = patterns() else { return err(1, "internal error: bad runner pattern") };
    // Trimmed lines; a line starting with `#` is empty, and so ends any block.
    let lines: Vec<&str> =
        text.split('\n').map(|l| l.trim()).map(|l| if l.starts_with('#') { "" } else { l }).collect();
    let mut commands = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        let l = lines[i];
        if l.is_empty() {
            i += 1;
            continue;
        }
        let word = l.split_whitespace().next().unwrap_or("").to_lowercase();
        if word == "clear" {
            commands.push(Command::Clear { line: i + 1 });
            i += 1;
        } else if word.starts_with("load") {
            let (load, next) = parse_load(p, &lines, i)?;
            commands.push(Command::Load(load));
            i = next;
        } else if word.starts_with("eval") {
            let (eval, next) = parse_eval(p, &lines, i)?;
            commands.push(Command::Eval(Box::new(eval)));
            i = next;
        } else {
            return err(i + 1, format!("invalid command {l:?}"));
        }
    }
    Ok(Script { commands })
}

fn duration(line: usize, what: &str, s: &str) -> Res<i64> {
    parse_duration(s).or_else(|e| err(line, format!("invalid {what} {s:?}: {e}")))
}

/// Index of the first empty line at or after `from` (the end of a block).
fn block_end(lines: &[&str], from: usize) -> usize {
    (from..lines.len()).find(|&j| lines[j].is_empty()).unwrap_or(lines.len())
}

fn parse_load(p: &Patterns, lines: &[&str], i: usize) -> Res<(Load, usize)> {
    let line = i + 1;
    let Some(c) = p.load.captures(lines[i]) else { return err(line, format!("invalid load command {:?}", lines[i])) };
    let with_nhcb = c.get(1).is_some();
    let interval = duration(line, "load interval", c.get(2).unwrap_or(""))?;
    let end = block_end(lines, i + 1);
    let mut series: Vec<LoadSeries> = Vec::new();
    let mut pending_st: Option<(usize, Labels, Vec<Option<i64>>)> = None;
    for (j, &text) in lines.iter().enumerate().take(end).skip(i + 1) {
        let first = text.split([' ', '\t']).next().unwrap_or("");
        if let Some(name) = first.strip_suffix("@st") {
            if let Some((st_line, _, _)) = pending_st {
                return err(st_line, "@st line is not followed by a sample line");
            }
            let labels = series_labels(j + 1, name)?;
            let offsets = parse_start_offsets(&text[first.len()..]).or_else(|e| err(j + 1, e))?;
            pending_st = Some((j + 1, labels, offsets));
            continue;
        }
        let (labels, values) = promql::parse_series_description(text).or_else(|e| err(j + 1, e.to_string()))?;
        let start_offsets = match pending_st.take() {
            None => None,
            Some((st_line, st_labels, offsets)) => {
                if st_labels != labels {
                    return err(st_line, format!("@st labels {st_labels} do not match the next series {labels}"));
                }
                if offsets.len() != values.len() {
                    return err(
                        st_line,
                        format!("@st line has {} values but the series line has {}", offsets.len(), values.len()),
                    );
                }
                Some(offsets)
            }
        };
        let s = LoadSeries { line: j + 1, labels, values, start_offsets };
        // The last line wins for a repeated label set.
        match series.iter_mut().find(|o| o.labels == s.labels) {
            Some(old) => *old = s,
            None => series.push(s),
        }
    }
    if let Some((st_line, _, _)) = pending_st {
        return err(st_line, "@st line is not followed by a sample line");
    }
    Ok((Load { line, interval, with_nhcb, series }, end))
}

fn series_labels(line: usize, text: &str) -> Res<Labels> {
    let (labels, values) = promql::parse_series_description(text).or_else(|e| err(line, e.to_string()))?;
    if !values.is_empty() {
        return err(line, "unexpected values before @st");
    }
    Ok(labels)
}

fn parse_eval(p: &Patterns, lines: &[&str], i: usize) -> Res<(Eval, usize)> {
    let line = i + 1;
    let header = lines[i];
    let mut expect = Expectations::default();
    let (modifier, kind, expr_text) = if let Some(c) = p.instant.captures(header) {
        let Some(at) = c.get(2) else { return err(line, "instant eval needs \"at <time>\"") };
        let at = duration(line, "evaluation time", at)?;
        (c.get(1), EvalKind::Instant { at }, c.get(3).unwrap_or(""))
    } else if let Some(c) = p.range.captures(header) {
        let get = |k: usize| c.get(k).unwrap_or("");
        let start = duration(line, "range start", get(2))?;
        let end = duration(line, "range end", get(3))?;
        let step = duration(line, "range step", get(4))?;
        if end < start {
            return err(line, "invalid test definition, end timestamp is before start timestamp");
        }
        (c.get(1), EvalKind::Range { start, end, step }, get(5))
    } else {
        return err(line, format!("invalid evaluation command {header:?}"));
    };
    match modifier {
        Some("fail") => expect.fail = Some(MsgMatch::Any),
        Some("warn") => expect.any_warn = true,
        Some("info") => expect.any_info = true,
        Some("ordered") => expect.ordered = true,
        _ => {}
    }
    let expr =
        promql::parse(expr_text).or_else(|e| err(line, format!("could not parse expression {expr_text:?}: {e}")))?;
    let instant = matches!(kind, EvalKind::Instant { .. });
    let legacy_fail = modifier == Some("fail");
    let mut saw_fail = false;
    let mut pos = 0;
    let mut j = i + 1;
    while j < lines.len() && !lines[j].is_empty() {
        let text = lines[j];
        let ln = j + 1;
        j += 1;
        if legacy_fail {
            // Quirk: a legacy message line ends the body.
            if let Some(m) = text.strip_prefix("expected_fail_message ") {
                expect.fail = Some(MsgMatch::Exact(m.trim().to_string()));
                break;
            }
            if let Some(r) = text.strip_prefix("expected_fail_regexp ") {
                expect.fail = Some(MsgMatch::Regex(Box::new(compile(ln, r.trim())?)));
                break;
            }
        }
        if let Some(c) = p.range_vector.captures(text) {
            if !instant {
                return err(ln, "expect range vector can only be used with instant evals");
            }
            let get = |k: usize| c.get(k).unwrap_or("");
            let (from, to, step) = (
                duration(ln, "range start", get(1))?,
                duration(ln, "range end", get(2))?,
                duration(ln, "range step", get(3))?,
            );
            if to < from || step <= 0 {
                return err(ln, "invalid expect range vector");
            }
            expect.range_vector = Some((from, to, step));
            continue;
        }
        if let Some(c) = p.string.captures(text) {
            let quoted = c.get(1).unwrap_or("").trim();
            match promql::parse(quoted) {
                Ok(promql::Expr::StringLiteral(s)) => expect.string = Some(s.value),
                _ => return err(ln, format!("invalid expect string {quoted:?}")),
            }
            continue;
        }
        if text.split(' ').next() == Some("expect") {
            let Some(c) = p.expect.captures(text) else { return err(ln, format!("invalid expect statement {text:?}")) };
            let what = c.get(1).unwrap_or("");
            let msg = match (c.get(2), c.get(3).map(str::trim)) {
                (Some("msg"), Some(t)) => MsgMatch::Exact(t.to_string()),
                (Some("regex"), Some(t)) => MsgMatch::Regex(Box::new(compile(ln, t)?)),
                _ => MsgMatch::Any,
            };
            match what {
                "ordered" => expect.ordered = true,
                "fail" => {
                    if saw_fail {
                        return err(ln, "more than one expect fail statement");
                    }
                    saw_fail = true;
                    expect.fail = Some(msg);
                }
                "warn" => expect.warn.push(msg),
                "no_warn" => expect.no_warn = true,
                "info" => expect.info.push(msg),
                _ => expect.no_info = true,
            }
            if expect.no_warn && !expect.warn.is_empty() {
                return err(ln, "invalid expect lines, warn and no_warn cannot be used together");
            }
            if expect.no_info && !expect.info.is_empty() {
                return err(ln, "invalid expect lines, info and no_info cannot be used together");
            }
            continue;
        }
        if let Some(v) = parse_go_number(text) {
            // Quirk: a scalar line ends the body.
            expect.scalar = Some(v);
            break;
        }
        let (labels, values) = promql::parse_series_description(text).or_else(|e| err(ln, e.to_string()))?;
        if instant && expect.range_vector.is_none() && values.len() > 1 {
            return err(ln, format!("expecting multiple values in instant evaluation not allowed: {text:?}"));
        }
        pos += 1;
        let s = ExpectedSeries { labels, pos, values };
        match expect.series.iter_mut().find(|o| o.labels == s.labels) {
            Some(old) => *old = s,
            None => expect.series.push(s),
        }
    }
    Ok((Eval { line, expr_text: expr_text.to_string(), expr, kind, expect }, j))
}

fn compile(line: usize, re: &str) -> Res<Regex> {
    Regex::unanchored(re).or_else(|e| err(line, format!("invalid regex {re:?}: {e}")))
}
