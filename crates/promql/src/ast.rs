//! The syntax tree: one type per node kind, named by role as in Prometheus's `promql/parser`.

use model::Matcher;

use crate::functions::FunctionSig;
use crate::span::Span;

/// The type an expression evaluates to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ValueType {
    Scalar,
    Vector,
    Matrix,
    String,
}

impl ValueType {
    /// The name Prometheus uses in user-facing type errors (`DocumentedType`).
    pub fn documented(self) -> &'static str {
        match self {
            ValueType::Scalar => "scalar",
            ValueType::Vector => "instant vector",
            ValueType::Matrix => "range vector",
            ValueType::String => "string",
        }
    }

    /// The API's `resultType` name.
    pub fn as_str(self) -> &'static str {
        match self {
            ValueType::Scalar => "scalar",
            ValueType::Vector => "vector",
            ValueType::Matrix => "matrix",
            ValueType::String => "string",
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub enum Expr {
    NumberLiteral(NumberLiteral),
    StringLiteral(StringLiteral),
    VectorSelector(VectorSelector),
    MatrixSelector(MatrixSelector),
    Subquery(Subquery),
    Paren(ParenExpr),
    Unary(UnaryExpr),
    Binary(BinaryExpr),
    Aggregate(AggregateExpr),
    Call(Call),
}

#[derive(Clone, Debug, PartialEq)]
pub struct NumberLiteral {
    pub value: f64,
    /// Written as a duration (`1h` is the scalar 3600); printed back the same way.
    pub duration: bool,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq)]
pub struct StringLiteral {
    /// The decoded value; bytes that are not UTF-8 (possible with `\xNN`) become U+FFFD.
    pub value: String,
    /// The exact decoded bytes when they are not valid UTF-8, for Go-style error messages.
    pub invalid_utf8: Option<Vec<u8>>,
    pub span: Span,
}

/// `@` modifier.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AtModifier {
    /// Milliseconds since the epoch.
    Timestamp(i64),
    Start,
    End,
}

#[derive(Clone, Debug, PartialEq)]
pub struct VectorSelector {
    /// The metric name when written before the braces (`foo{...}`).
    pub name: Option<String>,
    /// All matchers, including the `__name__` matcher implied by `name` (last, as Prometheus).
    pub matchers: Vec<Matcher>,
    pub offset: Option<DurationExpr>,
    pub at: Option<AtModifier>,
    /// `anchored` range modifier (experimental extended range selectors).
    pub anchored: bool,
    /// `smoothed` range modifier (experimental extended range selectors).
    pub smoothed: bool,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq)]
pub struct MatrixSelector {
    /// Offset, `@`, `anchored` and `smoothed` live on the inner selector, as in Prometheus.
    pub vector: VectorSelector,
    pub range: DurationExpr,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Subquery {
    pub expr: Box<Expr>,
    pub range: DurationExpr,
    /// `None` for `[5m:]`: the engine uses the default evaluation interval.
    pub step: Option<DurationExpr>,
    pub offset: Option<DurationExpr>,
    pub at: Option<AtModifier>,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq)]
pub struct ParenExpr {
    pub expr: Box<Expr>,
    pub span: Span,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UnaryOp {
    Neg,
    Pos,
}

#[derive(Clone, Debug, PartialEq)]
pub struct UnaryExpr {
    pub op: UnaryOp,
    pub expr: Box<Expr>,
    pub span: Span,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum BinaryOp {
    Add,
    Sub,
    Mul,
    Div,
    Mod,
    Pow,
    Atan2,
    Eql,
    Neq,
    Gtr,
    Lss,
    Gte,
    Lte,
    And,
    Or,
    Unless,
    /// `</`: histogram trim keeping observations below the bound.
    TrimUpper,
    /// `>/`: histogram trim keeping observations above the bound.
    TrimLower,
}

impl BinaryOp {
    pub fn as_str(self) -> &'static str {
        match self {
            BinaryOp::Add => "+",
            BinaryOp::Sub => "-",
            BinaryOp::Mul => "*",
            BinaryOp::Div => "/",
            BinaryOp::Mod => "%",
            BinaryOp::Pow => "^",
            BinaryOp::Atan2 => "atan2",
            BinaryOp::Eql => "==",
            BinaryOp::Neq => "!=",
            BinaryOp::Gtr => ">",
            BinaryOp::Lss => "<",
            BinaryOp::Gte => ">=",
            BinaryOp::Lte => "<=",
            BinaryOp::And => "and",
            BinaryOp::Or => "or",
            BinaryOp::Unless => "unless",
            BinaryOp::TrimUpper => "</",
            BinaryOp::TrimLower => ">/",
        }
    }

