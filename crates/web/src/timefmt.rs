//! Formats times for the UI: instants as RFC 3339 (UTC, millisecond precision, model's, the
//! counterpart of its parser) and durations as Prometheus writes them, without a date crate.

pub use model::timearg::format_rfc3339_ms;

/// `3_900_000` -> `1h5m`, `1_500` -> `1s500ms`: Prometheus's duration notation, which the time
/// controls read back.
pub fn format_duration_ms(ms: i64) -> String {
    if ms == 0 {
        return "0s".to_string();
    }
    let mut out = String::new();
    if ms < 0 {
        out.push('-');
    }
    let mut rest = ms.unsigned_abs();
    for (unit, size) in [("d", 86_400_000), ("h", 3_600_000), ("m", 60_000), ("s", 1000), ("ms", 1)] {
        if rest >= size {
            out.push_str(&format!("{}{unit}", rest / size));
            rest %= size;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::{format_duration_ms, format_rfc3339_ms};

    #[test]
    fn durations() {
        assert_eq!(format_duration_ms(3_900_000), "1h5m");
        assert_eq!(format_duration_ms(1_500), "1s500ms");
        assert_eq!(format_duration_ms(0), "0s");
        assert_eq!(format_duration_ms(90_000_000), "1d1h");
    }

    #[test]
    fn known_instants() {
        assert_eq!(format_rfc3339_ms(0), "1970-01-01T00:00:00.000Z");
        assert_eq!(format_rfc3339_ms(1_700_000_000_123), "2023-11-14T22:13:20.123Z");
        // The capture window of ../shared/samples ends here.
        assert_eq!(format_rfc3339_ms(1_795_278_877_565), "2026-11-21T16:34:37.565Z");
        assert_eq!(format_rfc3339_ms(951_782_400_000), "2000-02-29T00:00:00.000Z");
        assert_eq!(format_rfc3339_ms(-1), "1969-12-31T23:59:59.999Z");
    }
}
