//! Ending a workspace from the admin's pages, and following it from outside: typed-slug confirmation,
//! a fresh sign-in required, then nobody works in it while its admins (only they) download the export
//! or cancel from its termination page, which their workspace list leads to.
use reqwest::header::COOKIE;

use super::{access_logged, browser, location, page, post_form};
use crate::sign_in::browser_sign_in;

#[tokio::test]
async fn an_admin_ends_the_workspace_exports_it_meanwhile_and_cancels() {
    let app = palisade_testkit::spawn_app().await;
    let tenant = app.world().tenant_a;
    let end = format!("/t/{tenant}/termination");
    let (admin, csrf) = browser_sign_in(&app, "admin-a@a.test").await;
    let (rep, rep_csrf) = browser_sign_in(&app, "rep-a1@a.test").await;
    let (manager, manager_csrf) = browser_sign_in(&app, "manager-a@a.test").await;
    let (other_admin, other_csrf) = browser_sign_in(&app, "admin-b@b.test").await;
    let html = page(&app, &admin, &end).await.text().await.unwrap();
    assert!(html.contains("tenant-a") && html.contains("30 days"), "{html}");
    assert_eq!(page(&app, &manager, &end).await.status(), 403);
    let by_manager = [("csrf", manager_csrf.as_str()), ("confirm_slug", "tenant-a")];
    let r = post_form(&app, &manager, &end, &by_manager).await;
    assert_eq!(r.status(), 403, "not an admin");
    assert!(r.text().await.unwrap().contains("This page is for the workspace"));
    let by_other = [("csrf", other_csrf.as_str()), ("confirm_slug", "tenant-a")];
    assert_eq!(post_form(&app, &other_admin, &end, &by_other).await.status(), 404);

    let r = post_form(
        &app,
        &admin,
        &end,
        &[("csrf", &csrf), ("confirm_slug", "tenant-b")],
    )
    .await;
    assert_eq!(r.status(), 422);
    let html = r.text().await.unwrap();
    assert!(
        html.contains("id=\"confirm_slug-error\"") && html.contains("value=\"tenant-b\""),
        "{html}"
    );
    // A sign-in older than ten minutes is not enough; nothing changes.
    app.clock.advance(chrono::Duration::minutes(11));
    let confirmed = [("csrf", csrf.as_str()), ("confirm_slug", "tenant-a")];
    let r = post_form(&app, &admin, &end, &confirmed).await;
    assert_eq!(r.status(), 403);
    assert!(r.text().await.unwrap().contains("needs a fresh sign-in"));
    assert_eq!(
        page(&app, &rep, &format!("/t/{tenant}/leads")).await.status(),
        200
    );

    let (admin, csrf) = browser_sign_in(&app, "admin-a@a.test").await;
    let confirmed = [("csrf", csrf.as_str()), ("confirm_slug", "tenant-a")];
    let r = post_form(&app, &admin, &end, &confirmed).await;
    assert_eq!(r.status(), 303);
    let status = format!("/terminations/{tenant}");
    assert_eq!(location(&r), status);
    // Nobody works in it now, the admin included; the admin's workspace list leads to its page.
    assert_eq!(
        page(&app, &rep, &format!("/t/{tenant}/leads")).await.status(),
        404
    );
    assert_eq!(
        page(&app, &admin, &format!("/t/{tenant}/members")).await.status(),
        404
    );
    let r = page(&app, &admin, "/app").await;
    assert_eq!(
        r.status(),
        200,
        "one workspace being ended: the list, not a redirect"
    );
    let html = r.text().await.unwrap();
    assert!(html.contains(&format!("href=\"{status}\"")), "{html}");

    let html = page(&app, &admin, &status).await.text().await.unwrap();
    let file = format!("{status}/export/leads?format=csv");
    assert!(html.contains(&file) && html.contains("/cancel"), "{html}");
    for other in [&rep, &manager, &other_admin] {
        assert_eq!(page(&app, other, &status).await.status(), 404);
        let r = page(&app, other, "/app").await;
        assert!(!r.text().await.unwrap().contains(&status));
    }
    let download = |cookie: String, same_origin: bool| {
        let mut r = browser().get(app.url(&file)).header(COOKIE, cookie);
        if same_origin {
            r = r.header("sec-fetch-site", "same-origin");
        }
        r.send()
    };
    assert_eq!(download(admin.clone(), false).await.unwrap().status(), 403);
    assert_eq!(download(rep.clone(), true).await.unwrap().status(), 404);
    assert_eq!(download(other_admin.clone(), true).await.unwrap().status(), 404);
    let r = download(admin.clone(), true).await.unwrap();
    assert_eq!(r.status(), 200);
    assert!(r.text().await.unwrap().lines().next().unwrap().contains("name"));
    assert_eq!(access_logged(&app, "data_export").await, 1);

    let cancel = format!("{status}/cancel");
    // Others cannot cancel it: the same "not found" as for a workspace that is not being ended.
    assert_eq!(
        post_form(&app, &rep, &cancel, &[("csrf", &rep_csrf)])
            .await
            .status(),
        404
    );
    let r = post_form(&app, &other_admin, &cancel, &[("csrf", &other_csrf)]).await;
    assert_eq!(r.status(), 404);
    assert_eq!(
        page(&app, &rep, &format!("/t/{tenant}/leads")).await.status(),
        404
    );
    let r = post_form(&app, &admin, &cancel, &[("csrf", &csrf)]).await;
    assert_eq!(r.status(), 303);
    assert_eq!(location(&r), format!("/t/{tenant}/members"));
    assert_eq!(
        page(&app, &rep, &format!("/t/{tenant}/leads")).await.status(),
        200
    );
    assert_eq!(page(&app, &admin, &status).await.status(), 404);
    let again = post_form(&app, &admin, &cancel, &[("csrf", &csrf)]).await;
    assert_eq!(again.status(), 404);
}

#[tokio::test]
async fn an_admin_reads_the_incidents_that_named_the_workspace_and_no_others() {
    let app = palisade_testkit::spawn_app().await;
    let w = app.world();
    let (admin_a, _) = browser_sign_in(&app, "admin-a@a.test").await;
    let html = page(&app, &admin_a, &format!("/t/{}/incidents", w.tenant_a))
        .await
        .text()
        .await
        .unwrap();
    assert!(
        html.contains("Fixture incident") && html.contains("Affects tenant A"),
        "{html}"
    );
    assert!(!html.contains("tenant B only"), "{html}");
    let (admin_b, _) = browser_sign_in(&app, "admin-b@b.test").await;
    let html = page(&app, &admin_b, &format!("/t/{}/incidents", w.tenant_b))
        .await
        .text()
        .await
        .unwrap();
    assert!(
        html.contains("Affects tenant B only") && !html.contains("Affects tenant A<"),
        "{html}"
    );
    let (manager, _) = browser_sign_in(&app, "manager-a@a.test").await;
    let path = format!("/t/{}/incidents", w.tenant_a);
    assert_eq!(page(&app, &manager, &path).await.status(), 403);
    let r = page(&app, &admin_a, &format!("{path}?cursor=nope")).await;
    assert_eq!(r.status(), 400);
}
