//! Sign-in end to end: magic links (browser and API clients), cookie sessions with CSRF, refresh
//! token rotation and reuse detection, idle and absolute expiry on a manual clock, ending sessions,
//! rate limits (memory and Redis), CORS.
pub(crate) mod mfa;
mod oidc;
mod password;
mod tokens;

use chrono::Duration;
use palisade_testkit::{spawn_app, spawn_app_with, RedisServer, TestApp, Who};
use reqwest::header::{HeaderMap, COOKIE, ORIGIN, SET_COOKIE};
use reqwest::{Method, Response, StatusCode};
use serde_json::{json, Value};

use crate::{error_code, send};

/// The `name=value` of a cookie the response set, with its attribute string.
pub(crate) fn set_cookie(headers: &HeaderMap, name: &str) -> Option<(String, String)> {
    headers
        .get_all(SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with(&format!("{name}=")))
        .map(|v| {
            let pair = v.split(';').next().unwrap().to_owned();
            (pair, v.to_owned())
        })
}

fn link_in(mail: &str) -> String {
    mail.split_whitespace()
        .find(|w| w.contains("/auth/magic-link?token="))
        .expect("a sign-in link")
        .to_owned()
}

fn token_of(link: &str) -> String {
    link.split("token=").nth(1).unwrap().to_owned()
}

pub(crate) async fn ask(app: &TestApp, email: &str, client: &str, cookie: Option<&str>) -> Response {
    let mut req = app
        .client
        .post(app.url("/api/v1/auth/magic-link"))
        .json(&json!({"email": email, "client": client}));
    if let Some(c) = cookie {
        req = req.header(COOKIE, c);
    }
    req.send().await.unwrap()
}

/// Asks for a link as a browser; returns the nonce cookie pair and the emailed token.
async fn browser_link(app: &TestApp, email: &str) -> (String, String) {
    let before = app.mails().len();
    let r = ask(app, email, "browser", None).await;
    assert_eq!(r.status(), 202);
    let (nonce, attrs) = set_cookie(r.headers(), "__Host-palisade-nonce").expect("nonce cookie");
    for a in ["Secure", "HttpOnly", "SameSite=Strict", "Path=/"] {
        assert!(attrs.contains(a), "{attrs}");
    }
    let mails = app.wait_for_mails(before + 1).await;
    (nonce, token_of(&link_in(&mails[before])))
}

