//! Go-compatible float handling: what `strconv.ParseFloat` accepts (as Prometheus's textparse
//! restricts it) and the OpenMetrics float spelling Prometheus 3.x uses to normalise `le` and
//! `quantile` label values.

/// Parses a sample value the way Prometheus's textparse does: Go's `strconv.ParseFloat`, minus
/// hex floats and digit underscores (textparse rejects `p`, `P` and `_`). The error text is
/// Go's.
pub fn parse_go_float(s: &str) -> Result<f64, String> {
    match fast_decimal(s) {
        Decimal::Value(v) => return Ok(v),
        // Plain decimal syntax, just too many digits for the fast path: std's parser is
        // exact (correctly rounded, as Go's), so no second syntax check is needed.
        Decimal::Long => return finite(s, s.parse::<f64>().ok()),
        Decimal::Other => {}
    }
    if s.bytes().any(|c| matches!(c, b'p' | b'P' | b'_')) {
        return Err("unsupported character in float".to_string());
    }
    parse_float_syntax(s)
}

/// Exact powers of ten that an `f64` holds.
const POW10: [f64; 23] = [
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16,
    1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
];

/// What one pass over a sample value found.
enum Decimal {
    /// Exactly this value.
    Value(f64),
    /// `[+-]? digits [. digits] [e [+-] digits]` with too many digits (or too large an
    /// exponent) for one exact multiplication.
    Long,
    /// Anything else (`NaN`, `+Inf`, `.5`, bad syntax): the full parser decides.
    Other,
}

/// Clinger's fast path for the common case (`123`, `0.25`, `3.0445e-05`): at most 15 digits
/// and a small decimal exponent, so one exact multiplication or division by a power of ten
/// gives the correctly rounded result.
fn fast_decimal(s: &str) -> Decimal {
    let b = s.as_bytes();
    let (neg, mut i) = match b.first() {
        Some(b'-') => (true, 1),
        Some(b'+') => (false, 1),
        _ => (false, 0),
    };
    let mut m: u64 = 0;
    let mut nd = 0u32;
    let mut frac = 0i32;
    let mut seen_dot = false;
    while let Some(&c) = b.get(i) {
        match c {
            b'0'..=b'9' => {
                // Digits past the 15th only count (and make the number `Long`).
                if nd < 15 {
                    m = m * 10 + u64::from(c - b'0');
                    if seen_dot {
                        frac += 1;
                    }
                }
                nd += 1;
            }
            b'.' if !seen_dot => seen_dot = true,
            b'e' | b'E' => break,
            _ => return Decimal::Other,
        }
        i += 1;
    }
    if nd == 0 {
        return Decimal::Other;
    }
    let mut exp: i32 = 0;
    let mut long_exp = false;
    if i < b.len() {
        // An exponent: `e`, optional sign, digits.
        i += 1;
        let eneg = match b.get(i) {
            Some(b'-') => {
                i += 1;
                true
            }
            Some(b'+') => {
                i += 1;
                false
            }
            _ => false,
        };
        let start = i;
        while let Some(&c) = b.get(i) {
            if !c.is_ascii_digit() {
                return Decimal::Other;
            }
            if i - start >= 3 {
                long_exp = true;
            } else {
                exp = exp * 10 + i32::from(c - b'0');
            }
            i += 1;
        }
        if i == start {
            return Decimal::Other;
        }
        if eneg {
            exp = -exp;
        }
    }
    if nd > 15 || long_exp {
        return Decimal::Long;
    }
    let k = exp - frac;
    let v = m as f64;
    let scaled = if k >= 0 {
        usize::try_from(k)
            .ok()
            .and_then(|k| POW10.get(k))
            .map(|p| v * p)
    } else {
        usize::try_from(-k)
            .ok()
            .and_then(|k| POW10.get(k))
            .map(|p| v / p)
    };
    match scaled {
        Some(v) => Decimal::Value(if neg { -v } else { v }),
        None => Decimal::Long,
    }
}

/// Go's answer for a decimal that parsed to `v`: out of range when it overflowed.
fn finite(s: &str, v: Option<f64>) -> Result<f64, String> {
    match v {
        Some(v) if v.is_infinite() => Err(format!(
            "strconv.ParseFloat: parsing {s:?}: value out of range"
        )),
        Some(v) => Ok(v),
        None => Err(format!("strconv.ParseFloat: parsing {s:?}: invalid syntax")),
    }
}

/// Go's `strconv.ParseFloat` for decimal input (used where Prometheus calls it directly).
fn parse_float_syntax(s: &str) -> Result<f64, String> {
    let invalid = || format!("strconv.ParseFloat: parsing {s:?}: invalid syntax");
    if let Some(v) = special(s) {
        return Ok(v);
    }
    if !is_decimal_syntax(s) {
        return Err(invalid());
    }
    let v: f64 = s.parse().map_err(|_| invalid())?;
    if v.is_infinite() {
        return Err(format!(
            "strconv.ParseFloat: parsing {s:?}: value out of range"
        ));
    }
    Ok(v)
}

