//! Vector selectors: `name`, `name{...}`, `{...}`, with UTF-8 quoted names in braces.

use model::{MatchOp, Matcher, METRIC_NAME};

use super::Parser;
use crate::ast::VectorSelector;
use crate::error::{PResult, RawError};
use crate::lexer::{Mode, Tok, Token};
use crate::quoted;
use crate::span::Span;

impl<'a> Parser<'a> {
    /// Decodes the string token `t` (already validated by the lexer).
    pub fn string_value(&self, t: &Token<'_>) -> PResult<quoted::Scanned> {
        let raw = self.src.get(t.start..).unwrap_or("");
        quoted::scan(raw).map_err(|m| RawError::new(Span::new(t.start, t.start), m))
    }

    /// A selector; `name` is the metric-name token when one was written before the braces.
    pub fn vector_selector(&mut self, name: Option<Token<'a>>) -> PResult<VectorSelector> {
        let mut matchers = Vec::new();
        let start;
        let mut end;
        match &name {
            Some(n) => {
                start = n.start;
                end = n.end;
            }
            None => {
                let t = self.peek(Mode::Normal)?;
                start = t.start;
                end = t.end;
            }
        }
        if let Some(open) = self.eat(Mode::Normal, |t| *t == Tok::LBrace)? {
            let _ = open;
            self.label_matchers(&mut matchers)?;
            end = self.last_close;
        }
        let name = name.map(|n| self.text(&n).to_string());
        if let Some(n) = &name {
            matchers.push(
                Matcher::new(MatchOp::Equal, METRIC_NAME, n.clone())
                    .map_err(|e| RawError::new(Span::new(start, end), e.0))?,
            );
        }
        Ok(VectorSelector {
            name,
            matchers,
            offset: None,
            at: None,
            anchored: false,
            smoothed: false,
            span: Span::new(start, end),
        })
    }

    /// The matchers after `{`, through the closing `}`.
    fn label_matchers(&mut self, out: &mut Vec<Matcher>) -> PResult<()> {
        loop {
            let t = self.peek(Mode::Braces)?;
            if t.tok == Tok::RBrace {
                self.bump(&t);
                return Ok(());
            }
            self.label_matcher(&t, out)?;
            let sep = self.peek(Mode::Braces)?;
            match sep.tok {
                Tok::Comma => self.bump(&sep),
                Tok::RBrace => {
                    self.bump(&sep);
                    return Ok(());
                }
                _ => return Err(self.unexpected(&sep, "label matching", "\",\" or \"}\"")),
            }
        }
    }

    fn label_matcher(&mut self, t: &Token<'a>, out: &mut Vec<Matcher>) -> PResult<()> {
        let label = match t.tok {
            Tok::Ident(s) => s.to_string(),
            Tok::Str => self.string_value(t)?.text(),
            _ => return Err(self.unexpected(t, "label matching", "identifier or \"}\"")),
        };
        self.bump(t);
        let op_tok = self.peek(Mode::Braces)?;
        let op = match op_tok.tok {
            Tok::Eql => MatchOp::Equal,
            Tok::Neq => MatchOp::NotEqual,
            Tok::EqlRegex => MatchOp::RegexMatch,
            Tok::NeqRegex => MatchOp::RegexNoMatch,
            _ if t.tok == Tok::Str => {
                // A lone quoted string is the metric name: `{"my.metric"}`.
                let m = Matcher::new(MatchOp::Equal, METRIC_NAME, label)
                    .map_err(|e| RawError::new(Span::new(t.start, t.end), e.0))?;
                out.push(m);
                return Ok(());
            }
            _ => return Err(self.unexpected(&op_tok, "label matching", "label matching operator")),
        };
        self.bump(&op_tok);
        let v = self.peek(Mode::Braces)?;
        if v.tok != Tok::Str {
            return Err(self.unexpected(&v, "label matching", "string"));
        }
        self.bump(&v);
        let value = self.string_value(&v)?.text();
        let m = Matcher::new(op, label, value)
            .map_err(|e| RawError::new(Span::new(t.start, v.end), e.0))?;
        out.push(m);
        Ok(())
    }
}
