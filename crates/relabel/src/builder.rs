//! A label builder that behaves like Go's `labels.Builder`, including the order `Range` visits
//! labels in: untouched input labels sorted by name, then labels set since, in the order they
//! were first set. `labelmap` writes in that order, so two sources mapped onto one name resolve
//! exactly as in Prometheus.

use model::{Label, Labels};

#[derive(Clone, Debug)]
pub struct Builder {
    base: Labels,
    add: Vec<Label>,
    del: Vec<String>,
}

impl Builder {
    pub fn new(base: Labels) -> Self {
        Builder { base, add: Vec::new(), del: Vec::new() }
    }

    /// The value, or "" when absent (as relabeling reads a missing label).
    pub fn get(&self, name: &str) -> &str {
        if let Some(l) = self.add.iter().find(|l| l.name == name) {
            return &l.value;
        }
        if self.del.iter().any(|d| d == name) {
            return "";
        }
        self.base.get_or_empty(name)
    }

    /// Sets a label; an empty value deletes it.
    pub fn set(&mut self, name: &str, value: &str) {
        if value.is_empty() {
            self.del(name);
            return;
        }
        match self.add.iter_mut().find(|l| l.name == name) {
            Some(l) => l.value = value.to_string(),
            None => self.add.push(Label::new(name, value)),
        }
    }

    pub fn del(&mut self, name: &str) {
        self.add.retain(|l| l.name != name);
        if !self.del.iter().any(|d| d == name) {
            self.del.push(name.to_string());
        }
    }

    /// A snapshot of the current labels in Go's `Range` order; changing the builder while
    /// walking the snapshot is therefore safe, as in Go.
    pub fn range(&self) -> Vec<Label> {
        let mut out: Vec<Label> = self
            .base
            .iter()
            .filter(|l| !self.del.contains(&l.name) && !self.add.iter().any(|a| a.name == l.name))
            .cloned()
            .collect();
        out.extend(self.add.iter().cloned());
        out
    }

    pub fn labels(&self) -> Labels {
        Labels::new(self.range())
    }
}
