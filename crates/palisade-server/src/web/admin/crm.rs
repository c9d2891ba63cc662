//! The HubSpot page (admins): the connection, how the sync is doing, and what it writes back.
//! Connecting by OAuth: "Connect HubSpot" sets a flow cookie and sends the browser to HubSpot,
//! which sends it back to `/oauth/hubspot/callback` with a code; the code works only in the browser
//! holding the cookie, for the workspace the flow was started for, and for one of its admins.
use askama::Template;
use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode, Uri};
use axum::response::{IntoResponse, Redirect, Response};
use cookie::SameSite;
use palisade_auth::oidc_flow_cookie::OidcFlow;
use palisade_core::crm_sync::connection::{self, ConnectionPatch, Kind, NewConnection, Tokens};
use secrecy::SecretString;
use serde::Deserialize;

use super::as_admin_of;
use crate::crm_sync::connection::{
    adopt_portal, connect_private_app, disconnect_tenant, status, HubspotStatus,
};
use crate::cross_site;
use crate::error::ApiError;
use crate::state::AppState;
use crate::web::error::{PageError, PageResult};
use crate::web::page::render_app;
use crate::web::session::{FormPost, PageQuery, Visitor};
use crate::web::shell::Shell;

const SECTION: &str = "crm";
/// The browser's half of a connection in progress.
pub const CRM_FLOW_COOKIE: &str = "__Host-palisade-crm";
/// How long an admin has at HubSpot's consent screen.
const FLOW_LIFETIME_SECS: i64 = 900;

#[derive(Template)]
#[template(path = "app/crm.html")]
struct CrmPage {
    shell: Shell,
    tenant_id: uuid::Uuid,
    s: HubspotStatus,
    notice: Option<&'static str>,
    problem: Option<String>,
}

impl CrmPage {
    fn kind(&self) -> &'static str {
        match self.s.connection.as_ref().map(|c| c.kind.as_str()) {
            Some("oauth") => "OAuth (the operator's HubSpot app)",
            Some(_) => "Private app token",
            None => "",
        }
    }

    fn lag(&self) -> String {
        match self.s.lag_seconds {
            None => "never synced".into(),
            Some(s) if s < 120 => format!("{s} seconds ago"),
            Some(s) if s < 7200 => format!("{} minutes ago", s / 60),
            Some(s) => format!("{} hours ago", s / 3600),
        }
    }
}

#[derive(Default, Deserialize)]
pub struct Outcome {
    #[serde(default)]
    done: Option<String>,
    #[serde(default)]
    problem: Option<String>,
}

fn notice_of(done: Option<&str>) -> Option<&'static str> {
    match done? {
        "connected" => Some("HubSpot is connected. The first sync starts within a minute."),
        "saved" => Some("Saved."),
        "sync" => Some("A sync starts within a minute."),
        "revoked" => Some("Disconnected: HubSpot revoked Palisade's access."),
        "disconnected" => Some(
            "Disconnected. HubSpot was not asked to revoke access (a private app, or HubSpot could not be reached): \
             remove the app in HubSpot's settings too.",
        ),
        _ => None,
    }
}

fn problem_of(code: Option<&str>) -> Option<String> {
    Some(
        match code? {
            "denied" => "HubSpot did not grant access, so nothing was connected.",
            "expired" => {
                "That HubSpot connection was not started in this browser, or took too long. Start it again."
            }
            _ => "HubSpot could not be connected. Try again.",
        }
        .to_owned(),
    )
}

async fn render(
    state: &AppState,
    visitor: &Visitor,
    tenant: &str,
    notice: Option<&'static str>,
    problem: Option<String>,
) -> PageResult {
    let (mut tx, shell, id) = as_admin_of(visitor, tenant, SECTION).await?;
    let s = status(state, &mut tx, id).await?;
    tx.commit().await?;
    let code = if problem.is_some() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    let page = CrmPage {
        shell,
        tenant_id: *id.as_uuid(),
        s,
        notice,
        problem,
    };
    Ok(render_app(code, &page))
}

