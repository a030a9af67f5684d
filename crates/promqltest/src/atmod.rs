//! The step-invariance variants of an instant eval (PROMQLTEST_FORMAT.md section 7.1 step 2):
//! every selector and subquery without `@` gets `@ T`, and the result must not depend on the
//! evaluation time any more.

use model::Timestamp;
use promql::{AtModifier, Expr};

/// Functions whose value depends on the evaluation time itself, so pinning selectors does not
/// make the expression step invariant; such evals get no variants.
const TIME_DEPENDENT: [&str; 15] = [
    "days_in_month",
    "day_of_month",
    "day_of_week",
    "day_of_year",
    "hour",
    "minute",
    "month",
    "year",
    "predict_linear",
    "time",
    "timestamp",
    "start",
    "end",
    "range",
    "step",
];

/// True when the expression calls a function from the time-dependent list.
pub fn calls_time_dependent(expr: &Expr) -> bool {
    let mut found = false;
    promql::walk(expr, &mut |e| {
        if let Expr::Call(c) = e {
            found |= TIME_DEPENDENT.contains(&c.func.name);
        }
    });
    found
}

/// The evaluation times (ms) of the variants for an eval at `t`.
pub fn variant_times(t: Timestamp) -> Vec<Timestamp> {
    if t == 0 {
        vec![-1000, 0, 1000]
    } else {
        vec![-10 * t, 0, t / 5, t, 10 * t]
    }
}

/// A copy of `expr` with `@ t` on every selector and subquery that has no `@`; the inside of
/// a subquery is left alone (it either had an `@` or has just been given one).
pub fn pin_at(expr: &Expr, t: Timestamp) -> Expr {
    let mut e = expr.clone();
    pin(&mut e, t);
    e
}

fn pin(e: &mut Expr, t: Timestamp) {
    let at = Some(AtModifier::Timestamp(t));
    match e {
        Expr::VectorSelector(vs) => {
            if vs.at.is_none() {
                vs.at = at;
            }
        }
        Expr::MatrixSelector(m) => {
            if m.vector.at.is_none() {
                m.vector.at = at;
            }
        }
        Expr::Subquery(s) => {
            if s.at.is_none() {
                s.at = at;
            }
        }
        Expr::Paren(p) => pin(&mut p.expr, t),
        Expr::Unary(u) => pin(&mut u.expr, t),
        Expr::Binary(b) => {
            pin(&mut b.lhs, t);
            pin(&mut b.rhs, t);
        }
        Expr::Aggregate(a) => {
            if let Some(p) = a.param.as_mut() {
                pin(p, t);
            }
            pin(&mut a.expr, t);
        }
        Expr::Call(c) => c.args.iter_mut().for_each(|a| pin(a, t)),
        Expr::NumberLiteral(_) | Expr::StringLiteral(_) => {}
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn pinned(q: &str, t: Timestamp) -> String {
        pin_at(&promql::parse(q).unwrap(), t).to_string()
    }

    #[test]
    fn pins_selectors_and_subqueries_only_once() {
        assert_eq!(pinned("sum(rate(m[5m])) + n", 3_000_000), "sum(rate(m[5m] @ 3000.000)) + n @ 3000.000");
        assert_eq!(pinned("m @ 10 + n", 1000), "m @ 10.000 + n @ 1.000");
        assert_eq!(pinned("max_over_time(rate(m[1m])[5m:1m])", 60_000), "max_over_time(rate(m[1m])[5m:1m] @ 60.000)");
    }

    #[test]
    fn time_dependent_functions() {
        assert!(calls_time_dependent(&promql::parse("sum(time() - m)").unwrap()));
        assert!(!calls_time_dependent(&promql::parse("sum(m)").unwrap()));
        assert_eq!(variant_times(0), vec![-1000, 0, 1000]);
        assert_eq!(variant_times(3_000_000), vec![-30_000_000, 0, 600_000, 3_000_000, 30_000_000]);
    }
}
