//! Sign-in with OpenID Connect, end to end against the testkit's fake provider: the full
//! authorization code flow with PKCE, linking by verified email only, sign-up rules, ID tokens that
//! must be refused (nonce, audience, issuer, expiry, signing key), and callbacks that must be refused
//! (no flow cookie, another browser's flow, a tampered state, a replay, an expired flow).
use chrono::Duration;
use palisade_testkit::{spawn_app_with, FakeIdp, IdpUser, Spoil, TestApp, FAKE_CLIENT_ID};
use reqwest::header::{COOKIE, LOCATION, ORIGIN};
use reqwest::StatusCode;
use serde_json::Value;

use crate::client::{Client, ErrorBody};
use crate::sign_in::{browser_sign_in, get_with_session, set_cookie};

const FLOW_COOKIE: &str = "__Host-palisade-oidc";
const SESSION_COOKIE: &str = "__Host-palisade-session";

async fn oidc_app(open_signup: bool) -> (TestApp, FakeIdp) {
    oidc_app_with(open_signup, |_| {}).await
}

async fn oidc_app_with(
    open_signup: bool,
    adjust: impl FnOnce(&mut palisade_server::config::OidcProviderSettings),
) -> (TestApp, FakeIdp) {
    let idp = FakeIdp::start().await;
    let mut settings = idp.settings();
    adjust(&mut settings);
    let app = spawn_app_with(|c| {
        c.auth.oidc.insert("fake".into(), settings);
        c.auth.open_signup = open_signup;
    })
    .await;
    idp.use_clock(app.clock.clock());
    (app, idp)
}

/// A client that shows redirects instead of following them, and keeps no cookies.
fn browser() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

/// Starts a sign-in: the flow cookie (`name=value`) and the provider's authorization URL.
async fn start(app: &TestApp) -> (String, String) {
    let r = browser().get(app.url("/auth/oidc/fake")).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let (cookie, attrs) = set_cookie(r.headers(), FLOW_COOKIE).expect("flow cookie");
    for a in ["Secure", "HttpOnly", "SameSite=Lax", "Path=/"] {
        assert!(attrs.contains(a), "{attrs}");
    }
    let location = r.headers()[LOCATION].to_str().unwrap().to_owned();
    (cookie, location)
}

/// The provider's answer to an authorization request: the callback URL it redirects to.
async fn authorize(url: &str) -> String {
    let r = browser().get(url).send().await.unwrap();
    assert!(r.status().is_redirection(), "{}", r.status());
    r.headers()[LOCATION].to_str().unwrap().to_owned()
}

struct Finished {
    status: StatusCode,
    page: String,
    session: Option<String>,
    flow_cleared: bool,
}

async fn callback(url: &str, cookie: Option<&str>) -> Finished {
    let mut req = browser().get(url);
    if let Some(c) = cookie {
        req = req.header(COOKIE, c);
    }
    let r = req.send().await.unwrap();
    let session = set_cookie(r.headers(), SESSION_COOKIE).map(|(pair, _)| pair);
    let flow_cleared =
        set_cookie(r.headers(), FLOW_COOKIE).is_some_and(|(_, attrs)| attrs.contains("Max-Age=0"));
    Finished {
        status: r.status(),
        page: r.text().await.unwrap(),
        session,
        flow_cleared,
    }
}

/// The whole flow in one browser.
async fn sign_in(app: &TestApp) -> Finished {
    let (cookie, url) = start(app).await;
    let back = authorize(&url).await;
    callback(&back, Some(&cookie)).await
}

async fn whoami(app: &TestApp, session: &str) -> Value {
    get_with_session(app, session, "/api/v1/auth/session").await
}

async fn count(app: &TestApp, sql: &str) -> i64 {
    app.db.superuser().await.query_one(sql, &[]).await.unwrap().get(0)
}

