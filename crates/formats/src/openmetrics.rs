//! OpenMetrics 1.0 text: `# HELP`/`# TYPE`/`# UNIT` metadata, sample lines with single-space
//! separators, float-second timestamps, exemplars after ` # `, and a final `# EOF`.
//!
//! `_created` samples (counters, histograms, summaries) are kept as ordinary samples. Prometheus
//! 3.x can instead turn them into created timestamps (zero samples) when that feature is on;
//! a playground is more useful showing what the exposition actually said.

use crate::builder::{Builder, Dialect, RawExemplar, RawSample};
use crate::error::ParseError;
use crate::families::Meta;
use crate::fast;
use crate::float::parse_go_float;
use crate::scan::{
    err, next_line, unescape_label, Blanks, Cursor, LineResult, RawLabel, RawSeries,
};
use crate::series::{Resolved, SeriesTable};
use crate::text::crlf_hint;
use crate::timestamp::parse_seconds_to_ms;
use crate::types::{Exposition, MetricType};

/// OpenMetrics caps an exemplar's label set (names and values together) at 128 characters.
const EXEMPLAR_MAX_LABEL_CHARS: usize = 128;

enum Line<'a> {
    Meta {
        meta: Meta,
        name: String,
        name_pos: usize,
        text: String,
        text_pos: usize,
    },
    Sample(RawSample<'a>),
}

pub(crate) fn run(input: &str, lenient: bool) -> (Exposition, Vec<ParseError>) {
    let mut b = Builder::new(Dialect::OpenMetrics, lenient, input.len());
    let mut labels: Vec<RawLabel<'_>> = Vec::new();
    let mut eof = false;
    let mut line_count = 0;
    let mut pos = 0;
    while pos < input.len() {
        let line_no = line_count + 1;
        line_count = line_no;
        if !eof {
            if let Some(next) =
                fast::known_sample(&mut b, input, pos, line_no, Dialect::OpenMetrics)
            {
                pos = next;
                continue;
            }
        }
        let line = next_line(input, &mut pos);
        if eof {
            // Reported once, even in lenient mode: nothing after `# EOF` is part of the exposition.
            b.fail_at(line_no, 1, "unexpected data after # EOF");
            return b.finish();
        }
        if line == "# EOF" {
            eof = true;
            continue;
        }
        labels.clear();
        let res = parse_line(line, &b.series, &mut labels)
            .and_then(|parsed| apply(&mut b, line_no, parsed, &labels));
        if let Err(e) = res {
            if !b.fail(line_no, line, e) {
                return b.finish();
            }
        }
    }
    if !eof {
        let (line, col) = match input.rsplit_once('\n') {
            _ if input.is_empty() => (1, 1),
            Some((_, "")) => (line_count + 1, 1),
            Some((_, last)) => (line_count, last.chars().count() + 1),
            None => (1, input.chars().count() + 1),
        };
        b.fail_at(line, col, "data does not end with # EOF");
    }
    b.finish()
}

fn apply<'a>(
    b: &mut Builder<'a>,
    line_no: usize,
    parsed: Line<'a>,
    labels: &[RawLabel<'a>],
) -> LineResult<()> {
    match parsed {
        Line::Meta {
            meta,
            name,
            name_pos,
            text,
            text_pos,
        } => {
            if meta == Meta::Type && MetricType::from_openmetrics(&text).is_none() {
                return err(text_pos, format!("invalid metric type {text:?}"));
            }
            b.families
                .om_meta(&name, meta, &text)
                .or_else(|m| err(name_pos, m))
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
    match c.peek() {
        None => err(0, "empty line: OpenMetrics does not allow blank lines"),
        Some(b'#') => parse_meta(c),
        Some(_) => parse_sample(&mut c, known, labels).map(Line::Sample),
    }
}

fn parse_meta(mut c: Cursor<'_>) -> LineResult<Line<'_>> {
    let meta = if c.rest().starts_with("# HELP ") {
        Meta::Help
    } else if c.rest().starts_with("# TYPE ") {
        Meta::Type
    } else if c.rest().starts_with("# UNIT ") {
        Meta::Unit
    } else {
        return err(
            0,
            "invalid comment: OpenMetrics allows only # HELP, # TYPE, # UNIT and # EOF lines",
        );
    };
    c.pos = 7;
    let word = meta.word();
    let name_pos = c.pos;
    let name = if c.peek() == Some(b'"') {
        let (n, esc) = c.quoted()?;
        if esc {
            unescape_label(n)
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
                "expected metric name after {word}, got {}",
                c.describe(name_pos)
            ),
        );
    }
    if !c.eat(b' ') {
        return err(
            c.pos,
            format!("expected text in {word}, got {}", c.describe(c.pos)),
        );
    }
    let text_pos = c.pos;
    let raw = c.rest();
    let text = match meta {
        Meta::Help => unescape_label(raw),
        Meta::Type | Meta::Unit => raw.to_string(),
    };
    if meta == Meta::Unit && !text.is_empty() {
        let ok = name
            .strip_suffix(text.as_str())
            .is_some_and(|base| base.len() > 1 && base.ends_with('_'));
        if !ok {
            return err(
                text_pos,
                format!("unit {text:?} not a suffix of metric {name:?}"),
            );
        }
    }
    Ok(Line::Meta {
        meta,
        name,
        name_pos,
        text,
        text_pos,
    })
}

fn parse_sample<'a>(
    c: &mut Cursor<'a>,
    table: &SeriesTable<'a>,
    labels: &mut Vec<RawLabel<'a>>,
) -> LineResult<RawSample<'a>> {
    let mut series = RawSeries::default();
    if c.peek() != Some(b'{') {
        let name = c.metric_name();
        if name.is_empty() {
            return err(
                0,
                format!("expected a valid start token, got {}", c.describe(0)),
            );
        }
        series = RawSeries {
            text: "",
            name,
            name_esc: false,
            name_pos: 0,
            has_name: true,
        };
    }
    let mut known = None;
    if c.peek() == Some(b'{') {
        let brace = c.pos;
        if c.skip_label_set() {
            known = table.cached(c.slice(0, c.pos));
        }
        if known.is_none() {
            c.pos = brace;
            c.label_set(Blanks::Forbidden, &mut series, labels)?;
            if !series.has_name {
                return err(0, "metric name not set");
            }
        }
    } else {
        known = table.cached(c.slice(0, c.pos));
    }
    series.text = c.slice(0, c.pos);
    sample_tail(c, series, known)
}

