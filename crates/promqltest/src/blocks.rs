//! `load` blocks as a data format of their own: a text made only of promqltest `load` blocks
//! (comments and blank lines allowed) becomes samples in a store, value `i` of a series line
//! at `i × interval` from epoch 0, as the test runner loads them. Used by `promplay eval` and
//! the browser's data pane, so a `.test` file's data can be explored with the same engine.

use model::STALE_NAN;
use promql::SeriesValue;

use crate::parse::parse_script;
use crate::script::Command;

/// Parses `text` and stores its samples; returns how many were stored. All or nothing: the
/// samples go through [`tsdb::Storage::load_exposition`], so a refused sample leaves the
/// store as it was. Errors are `line:col` (the column is 1: the runner's grammar is
/// line-based). Start timestamps (`@st` lines) are not kept; native-histogram values are
/// refused rather than silently dropped.
pub fn load_blocks(text: &str, storage: &mut tsdb::Storage) -> Result<usize, formats::ParseError> {
    let script = parse_script(text).map_err(|e| formats::ParseError::new(e.line, 1, e.message))?;
    let mut exp = formats::Exposition::default();
    for cmd in &script.commands {
        let load = match cmd {
            Command::Load(l) => l,
            Command::Clear { line } => return Err(formats::ParseError::new(*line, 1, "only load blocks are data: remove `clear`")),
            Command::Eval(e) => {
                return Err(formats::ParseError::new(e.line, 1, "only load blocks are data: run evals with `promplay test`"))
            }
        };
        for s in &load.series {
            for (i, v) in s.values.iter().enumerate() {
                let value = match v {
                    SeriesValue::Omitted => continue,
                    SeriesValue::Float(f) => *f,
                    SeriesValue::Stale => STALE_NAN,
                    SeriesValue::Histogram(_) | SeriesValue::HistogramStep { .. } => {
                        return Err(formats::ParseError::new(s.line, 1, "native histogram samples cannot be loaded yet"));
                    }
                };
                exp.samples.push(formats::Sample {
                    labels: s.labels.clone(),
                    value,
                    timestamp_ms: Some(i as i64 * load.interval),
                    line: s.line,
                    exemplar: None,
                });
            }
        }
    }
    // Every series line's samples are in time order, but two load blocks may write one series
    // out of order; the store's append rules then report it at the later line.
    storage.load_exposition(&exp, 0).map_err(|e| formats::ParseError::new(e.line, 1, e.message))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loads_values_at_interval_steps() {
        let mut db = tsdb::Storage::new();
        let n = load_blocks("# data\nload 1m\n  up{job=\"a\"} 1 _ 3 stale\n  x 0+10x2\n", &mut db).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(n, 6);
        assert_eq!(db.time_range(), Some((0, 180_000)));
    }

    #[test]
    fn evals_and_bad_lines_are_errors() {
        let mut db = tsdb::Storage::new();
        let e = load_blocks("load 1m\n  x 1\n\neval instant at 0 x\n  x 1\n", &mut db).err();
        assert_eq!(e.map(|e| e.line), Some(4));
        assert!(load_blocks("load 1m\n  x{ 1\n", &mut db).is_err());
        assert_eq!(db.num_samples(), 0);
    }
}
