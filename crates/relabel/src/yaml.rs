//! A tiny YAML tree with a line:col on every node, so config errors can point at the user's text.

use std::fmt;

use yaml_rust2::parser::{Event, MarkedEventReceiver, Parser};
use yaml_rust2::scanner::{Marker, TScalarStyle};

use crate::error::ConfigError;

/// A 1-based position in the YAML text.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Pos {
    pub line: usize,
    pub col: usize,
}

impl fmt::Display for Pos {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.line, self.col)
    }
}

#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    /// `~`, `null`, or nothing at all (`key:`).
    Null,
    /// Any scalar; `plain` is false for quoted and block scalars, which are never null or numbers.
    Scalar {
        text: String,
        plain: bool,
    },
    Seq(Vec<Node>),
    /// Entries in document order; duplicate keys are kept so the caller can report them.
    Map(Vec<(Node, Node)>),
}

#[derive(Clone, Debug, PartialEq)]
pub struct Node {
    pub value: Value,
    pub pos: Pos,
}

impl Node {
    /// The scalar's text, if this is a scalar.
    pub fn as_str(&self) -> Option<&str> {
        match &self.value {
            Value::Scalar { text, .. } => Some(text),
            _ => None,
        }
    }

    /// The value under `key` in a mapping (the first one, if repeated).
    pub fn get(&self, key: &str) -> Option<&Node> {
        match &self.value {
            Value::Map(entries) => entries.iter().find(|(k, _)| k.as_str() == Some(key)).map(|(_, v)| v),
            _ => None,
        }
    }

    /// How Go's yaml package names the node in "cannot unmarshal" errors: scalars with their text.
    pub fn describe(&self) -> String {
        match self.as_str() {
            Some(t) => format!("{} `{t}`", self.tag()),
            None => self.tag().to_string(),
        }
    }

    pub fn is_null(&self) -> bool {
        matches!(self.value, Value::Null)
    }

    /// YAML's name for the node's kind, as Go's yaml package prints it in type errors.
    pub fn tag(&self) -> &'static str {
        match &self.value {
            Value::Null => "!!null",
            Value::Scalar { text, plain: true } if text.parse::<i64>().is_ok() => "!!int",
            Value::Scalar { text, plain: true } if text.parse::<f64>().is_ok() => "!!float",
            Value::Scalar { text, plain: true } if matches!(text.as_str(), "true" | "false") => "!!bool",
            Value::Scalar { .. } => "!!str",
            Value::Seq(_) => "!!seq",
            Value::Map(_) => "!!map",
        }
    }
}

/// Nesting deeper than this is refused: nobody writes it, and dropping it would recurse.
const MAX_DEPTH: usize = 200;
/// Nodes created, aliases expanded included: a "billion laughs" document must fail, not hang.
const MAX_NODES: usize = 500_000;

/// Parses the first document of `text`. An empty document is `Null` at 1:1.
pub fn parse(text: &str) -> Result<Node, ConfigError> {
    let mut b = TreeBuilder::default();
    let mut parser = Parser::new_from_str(text);
    if let Err(e) = parser.load(&mut b, false) {
        let m = e.marker();
        return Err(ConfigError::new(Pos { line: m.line(), col: m.col() + 1 }, format!("yaml: {}", e.info())));
    }
    if let Some(err) = b.error {
        return Err(err);
    }
    Ok(b.root.unwrap_or(Node { value: Value::Null, pos: Pos { line: 1, col: 1 } }))
}

enum Frame {
    Seq(Node),
    /// A mapping under construction and the key waiting for its value.
    Map(Node, Option<Node>),
}

#[derive(Default)]
struct TreeBuilder {
    stack: Vec<(Frame, usize)>,
    root: Option<Node>,
    anchors: Vec<(usize, Node)>,
    error: Option<ConfigError>,
    nodes: usize,
    done: bool,
}

fn pos_of(m: Marker) -> Pos {
    Pos { line: m.line(), col: m.col() + 1 }
}

fn count(n: &Node) -> usize {
    match &n.value {
        Value::Seq(items) => 1 + items.iter().map(count).sum::<usize>(),
        Value::Map(entries) => 1 + entries.iter().map(|(k, v)| count(k) + count(v)).sum::<usize>(),
        _ => 1,
    }
}

impl TreeBuilder {
    fn fail(&mut self, pos: Pos, msg: &str) {
        if self.error.is_none() {
            self.error = Some(ConfigError::new(pos, msg.to_string()));
        }
    }

