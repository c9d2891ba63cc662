//! Shared request state. Holds the runtime pool behind `Db` (context transactions only).
use std::sync::{Arc, OnceLock};

use palisade_auth::TokenKeys;
use palisade_db::Db;
use palisade_jobs::StatusBoard;
use secrecy::SecretString;

use crate::metrics::Metrics;

#[derive(Clone)]
pub struct AppState {
    pub db: Db,
    pub keys: TokenKeys,
    pub body_limit: usize,
    /// The OpenAPI document, rendered once after the router is assembled.
    pub openapi: Arc<OnceLock<String>>,
    pub metrics: Arc<Metrics>,
    /// Job status when this instance runs the background jobs.
    pub jobs: Option<Arc<StatusBoard>>,
    pub metrics_token: Option<SecretString>,
    /// Error events being recorded at once (5xx responses), at most this many.
    pub error_reports: Arc<tokio::sync::Semaphore>,
    pub mailer: palisade_mail::Mailer,
    /// The address people use to reach this server (links in emails).
    pub public_url: String,
}