/// Signs in as a browser (through the JSON consume route); returns the session cookie (`name=value`)
/// and its CSRF token.
pub(crate) async fn browser_sign_in(app: &TestApp, email: &str) -> (String, String) {
    let (nonce, token) = browser_link(app, email).await;
    let r = app
        .client
        .post(app.url("/api/v1/auth/magic-link/consume"))
        .header(COOKIE, nonce)
        .json(&json!({"token": token}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let (session, _) = set_cookie(r.headers(), "__Host-palisade-session").expect("session cookie");
    let body: Value = r.json().await.unwrap();
    (session, body["csrf_token"].as_str().unwrap().to_owned())
}

/// Signs in as an API client; returns the token pair.
pub(crate) async fn api_sign_in(app: &TestApp, email: &str) -> Value {
    let before = app.mails().len();
    let r = ask(app, email, "api", None).await;
    assert_eq!(r.status(), 202);
    assert!(set_cookie(r.headers(), "__Host-palisade-nonce").is_none());
    let nonce = r.json::<Value>().await.unwrap()["nonce"]
        .as_str()
        .unwrap()
        .to_owned();
    let mails = app.wait_for_mails(before + 1).await;
    let token = token_of(&link_in(&mails[before]));
    let r = app
        .client
        .post(app.url("/api/v1/auth/magic-link/consume"))
        .json(&json!({"token": token, "nonce": nonce}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    r.json().await.unwrap()
}

pub(crate) async fn get_with_token(app: &TestApp, token: &str, path: &str) -> Response {
    app.client
        .get(app.url(path))
        .bearer_auth(token)
        .header("x-palisade-tenant", app.world().tenant_a.to_string())
        .send()
        .await
        .unwrap()
}

/// A GET with a browser session cookie (no tenant named): the JSON body of a 200.
pub(crate) async fn get_with_session(app: &TestApp, session: &str, path: &str) -> Value {
    let r = app
        .client
        .get(app.url(path))
        .header(COOKIE, session)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200, "GET {path}");
    r.json().await.unwrap()
}

pub(crate) async fn refresh(app: &TestApp, refresh_token: &str) -> Response {
    app.client
        .post(app.url("/api/v1/auth/token"))
        .json(&json!({"refresh_token": refresh_token}))
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn a_browser_signs_in_through_the_landing_page_and_writes_only_with_its_csrf_token() {
    let app = spawn_app().await;
    let (nonce, token) = browser_link(&app, "rep-a1@a.test").await;

    // Opening the link shows a button; it signs nobody in (scanners fetch links).
    let landing = app
        .client
        .get(app.url(&format!("/auth/magic-link?token={token}")))
        .send()
        .await
        .unwrap();
    assert_eq!(landing.status(), 200);
    assert_eq!(landing.headers()["referrer-policy"], "no-referrer");
    assert!(set_cookie(landing.headers(), "__Host-palisade-session").is_none());
    let html = landing.text().await.unwrap();
    assert!(
        html.contains(r#"<form method="post" action="/auth/magic-link">"#),
        "{html}"
    );

    // The button posts the token back from the browser holding the nonce; the browser lands in the app.
    let no_redirects = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let finish = |cookie: Option<String>| {
        let mut req = no_redirects
            .post(app.url("/auth/magic-link"))
            .header("content-type", "application/x-www-form-urlencoded")
            .body(format!("token={token}"));
        if let Some(c) = cookie {
            req = req.header(COOKIE, c);
        }
        req.send()
    };
    let other_browser = finish(None).await.unwrap();
    assert_eq!(other_browser.status(), 401);
    assert!(set_cookie(other_browser.headers(), "__Host-palisade-session").is_none());
    let done = finish(Some(nonce.clone())).await.unwrap();
    assert_eq!(done.status(), 303);
    assert_eq!(done.headers()["location"], "/app");
    let (session, attrs) = set_cookie(done.headers(), "__Host-palisade-session").expect("session cookie");
    for a in ["Secure", "HttpOnly", "SameSite=Lax", "Path=/", "Max-Age="] {
        assert!(attrs.contains(a), "{attrs}");
    }
    assert!(!attrs.contains("Domain"), "{attrs}");
    // Single use.
    assert_eq!(finish(Some(nonce)).await.unwrap().status(), 401);

    // The session reads the tenant it names; the CSRF token comes from /auth/session.
    let current = get_with_session(&app, &session, "/api/v1/auth/session").await;
    assert_eq!(current["user_id"], app.world().rep_a1.to_string());
    let csrf = current["csrf_token"].as_str().unwrap().to_owned();
    let tenant = app.world().tenant_a.to_string();
    let leads: Value = app
        .client
        .get(app.url("/api/v1/leads"))
        .header(COOKIE, &session)
        .header("x-palisade-tenant", &tenant)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(leads["items"].as_array().unwrap().len(), 1, "{leads}");

    let write = |csrf: Option<&str>, origin: Option<&str>| {
        let mut req = app
            .client
            .post(app.url("/api/v1/leads"))
            .header(COOKIE, &session)
            .header("x-palisade-tenant", &tenant)
            .json(&json!({"name": "From the browser"}));
        if let Some(t) = csrf {
            req = req.header("x-csrf-token", t);
        }
        if let Some(o) = origin {
            req = req.header(ORIGIN, o);
        }
        req.send()
    };
    let r = write(None, None).await.unwrap();
    assert_eq!(r.status(), 403);
    assert_eq!(error_code(r).await, "csrf_rejected");
    let r = write(Some("forged"), None).await.unwrap();
    assert_eq!(error_code(r).await, "csrf_rejected");
    let r = write(Some(&csrf), Some("https://evil.example")).await.unwrap();
    assert_eq!(r.status(), 403);
    assert_eq!(error_code(r).await, "csrf_rejected");
    let own = app.url("");
    assert_eq!(write(Some(&csrf), Some(&own)).await.unwrap().status(), 201);
    assert_eq!(write(Some(&csrf), None).await.unwrap().status(), 201);

    // Logging out ends the session on the server and clears the cookie.
    let r = app
        .client
        .post(app.url("/api/v1/auth/logout"))
        .header(COOKIE, &session)
        .header("x-csrf-token", &csrf)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 204);
    let (cleared, _) = set_cookie(r.headers(), "__Host-palisade-session").unwrap();
    assert_eq!(cleared, "__Host-palisade-session=");
    let r = app
        .client
        .get(app.url("/api/v1/auth/session"))
        .header(COOKIE, &session)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 401);
    assert_eq!(error_code(r).await, "session_ended");
}

#[tokio::test]
async fn a_link_works_once_only_in_the_asking_client_and_only_for_ten_minutes() {
    let app = spawn_app().await;
    let (nonce, token) = browser_link(&app, "rep-a2@a.test").await;
    let consume = |cookie: Option<&str>, token: &str| {
        let mut req = app
            .client
            .post(app.url("/api/v1/auth/magic-link/consume"))
            .json(&json!({ "token": token }));
        if let Some(c) = cookie {
            req = req.header(COOKIE, c);
        }
        req.send()
    };
    for cookie in [
        None,
        Some("__Host-palisade-nonce=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"),
    ] {
        let r = consume(cookie, &token).await.unwrap();
        assert_eq!(r.status(), 401);
        assert_eq!(error_code(r).await, "sign_in_failed");
    }
    // Failed attempts from elsewhere do not burn the link for its browser.
    let r = consume(Some(&nonce), &token).await.unwrap();
    assert_eq!(r.status(), 200);
    assert!(set_cookie(r.headers(), "__Host-palisade-session").is_some());
    let r = consume(Some(&nonce), &token).await.unwrap();
    assert_eq!(error_code(r).await, "sign_in_failed");

    let (nonce, token) = browser_link(&app, "rep-a2@a.test").await;
    app.clock.advance(Duration::minutes(10) + Duration::seconds(1));
    let r = consume(Some(&nonce), &token).await.unwrap();
    assert_eq!(error_code(r).await, "sign_in_failed");

    // Each sign-in is in the access log; the failures (anyone can cause them) are counted, without
    // a person, into one event per window.
    crate::close_event_windows(&app).await;
    let su = app.db.superuser().await;
    let rows = su
        .query(
            "select action, actor_user_id is null, coalesce((detail ->> 'count')::bigint, 1) \
             from audit.access_events where action in ('sign_in', 'sign_in_failed') \
               and (action = 'sign_in_failed' or actor_user_id = $1) order by id",
            &[app.world().rep_a2.as_uuid()],
        )
        .await
        .unwrap();
    let seen: Vec<(String, bool, i64)> = rows.iter().map(|r| (r.get(0), r.get(1), r.get(2))).collect();
    assert_eq!(
        seen[seen.len() - 2..],
        [("sign_in".into(), false, 1), ("sign_in_failed".into(), true, 4)]
    );
}

#[tokio::test]
async fn no_answer_reveals_whether_an_address_has_an_account() {
    let app = spawn_app().await;
    let known = ask(&app, "rep-a1@a.test", "browser", None).await;
    let unknown = ask(&app, "nobody@nowhere.test", "browser", None).await;
    assert_eq!(known.status(), unknown.status());
    let names = |r: &Response| {
        let mut v: Vec<String> = r.headers().keys().map(|k| k.to_string()).collect();
        v.retain(|k| k != "date" && k != "x-request-id");
        v.sort();
        v
    };
    assert_eq!(names(&known), names(&unknown));
    assert_eq!(known.text().await.unwrap(), unknown.text().await.unwrap());
    // An invited address gets a link too (so the invited person can sign in and accept).
    let invited = ask(&app, "invitee@a.test", "api", None).await;
    assert_eq!(invited.status(), 202);
    let mails = app.wait_for_mails(2).await;
    tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    let mails_now = app.mails();
    assert_eq!(
        mails_now.len(),
        2,
        "only the known and the invited address get mail"
    );
    assert!(mails.iter().all(|m| !m.contains("nobody@nowhere.test")));
    // A malformed address is refused alike for everyone.
    for bad in ["not-an-email", "x@corp.com@evil.com"] {
        assert_eq!(ask(&app, bad, "browser", None).await.status(), 422, "{bad}");
    }
}

#[tokio::test]
async fn refresh_tokens_rotate_and_a_reused_one_ends_the_whole_session() {
    let app = spawn_app().await;
    let first = api_sign_in(&app, "rep-a1@a.test").await;
    let access = first["access_token"].as_str().unwrap();
    assert_eq!(first["expires_in"], 900);
    assert_eq!(get_with_token(&app, access, "/api/v1/leads").await.status(), 200);

    let r = refresh(&app, first["refresh_token"].as_str().unwrap()).await;
    assert_eq!(r.status(), 200);
    let second: Value = r.json().await.unwrap();
    assert_ne!(second["refresh_token"], first["refresh_token"]);
    assert_eq!(second["session_id"], first["session_id"]);
    let access2 = second["access_token"].as_str().unwrap();
    assert_eq!(get_with_token(&app, access2, "/api/v1/leads").await.status(), 200);

    // The first refresh token comes back (stolen and replayed): the family ends, every token of it.
    let r = refresh(&app, first["refresh_token"].as_str().unwrap()).await;
    assert_eq!(r.status(), 401);
    assert_eq!(error_code(r).await, "refresh_token_reused");
    let r = refresh(&app, second["refresh_token"].as_str().unwrap()).await;
    assert_eq!(error_code(r).await, "session_ended");
    let r = get_with_token(&app, access2, "/api/v1/leads").await;
    assert_eq!(r.status(), 401);
    assert_eq!(error_code(r).await, "session_ended");
    let r = refresh(&app, "not-a-token").await;
    assert_eq!(error_code(r).await, "invalid_refresh_token");

    // The reuse that ended the family is one access event; replays of the dead token after it are
    // counted, not written one by one.
    for _ in 0..20 {
        let r = refresh(&app, first["refresh_token"].as_str().unwrap()).await;
        assert_eq!(error_code(r).await, "refresh_token_reused");
    }
    let su = app.db.superuser().await;
    let reuse =
        "select count(*), coalesce(sum((detail ->> 'count')::bigint), 0)::bigint from audit.access_events \
                 where action = 'refresh_token_reuse'";
    let row = su.query_one(reuse, &[]).await.unwrap();
    assert_eq!((row.get::<_, i64>(0), row.get::<_, i64>(1)), (1, 0));
    crate::close_event_windows(&app).await;
    let row = su.query_one(reuse, &[]).await.unwrap();
    assert_eq!((row.get::<_, i64>(0), row.get::<_, i64>(1)), (2, 20));
}

#[tokio::test]
async fn sessions_end_after_the_idle_and_the_absolute_timeout() {
    let app = spawn_app().await;
    // Idle: 12 hours without use ends it; use within 12 hours keeps it.
    let pair = api_sign_in(&app, "rep-a1@a.test").await;
    let mut refresh_token = pair["refresh_token"].as_str().unwrap().to_owned();
    app.clock.advance(Duration::minutes(16));
    let r = get_with_token(&app, pair["access_token"].as_str().unwrap(), "/api/v1/leads").await;
    assert_eq!(r.status(), 401, "access tokens last 15 minutes");
    for _ in 0..3 {
        app.clock.advance(Duration::hours(11));
        let r = refresh(&app, &refresh_token).await;
        assert_eq!(r.status(), 200);
        let next: Value = r.json().await.unwrap();
        refresh_token = next["refresh_token"].as_str().unwrap().to_owned();
        assert_eq!(
            get_with_token(
                &app,
                next["access_token"].as_str().unwrap(),
                "/api/v1/me/sessions"
            )
            .await
            .status(),
            200
        );
    }
    app.clock.advance(Duration::hours(12) + Duration::minutes(1));
    let r = refresh(&app, &refresh_token).await;
    assert_eq!(error_code(r).await, "session_ended");

    // Absolute: seven days after sign-in it ends, however active.
    let pair = api_sign_in(&app, "rep-a2@a.test").await;
    let mut refresh_token = pair["refresh_token"].as_str().unwrap().to_owned();
    for _ in 0..13 {
        app.clock.advance(Duration::hours(12) - Duration::minutes(1));
        let r = refresh(&app, &refresh_token).await;
        assert_eq!(r.status(), 200);
        refresh_token = r.json::<Value>().await.unwrap()["refresh_token"]
            .as_str()
            .unwrap()
            .to_owned();
    }
    app.clock.advance(Duration::hours(12));
    let r = refresh(&app, &refresh_token).await;
    assert_eq!(error_code(r).await, "session_ended");
}

#[tokio::test]
async fn people_list_and_end_their_sessions_and_admins_sign_a_member_out() {
    let app = spawn_app().await;
    let w = app.world();
    let one = api_sign_in(&app, "rep-a1@a.test").await;
    let two = api_sign_in(&app, "rep-a1@a.test").await;
    let token_one = one["access_token"].as_str().unwrap();
    let token_two = two["access_token"].as_str().unwrap();
    let list: Value = get_with_token(&app, token_one, "/api/v1/me/sessions")
        .await
        .json()
        .await
        .unwrap();
    let list = list.as_array().unwrap();
    // The two new ones and the fixture's browser session.
    assert_eq!(list.len(), 3, "{list:?}");
    assert_eq!(list.iter().filter(|s| s["current"] == true).count(), 1);
    assert!(!Value::Array(list.clone()).to_string().contains("secret"));

    // Someone else's session is 404.
    let r = app
        .client
        .delete(app.url(&format!("/api/v1/me/sessions/{}", w.session_a2)))
        .bearer_auth(token_one)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 404);
    let r = app
        .client
        .delete(app.url(&format!(
            "/api/v1/me/sessions/{}",
            two["session_id"].as_str().unwrap()
        )))
        .bearer_auth(token_one)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 204);
    assert_eq!(
        get_with_token(&app, token_two, "/api/v1/leads").await.status(),
        401
    );
    // End all others: the fixture session goes, this one stays.
    let r = app
        .client
        .delete(app.url("/api/v1/me/sessions"))
        .bearer_auth(token_one)
        .send()
        .await
        .unwrap();
    assert_eq!(r.json::<Value>().await.unwrap()["ended"], 1);
    assert_eq!(
        get_with_token(&app, token_one, "/api/v1/leads").await.status(),
        200
    );

    // An admin signs a member out of the tenant; the access log names it.
    let r = send(
        &app,
        Some(Who::AdminA),
        Method::DELETE,
        &format!("/api/v1/members/{}/sessions", w.rep_a1),
        None,
    )
    .await;
    assert_eq!(r.status(), 204);
    let r = get_with_token(&app, token_one, "/api/v1/leads").await;
    assert_eq!(error_code(r).await, "signed_out_of_tenant");
    let su = app.db.superuser().await;
    let n: i64 = su
        .query_one(
            "select count(*) from audit.access_events where action = 'sessions_ended' and target_id = $1",
            &[&w.rep_a1.to_string()],
        )
        .await
        .unwrap()
        .get(0);
    assert_eq!(n, 1);
}

#[tokio::test]
async fn a_removed_or_disabled_person_with_a_live_session_gets_nothing() {
    let app = spawn_app().await;
    let w = app.world();
    let rep = api_sign_in(&app, "rep-b1@b.test").await;
    let token = rep["access_token"].as_str().unwrap();
    let in_b = |path: &'static str| {
        app.client
            .get(app.url(path))
            .bearer_auth(token)
            .header("x-palisade-tenant", w.tenant_b.to_string())
            .send()
    };
    assert_eq!(in_b("/api/v1/leads").await.unwrap().status(), 200);
    let r = send(
        &app,
        Some(Who::AdminB),
        Method::DELETE,
        &format!("/api/v1/members/{}", w.rep_b1),
        None,
    )
    .await;
    assert_eq!(r.status(), 204);
    let r = in_b("/api/v1/leads").await.unwrap();
    assert_eq!(r.status(), 403);
    assert_eq!(error_code(r).await, "not_a_member");
    // A former member's sessions are no longer any admin's of that tenant to end.
    let r = send(
        &app,
        Some(Who::AdminB),
        Method::DELETE,
        &format!("/api/v1/members/{}/sessions", w.rep_b1),
        None,
    )
    .await;
    assert_eq!(r.status(), 404);

    let manager = api_sign_in(&app, "manager-a@a.test").await;
    let token = manager["access_token"].as_str().unwrap();
    assert_eq!(get_with_token(&app, token, "/api/v1/leads").await.status(), 200);
    let su = app.db.superuser().await;
    su.execute(
        "update app.users set disabled_at = now() where id = $1",
        &[w.manager_a.as_uuid()],
    )
    .await
    .unwrap();
    let r = get_with_token(&app, token, "/api/v1/leads").await;
    assert_eq!(error_code(r).await, "session_ended");
    // Operator tokens, which carry no session, stop working for them too.
    let r = send(&app, Some(Who::ManagerA), Method::GET, "/api/v1/leads", None).await;
    assert_eq!(r.status(), 403);
    let r = send(
        &app,
        Some(Who::ManagerA),
        Method::POST,
        "/api/v1/tenants",
        Some(json!({"slug": "disabled-made", "name": "X"})),
    )
    .await;
    assert_ne!(r.status(), 201);
    assert!(r.status().is_client_error(), "{}", r.status());
    let r = refresh(&app, manager["refresh_token"].as_str().unwrap()).await;
    assert_eq!(error_code(r).await, "session_ended");
    // And no new link is sent.
    let before = app.mails().len();
    assert_eq!(ask(&app, "manager-a@a.test", "api", None).await.status(), 202);
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    assert_eq!(app.mails().len(), before);
}

