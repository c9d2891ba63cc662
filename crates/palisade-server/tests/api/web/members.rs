//! The members page: an admin changes roles, suspends, signs out, removes and invites, as through the
//! API (access-logged, the same refusals); the invited person joins from the email's link; nobody
//! but an admin reaches any of it.
use palisade_core::tenancy;
use palisade_testkit::TestApp;

use super::{location, page, post_form};
use crate::admin::invitation_token;
use crate::sign_in::browser_sign_in;

async fn standing(app: &TestApp, user: uuid::Uuid) -> (String, String) {
    let su = app.db.superuser().await;
    let row = su
        .query_one(
            "select role, status from app.memberships where tenant_id = $1 and user_id = $2",
            &[app.world().tenant_a.as_uuid(), &user],
        )
        .await
        .unwrap();
    (row.get(0), row.get(1))
}

async fn access_logged(app: &TestApp, action: &str, target: uuid::Uuid) -> i64 {
    let su = app.db.superuser().await;
    su.query_one(
        "select count(*) from audit.access_events where action = $1 and target_id = $2",
        &[&action, &target.to_string()],
    )
    .await
    .unwrap()
    .get(0)
}

#[tokio::test]
async fn an_admin_changes_a_members_role_and_standing_and_each_change_is_logged() {
    let app = palisade_testkit::spawn_app().await;
    let w = app.world();
    let (tenant, rep) = (w.tenant_a, *w.rep_a1.as_uuid());
    let (admin, csrf) = browser_sign_in(&app, "admin-a@a.test").await;
    let members = format!("/t/{tenant}/members");
    let html = page(&app, &admin, &members).await.text().await.unwrap();
    assert!(
        html.contains("rep-a1@a.test") && html.contains("manager-a@a.test"),
        "{html}"
    );
    assert!(
        !html.contains("admin-b@b.test"),
        "another tenant's people are not listed"
    );

    let r = post_form(
        &app,
        &admin,
        &format!("{members}/{rep}/role"),
        &[("csrf", &csrf), ("role", "manager")],
    )
    .await;
    assert_eq!(location(&r), format!("{members}?done=role"));
    assert_eq!(standing(&app, rep).await.0, "manager");
    assert_eq!(access_logged(&app, "role_change", rep).await, 1);

    let status = format!("{members}/{rep}/status");
    let r = post_form(&app, &admin, &status, &[("csrf", &csrf), ("status", "suspended")]).await;
    assert_eq!(location(&r), format!("{members}?done=suspended"));
    assert_eq!(standing(&app, rep).await.1, "suspended");
    let html = page(&app, &admin, &format!("{members}?done=suspended"))
        .await
        .text()
        .await
        .unwrap();
    assert!(
        html.contains("Suspended: they can no longer act") && html.contains("Reinstate"),
        "{html}"
    );
    let r = post_form(&app, &admin, &status, &[("csrf", &csrf), ("status", "active")]).await;
    assert_eq!(location(&r), format!("{members}?done=reinstated"));
    assert_eq!(standing(&app, rep).await.1, "active");

    // Signed out of the workspace: their browser is told why and how to come back.
    let (rep_browser, _) = browser_sign_in(&app, "rep-a1@a.test").await;
    let r = post_form(
        &app,
        &admin,
        &format!("{members}/{rep}/sign-out"),
        &[("csrf", &csrf)],
    )
    .await;
    assert_eq!(location(&r), format!("{members}?done=signed-out"));
    let r = page(&app, &rep_browser, &format!("/t/{tenant}/leads")).await;
    assert_eq!(r.status(), 403);
    assert!(r.text().await.unwrap().contains("signed you out"));

    let r = post_form(
        &app,
        &admin,
        &format!("{members}/{rep}/remove"),
        &[("csrf", &csrf)],
    )
    .await;
    assert_eq!(location(&r), format!("{members}?done=removed"));
    assert_eq!(standing(&app, rep).await.1, "removed");
    assert_eq!(access_logged(&app, "member_removed", rep).await, 1);
    let html = page(&app, &admin, &members).await.text().await.unwrap();
    assert!(
        !html.contains(&format!("/members/{rep}/")),
        "a removed member is not listed"
    );
    // A next-page link that continues after someone who has left says it is stale.
    let r = page(&app, &admin, &format!("{members}?after={rep}")).await;
    assert_eq!(r.status(), 422);
    assert!(r
        .text()
        .await
        .unwrap()
        .contains("start again from the first page"));
}

