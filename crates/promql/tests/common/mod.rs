//! Helpers shared by the integration tests: locating data files, comparing trees without spans.

#![allow(dead_code, clippy::panic)]

use std::path::PathBuf;

use promql::{DurationExpr, Expr, Span};

pub fn data_file(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/promql")
        .join(name)
}

pub fn read_data(name: &str) -> String {
    std::fs::read_to_string(data_file(name)).unwrap_or_else(|e| panic!("reading {name}: {e}"))
}

/// A copy of the tree with every span zeroed, so trees from different texts compare equal.
pub fn without_spans(e: &Expr) -> Expr {
    let mut e = e.clone();
    strip(&mut e);
    e
}

fn strip_d(d: &mut DurationExpr) {
    match d {
        DurationExpr::Literal { span, .. }
        | DurationExpr::Step { span }
        | DurationExpr::Range { span } => *span = Span::default(),
        DurationExpr::Unary { expr, span, .. } | DurationExpr::Paren { expr, span } => {
            *span = Span::default();
            strip_d(expr);
        }
        DurationExpr::Binary { lhs, rhs, span, .. }
        | DurationExpr::MinOf { lhs, rhs, span }
        | DurationExpr::MaxOf { lhs, rhs, span } => {
            *span = Span::default();
            strip_d(lhs);
            strip_d(rhs);
        }
    }
}

fn strip_vs(v: &mut promql::VectorSelector) {
    v.span = Span::default();
    if let Some(o) = &mut v.offset {
        strip_d(o);
    }
}

fn strip(e: &mut Expr) {
    match e {
        Expr::NumberLiteral(n) => n.span = Span::default(),
        Expr::StringLiteral(s) => s.span = Span::default(),
        Expr::VectorSelector(v) => strip_vs(v),
        Expr::MatrixSelector(m) => {
            m.span = Span::default();
            strip_vs(&mut m.vector);
            strip_d(&mut m.range);
        }
        Expr::Subquery(s) => {
            s.span = Span::default();
            strip(&mut s.expr);
            strip_d(&mut s.range);
            if let Some(st) = &mut s.step {
                strip_d(st);
            }
            if let Some(o) = &mut s.offset {
                strip_d(o);
            }
        }
        Expr::Paren(p) => {
            p.span = Span::default();
            strip(&mut p.expr);
        }
        Expr::Unary(u) => {
            u.span = Span::default();
            strip(&mut u.expr);
        }
        Expr::Binary(b) => {
            b.span = Span::default();
            strip(&mut b.lhs);
            strip(&mut b.rhs);
        }
        Expr::Aggregate(a) => {
            a.span = Span::default();
            strip(&mut a.expr);
            if let Some(p) = &mut a.param {
                strip(p);
            }
        }
        Expr::Call(c) => {
            c.span = Span::default();
            c.args.iter_mut().for_each(strip);
        }
    }
}

/// NaN-aware tree equality: Debug output is equal iff the trees are (NaN prints as NaN).
pub fn same_tree(a: &Expr, b: &Expr) -> bool {
    format!("{:?}", without_spans(a)) == format!("{:?}", without_spans(b))
}
