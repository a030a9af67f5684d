//! The Relabel view's requests: relabel rules over targets (what a scrape pool does around
//! `relabel_configs`) or over series (`metric_relabel_configs` on the loaded data or on a pasted
//! scrape), answered with `crates/relabel` exactly as `promplay relabel` answers them, and shaped
//! for display: label lists, per-rule traces, counts, collisions.

use std::collections::{BTreeMap, HashMap};

use model::{Label, Labels};
use protocol::{
    Collision, DataSummary, MetricRelabel, MetricRow, MetricSource, MetricView, RelabelMode, RelabelReply,
    RelabelRequest, TargetRow, TargetsView, TraceStep,
};
use relabel::{MetricResult, Rule, ScrapedSample, Section, Step, TargetResult};

use crate::{view, Loaded, Session, CARDINALITY_TOP};

/// Collision groups beyond this are counted in `collided` but not listed.
const COLLISIONS_MAX: usize = 200;

impl Session {
    pub(crate) fn relabel(&mut self, req: RelabelRequest, clock: &dyn Fn() -> f64) -> RelabelReply {
        let started = clock();
        let mut reply = RelabelReply { jobs: scrape_jobs(&req.rules_yaml), ..RelabelReply::default() };
        let section = match req.mode {
            RelabelMode::Target { .. } => Section::Target,
            RelabelMode::Metric(_) => Section::Metric,
        };
        // A prometheus.yml with several jobs and none (or a vanished one) chosen: the first job,
        // rather than the CLI's "choose one with --job", since the view offers the picker.
        let job = match &req.job {
            Some(j) if reply.jobs.contains(j) => Some(j.as_str()),
            _ => reply.jobs.first().map(String::as_str),
        };
        // Loading comes first: a metric run over loaded data must leave the store current even
        // when the rules are wrong, or the page would believe the worker holds its text.
        if let RelabelMode::Metric(MetricRelabel { source: MetricSource::Loaded { load: Some(load) }, .. }) = &req.mode {
            reply.load = Some(self.load_for_relabel(load));
        }
        match relabel::load(&req.rules_yaml, section, job) {
            Err(e) => reply.rules_error = Some(e.to_string()),
            Ok(loaded) => {
                reply.job = loaded.job.clone();
                reply.rules = loaded.rules.iter().map(describe).collect();
                match req.mode {
                    RelabelMode::Target { targets_text } => match relabel::parse_targets(&targets_text) {
                        Ok(targets) => reply.targets = Some(targets_view(&targets, &loaded)),
                        Err(e) => reply.input_error = Some(format!("targets: {e}")),
                    },
                    RelabelMode::Metric(m) => match self.metric(&m, &loaded) {
                        Ok(v) => reply.metric = Some(v),
                        Err(e) => reply.input_error = Some(e),
                    },
                }
            }
        }
        reply.elapsed_ms = clock() - started;
        reply
    }

    /// The same load a query run does (`Session::run`), for a relabel run (or a lesson check)
    /// that brings the data.
    pub(crate) fn load_for_relabel(&mut self, load: &protocol::LoadRequest) -> Result<DataSummary, String> {
        self.loaded = None;
        self.last = None;
        let (db, shape) = crate::load::load_text(&load.text, load.scrape_time_ms)?;
        let card = db.cardinality(CARDINALITY_TOP);
        let eval_time_ms = load.eval_time_ms.or(card.max_time).unwrap_or(load.scrape_time_ms);
        let summary = view::summary(&card, eval_time_ms, shape);
        self.loaded = Some(Loaded { db, eval_time_ms, min_time_ms: card.min_time, shape });
        Ok(summary)
    }