/// Go accepts `[+-]inf`, `[+-]infinity` and unsigned `nan`, case-insensitively.
fn special(s: &str) -> Option<f64> {
    let (neg, body) = match s.as_bytes().first() {
        Some(b'+') => (false, s.get(1..)?),
        Some(b'-') => (true, s.get(1..)?),
        _ => (false, s),
    };
    if body.eq_ignore_ascii_case("inf") || body.eq_ignore_ascii_case("infinity") {
        return Some(if neg {
            f64::NEG_INFINITY
        } else {
            f64::INFINITY
        });
    }
    if body.len() == s.len() && body.eq_ignore_ascii_case("nan") {
        return Some(f64::NAN);
    }
    None
}

/// `[+-]? (digits [. digits?] | . digits) ([eE] [+-]? digits)?`
fn is_decimal_syntax(s: &str) -> bool {
    let b = s.as_bytes();
    let mut i = 0;
    if matches!(b.first(), Some(b'+' | b'-')) {
        i += 1;
    }
    let int_start = i;
    while matches!(b.get(i), Some(c) if c.is_ascii_digit()) {
        i += 1;
    }
    let mut digits = i - int_start;
    if b.get(i) == Some(&b'.') {
        i += 1;
        let frac_start = i;
        while matches!(b.get(i), Some(c) if c.is_ascii_digit()) {
            i += 1;
        }
        digits += i - frac_start;
    }
    if digits == 0 {
        return false;
    }
    if matches!(b.get(i), Some(b'e' | b'E')) {
        i += 1;
        if matches!(b.get(i), Some(b'+' | b'-')) {
            i += 1;
        }
        let exp_start = i;
        while matches!(b.get(i), Some(c) if c.is_ascii_digit()) {
            i += 1;
        }
        if i == exp_start {
            return false;
        }
    }
    i == b.len()
}

/// Prometheus 3.x's canonical spelling of an `le` or `quantile` value: parse as a float and
/// print it like Go's `FormatFloat(f, 'g', -1, 64)`, adding `.0` when the result has neither
/// a fraction nor an exponent (`1` -> `1.0`, `1e-05` stays, `+Inf` stays). A value that does
/// not parse as a float is left alone, as Prometheus leaves it.
pub fn normalize_le(s: &str) -> String {
    match parse_float_syntax(s) {
        Ok(f) => format_openmetrics_float(f),
        Err(_) => s.to_string(),
    }
}

/// Go's OpenMetrics float formatting, as used by Prometheus 3.x for label normalisation.
pub fn format_openmetrics_float(f: f64) -> String {
    if f.is_nan() {
        return "NaN".to_string();
    }
    if f.is_infinite() {
        return if f > 0.0 {
            "+Inf".to_string()
        } else {
            "-Inf".to_string()
        };
    }
    let mut s = format_go_g(f);
    if !s.contains(['.', 'e', 'E']) {
        s.push_str(".0");
    }
    s
}

