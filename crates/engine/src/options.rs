//! Engine settings, defaulting to what Prometheus v3.14 and its test suite use.

use model::Duration;

#[derive(Clone, Debug, PartialEq)]
pub struct Options {
    /// How far back an instant selector looks for a sample: the window is `(t - lookback, t]`.
    pub lookback_delta: Duration,
    /// Stop a query whose intermediate results hold more samples than this.
    pub max_samples: usize,
    /// Prometheus refuses range queries with more steps than this per series.
    pub max_points_per_series: usize,
    /// Step of a subquery written without one (`[5m:]`); Prometheus uses the global evaluation
    /// interval, the test suite 1m.
    pub default_subquery_step: Duration,
    /// Prometheus's `UseStartTimestamps`: range selectors carry the samples' start (created)
    /// timestamps into `rate`, `increase`, `irate`, `resets` (counter resets, extrapolation) and
    /// `start_timestamp()` returns them. Prometheus defaults it off; its test suite, and so
    /// promplay, turn it on.
    pub use_start_timestamps: bool,
    /// Where a long evaluation reports how far it got (the browser's worker); none by default.
    pub progress: Option<crate::progress::ProgressHook>,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            lookback_delta: 5 * 60_000,
            max_samples: 50_000_000,
            max_points_per_series: 11_000,
            default_subquery_step: 60_000,
            use_start_timestamps: true,
            progress: None,
        }
    }
}
