//! Joining and leaving a tenant: nobody becomes a member without accepting an
//! invitation, an admin's answer never tells whether an address has an account, an admin signs a
//! member out of their own tenant only, members can leave, and an old invitation never brings back a
//! suspended or removed member.
use palisade_core::{membership, tenancy};
use palisade_db::{Principal, TenantId, TenantRole, UserId};
use palisade_testkit::{spawn_app, TestApp, Who};
use reqwest::{Method, Response};
use serde_json::{json, Value};

use crate::sign_in::api_sign_in;
use crate::{error_code, send};

async fn person(app: &TestApp, email: &str) -> UserId {
    let mut tx = app.db.db.auth().await.unwrap();
    let user = tenancy::ensure_user(&mut tx, email, None).await.unwrap();
    tx.commit().await.unwrap();
    user
}

async fn call(app: &TestApp, token: &str, method: Method, path: &str, body: Option<Value>) -> Response {
    let mut req = app.client.request(method, app.url(path)).bearer_auth(token);
    if let Some(body) = body {
        req = req.json(&body);
    }
    req.send().await.unwrap()
}

async fn in_tenant(app: &TestApp, token: &str, tenant: TenantId) -> Response {
    app.client
        .get(app.url("/api/v1/leads"))
        .bearer_auth(token)
        .header("x-palisade-tenant", tenant.to_string())
        .send()
        .await
        .unwrap()
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

/// Invites `email` to tenant A as its admin; returns the invitation's answer and the mailed token.
async fn invite(app: &TestApp, email: &str) -> (Response, Option<String>) {
    let before = app.mails().len();
    let r = send(
        app,
        Some(Who::AdminA),
        Method::POST,
        "/api/v1/invitations",
        Some(json!({"email": email, "role": "rep"})),
    )
    .await;
    let token = if r.status() == 201 {
        let mail = app.wait_for_mails(before + 1).await.pop().unwrap();
        let after = mail.split("usable once):").nth(1).expect("token paragraph");
        after.split_whitespace().next().map(str::to_owned)
    } else {
        None
    };
    (r, token)
}

/// `PATCH /api/v1/members/…` as tenant A's admin.
async fn patch_as_admin(app: &TestApp, path: &str, body: Value) -> Response {
    send(app, Some(Who::AdminA), Method::PATCH, path, Some(body)).await
}

async fn accept(app: &TestApp, bearer: &str, token: &str) -> u16 {
    let body = json!({ "token": token });
    let r = call(
        app,
        bearer,
        Method::POST,
        "/api/v1/invitations/accept",
        Some(body),
    )
    .await;
    r.status().as_u16()
}

#[tokio::test]
async fn no_admin_can_make_an_existing_account_a_member_or_learn_that_it_exists() {
    let app = spawn_app().await;
    let w = app.world();
    // Anyone may create a tenant and so become an admin.
    let mallory = person(&app, "mallory@evil.test").await;
    let unscoped = app.token_for(mallory, None);
    let r = call(
        &app,
        &unscoped,
        Method::POST,
        "/api/v1/tenants",
        Some(json!({"slug": "evil", "name": "Evil"})),
    )
    .await;
    assert_eq!(r.status(), 201);
    let evil = TenantId::from_uuid(
        r.json::<Value>().await.unwrap()["id"]
            .as_str()
            .unwrap()
            .parse()
            .unwrap(),
    );
    let admin = app.token_for(mallory, Some(evil));

    // There is no way to add a member directly.
    let body = json!({"email": "rep-a1@a.test", "role": "rep"});
    let r = call(&app, &admin, Method::POST, "/api/v1/members", Some(body)).await;
    assert_eq!(r.status(), 405);
    assert_eq!(status_in(&app, evil, w.rep_a1).await, None);

    // Inviting an account and an address nobody has gives answers of the same shape and status.
    let invite_as_mallory = async |email: &str| {
        let body = json!({"email": email, "role": "admin"});
        let r = call(&app, &admin, Method::POST, "/api/v1/invitations", Some(body)).await;
        let status = r.status();
        let body: Value = r.json().await.unwrap();
        let mut keys: Vec<String> = body.as_object().unwrap().keys().cloned().collect();
        keys.sort();
        (status, keys, body)
    };
    let (s1, k1, existing) = invite_as_mallory("rep-a1@a.test").await;
    let (s2, k2, _) = invite_as_mallory("nobody@nowhere.test").await;
    assert_eq!((s1.as_u16(), &k1), (s2.as_u16(), &k2));
    assert_eq!(s1, 201);
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
    assert_eq!(
        call(&app, &admin, Method::DELETE, &path, None).await.status(),
        404
    );
    assert_eq!(in_tenant(&app, victim, w.tenant_a).await.status(), 200);
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
    assert_eq!(in_tenant(&app, token, w.tenant_a).await.status(), 200);
    assert_eq!(in_tenant(&app, token, w.tenant_b).await.status(), 200);

    let path = format!("/api/v1/members/{}/sessions", w.rep_a1);
    let r = send(&app, Some(Who::AdminA), Method::DELETE, &path, None).await;
    assert_eq!(r.status(), 204);
    let r = in_tenant(&app, token, w.tenant_a).await;
    assert_eq!(r.status(), 403);
    assert_eq!(error_code(r).await, "signed_out_of_tenant");
    assert_eq!(
        in_tenant(&app, token, w.tenant_b).await.status(),
        200,
        "tenant B's access is not A's to end"
    );

    // Signing in again (later: the test clock stands still) restores tenant A.
    app.clock.advance(chrono::Duration::seconds(1));
    let again = api_sign_in(&app, "rep-a1@a.test").await;
    let token = again["access_token"].as_str().unwrap();
    assert_eq!(in_tenant(&app, token, w.tenant_a).await.status(), 200);
    // Another tenant's admin cannot sign them out of A.
    let r = send(
        &app,
        Some(Who::AdminB),
        Method::DELETE,
        &format!("/api/v1/members/{}/sessions", w.rep_a2),
        None,
    )
    .await;
    assert_eq!(r.status(), 404);
}

#[tokio::test]
async fn a_member_leaves_even_while_suspended_but_the_last_admin_cannot() {
    let app = spawn_app().await;
    let w = app.world();
    let path = format!("/api/v1/members/{}", w.rep_a2);
    let r = patch_as_admin(&app, &path, json!({"status": "suspended"})).await;
    assert_eq!(r.status(), 200);
    assert_eq!(r.json::<Value>().await.unwrap()["status"], "suspended");
    let rep = app.token(Who::RepA2).unwrap();
    let r = send(&app, Some(Who::RepA2), Method::GET, "/api/v1/leads", None).await;
    assert_eq!(error_code(r).await, "not_a_member");
    // Nothing to change is a 422, not a silent success.
    let r = patch_as_admin(&app, &path, json!({})).await;
    assert_eq!(r.status(), 422);

    let leave = |tenant: TenantId| format!("/api/v1/tenants/{tenant}/membership");
    assert_eq!(
        call(&app, &rep, Method::DELETE, &leave(w.tenant_b), None)
            .await
            .status(),
        404
    );
    assert_eq!(
        call(&app, &rep, Method::DELETE, &leave(w.tenant_a), None)
            .await
            .status(),
        204
    );
    assert_eq!(
        status_in(&app, w.tenant_a, w.rep_a2).await.as_deref(),
        Some("removed")
    );
    assert_eq!(
        call(&app, &rep, Method::DELETE, &leave(w.tenant_a), None)
            .await
            .status(),
        404
    );

    // The tenant no longer sees who the person is.
    let mut tx = app.db.db.user(&w.principal(Who::AdminA).unwrap()).await.unwrap();
    let seen = tx
        .query("select email from app.users where id = $1", &[w.rep_a2.as_uuid()])
        .await
        .unwrap();
    assert!(seen.is_empty(), "a former member's user row is hidden");
    drop(tx);

    let admin = app.token(Who::AdminA).unwrap();
    let r = call(&app, &admin, Method::DELETE, &leave(w.tenant_a), None).await;
    assert_eq!(r.status(), 409);
    assert_eq!(error_code(r).await, "last_admin");
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
    let x = person(&app, "x@x.test").await;
    let bearer = app.token_for(x, None);
    let (_, first) = invite(&app, "x@x.test").await;
    let (_, second) = invite(&app, "x@x.test").await;
    assert_eq!(accept(&app, &bearer, &first.unwrap()).await, 200);
    let member = format!("/api/v1/members/{x}");
    assert_eq!(
        send(&app, Some(Who::AdminA), Method::DELETE, &member, None)
            .await
            .status(),
        204
    );

    // The second invitation was made before the removal: it is dead.
    assert_eq!(accept(&app, &bearer, &second.unwrap()).await, 404);
    assert_eq!(status_in(&app, w.tenant_a, x).await.as_deref(), Some("removed"));

    // A new invitation, made after the removal, brings the person back when they accept it.
    let (_, third) = invite(&app, "x@x.test").await;
    let (_, fourth) = invite(&app, "x@x.test").await;
    assert_eq!(accept(&app, &bearer, &third.unwrap()).await, 200);
    assert_eq!(status_in(&app, w.tenant_a, x).await.as_deref(), Some("active"));

    // Suspended: no invitation can be made for them, and none made earlier reinstates them.
    let body = json!({"status": "suspended"});
    assert_eq!(patch_as_admin(&app, &member, body).await.status(), 200);
    let (r, _) = invite(&app, "x@x.test").await;
    assert_eq!(r.status(), 409);
    assert_eq!(accept(&app, &bearer, &fourth.unwrap()).await, 404);
    assert_eq!(status_in(&app, w.tenant_a, x).await.as_deref(), Some("suspended"));

    // Reinstating is the admin's act.
    let body = json!({"status": "active"});
    assert_eq!(patch_as_admin(&app, &member, body).await.status(), 200);
    assert_eq!(status_in(&app, w.tenant_a, x).await.as_deref(), Some("active"));
}

#[tokio::test]
async fn an_invitation_dies_with_its_senders_admin_rights() {
    let app = spawn_app().await;
    let w = app.world();
    let manager = format!("/api/v1/members/{}", w.manager_a);
    let promote = |role: &str| json!({ "role": role });
    let r = patch_as_admin(&app, &manager, promote("admin")).await;
    assert_eq!(r.status(), 200);
    // The short-lived admin invites an address of their own as admin, and is demoted.
    let before = app.mails().len();
    let body = json!({"email": "back-door@x.test", "role": "admin"});
    let r = send(
        &app,
        Some(Who::ManagerA),
        Method::POST,
        "/api/v1/invitations",
        Some(body),
    )
    .await;
    assert_eq!(r.status(), 201);
    let mail = app.wait_for_mails(before + 1).await.pop().unwrap();
    let token = mail
        .split("usable once):")
        .nth(1)
        .unwrap()
        .split_whitespace()
        .next()
        .unwrap()
        .to_owned();
    let r = patch_as_admin(&app, &manager, promote("manager")).await;
    assert_eq!(r.status(), 200);

    let back_door = person(&app, "back-door@x.test").await;
    let bearer = app.token_for(back_door, None);
    assert_eq!(accept(&app, &bearer, &token).await, 404);
    assert_eq!(status_in(&app, w.tenant_a, back_door).await, None);

    // An admin cannot suspend, sign out or remove themselves by mistake: a clear 422, nothing changes.
    let me = format!("/api/v1/members/{}", w.admin_a);
    let r = patch_as_admin(&app, &me, json!({"status": "suspended"})).await;
    assert_eq!(r.status(), 422);
    assert_eq!(error_code(r).await, "not_yourself");
    let r = send(
        &app,
        Some(Who::AdminA),
        Method::DELETE,
        &format!("{me}/sessions"),
        None,
    )
    .await;
    assert_eq!(error_code(r).await, "not_yourself");
    // Beside another admin, removing oneself is also refused: leaving is the way out.
    let r = patch_as_admin(&app, &manager, promote("admin")).await;
    assert_eq!(r.status(), 200);
    let r = send(&app, Some(Who::AdminA), Method::DELETE, &me, None).await;
    assert_eq!(error_code(r).await, "not_yourself");
    assert_eq!(
        status_in(&app, w.tenant_a, w.admin_a).await.as_deref(),
        Some("active")
    );
}
