//! The recursive-descent parser over nom-recognised tokens, and its entry point.
//!
//! Errors stop parsing at the first problem, which is the one Prometheus reports first (its
//! yacc parser collects several but prints only the first).

mod brackets;
mod describe;
mod duration;
mod expr;
mod modifiers;
mod postfix;
mod selector;

use std::cell::Cell;

use crate::ast::Expr;
use crate::error::{PResult, ParseError, RawError};
use crate::lexer::{self, Mode, Tok, Token};
use crate::span::Span;

/// Deep enough for any real query, shallow enough for a 2 MB thread stack.
const MAX_DEPTH: usize = 100;

pub(crate) struct Parser<'a> {
    pub src: &'a str,
    pub pos: usize,
    /// Open `(` count, for Prometheus's "unclosed left parenthesis" at the end of input.
    pub parens: usize,
    depth: usize,
    /// End of the last `)`/`]`/`}` consumed, for node spans that end at a closing token.
    pub last_close: usize,
    /// Context and expectation named by errors inside the duration being parsed, as the
    /// enclosing error rule of Prometheus's grammar names them.
    pub dur_ctx: (&'static str, &'static str),
    /// The last token lexed by `peek`: the grammar often peeks the same token several times.
    cache: Cell<Option<(usize, Mode, Token<'a>)>>,
}

/// Parses a PromQL expression and runs Prometheus's static checks.
pub fn parse(input: &str) -> Result<Expr, ParseError> {
    let mut p = Parser {
        src: input,
        pos: 0,
        parens: 0,
        depth: 0,
        last_close: 0,
        dur_ctx: ("", ""),
        cache: Cell::new(None),
    };
    let mut e = p.parse_all().map_err(|e| e.into_error(input))?;
    crate::check::check(input, &e).map_err(|e| e.into_error(input))?;
    crate::check::normalize(&mut e);
    Ok(e)
}

impl<'a> Parser<'a> {
    fn parse_all(&mut self) -> PResult<Expr> {
        let first = self.peek(Mode::Normal)?;
        if first.tok == Tok::Eof {
            return Err(RawError::new(
                Span::new(0, 0),
                "no expression found in input",
            ));
        }
        let e = self.expr(0)?;
        let t = self.peek(Mode::Normal)?;
        match t.tok {
            Tok::Eof => Ok(e),
            Tok::RBracket => Err(self.err_at(&t, "unexpected right bracket ']'")),
            _ => Err(self.unexpected(&t, "", "")),
        }
    }

    /// The next token without consuming it.
    pub fn peek(&self, mode: Mode) -> PResult<Token<'a>> {
        let lexed = match self.cache.get() {
            Some((pos, m, t)) if pos == self.pos && m == mode => Ok(t),
            _ => {
                let r = lexer::next(self.src, self.pos, mode);
                if let Ok(t) = r {
                    self.cache.set(Some((self.pos, mode, t)));
                }
                r
            }
        };
        match lexed {
            Ok(t) if t.tok == Tok::Eof && mode == Mode::Normal && self.parens > 0 => Err(
                RawError::new(Span::new(t.start, t.start), "unclosed left parenthesis"),
            ),
            // Prometheus's lexer counts parentheses and reports a surplus `)` right after it.
            Ok(t) if t.tok == Tok::RParen && self.parens == 0 => Err(RawError::new(
                Span::new(t.end, t.end),
                "unexpected right parenthesis ')'",
            )),
            Ok(t) if t.tok == Tok::Eof && mode == Mode::Braces => Err(RawError::new(
                Span::new(t.start, t.start),
                "unexpected end of input inside braces",
            )),
            Ok(t) => Ok(t),
            Err(e) => Err(RawError::new(Span::new(e.at, e.at), e.message)),
        }
    }

    pub fn bump(&mut self, t: &Token<'a>) {
        self.pos = t.end;
        match t.tok {
            Tok::LParen => self.parens += 1,
            Tok::RParen => {
                self.parens = self.parens.saturating_sub(1);
                self.last_close = t.end;
            }
            Tok::RBracket | Tok::RBrace => self.last_close = t.end,
            _ => {}
        }
    }

    /// Consumes the next token if `pred` accepts it.
    pub fn eat(
        &mut self,
        mode: Mode,
        pred: impl Fn(&Tok<'a>) -> bool,
    ) -> PResult<Option<Token<'a>>> {
        let t = self.peek(mode)?;
        if pred(&t.tok) {
            self.bump(&t);
            Ok(Some(t))
        } else {
            Ok(None)
        }
    }

    /// Consumes an identifier equal (ignoring case, like Prometheus keywords) to `kw`.
    pub fn eat_keyword(&mut self, kw: &str) -> PResult<Option<Token<'a>>> {
        self.eat(
            Mode::Normal,
            |t| matches!(t, Tok::Ident(s) if s.eq_ignore_ascii_case(kw)),
        )
    }

    pub fn err_at(&self, t: &Token<'_>, msg: impl Into<String>) -> RawError {
        RawError::new(Span::new(t.start, t.end), msg)
    }

    /// Prometheus's `unexpected(context, expected)` message for token `t`.
    pub fn unexpected(&self, t: &Token<'_>, context: &str, expected: &str) -> RawError {
        let mut msg = format!("unexpected {}", describe::describe(self.src, t));
        if !context.is_empty() {
            msg.push_str(" in ");
            msg.push_str(context);
        }
        if !expected.is_empty() {
            msg.push_str(", expected ");
            msg.push_str(expected);
        }
        self.err_at(t, msg)
    }

    pub fn enter(&mut self) -> PResult<()> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(RawError::new(
                Span::new(self.pos, self.pos),
                "expression nested too deeply",
            ));
        }
        Ok(())
    }

    pub fn leave(&mut self) {
        self.depth = self.depth.saturating_sub(1);
    }

    pub fn text(&self, t: &Token<'_>) -> &'a str {
        self.src.get(t.start..t.end).unwrap_or("")
    }
}
