//! Passwords in the browser, where the deployment allows them: set one on the security page, sign in
//! with it from the sign-in page; a wrong one and an unknown address get the same answer.
use palisade_testkit::spawn_app_with;
use reqwest::header::ORIGIN;

use super::{browser, location, page, post_form};
use crate::sign_in::{browser_sign_in, set_cookie};

async fn sign_in_with(
    app: &palisade_testkit::TestApp,
    origin: &str,
    email: &str,
    password: &str,
) -> reqwest::Response {
    browser()
        .post(app.url("/sign-in/password"))
        .header(ORIGIN, origin)
        .form(&[("email", email), ("password", password)])
        .send()
        .await
        .unwrap()
}

async fn sign_in_page(app: &palisade_testkit::TestApp) -> String {
    let r = browser().get(app.url("/sign-in")).send().await.unwrap();
    r.text().await.unwrap()
}

#[tokio::test]
async fn a_person_sets_a_password_on_the_security_page_and_signs_in_with_it() {
    let app = spawn_app_with(|c| c.auth.password_sign_in = true).await;
    let ours = app.url("");
    let ours = ours.trim_end_matches('/');
    let html = sign_in_page(&app).await;
    assert!(html.contains("Sign in with a password"), "{html}");

    let (cookie, csrf) = browser_sign_in(&app, "rep-a1@a.test").await;
    let r = post_form(
        &app,
        &cookie,
        "/me/security/password",
        &[("csrf", &csrf), ("password", "short")],
    )
    .await;
    assert_eq!(r.status(), 422);
    let phrase = "correct horse battery staple";
    let r = post_form(
        &app,
        &cookie,
        "/me/security/password",
        &[("csrf", &csrf), ("password", phrase)],
    )
    .await;
    assert_eq!(r.status(), 200);
    let html = r.text().await.unwrap();
    assert!(
        html.contains("Your password is set.") && !html.contains(phrase),
        "{html}"
    );

    for (email, password) in [
        ("rep-a1@a.test", "wrong horse battery staple"),
        ("nobody@a.test", phrase),
    ] {
        let r = sign_in_with(&app, ours, email, password).await;
        assert_eq!(r.status(), 401, "{email}");
        assert!(set_cookie(r.headers(), "__Host-palisade-session").is_none());
        let html = r.text().await.unwrap();
        assert!(
            html.contains("The email address or the password is wrong.") && !html.contains(password),
            "{html}"
        );
    }
    assert_eq!(
        sign_in_with(&app, "https://evil.example", "rep-a1@a.test", phrase)
            .await
            .status(),
        403
    );
    let r = sign_in_with(&app, ours, "Rep-A1@a.test", phrase).await;
    assert_eq!(location(&r), "/app");
    let (session, _) = set_cookie(r.headers(), "__Host-palisade-session").expect("a session");
    let r = page(&app, &session, "/app").await;
    assert_eq!(location(&r), format!("/t/{}/leads", app.world().tenant_a));
}

#[tokio::test]
async fn without_passwords_the_page_offers_none_and_the_form_is_not_found() {
    let app = palisade_testkit::spawn_app().await;
    let html = sign_in_page(&app).await;
    assert!(!html.contains("password"), "{html}");
    let ours = app.url("");
    let r = sign_in_with(
        &app,
        ours.trim_end_matches('/'),
        "rep-a1@a.test",
        "correct horse battery staple",
    )
    .await;
    assert_eq!(r.status(), 404);
}