pub async fn show(
    State(state): State<AppState>,
    visitor: Visitor,
    Path(tenant): Path<String>,
    PageQuery(q): PageQuery<Outcome>,
) -> PageResult {
    let problem = problem_of(q.problem.as_deref());
    let status = if problem.is_some() {
        None
    } else {
        notice_of(q.done.as_deref())
    };
    let mut page = render(&state, &visitor, &tenant, status, None).await?;
    if problem.is_some() {
        page = render(&state, &visitor, &tenant, None, problem).await?;
    }
    Ok(page)
}

fn back(tenant: uuid::Uuid, done: &str) -> Response {
    Redirect::to(&format!("/t/{tenant}/crm?done={done}")).into_response()
}

#[derive(Default, Deserialize)]
pub struct Empty {}

/// "Connect HubSpot": a flow cookie, and the browser on its way to HubSpot's consent screen.
pub async fn connect(
    State(state): State<AppState>,
    Path(tenant): Path<String>,
    post: FormPost<Empty>,
) -> PageResult {
    let (tx, _, id) = as_admin_of(&post.visitor, &tenant, SECTION).await?;
    tx.commit().await?;
    let flow =
        OidcFlow::start_link("hubspot", state.clock.now(), *id.as_uuid()).ok_or(PageError::Internal)?;
    let url = state
        .hubspot
        .transport
        .authorize_url(state.crm_flow.state(&flow))
        .map_err(ApiError::from)?;
    let location = HeaderValue::from_str(&url).map_err(|_| PageError::Internal)?;
    let cookie = cross_site::set_cookie(
        CRM_FLOW_COOKIE,
        &state.crm_flow.encode(&flow),
        FLOW_LIFETIME_SECS,
        SameSite::Lax,
    );
    let mut response = StatusCode::SEE_OTHER.into_response();
    let headers = response.headers_mut();
    headers.insert(header::LOCATION, location);
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    headers.insert(header::REFERRER_POLICY, HeaderValue::from_static("no-referrer"));
    headers.append(header::SET_COOKIE, cookie);
    Ok(response)
}

#[derive(Deserialize)]
struct CallbackQuery {
    code: Option<String>,
    state: Option<String>,
    error: Option<String>,
}

/// Where HubSpot sends the browser back. The cookie works once, whatever happens.
pub async fn callback(
    State(state): State<AppState>,
    visitor: Visitor,
    headers: HeaderMap,
    uri: Uri,
) -> Response {
    let mut response = match finish(&state, &visitor, &headers, &uri).await {
        Ok(r) => r,
        Err(e) => e.into_response(),
    };
    response
        .headers_mut()
        .append(header::SET_COOKIE, cross_site::clear_cookie(CRM_FLOW_COOKIE));
    response
}

