//! Prometheus's static checks after parsing (`checkAST`): types of operands and arguments,
//! vector-matching rules, selector sanity. Children are checked before their parent, so the
//! error reported is the one Prometheus reports first.

use model::METRIC_NAME;

use crate::ast::*;
use crate::error::{PResult, RawError};
use crate::span::Span;

const SMOOTHED_FUNCS: [&str; 3] = ["delta", "increase", "rate"];
const ANCHORED_FUNCS: [&str; 5] = ["changes", "delta", "increase", "rate", "resets"];

pub(crate) fn check(src: &str, e: &Expr) -> PResult<ValueType> {
    match e {
        Expr::NumberLiteral(_) => Ok(ValueType::Scalar),
        Expr::StringLiteral(_) => Ok(ValueType::String),
        Expr::VectorSelector(vs) => {
            check_selector(vs)?;
            Ok(ValueType::Vector)
        }
        Expr::MatrixSelector(ms) => {
            check_selector(&ms.vector)?;
            Ok(ValueType::Matrix)
        }
        Expr::Subquery(sq) => {
            let t = check(src, &sq.expr)?;
            if t != ValueType::Vector {
                return Err(RawError::new(
                    sq.span,
                    format!(
                        "subquery is only allowed on instant vector, got {} instead",
                        t.as_str()
                    ),
                ));
            }
            Ok(ValueType::Matrix)
        }
        Expr::Paren(p) => check(src, &p.expr),
        Expr::Unary(u) => {
            let t = check(src, &u.expr)?;
            if t != ValueType::Scalar && t != ValueType::Vector {
                return Err(RawError::new(
                    u.span,
                    format!(
                        "unary expression only allowed on expressions of type scalar or instant vector, got {:?}",
                        t.documented()
                    ),
                ));
            }
            Ok(t)
        }
        Expr::Binary(b) => check_binary(src, b),
        Expr::Aggregate(a) => {
            expect(src, &a.expr, ValueType::Vector, "aggregation expression")?;
            match a.op {
                AggregateOp::Topk
                | AggregateOp::Bottomk
                | AggregateOp::Quantile
                | AggregateOp::Limitk
                | AggregateOp::LimitRatio => {
                    if let Some(p) = &a.param {
                        expect(src, p, ValueType::Scalar, "aggregation parameter")?;
                    }
                }
                AggregateOp::CountValues => {
                    if let Some(p) = &a.param {
                        expect(src, p, ValueType::String, "aggregation parameter")?;
                    }
                }
                _ => {}
            }
            Ok(ValueType::Vector)
        }
        Expr::Call(c) => check_call(src, c),
    }
}

fn expect(src: &str, e: &Expr, want: ValueType, context: &str) -> PResult<()> {
    let got = check(src, e)?;
    if got != want {
        return Err(RawError::new(
            e.span(),
            format!(
                "expected type {} in {context}, got {}",
                want.documented(),
                got.documented()
            ),
        ));
    }
    Ok(())
}

fn check_selector(vs: &VectorSelector) -> PResult<()> {
    if let Some(name) = &vs.name {
        let inner = &vs.matchers[..vs.matchers.len().saturating_sub(1)];
        if let Some(m) = inner.iter().find(|m| m.name == METRIC_NAME) {
            return Err(RawError::new(
                vs.span,
                format!(
                    "metric name must not be set twice: {:?} or {:?}",
                    name, m.value
                ),
            ));
        }
        return Ok(());
    }
    if !vs.matchers.iter().any(|m| !m.matches_empty()) {
        return Err(RawError::new(
            vs.span,
            "vector selector must contain at least one non-empty matcher",
        ));
    }
    Ok(())
}

fn check_call(src: &str, c: &Call) -> PResult<ValueType> {
    let f = c.func;
    let n = c.args.len();
    if f.variadic == 0 {
        if f.arg_types.len() != n {
            return Err(RawError::new(
                c.span,
                format!(
                    "expected {} argument(s) in call to {:?}, got {n}",
                    f.arg_types.len(),
                    f.name
                ),
            ));
        }
    } else {
        let min = f.arg_types.len().saturating_sub(1);
        if min > n {
            return Err(RawError::new(
                c.span,
                format!(
                    "expected at least {min} argument(s) in call to {:?}, got {n}",
                    f.name
                ),
            ));
        }
        if let Some(max) = f.max_args() {
            if n > max {
                return Err(RawError::new(
                    c.span,
                    format!(
                        "expected at most {max} argument(s) in call to {:?}, got {n}",
                        f.name
                    ),
                ));
            }
        }
    }
    // info()'s second argument is a label selector that may match everything.
    let mut bypass = None;
    if f.name == "info" {
        if let Some(arg) = c.args.get(1) {
            if arg.value_type() != ValueType::Vector {
                return Err(RawError::new(
                    c.span,
                    format!(
                        "expected type instant vector in call to function \"info\", got {}",
                        arg.value_type().documented()
                    ),
                ));
            }
            match arg {
                Expr::VectorSelector(vs) if vs.name.is_some() => {
                    return Err(RawError::new(
                        arg.span(),
                        "expected label selectors only, got vector selector instead",
                    ))
                }
                Expr::VectorSelector(_) => bypass = Some(1),
                _ => return Err(RawError::new(arg.span(), "expected label selectors only")),
            }
        }
    }
    for (i, arg) in c.args.iter().enumerate() {
        let Some(want) = f.arg_type(i) else { break };
        if bypass == Some(i) {
            continue;
        }
        expect(src, arg, want, &format!("call to function {:?}", f.name))?;
    }
    Ok(f.return_type)
}

