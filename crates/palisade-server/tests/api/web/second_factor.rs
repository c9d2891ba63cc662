//! A browser session waiting for its second factor: every page sends it to the code page (the
//! cookie kept), where a wrong code is refused in words and the right one opens the app.
use chrono::Duration;
use reqwest::header::ORIGIN;

use super::{browser, location, page, post_form};
use crate::sign_in::{api_sign_in, browser_sign_in, mfa::enrol, set_cookie};

#[tokio::test]
async fn a_session_waiting_for_its_second_factor_is_sent_to_the_code_page() {
    let app = palisade_testkit::spawn_app().await;
    let first = api_sign_in(&app, "rep-a1@a.test").await;
    let (secret, _) = enrol(&app, first["access_token"].as_str().unwrap()).await;
    app.clock.advance(Duration::seconds(30));
    let (cookie, csrf) = browser_sign_in(&app, "rep-a1@a.test").await;

    let r = page(&app, &cookie, "/app").await;
    assert_eq!(r.status(), 303);
    assert_eq!(location(&r), "/sign-in/mfa");
    assert!(
        set_cookie(r.headers(), "__Host-palisade-session").is_none(),
        "the session is kept"
    );
    let form = page(&app, &cookie, "/sign-in/mfa").await.text().await.unwrap();
    assert!(form.contains(r#"autocomplete="one-time-code""#), "{form}");

    let wrong = post_form(
        &app,
        &cookie,
        "/sign-in/mfa",
        &[("csrf", &csrf), ("code", "not-a-code")],
    )
    .await;
    assert_eq!(wrong.status(), 422);
    assert!(wrong.text().await.unwrap().contains(r#"id="code-error""#));
    let code = secret.code_at(app.clock.now()).unwrap();
    let forged = browser()
        .post(app.url("/sign-in/mfa"))
        .header(reqwest::header::COOKIE, &cookie)
        .header(ORIGIN, "https://evil.example")
        .form(&[("csrf", csrf.as_str()), ("code", code.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(forged.status(), 403, "another site cannot submit a code");
    let right = post_form(&app, &cookie, "/sign-in/mfa", &[("csrf", &csrf), ("code", &code)]).await;
    assert_eq!(right.status(), 303);
    assert_eq!(location(&right), "/app");
    let r = page(&app, &cookie, "/app").await;
    assert_eq!(location(&r), format!("/t/{}/leads", app.world().tenant_a));
}

#[tokio::test]
async fn five_wrong_codes_on_the_page_end_the_sign_in() {
    let app = palisade_testkit::spawn_app().await;
    let first = api_sign_in(&app, "rep-a1@a.test").await;
    enrol(&app, first["access_token"].as_str().unwrap()).await;
    let (cookie, csrf) = browser_sign_in(&app, "rep-a1@a.test").await;
    for n in 1..=5 {
        let r = post_form(
            &app,
            &cookie,
            "/sign-in/mfa",
            &[("csrf", &csrf), ("code", "999999x")],
        )
        .await;
        assert!(
            r.status() == 422 || (n == 5 && r.status() == 303),
            "attempt {n}: {}",
            r.status()
        );
    }
    let r = page(&app, &cookie, "/app").await;
    assert_eq!(location(&r), "/sign-in", "the session is over");
}

#[tokio::test]
async fn new_recovery_codes_and_removing_the_app_need_a_fresh_code() {
    let app = palisade_testkit::spawn_app().await;
    let first = api_sign_in(&app, "rep-a1@a.test").await;
    let (secret, _) = enrol(&app, first["access_token"].as_str().unwrap()).await;
    app.clock.advance(Duration::seconds(30));
    let (cookie, csrf) = browser_sign_in(&app, "rep-a1@a.test").await;
    let code = secret.code_at(app.clock.now()).unwrap();
    post_form(&app, &cookie, "/sign-in/mfa", &[("csrf", &csrf), ("code", &code)]).await;
    let html = page(&app, &cookie, "/me/security").await.text().await.unwrap();
    assert!(
        html.contains("New recovery codes") && html.contains("Remove the app"),
        "{html}"
    );

    let r = post_form(&app, &cookie, "/me/security/recovery-codes", &[("csrf", &csrf)]).await;
    assert_eq!(r.status(), 200);
    let html = r.text().await.unwrap();
    let codes = html
        .split("class=\"codes")
        .nth(1)
        .and_then(|rest| rest.split("</ul>").next())
        .unwrap();
    assert_eq!(
        codes.matches("<li").count(),
        10,
        "ten new codes, shown once: {html}"
    );

    app.clock.advance(Duration::minutes(11));
    let r = post_form(&app, &cookie, "/me/security/totp/remove", &[("csrf", &csrf)]).await;
    assert_eq!(r.status(), 403);
    assert!(r.text().await.unwrap().contains("sign in again"));
    let su = app.db.superuser().await;
    let factors = async || -> i64 {
        su.query_one(
            "select count(*) from auth.totp_factors where user_id = $1",
            &[app.world().rep_a1.as_uuid()],
        )
        .await
        .unwrap()
        .get(0)
    };
    assert_eq!(factors().await, 1, "still there");

    app.clock.advance(Duration::seconds(30));
    let (fresh, fresh_csrf) = browser_sign_in(&app, "rep-a1@a.test").await;
    let code = secret.code_at(app.clock.now()).unwrap();
    post_form(
        &app,
        &fresh,
        "/sign-in/mfa",
        &[("csrf", &fresh_csrf), ("code", &code)],
    )
    .await;
    let r = post_form(&app, &fresh, "/me/security/totp/remove", &[("csrf", &fresh_csrf)]).await;
    assert_eq!(r.status(), 200);
    assert!(r.text().await.unwrap().contains("Set up an authenticator app"));
    assert_eq!(factors().await, 0);
}
