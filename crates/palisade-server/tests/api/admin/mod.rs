//! Running a tenant: the audit trail, integrations, invitations, membership.
mod audit;
mod integrations;
mod invitations;
mod membership;
