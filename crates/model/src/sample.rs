//! Float samples and Prometheus's staleness marker.

use crate::time::Timestamp;

/// The bit pattern Prometheus writes as a staleness marker: a NaN that ends a series.
pub const STALE_NAN_BITS: u64 = 0x7ff0_0000_0000_0002;
pub const STALE_NAN: f64 = f64::from_bits(STALE_NAN_BITS);

/// Only the exact marker bits count; an ordinary NaN is a value like any other.
pub fn is_stale_nan(v: f64) -> bool {
    v.to_bits() == STALE_NAN_BITS
}

#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Sample {
    pub t: Timestamp,
    pub v: f64,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stale_marker_is_distinct_from_nan() {
        assert!(is_stale_nan(STALE_NAN));
        assert!(STALE_NAN.is_nan());
        assert!(!is_stale_nan(f64::NAN));
    }
}
