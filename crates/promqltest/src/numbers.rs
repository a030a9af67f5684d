//! Go's number syntax for scalar expectation lines: `strconv.ParseInt(s, 0, 64)` first (so
//! `0x1f`, `0o17`, `0b101` and leading-zero octal work), then `strconv.ParseFloat(s, 64)`.

/// The value of a scalar line, or `None` when the line is not a number (then it is a series).
pub fn parse_go_number(s: &str) -> Option<f64> {
    parse_go_int(s).map(|i| i as f64).or_else(|| parse_go_float(s))
}

fn parse_go_int(s: &str) -> Option<i64> {
    let (neg, body) = match s.as_bytes().first() {
        Some(b'-') => (true, &s[1..]),
        Some(b'+') => (false, &s[1..]),
        _ => (false, s),
    };
    let lower = body.to_ascii_lowercase();
    let (radix, digits, prefixed) = if let Some(d) = lower.strip_prefix("0x") {
        (16, d.to_string(), true)
    } else if let Some(d) = lower.strip_prefix("0o") {
        (8, d.to_string(), true)
    } else if let Some(d) = lower.strip_prefix("0b") {
        (2, d.to_string(), true)
    } else if lower.len() > 1 && lower.starts_with('0') {
        (8, lower[1..].to_string(), true)
    } else {
        (10, lower.clone(), false)
    };
    // Go allows digit-separating underscores only with base 0 and a prefix.
    if digits.is_empty() || (!prefixed && digits.contains('_')) || digits.starts_with('_') || digits.ends_with('_') {
        return None;
    }
    let digits = digits.replace('_', "");
    if !digits.chars().all(|c| c.is_digit(radix)) {
        return None;
    }
    let v = i128::from_str_radix(&digits, radix).ok()?;
    let v = if neg { -v } else { v };
    i64::try_from(v).ok()
}

fn parse_go_float(s: &str) -> Option<f64> {
    let body = s.trim_start_matches(['+', '-']);
    let lower = body.to_ascii_lowercase();
    if s.len() - body.len() > 1 {
        return None;
    }
    let neg = s.starts_with('-');
    let special = match lower.as_str() {
        "inf" | "infinity" => Some(f64::INFINITY),
        "nan" => Some(f64::NAN),
        _ => None,
    };
    if let Some(v) = special {
        return Some(if neg { -v } else { v });
    }
    // Rust's grammar is Go's decimal grammar minus underscores and hex floats, which no
    // expectation uses; only plain decimal characters get here so "1e" style junk is refused.
    if !body.chars().all(|c| c.is_ascii_digit() || matches!(c, '.' | 'e' | 'E' | '+' | '-')) {
        return None;
    }
    s.parse::<f64>().ok()
}

#[cfg(test)]
mod tests {
    use super::parse_go_number;

    #[test]
    fn go_numbers() {
        assert_eq!(parse_go_number("10"), Some(10.0));
        assert_eq!(parse_go_number("010"), Some(8.0));
        assert_eq!(parse_go_number("0x1F"), Some(31.0));
        assert_eq!(parse_go_number("-0b11"), Some(-3.0));
        assert_eq!(parse_go_number("1.5e3"), Some(1500.0));
        assert_eq!(parse_go_number(".5"), Some(0.5));
        assert_eq!(parse_go_number("-Inf"), Some(f64::NEG_INFINITY));
        assert_eq!(parse_go_number("+Infinity"), Some(f64::INFINITY));
        assert!(parse_go_number("NaN").is_some_and(f64::is_nan));
        assert_eq!(parse_go_number("{} 1"), None);
        assert_eq!(parse_go_number("foo"), None);
        assert_eq!(parse_go_number("1_000"), None);
        assert_eq!(parse_go_number("inf_metric"), None);
    }
}