async fn finish(state: &AppState, visitor: &Visitor, headers: &HeaderMap, uri: &Uri) -> PageResult {
    let query: Option<CallbackQuery> = serde_urlencoded::from_str(uri.query().unwrap_or("")).ok();
    let now = state.clock.now();
    let flow = cross_site::cookie(headers, CRM_FLOW_COOKIE)
        .and_then(|c| state.crm_flow.decode(&c))
        .filter(|f| f.provider() == "hubspot")
        .filter(|f| (-60..=FLOW_LIFETIME_SECS).contains(&(now - f.started_at()).num_seconds()));
    let (flow, query) = match (flow, query) {
        (Some(flow), Some(q))
            if q.state
                .as_deref()
                .is_some_and(|s| state.crm_flow.state_matches(&flow, s)) =>
        {
            (flow, q)
        }
        _ => return Err(PageError::BadRequest(
            "This HubSpot connection was not started in this browser, or took too long. Start it again from \
                 the HubSpot page."
                .into(),
        )),
    };
    let tenant = flow.link().ok_or(PageError::Internal)?;
    // Only an admin of the workspace the flow was started for finishes it.
    let (tx, _, id) = as_admin_of(visitor, &tenant.to_string(), SECTION).await?;
    tx.commit().await?;
    let denied = query.error.is_some() || query.code.is_none();
    let code = query.code.unwrap_or_default();
    if denied {
        return Ok(Redirect::to(&format!("/t/{id}/crm?problem=denied")).into_response());
    }
    let grant = state
        .hubspot
        .transport
        .exchange_code(&code)
        .await
        .map_err(ApiError::from)?;
    let info = state
        .hubspot
        .transport
        .oauth_token_info(&grant.access_token)
        .await
        .map_err(ApiError::from)?;
    let tokens = Tokens {
        access: grant.access_token,
        refresh: grant.refresh_token,
    };
    let sealed = connection::seal(&state.keyring, id, &tokens).map_err(ApiError::from)?;
    let new = NewConnection {
        kind: Kind::Oauth,
        portal_id: i64::try_from(info.hub_id).unwrap_or(i64::MAX),
        hub_domain: info.hub_domain.as_deref(),
        scopes: &info.scopes,
        access_expires_at: grant.expires_at,
    };
    let mut tx = visitor.tx_in(id).await?;
    connection::save(&mut tx, id, visitor.caller().user_id(), &new, sealed)
        .await
        .map_err(ApiError::from)?;
    tx.commit().await?;
    adopt_portal(state, id, new.portal_id).await?;
    Ok(back(*id.as_uuid(), "connected"))
}

#[derive(Default, Deserialize)]
pub struct TokenForm {
    #[serde(default)]
    access_token: String,
}

pub async fn private_app(
    State(state): State<AppState>,
    Path(tenant): Path<String>,
    post: FormPost<TokenForm>,
) -> PageResult {
    let (tx, _, id) = as_admin_of(&post.visitor, &tenant, SECTION).await?;
    tx.commit().await?;
    let token = SecretString::from(post.form.access_token.trim().to_owned());
    match connect_private_app(&state, post.visitor.caller(), id, token).await {
        Ok(_) => Ok(back(*id.as_uuid(), "connected")),
        // What HubSpot said (or that it did not answer) is the admin's to see; our own faults are not.
        Err(e) if e.status != StatusCode::INTERNAL_SERVER_ERROR && e.status != StatusCode::FORBIDDEN => {
            let problem = format!("The token was not kept: {}", e.message);
            render(&state, &post.visitor, &tenant, None, Some(problem)).await
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Default, Deserialize)]
pub struct SettingsForm {
    #[serde(default)]
    write_back: Option<String>,
    #[serde(default)]
    gdpr_delete: Option<String>,
}

pub async fn settings(Path(tenant): Path<String>, post: FormPost<SettingsForm>) -> PageResult {
    let (mut tx, _, id) = as_admin_of(&post.visitor, &tenant, SECTION).await?;
    let patch = ConnectionPatch {
        write_back: Some(post.form.write_back.is_some()),
        gdpr_delete: Some(post.form.gdpr_delete.is_some()),
    };
    connection::update(&mut tx, id, &patch)
        .await
        .map_err(ApiError::from)?;
    tx.commit().await?;
    Ok(back(*id.as_uuid(), "saved"))
}

pub async fn sync_now(Path(tenant): Path<String>, post: FormPost<Empty>) -> PageResult {
    let (mut tx, _, id) = as_admin_of(&post.visitor, &tenant, SECTION).await?;
    palisade_core::crm_sync::runs::sync_now(&mut tx, id)
        .await
        .map_err(ApiError::from)?;
    tx.commit().await?;
    Ok(back(*id.as_uuid(), "sync"))
}

pub async fn disconnect(
    State(state): State<AppState>,
    Path(tenant): Path<String>,
    post: FormPost<Empty>,
) -> PageResult {
    let (tx, _, id) = as_admin_of(&post.visitor, &tenant, SECTION).await?;
    tx.commit().await?;
    let revoked = disconnect_tenant(&state, post.visitor.caller(), id).await?;
    Ok(back(
        *id.as_uuid(),
        if revoked { "revoked" } else { "disconnected" },
    ))
}