    /// Attaches a finished node to its parent (or makes it the root), remembering its anchor.
    fn finish(&mut self, node: Node, anchor: usize) {
        if anchor > 0 {
            self.anchors.push((anchor, node.clone()));
        }
        match self.stack.last_mut() {
            None => {
                if self.root.is_none() {
                    self.root = Some(node);
                }
                self.done = true;
            }
            Some((Frame::Seq(seq), _)) => {
                if let Value::Seq(items) = &mut seq.value {
                    items.push(node);
                }
            }
            Some((Frame::Map(map, key), _)) => match key.take() {
                None => *key = Some(node),
                Some(k) => {
                    if let Value::Map(entries) = &mut map.value {
                        entries.push((k, node));
                    }
                }
            },
        }
    }

    fn open(&mut self, frame: Frame, anchor: usize, pos: Pos) {
        if self.stack.len() >= MAX_DEPTH {
            self.fail(pos, "yaml: nesting too deep");
            return;
        }
        self.stack.push((frame, anchor));
    }
}

impl MarkedEventReceiver for TreeBuilder {
    fn on_event(&mut self, ev: Event, mark: Marker) {
        if self.error.is_some() || self.done {
            return;
        }
        let pos = pos_of(mark);
        self.nodes += 1;
        if self.nodes > MAX_NODES {
            self.fail(pos, "yaml: document too large");
            return;
        }
        match ev {
            Event::Scalar(text, style, anchor, tag) => {
                let plain = style == TScalarStyle::Plain && tag.is_none();
                let is_null = plain && matches!(text.as_str(), "" | "~" | "null" | "Null" | "NULL");
                let value = if is_null { Value::Null } else { Value::Scalar { text, plain } };
                self.finish(Node { value, pos }, anchor);
            }
            Event::SequenceStart(anchor, _) => {
                self.open(Frame::Seq(Node { value: Value::Seq(Vec::new()), pos }), anchor, pos)
            }
            Event::MappingStart(anchor, _) => {
                self.open(Frame::Map(Node { value: Value::Map(Vec::new()), pos }, None), anchor, pos)
            }
            Event::SequenceEnd | Event::MappingEnd => {
                if let Some((frame, anchor)) = self.stack.pop() {
                    let node = match frame {
                        Frame::Seq(n) | Frame::Map(n, _) => n,
                    };
                    self.finish(node, anchor);
                }
            }
            Event::Alias(id) => {
                let found = self.anchors.iter().rev().find(|(a, _)| *a == id).map(|(_, n)| n.clone());
                match found {
                    Some(mut node) => {
                        self.nodes += count(&node);
                        if self.nodes > MAX_NODES {
                            self.fail(pos, "yaml: document too large after alias expansion");
                            return;
                        }
                        node.pos = pos;
                        self.finish(node, 0);
                    }
                    None => self.fail(pos, "yaml: unknown anchor"),
                }
            }
            Event::Nothing | Event::StreamStart | Event::StreamEnd | Event::DocumentStart | Event::DocumentEnd => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_are_one_based() {
        let n = parse("- a: 1\n  b: [x, 'y']\n").unwrap_or_else(|e| panic!("{e}"));
        let Value::Seq(items) = &n.value else { panic!("not a seq") };
        let b = items[0].get("b").unwrap_or_else(|| panic!("no b"));
        assert_eq!(b.pos, Pos { line: 2, col: 6 });
        assert!(items[0].get("a").is_some_and(|a| a.pos == Pos { line: 1, col: 6 }));
    }

    #[test]
    fn null_forms() {
        let n = parse("a:\nb: ~\nc: ''\n").unwrap_or_else(|e| panic!("{e}"));
        assert!(n.get("a").is_some_and(Node::is_null));
        assert!(n.get("b").is_some_and(Node::is_null));
        assert_eq!(n.get("c").and_then(Node::as_str), Some(""));
    }

    #[test]
    fn syntax_error_has_position() {
        let e = parse("a: [1, 2\nb: c").err().unwrap_or_else(|| panic!("parsed"));
        assert!(e.pos.line >= 1, "{e}");
    }

    #[test]
    fn alias_bomb_is_refused() {
        let mut s = String::from("a: &a [x, x, x, x, x, x, x, x, x, x]\n");
        for i in 0..8 {
            let prev = if i == 0 { "a".to_string() } else { format!("l{}", i - 1) };
            s.push_str(&format!("l{i}: &l{i} [*{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}]\n"));
        }
        assert!(parse(&s).is_err());
    }
}
