//! One lead: its facts, its number (masked until the person asks; asking is access-logged), its
//! interaction timeline and the form that logs a new one.
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect};
use palisade_core::crm::interactions::{self, InteractionFilter, NewInteraction};
use palisade_core::crm::leads::{self, Lead, Phones};
use palisade_core::CoreError;
use palisade_db::{LeadId, TenantId};
use serde::Deserialize;
use uuid::Uuid;

use super::{when, CHANNELS, DIRECTIONS};
use crate::state::AppState;
use crate::web::error::{path_id, PageError, PageResult};
use crate::web::page::render_app;
use crate::web::session::{FormPost, Visitor};
use crate::web::shell::{self, Shell};

const TIMELINE: i64 = 25;

pub struct Entry {
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
    before: Option<String>,
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
        channel: channel_label(&i.channel),
        direction: direction_label(&i.direction),
        body: i.body.unwrap_or_default(),
        when: when(i.occurred_at),
        by_me: i.actor_id == me,
        advised: i.advised,
    }
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
    let lead = leads::get_with(
        &mut tx,
        tenant,
        LeadId::from_uuid(lead_id),
        state.phone_keys(),
        phones,
    )
    .await?;
    let filter = InteractionFilter {
        lead_id: Some(lead_id),
        limit: Some(TIMELINE),
        cursor: view.before,
        ..InteractionFilter::default()
    };
    let page = interactions::list(&mut tx, tenant, &filter).await?;
    tx.commit().await?;
    let me = *visitor.caller().user_id().as_uuid();
    let page = LeadPage {
        shell,
        tenant_id: tenant_uuid,
        updated: when(lead.updated_at),
        phone: lead.phone.clone(),
        lead,
        timeline: page.items.into_iter().map(|i| entry(i, me)).collect(),
        older: page.next_cursor,
        channels: &CHANNELS,
        directions: &DIRECTIONS,
        form: view.form,
        errors: view.errors,
        notice: view.notice,
    };
    Ok(render_app(status, &page))
}

pub async fn show(
    State(state): State<AppState>,
    visitor: Visitor,
    Path((tenant, lead)): Path<(String, String)>,
    Query(query): Query<DetailQuery>,
) -> PageResult {
    let before = match query.before.as_deref() {
        None | Some("") => None,
        Some(b) => Some(
            b.parse()
                .map_err(|_| PageError::BadRequest("the page link is broken".into()))?,
        ),
    };
    let view = View {
        notice: query.logged.is_some().then_some("Interaction logged."),
        before,
        ..View::default()
    };
    render(&state, &visitor, (&tenant, &lead), view, StatusCode::OK).await
}

#[derive(Deserialize)]
pub struct Nothing {}

/// Shows the number: the read is access-logged, like every read of a number through the API.
pub async fn reveal(
    State(state): State<AppState>,
    Path((tenant, lead)): Path<(String, String)>,
    post: FormPost<Nothing>,
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
    let mut tx = post.visitor.tx_in(TenantId::from_uuid(tenant_id)).await?;
    match interactions::create(
        &mut tx,
        TenantId::from_uuid(tenant_id),
        post.visitor.caller().user_id(),
        &input,
    )
    .await
    {
        Ok(_) => tx.commit().await?,
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
