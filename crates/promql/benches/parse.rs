//! Parses the whole test-suite corpus with this crate and with the `promql-parser` crate in
//! the same run and prints both timings and their ratio. `cargo bench -p promql`.

use std::hint::black_box;
use std::time::{Duration, Instant};

fn corpus() -> Vec<String> {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../tests/promql/corpus.promql"
    );
    std::fs::read_to_string(path)
        .map(|t| {
            t.lines()
                .filter(|l| !l.trim().is_empty())
                .map(str::to_string)
                .collect()
        })
        .unwrap_or_default()
}

/// Median wall time of `rounds` passes over the corpus.
fn measure(rounds: usize, lines: &[String], f: &dyn Fn(&str) -> bool) -> (Duration, usize) {
    let mut times = Vec::with_capacity(rounds);
    let mut ok = 0;
    for _ in 0..rounds {
        let start = Instant::now();
        ok = lines.iter().filter(|l| f(black_box(l.as_str()))).count();
        times.push(start.elapsed());
    }
    times.sort();
    (times[times.len() / 2], ok)
}

fn main() {
    let all = corpus();
    if all.is_empty() {
        println!("corpus not found; nothing to measure");
        return;
    }
    report("whole corpus", &all);
    // Regex compilation (in model::Matcher, shared by both designs) dominates the lines that
    // have =~/!~ matchers; without them the numbers compare the parsers themselves.
    let plain: Vec<String> = all
        .iter()
        .filter(|l| !l.contains("=~") && !l.contains("!~"))
        .cloned()
        .collect();
    report("corpus without regex matchers", &plain);
    by_class(&all);
}

/// The goal is 10x on every kind of expression, so each top-level node kind (and the lines
/// with regex matchers) is measured on its own.
fn by_class(all: &[String]) {
    let mut classes: Vec<(&str, Vec<String>)> = Vec::new();
    for line in all {
        let Ok(expr) = promql::parse(line) else { continue };
        let mut names = vec![class_of(&expr)];
        if line.contains("=~") || line.contains("!~") {
            names.push("regex matchers");
        }
        for name in names {
            match classes.iter_mut().find(|(n, _)| *n == name) {
                Some((_, v)) => v.push(line.clone()),
                None => classes.push((name, vec![line.clone()])),
            }
        }
    }
    classes.sort_by(|a, b| a.0.cmp(b.0));
    println!("by expression class (top-level node), median of 30 passes:");
    println!("{:<18} {:>6} {:>12} {:>14} {:>8}", "class", "exprs", "ours ms", "promql-parser", "ratio");
    let ours = |q: &str| promql::parse(q).is_ok();
    let theirs = |q: &str| promql_parser::parser::parse(q).is_ok();
    for (name, lines) in &classes {
        measure(3, lines, &ours);
        measure(3, lines, &theirs);
        let (a, _) = measure(30, lines, &ours);
        let (b, _) = measure(30, lines, &theirs);
        let ratio = b.as_secs_f64() / a.as_secs_f64();
        let verdict = if ratio >= 10.0 { "ok" } else { "BELOW 10x" };
        println!(
            "{name:<18} {:>6} {:>12.3} {:>14.3} {:>7.1}x {verdict}",
            lines.len(),
            a.as_secs_f64() * 1e3,
            b.as_secs_f64() * 1e3,
            ratio
        );
    }
}

fn class_of(e: &promql::Expr) -> &'static str {
    use promql::Expr;
    match e {
        Expr::NumberLiteral(_) | Expr::StringLiteral(_) => "literal",
        Expr::VectorSelector(_) => "vector selector",
        Expr::MatrixSelector(_) => "range selector",
        Expr::Subquery(_) => "subquery",
        Expr::Paren(p) => class_of(&p.expr),
        Expr::Unary(_) => "unary",
        Expr::Binary(_) => "binary operator",
        Expr::Aggregate(_) => "aggregation",
        Expr::Call(_) => "function call",
    }
}

fn report(title: &str, lines: &[String]) {
    let lines = lines.to_vec();
    let bytes: usize = lines.iter().map(String::len).sum();
    let ours = |q: &str| promql::parse(q).is_ok();
    let theirs = |q: &str| promql_parser::parser::parse(q).is_ok();
    // Warm up caches and lazy statics of both parsers.
    measure(3, &lines, &ours);
    measure(3, &lines, &theirs);
    let rounds = 30;
    let (t_ours, ok_ours) = measure(rounds, &lines, &ours);
    let (t_theirs, ok_theirs) = measure(rounds, &lines, &theirs);
    let per = |t: Duration| t.as_secs_f64() * 1e6 / lines.len() as f64;
    let mbps = |t: Duration| bytes as f64 / t.as_secs_f64() / 1e6;
    println!(
        "{title}: {} queries, {} bytes, median of {rounds} passes",
        lines.len(),
        bytes
    );
    println!(
        "promql (ours):   {:>9.3} ms  {:>7.2} us/query  {:>7.1} MB/s  parsed {}",
        t_ours.as_secs_f64() * 1e3,
        per(t_ours),
        mbps(t_ours),
        ok_ours
    );
    println!(
        "promql-parser:   {:>9.3} ms  {:>7.2} us/query  {:>7.1} MB/s  parsed {}",
        t_theirs.as_secs_f64() * 1e3,
        per(t_theirs),
        mbps(t_theirs),
        ok_theirs
    );
    println!(
        "ratio (promql-parser / ours): {:.1}x\n",
        t_theirs.as_secs_f64() / t_ours.as_secs_f64()
    );
}
