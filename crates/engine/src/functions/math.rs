//! Element-wise functions of instant vectors: math, trigonometry, rounding, and the calendar
//! functions (UTC) on timestamps.

pub(super) fn simple(name: &str) -> Option<fn(f64) -> f64> {
    Some(match name {
        "abs" => f64::abs,
        "ceil" => f64::ceil,
        "floor" => f64::floor,
        "exp" => f64::exp,
        "sqrt" => f64::sqrt,
        "ln" => f64::ln,
        "log2" => f64::log2,
        "log10" => f64::log10,
        "sin" => f64::sin,
        "cos" => f64::cos,
        "tan" => f64::tan,
        "asin" => f64::asin,
        "acos" => f64::acos,
        "atan" => f64::atan,
        "sinh" => f64::sinh,
        "cosh" => f64::cosh,
        "tanh" => f64::tanh,
        "asinh" => f64::asinh,
        "acosh" => f64::acosh,
        "atanh" => f64::atanh,
        "rad" => |v| v * std::f64::consts::PI / 180.0,
        "deg" => |v| v * 180.0 / std::f64::consts::PI,
        "sgn" => |v| {
            if v < 0.0 {
                -1.0
            } else if v > 0.0 {
                1.0
            } else {
                v
            }
        },
        _ => return None,
    })
}

/// Civil date from days since the epoch (Howard Hinnant's algorithm): (year, month, day).
fn civil(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

fn is_leap(y: i64) -> bool {
    (y % 4 == 0 && y % 100 != 0) || y % 400 == 0
}

fn days_in(y: i64, m: u32) -> u32 {
    match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        _ if is_leap(y) => 29,
        _ => 28,
    }
}

/// A calendar field of a Unix time in seconds (Go truncates the float to whole seconds).
pub(super) fn date_part(name: &str, secs: f64) -> f64 {
    // Go's int64 conversion saturates oddly out of range; keep the arithmetic finite.
    let s = if secs.is_nan() { i64::MIN / 2 } else { (secs as i64).clamp(i64::MIN / 2, i64::MAX / 2) };
    let days = s.div_euclid(86_400);
    let sod = s.rem_euclid(86_400);
    let (y, m, d) = civil(days);
    match name {
        "year" => y as f64,
        "month" => f64::from(m),
        "day_of_month" => f64::from(d),
        "day_of_week" => (days + 4).rem_euclid(7) as f64,
        "day_of_year" => {
            let before: u32 = (1..m).map(|mm| days_in(y, mm)).sum();
            f64::from(before + d)
        }
        "days_in_month" => f64::from(days_in(y, m)),
        "hour" => (sod / 3600) as f64,
        "minute" => ((sod % 3600) / 60) as f64,
        _ => f64::NAN,
    }
}

pub(super) const DATE_FUNCS: [&str; 8] =
    ["day_of_month", "day_of_week", "day_of_year", "days_in_month", "hour", "minute", "month", "year"];

#[cfg(test)]
mod tests {
    use super::date_part;

    #[test]
    fn calendar() {
        // 2024-02-29T13:45:00Z
        let t = 1_709_214_300.0;
        assert_eq!(date_part("year", t), 2024.0);
        assert_eq!(date_part("month", t), 2.0);
        assert_eq!(date_part("day_of_month", t), 29.0);
        assert_eq!(date_part("days_in_month", t), 29.0);
        assert_eq!(date_part("day_of_year", t), 60.0);
        assert_eq!(date_part("hour", t), 13.0);
        assert_eq!(date_part("minute", t), 45.0);
        assert_eq!(date_part("day_of_week", t), 4.0);
        assert_eq!(date_part("day_of_week", 0.0), 4.0);
    }
}
