//! Expressions: precedence climbing for binary operators, unary signs, primaries and the
//! postfix modifiers (`[range]`, `[range:step]`, `offset`, `@`, `anchored`, `smoothed`).

use super::Parser;
use crate::ast::*;
use crate::error::{PResult, RawError};
use crate::functions;
use crate::lexer::{Mode, Tok, Token};
use crate::number;
use crate::span::Span;

/// `unary_op expr %prec MUL`: a sign takes everything that binds tighter than `*`.
const UNARY_OPERAND_PREC: u8 = 6;

pub(crate) fn binary_op(t: &Tok<'_>) -> Option<BinaryOp> {
    Some(match t {
        Tok::Add => BinaryOp::Add,
        Tok::Sub => BinaryOp::Sub,
        Tok::Mul => BinaryOp::Mul,
        Tok::Div => BinaryOp::Div,
        Tok::Mod => BinaryOp::Mod,
        Tok::Pow => BinaryOp::Pow,
        Tok::Eqlc => BinaryOp::Eql,
        Tok::Neq => BinaryOp::Neq,
        Tok::Gtr => BinaryOp::Gtr,
        Tok::Lss => BinaryOp::Lss,
        Tok::Gte => BinaryOp::Gte,
        Tok::Lte => BinaryOp::Lte,
        Tok::TrimUpper => BinaryOp::TrimUpper,
        Tok::TrimLower => BinaryOp::TrimLower,
        Tok::Ident(s) => match s.to_ascii_lowercase().as_str() {
            "and" => BinaryOp::And,
            "or" => BinaryOp::Or,
            "unless" => BinaryOp::Unless,
            "atan2" => BinaryOp::Atan2,
            _ => return None,
        },
        _ => return None,
    })
}

fn is_keyword(s: &str, kw: &str) -> bool {
    s.eq_ignore_ascii_case(kw)
}

impl<'a> Parser<'a> {
    pub fn expr(&mut self, min_prec: u8) -> PResult<Expr> {
        self.enter()?;
        let r = self.expr_inner(min_prec);
        self.leave();
        r
    }

    fn expr_inner(&mut self, min_prec: u8) -> PResult<Expr> {
        let mut lhs = self.unary()?;
        loop {
            let t = self.peek(Mode::Normal)?;
            let Some(op) = binary_op(&t.tok) else { break };
            let prec = op.precedence();
            if prec < min_prec {
                break;
            }
            self.bump(&t);
            let m = self.binary_modifiers()?;
            let next_min = if op.is_right_assoc() { prec } else { prec + 1 };
            let rhs = self.expr(next_min)?;
            let span = lhs.span().join(rhs.span());
            lhs = Expr::Binary(BinaryExpr {
                op,
                lhs: Box::new(lhs),
                rhs: Box::new(rhs),
                return_bool: m.return_bool,
                matching: Some(m.matching),
                fill: m.fill,
                span,
            });
        }
        Ok(lhs)
    }

    fn unary(&mut self) -> PResult<Expr> {
        let t = self.peek(Mode::Normal)?;
        let op = match t.tok {
            Tok::Sub => UnaryOp::Neg,
            Tok::Add => UnaryOp::Pos,
            _ => return self.postfix(),
        };
        self.bump(&t);
        let operand = self.expr(UNARY_OPERAND_PREC)?;
        let span = Span::new(t.start, operand.span().end);
        Ok(match operand {
            // Prometheus folds a sign into a number literal.
            Expr::NumberLiteral(mut n) => {
                if op == UnaryOp::Neg {
                    n.value = -n.value;
                }
                n.span = span;
                Expr::NumberLiteral(n)
            }
            other => Expr::Unary(UnaryExpr {
                op,
                expr: Box::new(other),
                span,
            }),
        })
    }

