//! Float equality within a relative tolerance: how far apart two values may be, as a fraction
//! of the larger one, so `0.1` means "within 10%" whatever the values' scale.

/// `a` equals `b` when they differ by at most `epsilon` times the larger magnitude: NaN equals
/// NaN (any NaN, the stale marker included), infinities equal when their signs do, and a zero
/// only equals a zero (a relative difference against zero is always 100%).
pub fn almost_equal(a: f64, b: f64, epsilon: f64) -> bool {
    if a.is_nan() || b.is_nan() {
        return a.is_nan() && b.is_nan();
    }
    if a == b {
        return true;
    }
    if a.is_infinite() || b.is_infinite() {
        return false;
    }
    // `a - b` may overflow to infinity (MAX and -MAX): then it is not within any tolerance.
    (a - b).abs() <= epsilon * a.abs().max(b.abs())
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
        assert!(almost_equal(100.0, 110.0, 0.1));
        assert!(!almost_equal(100.0, 112.0, 0.1));
        assert!(!almost_equal(f64::MAX, -f64::MAX, 1.0));
        assert!(almost_equal(-2.0, -2.0000001, 1e-6));
        assert!(!almost_equal(0.0, 1e-300, 1e-6));
        assert!(almost_equal(0.0, -0.0, 1e-6));
    }
}
