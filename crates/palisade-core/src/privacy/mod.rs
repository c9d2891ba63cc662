//! Privacy operations: what Palisade holds about a person, and how it is found, exported and erased.
pub mod account;
pub mod company_export;
pub mod erasure;
pub mod registry;
pub mod retention;
pub mod self_export;
pub mod subject;
pub mod subject_export;
pub mod termination;