/// The engine-side check Prometheus runs when a query is created (not at parse time):
/// `smoothed` and `anchored` only make sense for some range functions. Returns the first
/// offending call's span and Prometheus's message.
pub fn check_range_modifiers(e: &Expr) -> Result<(), (Span, String)> {
    let mut result = Ok(());
    crate::walk::walk(e, &mut |node| {
        if result.is_err() {
            return;
        }
        if let Expr::Call(c) = node {
            let f = c.func;
            for arg in &c.args {
                if let Some(vs) = range_modifier_target(arg) {
                    if vs.smoothed && !SMOOTHED_FUNCS.contains(&f.name) {
                        result = Err((
                            c.span,
                            format!(
                                "smoothed modifier can only be used with: {} - not with {}",
                                SMOOTHED_FUNCS.join(", "),
                                f.name
                            ),
                        ));
                        return;
                    }
                    if vs.anchored && !ANCHORED_FUNCS.contains(&f.name) {
                        result = Err((
                            c.span,
                            format!(
                                "anchored modifier can only be used with: {} - not with {}",
                                ANCHORED_FUNCS.join(", "),
                                f.name
                            ),
                        ));
                        return;
                    }
                }
            }
        }
    });
    result
}

/// The selector of a range-vector argument carrying `anchored`/`smoothed`.
fn range_modifier_target(e: &Expr) -> Option<&VectorSelector> {
    match e {
        Expr::MatrixSelector(ms) if ms.vector.anchored || ms.vector.smoothed => Some(&ms.vector),
        _ => None,
    }
}

fn check_binary(src: &str, b: &BinaryExpr) -> PResult<ValueType> {
    let lt = check(src, &b.lhs)?;
    let rt = check(src, &b.rhs)?;
    // The operator's range with the surrounding spaces trimmed, as Prometheus reports it.
    let (mut start, mut end) = (b.lhs.span().end, b.rhs.span().start);
    let bytes = src.as_bytes();
    while start < end && bytes.get(start).is_some_and(u8::is_ascii_whitespace) {
        start += 1;
    }
    while end > start && bytes.get(end - 1).is_some_and(u8::is_ascii_whitespace) {
        end -= 1;
    }
    let op_span = Span::new(start, end);
    if b.return_bool && !b.op.is_comparison() {
        return Err(RawError::new(
            op_span,
            "bool modifier can only be used on comparison operators",
        ));
    }
    if b.op.is_comparison() && !b.return_bool && lt == ValueType::Scalar && rt == ValueType::Scalar
    {
        return Err(RawError::new(
            op_span,
            "comparisons between scalars must use BOOL modifier",
        ));
    }
    if let Some(m) = &b.matching {
        if m.on {
            if let Some(l) = m.labels.iter().find(|l| m.include.contains(l)) {
                return Err(RawError::new(
                    op_span,
                    format!("label {l:?} must not occur in ON and GROUP clause at once"),
                ));
            }
        }
    }
    if lt != ValueType::Scalar && lt != ValueType::Vector {
        return Err(RawError::new(
            b.lhs.span(),
            "binary expression must contain only scalar and instant vector types",
        ));
    }
    if rt != ValueType::Scalar && rt != ValueType::Vector {
        return Err(RawError::new(
            b.rhs.span(),
            "binary expression must contain only scalar and instant vector types",
        ));
    }
    let both_vectors = lt == ValueType::Vector && rt == ValueType::Vector;
    if let Some(m) = &b.matching {
        if !both_vectors {
            if !m.labels.is_empty() {
                return Err(RawError::new(
                    b.span,
                    "vector matching only allowed between instant vectors",
                ));
            }
            if !b.fill.is_empty() {
                return Err(RawError::new(
                    b.span,
                    "filling in missing series only allowed between instant vectors",
                ));
            }
        } else if b.op.is_set() {
            if matches!(m.card, Card::OneToMany | Card::ManyToOne) {
                return Err(RawError::new(
                    b.span,
                    format!("no grouping allowed for {:?} operation", b.op.as_str()),
                ));
            }
            if !b.fill.is_empty() {
                return Err(RawError::new(
                    b.span,
                    "filling in missing series not allowed for set operators",
                ));
            }
        }
    }
    if (lt == ValueType::Scalar || rt == ValueType::Scalar) && b.op.is_set() {
        return Err(RawError::new(
            b.span,
            format!(
                "set operator {:?} not allowed in binary scalar expression",
                b.op.as_str()
            ),
        ));
    }
    Ok(if lt == ValueType::Scalar && rt == ValueType::Scalar {
        ValueType::Scalar
    } else {
        ValueType::Vector
    })
}

/// After a successful check: drop matching from operations that are not vector/vector and
/// make set operations many-to-many, as Prometheus's checker does to the tree.
pub(crate) fn normalize(e: &mut Expr) {
    match e {
        Expr::Binary(b) => {
            normalize(&mut b.lhs);
            normalize(&mut b.rhs);
            let both =
                b.lhs.value_type() == ValueType::Vector && b.rhs.value_type() == ValueType::Vector;
            if !both {
                b.matching = None;
            } else if let Some(m) = &mut b.matching {
                if b.op.is_set() && m.card == Card::OneToOne {
                    m.card = Card::ManyToMany;
                }
            }
        }
        Expr::Paren(p) => normalize(&mut p.expr),
        Expr::Unary(u) => normalize(&mut u.expr),
        Expr::Subquery(s) => normalize(&mut s.expr),
        Expr::Aggregate(a) => {
            normalize(&mut a.expr);
            if let Some(p) = &mut a.param {
                normalize(p);
            }
        }
        Expr::Call(c) => c.args.iter_mut().for_each(normalize),
        Expr::NumberLiteral(_)
        | Expr::StringLiteral(_)
        | Expr::VectorSelector(_)
        | Expr::MatrixSelector(_) => {}
    }
}
