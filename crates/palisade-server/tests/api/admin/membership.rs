//! Joining and leaving a tenant: nobody becomes a member without accepting an
//! invitation, an admin's answer never tells whether an address has an account, an admin signs a
//! member out of their own tenant only, members can leave, and an old invitation never brings back a
//! suspended or removed member.
use palisade_core::{membership, tenancy};
use palisade_db::{Principal, TenantId, TenantRole, UserId};
use palisade_testkit::{spawn_app, TestApp, Who};
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

use crate::client::{Client, ErrorBody};
use crate::sign_in::api_sign_in;

async fn person(app: &TestApp, email: &str) -> UserId {
    let mut tx = app.db.db.auth().await.unwrap();
    let user = tenancy::ensure_user(&mut tx, email, None).await.unwrap();
    tx.commit().await.unwrap();
    user
}

/// `GET /api/v1/leads` with `token`, acting in `tenant`: the expected status, then the body.
async fn in_tenant<T: serde::de::DeserializeOwned>(
    app: &TestApp,
    token: &str,
    tenant: TenantId,
    expect: StatusCode,
) -> T {
    Client::bearer(app, token)
        .header("x-palisade-tenant", &tenant.to_string())
        .get("/api/v1/leads", expect)
        .await
}

async fn status_in(app: &TestApp, tenant: TenantId, user: UserId) -> Option<String> {
    let su = app.db.superuser().await;
    su.query_opt(
        "select status from app.memberships where tenant_id = $1 and user_id = $2",
        &[tenant.as_uuid(), user.as_uuid()],
    )
    .await
    .unwrap()
    .map(|r| r.get(0))
}

/// Invites `email` to tenant A as its admin, expecting `expect`; returns the mailed token (when
/// the invitation was made).
async fn invite(app: &TestApp, email: &str, expect: StatusCode) -> Option<String> {
    let before = app.mails().len();
    let _: Value = Client::new(app, Some(Who::AdminA))
        .post(
            "/api/v1/invitations",
            json!({"email": email, "role": "rep"}),
            expect,
        )
        .await;
    if expect == StatusCode::CREATED {
        let mail = app.wait_for_mails(before + 1).await.pop().unwrap();
        Some(super::invitation_token(&mail))
    } else {
        None
    }
}

async fn accept(app: &TestApp, bearer: &str, token: &str, expect: StatusCode) {
    let body = json!({ "token": token });
    let _: Value = Client::bearer(app, bearer)
        .post("/api/v1/invitations/accept", body, expect)
        .await;
}

#[tokio::test]
async fn no_admin_can_make_an_existing_account_a_member_or_learn_that_it_exists() {
    let app = spawn_app().await;
    let w = app.world();
    // Anyone may create a tenant and so become an admin.
    let mallory = person(&app, "mallory@evil.test").await;
    let unscoped = Client::bearer(&app, app.token_for(mallory, None));
    let tenant: Value = unscoped
        .post(
            "/api/v1/tenants",
            json!({"slug": "evil", "name": "Evil"}),
            StatusCode::CREATED,
        )
        .await;
    let evil = TenantId::from_uuid(tenant["id"].as_str().unwrap().parse().unwrap());
    let admin = Client::bearer(&app, app.token_for(mallory, Some(evil)));

    // There is no way to add a member directly.
    let body = json!({"email": "rep-a1@a.test", "role": "rep"});
    admin
        .text(
            Method::POST,
            "/api/v1/members",
            Some(body),
            StatusCode::METHOD_NOT_ALLOWED,
        )
        .await;
    assert_eq!(status_in(&app, evil, w.rep_a1).await, None);

    // Inviting an account and an address nobody has gives answers of the same shape and status
    // (201 both).
    let invite_as_mallory = async |email: &str| {
        let body = json!({"email": email, "role": "admin"});
        let body: Value = admin.post("/api/v1/invitations", body, StatusCode::CREATED).await;
        let mut keys: Vec<String> = body.as_object().unwrap().keys().cloned().collect();
        keys.sort();
        (keys, body)
    };
    let (k1, existing) = invite_as_mallory("rep-a1@a.test").await;
    let (k2, _) = invite_as_mallory("nobody@nowhere.test").await;
    assert_eq!(k1, k2);
    let text = existing.to_string();
    assert!(!text.contains(&w.rep_a1.to_string()), "no user id: {text}");
    assert!(
        !k1.iter().any(|k| k == "user_id" || k == "display_name"),
        "{text}"
    );
    assert_eq!(status_in(&app, evil, w.rep_a1).await, None, "invited, not joined");

    // Nor can the admin end the person's sessions: they are no member of the admin's tenant.
    let victim = api_sign_in(&app, "rep-a1@a.test").await;
    let victim = victim["access_token"].as_str().unwrap();
    let path = format!("/api/v1/members/{}/sessions", w.rep_a1);
    let _: Value = admin.delete(&path, StatusCode::NOT_FOUND).await;
    let _: Value = in_tenant(&app, victim, w.tenant_a, StatusCode::OK).await;
}

