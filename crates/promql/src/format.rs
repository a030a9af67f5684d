//! Multi-line formatting like `promtool promql format` (Prometheus's `Pretty`): a node whose
//! one-line form exceeds 100 bytes is split, its children indented two spaces per level.

use crate::ast::*;
use crate::printer::{aggregate_head, binary_modifiers, subquery_suffix};

const MAX_WIDTH: usize = 100;

/// The formatted query; short queries stay on one line, identical to `Display`.
pub fn format(expr: &Expr) -> String {
    pretty(expr, 0)
}

fn indent(level: usize) -> String {
    "  ".repeat(level)
}

fn needs_split(e: &Expr) -> bool {
    e.to_string().len() > MAX_WIDTH
}

fn pretty(e: &Expr, level: usize) -> String {
    let pad = indent(level);
    if !needs_split(e) {
        return format!("{pad}{e}");
    }
    match e {
        Expr::Aggregate(a) => {
            let mut s = format!("{pad}{}(\n", aggregate_head(a));
            if let Some(p) = &a.param {
                s.push_str(&pretty(p, level + 1));
                s.push_str(",\n");
            }
            s.push_str(&pretty(&a.expr, level + 1));
            s.push('\n');
            s.push_str(&pad);
            s.push(')');
            s
        }
        Expr::Binary(b) => format!(
            "{}\n{pad}{}{}\n{}",
            pretty(&b.lhs, level + 1),
            b.op.as_str(),
            binary_modifiers(b),
            pretty(&b.rhs, level + 1)
        ),
        Expr::Call(c) => {
            let args: Vec<String> = c.args.iter().map(|a| pretty(a, level + 1)).collect();
            format!("{pad}{}(\n{}\n{pad})", c.func.name, args.join(",\n"))
        }
        Expr::Paren(p) => format!("{pad}(\n{}\n{pad})", pretty(&p.expr, level + 1)),
        Expr::Subquery(sq) => format!("{}{}", pretty(&sq.expr, level), subquery_suffix(sq)),
        Expr::Unary(u) => {
            let child = pretty(&u.expr, level);
            let sign = if u.op == UnaryOp::Neg { "-" } else { "+" };
            format!("{pad}{sign}{}", child.trim_start())
        }
        Expr::NumberLiteral(_)
        | Expr::StringLiteral(_)
        | Expr::VectorSelector(_)
        | Expr::MatrixSelector(_) => {
            format!("{pad}{e}")
        }
    }
}

#[cfg(test)]
#[allow(clippy::panic)]
mod tests {
    use super::*;

    fn fmt(q: &str) -> String {
        match crate::parse(q) {
            Ok(e) => format(&e),
            Err(e) => format!("ERR {e}"),
        }
    }

    #[test]
    fn short_stays_on_one_line() {
        assert_eq!(
            fmt("sum(rate(x[5m])) by (job)"),
            "sum by (job) (rate(x[5m]))"
        );
    }

    #[test]
    fn long_binary_splits_at_the_operator() {
        let q = "sum by (job) (rate(http_requests_total_with_a_long_name[5m])) / on (job) group_left sum by (job) (rate(other_requests_total_long_name[5m]))";
        assert_eq!(
            fmt(q),
            "  sum by (job) (rate(http_requests_total_with_a_long_name[5m]))\n/ on (job) group_left ()\n  sum by (job) (rate(other_requests_total_long_name[5m]))"
        );
    }

    #[test]
    fn long_call_splits_its_arguments() {
        let q = "histogram_quantile(0.9, sum by (le) (rate(a_very_long_histogram_metric_name_for_testing_bucket{job=\"api-server\"}[5m])))";
        assert_eq!(
            fmt(q),
            "histogram_quantile(\n  0.9,\n  sum by (le) (rate(a_very_long_histogram_metric_name_for_testing_bucket{job=\"api-server\"}[5m]))\n)"
        );
    }
}
