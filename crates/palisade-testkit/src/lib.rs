//! Test support: a private PostgreSQL for the whole test process, a migrated and seeded template
//! database, a fresh database per test cloned from it, `spawn_app()` on port 0, and the identities of
//! the policy and HTTP matrices.
//!
//! Set `PALISADE_TEST_DATABASE_URL` (a superuser URL on a server where `palisade_runtime` may log in
//! without a password, e.g. trust on localhost) to use an existing server instead.
#![allow(
    clippy::disallowed_methods,
    reason = "test support opens raw admin and runtime connections"
)]
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "failed test setup must fail the test loudly"
)]

#[cfg(feature = "server")]
mod app;
mod cluster;
mod fake_hubspot;
mod fake_llm;
mod fake_oidc;
mod fake_resend;
mod fake_smtp;
#[cfg(feature = "server")]
mod fake_twilio;
pub mod matrix;
mod redis_server;
mod world;

#[cfg(feature = "server")]
pub use app::{spawn_app, spawn_app_with, test_config, TestApp};
pub use cluster::{test_db, TestDb};
pub use fake_hubspot::{
    Failure as HubspotFailure, FakeHubspot, FAKE_HUBSPOT_CLIENT_ID, FAKE_HUBSPOT_CLIENT_SECRET,
};
pub use fake_llm::{FakeLlm, LlmRequest, LlmStep};
pub use fake_oidc::{FakeIdp, IdpUser, Spoil, FAKE_CLIENT_ID, FAKE_CLIENT_SECRET};
pub use fake_resend::{FakeResend, ReceivedMail};
pub use fake_smtp::{FakeSmtp, SmtpMessage};
#[cfg(feature = "server")]
pub use fake_twilio::{FakeTwilioApi, SentText, TwilioReply, TwilioSender};
pub use redis_server::RedisServer;
pub use world::{fixture_hash, Who, World};
