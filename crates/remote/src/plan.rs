//! Plans an import: raw samples of selectors over a window, fetched as range-vector instant
//! queries (`sel[<range>]` at the chunk's end returns the stored samples exactly), one query per
//! selector and chunk so no single answer grows unbounded.
//!
//! Range boundaries differ between versions: Prometheus 3.x range selectors are left-open
//! `(t-r, t]`, 2.x left-closed `[t-r, t]`. The chunks tile the window as `(from, to]` with the
//! first `from` one millisecond before the window's start, so 3.x returns each sample exactly
//! once and the start itself is included; with 2.x a sample exactly at a chunk edge comes twice
//! (and one at `start - 1ms` once), which the stager drops ([`crate::Stager`]).

use model::Timestamp;
use promql::Expr;

use crate::api::ApiRequest;

/// The default chunk length: one hour, 240 samples per series at a 15 s scrape interval.
pub const DEFAULT_CHUNK_MS: i64 = 3_600_000;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ImportPlan {
    /// The selectors in canonical form.
    pub selectors: Vec<String>,
    /// The window, both ends included.
    pub start: Timestamp,
    pub end: Timestamp,
    /// In time order, each chunk's selectors in the order given.
    pub chunks: Vec<Chunk>,
}

/// One query of the plan: the samples of `selector` in `(from, to]`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Chunk {
    pub selector: String,
    pub from: Timestamp,
    pub to: Timestamp,
    /// `selector[to - from]`, evaluated at `to`.
    pub expr: String,
}

impl Chunk {
    pub fn request(&self) -> ApiRequest {
        ApiRequest::query(&self.expr, self.to)
    }
}

impl ImportPlan {
    /// `/api/v1/series` over the window: how many series the import will bring, asked before
    /// any sample is downloaded.
    pub fn series_request(&self) -> ApiRequest {
        ApiRequest::series(&self.selectors, Some(self.start), Some(self.end))
    }

    /// `/api/v1/metadata` for every metric (the stager keeps the imported names' entries).
    pub fn metadata_request(&self) -> ApiRequest {
        ApiRequest::metadata(None)
    }
}

/// Checks that `sel` is a plain vector selector (no offset, `@` or range: the plan appends its
/// own range) and returns its canonical form.
pub fn check_selector(sel: &str) -> Result<String, String> {
    let expr = promql::parse(sel).map_err(|e| format!("selector {sel:?}: {e}"))?;
    match &expr {
        Expr::VectorSelector(v) if v.offset.is_none() && v.at.is_none() && !v.anchored && !v.smoothed => {
            Ok(expr.to_string())
        }
        Expr::VectorSelector(_) => {
            Err(format!("selector {sel:?}: give a plain series selector, without offset, @ or modifiers"))
        }
        _ => Err(format!("selector {sel:?} is not a series selector (like up{{job=\"node\"}}): only those can be imported")),
    }
}

/// The queries that fetch every sample of `selectors` in `[start, end]`, chunks at most
/// `max_chunk` ms long.
pub fn plan_import<S: AsRef<str>>(
    selectors: &[S],
    start: Timestamp,
    end: Timestamp,
    max_chunk: i64,
) -> Result<ImportPlan, String> {
    if selectors.is_empty() {
        return Err("give at least one selector to import".into());
    }
    if end < start {
        return Err("the window's end is before its start".into());
    }
    if max_chunk <= 0 {
        return Err("the chunk length must be positive".into());
    }
    let selectors = selectors.iter().map(|s| check_selector(s.as_ref())).collect::<Result<Vec<_>, _>>()?;
    let mut chunks = Vec::new();
    let mut from = start.saturating_sub(1);
    while from < end {
        let to = from.saturating_add(max_chunk).min(end);
        let range = model::format_duration(to - from);
        for s in &selectors {
            chunks.push(Chunk { selector: s.clone(), from, to, expr: format!("{s}[{range}]") });
        }
        from = to;
    }
    Ok(ImportPlan { selectors, start, end, chunks })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chunks_tile_the_window_without_gaps() {
        let p = plan_import(&["up", "node_load1{instance=~\"a.*\"}"], 1_000_000, 1_000_000 + 2 * 3_600_000 + 5, DEFAULT_CHUNK_MS)
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(p.chunks.len(), 6);
        // Per selector: (start-1, start-1+1h], (.., ..+1h], (.., end].
        let ups: Vec<&Chunk> = p.chunks.iter().filter(|c| c.selector == "up").collect();
        assert_eq!(ups[0].from, 999_999);
        for w in ups.windows(2) {
            assert_eq!(w[0].to, w[1].from);
        }
        assert_eq!(ups[2].to, p.end);
        assert_eq!(ups[0].expr, "up[1h]");
        assert_eq!(ups[2].expr, "up[6ms]");
        assert_eq!(p.chunks[1].expr, "node_load1{instance=~\"a.*\"}[1h]");
        assert_eq!(ups[1].request().params, vec![("query".to_string(), "up[1h]".to_string()), ("time".to_string(), "8199.999".to_string())]);
    }

    #[test]
    fn a_single_instant_is_one_chunk() {
        let p = plan_import(&["up"], 5000, 5000, DEFAULT_CHUNK_MS).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(p.chunks.len(), 1);
        assert_eq!((p.chunks[0].from, p.chunks[0].to, p.chunks[0].expr.as_str()), (4999, 5000, "up[1ms]"));
    }

    #[test]
    fn only_plain_selectors() {
        assert!(check_selector("rate(x[5m])").is_err_and(|e| e.contains("not a series selector")));
        assert!(check_selector("x offset 5m").is_err_and(|e| e.contains("without offset")));
        assert!(check_selector("x{").is_err_and(|e| e.contains("parse error")));
        assert_eq!(check_selector("{__name__=~\"node_.+\", job = 'n'}"), Ok("{__name__=~\"node_.+\", job=\"n\"}".to_string()));
        assert!(plan_import::<&str>(&[], 0, 1, 1).is_err());
        assert!(plan_import(&["x"], 2, 1, 1).is_err());
        assert!(plan_import(&["x"], 0, 1, 0).is_err());
    }
}
