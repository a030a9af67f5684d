//! Duration expressions: ranges, steps and offsets (`[5m * 2]`, `offset -step()`,
//! `[min_of(step(), 1h)]`). Arithmetic is in seconds, as in Prometheus.

use super::expr::binary_op;
use super::Parser;
use crate::ast::{BinaryOp, DurationExpr, UnaryOp};
use crate::error::PResult;
use crate::lexer::{Mode, Tok, Token};
use crate::number;
use crate::span::Span;

/// Names that start a call inside a duration expression.
pub(crate) fn is_duration_function(s: &str) -> bool {
    ["step", "range", "min_of", "max_of"]
        .iter()
        .any(|w| s.eq_ignore_ascii_case(w))
}

/// Literals beyond what a Go `time.Duration` holds.
fn check_range(secs: f64, span: Span) -> PResult<()> {
    if secs.abs() > 9_223_372_036.854_775 {
        return Err(crate::error::RawError::new(span, "duration out of range"));
    }
    Ok(())
}

fn allowed(op: BinaryOp) -> bool {
    matches!(
        op,
        BinaryOp::Add
            | BinaryOp::Sub
            | BinaryOp::Mul
            | BinaryOp::Div
            | BinaryOp::Mod
            | BinaryOp::Pow
    )
}

impl<'a> Parser<'a> {
    /// A full duration expression with binary operators, as inside brackets or parentheses.
    pub(crate) fn duration_expr(&mut self, min_prec: u8, mode: Mode) -> PResult<DurationExpr> {
        self.enter()?;
        let r = self.duration_expr_inner(min_prec, mode);
        self.leave();
        r
    }

    fn duration_expr_inner(&mut self, min_prec: u8, mode: Mode) -> PResult<DurationExpr> {
        let mut lhs = self.duration_unary(mode)?;
        loop {
            let t = self.peek(mode)?;
            let Some(op) = binary_op(&t.tok).filter(|op| allowed(*op)) else {
                break;
            };
            let prec = op.precedence();
            if prec < min_prec {
                break;
            }
            self.bump(&t);
            let next_min = if op.is_right_assoc() { prec } else { prec + 1 };
            let rhs = self.duration_expr(next_min, mode)?;
            if let DurationExpr::Literal { secs, .. } = rhs {
                if secs == 0.0 && op == BinaryOp::Div {
                    return Err(self.err_at(&t, "division by zero"));
                }
                if secs == 0.0 && op == BinaryOp::Mod {
                    return Err(self.err_at(&t, "modulo by zero"));
                }
            }
            let span = lhs.span().join(rhs.span());
            lhs = DurationExpr::Binary {
                op,
                lhs: Box::new(lhs),
                rhs: Box::new(rhs),
                span,
            };
        }
        Ok(lhs)
    }

    fn duration_unary(&mut self, mode: Mode) -> PResult<DurationExpr> {
        let t = self.peek(mode)?;
        let op = match t.tok {
            Tok::Sub => UnaryOp::Neg,
            Tok::Add => UnaryOp::Pos,
            _ => return self.duration_atom(mode),
        };
        self.bump(&t);
        let operand = self.duration_expr(6, mode)?;
        let folded = fold_sign(op, operand, t.start);
        if let DurationExpr::Literal { secs, .. } = folded {
            check_range(secs, Span::new(t.start, t.end))?;
        }
        Ok(folded)
    }

    fn duration_atom(&mut self, mode: Mode) -> PResult<DurationExpr> {
        let t = self.peek(mode)?;
        let span = Span::new(t.start, t.end);
        match t.tok {
            Tok::Number(s) => {
                self.bump(&t);
                let secs = number::parse_number(s)
                    .map_err(|m| self.err_at(&t, format!("error parsing number: {m}")))?;
                check_range(secs, span)?;
                Ok(DurationExpr::Literal {
                    secs,
                    duration: false,
                    span,
                })
            }
            Tok::Duration(s) => {
                self.bump(&t);
                let secs = number::duration_secs(s).map_err(|m| self.err_at(&t, m))?;
                check_range(secs, span)?;
                Ok(DurationExpr::Literal {
                    secs,
                    duration: true,
                    span,
                })
            }
            Tok::LParen => {
                self.bump(&t);
                let inner = self.duration_expr(0, mode)?;
                let close = self.peek(mode)?;
                if close.tok != Tok::RParen {
                    return Err(self.unexpected(&close, self.dur_ctx.0, self.dur_ctx.1));
                }
                self.bump(&close);
                Ok(DurationExpr::Paren {
                    expr: Box::new(inner),
                    span: Span::new(t.start, close.end),
                })
            }
            Tok::Ident(s) => self.duration_function(s, &t, mode),
            Tok::Eof if mode == Mode::Bracket => {
                Err(self.err_at(&t, "unexpected end of input in duration expression"))
            }
            _ => Err(self.unexpected(&t, self.dur_ctx.0, self.dur_ctx.1)),
        }
    }