/// Go's `strconv.FormatFloat(f, 'g', -1, 64)` for finite `f`.
pub fn format_go_g(f: f64) -> String {
    // Rust's `{:e}` gives the shortest round-tripping digits, the same digits Go picks.
    let e = format!("{f:e}");
    let (neg, e) = match e.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, e.as_str()),
    };
    let (mant, exp) = e.split_once('e').unwrap_or((e, "0"));
    let exp: i64 = exp.parse().unwrap_or(0);
    let digits: String = mant.chars().filter(|c| *c != '.').collect();
    let nd = digits.len() as i64;
    let mut out = String::new();
    if neg {
        out.push('-');
    }
    if !(-4..6).contains(&exp) {
        let (first, rest) = digits.split_at(1.min(digits.len()));
        out.push_str(first);
        if !rest.is_empty() {
            out.push('.');
            out.push_str(rest);
        }
        out.push('e');
        out.push(if exp < 0 { '-' } else { '+' });
        let a = exp.unsigned_abs();
        if a < 10 {
            out.push('0');
        }
        out.push_str(&a.to_string());
        return out;
    }
    let dp = exp + 1;
    if dp <= 0 {
        out.push_str("0.");
        out.extend(std::iter::repeat_n('0', (-dp) as usize));
        out.push_str(&digits);
    } else if dp >= nd {
        out.push_str(&digits);
        out.extend(std::iter::repeat_n('0', (dp - nd) as usize));
    } else {
        let (a, b) = digits.split_at(dp as usize);
        out.push_str(a);
        out.push('.');
        out.push_str(b);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn go_parse_float() {
        assert_eq!(parse_go_float("1.5"), Ok(1.5));
        assert_eq!(parse_go_float("+Inf"), Ok(f64::INFINITY));
        assert_eq!(parse_go_float("-inf"), Ok(f64::NEG_INFINITY));
        assert_eq!(parse_go_float("Infinity"), Ok(f64::INFINITY));
        assert!(parse_go_float("NaN").is_ok_and(f64::is_nan));
        assert!(parse_go_float("nan").is_ok_and(f64::is_nan));
        assert!(parse_go_float("-NaN").is_err());
        assert!(parse_go_float("1e400").is_err());
        assert_eq!(parse_go_float("1e-400"), Ok(0.0));
        assert!(parse_go_float("0x1p3").is_err());
        assert!(parse_go_float("1_000").is_err());
        assert!(parse_go_float("").is_err());
        assert!(parse_go_float(".").is_err());
        assert!(parse_go_float("1e").is_err());
        assert_eq!(parse_go_float(".5"), Ok(0.5));
        assert_eq!(parse_go_float("5."), Ok(5.0));
        assert_eq!(parse_go_float("2.257072e+06"), Ok(2_257_072.0));
        assert_eq!(parse_go_float("-0"), Ok(0.0));
        assert!(parse_go_float("-0").is_ok_and(|v| v.is_sign_negative()));
        assert!(parse_go_float("1e").is_err());
        assert!(parse_go_float("1..2").is_err());
        assert!(parse_go_float("1e+").is_err());
        assert!(parse_go_float("+").is_err());
        assert!(parse_go_float("-.").is_err());
        assert_eq!(parse_go_float("1e0400").ok(), None);
        assert_eq!(parse_go_float("1e-0400"), Ok(0.0));
        assert_eq!(parse_go_float("5.e3"), Ok(5000.0));
        assert_eq!(parse_go_float("+.5e-3"), Ok(0.0005));
        assert_eq!(
            parse_go_float("12345678901234567890"),
            Ok(12_345_678_901_234_567_890.0)
        );
        assert_eq!(
            parse_go_float("0.1000000000000000055511151231257827"),
            Ok(0.1)
        );
        assert_eq!(
            parse_go_float("1234567890123456789e400"),
            Err(
                "strconv.ParseFloat: parsing \"1234567890123456789e400\": value out of range"
                    .into()
            )
        );
        assert!(parse_go_float("1.2.3").is_err());
        assert!(parse_go_float("12345678901234567e").is_err());
        assert!(parse_go_float("12345678901234567x").is_err());
    }

    #[test]
    fn fast_path_agrees_with_std() {
        let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
        for _ in 0..200_000 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            let digits = (x % 1_000_000_000_000_000) as f64;
            let e = (x >> 50) as i32 % 40 - 20;
            for s in [
                format!("{digits}e{e}"),
                format!("{}", digits / 1000.0),
                format!("0.{}", x % 100_000),
                // Go's shortest spellings often have 16-17 digits: the `Long` route.
                format!("{}", f64::from_bits(x >> 2)),
                format!("{:e}", f64::from_bits((x >> 1) & 0x7FEF_FFFF_FFFF_FFFF)),
                format!("{}.{}e-{}", x % 1000, x, x % 400),
                format!("-{x}{x}e{}", x % 330),
            ] {
                // std rounds exactly as Go does; Go reports overflow where std says inf.
                match s.parse::<f64>() {
                    Ok(v) if v.is_finite() => assert_eq!(parse_go_float(&s), Ok(v), "{s}"),
                    other => assert!(parse_go_float(&s).is_err(), "{s}: std says {other:?}"),
                }
            }
        }
    }

    #[test]
    fn fast_paths_agree_with_the_full_parser() {
        // The full parser alone, as every value went before the fast paths existed.
        let full = |s: &str| {
            if s.bytes().any(|c| matches!(c, b'p' | b'P' | b'_')) {
                return Err("unsupported character in float".to_string());
            }
            parse_float_syntax(s)
        };
        let alphabet = b"0123456789012345678901234567890123456789..eE+-_pxNaIinf";
        let mut x: u64 = 0x2545_f491_4f6c_dd1d;
        let (mut valid, mut long) = (0, 0);
        for _ in 0..300_000 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            let len = 1 + (x % 24) as usize;
            let s: String = (0..len)
                .map(|k| {
                    char::from(alphabet[((x >> (k * 2 % 60)) as usize + k * 7) % alphabet.len()])
                })
                .collect();
            let (a, b) = (parse_go_float(&s), full(&s));
            assert_eq!(format!("{a:?}"), format!("{b:?}"), "{s}");
            valid += usize::from(a.is_ok());
            long += usize::from(matches!(fast_decimal(&s), Decimal::Long));
        }
        assert!(valid > 20_000 && long > 2_000, "{valid} valid, {long} long");
    }

    #[test]
    fn le_normalisation() {
        for (i, o) in [
            ("1", "1.0"),
            ("0.25", "0.25"),
            ("+Inf", "+Inf"),
            ("inf", "+Inf"),
            ("1e-05", "1e-05"),
            ("0.00001", "1e-05"),
            ("0.0001", "0.0001"),
            ("100000", "100000.0"),
            ("1000000", "1e+06"),
            ("1e6", "1e+06"),
            ("2.5e6", "2.5e+06"),
            ("123456789", "1.23456789e+08"),
            ("0", "0.0"),
            ("-0", "-0.0"),
            ("-1", "-1.0"),
            ("0.005", "0.005"),
            ("abc", "abc"),
            ("", ""),
            ("1.0", "1.0"),
            ("10", "10.0"),
        ] {
            assert_eq!(normalize_le(i), o, "{i}");
        }
    }
}