    fn metric(&mut self, m: &MetricRelabel, loaded: &relabel::Loaded) -> Result<MetricView, String> {
        let mut target = target_labels(&m.target_labels)?;
        // A scrape job attaches its name, as `promplay relabel --metric` does.
        if let Some(job) = loaded.job.as_ref().filter(|_| target.get("job").is_none()) {
            let mut b = target.builder();
            b.set("job", job);
            target = b.build();
        }
        let samples = match &m.source {
            MetricSource::Pasted { exposition } => pasted_samples(exposition)?,
            MetricSource::Loaded { .. } => {
                let db = &self.loaded.as_ref().ok_or("no data loaded: fix the data in the Query view first")?.db;
                // One entry per series, in the store's order (first appearance in the data), so
                // "first one wins" means what it means in a scrape.
                (0..db.num_series() as u32)
                    .filter_map(|id| db.window(id, i64::MIN, i64::MAX))
                    .map(|v| ScrapedSample {
                        labels: v.labels.clone(),
                        value: v.vs.last().copied().unwrap_or(0.0),
                        timestamp_ms: None,
                        exposed_empty: Vec::new(),
                    })
                    .collect()
            }
        };
        let outcomes = relabel::relabel_samples(&samples, &target, loaded.settings.honor_labels, &loaded.rules);
        let mut v = MetricView { total: samples.len(), target_labels: target.to_string(), ..MetricView::default() };
        let mut per_metric: BTreeMap<&str, (usize, usize)> = BTreeMap::new();
        let mut groups: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
        let mut rows = Vec::new();
        for o in &outcomes {
            let name = samples.get(o.index).and_then(|s| s.labels.metric_name()).unwrap_or("");
            let counts = per_metric.entry(name).or_default();
            counts.0 += 1;
            let (status, after, dropped_by, note) = match &o.result {
                MetricResult::Kept { labels, collision_with: None } => {
                    counts.1 += 1;
                    if *labels == o.attached {
                        v.unchanged += 1;
                        continue;
                    }
                    v.changed += 1;
                    ("changed", labels.to_string(), None, String::new())
                }
                MetricResult::Kept { labels, collision_with: Some(first) } => {
                    v.collided += 1;
                    groups.entry(*first).or_default().push(o.index);
                    let first = outcomes.get(*first).map(|f| f.attached.to_string()).unwrap_or_default();
                    ("collision", labels.to_string(), None, format!("same labels as {first}, which is stored"))
                }
                MetricResult::Dropped { rule } => {
                    v.dropped += 1;
                    let note = match rule {
                        Some(r) => dropped_note(*r, &loaded.rules),
                        None => "relabeling removed every label".to_string(),
                    };
                    ("dropped", String::new(), rule.map(|r| r + 1), note)
                }
                MetricResult::Error { labels, message } => {
                    v.errors += 1;
                    ("error", labels.to_string(), None, message.clone())
                }
            };
            if rows.len() < MetricView::ROWS_MAX {
                rows.push(MetricRow { before: o.attached.to_string(), after, status: status.to_string(), dropped_by, note });
            } else {
                v.rows_omitted += 1;
            }
        }
        v.rows = rows;
        v.per_metric = per_metric.into_iter().map(|(n, (b, a))| (n.to_string(), b, a)).collect();
        let attached = |i: usize| outcomes.get(i).map(|o| o.attached.to_string()).unwrap_or_default();
        v.collisions = groups
            .iter()
            .take(COLLISIONS_MAX)
            .map(|(first, later)| Collision {
                labels: match outcomes.get(*first).map(|o| &o.result) {
                    Some(MetricResult::Kept { labels, .. }) => labels.to_string(),
                    _ => String::new(),
                },
                kept: attached(*first),
                lost: later.iter().map(|&i| attached(i)).collect(),
            })
            .collect();
        if m.apply && matches!(m.source, MetricSource::Loaded { .. }) {
            v.applied = Some(self.apply(&outcomes)?);
        }
        Ok(v)
    }

    /// Replaces the store with the relabeled series. Colliding series merge as a scrape merges
    /// them: at a timestamp both have, the earlier series' sample is the one stored.
    fn apply(&mut self, outcomes: &[relabel::MetricOutcome]) -> Result<DataSummary, String> {
        let old = self.loaded.take().ok_or("no data loaded")?;
        let mut merged: Vec<(Labels, Vec<(i64, f64)>)> = Vec::new();
        let mut at: HashMap<&Labels, usize> = HashMap::new();
        for o in outcomes {
            let MetricResult::Kept { labels, .. } = &o.result else { continue };
            let Some(series) = old.db.window(o.index as u32, i64::MIN, i64::MAX) else { continue };
            let points = series.ts.iter().copied().zip(series.vs.iter().copied());
            match at.get(labels) {
                None => {
                    at.insert(labels, merged.len());
                    merged.push((labels.clone(), points.collect()));
                }
                Some(&i) => {
                    if let Some((_, mine)) = merged.get_mut(i) {
                        let extra: Vec<(i64, f64)> =
                            points.filter(|(t, _)| mine.binary_search_by_key(t, |p| p.0).is_err()).collect();
                        mine.extend(extra);
                        model::sort::sort_by_key(mine, |p| p.0);
                    }
                }
            }
        }
        let mut db = tsdb::Storage::new();
        for (labels, points) in &merged {
            for &(t, v) in points {
                db.append(labels, t, v).map_err(|e| e.to_string())?;
            }
        }
        let card = db.cardinality(CARDINALITY_TOP);
        let summary = view::summary(&card, old.eval_time_ms, old.shape);
        self.last = None;
        self.loaded = Some(Loaded { db, min_time_ms: card.min_time, ..old });
        Ok(summary)
    }
}

/// The `job_name`s of a prometheus.yml's `scrape_configs`, in order; empty for other shapes
/// (and for text that is not YAML: the rules' own error says why).
fn scrape_jobs(yaml: &str) -> Vec<String> {
    let Ok(root) = relabel::yaml::parse(yaml) else { return Vec::new() };
    match root.get("scrape_configs").map(|c| &c.value) {
        Some(relabel::yaml::Value::Seq(items)) => {
            items.iter().filter_map(|i| i.get("job_name").and_then(|n| n.as_str()).map(str::to_string)).collect()
        }
        _ => Vec::new(),
    }
}

/// The target labels typed for metric mode: one YAML/JSON label map.
fn target_labels(text: &str) -> Result<Labels, String> {
    if text.trim().is_empty() {
        return Ok(Labels::empty());
    }
    let mut sets = relabel::parse_targets(text).map_err(|e| format!("target labels: {e}"))?;
    match sets.len() {
        0 => Ok(Labels::empty()),
        1 => Ok(sets.pop().unwrap_or_default()),
        n => Err(format!("target labels: expected one label map, found {n}")),
    }
}

