//! Sign-in building blocks that need no database: access tokens Palisade signs, the browser session
//! cookie and its CSRF token, the cookie of an OpenID Connect sign-in in progress, password hashes,
//! TOTP codes, single-use secrets, and the clock the flows run on. The flows keep their state in the
//! database (`palisade_core::sign_in`) and speak HTTP in the server (`palisade_server::sign_in`).
pub mod browser_session;
mod clock;
pub mod oidc_flow_cookie;
pub mod password_hash;
mod secret;
mod tokens;
pub mod totp;

pub use clock::{Clock, ManualClock};
pub use secret::OpaqueSecret;
pub use tokens::{generate_secret, TokenError, TokenKeys, Verified, MAX_TTL, MIN_SECRET_LEN};
