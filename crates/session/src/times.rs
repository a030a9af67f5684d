//! The query's time controls as typed, resolved against the loaded data: what the user left
//! empty is chosen as Prometheus's own UI would for this data.

use model::timearg::{parse_duration_arg, parse_time};
use protocol::{QueryRequest, RangeSpec};

/// A range spans at least the lookback delta, so data scraped once still draws a line.
const MIN_AUTO_RANGE_MS: i64 = 5 * 60_000;
/// Prometheus's graph asks for about this many points per series.
const AUTO_POINTS: i64 = 250;

/// The instant query's evaluation time, or the range query's parameters.
pub fn resolve(q: &QueryRequest, eval_time_ms: i64, min_time_ms: Option<i64>) -> Result<(i64, Option<RangeSpec>), String> {
    let time = |s: &str, what: &str| -> Result<Option<i64>, String> {
        let s = s.trim();
        if s.is_empty() {
            return Ok(None);
        }
        parse_time(s).map(Some).map_err(|e| format!("{what}: {e}"))
    };
    let duration = |s: &str, what: &str| -> Result<Option<i64>, String> {
        let s = s.trim();
        if s.is_empty() {
            return Ok(None);
        }
        parse_duration_arg(s).map(Some).map_err(|e| format!("{what}: {e}"))
    };
    let Some(r) = &q.range else {
        return Ok((time(&q.time, "evaluation time")?.unwrap_or(eval_time_ms), None));
    };
    let end_ms = time(&r.end, "end time")?.unwrap_or(eval_time_ms);
    let span = match duration(&r.range, "range")? {
        Some(d) if d <= 0 => return Err("range: must be positive".to_string()),
        Some(d) => d,
        None => (end_ms - min_time_ms.unwrap_or(end_ms)).max(MIN_AUTO_RANGE_MS),
    };
    // Whole seconds, at least one, as the Prometheus UI picks its resolution.
    let step_ms = duration(&r.step, "step")?.unwrap_or_else(|| (span / AUTO_POINTS / 1000).max(1) * 1000);
    Ok((end_ms, Some(RangeSpec { start_ms: end_ms - span, end_ms, step_ms })))
}

#[cfg(test)]
mod tests {
    use super::*;
    use protocol::RangeInput;

    fn q(time: &str, range: Option<(&str, &str, &str)>) -> QueryRequest {
        QueryRequest {
            query: "up".to_string(),
            time: time.to_string(),
            range: range.map(|(e, r, s)| RangeInput { end: e.into(), range: r.into(), step: s.into() }),
        }
    }

    #[test]
    fn instant_time_defaults_to_the_data() {
        assert_eq!(resolve(&q("", None), 5_000, None), Ok((5_000, None)));
        assert_eq!(resolve(&q("1700000000.5", None), 5_000, None), Ok((1_700_000_000_500, None)));
        assert_eq!(resolve(&q("2023-11-14T22:13:20Z", None), 0, None), Ok((1_700_000_000_000, None)));
        assert!(resolve(&q("soon", None), 0, None).is_err_and(|e| e.starts_with("evaluation time: ")));
    }

    #[test]
    fn range_defaults_span_the_data_with_about_250_points() {
        let t = 1_700_000_000_000;
        // 25 minutes of data: the whole span, 6 s steps (1500 s / 250).
        let (_, r) = resolve(&q("", Some(("", "", ""))), t, Some(t - 1_500_000)).unwrap_or_default();
        assert_eq!(r, Some(RangeSpec { start_ms: t - 1_500_000, end_ms: t, step_ms: 6_000 }));
        // One scrape: the lookback's 5 minutes, 1 s steps.
        let (_, r) = resolve(&q("", Some(("", "", ""))), t, Some(t)).unwrap_or_default();
        assert_eq!(r, Some(RangeSpec { start_ms: t - 300_000, end_ms: t, step_ms: 1_000 }));
    }

    #[test]
    fn typed_range_controls_win() {
        let (end, r) = resolve(&q("", Some(("1000", "1h", "30s"))), 0, Some(0)).unwrap_or_default();
        assert_eq!((end, r), (1_000_000, Some(RangeSpec { start_ms: 1_000_000 - 3_600_000, end_ms: 1_000_000, step_ms: 30_000 })));
        assert!(resolve(&q("", Some(("", "0s", ""))), 0, None).is_err());
        assert!(resolve(&q("", Some(("", "", "x"))), 0, None).is_err_and(|e| e.starts_with("step: ")));
    }
}
