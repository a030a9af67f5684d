//! The signature table of every PromQL function in Prometheus v3.14: argument types, how many
//! optional or repeated arguments, return type, and whether it is experimental.
//!
//! The engine implements exactly these names; the UI completes from them.

use crate::ast::ValueType;

use ValueType::{Matrix as M, Scalar as S, String as Str, Vector as V};

#[derive(Debug, PartialEq)]
pub struct FunctionSig {
    pub name: &'static str,
    pub arg_types: &'static [ValueType],
    /// 0: exactly `arg_types`; n > 0: the last type may appear 0..=n times;
    /// -1: the last type may appear any number of times (at least once is not required).
    pub variadic: i32,
    pub return_type: ValueType,
    /// Needs `--enable-feature=promql-experimental-functions` in Prometheus.
    pub experimental: bool,
    pub description: &'static str,
}

impl FunctionSig {
    /// Smallest accepted argument count.
    pub fn min_args(&self) -> usize {
        if self.variadic == 0 {
            self.arg_types.len()
        } else {
            self.arg_types.len().saturating_sub(1)
        }
    }

    /// Largest accepted argument count; `None` when unbounded.
    pub fn max_args(&self) -> Option<usize> {
        match self.variadic {
            0 => Some(self.arg_types.len()),
            n if n > 0 => Some(self.arg_types.len() - 1 + n as usize),
            _ => None,
        }
    }

    /// The expected type of argument `i` (repeated types extend the last one).
    pub fn arg_type(&self, i: usize) -> Option<ValueType> {
        self.arg_types
            .get(i)
            .or_else(|| {
                if self.variadic != 0 {
                    self.arg_types.last()
                } else {
                    None
                }
            })
            .copied()
    }
}

const fn f(
    name: &'static str,
    arg_types: &'static [ValueType],
    variadic: i32,
    return_type: ValueType,
    experimental: bool,
    description: &'static str,
) -> FunctionSig {
    FunctionSig {
        name,
        arg_types,
        variadic,
        return_type,
        experimental,
        description,
    }
}

