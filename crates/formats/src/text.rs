//! Prometheus text format 0.0.4, as Prometheus 3.x scrapes it: `# HELP`/`# TYPE` lines, other
//! `#` lines as comments, sample lines `name{labels} value [timestamp_ms]`, blanks (spaces and
//! tabs) between tokens, and Prometheus 3.x's quoted UTF-8 names inside the braces.

use crate::builder::{Builder, Dialect, RawSample};
use crate::error::ParseError;
use crate::fast;
use crate::float::parse_go_float;
use crate::scan::{err, next_line, unescape_help, Blanks, Cursor, LineResult, RawLabel, RawSeries};
use crate::series::{Resolved, SeriesTable};
use crate::timestamp::parse_ms;
use crate::types::{Exposition, MetricType};

enum Line<'a> {
    Skip,
    Help {
        name: String,
        name_pos: usize,
        text: String,
    },
    Type {
        name: String,
        name_pos: usize,
        kind: MetricType,
    },
    Sample(RawSample<'a>),
}

pub(crate) fn run(input: &str, lenient: bool) -> (Exposition, Vec<ParseError>) {
    let (exp, errors, _) = run_detecting(input, lenient, false);
    (exp, errors)
}

/// Parses as text 0.0.4 unless the input turns out to be OpenMetrics by [`crate::detect`]'s
/// rule, which is then decided here, along the way, instead of in a separate pass over
/// the whole input first. `None` when it is OpenMetrics.
pub(crate) fn run_unless_openmetrics(
    input: &str,
    lenient: bool,
) -> Option<(Exposition, Vec<ParseError>)> {
    match run_detecting(input, lenient, true) {
        (exp, errors, false) => Some((exp, errors)),
        (_, _, true) => None,
    }
}

/// The parse, and whether `detecting` found the input to be OpenMetrics.
fn run_detecting(
    input: &str,
    lenient: bool,
    mut detecting: bool,
) -> (Exposition, Vec<ParseError>, bool) {
    let mut b = Builder::new(Dialect::Text, lenient, input.len());
    let mut labels: Vec<RawLabel<'_>> = Vec::new();
    let mut pos = 0;
    let mut line_no = 0;
    while pos < input.len() {
        line_no += 1;
        if let Some(next) = fast::known_sample(&mut b, input, pos, line_no, Dialect::Text) {
            pos = next;
            continue;
        }
        let line = next_line(input, &mut pos);
        // Only such comment lines can make `detect` choose OpenMetrics; let it decide, once.
        if detecting && (line.starts_with("# EOF") || line.starts_with("# UNIT ")) {
            if crate::detect(input) == crate::Format::OpenMetrics {
                return (Exposition::default(), Vec::new(), true);
            }
            detecting = false;
        }
        labels.clear();
        let res = parse_line(line, &b.series, &mut labels)
            .and_then(|parsed| apply(&mut b, line_no, parsed, &labels));
        if let Err(e) = res {
            if !b.fail(line_no, line, e) {
                // Lines after the error were not looked at.
                if detecting && crate::detect(input) == crate::Format::OpenMetrics {
                    return (Exposition::default(), Vec::new(), true);
                }
                break;
            }
        }
    }
    let (exp, errors) = b.finish();
    (exp, errors, false)
}

fn apply<'a>(
    b: &mut Builder<'a>,
    line_no: usize,
    parsed: Line<'a>,
    labels: &[RawLabel<'a>],
) -> LineResult<()> {
    match parsed {
        Line::Skip => Ok(()),
        Line::Help {
            name,
            name_pos,
            text,
        } => b
            .families
            .text_help(&name, text)
            .or_else(|m| err(name_pos, m)),
        Line::Type {
            name,
            name_pos,
            kind,
        } => {
            b.families
                .text_type(&name, kind)
                .or_else(|m| err(name_pos, m))?;
            // Which family `x_bucket` belongs to, and whether its `le` is normalised, may
            // have just changed.
            b.series.invalidate_text_cache();
            Ok(())
        }
        Line::Sample(s) => b.sample(line_no, s, labels),
    }
}

fn parse_line<'a>(
    line: &'a str,
    known: &SeriesTable<'a>,
    labels: &mut Vec<RawLabel<'a>>,
) -> LineResult<Line<'a>> {
    let mut c = Cursor::new(line);
    c.skip_blanks();
    match c.peek() {
        None => Ok(Line::Skip),
        Some(b'#') => parse_comment(c),
        Some(_) => parse_sample(c, known, labels).map(Line::Sample),
    }
}

