//! Reading times and durations as Prometheus's HTTP API does (and so the CLI's flags and the
//! browser's time controls): unix seconds or RFC 3339; Prometheus durations or seconds.

use crate::{parse_duration, Duration, Timestamp};

/// Unix seconds (fractional allowed, millisecond precision) or RFC 3339.
pub fn parse_time(s: &str) -> Result<Timestamp, String> {
    if let Some(ms) = decimal_seconds_to_ms(s) {
        return Ok(ms);
    }
    parse_rfc3339(s).ok_or_else(|| format!("cannot parse {s:?} to a valid timestamp"))
}

/// A Prometheus duration (`5m`, `1h30m`) or a number of seconds.
pub fn parse_duration_arg(s: &str) -> Result<Duration, String> {
    if let Some(ms) = decimal_seconds_to_ms(s) {
        return Ok(ms);
    }
    parse_duration(s).map_err(|_| format!("cannot parse {s:?} to a valid duration"))
}

/// Exact decimal seconds to milliseconds, rounding sub-millisecond digits to nearest.
fn decimal_seconds_to_ms(s: &str) -> Option<i64> {
    let (neg, body) = match s.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, s.strip_prefix('+').unwrap_or(s)),
    };
    let (int, frac) = body.split_once('.').unwrap_or((body, ""));
    if int.is_empty() && frac.is_empty() {
        return None;
    }
    if !int.bytes().all(|b| b.is_ascii_digit()) || !frac.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let secs: i64 = if int.is_empty() { 0 } else { int.parse().ok()? };
    let mut digits = frac.bytes().map(|b| i64::from(b - b'0'));
    let ms = (0..3).fold(0, |acc, _| acc * 10 + digits.next().unwrap_or(0));
    let round_up = digits.next().is_some_and(|d| d >= 5);
    let total = secs.checked_mul(1000)?.checked_add(ms + i64::from(round_up))?;
    Some(if neg { -total } else { total })
}

/// `2026-11-21T16:19:37.565Z` or with a numeric offset.
fn parse_rfc3339(s: &str) -> Option<Timestamp> {
    let b = s.as_bytes();
    if b.len() < 20 || b[4] != b'-' || b[7] != b'-' || !matches!(b[10], b'T' | b't' | b' ') || b[13] != b':' || b[16] != b':' {
        return None;
    }
    let num = |r: std::ops::Range<usize>| -> Option<i64> {
        let t = s.get(r)?;
        t.bytes().all(|c| c.is_ascii_digit()).then(|| t.parse().ok())?
    };
    let (y, mo, d, h, mi, sec) = (num(0..4)?, num(5..7)?, num(8..10)?, num(11..13)?, num(14..16)?, num(17..19)?);
    if !(1..=12).contains(&mo) || !(1..=31).contains(&d) || h > 23 || mi > 59 || sec > 60 {
        return None;
    }
    let mut i = 19;
    let mut ms = 0;
    if b.get(i) == Some(&b'.') {
        let start = i + 1;
        i = start;
        while b.get(i).is_some_and(u8::is_ascii_digit) {
            i += 1;
        }
        let frac = s.get(start..i)?;
        if frac.is_empty() {
            return None;
        }
        ms = decimal_seconds_to_ms(&format!("0.{frac}"))?;
    }
    let offset_min = match s.get(i..)? {
        "Z" | "z" => 0,
        tz if tz.len() == 6 && (tz.starts_with('+') || tz.starts_with('-')) && &tz[3..4] == ":" => {
            let m = num(i + 1..i + 3)? * 60 + num(i + 4..i + 6)?;
            if tz.starts_with('-') { -m } else { m }
        }
        _ => return None,
    };
    let days = days_from_civil(y, mo, d);
    Some(((days * 86_400 + h * 3600 + mi * 60 + sec - offset_min * 60) * 1000) + ms)
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// `1700000000123` -> `2023-11-14T22:13:20.123Z`. Works for any `i64`-ms instant in years
/// 0..=9999; outside that range the output is still deterministic, just not RFC 3339.
pub fn format_rfc3339_ms(t_ms: i64) -> String {
    let days = t_ms.div_euclid(86_400_000);
    let ms_of_day = t_ms.rem_euclid(86_400_000);
    let (y, m, d) = civil_from_days(days);
    let (h, rest) = (ms_of_day / 3_600_000, ms_of_day % 3_600_000);
    let (min, rest) = (rest / 60_000, rest % 60_000);
    let (s, ms) = (rest / 1000, rest % 1000);
    format!("{y:04}-{m:02}-{d:02}T{h:02}:{min:02}:{s:02}.{ms:03}Z")
}

/// Days since 1970-01-01 -> (year, month, day) in the proleptic Gregorian calendar
/// (Howard Hinnant's `civil_from_days`, which is exact over the whole i64 day range we use).
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unix_seconds() {
        assert_eq!(parse_time("1000"), Ok(1_000_000));
        assert_eq!(parse_time("1000.5"), Ok(1_000_500));
        assert_eq!(parse_time("1763741377.565"), Ok(1_763_741_377_565));
        assert_eq!(parse_time("-1.5"), Ok(-1500));
        assert!(parse_time("abc").is_err());
        assert!(parse_time("").is_err());
    }

    #[test]
    fn rfc3339() {
        assert_eq!(parse_time("1970-01-01T00:00:00Z"), Ok(0));
        assert_eq!(parse_time("2026-11-21T16:19:37.565Z"), Ok(1_795_277_977_565));
        assert_eq!(parse_time("2026-11-21T17:19:37.565+01:00"), Ok(1_795_277_977_565));
        assert!(parse_time("2026-13-21T16:19:37Z").is_err());
        assert!(parse_time("2026-11-21T16:19:37").is_err());
    }

    #[test]
    fn durations() {
        assert_eq!(parse_duration_arg("5m"), Ok(300_000));
        assert_eq!(parse_duration_arg("15"), Ok(15_000));
        assert_eq!(parse_duration_arg("0.5"), Ok(500));
        assert!(parse_duration_arg("5 m").is_err());
    }
}
