//! Running a tenant: the audit trail, incidents, integrations, invitations, membership.
mod audit;
mod incidents;
mod integrations;
mod invitations;
mod membership;

/// The token in an invitation email: the last part of the join link in the paragraph that ends
/// "usable once):".
pub(crate) fn invitation_token(mail: &str) -> String {
    let after = mail.split("usable once):").nth(1).expect("token paragraph");
    let link = after.split_whitespace().next().expect("join link");
    link.rsplit("token=").next().unwrap().to_owned()
}