/// `# HELP name text`, `# TYPE name type`; any other `#` line is a comment.
fn parse_comment(mut c: Cursor<'_>) -> LineResult<Line<'_>> {
    c.eat(b'#');
    c.skip_blanks();
    let word = c.take_until_blank(&[]);
    let is_help = word == "HELP";
    if !(is_help || word == "TYPE") || c.skip_blanks() == 0 {
        return Ok(Line::Skip);
    }
    let meta = if is_help { "HELP" } else { "TYPE" };
    let name_pos = c.pos;
    let name = if c.peek() == Some(b'"') {
        let (n, esc) = c.quoted()?;
        if esc {
            crate::scan::unescape_label(n)
        } else {
            n.to_string()
        }
    } else {
        c.metric_name().to_string()
    };
    if name.is_empty() {
        return err(
            name_pos,
            format!(
                "expected metric name after {meta}, got {}",
                c.describe(name_pos)
            ),
        );
    }
    // Exactly one blank separates the name from the text; more belong to the text.
    let text = match c.peek() {
        None => "",
        Some(b' ' | b'\t') => c.slice(c.pos + 1, c.s.len()),
        Some(_) => {
            return err(
                c.pos,
                format!("expected text in {meta}, got {}", c.describe(c.pos)),
            )
        }
    };
    if is_help {
        return Ok(Line::Help {
            name,
            name_pos,
            text: unescape_help(text),
        });
    }
    match MetricType::from_text(text) {
        Some(kind) => Ok(Line::Type {
            name,
            name_pos,
            kind,
        }),
        None => err(c.pos + 1, format!("invalid metric type {text:?}")),
    }
}

fn parse_sample<'a>(
    mut c: Cursor<'a>,
    table: &SeriesTable<'a>,
    labels: &mut Vec<RawLabel<'a>>,
) -> LineResult<RawSample<'a>> {
    let start = c.pos;
    let mut series = RawSeries::default();
    if c.peek() != Some(b'{') {
        let name = c.metric_name();
        if name.is_empty() {
            return err(
                start,
                format!("{} is not a valid start token", c.describe(start)),
            );
        }
        series = RawSeries {
            text: "",
            name,
            name_esc: false,
            name_pos: start,
            has_name: true,
        };
    }
    let after_name = c.pos;
    c.skip_blanks();
    let mut known = None;
    if c.peek() == Some(b'{') {
        let brace = c.pos;
        if c.skip_label_set() {
            known = table.cached(c.slice(start, c.pos));
        }
        if known.is_none() {
            c.pos = brace;
            c.label_set(Blanks::Allowed, &mut series, labels)?;
            if !series.has_name {
                return err(start, "metric name not set");
            }
        }
    } else {
        c.pos = after_name;
        known = table.cached(c.slice(start, c.pos));
    }
    series.text = c.slice(start, c.pos);
    if known.is_some() {
        series.name_pos = start;
    }
    sample_tail(c, series, known)
}

/// The value and optional timestamp after the series text.
fn sample_tail<'a>(
    mut c: Cursor<'a>,
    series: RawSeries<'a>,
    known: Option<Resolved>,
) -> LineResult<RawSample<'a>> {
    if c.skip_blanks() == 0 || c.at_end() {
        return err(
            c.pos,
            format!("expected value after metric, got {}", c.describe(c.pos)),
        );
    }
    let value_pos = c.pos;
    let value_text = c.take_until_blank(&[]);
    let value = parse_go_float(value_text).or_else(|m| err(value_pos, crlf_hint(value_text, m)))?;
    c.skip_blanks();
    let mut timestamp_ms = None;
    if !c.at_end() {
        let ts_pos = c.pos;
        let ts_text = c.take_until_blank(&[]);
        timestamp_ms = Some(parse_ms(ts_text).or_else(|m| err(ts_pos, crlf_hint(ts_text, m)))?);
        c.skip_blanks();
        if !c.at_end() {
            return err(
                c.pos,
                format!(
                    "expected next entry after timestamp, got {}",
                    c.describe(c.pos)
                ),
            );
        }
    }
    Ok(RawSample {
        series,
        known,
        value,
        timestamp_ms,
        exemplar: None,
    })
}

/// A token ending in `\r` is almost always a file with Windows line endings; say so.
pub(crate) fn crlf_hint(tok: &str, msg: String) -> String {
    if tok.ends_with('\r') {
        format!("{msg} (the line ends in \\r: CRLF line endings are not allowed)")
    } else {
        msg
    }
}