/// Failures are counted per window (migration 0028): close the open ones, then add up.
async fn failures(app: &TestApp, reason: &str) -> i64 {
    crate::close_event_windows(app).await;
    count(
        app,
        &format!(
            "select coalesce(sum((detail ->> 'count')::bigint), 0)::bigint from audit.access_events \
             where action = 'sign_in_failed' and detail ->> 'method' = 'oidc' and detail ->> 'reason' = '{reason}'"
        ),
    )
    .await
}

#[tokio::test]
async fn the_code_flow_signs_in_the_person_with_that_verified_address_and_remembers_the_identity() {
    let (app, idp) = oidc_app(false).await;
    let (_, url) = start(&app).await;
    let url = reqwest::Url::parse(&url).unwrap();
    assert!(url.as_str().starts_with(&format!("{}/authorize?", idp.issuer)));
    let q: std::collections::HashMap<_, _> = url.query_pairs().into_owned().collect();
    assert_eq!(q["response_type"], "code");
    assert_eq!(q["client_id"], FAKE_CLIENT_ID);
    assert_eq!(q["code_challenge_method"], "S256");
    assert_eq!(q["scope"], "openid email profile");
    assert_eq!(q["redirect_uri"], app.url("/auth/oidc/fake/callback"));
    assert_ne!(q["state"], q["nonce"]);

    idp.sign_in_as(IdpUser::verified("subject-1", "REP-A1@a.test"));
    let done = sign_in(&app).await;
    assert_eq!(done.status, 303, "{}", done.page);
    assert!(done.flow_cleared);
    let session = done.session.expect("a session cookie");
    let me = whoami(&app, &session).await;
    assert_eq!(me["user_id"], app.world().rep_a1.to_string());
    assert_eq!(me["state"], "active");

    // The identity is keyed by (issuer, subject): a later sign-in finds it whatever address the
    // provider asserts now, verified or not.
    idp.sign_in_as(IdpUser {
        email_verified: None,
        ..IdpUser::verified("subject-1", "renamed@elsewhere.test")
    });
    let again = sign_in(&app).await;
    assert_eq!(again.status, 303, "{}", again.page);
    let me = whoami(&app, &again.session.unwrap()).await;
    assert_eq!(me["user_id"], app.world().rep_a1.to_string());
    assert_eq!(
        count(&app, &format!("select count(*) from auth.identities where issuer <> 'https://idp.fixture' and user_id = '{}'", app.world().rep_a1)).await,
        1
    );
    assert_eq!(
        count(
            &app,
            "select count(*) from audit.access_events where action = 'identity_linked'"
        )
        .await,
        1
    );
    assert_eq!(
        count(&app, "select count(*) from auth.sessions where method = 'oidc'").await,
        2
    );
    assert_eq!(idp.token_requests(), 2);
}

#[tokio::test]
async fn an_address_the_provider_did_not_verify_is_never_linked_or_used_to_sign_up() {
    let (app, idp) = oidc_app(true).await;
    for verified in [Some(false), None] {
        idp.sign_in_as(IdpUser {
            email_verified: verified,
            ..IdpUser::verified("attacker", "rep-a1@a.test")
        });
        let done = sign_in(&app).await;
        assert_eq!(done.status, 403, "{}", done.page);
        assert!(done.page.contains("not verified"));
        assert!(done.session.is_none());
    }
    // Open sign-up does not let an unverified address create a person either.
    idp.sign_in_as(IdpUser {
        email_verified: Some(false),
        ..IdpUser::verified("newcomer", "newcomer@x.test")
    });
    assert_eq!(sign_in(&app).await.status, 403);
    assert_eq!(
        count(
            &app,
            "select count(*) from auth.identities where issuer <> 'https://idp.fixture'"
        )
        .await,
        0
    );
    assert_eq!(
        count(
            &app,
            "select count(*) from app.users where email = 'newcomer@x.test'"
        )
        .await,
        0
    );
    assert_eq!(failures(&app, "email_not_verified").await, 3);
}

