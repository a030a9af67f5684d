//! Collects an import's answers as they arrive: samples per series, in time order, each
//! timestamp once (a 2.x server repeats a sample that sits exactly on a chunk edge; selectors
//! that overlap bring the same series twice), with the series and sample limits checked after
//! every chunk, so a runaway import stops early with a message naming the limit.

use std::collections::BTreeMap;
use std::fmt;

use model::{Labels, Sample, Timestamp};

use crate::response::{parse_matrix, parse_metadata, ApiError, Metadata};

/// The most an import may bring.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limits {
    pub max_series: usize,
    pub max_samples: usize,
}

impl Limits {
    pub const NONE: Limits = Limits { max_series: usize::MAX, max_samples: usize::MAX };
}

/// How much is staged so far.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Progress {
    pub series: usize,
    pub samples: usize,
    pub chunks: usize,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ImportError {
    /// An answer that could not be used.
    Response(ApiError),
    /// More series than `limit` (`found` so far, or announced by `/api/v1/series`).
    SeriesLimit { limit: usize, found: usize },
    /// More samples than `limit`.
    SampleLimit { limit: usize, found: usize },
    /// A chunk after the import already failed.
    AlreadyFailed,
}

impl fmt::Display for ImportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ImportError::Response(e) => e.fmt(f),
            ImportError::SeriesLimit { limit, found } => write!(
                f,
                "the import exceeds the series limit ({limit} series): it has reached {found}; narrow the selectors or the window, or raise the limit"
            ),
            ImportError::SampleLimit { limit, found } => write!(
                f,
                "the import exceeds the sample limit ({limit} samples): it has reached {found}; narrow the selectors or the window, or raise the limit"
            ),
            ImportError::AlreadyFailed => f.write_str("the import has already failed; start it again"),
        }
    }
}

impl std::error::Error for ImportError {}

impl From<ApiError> for ImportError {
    fn from(e: ApiError) -> Self {
        ImportError::Response(e)
    }
}

/// One imported series: samples in time order, no timestamp twice.
#[derive(Clone, Debug, PartialEq)]
pub struct StagedSeries {
    pub labels: Labels,
    pub samples: Vec<Sample>,
}

/// An import in progress. Nothing here touches a store: the caller swaps its store only once
/// [`Stager::finish`] returns, so a failed import leaves it as it was.
#[derive(Debug)]
pub struct Stager {
    limits: Limits,
    window: Option<(Timestamp, Timestamp)>,
    /// Ordered by label set, as the text is written.
    series: BTreeMap<Labels, Vec<Sample>>,
    samples: usize,
    chunks: usize,
    metadata: BTreeMap<String, Metadata>,
    failed: bool,
}

impl Stager {
    pub fn new(limits: Limits) -> Self {
        Stager {
            limits,
            window: None,
            series: BTreeMap::new(),
            samples: 0,
            chunks: 0,
            metadata: BTreeMap::new(),
            failed: false,
        }
    }

    /// Keeps only samples in `[start, end]` (a 2.x server returns a sample at the first chunk's
    /// open edge, one millisecond before the window).
    pub fn with_window(mut self, start: Timestamp, end: Timestamp) -> Self {
        self.window = Some((start, end));
        self
    }

    pub fn progress(&self) -> Progress {
        Progress { series: self.series.len(), samples: self.samples, chunks: self.chunks }
    }

    fn fail<T>(&mut self, e: ImportError) -> Result<T, ImportError> {
        self.failed = true;
        Err(e)
    }

    /// The number of series the server announced (`/api/v1/series`) before any sample is
    /// fetched: fails at once when it is over the limit.
    pub fn check_announced_series(&mut self, count: usize) -> Result<(), ImportError> {
        if count > self.limits.max_series {
            return self.fail(ImportError::SeriesLimit { limit: self.limits.max_series, found: count });
        }
        Ok(())
    }