    pub fn is_comparison(self) -> bool {
        matches!(
            self,
            BinaryOp::Eql
                | BinaryOp::Neq
                | BinaryOp::Gtr
                | BinaryOp::Lss
                | BinaryOp::Gte
                | BinaryOp::Lte
        )
    }

    pub fn is_set(self) -> bool {
        matches!(self, BinaryOp::And | BinaryOp::Or | BinaryOp::Unless)
    }

    /// Binding strength; higher binds tighter (Prometheus's `%left`/`%right` order).
    pub fn precedence(self) -> u8 {
        match self {
            BinaryOp::Or => 1,
            BinaryOp::And | BinaryOp::Unless => 2,
            BinaryOp::Eql
            | BinaryOp::Neq
            | BinaryOp::Gtr
            | BinaryOp::Lss
            | BinaryOp::Gte
            | BinaryOp::Lte => 3,
            BinaryOp::Add | BinaryOp::Sub => 4,
            BinaryOp::Mul
            | BinaryOp::Div
            | BinaryOp::Mod
            | BinaryOp::Atan2
            | BinaryOp::TrimUpper
            | BinaryOp::TrimLower => 5,
            BinaryOp::Pow => 6,
        }
    }

    pub fn is_right_assoc(self) -> bool {
        self == BinaryOp::Pow
    }
}

/// Cardinality of a vector/vector binary operation.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Card {
    OneToOne,
    ManyToOne,
    OneToMany,
    ManyToMany,
}

#[derive(Clone, Debug, PartialEq)]
pub struct VectorMatching {
    pub card: Card,
    /// `on(...)` when true, `ignoring(...)` otherwise.
    pub on: bool,
    pub labels: Vec<String>,
    /// Extra labels of `group_left(...)`/`group_right(...)`.
    pub include: Vec<String>,
}

/// `fill(v)`, `fill_left(v)`, `fill_right(v)`: values for a missing side of a vector match.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Fill {
    pub left: Option<f64>,
    pub right: Option<f64>,
}

