//! One lead: its facts, its number (masked until the person asks; asking is access-logged), its
//! interaction timeline and the form that logs a new one.
use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect};
use palisade_core::crm::interactions::{self, InteractionFilter, NewInteraction};
use palisade_core::crm::leads::{self, Lead, Phones};
use palisade_core::CoreError;
use palisade_db::{LeadId, TenantId};
use serde::Deserialize;
use uuid::Uuid;

use super::facts::{self, Facts};
use super::{when, CHANNELS, DIRECTIONS};
use crate::state::AppState;
use crate::web::error::{cursor, path_id, PageError, PageResult};
use crate::web::page::render_app;
use crate::web::session::{FormPost, NoFields, PageQuery, Visitor};
use crate::web::shell::{self, Shell};

/// Interactions per page of the timeline: a screenful or two, and one small query.
const TIMELINE: i64 = 25;

pub struct Entry {
    id: Uuid,
    /// Whether it went to HubSpot (none: not marked).
    crm: Option<&'static str>,
    channel: &'static str,
    direction: &'static str,
    body: String,
    when: String,
    by_me: bool,
    advised: bool,
}

/// The interaction form as typed, and what was wrong with it.
#[derive(Default, Deserialize)]
pub struct LogForm {
    #[serde(default)]
    channel: String,
    #[serde(default)]
    direction: String,
    #[serde(default)]
    body: String,
}

#[derive(Default)]
struct FormErrors {
    channel: Option<&'static str>,
    direction: Option<&'static str>,
    body: Option<String>,
}

#[derive(Template)]
#[template(path = "app/lead.html")]
struct LeadPage {
    shell: Shell,
    tenant_id: Uuid,
    lead: Lead,
    updated: String,
    /// The opened number, after the person asked for it.
    phone: Option<String>,
    timeline: Vec<Entry>,
    older: Option<Uuid>,
    channels: &'static [(palisade_core::crm::interactions::Channel, &'static str)],
    directions: &'static [(palisade_core::crm::interactions::Direction, &'static str)],
    form: LogForm,
    errors: FormErrors,
    notice: Option<&'static str>,
    facts: Facts,
    /// The lead is a HubSpot contact and the workspace writes back: interactions can be sent.
    crm_markable: bool,
}

impl LeadPage {
    fn channel_selected(&self, value: &str) -> bool {
        self.form.channel == value || (self.form.channel.is_empty() && value == "note")
    }

    fn direction_selected(&self, value: &str) -> bool {
        self.form.direction == value || (self.form.direction.is_empty() && value == "internal")
    }
}

#[derive(Default, Deserialize)]
pub struct DetailQuery {
    #[serde(default)]
    logged: Option<String>,
    #[serde(default)]
    sent: Option<String>,
    #[serde(default)]
    before: Option<String>,
    #[serde(default)]
    done: Option<String>,
}

/// What a page render needs besides the lead's address.
#[derive(Default)]
struct View {
    phones: Option<Phones>,
    form: LogForm,
    errors: FormErrors,
    notice: Option<&'static str>,
    before: Option<Uuid>,
}

fn channel_label(value: &str) -> &'static str {
    CHANNELS
        .iter()
        .find(|(c, _)| c.as_str() == value)
        .map_or("Other", |(_, l)| l)
}

fn direction_label(value: &str) -> &'static str {
    DIRECTIONS
        .iter()
        .find(|(d, _)| d.as_str() == value)
        .map_or("", |(_, l)| l)
}

fn entry(i: interactions::Interaction, me: Uuid) -> Entry {
    Entry {
        id: i.id,
        crm: None,
        channel: channel_label(&i.channel),
        direction: direction_label(&i.direction),
        body: i.body.unwrap_or_default(),
        when: when(i.occurred_at),
        by_me: i.actor_id == me,
        advised: i.advised,
    }
}

/// A page of the lead's interactions, newest first, below `before`.
async fn timeline(
    tx: &mut palisade_db::Tx,
    tenant: TenantId,
    lead: Uuid,
    before: Option<Uuid>,
    me: Uuid,
) -> Result<(Vec<Entry>, Option<Uuid>), PageError> {
    let filter = InteractionFilter {
        lead_id: Some(lead),
        limit: Some(TIMELINE),
        cursor: before,
        ..InteractionFilter::default()
    };
    let page = interactions::list(tx, tenant, &filter).await?;
    Ok((
        page.items.into_iter().map(|i| entry(i, me)).collect(),
        page.next_cursor,
    ))
}

