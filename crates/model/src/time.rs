//! Time and duration helpers: Prometheus duration syntax and the API's float formatting.

/// Milliseconds since the Unix epoch.
pub type Timestamp = i64;
/// Milliseconds.
pub type Duration = i64;

const UNITS: [(&str, i64); 7] = [
    ("y", 365 * 24 * 3_600_000),
    ("w", 7 * 24 * 3_600_000),
    ("d", 24 * 3_600_000),
    ("h", 3_600_000),
    ("m", 60_000),
    ("s", 1_000),
    ("ms", 1),
];

/// Parses a Prometheus duration (`5m`, `1h30m`, `90s`, `0`): integer parts with units in
/// strictly descending order. Returns milliseconds.
pub fn parse_duration(s: &str) -> Result<Duration, String> {
    let invalid = || format!("not a valid duration string: {s:?}");
    if s == "0" {
        return Ok(0);
    }
    if s.is_empty() {
        return Err("empty duration string".to_string());
    }
    let bytes = s.as_bytes();
    let mut i = 0;
    let mut total: i64 = 0;
    let mut last_unit = usize::MAX;
    while i < bytes.len() {
        let start = i;
        while i < bytes.len() && bytes[i].is_ascii_digit() {
            i += 1;
        }
        if i == start {
            return Err(invalid());
        }
        let n: i64 = s[start..i].parse().map_err(|_| invalid())?;
        let unit_start = i;
        while i < bytes.len() && bytes[i].is_ascii_alphabetic() {
            i += 1;
        }
        let unit = &s[unit_start..i];
        let idx = UNITS.iter().position(|(u, _)| *u == unit).ok_or_else(invalid)?;
        if last_unit != usize::MAX && idx <= last_unit {
            return Err(invalid());
        }
        last_unit = idx;
        total = n
            .checked_mul(UNITS[idx].1)
            .and_then(|v| total.checked_add(v))
            .ok_or_else(|| format!("duration out of range: {s:?}"))?;
    }
    Ok(total)
}

/// Prints milliseconds the way Prometheus prints a duration (`1h30m`, `5m`, `0s`, `1d`).
pub fn format_duration(ms: Duration) -> String {
    if ms == 0 {
        return "0s".to_string();
    }
    let (sign, mut rest) = if ms < 0 { ("-", ms.unsigned_abs()) } else { ("", ms as u64) };
    let mut out = String::from(sign);
    for (unit, size) in UNITS {
        let size = size as u64;
        if rest >= size {
            out.push_str(&format!("{}{}", rest / size, unit));
            rest %= size;
        }
    }
    out
}

/// Formats a float as the Prometheus HTTP API does (Go's `strconv.FormatFloat(v, 'f', -1, 64)`):
/// the shortest digits that round-trip, never an exponent; `+Inf`, `-Inf`, `NaN`.
pub fn format_prom_float(v: f64) -> String {
    if v.is_nan() {
        "NaN".to_string()
    } else if v == f64::INFINITY {
        "+Inf".to_string()
    } else if v == f64::NEG_INFINITY {
        "-Inf".to_string()
    } else {
        // Rust's Display is shortest-round-trip and never uses an exponent, as Go's 'f', -1.
        format!("{v}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_parse() {
        assert_eq!(parse_duration("5m"), Ok(300_000));
        assert_eq!(parse_duration("1h30m"), Ok(5_400_000));
        assert_eq!(parse_duration("8000ms"), Ok(8000));
        assert_eq!(parse_duration("1y"), Ok(365 * 86_400_000));
        assert_eq!(parse_duration("0"), Ok(0));
        assert!(parse_duration("30m1h").is_err());
        assert!(parse_duration("5").is_err());
        assert!(parse_duration("-5m").is_err());
        assert!(parse_duration("1.5h").is_err());
        assert!(parse_duration("").is_err());
    }

    #[test]
    fn durations_print() {
        assert_eq!(format_duration(5_400_000), "1h30m");
        assert_eq!(format_duration(0), "0s");
        assert_eq!(format_duration(86_400_000), "1d");
        assert_eq!(format_duration(1_500), "1s500ms");
        assert_eq!(format_duration(-60_000), "-1m");
    }

    #[test]
    fn floats_as_the_api_prints_them() {
        assert_eq!(format_prom_float(175.0), "175");
        assert_eq!(format_prom_float(0.13125), "0.13125");
        assert_eq!(format_prom_float(1e21), "1000000000000000000000");
        assert_eq!(format_prom_float(1e-7), "0.0000001");
        assert_eq!(format_prom_float(f64::INFINITY), "+Inf");
        assert_eq!(format_prom_float(f64::NAN), "NaN");
        assert_eq!(format_prom_float(-0.0), "-0");
    }
}
