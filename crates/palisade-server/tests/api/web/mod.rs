//! The pages: the same sessions, CSRF rules and row-level security as the API, over HTTP (the
//! browser tests drive the same pages in Chromium).
mod account;
mod assistant;
mod audit;
mod dashboard;
mod drafts;
mod export;
mod forms;
mod integrations;
mod lead_work;
mod leads;
mod members;
mod messaging;
mod mine;
mod password;
mod phone;
mod platform;
mod privacy;
mod second_factor;
mod settings;
mod termination;

use palisade_testkit::TestApp;
use reqwest::header::{COOKIE, LOCATION, ORIGIN};
use reqwest::{Client, Response};

use crate::sign_in::set_cookie;

/// A client that shows redirects instead of following them, and keeps no cookies.
pub(crate) fn browser() -> Client {
    Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

pub(crate) async fn page(app: &TestApp, cookie: &str, path: &str) -> Response {
    browser()
        .get(app.url(path))
        .header(COOKIE, cookie)
        .send()
        .await
        .unwrap()
}

/// Posts a form as a page of this server would (its origin, its cookie).
pub(crate) async fn post_form(app: &TestApp, cookie: &str, path: &str, fields: &[(&str, &str)]) -> Response {
    browser()
        .post(app.url(path))
        .header(COOKIE, cookie)
        .header(ORIGIN, app.url(""))
        .form(fields)
        .send()
        .await
        .unwrap()
}

/// How many access-log entries of `action` there are (every tenant's).
pub(crate) async fn access_logged(app: &TestApp, action: &str) -> i64 {
    let su = app.db.superuser().await;
    su.query_one(
        "select count(*) from audit.access_events where action = $1",
        &[&action],
    )
    .await
    .unwrap()
    .get(0)
}

pub(crate) fn location(r: &Response) -> &str {
    r.headers()[LOCATION].to_str().unwrap()
}

#[tokio::test]
async fn signed_out_visitors_are_sent_to_sign_in() {
    let app = palisade_testkit::spawn_app().await;
    let tenant = app.world().tenant_a;
    for path in ["/", "/app", &format!("/t/{tenant}/leads")] {
        let r = browser().get(app.url(path)).send().await.unwrap();
        assert_eq!(r.status(), 303, "{path}");
        assert_eq!(location(&r), "/sign-in", "{path}");
    }
    // A cookie that does not decode is the same as none.
    let r = page(&app, "__Host-palisade-session=garbage", "/app").await;
    assert_eq!(location(&r), "/sign-in");
}

#[tokio::test]
async fn the_sign_in_page_asks_for_a_link_and_says_the_same_for_any_address() {
    let app = palisade_testkit::spawn_app().await;
    let r = browser().get(app.url("/sign-in")).send().await.unwrap();
    assert_eq!(r.status(), 200);
    let csp = r.headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .to_owned();
    for part in [
        "default-src 'none'",
        "script-src 'self'",
        "style-src 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ] {
        assert!(csp.contains(part), "{csp}");
    }
    assert_eq!(r.headers()["cache-control"], "no-store");
    let html = r.text().await.unwrap();
    assert!(html.contains(r#"<label for="email">"#), "{html}");
    assert!(
        !html.contains("<script>") && !html.contains("style="),
        "no inline script or style"
    );

    let ask = |email: &'static str, origin: &'static str| {
        let url = app.url("/sign-in");
        let origin = if origin.is_empty() {
            app.url("")
        } else {
            origin.to_owned()
        };
        async move {
            browser()
                .post(url)
                .header(ORIGIN, origin)
                .form(&[("email", email)])
                .send()
                .await
                .unwrap()
        }
    };
    let known = ask("rep-a1@a.test", "").await;
    assert_eq!(known.status(), 200);
    assert!(set_cookie(known.headers(), "__Host-palisade-nonce").is_some());
    let known = known.text().await.unwrap();
    let unknown = ask("nobody@nowhere.test", "").await.text().await.unwrap();
    assert_eq!(
        known.replace("rep-a1@a.test", "X"),
        unknown.replace("nobody@nowhere.test", "X"),
        "the answer does not tell whether an account exists"
    );
    app.wait_for_mails(1).await;

    // A bad address: 422, the error next to the field, what was typed kept.
    let bad = ask("not-an-address", "").await;
    assert_eq!(bad.status(), 422);
    let html = bad.text().await.unwrap();
    assert!(
        html.contains(r#"aria-invalid="true""#) && html.contains(r#"value="not-an-address""#),
        "{html}"
    );

    // Another site cannot start a sign-in in this browser.
    assert_eq!(ask("rep-a1@a.test", "https://evil.example").await.status(), 403);
}

#[tokio::test]
async fn assets_are_served_with_an_etag() {
    let app = palisade_testkit::spawn_app().await;
    let css = browser().get(app.url("/assets/app.css")).send().await.unwrap();
    assert_eq!(css.status(), 200);
    assert_eq!(css.headers()["content-type"], "text/css; charset=utf-8");
    let etag = css.headers()["etag"].clone();
    let again = browser()
        .get(app.url("/assets/app.css"))
        .header("if-none-match", etag)
        .send()
        .await
        .unwrap();
    assert_eq!(again.status(), 304);
    let js = browser().get(app.url("/assets/app.js")).send().await.unwrap();
    assert_eq!(js.headers()["content-type"], "text/javascript; charset=utf-8");
}
