//! Vector selector parsing: names, matchers, quoting, and positioned errors.

#![allow(clippy::panic)]

use model::MatchOp;
use promql::{parse, Expr};

fn err(q: &str) -> String {
    match parse(q) {
        Ok(e) => panic!("{q:?} parsed as {e}"),
        Err(e) => format!("{}:{}: {}", e.line, e.col, e.message),
    }
}

fn selector(q: &str) -> promql::VectorSelector {
    match parse(q) {
        Ok(Expr::VectorSelector(v)) => v,
        other => panic!("{q:?}: {other:?}"),
    }
}

#[test]
fn name_only() {
    let v = selector("foo");
    assert_eq!(v.name.as_deref(), Some("foo"));
    assert_eq!(v.matchers.len(), 1);
    assert_eq!(
        (v.matchers[0].name.as_str(), v.matchers[0].value.as_str()),
        ("__name__", "foo")
    );
    assert_eq!((v.span.start, v.span.end), (0, 3));
}

#[test]
fn four_matcher_kinds_and_name_last() {
    let v = selector(r#"foo{a="1", b!="2", c=~"3", d!~"4",}"#);
    let ops: Vec<MatchOp> = v.matchers.iter().map(|m| m.op).collect();
    assert_eq!(
        ops,
        vec![
            MatchOp::Equal,
            MatchOp::NotEqual,
            MatchOp::RegexMatch,
            MatchOp::RegexNoMatch,
            MatchOp::Equal
        ]
    );
    assert_eq!(v.matchers[4].name, "__name__");
    assert_eq!(v.span.end, 35);
}

#[test]
fn utf8_quoted_names() {
    let v = selector(r#"{"my.metric", "label.x"="v"}"#);
    assert_eq!(v.name, None);
    assert_eq!(
        (v.matchers[0].name.as_str(), v.matchers[0].value.as_str()),
        ("__name__", "my.metric")
    );
    assert_eq!(v.matchers[1].name, "label.x");
}

#[test]
fn name_in_braces() {
    let v = selector(r#"{__name__="foo"}"#);
    assert_eq!(v.name, None);
    assert_eq!(v.matchers.len(), 1);
}

#[test]
fn three_quote_kinds_with_escapes() {
    let v = selector("x{a=\"a\\\"b\", b='c\\'d', c=`e\\nf`}");
    let vals: Vec<&str> = v.matchers.iter().map(|m| m.value.as_str()).collect();
    assert_eq!(vals, vec!["a\"b", "c'd", "e\\nf", "x"]);
}

#[test]
fn errors() {
    assert_eq!(
        err("{}"),
        "1:1: vector selector must contain at least one non-empty matcher"
    );
    assert_eq!(
        err(r#"{a=""}"#),
        "1:1: vector selector must contain at least one non-empty matcher"
    );
    assert_eq!(
        err(r#"{a=~".*"}"#),
        "1:1: vector selector must contain at least one non-empty matcher"
    );
    assert!(err(r#"{a=~"("}"#).starts_with("1:2: error parsing regexp"));
    assert_eq!(
        err("foo{a=\"b\""),
        "1:10: unexpected end of input inside braces"
    );
    assert_eq!(
        err("foo{a}"),
        "1:6: unexpected \"}\" in label matching, expected label matching operator"
    );
    assert_eq!(
        err("foo{a=b}"),
        "1:7: unexpected identifier \"b\" in label matching, expected string"
    );
    assert_eq!(
        err("foo{a=\"b\" c=\"d\"}"),
        "1:11: unexpected identifier \"c\" in label matching, expected \",\" or \"}\""
    );
    assert_eq!(
        err("foo{\"a\\q\"=\"b\"}"),
        "1:5: unknown escape sequence U+0071 'q'"
    );
    assert_eq!(err("foo{a=\"b}"), "1:7: unterminated quoted string");
    assert_eq!(
        err(r#"foo{__name__="bar"}"#),
        "1:1: metric name must not be set twice: \"foo\" or \"bar\""
    );
    assert_eq!(err(""), "1:1: no expression found in input");
    assert_eq!(err("foo{a=\"b\"}\n}"), "2:1: unexpected character: '}'");
}
