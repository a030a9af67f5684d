//! Postfix selector modifiers: `offset`, `@`, `anchored` and `smoothed`, with Prometheus's
//! rules on what they may follow and how often.

use super::Parser;
use crate::ast::*;
use crate::error::{PResult, RawError};
use crate::lexer::{Mode, Tok, Token};
use crate::number;
use crate::span::Span;

/// Go's `%f`: six decimals, `+Inf`/`-Inf`/`NaN` spelled Go's way.
fn go_f(v: f64) -> String {
    if v.is_nan() {
        "NaN".to_string()
    } else if v.is_infinite() {
        if v > 0.0 { "+Inf" } else { "-Inf" }.to_string()
    } else {
        format!("{v:.6}")
    }
}
impl<'a> Parser<'a> {
    pub(crate) fn offset(&mut self, mut e: Expr, kw_tok: &Token<'a>) -> PResult<Expr> {
        let d = self.offset_duration(kw_tok)?;
        let end = d.span().end;
        let already = |o: &Option<DurationExpr>| o.is_some();
        match &mut e {
            Expr::VectorSelector(vs) => {
                if already(&vs.offset) {
                    return Err(RawError::new(vs.span, "offset may not be set multiple times"));
                }
                vs.offset = Some(d);
                vs.span.end = end;
            }
            Expr::MatrixSelector(ms) => {
                if already(&ms.vector.offset) {
                    return Err(RawError::new(ms.span, "offset may not be set multiple times"));
                }
                ms.vector.offset = Some(d);
                ms.span.end = end;
            }
            Expr::Subquery(sq) => {
                if already(&sq.offset) {
                    return Err(RawError::new(sq.span, "offset may not be set multiple times"));
                }
                sq.offset = Some(d);
                sq.span.end = end;
            }
            other => {
                return Err(RawError::new(
                    other.span(),
                    "offset modifier must be preceded by an instant vector selector or range vector selector or a subquery",
                ))
            }
        }
        Ok(e)
    }

    pub(crate) fn at(&mut self, mut e: Expr, at_tok: &Token<'a>) -> PResult<Expr> {
        let t = self.peek(Mode::Normal)?;
        let (at, end) = match t.tok {
            Tok::Ident(s) if s.eq_ignore_ascii_case("start") || s.eq_ignore_ascii_case("end") => {
                self.bump(&t);
                let open = self.peek(Mode::Normal)?;
                if open.tok != Tok::LParen {
                    return Err(self.unexpected(&open, "@", "\"(\""));
                }
                self.bump(&open);
                let close = self.peek(Mode::Normal)?;
                if close.tok != Tok::RParen {
                    return Err(self.unexpected(&close, "@", "\")\""));
                }
                self.bump(&close);
                (
                    if s.eq_ignore_ascii_case("start") {
                        AtModifier::Start
                    } else {
                        AtModifier::End
                    },
                    close.end,
                )
            }
            _ => {
                let (secs, end) = self
                    .signed_number(&t)
                    .ok_or_else(|| self.unexpected(&t, "@", "timestamp"))??;
                let _ = at_tok;
                if !secs.is_finite() || secs >= i64::MAX as f64 || secs <= i64::MIN as f64 {
                    return Err(RawError::new(
                        e.span(),
                        format!("timestamp out of bounds for @ modifier: {}", go_f(secs)),
                    ));
                }
                (AtModifier::Timestamp((secs * 1000.0).round() as i64), end)
            }
        };
        let set = |slot: &mut Option<AtModifier>, span: Span| {
            if slot.is_some() {
                return Err(RawError::new(
                    span,
                    "@ <timestamp> may not be set multiple times",
                ));
            }
            *slot = Some(at);
            Ok(())
        };
        match &mut e {
            Expr::VectorSelector(vs) => {
                set(&mut vs.at, vs.span)?;
                vs.span.end = end;
            }
            Expr::MatrixSelector(ms) => {
                set(&mut ms.vector.at, ms.span)?;
                ms.span.end = end;
            }
            Expr::Subquery(sq) => {
                set(&mut sq.at, sq.span)?;
                sq.span.end = end;
            }
            other => {
                return Err(RawError::new(
                    other.span(),
                    "@ modifier must be preceded by an instant vector selector or range vector selector or a subquery",
                ))
            }
        }
        Ok(e)
    }

    /// An optionally signed number or duration at `t` (seconds), consuming it.
    fn signed_number(&mut self, t: &Token<'a>) -> Option<PResult<(f64, usize)>> {
        let (sign, num_tok) = match t.tok {
            Tok::Sub | Tok::Add => {
                let n = crate::lexer::next(self.src, t.end, Mode::Normal).ok()?;
                (if t.tok == Tok::Sub { -1.0 } else { 1.0 }, n)
            }
            _ => (1.0, *t),
        };
        let v = match num_tok.tok {
            Tok::Number(s) => number::parse_number(s)
                .map_err(|m| self.err_at(&num_tok, format!("error parsing number: {m}"))),
            Tok::Duration(s) => number::duration_secs(s).map_err(|m| self.err_at(&num_tok, m)),
            Tok::Ident(s) if s.eq_ignore_ascii_case("inf") || s.eq_ignore_ascii_case("nan") => {
                number::parse_number(s).map_err(|m| self.err_at(&num_tok, m))
            }
            _ => return None,
        };
        self.pos = num_tok.end;
        Some(v.map(|v| (sign * v, num_tok.end)))
    }

    pub(crate) fn range_modifier(
        &mut self,
        mut e: Expr,
        t: &Token<'a>,
        anchored: bool,
    ) -> PResult<Expr> {
        let name = if anchored { "anchored" } else { "smoothed" };
        let span = e.span();
        let vs = match &mut e {
            Expr::VectorSelector(vs) => vs,
            Expr::MatrixSelector(ms) => &mut ms.vector,
            Expr::Subquery(_) => {
                return Err(RawError::new(
                    span,
                    format!("{name} modifier is not supported for subqueries"),
                ))
            }
            _ => {
                return Err(RawError::new(
                    span,
                    format!("{name} modifier not implemented"),
                ))
            }
        };
        if anchored {
            vs.anchored = true;
        } else {
            vs.smoothed = true;
        }
        if vs.anchored && vs.smoothed {
            return Err(RawError::new(
                span,
                "anchored and smoothed modifiers cannot be used together",
            ));
        }
        match &mut e {
            Expr::VectorSelector(vs) => vs.span.end = t.end,
            Expr::MatrixSelector(ms) => ms.span.end = t.end,
            _ => {}
        }
        Ok(e)
    }
}
