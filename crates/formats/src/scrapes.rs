//! Several scrapes pasted as one text, so a single paste can hold a timeline (a counter
//! growing, a reset, a series disappearing) without writing timestamps on every line.
//!
//! The text is cut into scrapes at separator lines:
//! - `# SCRAPE` starts a scrape at the next slot of the timeline (see [`place_scrapes`]);
//! - `# SCRAPE <unix seconds>` (fractional allowed, e.g. `# SCRAPE 1700000015.5`) starts a
//!   scrape at that time;
//! - `---` is the same as a bare `# SCRAPE`.
//!
//! Text without separators is one scrape. Each scrape is parsed on its own (text 0.0.4 or
//! OpenMetrics, detected per scrape, so every OpenMetrics scrape ends with its own `# EOF`);
//! errors and sample lines are numbered in the whole text. Samples with their own timestamps
//! keep them: a scrape's time only applies to samples without one. In text 0.0.4 a
//! `# SCRAPE` line is an ordinary comment, so a file with separators is still valid
//! exposition text for other tools (`---` is not).

use crate::timestamp::parse_seconds_to_ms;
use crate::{parse_auto, Exposition, ParseError};

/// One scrape of a pasted timeline.
#[derive(Clone, Debug, PartialEq)]
pub struct Scrape {
    /// The time its separator gave, in ms; `None` when it is placed on the fixed interval.
    pub time: Option<i64>,
    pub exposition: Exposition,
    /// 1-based line of its first line (the separator, if any).
    pub line: usize,
}

enum Line {
    Separator(Option<i64>),
    Content,
}

fn classify(line: &str, number: usize) -> Result<Line, ParseError> {
    let l = line.trim_end_matches('\r').trim();
    if l == "---" {
        return Ok(Line::Separator(None));
    }
    let Some(rest) = l.strip_prefix("# SCRAPE") else {
        return Ok(Line::Content);
    };
    let arg = rest.trim();
    if !rest.is_empty() && !rest.starts_with([' ', '\t']) {
        return Ok(Line::Content);
    }
    if arg.is_empty() {
        return Ok(Line::Separator(None));
    }
    parse_seconds_to_ms(arg).map(|t| Line::Separator(Some(t))).map_err(|e| {
        let col = line.find(arg).map_or(1, |i| line[..i].chars().count() + 1);
        ParseError::new(number, col, format!("# SCRAPE takes unix seconds: {e}"))
    })
}

/// Cuts `input` at its separator lines and parses every scrape. Parts holding only blank
/// lines are dropped.
pub fn split_scrapes(input: &str) -> Result<Vec<Scrape>, ParseError> {
    let mut out = Vec::new();
    // The current part: its byte offset, how many lines precede it, and its separator's time.
    let (mut part_start, mut lines_before, mut time, mut sep_line) = (0, 0, None, 1);
    let mut offset = 0;
    for (i, line) in input.split('\n').enumerate() {
        let next = (offset + line.len() + 1).min(input.len());
        if let Line::Separator(t) = classify(line, i + 1)? {
            finish(&mut out, input.get(part_start..offset).unwrap_or(""), time, lines_before, sep_line)?;
            (part_start, lines_before, time, sep_line) = (next, i + 1, t, i + 1);
        }
        offset = next;
    }
    finish(&mut out, input.get(part_start..).unwrap_or(""), time, lines_before, sep_line)?;
    Ok(out)
}

fn finish(out: &mut Vec<Scrape>, part: &str, time: Option<i64>, shift: usize, line: usize) -> Result<(), ParseError> {
    if part.trim().is_empty() {
        return Ok(());
    }
    let mut exposition = parse_auto(part).map_err(|e| ParseError::new(e.line + shift, e.col, e.message))?;
    for s in &mut exposition.samples {
        s.line += shift;
    }
    out.push(Scrape { time, exposition, line });
    Ok(())
}

/// The time of every scrape: an explicit time stays; one without follows the previous scrape
/// by `interval`; scrapes before the first explicit time count back from it; and when no scrape
/// has a time, the last one lands on `anchor` (the evaluation time, so the newest scrape is what
/// an instant query sees) and each earlier one `interval` before.
pub fn place_scrapes(times: &[Option<i64>], anchor: i64, interval: i64) -> Vec<i64> {
    let first_explicit = times.iter().position(Option::is_some);
    let mut out = vec![0; times.len()];
    let (start, base) = match first_explicit {
        Some(i) => (i, times[i].unwrap_or(anchor)),
        None => (times.len().saturating_sub(1), anchor),
    };
    let mut t = base;
    for k in (0..start).rev() {
        t -= interval;
        out[k] = t;
    }
    let mut prev = base;
    for (k, slot) in out.iter_mut().enumerate().skip(start) {
        prev = match times[k] {
            Some(explicit) => explicit,
            None if k == start => base,
            None => prev + interval,
        };
        *slot = prev;
    }
    out
}

/// [`split_scrapes`] then [`place_scrapes`]: `(scrape time, exposition)` pairs in text order.
pub fn scrape_timeline(input: &str, anchor: i64, interval: i64) -> Result<Vec<(i64, Exposition)>, ParseError> {
    let scrapes = split_scrapes(input)?;
    let times: Vec<Option<i64>> = scrapes.iter().map(|s| s.time).collect();
    let placed = place_scrapes(&times, anchor, interval);
    Ok(placed.into_iter().zip(scrapes.into_iter().map(|s| s.exposition)).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_scrape_without_separators() {
        let s = split_scrapes("a 1\nb 2\n").unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(s.len(), 1);
        assert_eq!(s[0].time, None);
    }

    #[test]
    fn separators_and_line_numbers() {
        let text = "# SCRAPE 100\na 1\n---\na 2\n# SCRAPE\na 3\nb x\n";
        let e = split_scrapes(text).err();
        assert_eq!(e.map(|e| (e.line, e.col)), Some((7, 3)));
        let s = split_scrapes("# SCRAPE 100\na 1\n---\na 2\n# SCRAPE 130.5\na 3\n").unwrap_or_else(|e| panic!("{e}"));
        let times: Vec<_> = s.iter().map(|s| s.time).collect();
        assert_eq!(times, vec![Some(100_000), None, Some(130_500)]);
        assert_eq!(s[1].exposition.samples[0].line, 4);
        assert!(split_scrapes("# SCRAPE soon\na 1\n").is_err());
        // `# SCRAPES` is just a comment.
        assert_eq!(split_scrapes("# SCRAPES\na 1\n").map(|s| s.len()), Ok(1));
    }

    #[test]
    fn placement() {
        assert_eq!(place_scrapes(&[None, None, None], 1000, 15), vec![970, 985, 1000]);
        assert_eq!(place_scrapes(&[None, Some(100), None, Some(500), None], 0, 10), vec![90, 100, 110, 500, 510]);
        assert_eq!(place_scrapes(&[], 0, 10), Vec::<i64>::new());
    }

    #[test]
    fn timeline_keeps_openmetrics_scrapes_apart() {
        let text = "# SCRAPE 10\na 1\n# EOF\n# SCRAPE 20\na 2\n# EOF\n";
        let t = scrape_timeline(text, 0, 15_000).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(t.iter().map(|(t, _)| *t).collect::<Vec<_>>(), vec![10_000, 20_000]);
    }
}