/// The value, optional timestamp and optional exemplar after the series text.
fn sample_tail<'a>(
    c: &mut Cursor<'a>,
    series: RawSeries<'a>,
    known: Option<Resolved>,
) -> LineResult<RawSample<'a>> {
    let value = space_then_float(c, "metric")?;
    let mut timestamp_ms = None;
    let mut exemplar = None;
    if c.eat(b' ') {
        if c.peek() == Some(b'#') {
            exemplar = Some(parse_exemplar(c)?);
        } else {
            timestamp_ms = Some(timestamp(c)?);
            if c.eat(b' ') {
                exemplar = Some(parse_exemplar(c)?);
            }
        }
    }
    if !c.at_end() {
        return err(
            c.pos,
            format!(
                "expected timestamp, exemplar or end of line, got {}",
                c.describe(c.pos)
            ),
        );
    }
    Ok(RawSample {
        series,
        known,
        value,
        timestamp_ms,
        exemplar,
    })
}

/// ` value`: exactly one space, then a float up to the next space or the end.
fn space_then_float(c: &mut Cursor<'_>, after: &str) -> LineResult<f64> {
    if !c.eat(b' ') || matches!(c.peek(), None | Some(b' ')) {
        return err(
            c.pos,
            format!("expected value after {after}, got {}", c.describe(c.pos)),
        );
    }
    let pos = c.pos;
    let tok = take_token(c);
    parse_go_float(tok).or_else(|m| err(pos, crlf_hint(tok, m)))
}

fn timestamp(c: &mut Cursor<'_>) -> LineResult<i64> {
    let pos = c.pos;
    let tok = take_token(c);
    if tok.is_empty() {
        return err(pos, format!("expected timestamp, got {}", c.describe(pos)));
    }
    parse_seconds_to_ms(tok).or_else(|m| err(pos, crlf_hint(tok, m)))
}

fn take_token<'a>(c: &mut Cursor<'a>) -> &'a str {
    let start = c.pos;
    while matches!(c.peek(), Some(b) if b != b' ') {
        c.pos += 1;
    }
    c.slice(start, c.pos)
}

/// `# {labels} value [timestamp]`, the cursor on the `#`.
fn parse_exemplar<'a>(c: &mut Cursor<'a>) -> LineResult<RawExemplar<'a>> {
    if !c.eat(b'#') || !c.eat(b' ') || c.peek() != Some(b'{') {
        return err(
            c.pos,
            format!(
                "expected exemplar (\" # {{labels}} value\"), got {}",
                c.describe(c.pos)
            ),
        );
    }
    let set_start = c.pos;
    let mut labels = Vec::new();
    let mut name = RawSeries::default();
    c.label_set(Blanks::Forbidden, &mut name, &mut labels)?;
    if name.has_name {
        return err(
            name.name_pos,
            "expected label name, got a bare quoted string in exemplar labels",
        );
    }
    let chars: usize = labels
        .iter()
        .map(|l| l.name.chars().count() + l.value.chars().count())
        .sum();
    if chars > EXEMPLAR_MAX_LABEL_CHARS {
        return err(
            set_start,
            format!("exemplar labels have {chars} characters, exceeding the limit of {EXEMPLAR_MAX_LABEL_CHARS}"),
        );
    }
    let value = space_then_float(c, "exemplar labels")?;
    let timestamp_ms = if c.eat(b' ') {
        Some(timestamp(c)?)
    } else {
        None
    };
    Ok(RawExemplar {
        labels,
        value,
        timestamp_ms,
    })
}
