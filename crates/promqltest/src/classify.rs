//! Which evals need native histograms, which this milestone skips: from the suite's
//! classification TSV when there is one, and from what the eval itself reads or expects.

use std::collections::BTreeSet;

use promql::Expr;

use crate::load::State;
use crate::script::Eval;

/// File name of the classification table the suite ships beside its `.test` files.
pub const CLASSIFICATION_FILE: &str = "promqltest-eval-classification.tsv";

/// The `native_histogram` column of `promqltest-eval-classification.tsv`, by (file, line).
#[derive(Debug, Default, Clone)]
pub struct Classification {
    native: BTreeSet<(String, usize)>,
    files: BTreeSet<String>,
    evals: usize,
}

impl Classification {
    /// Reads the TSV (`file line kind native_histogram ...` with a header row).
    pub fn from_tsv(text: &str) -> Result<Classification, String> {
        let mut lines = text.lines();
        let header: Vec<&str> = lines.next().unwrap_or("").split('\t').collect();
        let col =
            |name: &str| header.iter().position(|h| *h == name).ok_or(format!("classification: no {name:?} column"));
        let (file, line, native) = (col("file")?, col("line")?, col("native_histogram")?);
        let mut out = Classification::default();
        for (n, row) in lines.enumerate().filter(|(_, r)| !r.trim().is_empty()) {
            let cells: Vec<&str> = row.split('\t').collect();
            let get = |i: usize| cells.get(i).copied().ok_or(format!("classification row {}: too few columns", n + 2));
            let l: usize = get(line)?.parse().map_err(|_| format!("classification row {}: bad line", n + 2))?;
            out.evals += 1;
            out.files.insert(get(file)?.to_string());
            if get(native)? == "1" {
                out.native.insert((get(file)?.to_string(), l));
            }
        }
        Ok(out)
    }

    /// `Some(flag)` when the table covers `file`, `None` when it says nothing about it.
    pub fn is_native(&self, file: &str, line: usize) -> Option<bool> {
        self.files.contains(file).then(|| self.native.contains(&(file.to_string(), line)))
    }

    /// How many evals the table flags as needing native histograms.
    pub fn native_count(&self) -> usize {
        self.native.len()
    }

    /// How many evals the table lists.
    pub fn eval_count(&self) -> usize {
        self.evals
    }
}

/// Why the eval needs native histograms, if it does: it expects a histogram value, or one of
/// its selectors matches a series that holds native histograms, so a float-only result could
/// not be right (even an empty one: Prometheus would have read those series).
///
/// This is what the suite's table means too, but the table misses series made by
/// `load_with_nhcb`: `histograms.test:1081` selects `{__name__=~"request_duration_seconds\\d*"}`,
/// which matches only the two converted native series, and expects the duplicate-labelset
/// error that their two `histogram_quantile` results raise. Those samples are histograms.
pub fn needs_histograms(eval: &Eval, state: &State) -> Option<String> {
    if eval.expect.has_histogram() {
        return Some("the expected result holds a native histogram".to_string());
    }
    let mut why = None;
    promql::walk(&eval.expr, &mut |e| {
        let vs = match e {
            Expr::VectorSelector(vs) => vs,
            Expr::MatrixSelector(m) => &m.vector,
            _ => return,
        };
        if why.is_some() {
            return;
        }
        why = state
            .histogram_series
            .iter()
            .find(|(labels, _)| vs.matchers.iter().all(|m| m.matches(labels.get_or_empty(&m.name))))
            .map(|(labels, origin)| format!("selector {e} matches {labels}, a native histogram series from {origin}"));
    });
    why
}
