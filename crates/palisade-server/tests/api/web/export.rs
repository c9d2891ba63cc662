//! The company export page: the manifest from one snapshot, each table a download that starts only
//! from our page and is access-logged; admins only.
use palisade_testkit::TestApp;
use reqwest::header::COOKIE;

use super::{browser, page};
use crate::sign_in::browser_sign_in;

async fn download(app: &TestApp, cookie: &str, path: &str, same_origin: bool) -> reqwest::Response {
    let mut r = browser().get(app.url(path)).header(COOKIE, cookie);
    if same_origin {
        r = r.header("sec-fetch-site", "same-origin");
    }
    r.send().await.unwrap()
}

#[tokio::test]
async fn an_admin_downloads_the_workspace_table_by_table() {
    let app = palisade_testkit::spawn_app().await;
    let tenant = app.world().tenant_a;
    let (admin, _) = browser_sign_in(&app, "admin-a@a.test").await;
    let base = format!("/t/{tenant}/company-export");
    let html = page(&app, &admin, &base).await.text().await.unwrap();
    assert!(
        html.contains(&format!("{base}/leads?format=csv")) && html.contains("app.drafts"),
        "{html}"
    );

    let r = download(&app, &admin, &format!("{base}/leads?format=csv"), true).await;
    assert_eq!(r.status(), 200);
    assert_eq!(
        r.headers()["content-disposition"],
        "attachment; filename=\"leads.csv\""
    );
    let csv = r.text().await.unwrap();
    assert!(csv.lines().next().unwrap().contains("name"), "{csv}");
    assert_eq!(super::access_logged(&app, "data_export").await, 1);

    assert_eq!(
        download(&app, &admin, &format!("{base}/leads"), false)
            .await
            .status(),
        403,
        "not from our page"
    );
    assert_eq!(
        download(&app, &admin, &format!("{base}/leads?format=xml"), true)
            .await
            .status(),
        400
    );
    assert_eq!(
        download(&app, &admin, &format!("{base}/passwords"), true)
            .await
            .status(),
        404
    );
    let (manager, _) = browser_sign_in(&app, "manager-a@a.test").await;
    assert_eq!(page(&app, &manager, &base).await.status(), 403);
    assert_eq!(
        download(&app, &manager, &format!("{base}/leads"), true)
            .await
            .status(),
        403
    );
}
