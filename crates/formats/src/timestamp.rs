//! Sample timestamps: integer milliseconds in text 0.0.4, decimal seconds in OpenMetrics,
//! converted to milliseconds from the decimal digits so `1763741377.565` is exactly
//! `1763741377565` (multiplying the parsed float by 1000 can land one millisecond off).

use crate::float::parse_go_float;

/// Text 0.0.4: `-?[0-9]+` milliseconds (Prometheus's lexer rule), within `i64`.
pub(crate) fn parse_ms(s: &str) -> Result<i64, String> {
    let digits = s.strip_prefix('-').unwrap_or(s);
    // Up to 18 digits cannot overflow: one pass that checks and accumulates.
    if !digits.is_empty() && digits.len() <= 18 {
        let mut v: i64 = 0;
        let mut ok = true;
        for c in digits.bytes() {
            ok &= c.is_ascii_digit();
            // Wrapping: a non-digit makes `v` garbage, which `ok` then discards.
            v = v
                .wrapping_mul(10)
                .wrapping_add(i64::from(c.wrapping_sub(b'0')));
        }
        if ok {
            return Ok(if digits.len() < s.len() { -v } else { v });
        }
    }
    if digits.is_empty() || !digits.bytes().all(|c| c.is_ascii_digit()) {
        return Err(format!(
            "invalid timestamp {s:?}: expected integer milliseconds"
        ));
    }
    s.parse::<i64>()
        .map_err(|_| format!("strconv.ParseInt: parsing {s:?}: value out of range"))
}

/// OpenMetrics: float seconds. Sub-millisecond digits are truncated toward zero, as
/// Prometheus's `int64(ts * 1000)` does.
pub(crate) fn parse_seconds_to_ms(s: &str) -> Result<i64, String> {
    if let Some(ms) = plain_seconds(s) {
        return Ok(ms);
    }
    let f = parse_go_float(s)?;
    if !f.is_finite() {
        return Err(format!("invalid timestamp {s}"));
    }
    if let Some(ms) = exact_ms(s) {
        return Ok(ms);
    }
    // Too many digits for exact arithmetic: fall back to Prometheus's own float computation.
    let ms = (f * 1000.0).trunc();
    if (-9.223_372_036_854_775e18..=9.223_372_036_854_775e18).contains(&ms) {
        Ok(ms as i64)
    } else {
        Err(format!("timestamp {s} out of range"))
    }
}

/// The common spelling `-?\d{1,15}(\.\d+)?` straight to milliseconds, without a float.
fn plain_seconds(s: &str) -> Option<i64> {
    let b = s.as_bytes();
    let (neg, b) = match b.split_first() {
        Some((b'-', rest)) => (true, rest),
        _ => (false, b),
    };
    let dot = b.iter().position(|&c| c == b'.').unwrap_or(b.len());
    let (int, frac) = b.split_at(dot);
    let frac = frac.get(1..).unwrap_or_default();
    if int.is_empty() || int.len() > 15 || (dot < b.len() && frac.is_empty()) {
        return None;
    }
    let mut ms: i64 = 0;
    for &c in int {
        if !c.is_ascii_digit() {
            return None;
        }
        ms = ms * 10 + i64::from(c - b'0');
    }
    for i in 0..3 {
        let d = match frac.get(i) {
            Some(&c) if c.is_ascii_digit() => i64::from(c - b'0'),
            Some(_) => return None,
            None => 0,
        };
        ms = ms * 10 + d;
    }
    if !frac.iter().skip(3).all(u8::is_ascii_digit) {
        return None;
    }
    Some(if neg { -ms } else { ms })
}

/// Exact decimal-to-milliseconds; `None` when the digits do not fit the arithmetic.
fn exact_ms(s: &str) -> Option<i64> {
    let (neg, body) = match s.as_bytes().first() {
        Some(b'-') => (true, s.get(1..)?),
        Some(b'+') => (false, s.get(1..)?),
        _ => (false, s),
    };
    let (mant, exp) = match body.find(['e', 'E']) {
        Some(i) => (body.get(..i)?, body.get(i + 1..)?.parse::<i32>().ok()?),
        None => (body, 0),
    };
    let (int, frac) = mant.split_once('.').unwrap_or((mant, ""));
    let mut m: i128 = 0;
    let mut nd = 0;
    for c in int.bytes().chain(frac.bytes()) {
        m = m * 10 + i128::from(c - b'0');
        nd += 1;
        if nd > 36 {
            return None;
        }
    }
    // value = m * 10^(exp - frac.len()); milliseconds = m * 10^(exp - frac.len() + 3).
    let shift = exp
        .checked_sub(i32::try_from(frac.len()).ok()?)?
        .checked_add(3)?;
    let ms = if shift >= 0 {
        if shift > 38 {
            return if m == 0 { Some(0) } else { None };
        }
        m.checked_mul(10i128.checked_pow(shift as u32)?)?
    } else if -shift > 38 {
        0
    } else {
        m / 10i128.pow((-shift) as u32)
    };
    let ms = if neg { -ms } else { ms };
    i64::try_from(ms).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seconds_are_exact() {
        assert_eq!(parse_seconds_to_ms("1763741377.565"), Ok(1_763_741_377_565));
        assert_eq!(parse_seconds_to_ms("1795277418.827"), Ok(1_795_277_418_827));
        assert_eq!(parse_seconds_to_ms("1"), Ok(1000));
        assert_eq!(parse_seconds_to_ms("-1.5"), Ok(-1500));
        assert_eq!(parse_seconds_to_ms("1.5e3"), Ok(1_500_000));
        assert_eq!(parse_seconds_to_ms("1.0005"), Ok(1000));
        assert_eq!(parse_seconds_to_ms("-0.0009"), Ok(0));
        assert_eq!(parse_seconds_to_ms("123.456e-2"), Ok(1234));
        assert!(parse_seconds_to_ms("NaN").is_err());
        assert!(parse_seconds_to_ms("+Inf").is_err());
        assert!(parse_seconds_to_ms("1e30").is_err());
        assert!(parse_seconds_to_ms("x").is_err());
    }

    #[test]
    fn milliseconds() {
        assert_eq!(parse_ms("-5"), Ok(-5));
        assert!(parse_ms("1.5").is_err());
        assert!(parse_ms("99999999999999999999").is_err());
        assert!(parse_ms("-").is_err());
        assert_eq!(parse_ms("999999999999999999"), Ok(999_999_999_999_999_999));
        assert_eq!(parse_ms("-9223372036854775808"), Ok(i64::MIN));
        assert!(parse_ms("9223372036854775808").is_err());
        assert!(parse_ms("12a").is_err());
        assert!(parse_ms("+5").is_err());
        assert!(parse_ms("\u{ff}\u{ff}\u{ff}\u{ff}\u{ff}\u{ff}\u{ff}\u{ff}\u{ff}").is_err());
    }
}