    /// Adds one `/api/v1/query` answer of a range selector (a matrix of raw samples).
    pub fn add_chunk(&mut self, body: &str) -> Result<Progress, ImportError> {
        if self.failed {
            return Err(ImportError::AlreadyFailed);
        }
        let exp = match parse_matrix(body) {
            Ok(exp) => exp,
            Err(e) => return self.fail(e.into()),
        };
        // Samples of one series are adjacent in an answer: one look-up per series.
        let mut samples = exp.samples.into_iter().peekable();
        while let Some(first) = samples.next() {
            let labels = first.labels.clone();
            let mut run = vec![first];
            while let Some(s) = samples.next_if(|s| s.labels == labels) {
                run.push(s);
            }
            let budget = self.limits.max_samples.saturating_sub(self.samples);
            let (added, over) = match self.series.get_mut(&labels) {
                Some(list) => add_run(list, run, self.window, budget),
                None => {
                    let mut list = Vec::new();
                    let (added, over) = add_run(&mut list, run, self.window, budget);
                    if list.is_empty() && !over {
                        continue;
                    }
                    if self.series.len() >= self.limits.max_series {
                        let found = self.series.len() + 1;
                        return self.fail(ImportError::SeriesLimit { limit: self.limits.max_series, found });
                    }
                    self.series.insert(labels, list);
                    (added, over)
                }
            };
            self.samples += added;
            if over {
                let found = self.samples + 1;
                return self.fail(ImportError::SampleLimit { limit: self.limits.max_samples, found });
            }
        }
        self.chunks += 1;
        Ok(self.progress())
    }

    /// Adds the `/api/v1/metadata` answer (HELP and TYPE for the written text).
    pub fn add_metadata(&mut self, body: &str) -> Result<Progress, ImportError> {
        if self.failed {
            return Err(ImportError::AlreadyFailed);
        }
        match parse_metadata(body) {
            Ok(m) => self.metadata.extend(m),
            Err(e) => return self.fail(e.into()),
        }
        Ok(self.progress())
    }

    /// The staged series, sorted by label set, with the metadata of their metric names.
    pub fn finish(self) -> Result<Staged, ImportError> {
        if self.failed {
            return Err(ImportError::AlreadyFailed);
        }
        let series = self.series.into_iter().map(|(labels, samples)| StagedSeries { labels, samples }).collect();
        Ok(Staged { series, metadata: self.metadata })
    }
}

/// Adds one series' samples of an answer, those in the window, at most `budget` new ones.
/// Returns how many were new, and whether one more was refused.
fn add_run(
    list: &mut Vec<Sample>,
    run: Vec<formats::Sample>,
    window: Option<(Timestamp, Timestamp)>,
    budget: usize,
) -> (usize, bool) {
    let mut added = 0;
    for s in run {
        let Some(t) = s.timestamp_ms else { continue };
        if window.is_some_and(|(start, end)| t < start || t > end) {
            continue;
        }
        if added == budget {
            if list.binary_search_by_key(&t, |x| x.t).is_err() {
                return (added, true);
            }
            continue;
        }
        if insert_sample(list, Sample { t, v: s.value }) {
            added += 1;
        }
    }
    (added, false)
}

/// Inserts in time order; a timestamp already present keeps its first value. Returns whether
/// the sample was new.
fn insert_sample(samples: &mut Vec<Sample>, s: Sample) -> bool {
    match samples.last() {
        None => {
            samples.push(s);
            true
        }
        Some(last) if last.t < s.t => {
            samples.push(s);
            true
        }
        Some(_) => match samples.binary_search_by_key(&s.t, |x| x.t) {
            Ok(_) => false,
            Err(i) => {
                samples.insert(i, s);
                true
            }
        },
    }
}

/// A finished import.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Staged {
    pub series: Vec<StagedSeries>,
    pub metadata: BTreeMap<String, Metadata>,
}

impl Staged {
    pub fn sample_count(&self) -> usize {
        self.series.iter().map(|s| s.samples.len()).sum()
    }

