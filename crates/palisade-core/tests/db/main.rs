//! Database-level tests: the policy matrix, its mutation check, the catalog gate, cancel safety and
//! the tenancy rules. One test binary, so the private cluster starts once.
mod cancel_safety;
mod catalog;
mod embedded;
mod mutation;
mod policy_matrix;
mod tenancy_rules;