async fn render(
    state: &AppState,
    visitor: &Visitor,
    (tenant, lead): (&str, &str),
    view: View,
    status: StatusCode,
) -> PageResult {
    let (lead_id, tenant_uuid) = (path_id(lead)?, path_id(tenant)?);
    let (mut tx, shell) = shell::enter(visitor, tenant_uuid, "leads").await?;
    let tenant = TenantId::from_uuid(tenant_uuid);
    let phones = view.phones.unwrap_or(Phones::Masked);
    let keys = state.phone_keys();
    let lead = leads::get_with(&mut tx, tenant, LeadId::from_uuid(lead_id), keys, phones).await?;
    let me = *visitor.caller().user_id().as_uuid();
    let manager = shell.tenant.as_ref().is_some_and(|t| t.is_manager);
    let facts = facts::load(&mut tx, tenant, &lead, me, manager).await?;
    let (mut timeline, older) = timeline(&mut tx, tenant, lead_id, view.before, me).await?;
    let ids: Vec<Uuid> = timeline.iter().map(|e| e.id).collect();
    let (crm_markable, marked) = super::crm::states(&mut tx, tenant, lead_id, &ids).await?;
    for e in &mut timeline {
        e.crm = marked.get(&e.id).copied();
    }
    tx.commit().await?;
    let page = LeadPage {
        shell,
        tenant_id: tenant_uuid,
        updated: when(lead.updated_at),
        phone: lead.phone.clone(),
        lead,
        timeline,
        older,
        channels: &CHANNELS,
        directions: &DIRECTIONS,
        form: view.form,
        errors: view.errors,
        notice: view.notice,
        facts,
        crm_markable,
    };
    Ok(render_app(status, &page))
}

pub async fn show(
    State(state): State<AppState>,
    visitor: Visitor,
    Path((tenant, lead)): Path<(String, String)>,
    PageQuery(query): PageQuery<DetailQuery>,
) -> PageResult {
    let before = cursor(query.before.as_deref().unwrap_or(""))?;
    let view = View {
        notice: match (&query.sent, &query.logged, &query.done) {
            (Some(_), _, _) => Some("Message queued for delivery."),
            (_, Some(_), _) => Some("Interaction logged."),
            (_, _, Some(done)) if done == "assigned" => Some("Lead assigned."),
            (_, _, Some(done)) if done == "consent" => Some("Consent recorded."),
            (_, _, Some(done)) if done == "resumed" => Some("Auto-replies resumed in that conversation."),
            (_, _, Some(done)) if done == "crm" => {
                Some("Queued for HubSpot: it goes as a note with the next sync.")
            }
            _ => None,
        },
        before,
        ..View::default()
    };
    render(&state, &visitor, (&tenant, &lead), view, StatusCode::OK).await
}

/// Shows the number: the read is access-logged, like every read of a number through the API.
pub async fn reveal(
    State(state): State<AppState>,
    Path((tenant, lead)): Path<(String, String)>,
    post: FormPost<NoFields>,
) -> PageResult {
    let view = View {
        phones: Some(Phones::Open),
        ..View::default()
    };
    render(&state, &post.visitor, (&tenant, &lead), view, StatusCode::OK).await
}

/// The form's choices, checked; the errors say what to fix next to each field.
fn parse(form: &LogForm, lead: Uuid) -> Result<NewInteraction, FormErrors> {
    let channel = CHANNELS
        .iter()
        .find(|(c, _)| c.as_str() == form.channel)
        .map(|(c, _)| *c);
    let direction = DIRECTIONS
        .iter()
        .find(|(d, _)| d.as_str() == form.direction)
        .map(|(d, _)| *d);
    let body = form.body.trim();
    let errors = FormErrors {
        channel: channel.is_none().then_some("Choose how you were in touch."),
        direction: direction.is_none().then_some("Choose a direction."),
        body: body.is_empty().then(|| "Write what happened.".to_owned()),
    };
    match (channel, direction, errors.body.is_none()) {
        (Some(channel), Some(direction), true) => Ok(NewInteraction {
            lead_id: lead,
            channel,
            direction,
            body: Some(body.to_owned()),
            occurred_at: None,
            advised: false,
        }),
        _ => Err(errors),
    }
}

pub async fn log(
    State(state): State<AppState>,
    Path((tenant, lead)): Path<(String, String)>,
    post: FormPost<LogForm>,
) -> PageResult {
    let (tenant_id, lead_id) = (path_id(&tenant)?, path_id(&lead)?);
    let input = match parse(&post.form, lead_id) {
        Ok(input) => input,
        Err(errors) => return refused(&state, post, (&tenant, &lead), errors).await,
    };
    let id = TenantId::from_uuid(tenant_id);
    let mut tx = post.visitor.tx_in(id).await?;
    let created = interactions::create(&mut tx, id, post.visitor.caller().user_id(), &input).await;
    match created {
        Ok(_) => tx.commit().await?,
        // A lead the visitor cannot see, as for any address naming one.
        Err(CoreError::Unknown {
            code: "unknown_lead", ..
        }) => return Err(PageError::NotFound),
        Err(CoreError::Invalid {
            code: "invalid_field",
            message,
        }) => {
            drop(tx);
            let errors = FormErrors {
                body: Some(message),
                ..FormErrors::default()
            };
            return refused(&state, post, (&tenant, &lead), errors).await;
        }
        Err(e) => return Err(e.into()),
    }
    Ok(Redirect::to(&format!("/t/{tenant_id}/leads/{lead_id}?logged=1")).into_response())
}

/// The page again with what was typed and what to fix (422).
async fn refused(
    state: &AppState,
    post: FormPost<LogForm>,
    at: (&str, &str),
    errors: FormErrors,
) -> PageResult {
    let view = View {
        form: post.form,
        errors,
        ..View::default()
    };
    render(state, &post.visitor, at, view, StatusCode::UNPROCESSABLE_ENTITY).await
}
