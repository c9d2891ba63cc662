//! My phone and daily brief in this workspace: the visitor's own number (sealed at rest, shown only to
//! them), verified with a code sent by SMS or WhatsApp, and the opt-in to a daily WhatsApp brief of
//! their open deals (recorded in the consent ledger; STOP opts out too), as `/api/v1/me/phone` and
//! `/api/v1/me/brief` do.
use askama::Template;
use axum::extract::{Path, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Redirect};
use palisade_core::member_phone::{self, MemberPhone};
use palisade_core::messaging::brief::{self, BriefRequest, BriefSettings};
use palisade_core::messaging::Channel;
use palisade_core::CoreError;
use serde::Deserialize;
use uuid::Uuid;

use super::enter_mine;
use crate::error::ApiError;
use crate::state::AppState;
use crate::web::error::{PageError, PageResult};
use crate::web::leads::when;
use crate::web::page::render_app;
use crate::web::session::{FormPost, PageQuery, Visitor};
use crate::web::shell::Shell;

const SECTION: &str = "phone";
/// What the visitor agrees to when opting in (only its fingerprint is kept, in the consent ledger).
const BRIEF_TEXT: &str = "Send me a daily WhatsApp brief of my open deals at the hour I chose. Reply STOP \
     to stop it at any time.";

#[derive(Default, Deserialize)]
pub struct PhoneForm {
    #[serde(default)]
    phone: String,
    #[serde(default)]
    channel: String,
    #[serde(default)]
    code: String,
    #[serde(default)]
    time_zone: String,
    #[serde(default)]
    hour: String,
}

#[derive(Template)]
#[template(path = "app/phone.html")]
struct PhonePage {
    shell: Shell,
    tenant_id: Uuid,
    phone: Option<MemberPhone>,
    verified: String,
    code_pending: bool,
    brief: BriefSettings,
    brief_text: &'static str,
    hours: Vec<i16>,
    typed: PhoneForm,
    /// Which form `problem` belongs to: "number", "code", "brief".
    problem_at: &'static str,
    problem: Option<String>,
    notice: Option<&'static str>,
}

impl PhonePage {
    /// What still stops the brief, in words.
    fn waiting(&self) -> Option<&'static str> {
        match self.brief.waiting_for {
            Some("no_phone") => Some("Waiting for a number."),
            Some("phone_not_verified") => Some("Waiting for your number to be verified."),
            _ => None,
        }
    }
}

#[derive(Default, Deserialize)]
pub struct Done {
    #[serde(default)]
    done: String,
}

fn notice(done: &str) -> Option<&'static str> {
    Some(match done {
        "number" => "Number saved. Send yourself a code to verify it.",
        "removed" => "Number removed.",
        "code" => "Code sent. It works for ten minutes.",
        "verified" => "Your number is verified.",
        "brief" => "Daily brief saved.",
        "stopped" => "Daily brief stopped.",
        _ => return None,
    })
}

