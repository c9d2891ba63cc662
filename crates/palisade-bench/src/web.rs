//! Scenario 14: the rep's lead list as the web app's page against the API's JSON of the same page,
//! both with the same browser session (cookie), so the difference is the page: HTML instead of JSON,
//! and the workspace line its header shows.
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{bail, Context};
use reqwest::header::{COOKIE, SET_COOKIE};
use serde_json::json;
use uuid::Uuid;

use crate::load::MakeRequest;
use crate::outcome::{Scenario, Side};
use crate::seed::World;
use crate::server::Server;

pub const NAME: &str = "14. The rep's lead list: the web page (HTML) vs the API's JSON, one session";

fn cookie_pair(r: &reqwest::Response, name: &str) -> Option<String> {
    r.headers()
        .get_all(SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with(&format!("{name}=")))
        .and_then(|v| v.split(';').next())
        .map(str::to_owned)
}

/// The token of the newest sign-in link mailed to `email` since `since`, from the server's
/// development mailbox (waits up to 15 s: links are mailed off the request path).
async fn link_token(server: &Server, email: &str, since: std::time::SystemTime) -> anyhow::Result<String> {
    let dir = server.data_dir.join("mailbox");
    let started = Instant::now();
    while started.elapsed() < Duration::from_secs(15) {
        let mut found: Option<(std::time::SystemTime, String)> = None;
        for entry in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
            let Some(at) = entry
                .metadata()
                .and_then(|m| m.modified())
                .ok()
                .filter(|t| *t >= since)
            else {
                continue;
            };
            let text = std::fs::read_to_string(entry.path()).unwrap_or_default();
            let to_them = text.lines().any(|l| l.starts_with("To:") && l.contains(email));
            let token = text
                .split_whitespace()
                .find_map(|w| w.split("/auth/magic-link?token=").nth(1));
            if let (true, Some(token)) = (to_them, token) {
                if found.as_ref().is_none_or(|(t, _)| at > *t) {
                    found = Some((at, token.to_owned()));
                }
            }
        }
        if let Some((_, token)) = found {
            return Ok(token);
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    bail!("no sign-in link for the rep arrived in {}", dir.display())
}

/// Signs the rep in as a browser, through the API's magic-link routes (the mail goes to the server's
/// development mailbox); returns the session cookie (`name=value`).
async fn rep_session(
    server: &Server,
    world: &World,
    admin: &tokio_postgres::Client,
) -> anyhow::Result<String> {
    let email: String = admin
        .query_one("select email::text from app.users where id = $1", &[&world.rep])
        .await?
        .get(0);
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()?;
    let since = std::time::SystemTime::now() - Duration::from_secs(1);
    let asked = client
        .post(format!("{}/api/v1/auth/magic-link", server.base))
        .json(&json!({"email": email, "client": "browser"}))
        .send()
        .await?;
    let nonce = cookie_pair(&asked, "__Host-palisade-nonce").context("no nonce cookie")?;
    let token = link_token(server, &email, since).await?;
    let consumed = client
        .post(format!("{}/api/v1/auth/magic-link/consume", server.base))
        .header(COOKIE, nonce)
        .json(&json!({ "token": token }))
        .send()
        .await?;
    cookie_pair(&consumed, "__Host-palisade-session").context("no session cookie")
}

fn get(url: String, cookie: String, tenant: Option<Uuid>) -> MakeRequest {
    Arc::new(move |client, _| {
        let req = client.get(&url).header(COOKIE, &cookie);
        match tenant {
            Some(t) => req.header("x-palisade-tenant", t.to_string()),
            None => req,
        }
    })
}

/// The scenario, after checking once that the page answers 200 with the rep's list (a redirect to
/// the sign-in page would otherwise be measured).
pub async fn scenario(
    server: &Server,
    world: &World,
    admin: &tokio_postgres::Client,
) -> anyhow::Result<Scenario> {
    let cookie = rep_session(server, world, admin).await?;
    let page_url = format!("{}/t/{}/leads", server.base, world.tenant);
    let check = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()?
        .get(&page_url)
        .header(COOKIE, &cookie)
        .send()
        .await?;
    if !check.status().is_success() || !check.text().await?.contains("My leads") {
        bail!("the lead list page did not answer with the rep's leads");
    }
    Ok(Scenario::new(
        NAME,
        Side::Http {
            label: "web page (HTML)",
            make: get(page_url, cookie.clone(), None),
        },
        Some(Side::Http {
            label: "API (JSON)",
            make: get(
                format!("{}/api/v1/leads?limit=50", server.base),
                cookie,
                Some(world.tenant),
            ),
        }),
        None,
    ))
}