async fn leads_with(app: &TestApp, token: &str, tenant: Option<&str>) -> Response {
    let mut req = app.client.get(app.url("/api/v1/leads")).bearer_auth(token);
    if let Some(t) = tenant {
        req = req.header("x-palisade-tenant", t);
    }
    req.send().await.unwrap()
}

#[tokio::test]
async fn the_tenant_header_must_be_a_tenant_id_and_agree_with_a_scoped_token() {
    let app = spawn_app().await;
    let pair = api_sign_in(&app, "rep-a1@a.test").await;
    let session = pair["access_token"].as_str().unwrap();
    let tenant_b = app.world().tenant_b.to_string();
    let r = leads_with(&app, session, Some("not-a-uuid")).await;
    assert_eq!(r.status(), 400);
    assert_eq!(error_code(r).await, "invalid_tenant_header");
    assert_eq!(leads_with(&app, session, None).await.status(), 403);
    let scoped = app.token(Who::RepA1).unwrap();
    let r = leads_with(&app, &scoped, Some(&tenant_b)).await;
    assert_eq!(r.status(), 403);
    assert_eq!(error_code(r).await, "tenant_mismatch");
    // Another tenant by header: not a member there.
    let r = leads_with(&app, session, Some(&tenant_b)).await;
    assert_eq!(error_code(r).await, "not_a_member");
}

