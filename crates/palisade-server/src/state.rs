//! Shared request state. Holds the runtime pool behind `Db` (context transactions only).
use std::sync::{Arc, OnceLock};

use palisade_auth::TokenKeys;
use palisade_db::Db;

#[derive(Clone)]
pub struct AppState {
    pub db: Db,
    pub keys: TokenKeys,
    pub body_limit: usize,
    /// The OpenAPI document, rendered once after the router is assembled.
    pub openapi: Arc<OnceLock<String>>,
}