    /// A primary followed by any number of postfix modifiers.
    fn postfix(&mut self) -> PResult<Expr> {
        let mut e = self.primary()?;
        // Each `[..]` nests the tree one level deeper, like a parenthesis.
        let mut wraps = 0;
        let r = loop {
            let t = match self.peek(Mode::Normal) {
                Ok(t) => t,
                Err(err) => break Err(err),
            };
            match t.tok {
                Tok::LBracket => {
                    self.bump(&t);
                    if let Err(err) = self.enter() {
                        break Err(err);
                    }
                    wraps += 1;
                    match self.range_or_subquery(e, &t) {
                        Ok(next) => e = next,
                        Err(err) => break Err(err),
                    }
                }
                Tok::Ident(s) if is_keyword(s, "offset") => {
                    self.bump(&t);
                    match self.offset(e, &t) {
                        Ok(next) => e = next,
                        Err(err) => break Err(err),
                    }
                }
                Tok::At => {
                    self.bump(&t);
                    match self.at(e, &t) {
                        Ok(next) => e = next,
                        Err(err) => break Err(err),
                    }
                }
                Tok::Ident(s) if is_keyword(s, "anchored") || is_keyword(s, "smoothed") => {
                    self.bump(&t);
                    match self.range_modifier(e, &t, is_keyword(s, "anchored")) {
                        Ok(next) => e = next,
                        Err(err) => break Err(err),
                    }
                }
                _ => break Ok(e),
            }
        };
        for _ in 0..wraps {
            self.leave();
        }
        r
    }

    fn primary(&mut self) -> PResult<Expr> {
        let t = self.peek(Mode::Normal)?;
        match t.tok {
            Tok::Number(s) => {
                self.bump(&t);
                let value = number::parse_number(s)
                    .map_err(|m| self.err_at(&t, format!("error parsing number: {m}")))?;
                Ok(Expr::NumberLiteral(NumberLiteral {
                    value,
                    duration: false,
                    span: Span::new(t.start, t.end),
                }))
            }
            Tok::Duration(s) => {
                self.bump(&t);
                let value = number::duration_secs(s).map_err(|m| self.err_at(&t, m))?;
                Ok(Expr::NumberLiteral(NumberLiteral {
                    value,
                    duration: true,
                    span: Span::new(t.start, t.end),
                }))
            }
            Tok::Str => {
                self.bump(&t);
                let s = self.string_value(&t)?;
                let invalid_utf8 = std::str::from_utf8(&s.bytes)
                    .is_err()
                    .then(|| s.bytes.clone());
                Ok(Expr::StringLiteral(StringLiteral {
                    value: s.text(),
                    invalid_utf8,
                    span: Span::new(t.start, t.end),
                }))
            }
            Tok::LParen => {
                self.bump(&t);
                let inner = self.expr(0)?;
                let close = self.peek(Mode::Normal)?;
                if close.tok != Tok::RParen {
                    return Err(self.unexpected(&close, "", ""));
                }
                self.bump(&close);
                Ok(Expr::Paren(ParenExpr {
                    expr: Box::new(inner),
                    span: Span::new(t.start, close.end),
                }))
            }
            Tok::LBrace => Ok(Expr::VectorSelector(self.vector_selector(None)?)),
            Tok::MetricIdent(_) => {
                self.bump(&t);
                Ok(Expr::VectorSelector(self.vector_selector(Some(t))?))
            }
            Tok::Ident(s) => self.identifier_expr(s, t),
            _ => Err(self.unexpected(&t, "", "")),
        }
    }

    /// An identifier at the start of an expression: number word, aggregation, call or metric.
    fn identifier_expr(&mut self, s: &'a str, t: Token<'a>) -> PResult<Expr> {
        self.bump(&t);
        if s.eq_ignore_ascii_case("inf") || s.eq_ignore_ascii_case("nan") {
            let value = number::parse_number(s).map_err(|m| self.err_at(&t, m))?;
            return Ok(Expr::NumberLiteral(NumberLiteral {
                value,
                duration: false,
                span: Span::new(t.start, t.end),
            }));
        }
        // Keywords that cannot name a metric (Prometheus's `metric_identifier` excludes them).
        if [
            "bool",
            "on",
            "ignoring",
            "group_left",
            "group_right",
            "atan2",
        ]
        .iter()
        .any(|k| s.eq_ignore_ascii_case(k))
        {
            return Err(self.unexpected(&t, "", ""));
        }
        let next = self.peek(Mode::Normal)?;
        if let Some(op) = AggregateOp::from_name(s) {
            let starts_aggregation = match next.tok {
                Tok::LParen => true,
                Tok::Ident(k) => is_keyword(k, "by") || is_keyword(k, "without"),
                _ => false,
            };
            if starts_aggregation {
                return self.aggregate(op, &t);
            }
            // Otherwise the keyword is a metric name: `foo * sum` selects `sum`.
        }
        // Keywords that may name a metric never start a call: `by(a)` is the metric `by`
        // followed by a stray parenthesis.
        let keyword = ["by", "without", "offset", "smoothed", "anchored"]
            .iter()
            .any(|k| s.eq_ignore_ascii_case(k));
        if next.tok == Tok::LParen && !keyword {
            return self.call(s, &t);
        }
        Ok(Expr::VectorSelector(self.vector_selector(Some(t))?))
    }

