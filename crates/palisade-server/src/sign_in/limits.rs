//! Rate limits on sign-in: magic links per email address, sign-in attempts per client IP. In memory
//! by default; with `PALISADE_REDIS_URL`, in Redis, so every instance counts against the same limit.
//! Keys are an HMAC under a server key before they are used, so neither backend holds an email
//! address, and a stolen Redis dump cannot be matched against a list of addresses.
use std::net::IpAddr;
use std::num::NonZeroU32;
use std::sync::Arc;
use std::time::Duration;

use axum::http::StatusCode;
use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};
use hmac::{Hmac, Mac};
use secrecy::{ExposeSecret, SecretString};
use sha2::Sha256;

use crate::error::ApiError;

const WINDOW: Duration = Duration::from_secs(3600);

/// What is being limited.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Bucket {
    MagicLinkEmail,
    PasswordEmail,
    /// Second-factor codes per person, across all their sessions.
    MfaUser,
    SignInIp,
}

impl Bucket {
    const fn name(self) -> &'static str {
        match self {
            Self::MagicLinkEmail => "magic_link_email",
            Self::PasswordEmail => "password_email",
            Self::MfaUser => "mfa_user",
            Self::SignInIp => "sign_in_ip",
        }
    }
}

#[derive(Debug)]
pub enum Limited {
    /// Over the limit: try again after this long.
    Wait(Duration),
    /// The shared limiter could not be asked. Sign-in fails closed rather than unlimited.
    Unavailable,
}

impl From<Limited> for ApiError {
    fn from(limited: Limited) -> Self {
        match limited {
            Limited::Wait(wait) => {
                let secs = wait.as_secs() + u64::from(wait.subsec_nanos() > 0);
                ApiError::new(
                    StatusCode::TOO_MANY_REQUESTS,
                    "rate_limited",
                    "too many sign-in attempts; try again later",
                )
                .with_retry_after(secs.max(1))
            }
            Limited::Unavailable => ApiError::new(
                StatusCode::SERVICE_UNAVAILABLE,
                "rate_limiter_unavailable",
                "sign-in is temporarily unavailable; try again shortly",
            )
            .with_retry_after(5),
        }
    }
}

#[derive(Clone)]
pub struct SignInLimits {
    secret: Arc<[u8; 32]>,
    per_email: u32,
    per_password_email: u32,
    per_ip: u32,
    backend: Backend,
}

#[derive(Clone)]
enum Backend {
    Memory {
        email: Arc<DefaultKeyedRateLimiter<[u8; 16]>>,
        password: Arc<DefaultKeyedRateLimiter<[u8; 16]>>,
        ip: Arc<DefaultKeyedRateLimiter<[u8; 16]>>,
    },
    Redis(redis::aio::ConnectionManager),
}

/// Fixed window per key: the first hit starts the window. Returns the count and the window's
/// remaining milliseconds.
const REDIS_SCRIPT: &str = r"
local n = redis.call('INCR', KEYS[1])
if n == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
return {n, redis.call('PTTL', KEYS[1])}
";

fn hashed(secret: &[u8; 32], bucket: Bucket, key: &str) -> [u8; 16] {
    let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(secret)
        .unwrap_or_else(|_| unreachable!("HMAC accepts keys of any length"));
    mac.update(bucket.name().as_bytes());
    mac.update(&[0]);
    mac.update(key.as_bytes());
    let digest = mac.finalize().into_bytes();
    let mut out = [0u8; 16];
    out.copy_from_slice(&digest[..16]);
    out
}

fn keyed(per_hour: u32) -> Arc<DefaultKeyedRateLimiter<[u8; 16]>> {
    let n = NonZeroU32::new(per_hour).unwrap_or(NonZeroU32::MIN);
    let period = WINDOW / n.get();
    let quota = Quota::with_period(period)
        .unwrap_or_else(|| Quota::per_hour(n))
        .allow_burst(n);
    let limiter = Arc::new(RateLimiter::keyed(quota));
    let weak = Arc::downgrade(&limiter);
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(Duration::from_secs(300));
        loop {
            tick.tick().await;
            let Some(limiter) = weak.upgrade() else { break };
            limiter.retain_recent();
            limiter.shrink_to_fit();
        }
    });
    limiter
}

impl SignInLimits {
    pub fn memory(secret: [u8; 32], per_email: u32, per_password_email: u32, per_ip: u32) -> Self {
        Self {
            secret: Arc::new(secret),
            per_email,
            per_password_email,
            per_ip,
            backend: Backend::Memory {
                email: keyed(per_email),
                password: keyed(per_password_email),
                ip: keyed(per_ip),
            },
        }
    }

