//! Functions that work on label sets rather than values: label_replace, label_join, the sort
//! family, absent/absent_over_time labels, and info (best effort).

use std::cmp::Ordering;

use model::{Labels, MatchOp, METRIC_NAME};
use promql::{Call, Expr};

use crate::aggregate::unparen;
use crate::error::QueryError;
use crate::eval::{exec_err, merge_same_labelsets, range_to_step, step_to_range, Evaluated, Evaluator, Sample};
use crate::gosort::go_sort;
use crate::labelset::with_label;

/// The value of a string-literal argument, and whether it is valid UTF-8 (a valid label name).
pub(super) fn string_arg(e: &Expr) -> Result<(String, bool), QueryError> {
    match unparen(e) {
        Expr::StringLiteral(s) => Ok((s.value.clone(), s.invalid_utf8.is_none())),
        _ => Err(exec_err("expected a string literal argument")),
    }
}

fn valid_label_name(s: &str, utf8: bool) -> bool {
    !s.is_empty() && utf8
}

impl Evaluator<'_> {
    pub(super) fn label_replace(&self, c: &Call) -> Result<Evaluated, QueryError> {
        let arg = |i: usize| c.args.get(i).ok_or_else(|| exec_err("label_replace needs 5 arguments"));
        let (dst, dst_ok) = string_arg(arg(1)?)?;
        let (repl, _) = string_arg(arg(2)?)?;
        let (src, _) = string_arg(arg(3)?)?;
        let (re_str, _) = string_arg(arg(4)?)?;
        let re = model::goregex::compile_anchored(&re_str).map_err(|e| {
            // Prometheus names only the pattern; a build without the Unicode tables must still
            // say that is why, so its caller can hand the query on (crates/session).
            let why = if e.contains(model::goregex::NEEDS_UNICODE_TABLES) { format!(": {e}") } else { String::new() };
            exec_err(format!("invalid regular expression in label_replace(): {re_str}{why}"))
        })?;
        if !valid_label_name(&dst, dst_ok) {
            return Err(exec_err(format!("invalid destination label name in label_replace(): {dst}")));
        }
        let input = self.eval_vector(arg(0)?)?;
        let series = input
            .into_iter()
            .map(|mut s| {
                let sv = s.labels.get_or_empty(&src).to_string();
                if let Some(caps) = re.captures(&sv) {
                    let res = caps.expand(&repl);
                    s.labels = with_label(&s.labels, &dst, &res);
                    if dst == METRIC_NAME {
                        s.drop_name = false;
                    }
                }
                step_to_range(s)
            })
            .collect();
        Ok(Evaluated::Vector(merge_same_labelsets(series)?.into_iter().map(range_to_step).collect()))
    }

    pub(super) fn label_join(&self, c: &Call) -> Result<Evaluated, QueryError> {
        let arg = |i: usize| c.args.get(i).ok_or_else(|| exec_err("label_join needs at least 3 arguments"));
        let (dst, dst_ok) = string_arg(arg(1)?)?;
        let (sep, _) = string_arg(arg(2)?)?;
        let mut srcs = Vec::new();
        for a in c.args.iter().skip(3) {
            let (s, ok) = string_arg(a)?;
            if !valid_label_name(&s, ok) {
                return Err(exec_err(format!("invalid source label name in label_join(): {s}")));
            }
            srcs.push(s);
        }
        if !valid_label_name(&dst, dst_ok) {
            return Err(exec_err(format!("invalid destination label name in label_join(): {dst}")));
        }
        let input = self.eval_vector(arg(0)?)?;
        let series = input
            .into_iter()
            .map(|mut s| {
                let joined: Vec<&str> = srcs.iter().map(|n| s.labels.get_or_empty(n)).collect();
                let v = joined.join(&sep);
                s.labels = with_label(&s.labels, &dst, &v);
                if dst == METRIC_NAME {
                    s.drop_name = false;
                }
                step_to_range(s)
            })
            .collect();
        Ok(Evaluated::Vector(merge_same_labelsets(series)?.into_iter().map(range_to_step).collect()))
    }
}

/// Labels `absent()` reports: the equality matchers of a plain selector, except repeated names.
pub(super) fn absent_labels(e: &Expr) -> Labels {
    let matchers = match unparen(e) {
        Expr::VectorSelector(v) => &v.matchers,
        Expr::MatrixSelector(m) => &m.vector.matchers,
        _ => return Labels::empty(),
    };
    let mut b = Labels::empty().builder();
    let mut has: Vec<&str> = Vec::new();
    for m in matchers {
        if m.name == METRIC_NAME {
            continue;
        }
        if m.op == MatchOp::Equal && !has.contains(&m.name.as_str()) {
            b.set(&m.name, &m.value);
            has.push(&m.name);
        } else {
            b.del(&m.name);
        }
    }
    b.build()
}

/// Splits into runs of digits and non-digits, as the natsort package does.
fn chunks(s: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut prev: Option<bool> = None;
    for (i, ch) in s.char_indices() {
        let d = ch.is_ascii_digit();
        if prev.is_some_and(|p| p != d) {
            out.push(&s[start..i]);
            start = i;
        }
        prev = Some(d);
    }
    if start < s.len() {
        out.push(&s[start..]);
    }
    out
}

/// `natsort.Compare(a, b)`: true when `a` sorts before `b` in natural order.
fn nat_less(a: &str, b: &str) -> bool {
    let (ca, cb) = (chunks(a), chunks(b));
    for (i, x) in ca.iter().enumerate() {
        let Some(y) = cb.get(i) else { return false };
        let (xi, yi) = (x.parse::<i64>(), y.parse::<i64>());
        if let (Ok(xi), Ok(yi)) = (xi, yi) {
            if xi == yi {
                if i == ca.len() - 1 {
                    return true;
                } else if i == cb.len() - 1 {
                    return false;
                }
                continue;
            }
            return xi < yi;
        }
        if x == y {
            if i == ca.len() - 1 {
                return true;
            } else if i == cb.len() - 1 {
                return false;
            }
            continue;
        }
        return x < y;
    }
    false
}

pub(super) fn sort_samples(name: &str, mut v: Vec<Sample>, by: &[String]) -> Vec<Sample> {
    match name {
        "sort" => go_sort(&mut v, |a, b| b.v.is_nan() || a.v < b.v),
        "sort_desc" => go_sort(&mut v, |a, b| b.v.is_nan() || a.v > b.v),
        _ => {
            let desc = name == "sort_by_label_desc";
            let cmp = |a: &Sample, b: &Sample| -> Ordering {
                for l in by {
                    let (x, y) = (a.labels.get_or_empty(l), b.labels.get_or_empty(l));
                    if x == y {
                        continue;
                    }
                    let o = if nat_less(x, y) { Ordering::Less } else { Ordering::Greater };
                    return if desc { o.reverse() } else { o };
                }
                let o = a.labels.cmp(&b.labels);
                if desc {
                    o.reverse()
                } else {
                    o
                }
            };
            crate::gosort::merge_sort(&mut v, &|a, b| cmp(a, b) == Ordering::Less);
        }
    }
    v
}

#[cfg(test)]
mod tests {
    use super::nat_less;

    #[test]
    fn natural_order() {
        assert!(nat_less("a2", "a10"));
        assert!(!nat_less("a10", "a2"));
        assert!(nat_less("abc", "abd"));
    }
}