    /// `(` args `)` of a call or aggregation; returns the arguments. Counts as a nesting
    /// level of its own: calls use more stack per level than parentheses.
    fn call_body(&mut self) -> PResult<Vec<Expr>> {
        self.enter()?;
        let r = self.call_body_inner();
        self.leave();
        r
    }

    fn call_body_inner(&mut self) -> PResult<Vec<Expr>> {
        let open = self.peek(Mode::Normal)?;
        if open.tok != Tok::LParen {
            return Err(self.unexpected(&open, "", ""));
        }
        self.bump(&open);
        let mut args = Vec::new();
        if let Some(_close) = self.eat(Mode::Normal, |t| *t == Tok::RParen)? {
            return Ok(args);
        }
        loop {
            args.push(self.expr(0)?);
            let t = self.peek(Mode::Normal)?;
            match t.tok {
                Tok::RParen => {
                    self.bump(&t);
                    return Ok(args);
                }
                Tok::Comma => {
                    self.bump(&t);
                    if self.peek(Mode::Normal)?.tok == Tok::RParen {
                        return Err(
                            self.err_at(&t, "trailing commas not allowed in function call args")
                        );
                    }
                }
                _ => return Err(self.unexpected(&t, "", "")),
            }
        }
    }

    fn call(&mut self, name: &str, t: &Token<'a>) -> PResult<Expr> {
        let args = self.call_body()?;
        let span = Span::new(t.start, self.last_close);
        let func = functions::function(name)
            .ok_or_else(|| self.err_at(t, format!("unknown function with name {name:?}")))?;
        Ok(Expr::Call(Call { func, args, span }))
    }

    fn aggregate(&mut self, op: AggregateOp, t: &Token<'a>) -> PResult<Expr> {
        let mut grouping = Vec::new();
        let mut without = false;
        let mut grouped = false;
        if let Some(kw) = self.eat(
            Mode::Normal,
            |x| matches!(x, Tok::Ident(k) if is_keyword(k, "by") || is_keyword(k, "without")),
        )? {
            without = self.text(&kw).eq_ignore_ascii_case("without");
            grouping = self.grouping_labels()?;
            grouped = true;
        }
        let body_start = self.peek(Mode::Normal)?;
        if body_start.tok != Tok::LParen {
            return Err(self.unexpected(&body_start, "aggregation", ""));
        }
        let mut args = self.call_body()?;
        let mut end = self.last_close;
        if !grouped {
            if let Some(kw) = self.eat(
                Mode::Normal,
                |x| matches!(x, Tok::Ident(k) if is_keyword(k, "by") || is_keyword(k, "without")),
            )? {
                without = self.text(&kw).eq_ignore_ascii_case("without");
                grouping = self.grouping_labels()?;
                end = self.last_close;
            }
        }
        let span = Span::new(t.start, end);
        if args.is_empty() {
            return Err(RawError::new(
                span,
                "no arguments for aggregate expression provided",
            ));
        }
        let desired = if op.takes_param() { 2 } else { 1 };
        if args.len() != desired {
            return Err(RawError::new(
                span,
                format!(
                    "wrong number of arguments for aggregate expression provided, expected {desired}, got {}",
                    args.len()
                ),
            ));
        }
        let expr = args
            .pop()
            .map(Box::new)
            .ok_or_else(|| RawError::new(span, "missing argument"))?;
        let param = args.pop().map(Box::new);
        Ok(Expr::Aggregate(AggregateExpr {
            op,
            expr,
            param,
            grouping,
            without,
            span,
        }))
    }
}
