//! The Relabel view's part of the model: its texts, the request in flight and the last reply.
//! A child of `state` so a run over the loaded data can tell whether the worker holds the page's
//! current data (and send it along when not), exactly as a query run does.

use protocol::{LoadRequest, MetricRelabel, MetricSource, RelabelMode, RelabelReply, RelabelRequest, Request, RequestBody};

use super::AppState;

/// Which rules run over what.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum RelabelKind {
    /// `relabel_configs` over discovered targets.
    #[default]
    Target,
    /// `metric_relabel_configs` over series.
    Metric,
}

#[derive(Debug, Default)]
pub struct RelabelState {
    /// The Relabel view is shown instead of the Query view.
    pub shown: bool,
    pub kind: RelabelKind,
    pub rules_text: String,
    pub targets_text: String,
    /// Metric mode over a pasted scrape instead of the loaded data.
    pub pasted: bool,
    pub exposition_text: String,
    /// A YAML/JSON label map attached to every series before relabeling.
    pub target_labels: String,
    /// The scrape job picked in a prometheus.yml; `None` for the first one.
    pub job: Option<String>,
    /// The built-in example was asked for (once, when the view is first opened empty).
    pub example_requested: bool,
    pub running: Option<u32>,
    pub reply: Option<RelabelReply>,
    /// The target row whose trace is shown.
    pub selected: Option<usize>,
    /// The data version whose relabeled series the worker holds instead of the data itself.
    applied: Option<u64>,
}

impl AppState {
    /// The request for the Relabel view's Run; `apply` replaces the worker's store with the
    /// relabeled series (metric mode over the loaded data).
    pub fn begin_relabel(&mut self, now_ms: i64, apply: bool) -> Request {
        let r = &self.relabel;
        let mode = match (r.kind, r.pasted) {
            (RelabelKind::Target, _) => RelabelMode::Target { targets_text: r.targets_text.clone() },
            (RelabelKind::Metric, true) => RelabelMode::Metric(MetricRelabel {
                source: MetricSource::Pasted { exposition: r.exposition_text.clone() },
                target_labels: r.target_labels.clone(),
                apply: false,
            }),
            (RelabelKind::Metric, false) => {
                let current = (self.data_version, self.pinned_time_ms);
                // Relabeled series in the worker are not the data: send the data again.
                let load = (self.worker_has != Some(current) || self.relabeled_in_worker()).then(|| LoadRequest {
                    text: self.data_text.clone(),
                    scrape_time_ms: self.pinned_time_ms.unwrap_or(now_ms),
                    eval_time_ms: self.pinned_time_ms,
                });
                if load.is_some() {
                    self.relabel.applied = None;
                }
                self.worker_has = Some(current);
                RelabelMode::Metric(MetricRelabel {
                    source: MetricSource::Loaded { load },
                    target_labels: self.relabel.target_labels.clone(),
                    apply,
                })
            }
        };
        let body = RequestBody::Relabel(Box::new(RelabelRequest {
            rules_yaml: self.relabel.rules_text.clone(),
            job: self.relabel.job.clone(),
            mode,
        }));
        let id = self.take_id();
        self.relabel.running = Some(id);
        Request { id, body }
    }

    /// Takes a relabel reply; replies to superseded runs are dropped. True when the worker's
    /// store now holds relabeled series (the query result should be refreshed).
    pub fn finish_relabel(&mut self, id: u32, reply: RelabelReply) -> bool {
        if self.relabel.running != Some(id) {
            return false;
        }
        self.relabel.running = None;
        match &reply.load {
            Some(Ok(summary)) => {
                self.output.data_summary = Some(summary.clone());
                self.output.data_error = None;
            }
            Some(Err(e)) => {
                self.worker_has = None;
                self.output.data_error = Some(e.clone());
            }
            None => {}
        }
        let applied = reply.metric.as_ref().and_then(|m| m.applied.clone());
        if let Some(summary) = &applied {
            self.output.data_summary = Some(summary.clone());
            self.relabel.applied = Some(self.data_version);
        }
        if self.relabel.job.is_none() {
            self.relabel.job = reply.job.clone();
        }
        let rows = reply.targets.as_ref().map_or(0, |t| t.rows.len());
        self.relabel.selected = self.relabel.selected.filter(|&i| i < rows);
        self.relabel.reply = Some(reply);
        applied.is_some()
    }

