//! The Markdown subset lessons are written in, rendered to HTML that is safe to put in the page
//! as is: every piece of text is escaped, raw HTML shows as text, and links only get an `href`
//! when it is `http:`, `https:` or `#` (anything else, `javascript:` included, shows as its text).
//! The subset: `#` headings, paragraphs, `-`/`*`/`+` and `1.` lists (nested by indentation),
//! `>` quotes, fenced code, `---` rules; inline `code`, **bold**, *italic*, [links](https://…).
//! Ours rather than a crate's: small, no HTML pass-through to configure away, no dependency.

mod block;
mod inline;

/// Renders `md` as HTML.
pub fn to_html(md: &str) -> String {
    let lines: Vec<&str> = md.lines().collect();
    let mut out = String::new();
    block::render(&lines, 0, false, &mut out);
    out
}

/// Text as HTML content or attribute value.
pub(crate) fn escape(s: &str, out: &mut String) {
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
}

#[cfg(test)]
mod tests;
