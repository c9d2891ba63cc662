//! A lead's consent: the state per channel and purpose, the whole ledger with its evidence (nothing
//! in it is ever changed or removed), and the form that records an opt-in or an opt-out, as
//! `/api/v1/leads/{id}/consents` does. Messages go out only under a recorded opt-in.
use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect};
use palisade_core::crm::leads::{self, Lead, Phones};
use palisade_core::messaging::consent::{
    self, Action, ConsentEvent, ConsentLedger, MemberSource, NewConsent,
};
use palisade_core::messaging::{Channel, Purpose};
use palisade_core::CoreError;
use palisade_db::{LeadId, TenantId};
use serde::Deserialize;
use uuid::Uuid;

use super::when;
use crate::state::AppState;
use crate::web::error::{path_id, PageError, PageResult};
use crate::web::page::render_app;
use crate::web::session::{FormPost, Visitor};
use crate::web::shell::{self, Shell};

pub struct EventRow {
    what: String,
    granted: bool,
    how: String,
    evidence: String,
    when: String,
}

#[derive(Default, Deserialize)]
pub struct ConsentForm {
    #[serde(default)]
    channel: String,
    #[serde(default)]
    purpose: String,
    #[serde(default)]
    action: String,
    #[serde(default)]
    source: String,
    #[serde(default)]
    form_version: String,
    #[serde(default)]
    consent_text: String,
}

#[derive(Template)]
#[template(path = "app/consent.html")]
struct ConsentPage {
    shell: Shell,
    tenant_id: Uuid,
    lead: Lead,
    ledger: ConsentLedger,
    events: Vec<EventRow>,
    channels: [&'static str; 3],
    purposes: [&'static str; 2],
    form: ConsentForm,
    problem: Option<String>,
}

impl ConsentPage {
    fn picked(&self, field: &str, value: &str) -> bool {
        let typed = match field {
            "channel" => &self.form.channel,
            "purpose" => &self.form.purpose,
            "action" => &self.form.action,
            _ => &self.form.source,
        };
        typed == value
    }
}

fn event(e: ConsentEvent) -> EventRow {
    let how = match e.source.as_str() {
        "inbound_keyword" => "the lead replied with a keyword (STOP, START)",
        "form" => "a form the lead filled in",
        "import" => "imported",
        "admin" => "an admin",
        _ => "recorded by a member",
    };
    let evidence = match (&e.form_version, &e.consent_text_sha256, &e.provider_message_id) {
        (Some(v), Some(h), _) => format!("form {v}, text sha256 {}…", &h[..h.len().min(12)]),
        (Some(v), None, _) => format!("form {v}"),
        (None, Some(h), _) => format!("text sha256 {}…", &h[..h.len().min(12)]),
        (None, None, Some(m)) => format!("message {m}"),
        _ => String::new(),
    };
    EventRow {
        what: format!("{} · {}", e.channel, e.purpose),
        granted: e.action == "grant",
        how: how.into(),
        evidence,
        when: when(e.occurred_at),
    }
}

async fn render(
    state: &AppState,
    visitor: &Visitor,
    (tenant, lead): (&str, &str),
    typed: (ConsentForm, Option<String>),
    status: StatusCode,
) -> PageResult {
    let (lead_id, tenant_uuid) = (path_id(lead)?, path_id(tenant)?);
    let (mut tx, shell) = shell::enter(visitor, tenant_uuid, "leads").await?;
    let tenant = TenantId::from_uuid(tenant_uuid);
    let keys = state.phone_keys();
    let lead = leads::get_with(&mut tx, tenant, LeadId::from_uuid(lead_id), keys, Phones::Masked).await?;
    let mut ledger = consent::ledger_for_lead(&mut tx, tenant, lead_id).await?;
    tx.commit().await?;
    let events = std::mem::take(&mut ledger.events)
        .into_iter()
        .map(event)
        .collect();
    let page = ConsentPage {
        shell,
        tenant_id: tenant_uuid,
        lead,
        ledger,
        events,
        channels: Channel::ALL.map(Channel::as_str),
        purposes: Purpose::ALL.map(Purpose::as_str),
        form: typed.0,
        problem: typed.1,
    };
    Ok(render_app(status, &page))
}

pub async fn show(
    State(state): State<AppState>,
    visitor: Visitor,
    Path((tenant, lead)): Path<(String, String)>,
) -> PageResult {
    let form = ConsentForm {
        action: "grant".into(),
        source: "api".into(),
        ..ConsentForm::default()
    };
    render(&state, &visitor, (&tenant, &lead), (form, None), StatusCode::OK).await
}

/// The form's choices, checked (a choice that is not offered is a broken form, not a typo).
fn parse(form: &ConsentForm) -> Result<NewConsent, PageError> {
    let bad = |what: &str| PageError::BadRequest(format!("Choose {what}."));
    let given = |s: &str| (!s.trim().is_empty()).then(|| s.trim().to_owned());
    Ok(NewConsent {
        channel: Channel::ALL
            .into_iter()
            .find(|c| c.as_str() == form.channel)
            .ok_or_else(|| bad("a channel"))?,
        purpose: Purpose::ALL
            .into_iter()
            .find(|p| p.as_str() == form.purpose)
            .ok_or_else(|| bad("a purpose"))?,
        action: match form.action.as_str() {
            "grant" => Action::Grant,
            "revoke" => Action::Revoke,
            _ => return Err(bad("opt in or opt out")),
        },
        source: match form.source.as_str() {
            "form" => MemberSource::Form,
            "api" => MemberSource::Api,
            _ => return Err(bad("how the lead told you")),
        },
        form_version: given(&form.form_version),
        consent_text: given(&form.consent_text),
        occurred_at: None,
    })
}

pub async fn record(
    State(state): State<AppState>,
    Path((tenant, lead)): Path<(String, String)>,
    post: FormPost<ConsentForm>,
) -> PageResult {
    let input = parse(&post.form)?;
    let (tenant_id, lead_id) = (path_id(&tenant)?, path_id(&lead)?);
    let id = TenantId::from_uuid(tenant_id);
    let mut tx = post.visitor.tx_in(id).await?;
    let me = post.visitor.caller().user_id();
    match consent::record_for_lead(&mut tx, id, me, lead_id, &input).await {
        Ok(_) => tx.commit().await?,
        Err(CoreError::Invalid { message, .. }) => {
            drop(tx);
            let at = (tenant.as_str(), lead.as_str());
            let status = StatusCode::UNPROCESSABLE_ENTITY;
            return render(&state, &post.visitor, at, (post.form, Some(message)), status).await;
        }
        Err(e) => return Err(e.into()),
    }
    Ok(Redirect::to(&format!("/t/{tenant_id}/leads/{lead_id}?done=consent")).into_response())
}