#[tokio::test]
async fn refusals_say_why_on_the_page_and_change_nothing() {
    let app = palisade_testkit::spawn_app().await;
    let w = app.world();
    let (tenant, me) = (w.tenant_a, *w.admin_a.as_uuid());
    let (admin, csrf) = browser_sign_in(&app, "admin-a@a.test").await;
    let members = format!("/t/{tenant}/members");

    // The last admin, oneself: the page again, saying why, still an active admin.
    let r = post_form(
        &app,
        &admin,
        &format!("{members}/{me}/remove"),
        &[("csrf", &csrf)],
    )
    .await;
    assert_eq!(r.status(), 409);
    assert!(r.text().await.unwrap().contains("role=\"alert\""));
    let r = post_form(
        &app,
        &admin,
        &format!("{members}/{me}/role"),
        &[("csrf", &csrf), ("role", "rep")],
    )
    .await;
    assert_eq!(r.status(), 409, "the last admin cannot step down");
    let r = post_form(
        &app,
        &admin,
        &format!("{members}/{me}/sign-out"),
        &[("csrf", &csrf)],
    )
    .await;
    assert_eq!(r.status(), 403, "nobody signs themselves out of a workspace here");
    assert!(r.text().await.unwrap().contains("role=\"alert\""));
    assert_eq!(standing(&app, me).await, ("admin".into(), "active".into()));

    // Another tenant's member, an id that is not one, a role that does not exist.
    let theirs = *w.rep_b1.as_uuid();
    let r = post_form(
        &app,
        &admin,
        &format!("{members}/{theirs}/remove"),
        &[("csrf", &csrf)],
    )
    .await;
    assert_eq!(r.status(), 404);
    let r = post_form(
        &app,
        &admin,
        &format!("{members}/nobody/remove"),
        &[("csrf", &csrf)],
    )
    .await;
    assert_eq!(r.status(), 404);
    let rep = *w.rep_a1.as_uuid();
    let r = post_form(
        &app,
        &admin,
        &format!("{members}/{rep}/role"),
        &[("csrf", &csrf), ("role", "owner")],
    )
    .await;
    assert_eq!(r.status(), 400);
    let r = post_form(
        &app,
        &admin,
        &format!("{members}/{rep}/promote"),
        &[("csrf", &csrf)],
    )
    .await;
    assert_eq!(r.status(), 404, "no such action");
    assert_eq!(standing(&app, rep).await.0, "rep");
}

#[tokio::test]
async fn only_admins_reach_the_members_page_and_its_forms() {
    let app = palisade_testkit::spawn_app().await;
    let w = app.world();
    let (tenant, rep) = (w.tenant_a, *w.rep_a1.as_uuid());
    let members = format!("/t/{tenant}/members");
    for email in ["manager-a@a.test", "rep-a1@a.test"] {
        let (cookie, csrf) = browser_sign_in(&app, email).await;
        assert_eq!(page(&app, &cookie, &members).await.status(), 403, "{email}");
        let leads = page(&app, &cookie, &format!("/t/{tenant}/leads"))
            .await
            .text()
            .await
            .unwrap();
        assert!(!leads.contains("/members\""), "no Members link for {email}");
        let r = post_form(
            &app,
            &cookie,
            &format!("{members}/{rep}/status"),
            &[("csrf", &csrf), ("status", "suspended")],
        )
        .await;
        assert_eq!(r.status(), 403, "{email}");
        let r = post_form(
            &app,
            &cookie,
            &format!("/t/{tenant}/invitations"),
            &[("csrf", &csrf), ("email", "x@x.test"), ("role", "admin")],
        )
        .await;
        assert_eq!(r.status(), 403, "{email}");
    }
    assert_eq!(standing(&app, rep).await.1, "active");
    // An admin of another tenant: not found, as any tenant they are not in.
    let (other, _) = browser_sign_in(&app, "admin-b@b.test").await;
    assert_eq!(page(&app, &other, &members).await.status(), 404);
}