async fn assert_limited(r: Response) {
    assert_eq!(r.status(), StatusCode::TOO_MANY_REQUESTS);
    let wait: u64 = r.headers()["retry-after"].to_str().unwrap().parse().unwrap();
    assert!((1..=3600).contains(&wait), "{wait}");
    assert_eq!(error_code(r).await, "rate_limited");
}

#[tokio::test]
async fn magic_links_are_limited_per_address_and_sign_ins_per_client() {
    let app = spawn_app_with(|c| {
        c.auth.magic_links_per_email_per_hour = 2;
        c.auth.sign_ins_per_ip_per_hour = 5;
    })
    .await;
    for _ in 0..2 {
        assert_eq!(ask(&app, "Rep-A1@a.test", "api", None).await.status(), 202);
    }
    // The same address in another case is the same address; an unknown one is limited alike.
    assert_limited(ask(&app, "rep-a1@A.TEST", "api", None).await).await;
    assert_eq!(ask(&app, "nobody@x.test", "api", None).await.status(), 202);
    assert_eq!(ask(&app, "nobody@x.test", "api", None).await.status(), 202);
    assert_limited(ask(&app, "nobody@x.test", "api", None).await).await;
    // Five attempts from this address in all (the limited ones count): consuming links is limited too.
    let r = app
        .client
        .post(app.url("/api/v1/auth/magic-link/consume"))
        .json(&json!({"token": "guess", "nonce": "guess"}))
        .send()
        .await
        .unwrap();
    assert_limited(r).await;
    // Refreshing is not (refresh tokens cannot be guessed).
    assert_eq!(
        error_code(refresh(&app, "guess").await).await,
        "invalid_refresh_token"
    );
}

