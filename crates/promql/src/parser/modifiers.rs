//! Modifiers: binary-operator matching (`bool`, `on`, `ignoring`, `group_*`, `fill*`),
//! grouping label lists, and the postfix selector modifiers.

use super::Parser;
use crate::ast::*;
use crate::error::{PResult, RawError};
use crate::lexer::{Mode, Tok, Token};
use crate::number;
use crate::span::Span;

pub(crate) struct BinModifiers {
    pub return_bool: bool,
    pub matching: VectorMatching,
    pub fill: Fill,
}

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

fn kw<'a>(t: &Tok<'a>, word: &str) -> bool {
    matches!(t, Tok::Ident(s) if s.eq_ignore_ascii_case(word))
}

impl<'a> Parser<'a> {
    pub(crate) fn binary_modifiers(&mut self) -> PResult<BinModifiers> {
        let return_bool = self.eat_keyword("bool")?.is_some();
        let mut matching = VectorMatching { card: Card::OneToOne, on: false, labels: Vec::new(), include: Vec::new() };
        let t = self.peek(Mode::Normal)?;
        if kw(&t.tok, "on") || kw(&t.tok, "ignoring") {
            self.bump(&t);
            matching.on = kw(&t.tok, "on");
            matching.labels = self.grouping_labels()?;
            let g = self.peek(Mode::Normal)?;
            if kw(&g.tok, "group_left") || kw(&g.tok, "group_right") {
                self.bump(&g);
                matching.card = if kw(&g.tok, "group_left") { Card::ManyToOne } else { Card::OneToMany };
                if self.peek(Mode::Normal)?.tok == Tok::LParen {
                    matching.include = self.grouping_labels()?;
                }
            }
        }
        let mut fill = Fill::default();
        loop {
            let t = self.peek(Mode::Normal)?;
            let which = match t.tok {
                Tok::Ident(s) if ["fill", "fill_left", "fill_right"].iter().any(|w| s.eq_ignore_ascii_case(w)) => {
                    s.to_ascii_lowercase()
                }
                _ => break,
            };
            // `fill` is only a modifier when a parenthesised value follows; otherwise it is a
            // metric called `fill` on the right-hand side.
            let after = crate::lexer::next(self.src, t.end, Mode::Normal).map(|n| n.tok == Tok::LParen).unwrap_or(false);
            if !after {
                break;
            }
            self.bump(&t);
            let v = self.fill_value()?;
            let dup = |set: Option<f64>| set.is_some();
            match which.as_str() {
                "fill" => {
                    if dup(fill.left) || dup(fill.right) {
                        return Err(self.err_at(&t, "fill modifier may not be set multiple times"));
                    }
                    fill.left = Some(v);
                    fill.right = Some(v);
                }
                "fill_left" => {
                    if dup(fill.left) {
                        return Err(self.err_at(&t, "fill_left modifier may not be set multiple times"));
                    }
                    fill.left = Some(v);
                }
                _ => {
                    if dup(fill.right) {
                        return Err(self.err_at(&t, "fill_right modifier may not be set multiple times"));
                    }
                    fill.right = Some(v);
                }
            }
        }
        Ok(BinModifiers { return_bool, matching, fill })
    }

    /// `(` signed number `)` after a fill keyword.
    fn fill_value(&mut self) -> PResult<f64> {
        let open = self.peek(Mode::Normal)?;
        self.bump(&open);
        let mut t = self.peek(Mode::Normal)?;
        let mut sign = 1.0;
        if matches!(t.tok, Tok::Sub | Tok::Add) {
            if t.tok == Tok::Sub {
                sign = -1.0;
            }
            self.bump(&t);
            t = self.peek(Mode::Normal)?;
        }
        let v = match t.tok {
            Tok::Number(s) => number::parse_number(s).map_err(|m| self.err_at(&t, format!("error parsing number: {m}")))?,
            Tok::Ident(s) if s.eq_ignore_ascii_case("inf") || s.eq_ignore_ascii_case("nan") => {
                number::parse_number(s).map_err(|m| self.err_at(&t, m))?
            }
            _ => return Err(self.unexpected(&t, "fill modifier", "number")),
        };
        self.bump(&t);
        let close = self.peek(Mode::Normal)?;
        if close.tok != Tok::RParen {
            return Err(self.unexpected(&close, "fill modifier", "\")\""));
        }
        self.bump(&close);
        Ok(sign * v)
    }

