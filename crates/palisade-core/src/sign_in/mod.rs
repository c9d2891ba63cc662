//! Sign-in state kept by the database: magic links, sessions and refresh-token families
//! ([`sessions`]), second factors ([`mfa`]), OpenID Connect identities ([`oidc`]) and password
//! credentials ([`passwords`]). Secrets arrive here already hashed or sealed; the server checks them.
pub mod mfa;
pub mod oidc;
pub mod passwords;
pub mod sessions;