impl Fill {
    pub fn is_empty(&self) -> bool {
        self.left.is_none() && self.right.is_none()
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct BinaryExpr {
    pub op: BinaryOp,
    pub lhs: Box<Expr>,
    pub rhs: Box<Expr>,
    pub return_bool: bool,
    /// Present when both sides are instant vectors (set operators get `ManyToMany`).
    pub matching: Option<VectorMatching>,
    pub fill: Fill,
    pub span: Span,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum AggregateOp {
    Sum,
    Avg,
    Count,
    Min,
    Max,
    Group,
    Stddev,
    Stdvar,
    Topk,
    Bottomk,
    CountValues,
    Quantile,
    Limitk,
    LimitRatio,
}

impl AggregateOp {
    pub const ALL: [AggregateOp; 14] = [
        AggregateOp::Sum,
        AggregateOp::Avg,
        AggregateOp::Count,
        AggregateOp::Min,
        AggregateOp::Max,
        AggregateOp::Group,
        AggregateOp::Stddev,
        AggregateOp::Stdvar,
        AggregateOp::Topk,
        AggregateOp::Bottomk,
        AggregateOp::CountValues,
        AggregateOp::Quantile,
        AggregateOp::Limitk,
        AggregateOp::LimitRatio,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            AggregateOp::Sum => "sum",
            AggregateOp::Avg => "avg",
            AggregateOp::Count => "count",
            AggregateOp::Min => "min",
            AggregateOp::Max => "max",
            AggregateOp::Group => "group",
            AggregateOp::Stddev => "stddev",
            AggregateOp::Stdvar => "stdvar",
            AggregateOp::Topk => "topk",
            AggregateOp::Bottomk => "bottomk",
            AggregateOp::CountValues => "count_values",
            AggregateOp::Quantile => "quantile",
            AggregateOp::Limitk => "limitk",
            AggregateOp::LimitRatio => "limit_ratio",
        }
    }

    /// Case-insensitive, as Prometheus's lexer matches keywords.
    pub fn from_name(name: &str) -> Option<AggregateOp> {
        AggregateOp::ALL
            .into_iter()
            .find(|op| op.as_str().eq_ignore_ascii_case(name))
    }

    pub fn takes_param(self) -> bool {
        matches!(
            self,
            AggregateOp::Topk
                | AggregateOp::Bottomk
                | AggregateOp::CountValues
                | AggregateOp::Quantile
                | AggregateOp::Limitk
                | AggregateOp::LimitRatio
        )
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct AggregateExpr {
    pub op: AggregateOp,
    pub expr: Box<Expr>,
    pub param: Option<Box<Expr>>,
    pub grouping: Vec<String>,
    pub without: bool,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Call {
    pub func: &'static FunctionSig,
    pub args: Vec<Expr>,
    pub span: Span,
}

/// A range, step or offset: a literal or a duration expression (`[5m * 2]`, `offset step()`).
/// Values are seconds (as floats) while computing, like Prometheus.
#[derive(Clone, Debug, PartialEq)]
pub enum DurationExpr {
    /// A number (seconds) or a duration token; `duration` remembers which, for printing.
    Literal {
        secs: f64,
        duration: bool,
        span: Span,
    },
    /// `step()`: the query's step.
    Step {
        span: Span,
    },
    /// `range()`: the query's range (end - start).
    Range {
        span: Span,
    },
    Unary {
        op: UnaryOp,
        expr: Box<DurationExpr>,
        span: Span,
    },
    Binary {
        op: BinaryOp,
        lhs: Box<DurationExpr>,
        rhs: Box<DurationExpr>,
        span: Span,
    },
    Paren {
        expr: Box<DurationExpr>,
        span: Span,
    },
    MinOf {
        lhs: Box<DurationExpr>,
        rhs: Box<DurationExpr>,
        span: Span,
    },
    MaxOf {
        lhs: Box<DurationExpr>,
        rhs: Box<DurationExpr>,
        span: Span,
    },
}

impl DurationExpr {
    pub fn literal_ms(ms: i64) -> DurationExpr {
        DurationExpr::Literal {
            secs: ms as f64 / 1000.0,
            duration: true,
            span: Span::default(),
        }
    }

    pub fn span(&self) -> Span {
        match self {
            DurationExpr::Literal { span, .. }
            | DurationExpr::Step { span }
            | DurationExpr::Range { span }
            | DurationExpr::Unary { span, .. }
            | DurationExpr::Binary { span, .. }
            | DurationExpr::Paren { span, .. }
            | DurationExpr::MinOf { span, .. }
            | DurationExpr::MaxOf { span, .. } => *span,
        }
    }

    /// The value in milliseconds when it needs no query context (no `step()`/`range()`).
    pub fn fixed_ms(&self) -> Option<i64> {
        self.eval_ms(None, None).ok()
    }

    /// Evaluates to milliseconds given the query's step and range (both in ms) when known.
    pub fn eval_ms(&self, step_ms: Option<i64>, range_ms: Option<i64>) -> Result<i64, String> {
        let secs = self.eval_secs(step_ms, range_ms)?;
        if !secs.is_finite() || (secs * 1000.0).abs() >= 9.2e18 {
            return Err(format!("duration out of range: {secs}"));
        }
        // Prometheus converts with time.Duration(secs*1000) * time.Millisecond: truncation.
        Ok((secs * 1000.0) as i64)
    }

    fn eval_secs(&self, step: Option<i64>, range: Option<i64>) -> Result<f64, String> {
        Ok(match self {
            DurationExpr::Literal { secs, .. } => *secs,
            DurationExpr::Step { .. } => step.ok_or("step() needs a query step")? as f64 / 1000.0,
            DurationExpr::Range { .. } => {
                range.ok_or("range() needs a query range")? as f64 / 1000.0
            }
            DurationExpr::Unary { op, expr, .. } => {
                let v = expr.eval_secs(step, range)?;
                if *op == UnaryOp::Neg {
                    -v
                } else {
                    v
                }
            }
            DurationExpr::Paren { expr, .. } => expr.eval_secs(step, range)?,
            DurationExpr::MinOf { lhs, rhs, .. } => {
                lhs.eval_secs(step, range)?.min(rhs.eval_secs(step, range)?)
            }
            DurationExpr::MaxOf { lhs, rhs, .. } => {
                lhs.eval_secs(step, range)?.max(rhs.eval_secs(step, range)?)
            }
            DurationExpr::Binary { op, lhs, rhs, .. } => {
                let (a, b) = (lhs.eval_secs(step, range)?, rhs.eval_secs(step, range)?);
                match op {
                    BinaryOp::Add => a + b,
                    BinaryOp::Sub => a - b,
                    BinaryOp::Mul => a * b,
                    BinaryOp::Div => {
                        if b == 0.0 {
                            return Err("division by zero".to_string());
                        }
                        a / b
                    }
                    BinaryOp::Mod => {
                        if b == 0.0 {
                            return Err("modulo by zero".to_string());
                        }
                        a % b
                    }
                    BinaryOp::Pow => a.powf(b),
                    other => {
                        return Err(format!(
                            "operator {} not allowed in duration expression",
                            other.as_str()
                        ))
                    }
                }
            }
        })
    }

    /// True when the value depends on the query (`step()` or `range()`).
    pub fn uses_query_context(&self) -> bool {
        match self {
            DurationExpr::Literal { .. } => false,
            DurationExpr::Step { .. } | DurationExpr::Range { .. } => true,
            DurationExpr::Unary { expr, .. } | DurationExpr::Paren { expr, .. } => {
                expr.uses_query_context()
            }
            DurationExpr::Binary { lhs, rhs, .. }
            | DurationExpr::MinOf { lhs, rhs, .. }
            | DurationExpr::MaxOf { lhs, rhs, .. } => {
                lhs.uses_query_context() || rhs.uses_query_context()
            }
        }
    }
}

impl Expr {
    pub fn span(&self) -> Span {
        match self {
            Expr::NumberLiteral(n) => n.span,
            Expr::StringLiteral(s) => s.span,
            Expr::VectorSelector(v) => v.span,
            Expr::MatrixSelector(m) => m.span,
            Expr::Subquery(s) => s.span,
            Expr::Paren(p) => p.span,
            Expr::Unary(u) => u.span,
            Expr::Binary(b) => b.span,
            Expr::Aggregate(a) => a.span,
            Expr::Call(c) => c.span,
        }
    }

    pub fn value_type(&self) -> ValueType {
        match self {
            Expr::NumberLiteral(_) => ValueType::Scalar,
            Expr::StringLiteral(_) => ValueType::String,
            Expr::VectorSelector(_) => ValueType::Vector,
            Expr::MatrixSelector(_) | Expr::Subquery(_) => ValueType::Matrix,
            Expr::Paren(p) => p.expr.value_type(),
            Expr::Unary(u) => u.expr.value_type(),
            Expr::Binary(b) => {
                if b.lhs.value_type() == ValueType::Scalar
                    && b.rhs.value_type() == ValueType::Scalar
                {
                    ValueType::Scalar
                } else {
                    ValueType::Vector
                }
            }
            Expr::Aggregate(_) => ValueType::Vector,
            Expr::Call(c) => c.func.return_type,
        }
    }

    #[allow(dead_code)]
    pub(crate) fn set_span(&mut self, span: Span) {
        match self {
            Expr::NumberLiteral(n) => n.span = span,
            Expr::StringLiteral(s) => s.span = span,
            Expr::VectorSelector(v) => v.span = span,
            Expr::MatrixSelector(m) => m.span = span,
            Expr::Subquery(s) => s.span = span,
            Expr::Paren(p) => p.span = span,
            Expr::Unary(u) => u.span = span,
            Expr::Binary(b) => b.span = span,
            Expr::Aggregate(a) => a.span = span,
            Expr::Call(c) => c.span = span,
        }
    }
}
