//! Whole lessons through [`crate::parse`]: what comes out, and where each error points.

use protocol::{LessonBlock, RangeInput};

use crate::{parse, sorts_result, Parsed};

fn ok(text: &str) -> Parsed {
    parse(text).unwrap_or_else(|e| panic!("{e}"))
}

fn err(text: &str) -> String {
    parse(text).err().map(|e| e.to_string()).unwrap_or_else(|| "parsed".to_string())
}

const LESSON: &str = r#"---
id: selectors
title: Selectors and matchers
dataset: acme-beverages
time: 1700000605
---

# Selectors

Prose with `code` and <b>tags</b>.

```promql
beverages_consumed_total{location="Factory"}
```

```exercise
id: factory
title: One location
task: |
  Select the beverage counter of the **Factory** only.
start: beverages_consumed_total
solution: beverages_consumed_total{location="Factory"}
hints:
  - A label matcher goes in braces after the metric name.
  - "`name{label=\"value\"}`"
```

```yaml
not: special
```

```exercise
id: top
title: Sorted
task: Sort them.
solution: (sort_desc(beverages_consumed_total))
time: 1700000300
range: {range: 10m, step: 30s}
tolerance: 0.01
```
"#;

#[test]
fn a_whole_lesson() {
    let p = ok(LESSON);
    let l = &p.lesson;
    assert_eq!(
        (l.id.as_str(), l.title.as_str(), l.dataset.as_deref(), l.time.as_str()),
        ("selectors", "Selectors and matchers", Some("acme-beverages"), "1700000605")
    );
    assert_eq!(l.data, None);
    assert_eq!(l.exercises.len(), 2);
    assert_eq!(p.exercise_lines, vec![16, 32]);
    let kinds: Vec<&str> = l
        .blocks
        .iter()
        .map(|b| match b {
            LessonBlock::Html(_) => "html",
            LessonBlock::Example(_) => "example",
            LessonBlock::Exercise(_) => "exercise",
        })
        .collect();
    assert_eq!(kinds, ["html", "example", "exercise", "html", "exercise"]);
    assert_eq!(l.blocks.get(1), Some(&LessonBlock::Example(r#"beverages_consumed_total{location="Factory"}"#.into())));
    let LessonBlock::Html(first) = &l.blocks[0] else { panic!() };
    assert_eq!(first, "<h1>Selectors</h1>\n<p>Prose with <code>code</code> and &lt;b&gt;tags&lt;/b&gt;.</p>\n");
    let LessonBlock::Html(yaml) = &l.blocks[3] else { panic!() };
    assert!(yaml.starts_with("<pre><code class=\"language-yaml\">not: special"), "{yaml}");

    let e = &l.exercises[0];
    assert_eq!((e.id.as_str(), e.title.as_str(), e.relabel), ("factory", "One location", false));
    assert_eq!(e.task_html, "<p>Select the beverage counter of the <strong>Factory</strong> only.</p>\n");
    assert_eq!(e.start, "beverages_consumed_total");
    assert_eq!(e.solution, r#"beverages_consumed_total{location="Factory"}"#);
    assert_eq!(
        e.hints,
        vec![
            "<p>A label matcher goes in braces after the metric name.</p>\n",
            "<p><code>name{label=&quot;value&quot;}</code></p>\n"
        ]
    );
    // Unset times are the lesson's; order only matters when the solution sorts.
    assert_eq!((e.time.as_str(), e.range.clone(), e.ordered, e.tolerance), ("1700000605", None, Some(false), None));
    let e = &l.exercises[1];
    assert_eq!(e.time, "1700000300");
    assert_eq!(e.range, Some(RangeInput { end: "1700000605".into(), range: "10m".into(), step: "30s".into() }));
    assert_eq!((e.ordered, e.tolerance), (Some(true), Some(0.01)));
}

#[test]
fn own_data_and_relabel_exercises() {
    let text = "---\nid: r\ntitle: R\n---\n```data\nup{job=\"a\",le=\"1\"} 1\nup{job=\"b\"} 0\n```\n\n```exercise\nid: drop\ntitle: Drop\ntask: Drop le.\nkind: relabel\nsolution:\n  # drop the bucket label\n  - action: labeldrop\n    regex: le\nstart: [{action: keep}]\nordered: true\n```\n";
    let p = ok(text);
    assert_eq!(p.lesson.data.as_deref(), Some("up{job=\"a\",le=\"1\"} 1\nup{job=\"b\"} 0\n"));
    assert_eq!(p.data_line, Some(6));
    let e = &p.lesson.exercises[0];
    assert!(e.relabel);
    assert_eq!(e.solution, "# drop the bucket label\n- action: labeldrop\n  regex: le\n");
    assert_eq!(e.start, "[{action: keep}]\n");
    assert_eq!(e.ordered, Some(true));
    // A block-scalar solution is the same rules as text.
    let text2 = text.replace(
        "solution:\n  # drop the bucket label\n  - action: labeldrop\n    regex: le\n",
        "solution: |\n  - action: labeldrop\n    regex: le\n",
    );
    assert_eq!(ok(&text2).lesson.exercises[0].solution, "- action: labeldrop\n  regex: le\n");
}

#[test]
fn errors_point_into_the_file() {
    let base = "---\nid: l\ntitle: L\n---\nprose\n\n```exercise\n";
    let with = |body: &str| format!("{base}{body}```\n");
    // A YAML error inside the block is reported at its file line (the block starts at line 8).
    assert!(
        err(&with("id: a\ntitle: [unclosed\ntask: t\nsolution: up\n")).starts_with("10:"),
        "{}",
        err(&with("id: a\ntitle: [unclosed\ntask: t\nsolution: up\n"))
    );
    assert_eq!(
        err(&with("id: a\ntitle: A\ntask: t\nsolution: sum(up\n")),
        "11:17: solution: parse error: unclosed left parenthesis"
    );
    assert_eq!(
        err(&with("id: a\ntitle: A\ntask: t\nsolution: 'rate(up)'\n")),
        "11:17: solution: parse error: expected type range vector in call to function \"rate\", got instant vector"
    );
    let block = err(&with("id: a\ntitle: A\ntask: t\nsolution: |\n  sum by (job)\n    (up{)\n"));
    assert!(block.starts_with("13:9: solution: parse error:"), "{block}");
    assert_eq!(err(&with("id: a\ntitle: A\ntask: t\n")), "8:1: an exercise needs `solution:`");
    assert_eq!(err(&with("id: a\ntitle: A\ntask: t\nsolution: up\nhint: x\n")), "12:1: exercise: unknown key \"hint\" (known: id, title, task, solution, start, hints, time, range, ordered, tolerance, kind)");
    assert_eq!(
        err(&with("id: a\ntitle: A\ntask: t\nsolution: up\nordered: maybe\n")),
        "12:10: `ordered` must be true or false"
    );
    assert_eq!(
        err(&with("id: a\ntitle: A\ntask: t\nsolution: up\nrange: {step: 0s}\n")),
        "12:15: step: must be positive"
    );
    assert_eq!(
        err(&with("id: a\ntitle: A\ntask: t\nsolution: up\nkind: sql\n")),
        "12:7: kind \"sql\": expected `query` or `relabel`"
    );
    // Relabel rules are checked where they are written.
    let rel = err(&with("id: a\ntitle: A\ntask: t\nkind: relabel\nsolution:\n  - action: keep\n    regex: \"(\"\n"));
    assert!(rel.starts_with("14:12: solution: "), "{rel}");
    let rel = err(&with("id: a\ntitle: A\ntask: t\nkind: relabel\nsolution: |\n  - action: bogus\n"));
    assert!(rel.starts_with("13:13: solution: "), "{rel}");
    // Duplicate ids, a second data block, data beside a dataset.
    let two = format!("{base}id: a\ntitle: A\ntask: t\nsolution: up\n```\n\n```exercise\nid: a\ntitle: B\ntask: t\nsolution: up\n```\n");
    assert_eq!(err(&two), "15:5: exercise id \"a\" is already used at line 8");
    assert_eq!(
        err("---\nid: l\ntitle: L\n---\n```data\nup 1\n```\n```data\nup 2\n```\n"),
        "8:1: a lesson has one ```data block; the first starts at line 5"
    );
    assert!(err("---\nid: l\ntitle: L\ndataset: x\n---\n```data\nup 1\n```\n")
        .starts_with("6:1: this lesson names a `dataset:`"));
    // An indented block shifts columns.
    let indented =
        "---\nid: l\ntitle: L\n---\n  ```exercise\n  id: a\n  title: A\n  task: t\n  solution: sum(\n  ```\n";
    assert!(err(indented).starts_with("9:17: solution: parse error"), "{}", err(indented));
}

#[test]
fn ordered_follows_the_outermost_function() {
    assert!(sorts_result("sort(up)"));
    assert!(sorts_result("((sort_desc(sum by (job) (up))))"));
    assert!(sorts_result("sort_by_label(up, \"job\")"));
    assert!(sorts_result("sort_by_label_desc(up, \"job\")"));
    assert!(!sorts_result("sum(sort(up))"));
    assert!(!sorts_result("sort(up) * 2"));
    assert!(!sorts_result("topk(3, up)"));
    assert!(!sorts_result("sort("));
}
