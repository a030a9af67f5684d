//! Turns the data pane's text into a store, whatever its format, with the rules of
//! `promplay eval --data` for one file: API JSON, promqltest `load` blocks, or exposition text
//! holding one or more scrapes (`# SCRAPE` separators) whose own timestamps are kept.

/// Untimestamped scrapes without a `# SCRAPE` time are this far apart, Prometheus's default
/// scrape interval.
pub const DEFAULT_SCRAPE_INTERVAL_MS: i64 = 15_000;

/// How the text became samples, for the data pane's summary.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Shape {
    /// Scrapes placed on the timeline (untimestamped samples): 1 for a plain pasted scrape.
    pub scrapes: usize,
    /// Whether any sample came with its own time (timestamps, API JSON, `load` blocks).
    pub timestamped: bool,
}

/// A fresh store holding all of `text`, or the first error as `line:col: message` (nothing is
/// loaded then). Untimestamped samples of the last scrape are taken at `scrape_time_ms`.
pub fn load_text(text: &str, scrape_time_ms: i64) -> Result<(tsdb::Storage, Shape), String> {
    let mut db = tsdb::Storage::new();
    let stamped_only = Shape { scrapes: 0, timestamped: true };
    let shape = match formats::detect_data(text) {
        formats::DataFormat::ApiJson => {
            let exp = formats::parse_api_json(text).map_err(|e| e.to_string())?;
            db.load_exposition(&exp, scrape_time_ms).map_err(|e| e.to_string())?;
            stamped_only
        }
        formats::DataFormat::LoadBlocks => {
            promqltest::load_blocks(text, &mut db).map_err(|e| e.to_string())?;
            stamped_only
        }
        formats::DataFormat::Exposition(_) => {
            let scrapes = formats::split_scrapes(text).map_err(|e| e.to_string())?;
            // A scrape whose samples all carry timestamps takes no slot in the timeline.
            let (timeline, stamped): (Vec<_>, Vec<_>) = scrapes
                .into_iter()
                .partition(|s| s.time.is_some() || s.exposition.samples.iter().any(|x| x.timestamp_ms.is_none()));
            let times: Vec<Option<i64>> = timeline.iter().map(|s| s.time).collect();
            let placed = formats::place_scrapes(&times, scrape_time_ms, DEFAULT_SCRAPE_INTERVAL_MS);
            for s in &stamped {
                db.load_exposition(&s.exposition, scrape_time_ms).map_err(|e| e.to_string())?;
            }
            let mut ordered: Vec<(i64, &formats::Exposition)> =
                placed.into_iter().zip(timeline.iter().map(|s| &s.exposition)).collect();
            // The store wants each series in time order; explicit `# SCRAPE` times need not be.
            model::sort::sort_by_key(&mut ordered, |(t, _)| *t);
            for (t, exp) in &ordered {
                db.load_exposition(exp, *t).map_err(|e| e.to_string())?;
            }
            let timestamped =
                !stamped.is_empty() || ordered.iter().any(|(_, e)| e.samples.iter().any(|s| s.timestamp_ms.is_some()));
            Shape { scrapes: ordered.len(), timestamped }
        }
    };
    Ok((db, shape))
}