/// Sorted by name.
static FUNCTIONS: &[FunctionSig] = &[
    f("abs", &[V], 0, V, false, "Absolute value of each sample."),
    f(
        "absent",
        &[V],
        0,
        V,
        false,
        "1-element vector if the input is empty, else empty.",
    ),
    f(
        "absent_over_time",
        &[M],
        0,
        V,
        false,
        "1-element vector if the range has no samples, else empty.",
    ),
    f(
        "acos",
        &[V],
        0,
        V,
        false,
        "Arccosine of each sample, in radians.",
    ),
    f(
        "acosh",
        &[V],
        0,
        V,
        false,
        "Inverse hyperbolic cosine of each sample.",
    ),
    f(
        "asin",
        &[V],
        0,
        V,
        false,
        "Arcsine of each sample, in radians.",
    ),
    f(
        "asinh",
        &[V],
        0,
        V,
        false,
        "Inverse hyperbolic sine of each sample.",
    ),
    f(
        "atan",
        &[V],
        0,
        V,
        false,
        "Arctangent of each sample, in radians.",
    ),
    f(
        "atanh",
        &[V],
        0,
        V,
        false,
        "Inverse hyperbolic tangent of each sample.",
    ),
    f(
        "avg_over_time",
        &[M],
        0,
        V,
        false,
        "Average of the samples in the range.",
    ),
    f(
        "ceil",
        &[V],
        0,
        V,
        false,
        "Rounds each sample up to the nearest integer.",
    ),
    f(
        "changes",
        &[M],
        0,
        V,
        false,
        "Number of times the value changed within the range.",
    ),
    f(
        "clamp",
        &[V, S, S],
        0,
        V,
        false,
        "Clamps each sample between a minimum and a maximum.",
    ),
    f(
        "clamp_max",
        &[V, S],
        0,
        V,
        false,
        "Clamps each sample to a maximum.",
    ),
    f(
        "clamp_min",
        &[V, S],
        0,
        V,
        false,
        "Clamps each sample to a minimum.",
    ),
    f("cos", &[V], 0, V, false, "Cosine of each sample (radians)."),
    f(
        "cosh",
        &[V],
        0,
        V,
        false,
        "Hyperbolic cosine of each sample.",
    ),
    f(
        "count_over_time",
        &[M],
        0,
        V,
        false,
        "Number of samples in the range.",
    ),
    f(
        "day_of_month",
        &[V],
        1,
        V,
        false,
        "Day of the month (1-31) of each timestamp, in UTC.",
    ),
    f(
        "day_of_week",
        &[V],
        1,
        V,
        false,
        "Day of the week (0 = Sunday) of each timestamp, in UTC.",
    ),
    f(
        "day_of_year",
        &[V],
        1,
        V,
        false,
        "Day of the year (1-366) of each timestamp, in UTC.",
    ),
    f(
        "days_in_month",
        &[V],
        1,
        V,
        false,
        "Number of days in the month of each timestamp, in UTC.",
    ),
    f("deg", &[V], 0, V, false, "Converts radians to degrees."),
    f(
        "delta",
        &[M],
        0,
        V,
        false,
        "Difference between the first and last value of a gauge over the range, extrapolated.",
    ),
    f(
        "deriv",
        &[M],
        0,
        V,
        false,
        "Per-second derivative of a gauge by simple linear regression.",
    ),
    f(
        "double_exponential_smoothing",
        &[M, S, S],
        0,
        V,
        true,
        "Smoothed value of a gauge (Holt linear) with smoothing and trend factors.",
    ),
    f(
        "end",
        &[],
        0,
        S,
        true,
        "End time of the query, in seconds since the epoch.",
    ),
    f(
        "exp",
        &[V],
        0,
        V,
        false,
        "Exponential function e^x of each sample.",
    ),
    f(
        "first_over_time",
        &[M],
        0,
        V,
        false,
        "Oldest sample in the range.",
    ),
    f(
        "floor",
        &[V],
        0,
        V,
        false,
        "Rounds each sample down to the nearest integer.",
    ),
    f(
        "histogram_avg",
        &[V],
        0,
        V,
        false,
        "Average of the observations of each native histogram.",
    ),
    f(
        "histogram_count",
        &[V],
        0,
        V,
        false,
        "Observation count of each native histogram.",
    ),
    f(
        "histogram_fraction",
        &[S, S, V],
        0,
        V,
        false,
        "Estimated fraction of observations between two bounds.",
    ),
    f(
        "histogram_quantile",
        &[S, V],
        0,
        V,
        false,
        "Estimated φ-quantile from classic buckets or a native histogram.",
    ),
    f(
        "histogram_quantiles",
        &[V, Str, S, S],
        -1,
        V,
        true,
        "Several φ-quantiles at once, one series per quantile in a new label.",
    ),
    f(
        "histogram_stddev",
        &[V],
        0,
        V,
        false,
        "Estimated standard deviation of the observations of each native histogram.",
    ),
    f(
        "histogram_stdvar",
        &[V],
        0,
        V,
        false,
        "Estimated variance of the observations of each native histogram.",
    ),
    f(
        "histogram_sum",
        &[V],
        0,
        V,
        false,
        "Sum of the observations of each native histogram.",
    ),
    f(
        "hour",
        &[V],
        1,
        V,
        false,
        "Hour of the day (0-23) of each timestamp, in UTC.",
    ),
    f(
        "idelta",
        &[M],
        0,
        V,
        false,
        "Difference between the last two samples in the range.",
    ),
    f(
        "increase",
        &[M],
        0,
        V,
        false,
        "Increase of a counter over the range, extrapolated, adjusting for resets.",
    ),
    f(
        "info",
        &[V, V],
        1,
        V,
        true,
        "Adds labels from info metrics (default target_info) to each series.",
    ),
    f(
        "irate",
        &[M],
        0,
        V,
        false,
        "Per-second rate from the last two samples of a counter.",
    ),
    f(
        "label_join",
        &[V, Str, Str, Str],
        -1,
        V,
        false,
        "Joins the values of source labels into a destination label.",
    ),
    f(
        "label_replace",
        &[V, Str, Str, Str, Str],
        0,
        V,
        false,
        "Sets a label from a regex match on another label.",
    ),
    f(
        "last_over_time",
        &[M],
        0,
        V,
        false,
        "Newest sample in the range.",
    ),
    f("ln", &[V], 0, V, false, "Natural logarithm of each sample."),
    f(
        "log10",
        &[V],
        0,
        V,
        false,
        "Decimal logarithm of each sample.",
    ),
    f(
        "log2",
        &[V],
        0,
        V,
        false,
        "Binary logarithm of each sample.",
    ),
    f(
        "mad_over_time",
        &[M],
        0,
        V,
        true,
        "Median absolute deviation of the samples in the range.",
    ),
    f("max_of", &[S, S], 0, S, true, "The larger of two scalars."),
    f(
        "max_over_time",
        &[M],
        0,
        V,
        false,
        "Largest sample in the range.",
    ),
    f("min_of", &[S, S], 0, S, true, "The smaller of two scalars."),
    f(
        "min_over_time",
        &[M],
        0,
        V,
        false,
        "Smallest sample in the range.",
    ),
    f(
        "minute",
        &[V],
        1,
        V,
        false,
        "Minute of the hour (0-59) of each timestamp, in UTC.",
    ),
    f(
        "month",
        &[V],
        1,
        V,
        false,
        "Month of the year (1-12) of each timestamp, in UTC.",
    ),
    f("pi", &[], 0, S, false, "The constant π."),
    f(
        "predict_linear",
        &[M, S],
        0,
        V,
        false,
        "Value predicted t seconds ahead by linear regression.",
    ),
    f(
        "present_over_time",
        &[M],
        0,
        V,
        false,
        "1 for every series with a sample in the range.",
    ),
    f(
        "quantile_over_time",
        &[S, M],
        0,
        V,
        false,
        "φ-quantile of the samples in the range.",
    ),
    f("rad", &[V], 0, V, false, "Converts degrees to radians."),
    f(
        "range",
        &[],
        0,
        S,
        true,
        "Range of the query (end - start), in seconds.",
    ),
    f(
        "rate",
        &[M],
        0,
        V,
        false,
        "Per-second average increase of a counter over the range, extrapolated.",
    ),
    f(
        "resets",
        &[M],
        0,
        V,
        false,
        "Number of counter resets within the range.",
    ),
    f(
        "round",
        &[V, S],
        1,
        V,
        false,
        "Rounds each sample to the nearest multiple of an optional step (default 1).",
    ),
    f(
        "scalar",
        &[V],
        0,
        S,
        false,
        "The value of a single-element vector as a scalar, else NaN.",
    ),
    f("sgn", &[V], 0, V, false, "Sign of each sample: 1, -1 or 0."),
    f("sin", &[V], 0, V, false, "Sine of each sample (radians)."),
    f("sinh", &[V], 0, V, false, "Hyperbolic sine of each sample."),
    f(
        "sort",
        &[V],
        0,
        V,
        false,
        "Sorts by sample value, ascending (instant queries).",
    ),
    f(
        "sort_by_label",
        &[V, Str],
        -1,
        V,
        true,
        "Sorts by the given label values, ascending.",
    ),
    f(
        "sort_by_label_desc",
        &[V, Str],
        -1,
        V,
        true,
        "Sorts by the given label values, descending.",
    ),
    f(
        "sort_desc",
        &[V],
        0,
        V,
        false,
        "Sorts by sample value, descending (instant queries).",
    ),
    f("sqrt", &[V], 0, V, false, "Square root of each sample."),
    f(
        "start",
        &[],
        0,
        S,
        true,
        "Start time of the query, in seconds since the epoch.",
    ),
    f(
        "start_timestamp",
        &[V],
        0,
        V,
        true,
        "Start (created) timestamp of each sample, in seconds.",
    ),
    f(
        "stddev_over_time",
        &[M],
        0,
        V,
        false,
        "Population standard deviation of the samples in the range.",
    ),
    f(
        "stdvar_over_time",
        &[M],
        0,
        V,
        false,
        "Population variance of the samples in the range.",
    ),
    f("step", &[], 0, S, true, "Step of the query, in seconds."),
    f(
        "sum_over_time",
        &[M],
        0,
        V,
        false,
        "Sum of the samples in the range.",
    ),
    f(
        "tan",
        &[V],
        0,
        V,
        false,
        "Tangent of each sample (radians).",
    ),
    f(
        "tanh",
        &[V],
        0,
        V,
        false,
        "Hyperbolic tangent of each sample.",
    ),
    f(
        "time",
        &[],
        0,
        S,
        false,
        "Evaluation time, in seconds since the epoch.",
    ),
    f(
        "timestamp",
        &[V],
        0,
        V,
        false,
        "Timestamp of each sample, in seconds since the epoch.",
    ),
    f(
        "ts_of_first_over_time",
        &[M],
        0,
        V,
        true,
        "Timestamp of the oldest sample in the range.",
    ),
    f(
        "ts_of_last_over_time",
        &[M],
        0,
        V,
        true,
        "Timestamp of the newest sample in the range.",
    ),
    f(
        "ts_of_max_over_time",
        &[M],
        0,
        V,
        true,
        "Timestamp of the largest sample in the range (the newest on ties).",
    ),
    f(
        "ts_of_min_over_time",
        &[M],
        0,
        V,
        true,
        "Timestamp of the smallest sample in the range (the newest on ties).",
    ),
    f(
        "vector",
        &[S],
        0,
        V,
        false,
        "A one-element vector without labels holding the scalar.",
    ),
    f("year", &[V], 1, V, false, "Year of each timestamp, in UTC."),
];

/// Looks a function up by its exact (case-sensitive) name.
pub fn function(name: &str) -> Option<&'static FunctionSig> {
    FUNCTIONS
        .binary_search_by(|f| f.name.cmp(name))
        .ok()
        .and_then(|i| FUNCTIONS.get(i))
}

/// Every function, sorted by name.
pub fn functions() -> &'static [FunctionSig] {
    FUNCTIONS
}

#[cfg(test)]
#[allow(clippy::panic)]
mod tests {
    use super::*;

    #[test]
    fn table_is_sorted_and_unique() {
        for w in FUNCTIONS.windows(2) {
            assert!(w[0].name < w[1].name, "{} before {}", w[0].name, w[1].name);
        }
    }

    #[test]
    fn lookup() {
        assert_eq!(function("rate").map(|f| f.arg_types), Some(&[M][..]));
        assert!(function("Rate").is_none());
        assert_eq!(function("round").and_then(|f| f.max_args()), Some(2));
        assert_eq!(
            function("label_join").map(|f| (f.min_args(), f.max_args())),
            Some((3, None))
        );
        assert_eq!(
            function("year").map(|f| (f.min_args(), f.max_args())),
            Some((0, Some(1)))
        );
    }
}
