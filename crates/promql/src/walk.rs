//! Pre-order traversal of a tree, for checks and tools that look at every node.

use crate::ast::Expr;

/// Calls `f` on `e` and then on each descendant, parents before children, left to right.
pub fn walk<'a>(e: &'a Expr, f: &mut dyn FnMut(&'a Expr)) {
    f(e);
    match e {
        Expr::Paren(p) => walk(&p.expr, f),
        Expr::Unary(u) => walk(&u.expr, f),
        Expr::Subquery(s) => walk(&s.expr, f),
        Expr::Binary(b) => {
            walk(&b.lhs, f);
            walk(&b.rhs, f);
        }
        Expr::Aggregate(a) => {
            if let Some(p) = &a.param {
                walk(p, f);
            }
            walk(&a.expr, f);
        }
        Expr::Call(c) => c.args.iter().for_each(|a| walk(a, f)),
        Expr::NumberLiteral(_)
        | Expr::StringLiteral(_)
        | Expr::VectorSelector(_)
        | Expr::MatrixSelector(_) => {}
    }
}