    /// `(` label, ... `)` after `by`, `without`, `on`, `ignoring`, `group_left`, `group_right`.
    pub(crate) fn grouping_labels(&mut self) -> PResult<Vec<String>> {
        let open = self.peek(Mode::Normal)?;
        if open.tok != Tok::LParen {
            return Err(self.unexpected(&open, "grouping opts", "\"(\""));
        }
        self.bump(&open);
        let mut labels = Vec::new();
        loop {
            let t = self.peek(Mode::Normal)?;
            match t.tok {
                Tok::RParen => {
                    self.bump(&t);
                    return Ok(labels);
                }
                Tok::Ident(s) if !s.eq_ignore_ascii_case("inf") && !s.eq_ignore_ascii_case("nan") => {
                    self.bump(&t);
                    labels.push(s.to_string());
                }
                Tok::Str => {
                    self.bump(&t);
                    let v = self.string_value(&t)?;
                    let name = v.text();
                    if name.is_empty() || std::str::from_utf8(&v.bytes).is_err() {
                        return Err(self.err_at(&t, format!("invalid label name for grouping: {name:?}")));
                    }
                    labels.push(name);
                }
                _ => return Err(self.unexpected(&t, "grouping opts", "label")),
            }
            let sep = self.peek(Mode::Normal)?;
            match sep.tok {
                Tok::Comma => self.bump(&sep),
                Tok::RParen => {
                    self.bump(&sep);
                    return Ok(labels);
                }
                _ => return Err(self.unexpected(&sep, "grouping opts", "\",\" or \")\"")),
            }
        }
    }

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
                (if s.eq_ignore_ascii_case("start") { AtModifier::Start } else { AtModifier::End }, close.end)
            }
            _ => {
                let (secs, end) = self.signed_number(&t).ok_or_else(|| self.unexpected(&t, "@", "timestamp"))??;
                let _ = at_tok;
                if !secs.is_finite() || secs >= i64::MAX as f64 || secs <= i64::MIN as f64 {
                    return Err(RawError::new(e.span(), format!("timestamp out of bounds for @ modifier: {}", go_f(secs))));
                }
                (AtModifier::Timestamp((secs * 1000.0).round() as i64), end)
            }
        };
        let set = |slot: &mut Option<AtModifier>, span: Span| {
            if slot.is_some() {
                return Err(RawError::new(span, "@ <timestamp> may not be set multiple times"));
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
            Tok::Number(s) => number::parse_number(s).map_err(|m| self.err_at(&num_tok, format!("error parsing number: {m}"))),
            Tok::Duration(s) => number::duration_secs(s).map_err(|m| self.err_at(&num_tok, m)),
            Tok::Ident(s) if s.eq_ignore_ascii_case("inf") || s.eq_ignore_ascii_case("nan") => {
                number::parse_number(s).map_err(|m| self.err_at(&num_tok, m))
            }
            _ => return None,
        };
        self.pos = num_tok.end;
        Some(v.map(|v| (sign * v, num_tok.end)))
    }

    pub(crate) fn range_modifier(&mut self, mut e: Expr, t: &Token<'a>, anchored: bool) -> PResult<Expr> {
        let name = if anchored { "anchored" } else { "smoothed" };
        let span = e.span();
        let vs = match &mut e {
            Expr::VectorSelector(vs) => vs,
            Expr::MatrixSelector(ms) => &mut ms.vector,
            Expr::Subquery(_) => {
                return Err(RawError::new(span, format!("{name} modifier is not supported for subqueries")))
            }
            _ => return Err(RawError::new(span, format!("{name} modifier not implemented"))),
        };
        if anchored {
            vs.anchored = true;
        } else {
            vs.smoothed = true;
        }
        if vs.anchored && vs.smoothed {
            return Err(RawError::new(span, "anchored and smoothed modifiers cannot be used together"));
        }
        match &mut e {
            Expr::VectorSelector(vs) => vs.span.end = t.end,
            Expr::MatrixSelector(ms) => ms.span.end = t.end,
            _ => {}
        }
        Ok(e)
    }

    /// After `[`: a range selector `[d]` or a subquery `[d:]`/`[d:s]`.
    pub(crate) fn range_or_subquery(&mut self, e: Expr, open: &Token<'a>) -> PResult<Expr> {
        let first = self.peek(Mode::Bracket)?;
        match first.tok {
            Tok::Eof => return Err(self.err_at(&first, "unexpected end of input in duration expression")),
            Tok::RBracket | Tok::Comma | Tok::Str | Tok::RParen | Tok::Mul | Tok::Div | Tok::Mod | Tok::Pow => {
                return Err(self.unexpected(&first, "subquery or range selector", "number, duration, step(), or range()"))
            }
            Tok::Colon => {
                return Err(self.err_at(&first, "unexpected colon before duration in duration expression"))
            }
            _ => {}
        }
        self.dur_ctx = ("subquery or range selector", "number, duration, step(), or range()");
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
                            return Err(RawError::new(span, "no offset modifiers allowed before range"));
                        }
                        if vs.at.is_some() {
                            return Err(RawError::new(span, "no @ modifiers allowed before range"));
                        }
                        let span = Span::new(vs.span.start, t.end);
                        Ok(Expr::MatrixSelector(MatrixSelector { vector: vs, range, span }))
                    }
                    _ => Err(RawError::new(span, "ranges only allowed for vector selectors")),
                }
            }
            Tok::Colon => {
                self.bump(&t);
                let s = self.bracket_peek()?;
                let step = match s.tok {
                    Tok::RBracket => None,
                    Tok::Colon => return Err(self.err_at(&s, "unexpected repeated colon in duration expression")),
                    Tok::Number(_) | Tok::Duration(_) | Tok::LParen | Tok::Add | Tok::Sub | Tok::Ident(_) => {
                        self.dur_ctx = ("subquery selector", "number, duration, step(), range(), or \"]\"");
                        let step = self.duration_expr(0, Mode::Bracket)?;
                        positive(&step)?;
                        Some(step)
                    }
                    _ => {
                        return Err(self.unexpected(&s, "subquery selector", "number, duration, step(), range(), or \"]\""))
                    }
                };
                let close = self.bracket_peek()?;
                if close.tok != Tok::RBracket {
                    return Err(self.unexpected(&close, "subquery selector", "\"]\""));
                }
                self.bump(&close);
                let span = Span::new(e.span().start, close.end);
                Ok(Expr::Subquery(Subquery { expr: Box::new(e), range, step, offset: None, at: None, span }))
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
