//! The values of an `@st` (start timestamp) line: `_`, `_xN`, `<dur>`, `<dur>xN`,
//! `<dur>+<dur>xN`, `<dur>-<dur>xN`, each an offset in ms from the sample's timestamp
//! (PROMQLTEST_FORMAT.md section 3.5).

use model::parse_duration;

/// Expands the items after the `...@st` word; `None` means "no start timestamp".
pub fn parse_start_offsets(items: &str) -> Result<Vec<Option<i64>>, String> {
    let mut out = Vec::new();
    for tok in items.split_whitespace() {
        out.extend(item(tok)?);
        if out.len() > 1_000_000 {
            return Err("too many @st values".to_string());
        }
    }
    Ok(out)
}

fn item(tok: &str) -> Result<Vec<Option<i64>>, String> {
    if tok == "_" {
        return Ok(vec![None]);
    }
    if let Some(n) = tok.strip_prefix("_x") {
        return Ok(vec![None; count(n)?]);
    }
    let (a, rest) = signed_duration(tok)?;
    if rest.is_empty() {
        return Ok(vec![Some(a)]);
    }
    if let Some(n) = rest.strip_prefix('x') {
        return Ok(vec![Some(a); count(n)? + 1]);
    }
    let sign = match rest.as_bytes().first() {
        Some(b'+') => 1,
        Some(b'-') => -1,
        _ => return Err(format!("invalid @st value {tok:?}")),
    };
    let (b, rest) = unsigned_duration(&rest[1..])?;
    let Some(n) = rest.strip_prefix('x') else { return Err(format!("invalid @st value {tok:?}: expected xN")) };
    let n = count(n)?;
    let mut v = a;
    let mut out = vec![Some(v)];
    for _ in 0..n {
        v += sign * b;
        out.push(Some(v));
    }
    Ok(out)
}

fn count(n: &str) -> Result<usize, String> {
    n.parse::<usize>().ok().filter(|&n| n < 1_000_000).ok_or_else(|| format!("invalid repetition count {n:?}"))
}

fn signed_duration(s: &str) -> Result<(i64, &str), String> {
    let (sign, body) = match s.as_bytes().first() {
        Some(b'-') => (-1, &s[1..]),
        Some(b'+') => (1, &s[1..]),
        _ => (1, s),
    };
    let (d, rest) = unsigned_duration(body)?;
    Ok((sign * d, rest))
}

/// A Prometheus duration at the start of `s` (its characters are digits and unit letters,
/// none of which is `x`), and the rest.
fn unsigned_duration(s: &str) -> Result<(i64, &str), String> {
    let n = s.find(|c: char| !(c.is_ascii_digit() || "ywdhms".contains(c))).unwrap_or(s.len());
    let d = parse_duration(&s[..n])?;
    Ok((d, &s[n..]))
}

#[cfg(test)]
mod tests {
    use super::parse_start_offsets;

    #[test]
    fn expands() {
        assert_eq!(
            parse_start_offsets("_ _ -30s-1mx2 -1msx3"),
            Ok(vec![None, None, Some(-30_000), Some(-90_000), Some(-150_000), Some(-1), Some(-1), Some(-1), Some(-1)])
        );
        assert_eq!(parse_start_offsets("_x2 -0ms 30s"), Ok(vec![None, None, Some(0), Some(30_000)]));
        assert!(parse_start_offsets("abc").is_err());
    }
}
