//! The canonical one-line form of an expression (`Display`), shaped like Prometheus's
//! `String()` methods, and guaranteed to parse back to the same tree.

use std::fmt::{self, Write};

use model::{format_duration, is_legacy_label_name, quote};

use crate::ast::*;
use crate::quoted::go_quote_bytes;

/// Go's `fmt.Sprint(float64)` (`%v`, i.e. shortest `%g`): shortest digits, and the `%e` form
/// when the decimal exponent is < -4 or >= 6, so one million prints as `1e+06`.
pub fn format_number(v: f64) -> String {
    if v.is_nan() {
        return "NaN".to_string();
    }
    if v.is_infinite() {
        return if v > 0.0 {
            "+Inf".to_string()
        } else {
            "-Inf".to_string()
        };
    }
    if v == 0.0 {
        return if v.is_sign_negative() {
            "-0".to_string()
        } else {
            "0".to_string()
        };
    }
    let sci = format!("{v:e}");
    let (mantissa, exp) = sci.split_once('e').unwrap_or((&sci, "0"));
    let exp: i32 = exp.parse().unwrap_or(0);
    if !(-4..6).contains(&exp) {
        let sign = if exp < 0 { '-' } else { '+' };
        return format!("{mantissa}e{sign}{:02}", exp.abs());
    }
    format!("{v}")
}

/// True when `secs` is a whole number of milliseconds, so a duration prints it exactly.
fn whole_ms(secs: f64) -> bool {
    secs.is_finite() && ((secs * 1000.0).round() / 1000.0) == secs && (secs * 1000.0).abs() < 9.0e18
}

/// Milliseconds the way Prometheus prints a duration.
fn duration_ms(secs: f64) -> String {
    format_duration((secs * 1000.0).round() as i64)
}

pub(crate) fn label_name(name: &str) -> String {
    if is_legacy_label_name(name) {
        name.to_string()
    } else {
        quote(name)
    }
}

fn label_list(labels: &[String]) -> String {
    labels
        .iter()
        .map(|l| label_name(l))
        .collect::<Vec<_>>()
        .join(", ")
}

impl fmt::Display for DurationExpr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DurationExpr::Literal {
                secs,
                duration: true,
                ..
            } if whole_ms(*secs) => f.write_str(&duration_ms(*secs)),
            DurationExpr::Literal { secs, .. } => f.write_str(&format_number(*secs)),
            DurationExpr::Step { .. } => f.write_str("step()"),
            DurationExpr::Range { .. } => f.write_str("range()"),
            DurationExpr::Unary { op, expr, .. } => {
                write!(f, "{}{expr}", if *op == UnaryOp::Neg { "-" } else { "+" })
            }
            DurationExpr::Binary { op, lhs, rhs, .. } => write!(f, "{lhs} {} {rhs}", op.as_str()),
            DurationExpr::Paren { expr, .. } => write!(f, "({expr})"),
            DurationExpr::MinOf { lhs, rhs, .. } => write!(f, "min_of({lhs}, {rhs})"),
            DurationExpr::MaxOf { lhs, rhs, .. } => write!(f, "max_of({lhs}, {rhs})"),
        }
    }
}

/// `name{matchers}` without modifiers.
pub(crate) fn selector_base(vs: &VectorSelector) -> String {
    let implied = usize::from(vs.name.is_some());
    let shown = &vs.matchers[..vs.matchers.len().saturating_sub(implied)];
    let mut out = vs.name.clone().unwrap_or_default();
    if !shown.is_empty() || vs.name.is_none() {
        out.push('{');
        let parts: Vec<String> = shown.iter().map(|m| m.to_string()).collect();
        out.push_str(&parts.join(", "));
        out.push('}');
    }
    out
}

fn at_str(at: &AtModifier) -> String {
    match at {
        AtModifier::Timestamp(ms) => format!(" @ {:.3}", *ms as f64 / 1000.0),
        AtModifier::Start => " @ start()".to_string(),
        AtModifier::End => " @ end()".to_string(),
    }
}

fn offset_str(d: &DurationExpr) -> String {
    // A negative literal needs no parentheses: `offset -5m` is a signed literal.
    format!(" offset {d}")
}

/// The modifiers after a selector (and after its range), in printing order.
pub(crate) fn selector_suffix(vs: &VectorSelector) -> String {
    let mut out = String::new();
    if vs.anchored {
        out.push_str(" anchored");
    }
    if vs.smoothed {
        out.push_str(" smoothed");
    }
    if let Some(at) = &vs.at {
        out.push_str(&at_str(at));
    }
    if let Some(o) = &vs.offset {
        out.push_str(&offset_str(o));
    }
    out
}