#[tokio::test]
async fn a_new_address_needs_an_invitation_or_open_sign_up() {
    let (app, idp) = oidc_app(false).await;
    idp.sign_in_as(IdpUser::verified("stranger", "stranger@x.test"));
    let done = sign_in(&app).await;
    assert_eq!(done.status, 403);
    assert!(done.page.contains("No Palisade account"));
    assert!(done.session.is_none());
    assert_eq!(failures(&app, "no_account").await, 1);

    // The fixture's pending invitation lets its address in.
    idp.sign_in_as(IdpUser::verified("invitee", "invitee@a.test"));
    let done = sign_in(&app).await;
    assert_eq!(done.status, 303, "{}", done.page);
    assert!(done.session.is_some());

    let (open, idp) = oidc_app(true).await;
    idp.sign_in_as(IdpUser::verified("stranger", "stranger@x.test"));
    let done = sign_in(&open).await;
    assert_eq!(done.status, 303, "{}", done.page);
    assert_eq!(
        count(
            &open,
            "select count(*) from app.users where email = 'stranger@x.test' and display_name = 'Test Person'"
        )
        .await,
        1
    );
}

#[tokio::test]
async fn id_tokens_with_a_wrong_nonce_audience_issuer_time_or_signature_are_refused() {
    let (app, idp) = oidc_app(true).await;
    idp.sign_in_as(IdpUser::verified("subject-1", "rep-a1@a.test"));
    let spoils = [
        Spoil::WrongNonce,
        Spoil::WrongAudience,
        Spoil::WrongIssuer,
        Spoil::Expired,
        Spoil::ForeignKey,
        Spoil::ExtraAudience,
        Spoil::WrongAuthorizedParty,
        Spoil::Hs256WithClientSecret,
        Spoil::Unsigned,
        Spoil::IssuedAhead,
    ];
    for spoil in spoils {
        idp.spoil(spoil);
        let done = sign_in(&app).await;
        assert_eq!(done.status, 400, "{spoil:?}: {}", done.page);
        assert!(done.session.is_none(), "{spoil:?}");
        assert!(done.flow_cleared, "{spoil:?}");
    }
    assert_eq!(idp.token_requests(), spoils.len() as u32);
    assert_eq!(failures(&app, "invalid_id_token").await, spoils.len() as i64);
    assert_eq!(
        count(
            &app,
            "select count(*) from auth.identities where issuer <> 'https://idp.fixture'"
        )
        .await,
        0
    );
    assert_eq!(
        count(&app, "select count(*) from auth.sessions where method = 'oidc'").await,
        0
    );

    // The same provider and person, unspoiled, sign in: the refusals were about the tokens.
    idp.spoil(Spoil::Nothing);
    assert_eq!(sign_in(&app).await.status, 303);
}

#[tokio::test]
async fn a_callback_works_once_and_only_in_the_browser_that_started_it() {
    let (app, idp) = oidc_app(false).await;
    idp.sign_in_as(IdpUser::verified("subject-1", "rep-a1@a.test"));

    // No flow cookie: a link sent to someone else, or a code injected into their browser.
    let (_, url) = start(&app).await;
    let back = authorize(&url).await;
    assert_eq!(callback(&back, None).await.status, 400);

    // Another flow's cookie (two tabs, or an attacker's own flow).
    let (other_cookie, _) = start(&app).await;
    assert_eq!(callback(&back, Some(&other_cookie)).await.status, 400);

    // A tampered state.
    let (cookie, url) = start(&app).await;
    let back = authorize(&url).await;
    let tampered = back.replace("state=", "state=x");
    assert_eq!(callback(&tampered, Some(&cookie)).await.status, 400);
    // A tampered flow cookie.
    let mut bad_cookie = cookie.clone().into_bytes();
    let i = FLOW_COOKIE.len() + 10;
    bad_cookie[i] = if bad_cookie[i] == b'A' { b'B' } else { b'A' };
    let bad_cookie = String::from_utf8(bad_cookie).unwrap();
    assert_eq!(callback(&back, Some(&bad_cookie)).await.status, 400);
    // None of these reached the token endpoint.
    assert_eq!(idp.token_requests(), 0);
    assert_eq!(failures(&app, "invalid_state").await, 4);

    // The genuine callback signs in. Replaying it fails at the provider, which takes a code once
    // (the callback also clears the flow cookie, so a browser does not replay it).
    let done = callback(&back, Some(&cookie)).await;
    assert_eq!(done.status, 303, "{}", done.page);
    let replay = callback(&back, Some(&cookie)).await;
    assert_eq!(replay.status, 400);
    assert!(replay.session.is_none());
    assert_eq!(failures(&app, "token_exchange_failed").await, 1);

    // A flow older than ten minutes has expired.
    let (cookie, url) = start(&app).await;
    let back = authorize(&url).await;
    app.clock.advance(Duration::minutes(11));
    assert_eq!(callback(&back, Some(&cookie)).await.status, 400);
    assert_eq!(failures(&app, "invalid_state").await, 5);
}

