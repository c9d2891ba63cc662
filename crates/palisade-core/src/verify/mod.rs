//! `palisade verify`'s checks of a live database: the structural promises (`catalog`) and the
//! behavioural probe (`probe`). Each check names the promise it proves and, when it fails, what
//! breaks it; the command adds the deployment's configuration, keys and audit chains.
pub mod catalog;
pub mod probe;

use serde::Serialize;

/// One promise checked: passed when nothing breaks it.
#[derive(Debug, Clone, Serialize)]
pub struct Check {
    /// Stable, machine-readable.
    pub promise: &'static str,
    /// What is checked, for people.
    pub description: &'static str,
    pub passed: bool,
    /// What breaks the promise (object names and counts, never values).
    pub problems: Vec<String>,
}

impl Check {
    pub fn new(promise: &'static str, description: &'static str, problems: Vec<String>) -> Self {
        Self {
            promise,
            description,
            passed: problems.is_empty(),
            problems,
        }
    }
}
