//! Remote mode in the worker: the page fetches from the server and hands over the bodies; an
//! import is staged beside the current store (a failed or aborted import leaves the store as
//! it was) and replaces it all at once on commit; a comparison runs the query locally, as Run
//! does, and compares with the server's answer (`remote::compare`).

use protocol::{
    CompareReply, CompareRequest, ImportCommitted, ImportProgress, RemoteReply, RemoteRequest, ValueDifference,
};
use remote::{Limits, Local, Stager};

use crate::{load, times, view, Loaded, Session, CARDINALITY_TOP};

/// What the page shows for a point one side lacks.
const NO_POINT: &str = "(no point)";

impl Session {
    pub(crate) fn remote(&mut self, req: RemoteRequest) -> RemoteReply {
        match req {
            RemoteRequest::ImportBegin { max_series, max_samples } => {
                // 0 means no limit: a limit of no series at all would be no import.
                let limit = |n: usize| if n == 0 { usize::MAX } else { n };
                self.import = Some(Stager::new(Limits { max_series: limit(max_series), max_samples: limit(max_samples) }));
                RemoteReply::Progress(Ok(ImportProgress::default()))
            }
            RemoteRequest::ImportChunk { body } => self.staged(|s| s.add_chunk(&body)),
            RemoteRequest::ImportMetadata { body } => self.staged(|s| s.add_metadata(&body)),
            RemoteRequest::ImportCommit => RemoteReply::Committed(Box::new(self.commit())),
            RemoteRequest::ImportAbort => {
                self.import = None;
                RemoteReply::Aborted
            }
            RemoteRequest::Compare(c) => RemoteReply::Compared(Box::new(self.compare(&c))),
        }
    }

    /// One step of the import; a failure drops everything staged so far.
    fn staged(&mut self, step: impl FnOnce(&mut Stager) -> Result<remote::Progress, remote::ImportError>) -> RemoteReply {
        let Some(stager) = self.import.as_mut() else {
            return RemoteReply::Progress(Err("no import in progress (ImportBegin first)".into()));
        };
        match step(stager) {
            Ok(p) => RemoteReply::Progress(Ok(ImportProgress { series: p.series, samples: p.samples, chunks: p.chunks })),
            Err(e) => {
                self.import = None;
                RemoteReply::Progress(Err(format!("{e}; the import was stopped and the data is unchanged")))
            }
        }
    }

    fn commit(&mut self) -> Result<ImportCommitted, String> {
        let stager = self.import.take().ok_or("no import in progress (ImportBegin first)")?;
        let staged = stager.finish().map_err(|e| e.to_string())?;
        if staged.series.is_empty() {
            return Err("the import found no samples: check the selectors and the time window; the data is unchanged".into());
        }
        let text = staged.to_openmetrics();
        // The store is built from the text, so it holds exactly what the data pane shows.
        let (db, shape) = load::load_text(&text, 0).map_err(|e| format!("the imported data does not load: {e}"))?;
        let card = db.cardinality(CARDINALITY_TOP);
        let eval_time_ms = card.max_time.unwrap_or(0);
        let summary = view::summary(&card, eval_time_ms, shape);
        self.loaded = Some(Loaded { db, eval_time_ms, min_time_ms: card.min_time, shape });
        self.last = None;
        Ok(ImportCommitted { summary, text })
    }

    fn compare(&self, req: &CompareRequest) -> Result<CompareReply, String> {
        if req.tolerance.is_nan() || req.tolerance < 0.0 {
            return Err(format!("tolerance {} is not a relative tolerance (like 1e-9)", req.tolerance));
        }
        let loaded = self.loaded.as_ref().ok_or("no data loaded: import or paste data first")?;
        let q = &req.query;
        let (time_ms, range) = times::resolve(q, loaded.eval_time_ms, loaded.min_time_ms)?;
        let local = match range {
            None => engine::instant_query(&loaded.db, &q.query, time_ms, &self.options),
            Some(r) => engine::range_query(&loaded.db, &q.query, r.start_ms, r.end_ms, r.step_ms, &self.options),
        }
        .map_err(|e| e.to_string());
        let opts = remote::CompareOptions {
            tolerance: req.tolerance,
            ordered: range.is_none() && remote::is_sorted_query(&q.query),
            compare_infos: true,
        };
        let side = local.as_ref().map(|r| Local { result: view::export(&r.value, time_ms), warnings: &r.warnings, infos: &r.infos });
        let c = remote::compare(side.map_err(Clone::clone), &req.remote_body, &opts);
        let mut reply = CompareReply {
            equal: c.is_equal(),
            annotations_only_local: c.annotations_only_local.clone(),
            annotations_only_remote: c.annotations_only_remote.clone(),
            ..CompareReply::default()
        };
        match &local {
            Ok(r) => reply.local = Some(view::result(r, time_ms, range)),
            Err(e) => reply.local_error = Some(e.clone()),
        }
        match &c.remote {
            Ok(r) => reply.remote = Some(view::result_of(&r.result.view(), &r.warnings, &r.infos, time_ms, range)),
            Err(e) => reply.remote_error = Some(e.clone()),
        }
        if let Some(d) = &c.diff {
            reply.only_local = d.extra.iter().map(ToString::to_string).collect();
            reply.only_remote = d.missing.iter().map(ToString::to_string).collect();
            let point = |v: Option<f64>| v.map_or_else(|| NO_POINT.to_string(), model::format_prom_float);
            reply.differing = d
                .values
                .iter()
                .map(|v| ValueDifference { labels: v.labels.to_string(), time_ms: v.t, local: point(v.actual), remote: point(v.expected) })
                .collect();
            if let Some(t) = &d.type_mismatch {
                reply.differing.push(ValueDifference {
                    labels: "result type".into(),
                    time_ms,
                    local: t.actual.to_string(),
                    remote: t.expected.to_string(),
                });
            }
            if let Some(s) = &d.string {
                reply.differing.push(ValueDifference { labels: "string".into(), time_ms, local: s.actual.clone(), remote: s.expected.clone() });
            }
            if let Some(o) = &d.order {
                reply.differing.push(ValueDifference {
                    labels: format!("order at position {}", o.position + 1),
                    time_ms,
                    local: o.actual.to_string(),
                    remote: o.expected.to_string(),
                });
            }
            if d.more_values > 0 {
                reply.differing.push(ValueDifference {
                    labels: format!("… and {} more values", d.more_values),
                    time_ms,
                    local: String::new(),
                    remote: String::new(),
                });
            }
        }
        Ok(reply)
    }
}
