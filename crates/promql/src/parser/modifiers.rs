//! Binary-operator modifiers (`bool`, `on`, `ignoring`, `group_left`/`group_right`, `fill*`)
//! and the grouping label lists shared with aggregations.

use super::Parser;
use crate::ast::*;
use crate::error::PResult;
use crate::lexer::{Mode, Tok};
use crate::number;

pub(crate) struct BinModifiers {
    pub return_bool: bool,
    pub matching: VectorMatching,
    pub fill: Fill,
}
fn kw<'a>(t: &Tok<'a>, word: &str) -> bool {
    matches!(t, Tok::Ident(s) if s.eq_ignore_ascii_case(word))
}
impl<'a> Parser<'a> {
    pub(crate) fn binary_modifiers(&mut self) -> PResult<BinModifiers> {
        let return_bool = self.eat_keyword("bool")?.is_some();
        let mut matching = VectorMatching {
            card: Card::OneToOne,
            on: false,
            labels: Vec::new(),
            include: Vec::new(),
        };
        let t = self.peek(Mode::Normal)?;
        if kw(&t.tok, "on") || kw(&t.tok, "ignoring") {
            self.bump(&t);
            matching.on = kw(&t.tok, "on");
            matching.labels = self.grouping_labels()?;
            let g = self.peek(Mode::Normal)?;
            if kw(&g.tok, "group_left") || kw(&g.tok, "group_right") {
                self.bump(&g);
                matching.card = if kw(&g.tok, "group_left") {
                    Card::ManyToOne
                } else {
                    Card::OneToMany
                };
                if self.peek(Mode::Normal)?.tok == Tok::LParen {
                    matching.include = self.grouping_labels()?;
                }
            }
        }
        let mut fill = Fill::default();
        loop {
            let t = self.peek(Mode::Normal)?;
            let which = match t.tok {
                Tok::Ident(s)
                    if ["fill", "fill_left", "fill_right"]
                        .iter()
                        .any(|w| s.eq_ignore_ascii_case(w)) =>
                {
                    s.to_ascii_lowercase()
                }
                _ => break,
            };
            // `fill` is only a modifier when a parenthesised value follows; otherwise it is a
            // metric called `fill` on the right-hand side.
            let after = crate::lexer::next(self.src, t.end, Mode::Normal)
                .map(|n| n.tok == Tok::LParen)
                .unwrap_or(false);
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
                        return Err(
                            self.err_at(&t, "fill_left modifier may not be set multiple times")
                        );
                    }
                    fill.left = Some(v);
                }
                _ => {
                    if dup(fill.right) {
                        return Err(
                            self.err_at(&t, "fill_right modifier may not be set multiple times")
                        );
                    }
                    fill.right = Some(v);
                }
            }
        }
        Ok(BinModifiers {
            return_bool,
            matching,
            fill,
        })
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
            Tok::Number(s) => number::parse_number(s)
                .map_err(|m| self.err_at(&t, format!("error parsing number: {m}")))?,
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
                Tok::Ident(s)
                    if !s.eq_ignore_ascii_case("inf") && !s.eq_ignore_ascii_case("nan") =>
                {
                    self.bump(&t);
                    labels.push(s.to_string());
                }
                Tok::Str => {
                    self.bump(&t);
                    let v = self.string_value(&t)?;
                    let name = v.text();
                    if name.is_empty() || std::str::from_utf8(&v.bytes).is_err() {
                        return Err(
                            self.err_at(&t, format!("invalid label name for grouping: {name:?}"))
                        );
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
}