async fn render(
    state: &AppState,
    visitor: &Visitor,
    tenant: &str,
    (typed, problem_at, problem): (PhoneForm, &'static str, Option<String>),
    (notice, status): (Option<&'static str>, StatusCode),
) -> PageResult {
    let (mut tx, shell, id) = enter_mine(visitor, tenant, SECTION).await?;
    let me = visitor.caller().user_id();
    let phone = match member_phone::get_mine(&mut tx, id, me, state.phone_keys()).await {
        Ok(phone) => Some(phone),
        Err(CoreError::NotFound) => None,
        Err(e) => return Err(e.into()),
    };
    let brief = brief::get_mine(&mut tx, id, me).await?;
    tx.commit().await?;
    let now = state.clock.now();
    let page = PhonePage {
        shell,
        tenant_id: *id.as_uuid(),
        verified: phone
            .as_ref()
            .and_then(|p| p.verified_at)
            .map(when)
            .unwrap_or_default(),
        code_pending: phone
            .as_ref()
            .and_then(|p| p.code_expires_at)
            .is_some_and(|t| t > now),
        phone,
        brief,
        brief_text: BRIEF_TEXT,
        hours: (0..24).collect(),
        typed,
        problem_at,
        problem,
        notice,
    };
    Ok(render_app(status, &page))
}

pub async fn show(
    State(state): State<AppState>,
    visitor: Visitor,
    Path(tenant): Path<String>,
    PageQuery(q): PageQuery<Done>,
) -> PageResult {
    let blank = (PhoneForm::default(), "", None);
    render(
        &state,
        &visitor,
        &tenant,
        blank,
        (notice(&q.done), StatusCode::OK),
    )
    .await
}

/// What the visitor asked this page to do.
enum Step {
    SetNumber,
    RemoveNumber,
    SendCode,
    Confirm,
    Subscribe,
    Stop,
}

impl Step {
    fn parse(what: &str) -> Option<Self> {
        Some(match what {
            "number" => Self::SetNumber,
            "remove" => Self::RemoveNumber,
            "send-code" => Self::SendCode,
            "confirm" => Self::Confirm,
            "brief" => Self::Subscribe,
            "stop" => Self::Stop,
            _ => return None,
        })
    }

    /// The form a refusal is shown next to, and the notice after success.
    fn names(&self) -> (&'static str, &'static str) {
        match self {
            Self::SetNumber => ("number", "number"),
            Self::RemoveNumber => ("number", "removed"),
            Self::SendCode => ("code", "code"),
            Self::Confirm => ("code", "verified"),
            Self::Subscribe => ("brief", "brief"),
            Self::Stop => ("brief", "stopped"),
        }
    }
}

/// Runs one step in the visitor's transaction; `Ok(Err(_))` is a refusal to show on the page (a
/// wrong code is committed first: it counts against the five allowed).
async fn run(
    state: &AppState,
    post: &FormPost<PhoneForm>,
    tenant: &str,
    step: &Step,
) -> Result<Result<(), ApiError>, PageError> {
    let (mut tx, _, id) = enter_mine(&post.visitor, tenant, SECTION).await?;
    let me = post.visitor.caller().user_id();
    let f = &post.form;
    let done = match step {
        Step::SetNumber => member_phone::set_mine(&mut tx, id, me, f.phone.trim(), state.phone_keys())
            .await
            .map(drop),
        Step::RemoveNumber => member_phone::delete_mine(&mut tx, id, me).await,
        Step::SendCode => {
            let channel = match f.channel.as_str() {
                "sms" => Channel::Sms,
                "whatsapp" => Channel::Whatsapp,
                _ => return Err(PageError::BadRequest("Choose SMS or WhatsApp.".into())),
            };
            member_phone::send_code(&mut tx, channel).await
        }
        Step::Confirm => match member_phone::confirm_code(&mut tx, &f.code).await? {
            Ok(()) => Ok(()),
            Err(refusal) => {
                tx.commit().await?;
                return Ok(Err(refusal.into()));
            }
        },
        Step::Subscribe => {
            let hour = f
                .hour
                .parse()
                .map_err(|_| PageError::BadRequest("Choose an hour.".into()))?;
            let given = (!f.time_zone.trim().is_empty()).then(|| f.time_zone.trim().to_owned());
            let input = BriefRequest {
                time_zone: given,
                hour: Some(hour),
                consent_text: Some(BRIEF_TEXT.into()),
            };
            brief::subscribe(&mut tx, id, me, &input).await.map(drop)
        }
        Step::Stop => brief::unsubscribe(&mut tx, id, me).await,
    };
    match done {
        Ok(()) => {
            tx.commit().await?;
            Ok(Ok(()))
        }
        Err(e) => Ok(Err(e.into())),
    }
}

pub async fn act(
    State(state): State<AppState>,
    Path((tenant, what)): Path<(String, String)>,
    post: FormPost<PhoneForm>,
) -> PageResult {
    let step = Step::parse(&what).ok_or(PageError::NotFound)?;
    let (form_name, done) = step.names();
    match run(&state, &post, &tenant, &step).await? {
        Ok(()) => {
            let id = crate::web::error::path_id(&tenant)?;
            Ok(Redirect::to(&format!("/t/{id}/phone?done={done}")).into_response())
        }
        Err(e)
            if e.status.is_client_error()
                && e.status != StatusCode::FORBIDDEN
                && e.status != StatusCode::NOT_FOUND =>
        {
            let (status, retry_after) = (e.status, e.retry_after);
            let typed = PhoneForm {
                code: String::new(),
                ..post.form
            };
            let mut page = render(
                &state,
                &post.visitor,
                &tenant,
                (typed, form_name, Some(e.message)),
                (None, status),
            )
            .await?;
            // A throttled code says when to try again, as the API's 429 does.
            if let Some(secs) = retry_after {
                page.headers_mut()
                    .insert(header::RETRY_AFTER, HeaderValue::from(secs));
            }
            Ok(page)
        }
        Err(e) => Err(e.into()),
    }
}
