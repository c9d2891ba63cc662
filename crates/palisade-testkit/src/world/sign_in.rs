//! Sign-in state: sessions, a pending magic link, rep_a2's second factor and password, and OIDC
//! identities.
use std::time::Duration;

use palisade_core::sign_in::sessions::{self, ClientKind, Origin};
use palisade_db::{Db, Email};
use tokio_postgres::Client;
use uuid::Uuid;

use super::fixture_hash as h;
use super::people::People;

const DAY: Duration = Duration::from_secs(86_400);

#[derive(Clone, Copy, Debug)]
pub(super) struct Sessions {
    pub a1: Uuid,
    pub a2: Uuid,
}

/// Sessions through the sign-in functions: a browser session for rep_a1, an API session for rep_a2
/// whose first refresh token was rotated, and one pending magic link for rep_a1.
pub(super) async fn seed_sessions(db: &Db) -> Sessions {
    let origin = Origin::default();
    let a1 = sign_in(
        db,
        "rep-a1@a.test",
        "fixture-link-a1",
        ClientKind::Browser,
        "fixture-session-a1",
        &origin,
    )
    .await;
    let a2 = sign_in(
        db,
        "rep-a2@a.test",
        "fixture-link-a2",
        ClientKind::Api,
        "fixture-refresh-a2",
        &origin,
    )
    .await;
    rotate_a2_and_leave_link_a1(db).await;
    Sessions { a1, a2 }
}

/// Requests a magic link for `email` and consumes it at once; returns the new session.
async fn sign_in(db: &Db, email: &str, link: &str, kind: ClientKind, secret: &str, origin: &Origin) -> Uuid {
    let now = chrono::Utc::now();
    let mut tx = db.auth().await.unwrap();
    let sent = sessions::request_magic_link(
        &mut tx,
        &Email::parse(email).unwrap(),
        &h(link),
        &h("fixture-nonce"),
        now,
        DAY / 48,
        false,
    )
    .await
    .unwrap();
    assert!(sent);
    let signed_in = sessions::consume_magic_link(
        &mut tx,
        &h(link),
        &h("fixture-nonce"),
        kind,
        &h(secret),
        now,
        DAY * 90,
        origin,
    )
    .await
    .unwrap()
    .unwrap();
    tx.commit().await.unwrap();
    signed_in.session_id
}

/// Rotates rep_a2's refresh token once and leaves a magic link for rep_a1 pending.
async fn rotate_a2_and_leave_link_a1(db: &Db) {
    let mut tx = db.auth().await.unwrap();
    let rotated = sessions::refresh(
        &mut tx,
        &h("fixture-refresh-a2"),
        &h("fixture-refresh-a2-next"),
        chrono::Utc::now(),
        DAY,
        None,
    )
    .await
    .unwrap();
    assert!(matches!(rotated, sessions::Refreshed::Rotated(_)));
    sessions::request_magic_link(
        &mut tx,
        &Email::parse("rep-a1@a.test").unwrap(),
        &h("fixture-link"),
        &h("fixture-nonce"),
        chrono::Utc::now(),
        Duration::from_secs(3600),
        false,
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
}

/// rep_a2 has an active second factor (sealed bytes stand in for a secret; the policy matrix never
/// opens it) and ten recovery codes `fixture-recovery-0` … `-9`.
pub(super) async fn seed_second_factor(su: &Client, p: &People) {
    su.execute(
        "insert into auth.totp_factors (user_id, secret_sealed, key_id, confirmed_at, created_at) \
         values ($1, '\\x01'::bytea, 'fixture', now(), now())",
        &[p.rep_a2.as_uuid()],
    )
    .await
    .unwrap();
    su.execute(
        "insert into auth.recovery_codes (user_id, code_hash) \
         select $1, sha256(convert_to('fixture-recovery-' || n, 'UTF8')) from generate_series(0, 9) n",
        &[p.rep_a2.as_uuid()],
    )
    .await
    .unwrap();
}

/// rep_a2 also has a password (a well-formed hash nobody can sign in with).
pub(super) async fn seed_password(su: &Client, p: &People) {
    su.execute(
        "insert into auth.password_credentials (user_id, hash, updated_at) \
         values ($1, '$argon2id$v=19$m=19456,t=2,p=1$Zml4dHVyZQ$Zml4dHVyZQ', now())",
        &[p.rep_a2.as_uuid()],
    )
    .await
    .unwrap();
}

/// rep_a1 and rep_a2 have signed in with an OIDC provider once.
pub(super) async fn seed_oidc_identities(su: &Client, p: &People) {
    su.execute(
        "insert into auth.identities (issuer, subject, user_id, email, created_at, last_used_at) \
         values ('https://idp.fixture', 'a1', $1, 'rep-a1@a.test', now(), now()), \
                ('https://idp.fixture', 'a2', $2, 'rep-a2@a.test', now(), now())",
        &[p.rep_a1.as_uuid(), p.rep_a2.as_uuid()],
    )
    .await
    .unwrap();
}
