//! Sample timestamps: integer milliseconds in text 0.0.4, decimal seconds in OpenMetrics,
//! converted to milliseconds from the decimal digits so `1763741377.565` is exactly
//! `1763741377565` (multiplying the parsed float by 1000 can land one millisecond off).

use crate::float::parse_go_float;

/// Text 0.0.4: `-?[0-9]+` milliseconds (Prometheus's lexer rule), within `i64`.
pub(crate) fn parse_ms(s: &str) -> Result<i64, String> {
    if let Some(v) = short_ms(s) {
        return Ok(v);
    }
    let digits = s.strip_prefix('-').unwrap_or(s);
    if digits.is_empty() || !digits.bytes().all(|c| c.is_ascii_digit()) {
        return Err(format!(
            "invalid timestamp {s:?}: expected integer milliseconds"
        ));
    }
    s.parse::<i64>()
        .map_err(|_| format!("strconv.ParseInt: parsing {s:?}: value out of range"))
}

/// `-?[0-9]{1,18}`, which cannot overflow, in one pass with plain indexing (it runs for
/// every sample of a text capture, also in the size-optimised browser build).
#[inline(always)]
fn short_ms(s: &str) -> Option<i64> {
    let b = s.as_bytes();
    let neg = b.first() == Some(&b'-');
    let start = usize::from(neg);
    let n = b.len() - start;
    if n == 0 || n > 18 {
        return None;
    }
    let mut v: i64 = 0;
    let mut i = start;
    // Millisecond timestamps have 13 digits: the first eight in one step.
    if let Some(d) = eight_digits(b, i) {
        v = d;
        i += 8;
    }
    while let Some(&c) = b.get(i) {
        if !c.is_ascii_digit() {
            return None;
        }
        v = v * 10 + i64::from(c - b'0');
        i += 1;
    }
    Some(if neg { -v } else { v })
}

/// The eight bytes at `i` as a number when all are ASCII digits, converted in a few word
/// operations instead of eight dependent multiply-adds (the SWAR method of fast_float).
#[inline(always)]
pub(crate) fn eight_digits(b: &[u8], i: usize) -> Option<i64> {
    let w = match b.get(i..i + 8) {
        Some(&[a, b, c, d, e, f, g, h]) => u64::from_le_bytes([a, b, c, d, e, f, g, h]),
        _ => return None,
    };
    // Every byte in b'0'..=b'9': subtracting '0' must not borrow, adding 0x46 must not carry.
    let low = w.wrapping_sub(0x3030_3030_3030_3030);
    if (w.wrapping_add(0x4646_4646_4646_4646) | low) & 0x8080_8080_8080_8080 != 0 {
        return None;
    }
    // Pairs, then quadruples, then all eight (little-endian: the first digit is lowest).
    let pairs = low.wrapping_mul(10).wrapping_add(low >> 8);
    let mask = 0x0000_00FF_0000_00FF;
    let mul1 = 100 + (1_000_000 << 32);
    let mul2 = 1 + (10_000 << 32);
    let v = ((pairs & mask).wrapping_mul(mul1))
        .wrapping_add(((pairs >> 16) & mask).wrapping_mul(mul2))
        >> 32;
    i64::try_from(v).ok()
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

/// The common spelling `-?\d{1,15}(\.\d+)?` straight to milliseconds, without a float, in
/// one pass (it runs for every sample of an OpenMetrics capture).
fn plain_seconds(s: &str) -> Option<i64> {
    let b = s.as_bytes();
    let neg = b.first() == Some(&b'-');
    let int_start = usize::from(neg);
    let mut i = int_start;
    let mut ms: i64 = 0;
    // Unix seconds have ten digits: the first eight in one step.
    if let Some(d) = eight_digits(b, i) {
        ms = d;
        i += 8;
    }
    while let Some(&c) = b.get(i) {
        if !c.is_ascii_digit() {
            break;
        }
        // At most 15 integer digits: times 1000 below stays far inside i64.
        if i - int_start == 15 {
            return None;
        }
        ms = ms * 10 + i64::from(c - b'0');
        i += 1;
    }
    if i == int_start {
        return None;
    }
    let mut frac_digits = 0;
    if b.get(i) == Some(&b'.') {
        i += 1;
        while let Some(&c) = b.get(i) {
            if !c.is_ascii_digit() {
                return None;
            }
            // Digits past milliseconds are dropped: truncation toward zero.
            if frac_digits < 3 {
                ms = ms * 10 + i64::from(c - b'0');
            }
            frac_digits += 1;
            i += 1;
        }
        if frac_digits == 0 {
            return None;
        }
    } else if i != b.len() {
        return None;
    }
    for _ in frac_digits.min(3)..3 {
        ms *= 10;
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
        assert_eq!(
            parse_seconds_to_ms("123456789012345.5"),
            Ok(123_456_789_012_345_500)
        );
        assert_eq!(
            parse_seconds_to_ms("1234567890123456"),
            Ok(1_234_567_890_123_456_000)
        );
        assert_eq!(parse_seconds_to_ms("-0.0019"), Ok(-1));
        assert_eq!(parse_seconds_to_ms("5."), Ok(5000));
        assert_eq!(parse_seconds_to_ms(".5"), Ok(500));
        assert!(parse_seconds_to_ms("1.2.3").is_err());
        assert!(parse_seconds_to_ms("-").is_err());
        assert!(parse_seconds_to_ms("NaN").is_err());
        assert!(parse_seconds_to_ms("+Inf").is_err());
        assert!(parse_seconds_to_ms("1e30").is_err());
        assert!(parse_seconds_to_ms("x").is_err());
    }

    #[test]
    fn eight_digits_at_once() {
        assert_eq!(eight_digits(b"12345678", 0), Some(12_345_678));
        assert_eq!(eight_digits(b"x00000009", 1), Some(9));
        assert_eq!(eight_digits(b"99999999", 0), Some(99_999_999));
        assert_eq!(eight_digits(b"1234567", 0), None);
        for bad in [
            b"1234567/",
            b"1234567:",
            b"/2345678",
            b"12a45678",
            b"1234\xff678",
        ] {
            assert_eq!(eight_digits(bad, 0), None, "{bad:?}");
        }
        for pos in 0..8 {
            for c in 0..=255u8 {
                let mut w = *b"55555555";
                w[pos] = c;
                assert_eq!(eight_digits(&w, 0).is_some(), c.is_ascii_digit(), "{w:?}");
            }
        }
        let mut x: u64 = 1;
        for _ in 0..10_000 {
            x = x.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
            let n = x % 100_000_000;
            assert_eq!(
                eight_digits(format!("{n:08}").as_bytes(), 0),
                Some(n as i64)
            );
        }
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
