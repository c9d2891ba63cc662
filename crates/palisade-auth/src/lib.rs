//! Authentication building blocks: access tokens Palisade signs, browser session credentials and
//! their CSRF tokens, single-use secrets, and the clock the flows run on. The flows themselves
//! (magic link, sessions, refresh) keep their state in the database (palisade-core `sessions`).
pub mod browser;
mod clock;
pub mod oidc_flow;
pub mod password;
mod secret;
mod tokens;
pub mod totp;

pub use clock::{Clock, ManualClock};
pub use secret::OpaqueSecret;
pub use tokens::{generate_secret, TokenError, TokenKeys, Verified, MAX_TTL, MIN_SECRET_LEN};
