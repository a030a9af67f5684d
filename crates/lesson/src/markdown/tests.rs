//! What the renderer makes of each construct, and that nothing a lesson holds becomes live HTML.

use super::to_html;

#[test]
fn blocks() {
    assert_eq!(to_html("# Title\n\nSome *text*.\nMore."), "<h1>Title</h1>\n<p>Some <em>text</em>.\nMore.</p>\n");
    assert_eq!(to_html("### Three ###"), "<h3>Three</h3>\n");
    assert_eq!(to_html("#no space"), "<p>#no space</p>\n");
    assert_eq!(to_html("- a\n- b\n  continued\n- c"), "<ul>\n<li>a</li>\n<li>b\ncontinued</li>\n<li>c</li>\n</ul>\n");
    assert_eq!(to_html("1. one\n2. two"), "<ol>\n<li>one</li>\n<li>two</li>\n</ol>\n");
    assert_eq!(to_html("3) three"), "<ol start=\"3\">\n<li>three</li>\n</ol>\n");
    assert_eq!(to_html("- a\n\n- b"), "<ul>\n<li><p>a</p></li>\n<li><p>b</p></li>\n</ul>\n");
    assert_eq!(to_html("- a\n  - nested\n- b"), "<ul>\n<li>a\n<ul>\n<li>nested</li>\n</ul></li>\n<li>b</li>\n</ul>\n");
    assert_eq!(to_html("> quoted\n> **text**"), "<blockquote>\n<p>quoted\n<strong>text</strong></p>\n</blockquote>\n");
    assert_eq!(
        to_html("```yaml\na: <b>\n```\nafter"),
        "<pre><code class=\"language-yaml\">a: &lt;b&gt;\n</code></pre>\n<p>after</p>\n"
    );
    assert_eq!(to_html("text\n---\nmore"), "<p>text</p>\n<hr>\n<p>more</p>\n");
    // A number ending a wrapped line does not start a list in the middle of a paragraph.
    assert_eq!(to_html("since\n2023. it"), "<p>since\n2023. it</p>\n");
    assert_eq!(to_html("a list\n- right after"), "<p>a list</p>\n<ul>\n<li>right after</li>\n</ul>\n");
}

#[test]
fn inline() {
    assert_eq!(to_html("`a*b*c` and ``x ` y``"), "<p><code>a*b*c</code> and <code>x ` y</code></p>\n");
    assert_eq!(
        to_html("**bold** __also__ *it* _it_"),
        "<p><strong>bold</strong> <strong>also</strong> <em>it</em> <em>it</em></p>\n"
    );
    assert_eq!(to_html("**a *b* c**"), "<p><strong>a <em>b</em> c</strong></p>\n");
    // Metric names keep their underscores; a lone star is a star.
    assert_eq!(to_html("http_requests_total and rate_x_y"), "<p>http_requests_total and rate_x_y</p>\n");
    assert_eq!(to_html("2 * 3 * 4"), "<p>2 * 3 * 4</p>\n");
    assert_eq!(to_html("\\*not\\* \\`code\\`"), "<p>*not* `code`</p>\n");
    assert_eq!(to_html("unclosed `tick and *star"), "<p>unclosed `tick and *star</p>\n");
    assert_eq!(
        to_html("[docs](https://prometheus.io/docs/ \"t\") and [top](#top)"),
        "<p><a href=\"https://prometheus.io/docs/\" target=\"_blank\" rel=\"noopener noreferrer\">docs</a> and <a href=\"#top\">top</a></p>\n"
    );
    assert_eq!(
        to_html("[a *b*](http://x/(y))"),
        "<p><a href=\"http://x/(y)\" target=\"_blank\" rel=\"noopener noreferrer\">a <em>b</em></a></p>\n"
    );
    assert_eq!(to_html("[not a link] (x) and ]"), "<p>[not a link] (x) and ]</p>\n");
}

#[test]
fn nothing_becomes_live_html() {
    let html = to_html("<script>alert(1)</script>\n\n# <img src=x onerror=alert(1)>\n\n- <b>x</b>");
    assert!(!html.contains("<script") && !html.contains("<img") && !html.contains("<b>"), "{html}");
    assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"), "{html}");
    for evil in [
        "[click](javascript:alert(1))",
        "[click](JavaScript:alert(1))",
        "[click](  javascript:alert(1))",
        "[click](<javascript:alert(1)>)",
        "[click](data:text/html,<script>x</script>)",
        "[click](vbscript:x)",
        "[click](//evil.example/)",
    ] {
        let html = to_html(evil);
        assert!(!html.contains("href"), "{evil} -> {html}");
        assert!(html.contains("click"), "{evil} -> {html}");
        assert!(!html.contains("<script"), "{evil} -> {html}");
    }
    // Quotes in an allowed href cannot leave the attribute.
    let html = to_html("[x](https://a.example/?q=\"><script>)");
    assert!(!html.contains("\"><script>") && !html.contains("<script"), "{html}");
    let html = to_html("[x](http://x\"onmouseover=\"alert(1))");
    assert!(html.contains("href=\"http://x&quot;onmouseover=&quot;alert(1)\""), "{html}");
    // A code block's language cannot inject an attribute.
    let html = to_html("```x\" onclick=\"y\nz\n```");
    assert_eq!(html, "<pre><code>z\n</code></pre>\n");
}

#[test]
fn hostile_inputs_stay_bounded() {
    // Deep nesting and long runs of openers: no stack overflow, no quadratic blow-up.
    let deep = ">".repeat(10_000) + " x";
    assert!(to_html(&deep).contains('x'));
    let list = (0..300).map(|i| format!("{}- x", "  ".repeat(i))).collect::<Vec<_>>().join("\n");
    assert!(to_html(&list).contains("<li>"));
    let stars = "*a ".repeat(50_000);
    assert!(to_html(&stars).len() > 100_000);
    let brackets = "[".repeat(50_000) + &"](https://x)".repeat(10);
    assert!(to_html(&brackets).contains("href"));
    let ticks = "`` ` ".repeat(20_000);
    assert!(!to_html(&ticks).is_empty());
}
