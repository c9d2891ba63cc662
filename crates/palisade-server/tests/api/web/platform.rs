//! The platform admin's pages: error events, incidents with their notices, tenants; nobody else
//! reaches them, and they show no tenant's data.
use super::{location, page, post_form};
use crate::sign_in::browser_sign_in;

#[tokio::test]
async fn a_platform_admin_reads_errors_and_tenants_and_declares_and_resolves_an_incident() {
    let app = palisade_testkit::spawn_app().await;
    // Admin B is also a platform admin (fixtures).
    let (op, csrf) = browser_sign_in(&app, "admin-b@b.test").await;
    let home = page(&app, &op, "/app").await.text().await.unwrap();
    assert!(home.contains("href=\"/platform/errors\""), "{home}");
    let errors = page(&app, &op, "/platform/errors?severity=error").await;
    assert_eq!(errors.status(), 200);
    assert!(errors
        .text()
        .await
        .unwrap()
        .contains("nav class=\"tabs\" aria-label=\"Platform\""));
    assert_eq!(
        page(&app, &op, "/platform/errors?severity=loud").await.status(),
        400
    );

    let tenants = page(&app, &op, "/platform/tenants").await.text().await.unwrap();
    assert!(
        tenants.contains("tenant-a") && tenants.contains("tenant-b"),
        "{tenants}"
    );
    assert!(!tenants.contains("rep-a1@a.test"), "no tenant's people");

    let incidents = "/platform/incidents";
    let unknown = [
        ("csrf", csrf.as_str()),
        ("title", "Mail relay leak"),
        ("description", "Details"),
        ("severity", "high"),
        ("tenants", "tenant-a, nope"),
    ];
    let r = post_form(&app, &op, incidents, &unknown).await;
    assert_eq!(r.status(), 422);
    let html = r.text().await.unwrap();
    assert!(
        html.contains("No tenant has the slug nope.") && html.contains("value=\"Mail relay leak\""),
        "{html}"
    );
    let good = [
        ("csrf", csrf.as_str()),
        ("title", "Mail relay leak"),
        ("description", "Details"),
        ("severity", "high"),
        ("tenants", "tenant-a"),
    ];
    let r = post_form(&app, &op, incidents, &good).await;
    assert_eq!(location(&r), "/platform/incidents?done=declared");
    let html = page(&app, &op, incidents).await.text().await.unwrap();
    assert!(
        html.contains("Mail relay leak") && html.contains("not told yet"),
        "{html}"
    );
    let su = app.db.superuser().await;
    let id: uuid::Uuid = su
        .query_one(
            "select id from app.incidents where title = 'Mail relay leak'",
            &[],
        )
        .await
        .unwrap()
        .get(0);
    let r = post_form(
        &app,
        &op,
        &format!("{incidents}/{id}/resolve"),
        &[("csrf", &csrf)],
    )
    .await;
    assert_eq!(location(&r), "/platform/incidents?done=resolved");
    let resolved: bool = su
        .query_one(
            "select resolved_at is not null from app.incidents where id = $1",
            &[&id],
        )
        .await
        .unwrap()
        .get(0);
    assert!(resolved);
}

#[tokio::test]
async fn nobody_but_a_platform_admin_reaches_the_platform_pages() {
    let app = palisade_testkit::spawn_app().await;
    let (admin, csrf) = browser_sign_in(&app, "admin-a@a.test").await;
    for path in ["/platform/errors", "/platform/incidents", "/platform/tenants"] {
        assert_eq!(page(&app, &admin, path).await.status(), 403, "{path}");
    }
    let fields = [
        ("csrf", csrf.as_str()),
        ("title", "x"),
        ("description", "y"),
        ("severity", "low"),
        ("tenants", "tenant-a"),
    ];
    assert_eq!(
        post_form(&app, &admin, "/platform/incidents", &fields)
            .await
            .status(),
        403
    );
    assert!(!page(&app, &admin, "/app")
        .await
        .text()
        .await
        .unwrap()
        .contains("/platform/"));
    let r = super::browser()
        .get(app.url("/platform/tenants"))
        .send()
        .await
        .unwrap();
    assert_eq!(location(&r), "/sign-in");
}
