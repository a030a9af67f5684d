//! Byte ranges into the query text and their conversion to the `line:col` users read.

/// A half-open byte range `[start, end)` into the parsed input.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct Span {
    pub start: usize,
    pub end: usize,
}

impl Span {
    pub fn new(start: usize, end: usize) -> Self {
        Span { start, end }
    }

    /// The smallest span covering both.
    pub fn join(self, other: Span) -> Span {
        Span {
            start: self.start.min(other.start),
            end: self.end.max(other.end),
        }
    }
}

/// 1-based line and column of a byte offset; the column counts chars, not bytes, so that an
/// editor can place a caret under multi-byte text. Offsets past the end clamp to the end.
pub fn line_col(input: &str, offset: usize) -> (usize, usize) {
    let mut offset = offset.min(input.len());
    while !input.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = &input[..offset];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let col = before[line_start..].chars().count() + 1;
    (line, col)
}

#[cfg(test)]
#[allow(clippy::panic)]
mod tests {
    use super::*;

    #[test]
    fn first_line() {
        assert_eq!(line_col("abc", 0), (1, 1));
        assert_eq!(line_col("abc", 2), (1, 3));
        assert_eq!(line_col("abc", 3), (1, 4));
    }

    #[test]
    fn later_lines_and_wide_chars() {
        assert_eq!(line_col("a\nbc", 3), (2, 2));
        assert_eq!(line_col("a\n\u{e9}x", 4), (2, 2));
        assert_eq!(line_col("a\n", 2), (2, 1));
    }

    #[test]
    fn out_of_range_and_mid_char_clamp() {
        assert_eq!(line_col("ab", 99), (1, 3));
        assert_eq!(line_col("\u{e9}", 1), (1, 1));
    }
}