    /// The worker holds the relabeled series of the current data (queries run on them).
    pub fn relabeled_in_worker(&self) -> bool {
        self.relabel.applied == Some(self.data_version) && self.worker_has.is_some()
    }

    /// The worker died: a relabel run in flight ends with `why`.
    pub fn relabel_lost(&mut self, why: &str) {
        if self.relabel.running.take().is_some() {
            self.relabel.reply =
                Some(RelabelReply { input_error: Some(why.to_string()), ..RelabelReply::default() });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use protocol::MetricView;

    const NOW: i64 = 1_795_278_871_000;

    fn load_of(req: &Request) -> Option<Option<&LoadRequest>> {
        match &req.body {
            RequestBody::Relabel(r) => match &r.mode {
                RelabelMode::Metric(MetricRelabel { source: MetricSource::Loaded { load }, .. }) => Some(load.as_ref()),
                _ => None,
            },
            _ => None,
        }
    }

    #[test]
    fn metric_mode_sends_the_data_only_when_the_worker_lacks_it() {
        let mut s = AppState::default();
        s.relabel.kind = RelabelKind::Metric;
        let first = s.begin_relabel(NOW, false);
        assert!(load_of(&first).is_some_and(|l| l.is_some()));
        s.finish_relabel(first.id, RelabelReply::default());
        let second = s.begin_relabel(NOW, true);
        assert_eq!(load_of(&second), Some(None));
        let reply = RelabelReply { metric: Some(MetricView::default()), ..RelabelReply::default() };
        // No summary in this reply: nothing was applied.
        assert!(!s.finish_relabel(second.id, reply));
        assert!(!s.relabeled_in_worker());
    }

    #[test]
    fn relabeled_data_is_replaced_before_relabeling_again() {
        let mut s = AppState::default();
        s.relabel.kind = RelabelKind::Metric;
        let req = s.begin_relabel(NOW, true);
        let summary = protocol::DataSummary {
            samples: 1,
            eval_time_ms: NOW,
            min_time_ms: None,
            max_time_ms: None,
            scrapes: 1,
            scrape_interval_ms: 15_000,
            timestamped: false,
            cardinality: protocol::Cardinality {
                num_series: 1,
                num_samples: 1,
                num_label_pairs: 1,
                memory_total_bytes: 0,
                series_count_by_metric_name: Vec::new(),
                label_value_count_by_label_name: Vec::new(),
                series_count_by_label_value_pair: Vec::new(),
            },
        };
        let reply = RelabelReply {
            metric: Some(MetricView { applied: Some(summary), ..MetricView::default() }),
            job: Some("j".to_string()),
            ..RelabelReply::default()
        };
        assert!(s.finish_relabel(req.id, reply));
        assert!(s.relabeled_in_worker());
        assert_eq!(s.relabel.job.as_deref(), Some("j"));
        // A query keeps running on the relabeled series; relabeling again starts from the data.
        assert!(matches!(&s.begin_run(NOW).body, RequestBody::Run(r) if r.load.is_none()));
        assert!(load_of(&s.begin_relabel(NOW, false)).is_some_and(|l| l.is_some()));
        assert!(!s.relabeled_in_worker());
    }

    #[test]
    fn superseded_and_lost_runs() {
        let mut s = AppState::default();
        let a = s.begin_relabel(NOW, false);
        let b = s.begin_relabel(NOW, false);
        assert!(!s.finish_relabel(a.id, RelabelReply { rules_error: Some("x".into()), ..RelabelReply::default() }));
        assert!(s.relabel.reply.is_none());
        s.relabel_lost("gone");
        assert_eq!(s.relabel.running, None);
        assert_eq!(s.relabel.reply.and_then(|r| r.input_error).as_deref(), Some("gone"));
        let _ = b;
    }
}
