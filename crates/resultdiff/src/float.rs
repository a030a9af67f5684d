//! Float equality within a relative tolerance, as Prometheus's test runner decides it
//! (`util/almost.Equal`), so a tolerance means the same here as in a `.test` file.

/// The smallest positive normal f64 (Go's `math.SmallestNonzeroFloat64` is subnormal; almost.Equal
/// uses this one).
const MIN_NORMAL: f64 = 2.2250738585072014e-308;

/// `a` equals `b` within the relative tolerance `epsilon`: NaN equals NaN (any NaN, the stale
/// marker included), infinities equal when their signs do, and a zero only equals a zero
/// (a relative error against zero is meaningless).
pub fn almost_equal(a: f64, b: f64, epsilon: f64) -> bool {
    if a.is_nan() || b.is_nan() {
        return a.is_nan() && b.is_nan();
    }
    if a == b {
        return true;
    }
    let abs_sum = a.abs() + b.abs();
    let diff = (a - b).abs();
    if a == 0.0 || b == 0.0 || abs_sum < MIN_NORMAL {
        return diff < epsilon * MIN_NORMAL;
    }
    // An infinity on one side: inf/inf is NaN, which compares false.
    diff / abs_sum.min(f64::MAX) < epsilon
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nan_infinities_and_tolerance() {
        assert!(almost_equal(f64::NAN, f64::NAN, 1e-6));
        assert!(almost_equal(f64::NAN, model::STALE_NAN, 1e-6));
        assert!(!almost_equal(f64::NAN, 1.0, 1e-6));
        assert!(!almost_equal(0.0, f64::NAN, 1e-6));
        assert!(almost_equal(f64::INFINITY, f64::INFINITY, 1e-6));
        assert!(almost_equal(f64::NEG_INFINITY, f64::NEG_INFINITY, 1e-6));
        assert!(!almost_equal(f64::INFINITY, f64::NEG_INFINITY, 1e-6));
        assert!(!almost_equal(f64::INFINITY, f64::MAX, 1e-6));
        assert!(almost_equal(1.0, 1.0 + 1e-9, 1e-6));
        assert!(!almost_equal(1.0, 1.0 + 1e-5, 1e-6));
        assert!(almost_equal(1.0, 1.01, 0.01));
        assert!(!almost_equal(0.0, 1e-300, 1e-6));
        assert!(almost_equal(0.0, -0.0, 1e-6));
    }
}