    /// Connects to Redis now, so a wrong URL stops the server at start instead of at the first
    /// sign-in.
    pub async fn redis(
        url: &SecretString,
        secret: [u8; 32],
        per_email: u32,
        per_password_email: u32,
        per_ip: u32,
    ) -> Result<Self, String> {
        let client = redis::Client::open(url.expose_secret())
            .map_err(|e| format!("PALISADE_REDIS_URL is not a valid Redis URL: {}", e.category()))?;
        let config = redis::aio::ConnectionManagerConfig::new()
            .set_connection_timeout(Some(Duration::from_secs(5)))
            .set_response_timeout(Some(Duration::from_secs(2)))
            .set_number_of_retries(2);
        let manager = redis::aio::ConnectionManager::new_with_config(client, config)
            .await
            .map_err(|e| format!("Redis at PALISADE_REDIS_URL is unreachable: {}", e.category()))?;
        Ok(Self {
            secret: Arc::new(secret),
            per_email,
            per_password_email,
            per_ip,
            backend: Backend::Redis(manager),
        })
    }

    pub fn backend_name(&self) -> &'static str {
        match self.backend {
            Backend::Memory { .. } => "memory",
            Backend::Redis(_) => "redis",
        }
    }

    pub async fn magic_link_for(&self, email: &str) -> Result<(), Limited> {
        self.check(Bucket::MagicLinkEmail, &email.to_lowercase()).await
    }

    pub async fn password_for(&self, email: &str) -> Result<(), Limited> {
        self.check(Bucket::PasswordEmail, &email.to_lowercase()).await
    }

    /// Second-factor attempts against one person, whatever session or address they come from (the
    /// same limit as password attempts per address).
    pub async fn mfa_for(&self, user: &uuid::Uuid) -> Result<(), Limited> {
        self.check(Bucket::MfaUser, &user.to_string()).await
    }

    /// A request without a peer address (none in practice) shares one bucket.
    pub async fn sign_in_from(&self, ip: Option<IpAddr>) -> Result<(), Limited> {
        let key = ip.map(|ip| ip.to_string()).unwrap_or_default();
        self.check(Bucket::SignInIp, &key).await
    }

    async fn check(&self, bucket: Bucket, key: &str) -> Result<(), Limited> {
        let key = hashed(&self.secret, bucket, key);
        match &self.backend {
            Backend::Memory { email, password, ip } => {
                let limiter = match bucket {
                    Bucket::MagicLinkEmail => email,
                    Bucket::PasswordEmail | Bucket::MfaUser => password,
                    Bucket::SignInIp => ip,
                };
                limiter.check_key(&key).map_err(|not_until| {
                    Limited::Wait(not_until.wait_time_from(DefaultClock::default().now()))
                })
            }
            Backend::Redis(manager) => {
                let limit = match bucket {
                    Bucket::MagicLinkEmail => self.per_email,
                    Bucket::PasswordEmail | Bucket::MfaUser => self.per_password_email,
                    Bucket::SignInIp => self.per_ip,
                };
                let redis_key = format!("palisade:limit:{}:{}", bucket.name(), hex::encode(key));
                let window_ms = u64::try_from(WINDOW.as_millis()).unwrap_or(u64::MAX);
                let mut conn = manager.clone();
                let (count, ttl_ms): (u64, i64) = redis::Script::new(REDIS_SCRIPT)
                    .key(redis_key)
                    .arg(window_ms)
                    .invoke_async(&mut conn)
                    .await
                    .map_err(|e| {
                        tracing::error!(error = %e.category(), "the Redis rate limiter failed");
                        Limited::Unavailable
                    })?;
                if count > u64::from(limit) {
                    let wait = u64::try_from(ttl_ms).unwrap_or(1000).max(1000);
                    return Err(Limited::Wait(Duration::from_millis(wait)));
                }
                Ok(())
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn memory_limits_per_key_and_says_when_to_come_back() {
        let limits = SignInLimits::memory([7; 32], 3, 3, 2);
        for _ in 0..3 {
            limits.magic_link_for("A@x.test").await.unwrap();
        }
        // Case does not make a new address.
        match limits.magic_link_for("a@X.test").await {
            Err(Limited::Wait(wait)) => assert!(wait > Duration::ZERO && wait <= WINDOW),
            other => panic!("expected a wait, got {other:?}"),
        }
        limits.magic_link_for("b@x.test").await.unwrap();
        let ip: IpAddr = "10.0.0.1".parse().unwrap();
        limits.sign_in_from(Some(ip)).await.unwrap();
        limits.sign_in_from(Some(ip)).await.unwrap();
        assert!(limits.sign_in_from(Some(ip)).await.is_err());
        limits
            .sign_in_from(Some("10.0.0.2".parse().unwrap()))
            .await
            .unwrap();
    }

    #[test]
    fn keys_are_hashed_per_bucket() {
        let k = [1; 32];
        assert_ne!(
            hashed(&k, Bucket::MagicLinkEmail, "x"),
            hashed(&k, Bucket::SignInIp, "x")
        );
        assert_ne!(
            hashed(&k, Bucket::SignInIp, "x"),
            hashed(&[2; 32], Bucket::SignInIp, "x")
        );
        assert_ne!(
            hashed(&k, Bucket::MagicLinkEmail, "x"),
            hashed(&k, Bucket::PasswordEmail, "x")
        );
        assert_eq!(
            hashed(&k, Bucket::SignInIp, "x"),
            hashed(&k, Bucket::SignInIp, "x")
        );
    }
}