/// A pasted scrape's samples, each with the labels it exposed empty (they matter with
/// `honor_labels: true`), as `promplay relabel --metric` reads them.
fn pasted_samples(text: &str) -> Result<Vec<ScrapedSample>, String> {
    let expo = formats::parse_auto(text).map_err(|e| format!("exposition: {e}"))?;
    let lines: Vec<&str> = text.lines().collect();
    Ok(expo
        .samples
        .into_iter()
        .map(|s| ScrapedSample {
            exposed_empty: relabel::empty_label_names(lines.get(s.line.wrapping_sub(1)).copied().unwrap_or_default()),
            labels: s.labels,
            value: s.value,
            timestamp_ms: s.timestamp_ms,
        })
        .collect())
}

fn targets_view(targets: &[Labels], loaded: &relabel::Loaded) -> TargetsView {
    let mut v = TargetsView::default();
    for input in targets {
        let out = relabel::relabel_target(input, &loaded.settings, &loaded.rules);
        let mut row = TargetRow {
            before: pairs(&out.discovered),
            steps: steps(&out.discovered, &out.trace.steps),
            ..TargetRow::default()
        };
        match &out.result {
            TargetResult::Kept { relabeled, target } => {
                v.kept += 1;
                row.status = "kept".to_string();
                row.relabeled = pairs(relabeled);
                row.target = pairs(target);
            }
            TargetResult::Dropped { rule } => {
                v.dropped += 1;
                row.status = "dropped".to_string();
                row.dropped_by = Some(rule + 1);
                row.note = dropped_note(*rule, &loaded.rules);
            }
            TargetResult::Error { relabeled, message } => {
                v.errors += 1;
                row.status = "error".to_string();
                row.relabeled = pairs(relabeled);
                row.note = format!("Prometheus refuses this target: {message}");
            }
        }
        v.rows.push(row);
    }
    v
}

fn dropped_note(rule: usize, rules: &[Rule]) -> String {
    match rules.get(rule) {
        Some(r) => format!("dropped by rule {} ({}, line {})", rule + 1, r.action, r.pos.line),
        None => format!("dropped by rule {}", rule + 1),
    }
}

/// `name="value"` per label, the name quoted when it is not a legacy identifier.
fn pair(l: &Label) -> String {
    if model::is_legacy_label_name(&l.name) {
        format!("{}={}", l.name, model::quote(&l.value))
    } else {
        format!("{}={}", model::quote(&l.name), model::quote(&l.value))
    }
}

fn pairs(l: &Labels) -> Vec<String> {
    l.iter().map(pair).collect()
}

fn steps(input: &Labels, steps: &[Step]) -> Vec<TraceStep> {
    let mut before = input;
    let mut out = Vec::with_capacity(steps.len());
    for s in steps {
        let changes = s.labels_after.as_ref().map(|after| diff(before, after)).unwrap_or_default();
        out.push(TraceStep {
            rule: s.rule_index + 1,
            action: s.action.to_string(),
            changes,
            labels: s.labels_after.as_ref().map(pairs),
        });
        if let Some(after) = &s.labels_after {
            before = after;
        }
    }
    out
}

/// What changed between two label sets, in label-name order.
fn diff(before: &Labels, after: &Labels) -> Vec<String> {
    let mut names: Vec<&str> = before.iter().chain(after.iter()).map(|l| l.name.as_str()).collect();
    names.sort_unstable();
    names.dedup();
    let mut out = Vec::new();
    for n in names {
        match (before.get(n), after.get(n)) {
            (None, Some(v)) => out.push(format!("+{}", pair(&Label::new(n, v)))),
            (Some(v), None) => out.push(format!("-{}", pair(&Label::new(n, v)))),
            (Some(a), Some(b)) if a != b => out.push(format!("~{} → {}", pair(&Label::new(n, a)), model::quote(b))),
            _ => {}
        }
    }
    out
}

/// One line per rule for the view: the action and the fields that differ from the defaults.
fn describe(r: &Rule) -> String {
    let mut s = format!("line {}: {}", r.pos.line, r.action);
    if let Some(src) = &r.source_labels {
        s.push_str(&format!(" [{}]", src.join(", ")));
    }
    if r.separator != relabel::DEFAULT_SEPARATOR {
        s.push_str(&format!(" separator {}", model::quote(&r.separator)));
    }
    if r.regex_set {
        s.push_str(&format!(" regex {}", model::quote(&r.regex_src)));
    }
    if r.action == relabel::Action::HashMod {
        s.push_str(&format!(" modulus {}", r.modulus));
    }
    if !r.target_label.is_empty() {
        s.push_str(&format!(" → {}", r.target_label));
    }
    if matches!(r.action, relabel::Action::Replace | relabel::Action::LabelMap)
        && r.replacement != relabel::DEFAULT_REPLACEMENT
    {
        s.push_str(&format!(" = {}", model::quote(&r.replacement)));
    }
    s
}
