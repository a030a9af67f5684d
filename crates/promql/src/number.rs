//! Number and duration literal values with Go's rules (`strconv.ParseInt(s, 0, 64)` first, so
//! `010` is octal and `0x1f` hex, then `ParseFloat`), and Prometheus's duration syntax.

/// The value of a NUMBER token (or `Inf`/`NaN` in any case).
pub fn parse_number(s: &str) -> Result<f64, String> {
    let lower = s.to_ascii_lowercase();
    match lower.trim_start_matches(['+', '-']) {
        "inf" | "infinity" => {
            return Ok(if lower.starts_with('-') {
                f64::NEG_INFINITY
            } else {
                f64::INFINITY
            });
        }
        "nan" => return Ok(f64::NAN),
        _ => {}
    }
    if let Some(v) = parse_go_int(s) {
        return Ok(v as f64);
    }
    match parse_go_float(s) {
        Some(v) if v.is_infinite() => Err(format!(
            "strconv.ParseFloat: parsing {s:?}: value out of range"
        )),
        Some(v) => Ok(v),
        None => Err(format!("strconv.ParseFloat: parsing {s:?}: invalid syntax")),
    }
}

/// Underscores are only allowed between digits (Go's `underscoreOK`, base-prefix aside).
fn strip_underscores(digits: &str, allow_leading: bool) -> Option<String> {
    if !digits.contains('_') {
        return Some(digits.to_string());
    }
    let b = digits.as_bytes();
    for (i, &c) in b.iter().enumerate() {
        if c == b'_' {
            let prev_ok = if i == 0 {
                allow_leading
            } else {
                b[i - 1].is_ascii_alphanumeric()
            };
            let next_ok = b.get(i + 1).is_some_and(|n| n.is_ascii_alphanumeric());
            if !prev_ok || !next_ok {
                return None;
            }
        }
    }
    Some(digits.replace('_', ""))
}

fn parse_go_int(s: &str) -> Option<i64> {
    let (neg, body) = match s.as_bytes().first() {
        Some(b'-') => (true, &s[1..]),
        Some(b'+') => (false, &s[1..]),
        _ => (false, s),
    };
    let (radix, digits, prefixed) =
        if let Some(h) = body.strip_prefix("0x").or_else(|| body.strip_prefix("0X")) {
            (16, h, true)
        } else if let Some(o) = body.strip_prefix("0o").or_else(|| body.strip_prefix("0O")) {
            (8, o, true)
        } else if let Some(b) = body.strip_prefix("0b").or_else(|| body.strip_prefix("0B")) {
            (2, b, true)
        } else if body.len() > 1 && body.starts_with('0') {
            (8, &body[1..], true)
        } else {
            (10, body, false)
        };
    let clean = strip_underscores(digits, prefixed)?;
    if clean.is_empty() || !clean.bytes().all(|c| (c as char).is_digit(radix)) {
        return None;
    }
    let v = i64::from_str_radix(&clean, radix).ok()?;
    Some(if neg { -v } else { v })
}

fn parse_go_float(s: &str) -> Option<f64> {
    let clean = strip_underscores(s, false)?;
    let body = clean.trim_start_matches(['+', '-']);
    // Rust's float parser also takes "inf"/"infinity"/"nan", handled above; refuse other words.
    if !body.starts_with(|c: char| c.is_ascii_digit() || c == '.') {
        return None;
    }
    if body.starts_with("0x") || body.starts_with("0X") {
        return None;
    }
    clean.parse::<f64>().ok()
}

/// Seconds in a DURATION token, as Prometheus's `number_duration_literal` computes them.
pub fn duration_secs(s: &str) -> Result<f64, String> {
    parse_duration_ns(s).map(|ns| ns as f64 / 1e9)
}

/// `model.ParseDuration` of prometheus/common, with its three distinct error messages.
pub fn parse_duration_ns(s: &str) -> Result<u64, String> {
    const UNITS: [(&str, u64); 7] = [
        ("y", 365 * 24 * 3_600_000_000_000),
        ("w", 7 * 24 * 3_600_000_000_000),
        ("d", 24 * 3_600_000_000_000),
        ("h", 3_600_000_000_000),
        ("m", 60_000_000_000),
        ("s", 1_000_000_000),
        ("ms", 1_000_000),
    ];
    match s {
        "0" => return Ok(0),
        "" => return Err("empty duration string".to_string()),
        _ => {}
    }
    let invalid = || format!("not a valid duration string: {s:?}");
    let mut rest = s;
    let mut total: u64 = 0;
    let mut last_unit: Option<usize> = None;
    while !rest.is_empty() {
        let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
        if digits == 0 {
            return Err(invalid());
        }
        let v: u64 = rest[..digits].parse().map_err(|_| invalid())?;
        rest = &rest[digits..];
        let unit_len = rest.bytes().take_while(|b| !b.is_ascii_digit()).count();
        if unit_len == 0 {
            return Err(invalid());
        }
        let unit = &rest[..unit_len];
        rest = &rest[unit_len..];
        let Some(pos) = UNITS.iter().position(|(u, _)| *u == unit) else {
            return Err(format!("unknown unit {unit:?} in duration {s:?}"));
        };
        if last_unit.is_some_and(|last| pos <= last) {
            return Err(invalid());
        }
        last_unit = Some(pos);
        let mult = UNITS[pos].1;
        if v > (1u64 << 63) / mult {
            return Err("duration out of range".to_string());
        }
        total = total.saturating_add(v * mult);
        if total > (1u64 << 63) - 1 {
            return Err("duration out of range".to_string());
        }
    }
    Ok(total)
}

#[cfg(test)]
#[allow(clippy::panic)]
mod tests {
    use super::*;

    #[test]
    fn go_number_rules() {
        assert_eq!(parse_number("1"), Ok(1.0));
        assert_eq!(parse_number("010"), Ok(8.0));
        assert_eq!(parse_number("0x1f"), Ok(31.0));
        assert_eq!(parse_number("1_000"), Ok(1000.0));
        assert_eq!(parse_number("1.5e3"), Ok(1500.0));
        assert_eq!(parse_number(".5"), Ok(0.5));
        assert_eq!(parse_number("1e-3"), Ok(0.001));
        assert_eq!(parse_number("InF"), Ok(f64::INFINITY));
        assert!(parse_number("nAn").is_ok_and(f64::is_nan));
        assert!(parse_number("1_").is_err());
        assert!(parse_number("09").is_ok_and(|v| v == 9.0));
    }

    #[test]
    fn durations() {
        assert_eq!(duration_secs("1h30m"), Ok(5400.0));
        assert_eq!(duration_secs("1ms"), Ok(0.001));
        assert_eq!(
            duration_secs("1m1h"),
            Err("not a valid duration string: \"1m1h\"".to_string())
        );
        assert_eq!(
            duration_secs("5y1hs"),
            Err("unknown unit \"hs\" in duration \"5y1hs\"".to_string())
        );
        assert_eq!(
            duration_secs("300y"),
            Err("duration out of range".to_string())
        );
    }
}
