//! The admin's access log and sign-in rules pages, and the tabs that join the admin's pages.
use super::{location, page, post_form};
use crate::sign_in::browser_sign_in;

#[tokio::test]
async fn the_access_log_lists_sensitive_actions_filtered_by_action() {
    let app = palisade_testkit::spawn_app().await;
    let w = app.world();
    let (tenant, rep) = (w.tenant_a, *w.rep_a1.as_uuid());
    let (admin, csrf) = browser_sign_in(&app, "admin-a@a.test").await;
    let role = [("csrf", csrf.as_str()), ("role", "manager")];
    post_form(&app, &admin, &format!("/t/{tenant}/members/{rep}/role"), &role).await;

    let access = format!("/t/{tenant}/access");
    let html = page(&app, &admin, &access).await.text().await.unwrap();
    assert!(html.contains("data-label=\"Action\">role change<"), "{html}");
    assert!(html.contains(&format!("member {rep}")), "{html}");
    let html = page(&app, &admin, &format!("{access}?action=role_change"))
        .await
        .text()
        .await
        .unwrap();
    assert_eq!(html.matches("data-label=\"Action\">").count(), 1, "{html}");
    assert!(
        html.contains("value=\"role_change\" selected"),
        "the filter is shown back"
    );
    assert_eq!(
        page(&app, &admin, &format!("{access}?action=bogus"))
            .await
            .status(),
        400
    );
    let (manager, _) = browser_sign_in(&app, "manager-a@a.test").await;
    assert_eq!(page(&app, &manager, &access).await.status(), 403);
}

async fn rules(app: &palisade_testkit::TestApp) -> (bool, Vec<String>, Vec<String>) {
    let su = app.db.superuser().await;
    let row = su
        .query_one(
            "select require_mfa, sign_in_methods, email_domains from app.tenants where id = $1",
            &[app.world().tenant_a.as_uuid()],
        )
        .await
        .unwrap();
    (row.get(0), row.get(1), row.get(2))
}

#[tokio::test]
async fn sign_in_rules_are_set_from_the_page_and_a_rule_that_locks_the_admin_out_is_refused() {
    let app = palisade_testkit::spawn_app().await;
    let tenant = app.world().tenant_a;
    let (admin, csrf) = browser_sign_in(&app, "admin-a@a.test").await;
    let path = format!("/t/{tenant}/sign-in-rules");
    let html = page(&app, &admin, &path).await.text().await.unwrap();
    assert!(
        html.contains("name=\"magic_link\" value=\"on\" checked"),
        "{html}"
    );
    assert!(
        html.contains("nav class=\"tabs\" aria-label=\"Admin\""),
        "the admin tabs"
    );
    let before = rules(&app).await;

    let none = [("csrf", csrf.as_str()), ("email_domains", "")];
    let r = post_form(&app, &admin, &path, &none).await;
    assert_eq!(r.status(), 422);
    assert!(r.text().await.unwrap().contains("id=\"methods-error\""));
    let bad = [
        ("csrf", csrf.as_str()),
        ("magic_link", "on"),
        ("email_domains", "a.test, not a domain"),
    ];
    let r = post_form(&app, &admin, &path, &bad).await;
    assert_eq!(r.status(), 422);
    let html = r.text().await.unwrap();
    assert!(
        html.contains("id=\"domains-error\"") && html.contains("value=\"a.test, not a domain\""),
        "{html}"
    );
    // The admin has no second factor: requiring one would shut out this very session.
    let lockout = [
        ("csrf", csrf.as_str()),
        ("require_mfa", "on"),
        ("magic_link", "on"),
        ("email_domains", ""),
    ];
    let r = post_form(&app, &admin, &path, &lockout).await;
    assert_eq!(r.status(), 409);
    assert!(r.text().await.unwrap().contains("role=\"alert\""));
    assert_eq!(rules(&app).await, before, "nothing was saved");

    let good = [
        ("csrf", csrf.as_str()),
        ("magic_link", "on"),
        ("email_domains", "A.test, @a.test"),
    ];
    let r = post_form(&app, &admin, &path, &good).await;
    assert_eq!(location(&r), format!("{path}?saved=1"));
    assert_eq!(
        rules(&app).await,
        (false, vec!["magic_link".into()], vec!["a.test".into()])
    );
    let html = page(&app, &admin, &format!("{path}?saved=1"))
        .await
        .text()
        .await
        .unwrap();
    assert!(
        html.contains("value=\"a.test\"") && html.contains("Saved."),
        "{html}"
    );
}
