//! `[...]` after an expression: a range selector `[5m]` or a subquery `[5m:1m]`/`[5m:]`.

use super::Parser;
use crate::ast::*;
use crate::error::{PResult, RawError};
use crate::lexer::{Mode, Tok, Token};
use crate::span::Span;

impl<'a> Parser<'a> {
    /// After `[`: a range selector `[d]` or a subquery `[d:]`/`[d:s]`.
    pub(crate) fn range_or_subquery(&mut self, e: Expr, open: &Token<'a>) -> PResult<Expr> {
        let first = self.peek(Mode::Bracket)?;
        match first.tok {
            Tok::Eof => {
                return Err(self.err_at(&first, "unexpected end of input in duration expression"))
            }
            Tok::RBracket
            | Tok::Comma
            | Tok::Str
            | Tok::RParen
            | Tok::Mul
            | Tok::Div
            | Tok::Mod
            | Tok::Pow => {
                return Err(self.unexpected(
                    &first,
                    "subquery or range selector",
                    "number, duration, step(), or range()",
                ))
            }
            Tok::Colon => {
                return Err(self.err_at(
                    &first,
                    "unexpected colon before duration in duration expression",
                ))
            }
            _ => {}
        }
        self.dur_ctx = (
            "subquery or range selector",
            "number, duration, step(), or range()",
        );
        let range = self.duration_expr(0, Mode::Bracket)?;
        positive(&range)?;
        let t = self.bracket_peek()?;
        match t.tok {
            Tok::RBracket => {
                self.bump(&t);
                let span = Span::new(open.start, t.end);
                match e {
                    Expr::VectorSelector(vs) => {
                        if vs.offset.is_some() {
                            return Err(RawError::new(
                                span,
                                "no offset modifiers allowed before range",
                            ));
                        }
                        if vs.at.is_some() {
                            return Err(RawError::new(span, "no @ modifiers allowed before range"));
                        }
                        let span = Span::new(vs.span.start, t.end);
                        Ok(Expr::MatrixSelector(MatrixSelector {
                            vector: vs,
                            range,
                            span,
                        }))
                    }
                    _ => Err(RawError::new(
                        span,
                        "ranges only allowed for vector selectors",
                    )),
                }
            }
            Tok::Colon => {
                self.bump(&t);
                let s = self.bracket_peek()?;
                let step = match s.tok {
                    Tok::RBracket => None,
                    Tok::Colon => {
                        return Err(
                            self.err_at(&s, "unexpected repeated colon in duration expression")
                        )
                    }
                    Tok::Number(_)
                    | Tok::Duration(_)
                    | Tok::LParen
                    | Tok::Add
                    | Tok::Sub
                    | Tok::Ident(_) => {
                        self.dur_ctx = (
                            "subquery selector",
                            "number, duration, step(), range(), or \"]\"",
                        );
                        let step = self.duration_expr(0, Mode::Bracket)?;
                        positive(&step)?;
                        Some(step)
                    }
                    _ => {
                        return Err(self.unexpected(
                            &s,
                            "subquery selector",
                            "number, duration, step(), range(), or \"]\"",
                        ))
                    }
                };
                let close = self.bracket_peek()?;
                if close.tok == Tok::Colon {
                    // Prometheus's lexer refuses a second colon inside one pair of brackets.
                    return Err(self.err_at(&close, "unexpected colon ':'"));
                }
                if close.tok != Tok::RBracket {
                    return Err(self.unexpected(&close, "subquery selector", "\"]\""));
                }
                self.bump(&close);
                let span = Span::new(e.span().start, close.end);
                Ok(Expr::Subquery(Subquery {
                    expr: Box::new(e),
                    range,
                    step,
                    offset: None,
                    at: None,
                    span,
                }))
            }
            _ => Err(self.unexpected(&t, "subquery or range", "\":\" or \"]\"")),
        }
    }

    /// Peek inside brackets after a duration, turning the end of input and stray words into
    /// Prometheus's lexer errors.
    pub(crate) fn bracket_peek(&self) -> PResult<Token<'a>> {
        let t = self.peek(Mode::Bracket)?;
        match t.tok {
            Tok::Eof => Err(self.err_at(&t, "unclosed left bracket")),
            Tok::Ident(s) if !super::duration::is_duration_function(s) => {
                let c = s.chars().next().unwrap_or(' ');
                Err(self.err_at(&t, format!("unexpected character: {c:?}, expected ':'")))
            }
            _ => Ok(t),
        }
    }
}

/// Ranges and steps written as a plain literal must be positive (`positive_duration_expr`).
fn positive(d: &DurationExpr) -> PResult<()> {
    match d {
        DurationExpr::Literal { secs, span, .. } if *secs <= 0.0 => {
            Err(RawError::new(*span, "duration must be greater than 0"))
        }
        _ => Ok(()),
    }
}
