//! Which data a query reads: each series selector with the window of samples it may touch
//! (lookback, ranges, subqueries, offsets and `@` taken into account), so `promplay compare`
//! can import exactly that from the server before evaluating the query locally.

use std::collections::BTreeMap;

use model::Timestamp;
use promql::{AtModifier, BinaryOp, DurationExpr, Expr, UnaryOp, VectorSelector};

/// The samples of `selector` in `[start, end]`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Need {
    pub selector: String,
    pub start: Timestamp,
    pub end: Timestamp,
}

/// The query's evaluation parameters (an instant query is `start == end`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Eval {
    pub start: Timestamp,
    pub end: Timestamp,
    /// The range query's step (0 for an instant query).
    pub step: i64,
    pub lookback: i64,
}

/// Every selector of `query` (merged by canonical form) with the window it reads.
pub fn data_needed(query: &str, eval: Eval) -> Result<Vec<Need>, String> {
    let expr = promql::parse(query).map_err(|e| e.to_string())?;
    let mut out: BTreeMap<String, (Timestamp, Timestamp)> = BTreeMap::new();
    visit(&expr, eval.start, eval.end, &eval, &mut out)?;
    Ok(out.into_iter().map(|(selector, (start, end))| Need { selector, start, end }).collect())
}

fn visit(e: &Expr, start: Timestamp, end: Timestamp, eval: &Eval, out: &mut BTreeMap<String, (Timestamp, Timestamp)>) -> Result<(), String> {
    match e {
        Expr::VectorSelector(v) => add(v, start, end, eval.lookback, eval, out),
        Expr::MatrixSelector(m) => {
            let range = duration_ms(&m.range, eval)?;
            add(&m.vector, start, end, range, eval, out)
        }
        Expr::Subquery(s) => {
            let range = duration_ms(&s.range, eval)?;
            let offset = s.offset.as_ref().map(|o| duration_ms(o, eval)).transpose()?.unwrap_or(0);
            let (from, to) = pinned(s.at, start, end, eval);
            visit(&s.expr, from - offset - range, to - offset, eval, out)
        }
        Expr::Paren(p) => visit(&p.expr, start, end, eval, out),
        Expr::Unary(u) => visit(&u.expr, start, end, eval, out),
        Expr::Binary(b) => {
            visit(&b.lhs, start, end, eval, out)?;
            visit(&b.rhs, start, end, eval, out)
        }
        Expr::Aggregate(a) => {
            if let Some(p) = &a.param {
                visit(p, start, end, eval, out)?;
            }
            visit(&a.expr, start, end, eval, out)
        }
        Expr::Call(c) => c.args.iter().try_for_each(|a| visit(a, start, end, eval, out)),
        Expr::NumberLiteral(_) | Expr::StringLiteral(_) => Ok(()),
    }
}

/// The evaluation window after an `@` modifier: `@ t` pins every step to `t`.
fn pinned(at: Option<AtModifier>, start: Timestamp, end: Timestamp, eval: &Eval) -> (Timestamp, Timestamp) {
    match at {
        None => (start, end),
        Some(AtModifier::Timestamp(t)) => (t, t),
        Some(AtModifier::Start) => (eval.start, eval.start),
        Some(AtModifier::End) => (eval.end, eval.end),
    }
}

fn add(
    v: &VectorSelector,
    start: Timestamp,
    end: Timestamp,
    window: i64,
    eval: &Eval,
    out: &mut BTreeMap<String, (Timestamp, Timestamp)>,
) -> Result<(), String> {
    let offset = v.offset.as_ref().map(|o| duration_ms(o, eval)).transpose()?.unwrap_or(0);
    let (from, to) = pinned(v.at, start, end, eval);
    let plain = VectorSelector { offset: None, at: None, anchored: false, smoothed: false, ..v.clone() };
    let key = Expr::VectorSelector(plain).to_string();
    let (lo, hi) = (from - offset - window, to - offset);
    let slot = out.entry(key).or_insert((lo, hi));
    slot.0 = slot.0.min(lo);
    slot.1 = slot.1.max(hi);
    Ok(())
}

fn duration_ms(d: &DurationExpr, eval: &Eval) -> Result<i64, String> {
    let secs = duration_secs(d, eval)?;
    if !secs.is_finite() {
        return Err("a duration of the query is not finite".into());
    }
    Ok((secs * 1000.0).round() as i64)
}

fn duration_secs(d: &DurationExpr, eval: &Eval) -> Result<f64, String> {
    Ok(match d {
        DurationExpr::Literal { secs, .. } => *secs,
        DurationExpr::Step { .. } => eval.step as f64 / 1000.0,
        DurationExpr::Range { .. } => (eval.end - eval.start) as f64 / 1000.0,
        DurationExpr::Paren { expr, .. } => duration_secs(expr, eval)?,
        DurationExpr::Unary { op, expr, .. } => match op {
            UnaryOp::Neg => -duration_secs(expr, eval)?,
            UnaryOp::Pos => duration_secs(expr, eval)?,
        },
        DurationExpr::MinOf { lhs, rhs, .. } => duration_secs(lhs, eval)?.min(duration_secs(rhs, eval)?),
        DurationExpr::MaxOf { lhs, rhs, .. } => duration_secs(lhs, eval)?.max(duration_secs(rhs, eval)?),
        DurationExpr::Binary { op, lhs, rhs, .. } => {
            let (a, b) = (duration_secs(lhs, eval)?, duration_secs(rhs, eval)?);
            match op {
                BinaryOp::Add => a + b,
                BinaryOp::Sub => a - b,
                BinaryOp::Mul => a * b,
                BinaryOp::Div => a / b,
                BinaryOp::Mod => a % b,
                BinaryOp::Pow => a.powf(b),
                other => return Err(format!("unexpected operator {} in a duration", other.as_str())),
            }
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const M: i64 = 60_000;

    fn needs(q: &str, eval: Eval) -> Vec<(String, i64, i64)> {
        data_needed(q, eval).unwrap_or_else(|e| panic!("{e}")).into_iter().map(|n| (n.selector, n.start, n.end)).collect()
    }

    #[test]
    fn windows_of_selectors() {
        let instant = Eval { start: 100 * M, end: 100 * M, step: 0, lookback: 5 * M };
        assert_eq!(needs("up", instant), [("up".to_string(), 95 * M, 100 * M)]);
        assert_eq!(
            needs("sum(rate(x{a=\"b\"}[10m] offset 1h)) / on() up @ 3000", instant),
            [("up".to_string(), 3_000_000 - 5 * M, 3_000_000), ("x{a=\"b\"}".to_string(), 30 * M, 40 * M)]
        );
        // The same selector twice: one window covering both.
        assert_eq!(needs("x - x offset 30m", instant), [("x".to_string(), 65 * M, 100 * M)]);
        let range = Eval { start: 100 * M, end: 160 * M, step: M, lookback: 5 * M };
        assert_eq!(
            needs("max_over_time(rate(c[5m])[30m:1m])", range),
            [("c".to_string(), 65 * M, 160 * M)]
        );
        assert_eq!(needs("x offset -10m", range), [("x".to_string(), 105 * M, 170 * M)]);
        assert_eq!(needs("1 + 2", range), []);
        assert!(data_needed("x{", range).is_err());
    }
}
