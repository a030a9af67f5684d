//! What a sample's start (created) timestamp says about the counter it belongs to: whether it
//! was reset since the previous sample, and whether the start overlaps earlier samples.
//! A start timestamp of 0 means unknown and never says anything.

use super::Win;

/// The start timestamp of sample `i` of the window, 0 when unknown or not carried.
pub(super) fn st_at(w: &Win, i: usize) -> i64 {
    w.st.and_then(|st| st.get(i)).copied().unwrap_or(0)
}

/// True when the current sample's start timestamp shows a counter reset since the previous
/// sample (Prometheus's `isStartTimestampReset`).
pub(super) fn is_reset(prev_st: i64, prev_t: i64, cur_st: i64, cur_t: i64) -> bool {
    // Unknown, invalid (after the sample) or OTel's "unknown start" (equal to the sample).
    if cur_st == 0 || cur_st >= cur_t {
        return false;
    }
    if cur_st != prev_t {
        // Started after the previous sample: a new counter. Before it: the same one.
        return cur_st > prev_t;
    }
    // The start is the previous sample's time: a delta sample (a reset every time) if the
    // previous start was known and valid, or a cumulative series whose start was unknown.
    if prev_st > prev_t {
        return false;
    }
    prev_st != 0 && prev_st != prev_t
}

/// True when the current sample claims to have started before the previous sample was taken,
/// without sharing its start: the two samples' intervals overlap (Prometheus's
/// `checkStartTimeOverlap`).
pub(super) fn overlaps(prev_st: i64, prev_t: i64, cur_st: i64) -> bool {
    cur_st != 0 && cur_st < prev_t && cur_st != prev_st
}

#[cfg(test)]
mod tests {
    use super::{is_reset, overlaps};

    #[test]
    fn resets() {
        assert!(!is_reset(0, 100, 0, 200), "unknown");
        assert!(!is_reset(0, 100, 200, 200), "start equal to the sample is OTel's unknown start");
        assert!(!is_reset(0, 100, 250, 200), "start after the sample is invalid");
        assert!(!is_reset(50, 100, 50, 200), "same cumulative counter");
        assert!(is_reset(50, 100, 150, 200), "started after the previous sample");
        assert!(is_reset(50, 100, 100, 200), "delta: starts at the previous sample");
        assert!(!is_reset(0, 100, 100, 200), "cumulative with unknown start");
        assert!(!is_reset(100, 100, 100, 200), "previous start was OTel's unknown start");
        assert!(!is_reset(150, 100, 100, 200), "previous start invalid");
    }

    #[test]
    fn overlap() {
        assert!(!overlaps(0, 100, 0));
        assert!(!overlaps(50, 100, 100), "delta");
        assert!(!overlaps(50, 100, 50), "cumulative");
        assert!(overlaps(40, 100, 30));
    }
}
