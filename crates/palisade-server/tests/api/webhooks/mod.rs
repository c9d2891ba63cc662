//! Signed provider webhooks: Stripe and HubSpot, Resend and SendGrid, Meta.
mod crm_billing;
mod email;
mod meta;
