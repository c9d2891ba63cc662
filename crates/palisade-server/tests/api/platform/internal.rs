//! The internal endpoints: only the cron secret opens them (compared in constant time; none
//! configured opens nothing); a job runs on request; a call transcript becomes a masked interaction
//! and coaching for the rep alone, who must be an active member.
use palisade_testkit::{spawn_app, spawn_app_with, TestApp, Who};
use reqwest::StatusCode;
use secrecy::SecretString;
use serde_json::{json, Value};

use crate::client::{Client, ErrorBody};

const SECRET: &str = "cron-secret-0123456789abcdef0123456789";

/// Requests with `token` as the bearer (`None`: no token).
fn internal<'a>(app: &'a TestApp, token: Option<&str>) -> Client<'a> {
    match token {
        Some(token) => Client::bearer(app, token),
        None => Client::anonymous(app),
    }
}

const INGEST: &str = "/internal/ingest/call-transcript";

#[tokio::test]
async fn only_the_cron_secret_opens_the_internal_endpoints() {
    let app = spawn_app_with(|c| c.cron_secret = Some(SecretString::from(SECRET))).await;
    for token in [
        None,
        Some("wrong"),
        Some(&SECRET[..SECRET.len() - 1]),
        Some(&*format!("{SECRET}x")),
    ] {
        let _: Value = internal(&app, token)
            .post_empty("/internal/cron/audit_seal", StatusCode::UNAUTHORIZED)
            .await;
    }
    // A person's token is not the secret, even an admin's.
    let _: Value = Client::new(&app, Some(Who::AdminA))
        .post_empty("/internal/cron/audit_seal", StatusCode::UNAUTHORIZED)
        .await;

    let cron = internal(&app, Some(SECRET));
    let run: Value = cron.post_empty("/internal/cron/audit_seal", StatusCode::OK).await;
    assert_eq!(run["job"], "audit_seal");
    assert!(
        run["done"].as_u64().unwrap() > 0,
        "the fixture's audit events were sealed"
    );
    let _: Value = cron
        .post_empty("/internal/cron/nope", StatusCode::NOT_FOUND)
        .await;
    let _: Value = cron
        .post("/internal/ingest/nope", json!({}), StatusCode::NOT_FOUND)
        .await;

    // No secret configured: nothing opens them.
    let closed = spawn_app().await;
    for token in [SECRET, ""] {
        let _: Value = internal(&closed, Some(token))
            .post_empty("/internal/cron/audit_seal", StatusCode::UNAUTHORIZED)
            .await;
    }
}