    fn duration_function(
        &mut self,
        name: &str,
        t: &Token<'a>,
        mode: Mode,
    ) -> PResult<DurationExpr> {
        let lower = name.to_ascii_lowercase();
        if !is_duration_function(&lower) {
            let first = name.chars().next().unwrap_or(' ');
            return Err(self.err_at(
                t,
                format!("unexpected character in duration expression: {first:?}"),
            ));
        }
        self.bump(t);
        let open = self.peek(mode)?;
        if open.tok != Tok::LParen {
            return Err(self.unexpected(&open, self.dur_ctx.0, self.dur_ctx.1));
        }
        self.bump(&open);
        let close_or = |p: &mut Self| -> PResult<usize> {
            let close = p.peek(mode)?;
            if close.tok != Tok::RParen {
                return Err(p.unexpected(&close, p.dur_ctx.0, p.dur_ctx.1));
            }
            p.bump(&close);
            Ok(close.end)
        };
        match lower.as_str() {
            "step" | "range" => {
                let end = close_or(self)?;
                let span = Span::new(t.start, end);
                Ok(if lower == "step" {
                    DurationExpr::Step { span }
                } else {
                    DurationExpr::Range { span }
                })
            }
            _ => {
                let lhs = self.duration_expr(0, mode)?;
                let comma = self.peek(mode)?;
                if comma.tok != Tok::Comma {
                    return Err(self.unexpected(&comma, self.dur_ctx.0, self.dur_ctx.1));
                }
                self.bump(&comma);
                let rhs = self.duration_expr(0, mode)?;
                let end = close_or(self)?;
                let span = Span::new(t.start, end);
                let (lhs, rhs) = (Box::new(lhs), Box::new(rhs));
                Ok(if lower == "min_of" {
                    DurationExpr::MinOf { lhs, rhs, span }
                } else {
                    DurationExpr::MaxOf { lhs, rhs, span }
                })
            }
        }
    }

    /// What may follow `offset`: a signed literal, a signed duration function, or a
    /// parenthesised duration expression. Binary operators after it belong to the outer
    /// expression: `x offset 1m + 1` is `(x offset 1m) + 1`.
    pub(crate) fn offset_duration(&mut self, kw: &Token<'a>) -> PResult<DurationExpr> {
        self.dur_ctx = ("offset", "number, duration, step(), or range()");
        let t = self.peek(Mode::Normal)?;
        let sign = match t.tok {
            Tok::Sub => Some(UnaryOp::Neg),
            Tok::Add => Some(UnaryOp::Pos),
            _ => None,
        };
        if sign.is_some() {
            self.bump(&t);
        }
        let a = self.peek(Mode::Normal)?;
        let ok = match &a.tok {
            Tok::Number(_) | Tok::Duration(_) | Tok::LParen => true,
            Tok::Ident(s) => is_duration_function(s),
            _ => false,
        };
        if !ok {
            let _ = kw;
            return Err(self.unexpected(&a, "offset", "number, duration, step(), or range()"));
        }
        let atom = self.duration_atom(Mode::Normal)?;
        let folded = match sign {
            Some(op) => fold_sign(op, atom, t.start),
            None => atom,
        };
        if let DurationExpr::Literal { secs, span, .. } = &folded {
            check_range(*secs, *span)?;
        }
        Ok(folded)
    }
}

/// A sign on a literal becomes part of the literal, as Prometheus does for numbers.
fn fold_sign(op: UnaryOp, operand: DurationExpr, start: usize) -> DurationExpr {
    let span = Span::new(start, operand.span().end);
    match operand {
        DurationExpr::Literal { secs, duration, .. } => DurationExpr::Literal {
            secs: if op == UnaryOp::Neg { -secs } else { secs },
            duration,
            span,
        },
        other => DurationExpr::Unary {
            op,
            expr: Box::new(other),
            span,
        },
    }
}
