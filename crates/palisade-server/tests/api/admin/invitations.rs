//! Invitations end to end: the email carries the only copy of the token; accepting needs the invited
//! address; tokens are single-use, expire, and can be revoked; failures look alike.
use palisade_core::tenancy;
use palisade_testkit::{spawn_app, TestApp, Who};
use reqwest::{Method, StatusCode};
use serde::de::DeserializeOwned;
use serde_json::{json, Value};

use crate::client::Client;

fn token_in(mail: &str) -> String {
    super::invitation_token(mail)
}

async fn person(app: &TestApp, email: &str) -> String {
    let mut tx = app.db.db.auth().await.unwrap();
    let user = tenancy::ensure_user(&mut tx, email, None).await.unwrap();
    tx.commit().await.unwrap();
    app.token_for(user, None)
}

async fn accept<T: DeserializeOwned>(app: &TestApp, bearer: &str, token: &str, expect: StatusCode) -> T {
    Client::bearer(app, bearer)
        .post("/api/v1/invitations/accept", json!({ "token": token }), expect)
        .await
}

async fn invite(app: &TestApp, email: &str, role: &str) -> (Value, String) {
    let invitation: Value = Client::new(app, Some(Who::AdminA))
        .post(
            "/api/v1/invitations",
            json!({"email": email, "role": role}),
            StatusCode::CREATED,
        )
        .await;
    assert!(
        !invitation.to_string().contains("token"),
        "the API never returns the token: {invitation}"
    );
    let mail = app
        .mails()
        .into_iter()
        .find(|m| m.contains(&format!("To: {email}")))
        .expect("invitation mail");
    (invitation, token_in(&mail))
}

#[tokio::test]
async fn an_invited_person_joins_once_with_the_role_they_were_invited_with() {
    let app = spawn_app().await;
    let w = app.world();
    let admin = Client::new(&app, Some(Who::AdminA));
    let (invitation, token) = invite(&app, "new.manager@x.test", "manager").await;
    assert_eq!(invitation["status"], "pending");
    assert!(token.len() >= 43, "at least 256 bits, base64url: {token}");

    // Someone else holding the token gets the same 404 as a bad token.
    let stranger = person(&app, "stranger@x.test").await;
    let _: Value = accept(&app, &stranger, &token, StatusCode::NOT_FOUND).await;

    let invitee = person(&app, "New.Manager@x.test").await;
    let body: Value = accept(&app, &invitee, &token, StatusCode::OK).await;
    assert_eq!(body["tenant_id"], w.tenant_a.to_string());
    // Single use.
    let _: Value = accept(&app, &invitee, &token, StatusCode::NOT_FOUND).await;

    let members: Value = admin.get("/api/v1/members", StatusCode::OK).await;
    let joined = members
        .as_array()
        .unwrap()
        .iter()
        .find(|m| {
            m["email"]
                .as_str()
                .is_some_and(|e| e.eq_ignore_ascii_case("new.manager@x.test"))
        })
        .expect("member");
    assert_eq!(joined["role"], "manager");
    let list: Value = admin.get("/api/v1/invitations", StatusCode::OK).await;
    assert!(list
        .as_array()
        .unwrap()
        .iter()
        .any(|i| i["id"] == invitation["id"] && i["status"] == "accepted"));
    let log: Value = admin
        .get("/api/v1/audit/access?action=member_added", StatusCode::OK)
        .await;
    assert!(log["items"]
        .as_array()
        .unwrap()
        .iter()
        .any(|e| e["detail"]["via"] == "invitation"));
}

#[tokio::test]
async fn revoked_and_expired_invitations_cannot_be_used_and_members_cannot_be_reinvited() {
    let app = spawn_app().await;
    let admin = Client::new(&app, Some(Who::AdminA));
    let (revoked, token) = invite(&app, "revoked@x.test", "rep").await;
    let path = format!("/api/v1/invitations/{}", revoked["id"].as_str().unwrap());
    let () = admin.delete(&path, StatusCode::NO_CONTENT).await;
    let holder = person(&app, "revoked@x.test").await;
    let _: Value = accept(&app, &holder, &token, StatusCode::NOT_FOUND).await;

    let (_, token) = invite(&app, "late@x.test", "rep").await;
    app.db
        .superuser()
        .await
        .batch_execute(
            "update app.invitations set expires_at = now() - interval '1 second' where email = 'late@x.test'",
        )
        .await
        .unwrap();
    let late = person(&app, "late@x.test").await;
    let _: Value = accept(&app, &late, &token, StatusCode::NOT_FOUND).await;

    let _: Value = admin
        .post(
            "/api/v1/invitations",
            json!({"email": "rep-a1@a.test", "role": "admin"}),
            StatusCode::CONFLICT,
        )
        .await;
    // Mass assignment and bad input are refused (400 or 422: read raw).
    for body in [
        json!({"email": "x@x.test", "role": "rep", "tenant_id": app.world().tenant_b}),
        json!({"email": "not-an-email", "role": "rep"}),
        json!({"email": "x@x.test", "role": "owner"}),
    ] {
        let r = admin
            .request(Method::POST, "/api/v1/invitations")
            .json(&body)
            .send()
            .await
            .unwrap();
        assert!(r.status() == 400 || r.status() == 422, "{body}: {}", r.status());
    }
}
