//! Node spans are the byte ranges Prometheus reports, and errors convert them to `line:col`.

#![allow(clippy::panic)]

use promql::{parse, Expr, Span};

fn tree(q: &str) -> Expr {
    parse(q).unwrap_or_else(|e| panic!("{q:?}: {e}"))
}

fn span(e: &Expr) -> (usize, usize) {
    let Span { start, end } = e.span();
    (start, end)
}

#[test]
fn literals_and_signs() {
    assert_eq!(span(&tree("-0755")), (0, 5));
    assert_eq!(span(&tree(" +some_metric")), (1, 13));
    let Expr::Unary(u) = tree(" +some_metric") else {
        panic!()
    };
    assert_eq!(span(&u.expr), (2, 13));
}

#[test]
fn selectors_and_modifiers() {
    assert_eq!(span(&tree(r#"foo{a="b"}"#)), (0, 10));
    assert_eq!(span(&tree("foo offset 5m")), (0, 13));
    assert_eq!(span(&tree("foo @ 1603774568")), (0, 16));
    let Expr::MatrixSelector(m) = tree("test[5h] OFFSET 5m") else {
        panic!()
    };
    assert_eq!((m.span.start, m.span.end), (0, 18));
    assert_eq!((m.vector.span.start, m.vector.span.end), (0, 4));
}

#[test]
fn calls_aggregations_subqueries() {
    assert_eq!(span(&tree("rate(some_metric[5m])")), (0, 21));
    assert_eq!(span(&tree("sum (some_metric) without (foo)")), (0, 31));
    assert_eq!(span(&tree("sum by (foo)(some_metric)")), (0, 25));
    assert_eq!(span(&tree(r#"foo{bar="baz"}[10m:6s]"#)), (0, 22));
    assert_eq!(span(&tree("(sum(foo) )")), (0, 11));
    let Expr::Binary(b) = tree("foo * on(test,blub) bar") else {
        panic!()
    };
    assert_eq!((span(&b.lhs), span(&b.rhs)), ((0, 3), (20, 23)));
}

#[test]
fn error_positions_are_line_and_char_column() {
    let e = parse("sum(\n  rate(x)\n)")
        .err()
        .unwrap_or_else(|| panic!("should fail"));
    assert_eq!((e.line, e.col), (2, 8));
    assert_eq!(e.line_col(), (2, 8));
    assert_eq!(
        e.to_string(),
        "2:8: parse error: expected type range vector in call to function \"rate\", got instant vector"
    );
    // Columns count characters: the é before the error is one column, two bytes.
    let e = parse("{a=\"é\"} +")
        .err()
        .unwrap_or_else(|| panic!("should fail"));
    assert_eq!((e.span.start, e.col), (10, 10));
    assert_eq!(promql::line_col("a\nbé c", 5), (2, 3));
}