#[tokio::test]
async fn signing_a_member_out_ends_their_access_to_that_tenant_only() {
    let app = spawn_app().await;
    let w = app.world();
    // rep_a1 also works for tenant B.
    let by = Principal {
        user_id: w.admin_b,
        tenant_id: Some(w.tenant_b),
    };
    membership::provision(&app.db.db, &by, "rep-a1@a.test", None, TenantRole::Rep)
        .await
        .unwrap();
    let session = api_sign_in(&app, "rep-a1@a.test").await;
    let token = session["access_token"].as_str().unwrap();
    let _: Value = in_tenant(&app, token, w.tenant_a, StatusCode::OK).await;
    let _: Value = in_tenant(&app, token, w.tenant_b, StatusCode::OK).await;

    let path = format!("/api/v1/members/{}/sessions", w.rep_a1);
    let () = Client::new(&app, Some(Who::AdminA))
        .delete(&path, StatusCode::NO_CONTENT)
        .await;
    let e: ErrorBody = in_tenant(&app, token, w.tenant_a, StatusCode::FORBIDDEN).await;
    assert_eq!(e.code(), "signed_out_of_tenant");
    // Tenant B's access is not A's to end.
    let _: Value = in_tenant(&app, token, w.tenant_b, StatusCode::OK).await;

    // Signing in again (later: the test clock stands still) restores tenant A.
    app.clock.advance(chrono::Duration::seconds(1));
    let again = api_sign_in(&app, "rep-a1@a.test").await;
    let token = again["access_token"].as_str().unwrap();
    let _: Value = in_tenant(&app, token, w.tenant_a, StatusCode::OK).await;
    // Another tenant's admin cannot sign them out of A.
    let _: Value = Client::new(&app, Some(Who::AdminB))
        .delete(
            &format!("/api/v1/members/{}/sessions", w.rep_a2),
            StatusCode::NOT_FOUND,
        )
        .await;
}

#[tokio::test]
async fn a_member_leaves_even_while_suspended_but_the_last_admin_cannot() {
    let app = spawn_app().await;
    let w = app.world();
    let admin = Client::new(&app, Some(Who::AdminA));
    let path = format!("/api/v1/members/{}", w.rep_a2);
    let member: Value = admin
        .patch(&path, json!({"status": "suspended"}), StatusCode::OK)
        .await;
    assert_eq!(member["status"], "suspended");
    let rep = Client::bearer(&app, app.token(Who::RepA2).unwrap());
    let e: ErrorBody = Client::new(&app, Some(Who::RepA2))
        .get("/api/v1/leads", StatusCode::FORBIDDEN)
        .await;
    assert_eq!(e.code(), "not_a_member");
    // Nothing to change is a 422, not a silent success.
    let _: Value = admin
        .patch(&path, json!({}), StatusCode::UNPROCESSABLE_ENTITY)
        .await;

    let leave = |tenant: TenantId| format!("/api/v1/tenants/{tenant}/membership");
    let _: Value = rep.delete(&leave(w.tenant_b), StatusCode::NOT_FOUND).await;
    let () = rep.delete(&leave(w.tenant_a), StatusCode::NO_CONTENT).await;
    assert_eq!(
        status_in(&app, w.tenant_a, w.rep_a2).await.as_deref(),
        Some("removed")
    );
    let _: Value = rep.delete(&leave(w.tenant_a), StatusCode::NOT_FOUND).await;

    // The tenant no longer sees who the person is.
    let mut tx = app.db.db.user(&w.principal(Who::AdminA).unwrap()).await.unwrap();
    let seen = tx
        .query("select email from app.users where id = $1", &[w.rep_a2.as_uuid()])
        .await
        .unwrap();
    assert!(seen.is_empty(), "a former member's user row is hidden");
    drop(tx);

    let e: ErrorBody = Client::bearer(&app, app.token(Who::AdminA).unwrap())
        .delete(&leave(w.tenant_a), StatusCode::CONFLICT)
        .await;
    assert_eq!(e.code(), "last_admin");
    let su = app.db.superuser().await;
    let left: i64 = su
        .query_one(
            "select count(*) from audit.access_events where action = 'member_left' and actor_user_id = $1",
            &[w.rep_a2.as_uuid()],
        )
        .await
        .unwrap()
        .get(0);
    assert_eq!(left, 1);
}