#[tokio::test]
async fn a_call_transcript_becomes_a_masked_interaction_and_private_coaching() {
    let app = spawn_app_with(|c| c.cron_secret = Some(SECRET.into())).await;
    let w = app.world();
    let body = |rep: uuid::Uuid, lead: uuid::Uuid| {
        json!({
            "tenant_id": w.tenant_a, "lead_id": lead, "rep_id": rep,
            "transcript": "Customer read out 4111 1111 1111 1111 for the deposit.",
            "coaching": [{"category": "compliance", "observation": "Stop the caller reading card numbers aloud."}],
        })
    };
    let cron = internal(&app, Some(SECRET));
    let ingested: Value = cron
        .post(INGEST, body(*w.rep_a1.as_uuid(), w.lead_a1), StatusCode::CREATED)
        .await;
    let interaction = ingested["interaction_id"].as_str().unwrap();
    assert_eq!(ingested["coaching_ids"].as_array().unwrap().len(), 1);

    let rep = Client::new(&app, Some(Who::RepA1));
    let got: Value = rep
        .get(&format!("/api/v1/interactions/{interaction}"), StatusCode::OK)
        .await;
    assert_eq!(
        got["body"],
        "Customer read out **** **** **** 1111 for the deposit."
    );
    assert_eq!(got["actor_id"], w.rep_a1.to_string());
    assert_eq!(got["channel"], "call");
    // The coaching is the rep's alone.
    let coaching_id = ingested["coaching_ids"][0].as_str().unwrap();
    let path = format!("/api/v1/me/coaching/{coaching_id}");
    let _: Value = rep.get(&path, StatusCode::OK).await;
    for who in [Who::ManagerA, Who::AdminA, Who::RepA2] {
        let _: Value = Client::new(&app, Some(who))
            .get(&path, StatusCode::NOT_FOUND)
            .await;
    }

    // A former member, another tenant's lead, unknown fields: refused, nothing written.
    let su = app.db.superuser().await;
    let before: i64 = su
        .query_one("select count(*) from app.interactions", &[])
        .await
        .unwrap()
        .get(0);
    for (body, code) in [
        (body(*w.removed_a.as_uuid(), w.lead_a1), "unknown_member"),
        (body(*w.rep_a1.as_uuid(), w.lead_b1), "unknown_lead"),
    ] {
        // A record the body names that is not there is a 404, as at its own path.
        let e: ErrorBody = cron.post(INGEST, body, StatusCode::NOT_FOUND).await;
        assert_eq!(e.code(), code);
    }
    let mut extra = body(*w.rep_a1.as_uuid(), w.lead_a1);
    extra["owner_id"] = json!(w.rep_a2);
    // Read as text: a body the JSON extractor refuses need not be JSON.
    cron.text(
        reqwest::Method::POST,
        INGEST,
        Some(extra),
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    let after: i64 = su
        .query_one("select count(*) from app.interactions", &[])
        .await
        .unwrap()
        .get(0);
    assert_eq!(after, before);
}

#[tokio::test]
async fn a_retried_transcript_with_its_idempotency_key_is_recorded_once() {
    let app = spawn_app_with(|c| c.cron_secret = Some(SECRET.into())).await;
    let w = app.world();
    let body = |key: &str, transcript: &str| {
        json!({
            "tenant_id": w.tenant_a, "lead_id": w.lead_a1, "rep_id": w.rep_a1,
            "transcript": transcript, "idempotency_key": key,
            "coaching": [{"category": "pace", "observation": "Slow down."}],
        })
    };
    let cron = internal(&app, Some(SECRET));
    let ingest = async |body: Value, expect: StatusCode| -> Value { cron.post(INGEST, body, expect).await };
    let su = app.db.superuser().await;
    let count = async |sql: &str| -> i64 { su.query_one(sql, &[]).await.unwrap().get(0) };
    let interactions = "select count(*) from app.interactions where body = 'Call about the renewal.'";
    let coaching = "select count(*) from app.coaching_observations where observation = 'Slow down.'";

    let first = ingest(body("rec-42", "Call about the renewal."), StatusCode::CREATED).await;
    // The recorder retries (its answer was lost): the same answer, nothing written again.
    let again = ingest(body("rec-42", "Call about the renewal."), StatusCode::OK).await;
    assert_eq!(again, first);
    assert_eq!((count(interactions).await, count(coaching).await), (1, 1));

    // The same key for another transcript is a mistake, not a retry.
    let refused = ingest(body("rec-42", "Another call."), StatusCode::UNPROCESSABLE_ENTITY).await;
    assert_eq!(refused["error"]["code"], "idempotency_key_reused");
    for bad in ["", &"k".repeat(181)] {
        ingest(
            body(bad, "Call about the renewal."),
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    }
    // Another key is another transcript; no key at all records every time.
    ingest(body("rec-43", "Call about the renewal."), StatusCode::CREATED).await;
    let mut keyless = body("x", "Call about the renewal.");
    keyless.as_object_mut().unwrap().remove("idempotency_key");
    for _ in 0..2 {
        ingest(keyless.clone(), StatusCode::CREATED).await;
    }
    assert_eq!((count(interactions).await, count(coaching).await), (4, 4));
}

#[tokio::test]
async fn an_ingest_result_holds_no_plain_digest_and_nobody_in_the_tenant_reads_it() {
    use sha2::{Digest, Sha256};
    let app = spawn_app_with(|c| c.cron_secret = Some(SECRET.into())).await;
    let w = app.world();
    let transcript = "Card 4111 1111 1111 1111, expiry next year.";
    let coaching = json!([{"category": "pace", "observation": "Slow down."}]);
    let body = json!({
        "tenant_id": w.tenant_a, "lead_id": w.lead_a1, "rep_id": w.rep_a1,
        "transcript": transcript, "idempotency_key": "rec-card", "coaching": coaching,
    });
    let cron = internal(&app, Some(SECRET));
    let first: Value = cron.post(INGEST, &body, StatusCode::CREATED).await;

    // What an attacker who knows everything but the card number would hash, guess after guess.
    let canonical = json!([
        w.tenant_a,
        w.lead_a1,
        w.rep_a1,
        transcript,
        null,
        null,
        [["pace", "Slow down."]]
    ])
    .to_string();
    let plain = hex::encode(Sha256::digest(canonical.as_bytes()));
    let su = app.db.superuser().await;
    let stored: Value = su
        .query_one(
            "select result from app.webhook_events where provider = 'ingest' and event_id = 'call-transcript:rec-card'",
            &[],
        )
        .await
        .unwrap()
        .get(0);
    let text = stored.to_string();
    assert!(
        !text.contains(&plain),
        "a plain SHA-256 of the request is stored: {text}"
    );
    assert!(
        stored["request_hmac"].as_str().is_some_and(|h| h.len() >= 68),
        "{text}"
    );

    // The tenant's admins (and everyone else in the user context) cannot read the column at all.
    let mut tx = app.db.db.user(&w.principal(Who::AdminA).unwrap()).await.unwrap();
    let err = tx
        .query("select result from app.webhook_events", &[])
        .await
        .unwrap_err();
    assert!(matches!(err, palisade_db::DbError::PermissionDenied), "{err:?}");
    drop(tx);

    // A retry is still recognised under the keyed digest.
    let again: Value = cron.post(INGEST, &body, StatusCode::OK).await;
    assert_eq!(again, first);
}
