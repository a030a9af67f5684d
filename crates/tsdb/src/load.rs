//! Loading a parsed exposition into the store as one scrape.

use model::Timestamp;
use std::fmt;

use crate::storage::Storage;

/// A sample of the exposition the store refused, with the line it came from.
#[derive(Clone, Debug, PartialEq)]
pub struct LoadError {
    pub line: usize,
    pub message: String,
}

impl fmt::Display for LoadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:1: {}", self.line, self.message)
    }
}

impl std::error::Error for LoadError {}

impl Storage {
    /// Stores every sample of `exp`; samples without a timestamp count as scraped at
    /// `scrape_time`. Returns the number of samples stored.
    ///
    /// All or nothing: on error the store is unchanged, so the user's previous data survives a
    /// bad paste.
    pub fn load_exposition(&mut self, exp: &formats::Exposition, scrape_time: Timestamp) -> Result<usize, LoadError> {
        // Dry run into a scratch store seeded with each affected series' newest sample, so a
        // refusal part-way leaves `self` untouched without cloning the whole store.
        let mut staged = Storage::new();
        for s in &exp.samples {
            let t = s.timestamp_ms.unwrap_or(scrape_time);
            if staged.id_of(&s.labels).is_none() {
                if let Some((nt, nv)) = self.id_of(&s.labels).and_then(|id| self.newest(id)) {
                    let _ = staged.append(&s.labels, nt, nv);
                }
            }
            staged
                .append(&s.labels, t, s.value)
                .map_err(|e| LoadError { line: s.line, message: e.to_string() })?;
        }
        for s in &exp.samples {
            let t = s.timestamp_ms.unwrap_or(scrape_time);
            // Already validated against the same newest timestamps above.
            self.append(&s.labels, t, s.value)
                .map_err(|e| LoadError { line: s.line, message: e.to_string() })?;
        }
        // A load is the end of a burst of appends: give back what doubling over-allocated, so
        // the store holds 16 bytes per float sample.
        self.shrink_to_fit();
        Ok(exp.samples.len())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> formats::Exposition {
        formats::parse_text(text).unwrap_or_else(|e| panic!("{e}"))
    }

    #[test]
    fn untimestamped_samples_take_the_scrape_time() {
        let mut db = Storage::new();
        let n = db.load_exposition(&parse("a 1\nb 2 5000\n"), 9000).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(n, 2);
        assert_eq!(db.time_range(), Some((5000, 9000)));
        assert_eq!(db.memory_stats().sample_bytes, 2 * 16, "{:?}", db.memory_stats());
    }

    #[test]
    fn a_refused_load_changes_nothing() {
        let mut db = Storage::new();
        db.load_exposition(&parse("a 1 5000\n"), 0).unwrap_or_else(|e| panic!("{e}"));
        // `b` is new and fine, but `a` goes back in time: nothing of this load may land.
        let err = db.load_exposition(&parse("b 1 6000\na 2 4000\n"), 0).err();
        assert_eq!(err.map(|e| e.line), Some(2));
        assert_eq!(db.num_series(), 1);
        assert_eq!(db.num_samples(), 1);
    }
}