#[tokio::test]
async fn an_old_invitation_never_brings_back_a_removed_or_suspended_member() {
    let app = spawn_app().await;
    let w = app.world();
    let admin = Client::new(&app, Some(Who::AdminA));
    let x = person(&app, "x@x.test").await;
    let bearer = app.token_for(x, None);
    let first = invite(&app, "x@x.test", StatusCode::CREATED).await;
    let second = invite(&app, "x@x.test", StatusCode::CREATED).await;
    accept(&app, &bearer, &first.unwrap(), StatusCode::OK).await;
    let member = format!("/api/v1/members/{x}");
    let () = admin.delete(&member, StatusCode::NO_CONTENT).await;

    // The second invitation was made before the removal: it is dead.
    accept(&app, &bearer, &second.unwrap(), StatusCode::NOT_FOUND).await;
    assert_eq!(status_in(&app, w.tenant_a, x).await.as_deref(), Some("removed"));

    // A new invitation, made after the removal, brings the person back when they accept it.
    let third = invite(&app, "x@x.test", StatusCode::CREATED).await;
    let fourth = invite(&app, "x@x.test", StatusCode::CREATED).await;
    accept(&app, &bearer, &third.unwrap(), StatusCode::OK).await;
    assert_eq!(status_in(&app, w.tenant_a, x).await.as_deref(), Some("active"));

    // Suspended: no invitation can be made for them, and none made earlier reinstates them.
    let body = json!({"status": "suspended"});
    let _: Value = admin.patch(&member, body, StatusCode::OK).await;
    invite(&app, "x@x.test", StatusCode::CONFLICT).await;
    accept(&app, &bearer, &fourth.unwrap(), StatusCode::NOT_FOUND).await;
    assert_eq!(status_in(&app, w.tenant_a, x).await.as_deref(), Some("suspended"));

    // Reinstating is the admin's act.
    let body = json!({"status": "active"});
    let _: Value = admin.patch(&member, body, StatusCode::OK).await;
    assert_eq!(status_in(&app, w.tenant_a, x).await.as_deref(), Some("active"));
}

#[tokio::test]
async fn an_invitation_dies_with_its_senders_admin_rights() {
    let app = spawn_app().await;
    let w = app.world();
    let admin = Client::new(&app, Some(Who::AdminA));
    let manager = format!("/api/v1/members/{}", w.manager_a);
    let promote = |role: &str| json!({ "role": role });
    let _: Value = admin.patch(&manager, promote("admin"), StatusCode::OK).await;
    // The short-lived admin invites an address of their own as admin, and is demoted.
    let before = app.mails().len();
    let body = json!({"email": "back-door@x.test", "role": "admin"});
    let _: Value = Client::new(&app, Some(Who::ManagerA))
        .post("/api/v1/invitations", body, StatusCode::CREATED)
        .await;
    let mail = app.wait_for_mails(before + 1).await.pop().unwrap();
    let token = super::invitation_token(&mail);
    let _: Value = admin.patch(&manager, promote("manager"), StatusCode::OK).await;

    let back_door = person(&app, "back-door@x.test").await;
    let bearer = app.token_for(back_door, None);
    accept(&app, &bearer, &token, StatusCode::NOT_FOUND).await;
    assert_eq!(status_in(&app, w.tenant_a, back_door).await, None);

    // An admin cannot suspend, sign out or remove themselves by mistake: a clear 422, nothing changes.
    let me = format!("/api/v1/members/{}", w.admin_a);
    let e: ErrorBody = admin
        .patch(&me, json!({"status": "suspended"}), StatusCode::FORBIDDEN)
        .await;
    assert_eq!(e.code(), "not_yourself");
    let e: ErrorBody = admin
        .delete(&format!("{me}/sessions"), StatusCode::FORBIDDEN)
        .await;
    assert_eq!(e.code(), "not_yourself");
    // Beside another admin, removing oneself is also refused: leaving is the way out.
    let _: Value = admin.patch(&manager, promote("admin"), StatusCode::OK).await;
    let e: ErrorBody = admin.delete(&me, StatusCode::FORBIDDEN).await;
    assert_eq!(e.code(), "not_yourself");
    assert_eq!(
        status_in(&app, w.tenant_a, w.admin_a).await.as_deref(),
        Some("active")
    );
}
