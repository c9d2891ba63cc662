//! Leads, deals and interactions.
pub mod deals;
pub mod interactions;
pub mod leads;