pub(crate) fn range_str(d: &DurationExpr) -> String {
    d.to_string()
}

pub(crate) fn subquery_suffix(sq: &Subquery) -> String {
    let mut out = format!("[{}:", range_str(&sq.range));
    if let Some(s) = &sq.step {
        out.push_str(&range_str(s));
    }
    out.push(']');
    if let Some(at) = &sq.at {
        out.push_str(&at_str(at));
    }
    if let Some(o) = &sq.offset {
        out.push_str(&offset_str(o));
    }
    out
}

pub(crate) fn binary_modifiers(b: &BinaryExpr) -> String {
    let mut out = String::new();
    if b.return_bool {
        out.push_str(" bool");
    }
    if let Some(m) = &b.matching {
        let grouped = matches!(m.card, Card::ManyToOne | Card::OneToMany);
        if m.on || !m.labels.is_empty() || grouped {
            let _ = write!(
                out,
                " {} ({})",
                if m.on { "on" } else { "ignoring" },
                label_list(&m.labels)
            );
        }
        if grouped {
            let side = if m.card == Card::ManyToOne {
                "left"
            } else {
                "right"
            };
            let _ = write!(out, " group_{side} ({})", label_list(&m.include));
        }
    }
    match (b.fill.left, b.fill.right) {
        (Some(l), Some(r)) if l.to_bits() == r.to_bits() => {
            let _ = write!(out, " fill({})", format_number(l));
        }
        (l, r) => {
            if let Some(l) = l {
                let _ = write!(out, " fill_left({})", format_number(l));
            }
            if let Some(r) = r {
                let _ = write!(out, " fill_right({})", format_number(r));
            }
        }
    }
    out
}

pub(crate) fn aggregate_head(a: &AggregateExpr) -> String {
    let mut out = a.op.as_str().to_string();
    if a.without {
        let _ = write!(out, " without ({}) ", label_list(&a.grouping));
    } else if !a.grouping.is_empty() {
        let _ = write!(out, " by ({}) ", label_list(&a.grouping));
    }
    out
}

pub(crate) fn string_literal(s: &StringLiteral) -> String {
    match &s.invalid_utf8 {
        Some(bytes) => go_quote_bytes(bytes),
        None => go_quote_bytes(s.value.as_bytes()),
    }
}

pub(crate) fn number_literal(n: &NumberLiteral) -> String {
    if n.duration && whole_ms(n.value) {
        duration_ms(n.value)
    } else {
        format_number(n.value)
    }
}

impl fmt::Display for Expr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Expr::NumberLiteral(n) => f.write_str(&number_literal(n)),
            Expr::StringLiteral(s) => f.write_str(&string_literal(s)),
            Expr::VectorSelector(vs) => write!(f, "{}{}", selector_base(vs), selector_suffix(vs)),
            Expr::MatrixSelector(ms) => {
                write!(
                    f,
                    "{}[{}]{}",
                    selector_base(&ms.vector),
                    range_str(&ms.range),
                    selector_suffix(&ms.vector)
                )
            }
            Expr::Subquery(sq) => write!(f, "{}{}", sq.expr, subquery_suffix(sq)),
            Expr::Paren(p) => write!(f, "({})", p.expr),
            Expr::Unary(u) => write!(
                f,
                "{}{}",
                if u.op == UnaryOp::Neg { "-" } else { "+" },
                u.expr
            ),
            Expr::Binary(b) => write!(
                f,
                "{} {}{} {}",
                b.lhs,
                b.op.as_str(),
                binary_modifiers(b),
                b.rhs
            ),
            Expr::Aggregate(a) => {
                f.write_str(&aggregate_head(a))?;
                f.write_char('(')?;
                if let Some(p) = &a.param {
                    write!(f, "{p}, ")?;
                }
                write!(f, "{})", a.expr)
            }
            Expr::Call(c) => {
                write!(f, "{}(", c.func.name)?;
                for (i, a) in c.args.iter().enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    write!(f, "{a}")?;
                }
                f.write_char(')')
            }
        }
    }
}

#[cfg(test)]
#[allow(clippy::panic)]
mod tests {
    use super::format_number;

    #[test]
    fn numbers_like_go() {
        assert_eq!(format_number(1.0), "1");
        assert_eq!(format_number(123456.0), "123456");
        assert_eq!(format_number(1e6), "1e+06");
        assert_eq!(format_number(1234567.0), "1.234567e+06");
        assert_eq!(format_number(1e21), "1e+21");
        assert_eq!(format_number(0.0001), "0.0001");
        assert_eq!(format_number(0.00001), "1e-05");
        assert_eq!(format_number(-2.5), "-2.5");
        assert_eq!(format_number(f64::NEG_INFINITY), "-Inf");
    }
}
