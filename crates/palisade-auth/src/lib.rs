//! Authentication. For now: access tokens that Palisade signs itself (sign-in flows come later).
mod tokens;

pub use tokens::{generate_secret, TokenError, TokenKeys, MAX_TTL, MIN_SECRET_LEN};