#[tokio::test]
async fn redis_makes_instances_share_the_limit() {
    let redis = RedisServer::start().await;
    let url = redis.url.clone();
    // Instances of one deployment share the signing secret, from which the rate-limit key is derived.
    let shared = palisade_auth::generate_secret();
    let limited = |url: String| {
        let secret = shared.clone();
        move |c: &mut palisade_server::Config| {
            c.redis_url = Some(url.into());
            c.auth.jwt_secret = Some(secret);
            c.auth.magic_links_per_email_per_hour = 2;
        }
    };
    let one = spawn_app_with(limited(url.clone())).await;
    let two = spawn_app_with(limited(url)).await;
    // Unique per run: an external PALISADE_TEST_REDIS_URL keeps counts between runs.
    let email = format!("shared-{}@x.test", uuid::Uuid::new_v4());
    assert_eq!(ask(&one, &email, "api", None).await.status(), 202);
    assert_eq!(ask(&two, &email, "api", None).await.status(), 202);
    assert_limited(ask(&one, &email, "api", None).await).await;
    assert_limited(ask(&two, &email, "api", None).await).await;
    // The keys in Redis hold no address.
    let client = redis::Client::open(redis.url.as_str()).unwrap();
    let mut conn = client.get_multiplexed_async_connection().await.unwrap();
    let keys: Vec<String> = redis::cmd("KEYS")
        .arg("palisade:*")
        .query_async(&mut conn)
        .await
        .unwrap();
    assert!(!keys.is_empty());
    assert!(keys.iter().all(|k| !k.contains("x.test")), "{keys:?}");
}