    /// OpenMetrics text with timestamps ([`crate::write_openmetrics`]).
    pub fn to_openmetrics(&self) -> String {
        crate::openmetrics::write_openmetrics(&self.series, &self.metadata)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn matrix(series: &[(&str, &[(f64, &str)])]) -> String {
        let items: Vec<String> = series
            .iter()
            .map(|(name, pts)| {
                let v: Vec<String> = pts.iter().map(|(t, v)| format!("[{t},\"{v}\"]")).collect();
                format!("{{\"metric\":{{\"__name__\":\"{name}\",\"job\":\"j\"}},\"values\":[{}]}}", v.join(","))
            })
            .collect();
        format!("{{\"status\":\"success\",\"data\":{{\"resultType\":\"matrix\",\"result\":[{}]}}}}", items.join(","))
    }

    #[test]
    fn chunk_edges_are_neither_lost_nor_doubled() {
        // 2.x answers both chunks with the sample at the edge (t=20); 3.x only the second.
        let mut s = Stager::new(Limits::NONE).with_window(10_000, 40_000);
        let p = s.add_chunk(&matrix(&[("a", &[(9.999, "0"), (10.0, "1"), (20.0, "2")])]));
        assert_eq!(p, Ok(Progress { series: 1, samples: 2, chunks: 1 }));
        s.add_chunk(&matrix(&[("a", &[(20.0, "2"), (30.0, "3")]), ("b", &[(25.0, "1")])])).unwrap_or_default();
        // An overlapping selector brings `a` again, out of order: nothing new.
        let p = s.add_chunk(&matrix(&[("a", &[(10.0, "1"), (30.0, "3")])]));
        assert_eq!(p, Ok(Progress { series: 2, samples: 4, chunks: 3 }));
        let staged = s.finish().unwrap_or_default();
        let a: Vec<i64> = staged.series[0].samples.iter().map(|x| x.t).collect();
        assert_eq!(a, [10_000, 20_000, 30_000]);
        assert_eq!(staged.sample_count(), 4);
    }

    #[test]
    fn limits_stop_the_import_and_name_themselves() {
        let mut s = Stager::new(Limits { max_series: 1, max_samples: 100 });
        let e = s.add_chunk(&matrix(&[("a", &[(1.0, "1")]), ("b", &[(1.0, "1")])])).err();
        assert_eq!(e, Some(ImportError::SeriesLimit { limit: 1, found: 2 }));
        assert!(e.is_some_and(|e| e.to_string().contains("series limit (1 series)")));
        assert_eq!(s.add_chunk(&matrix(&[])).err(), Some(ImportError::AlreadyFailed));
        assert!(s.finish().is_err());

        let mut s = Stager::new(Limits { max_series: 10, max_samples: 3 });
        assert!(s.add_chunk(&matrix(&[("a", &[(1.0, "1"), (2.0, "1")])])).is_ok());
        let e = s.add_chunk(&matrix(&[("a", &[(3.0, "1"), (4.0, "1")])])).err();
        assert_eq!(e.map(|e| e.to_string()).as_deref(), Some("the import exceeds the sample limit (3 samples): it has reached 4; narrow the selectors or the window, or raise the limit"));

        // The limit reached exactly, then a new series brings one more.
        let mut s = Stager::new(Limits { max_series: 10, max_samples: 2 });
        assert!(s.add_chunk(&matrix(&[("a", &[(1.0, "1"), (2.0, "1")])])).is_ok());
        assert!(s.add_chunk(&matrix(&[("a", &[(2.0, "1")])])).is_ok());
        let e = s.add_chunk(&matrix(&[("b", &[(1.0, "1")])])).err();
        assert_eq!(e, Some(ImportError::SampleLimit { limit: 2, found: 3 }));

        let mut s = Stager::new(Limits { max_series: 10, max_samples: 3 });
        assert!(s.check_announced_series(11).is_err());
    }

    #[test]
    fn a_bad_answer_fails_the_import() {
        let mut s = Stager::new(Limits::NONE);
        let e = s.add_chunk("{\"status\":\"error\",\"errorType\":\"bad_data\",\"error\":\"boom\"}").err();
        assert_eq!(e.map(|e| e.to_string()).as_deref(), Some("the server answered with an error: bad_data: boom"));
        assert!(s.finish().is_err());
        let mut s = Stager::new(Limits::NONE);
        assert!(s.add_metadata("<html>").is_err());
    }
}
