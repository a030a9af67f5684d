//! Config errors carry the YAML position they are about, so every front end can point at it.

use std::fmt;

use crate::yaml::Pos;

/// A config that Prometheus would refuse, with Prometheus's message and where in the YAML.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConfigError {
    pub pos: Pos,
    pub message: String,
}

impl ConfigError {
    pub fn new(pos: Pos, message: impl Into<String>) -> Self {
        ConfigError { pos, message: message.into() }
    }
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.pos, self.message)
    }
}

impl std::error::Error for ConfigError {}