#[tokio::test]
async fn cors_answers_only_configured_origins() {
    let app = spawn_app_with(|c| c.server.cors_origins = vec!["https://app.example.com".into()]).await;
    let preflight = |origin: &'static str| {
        app.client
            .request(Method::OPTIONS, app.url("/api/v1/leads"))
            .header(ORIGIN, origin)
            .header("access-control-request-method", "POST")
            .header("access-control-request-headers", "content-type,x-csrf-token")
            .send()
    };
    let ok = preflight("https://app.example.com").await.unwrap();
    assert_eq!(
        ok.headers()["access-control-allow-origin"],
        "https://app.example.com"
    );
    assert_eq!(ok.headers()["access-control-allow-credentials"], "true");
    let evil = preflight("https://evil.example.com").await.unwrap();
    assert!(evil.headers().get("access-control-allow-origin").is_none());
    let r = app
        .client
        .get(app.url("/healthz"))
        .header(ORIGIN, "https://evil.example.com")
        .send()
        .await
        .unwrap();
    assert!(r.headers().get("access-control-allow-origin").is_none());
}

#[tokio::test]
async fn the_cleanup_job_forgets_old_links_and_sessions_only() {
    let app = spawn_app().await;
    let old = api_sign_in(&app, "rep-a1@a.test").await;
    let live = api_sign_in(&app, "rep-a1@a.test").await;
    let su = app.db.superuser().await;
    su.execute(
        "update auth.sessions set ended_at = now() - interval '31 days', end_reason = 'logout', \
         created_at = now() - interval '32 days', last_seen_at = now() - interval '31 days' where id = $1::text::uuid",
        &[&old["session_id"].as_str().unwrap()],
    )
    .await
    .unwrap();
    su.execute(
        "update auth.magic_links set created_at = now() - interval '3 days', expires_at = now() - interval '2 days'",
        &[],
    )
    .await
    .unwrap();
    let links: i64 = su
        .query_one("select count(*) from auth.magic_links", &[])
        .await
        .unwrap()
        .get(0);
    let jobs = palisade_jobs::Jobs::new(
        app.db.db.clone(),
        palisade_mail::Mailer::mailbox(app.mailbox.path().into(), "t@x.test"),
    );
    let purged = jobs.run_once(palisade_jobs::Job::SignInCleanup).await.unwrap();
    assert_eq!(purged, u64::try_from(links).unwrap() + 1);
    let left: Vec<String> = su
        .query(
            "select id::text from auth.sessions where user_id = $1",
            &[app.world().rep_a1.as_uuid()],
        )
        .await
        .unwrap()
        .iter()
        .map(|r| r.get(0))
        .collect();
    assert!(left.contains(&live["session_id"].as_str().unwrap().to_owned()));
    assert!(!left.contains(&old["session_id"].as_str().unwrap().to_owned()));
    // Its sign-in is still in the access log.
    let n: i64 = su
        .query_one(
            "select count(*) from audit.access_events where action = 'sign_in' and target_id = $1",
            &[&old["session_id"].as_str().unwrap()],
        )
        .await
        .unwrap()
        .get(0);
    assert_eq!(n, 1);
}
