//! `info(v, {selector})`: adds the data labels of info series (default `target_info`) that share
//! the identifying labels `instance` and `job` with each sample, looked up at the sample's own
//! time with the usual lookback.

use model::{is_stale_nan, Labels, MatchOp, Matcher, Timestamp, METRIC_NAME};
use promql::{Call, Expr};

use crate::aggregate::unparen;
use crate::error::QueryError;
use crate::eval::{exec_err, Evaluated, Evaluator, Sample};

const IDENTIFYING: [&str; 2] = ["instance", "job"];

struct InfoSeries {
    labels: Labels,
    ts: Vec<Timestamp>,
    vs: Vec<f64>,
}

impl InfoSeries {
    /// The newest sample time at or before `t` within the lookback, unless it is stale.
    fn present_at(&self, t: Timestamp, lookback: i64) -> Option<Timestamp> {
        let i = self.ts.partition_point(|&x| x <= t).checked_sub(1)?;
        let (st, v) = (*self.ts.get(i)?, *self.vs.get(i)?);
        (st > t - lookback && !is_stale_nan(v)).then_some(st)
    }
}

impl Evaluator<'_> {
    pub(super) fn info(&self, c: &Call) -> Result<Evaluated, QueryError> {
        let base_expr = c.args.first().ok_or_else(|| exec_err("info needs an argument"))?;
        let selector: Vec<Matcher> = match c.args.get(1).map(unparen) {
            Some(Expr::VectorSelector(v)) => v.matchers.clone(),
            _ => Vec::new(),
        };
        let mut name_matchers: Vec<Matcher> = selector.iter().filter(|m| m.name == METRIC_NAME).cloned().collect();
        let data_matchers: Vec<Matcher> = selector.iter().filter(|m| m.name != METRIC_NAME).cloned().collect();
        if name_matchers.is_empty() {
            name_matchers.push(Matcher::new(MatchOp::Equal, METRIC_NAME, "target_info").map_err(|e| exec_err(e.0))?);
        } else if !name_matchers.iter().any(|m| matches!(m.op, MatchOp::Equal | MatchOp::RegexMatch)) {
            // Only negative name matchers: they narrow down the info metrics, i.e. `*_info`.
            name_matchers.push(Matcher::new(MatchOp::RegexMatch, METRIC_NAME, ".+_info").map_err(|e| exec_err(e.0))?);
        }
        let base = self.eval_vector(base_expr)?;
        // The time each base sample was taken: info series are looked up there.
        let orig: Option<Vec<crate::eval::StepSeries>> = match unparen(base_expr) {
            Expr::VectorSelector(sel) => Some(self.select_vector(sel, crate::selector::Pick::Timestamp)?),
            _ => None,
        };
        let lookback = self.sh.opts.lookback_delta;
        let all: Vec<Matcher> = name_matchers.iter().chain(&data_matchers).cloned().collect();
        let infos: Vec<InfoSeries> = self
            .sh
            .db
            .select(&all, i64::MIN / 4, i64::MAX / 4)
            .into_iter()
            .map(|s| InfoSeries { labels: s.labels.clone(), ts: s.ts.to_vec(), vs: s.vs.to_vec() })
            .collect();
        let empty_ok = data_matchers.iter().all(Matcher::matches_empty);
        let mut col = self.collator();
        for (si, s) in base.iter().enumerate() {
            let name = s.labels.get_or_empty(METRIC_NAME);
            let is_info = name_matchers.iter().all(|m| m.matches(name));
            let ident: Vec<(&str, &str)> =
                IDENTIFYING.iter().filter_map(|n| s.labels.get(n).map(|v| (*n, v))).collect();
            for (pi, &(t, v)) in s.points.iter().enumerate() {
                let smp = |labels: Labels| Sample { labels, v, drop_name: s.drop_name };
                if is_info {
                    col.push(t, smp(s.labels.clone()))?;
                    continue;
                }
                let at = orig
                    .as_ref()
                    .and_then(|o| o.get(si))
                    .and_then(|o| o.points.get(pi))
                    .map(|p| (p.1 * 1000.0).round() as Timestamp)
                    .unwrap_or(t);
                // Per info metric name, the matching series with the newest sample.
                let mut chosen: Vec<(&str, Timestamp, &InfoSeries)> = Vec::new();
                if !ident.is_empty() {
                    for inf in &infos {
                        if IDENTIFYING.iter().any(|n| {
                            let iv = inf.labels.get_or_empty(n);
                            let bv = s.labels.get_or_empty(n);
                            !iv.is_empty() && iv != bv || iv.is_empty() && !bv.is_empty()
                        }) {
                            continue;
                        }
                        let Some(st) = inf.present_at(at, lookback) else { continue };
                        let iname = inf.labels.get_or_empty(METRIC_NAME);
                        match chosen.iter_mut().find(|c| c.0 == iname) {
                            Some(c) if c.1 < st => *c = (iname, st, inf),
                            Some(_) => {}
                            None => chosen.push((iname, st, inf)),
                        }
                    }
                }
                if chosen.is_empty() {
                    if empty_ok {
                        col.push(t, smp(s.labels.clone()))?;
                    }
                    continue;
                }
                let mut b = s.labels.builder();
                let mut added: Vec<(String, String)> = Vec::new();
                for (_, _, inf) in &chosen {
                    for l in &inf.labels {
                        if l.name == METRIC_NAME || IDENTIFYING.contains(&l.name.as_str()) {
                            continue;
                        }
                        if !data_matchers.is_empty() && !data_matchers.iter().any(|m| m.name == l.name) {
                            continue;
                        }
                        if s.labels.get(&l.name).is_some() {
                            continue;
                        }
                        if let Some((_, prev)) = added.iter().find(|(n, _)| n == &l.name) {
                            if prev != &l.value {
                                return Err(exec_err(format!(
                                    "conflicting label: {} has values {} and {}",
                                    l.name, prev, l.value
                                )));
                            }
                            continue;
                        }
                        added.push((l.name.clone(), l.value.clone()));
                        b.set(&l.name, &l.value);
                    }
                }
                col.push(t, smp(b.build()))?;
            }
        }
        Ok(Evaluated::Vector(col.finish()))
    }
}