#[tokio::test]
async fn an_invitation_sent_from_the_page_is_joined_from_its_link() {
    let app = palisade_testkit::spawn_app().await;
    let tenant = app.world().tenant_a;
    let (admin, csrf) = browser_sign_in(&app, "admin-a@a.test").await;
    let invite = format!("/t/{tenant}/invitations");

    // A form with a mistake keeps what was typed and says what to fix next to the field.
    let r = post_form(
        &app,
        &admin,
        &invite,
        &[("csrf", &csrf), ("email", "  "), ("role", "manager")],
    )
    .await;
    assert_eq!(r.status(), 422);
    let html = r.text().await.unwrap();
    assert!(
        html.contains("invite-email-error") && html.contains("value=\"manager\" selected"),
        "{html}"
    );
    let r = post_form(
        &app,
        &admin,
        &invite,
        &[("csrf", &csrf), ("email", "rep-a2@a.test"), ("role", "rep")],
    )
    .await;
    assert_eq!(r.status(), 409, "already a member");
    assert!(r.text().await.unwrap().contains("value=\"rep-a2@a.test\""));

    let mut auth = app.db.db.auth().await.unwrap();
    tenancy::ensure_user(&mut auth, "newcomer@x.test", None)
        .await
        .unwrap();
    auth.commit().await.unwrap();
    let before = app.mails().len();
    let r = post_form(
        &app,
        &admin,
        &invite,
        &[("csrf", &csrf), ("email", "newcomer@x.test"), ("role", "manager")],
    )
    .await;
    assert_eq!(location(&r), format!("/t/{tenant}/members?done=invited"));
    let mail = app.wait_for_mails(before + 1).await.pop().unwrap();
    let token = invitation_token(&mail);
    assert!(mail.contains(&format!("/join?token={token}")), "{mail}");
    let html = page(&app, &admin, &format!("/t/{tenant}/members"))
        .await
        .text()
        .await
        .unwrap();
    assert!(
        html.contains("newcomer@x.test") && html.contains("pending"),
        "{html}"
    );
    assert!(!html.contains(&token), "the token is only in the email");

    // Opening the link joins nobody; pressing Join does, once.
    let (newcomer, their_csrf) = browser_sign_in(&app, "newcomer@x.test").await;
    let join = page(&app, &newcomer, &format!("/join?token={token}")).await;
    assert_eq!(join.status(), 200);
    assert!(
        page(&app, &newcomer, &format!("/t/{tenant}/leads"))
            .await
            .status()
            == 404
    );
    let fields = [("csrf", their_csrf.as_str()), ("token", token.as_str())];
    let r = post_form(&app, &newcomer, "/join", &fields).await;
    assert_eq!(location(&r), format!("/t/{tenant}/leads"));
    assert_eq!(
        page(&app, &newcomer, &format!("/t/{tenant}/leads"))
            .await
            .status(),
        200
    );
    assert_eq!(
        post_form(&app, &newcomer, "/join", &fields).await.status(),
        404,
        "used once"
    );
    // Without a session the link says to sign in first.
    let r = super::browser()
        .get(app.url(&format!("/join?token={token}")))
        .send()
        .await
        .unwrap();
    assert!(r.text().await.unwrap().contains("Sign in to join"));
}

#[tokio::test]
async fn a_revoked_invitation_no_longer_joins() {
    let app = palisade_testkit::spawn_app().await;
    let tenant = app.world().tenant_a;
    let (admin, csrf) = browser_sign_in(&app, "admin-a@a.test").await;
    let mut auth = app.db.db.auth().await.unwrap();
    tenancy::ensure_user(&mut auth, "late@x.test", None)
        .await
        .unwrap();
    auth.commit().await.unwrap();
    let before = app.mails().len();
    let fields = [("csrf", csrf.as_str()), ("email", "late@x.test"), ("role", "rep")];
    post_form(&app, &admin, &format!("/t/{tenant}/invitations"), &fields).await;
    let token = invitation_token(&app.wait_for_mails(before + 1).await.pop().unwrap());
    let su = app.db.superuser().await;
    let id: uuid::Uuid = su
        .query_one("select id from app.invitations where email = 'late@x.test'", &[])
        .await
        .unwrap()
        .get(0);

    let revoke = format!("/t/{tenant}/invitations/{id}/revoke");
    let r = post_form(&app, &admin, &revoke, &[("csrf", &csrf)]).await;
    assert_eq!(location(&r), format!("/t/{tenant}/members?done=revoked"));
    assert_eq!(
        post_form(&app, &admin, &revoke, &[("csrf", &csrf)])
            .await
            .status(),
        404
    );
    let (late, their_csrf) = browser_sign_in(&app, "late@x.test").await;
    let r = post_form(&app, &late, "/join", &[("csrf", &their_csrf), ("token", &token)]).await;
    assert_eq!(r.status(), 404);
    assert!(r.text().await.unwrap().contains("This invitation does not work"));
}