#[tokio::test]
async fn a_cancelled_sign_in_and_an_unknown_provider_get_clear_pages() {
    let (app, idp) = oidc_app(false).await;
    idp.spoil(Spoil::Deny);
    let done = sign_in(&app).await;
    assert_eq!(done.status, 400);
    assert!(done.page.contains("cancelled"), "{}", done.page);
    assert_eq!(failures(&app, "provider_error").await, 1);
    assert_eq!(idp.token_requests(), 0);

    let r = browser().get(app.url("/auth/oidc/nope")).send().await.unwrap();
    assert_eq!(r.status(), 404);
    let r = browser()
        .get(app.url("/auth/oidc/nope/callback?code=x&state=y"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 404);

    let listed: Value = Client::anonymous(&app)
        .get("/api/v1/auth/oidc/providers", StatusCode::OK)
        .await;
    assert_eq!(listed["providers"][0]["id"], "fake");
    assert_eq!(listed["providers"][0]["name"], "Fake IdP");
    assert_eq!(listed["providers"][0]["sign_in_url"], app.url("/auth/oidc/fake"));
}

#[tokio::test]
async fn an_unreachable_provider_is_unavailable_not_an_error() {
    let idp = FakeIdp::start().await;
    let mut settings = idp.settings();
    // Nothing listens on port 9 of 127.0.0.1 (discard), so discovery fails fast.
    settings.issuer = "http://127.0.0.1:9".into();
    let app = spawn_app_with(|c| {
        c.auth.oidc.insert("down".into(), settings);
    })
    .await;
    let r = browser().get(app.url("/auth/oidc/down")).send().await.unwrap();
    assert_eq!(r.status(), 503);
    assert!(set_cookie(r.headers(), FLOW_COOKIE).is_none());
}

#[tokio::test]
async fn disabled_people_second_factors_and_tenant_rules_apply_to_oidc_sign_ins() {
    let (app, idp) = oidc_app(false).await;
    let su = app.db.superuser().await;
    let world = app.world();

    // rep_a2 has a second factor: the session waits for it.
    idp.sign_in_as(IdpUser::verified("subject-2", "rep-a2@a.test"));
    let done = sign_in(&app).await;
    assert_eq!(done.status, 303);
    assert_eq!(whoami(&app, &done.session.unwrap()).await["state"], "mfa_pending");

    // A tenant that allows only magic links refuses rep_a1's OIDC session there.
    idp.sign_in_as(IdpUser::verified("subject-1", "rep-a1@a.test"));
    let session = sign_in(&app).await.session.unwrap();
    su.execute(
        "update app.tenants set sign_in_methods = '{magic_link}' where id = $1",
        &[world.tenant_a.as_uuid()],
    )
    .await
    .unwrap();
    let e: ErrorBody = Client::anonymous(&app)
        .header("cookie", &session)
        .header("x-palisade-tenant", &world.tenant_a.to_string())
        .get("/api/v1/leads", StatusCode::FORBIDDEN)
        .await;
    assert_eq!(e.code(), "sign_in_method_not_allowed");

    // A disabled person is refused at the callback, by identity and by address.
    su.execute(
        "update app.users set disabled_at = now() where id = $1",
        &[world.rep_a1.as_uuid()],
    )
    .await
    .unwrap();
    for subject in ["subject-1", "subject-new"] {
        idp.sign_in_as(IdpUser::verified(subject, "rep-a1@a.test"));
        let done = sign_in(&app).await;
        assert_eq!(done.status, 403, "{subject}");
        assert!(done.session.is_none());
    }
    assert_eq!(failures(&app, "disabled").await, 2);
    assert_eq!(
        count(
            &app,
            "select count(*) from auth.identities where subject = 'subject-new'"
        )
        .await,
        0
    );
}

/// Starts connecting the provider from a signed-in browser: the flow cookie and the authorization URL.
async fn connect(app: &TestApp, session: &str, csrf: &str) -> (String, String) {
    let r = app
        .client
        .post(app.url("/api/v1/me/identities"))
        .header(COOKIE, session)
        .header(ORIGIN, app.url(""))
        .header("x-csrf-token", csrf)
        .json(&serde_json::json!({"provider": "fake"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let (cookie, _) = set_cookie(r.headers(), FLOW_COOKIE).expect("flow cookie");
    let body: Value = r.json().await.unwrap();
    (cookie, body["authorization_url"].as_str().unwrap().to_owned())
}

#[tokio::test]
async fn a_provider_not_trusted_with_addresses_is_connected_from_a_recent_session() {
    let (app, idp) = oidc_app_with(false, |p| p.link_by_email = false).await;
    idp.sign_in_as(IdpUser::verified("ms-1", "rep-a1@a.test"));
    let done = sign_in(&app).await;
    assert_eq!(done.status, 403);
    assert!(done.page.contains("not connected"), "{}", done.page);
    assert_eq!(failures(&app, "not_linked").await, 1);

    // rep_a1 signs in with an email link and connects the provider from that browser.
    let (session, csrf) = browser_sign_in(&app, "rep-a1@a.test").await;
    let mails_before = app.mails().len();
    let (flow, url) = connect(&app, &session, &csrf).await;
    let back = authorize(&url).await;
    // Finishing in a browser without that session (or with none) does nothing.
    assert_eq!(callback(&back, Some(&flow)).await.status, 400);
    let (other_session, _) = browser_sign_in(&app, "rep-a2@a.test").await;
    let elsewhere = format!("{flow}; {other_session}");
    assert_eq!(callback(&back, Some(&elsewhere)).await.status, 400);
    assert_eq!(
        idp.token_requests(),
        1,
        "only the first, refused sign-in reached the provider"
    );
    let (flow, url) = connect(&app, &session, &csrf).await;
    let back = authorize(&url).await;
    let done = callback(&back, Some(&format!("{flow}; {session}"))).await;
    assert_eq!(done.status, 200, "{}", done.page);
    assert!(done.page.contains("Fake IdP is connected"), "{}", done.page);
    assert!(done.session.is_none(), "linking signs nobody in");
    let mails = app.wait_for_mails(mails_before + 2).await;
    assert!(
        mails.last().unwrap().contains("Fake IdP sign-in connected"),
        "{}",
        mails.last().unwrap()
    );

    // From now on the provider signs rep_a1 in.
    let done = sign_in(&app).await;
    assert_eq!(done.status, 303, "{}", done.page);
    assert_eq!(
        whoami(&app, &done.session.unwrap()).await["user_id"],
        app.world().rep_a1.to_string()
    );

    // Someone else cannot connect the same identity.
    let (session_2, csrf_2) = browser_sign_in(&app, "manager-a@a.test").await;
    let (flow, url) = connect(&app, &session_2, &csrf_2).await;
    let back = authorize(&url).await;
    assert_eq!(
        callback(&back, Some(&format!("{flow}; {session_2}")))
            .await
            .status,
        409
    );

    // The identity is listed with its provider, and removed with a recent sign-in.
    let listed = get_with_session(&app, &session, "/api/v1/me/identities").await;
    let mine: Vec<&Value> = listed["identities"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|i| i["provider"] == "fake")
        .collect();
    assert_eq!(mine.len(), 1, "{listed}");
    let id = mine[0]["id"].as_str().unwrap();
    let origin = app.url("");
    let remove = async |session: &str, csrf: &str, expect: StatusCode| {
        let browser = Client::anonymous(&app)
            .header("cookie", session)
            .header("origin", &origin)
            .header("x-csrf-token", csrf);
        let path = format!("/api/v1/me/identities/{id}");
        browser.delete::<Value>(&path, expect).await;
    };
    remove(&session_2, &csrf_2, StatusCode::NOT_FOUND).await;
    remove(&session, &csrf, StatusCode::NO_CONTENT).await;
    assert_eq!(
        count(
            &app,
            "select count(*) from audit.access_events where action = 'identity_unlinked'"
        )
        .await,
        1
    );
    assert_eq!(sign_in(&app).await.status, 403);

    // Eleven minutes after signing in, connecting needs a fresh sign-in.
    app.clock.advance(Duration::minutes(9));
    let (flow, url) = connect(&app, &session, &csrf).await;
    let back = authorize(&url).await;
    app.clock.advance(Duration::minutes(2));
    let done = callback(&back, Some(&format!("{flow}; {session}"))).await;
    assert_eq!(done.status, 403, "{}", done.page);
    assert!(done.page.contains("Sign in again"), "{}", done.page);
}

#[tokio::test]
async fn a_provider_limited_to_some_domains_links_only_those_addresses() {
    let (app, idp) = oidc_app_with(false, |p| p.email_domains = vec!["b.test".into()]).await;
    idp.sign_in_as(IdpUser::verified("a1", "rep-a1@a.test"));
    assert_eq!(sign_in(&app).await.status, 403);
    idp.sign_in_as(IdpUser::verified("b1", "rep-b1@b.test"));
    let done = sign_in(&app).await;
    assert_eq!(done.status, 303, "{}", done.page);
    assert_eq!(
        whoami(&app, &done.session.unwrap()).await["user_id"],
        app.world().rep_b1.to_string()
    );
    // The person is told a sign-in was connected to their account.
    let mails = app.wait_for_mails(1).await;
    assert!(mails
        .iter()
        .any(|m| m.contains("rep-b1@b.test") && m.contains("Fake IdP sign-in connected")));
}

#[tokio::test]
async fn a_rotated_provider_key_is_fetched_and_a_failing_discovery_is_not_hammered() {
    let (app, idp) = oidc_app(false).await;
    idp.sign_in_as(IdpUser::verified("subject-1", "rep-a1@a.test"));
    assert_eq!(sign_in(&app).await.status, 303);
    assert_eq!(idp.discovery_requests(), 1, "cached after the first sign-in");

    // The provider rotates its key: a token under the unknown key id makes the server fetch the
    // keys again (at most once a minute) and the sign-in succeeds.
    idp.rotate_key().await;
    app.clock.advance(Duration::seconds(61));
    let done = sign_in(&app).await;
    assert_eq!(done.status, 303, "{}", done.page);
    assert_eq!(idp.discovery_requests(), 2);

    // Discovery breaks after the cache expires: the last good copy serves, and the provider is asked
    // again only after the back-off.
    idp.fail_discovery(true);
    app.clock.advance(Duration::minutes(16));
    assert_eq!(sign_in(&app).await.status, 303);
    assert_eq!(sign_in(&app).await.status, 303);
    assert_eq!(idp.discovery_requests(), 3);

    // A server that never reached the provider says so, without asking again at every request.
    let (fresh, down) = oidc_app(false).await;
    down.fail_discovery(true);
    for _ in 0..3 {
        let r = browser().get(fresh.url("/auth/oidc/fake")).send().await.unwrap();
        assert_eq!(r.status(), 503);
    }
    assert_eq!(down.discovery_requests(), 1);
    fresh.clock.advance(Duration::seconds(31));
    down.fail_discovery(false);
    let r = browser().get(fresh.url("/auth/oidc/fake")).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
}
