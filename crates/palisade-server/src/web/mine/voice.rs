//! Voice: the visitor's opt-in to drafting in their own voice (recorded with the version of the text
//! they agreed to, every change of mind kept), and the voice samples they keep, which only exist
//! under an opt-in: withdrawing deletes every one of them at once.
use askama::Template;
use axum::extract::Path;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect};
use palisade_core::page::PageParams;
use palisade_core::private::voice::VoiceSample;
use palisade_core::private::voice_consent::{self, OptIn};
use palisade_core::private::{self};
use palisade_core::CoreError;
use serde::Deserialize;
use uuid::Uuid;

use super::{enter_mine, ListQuery};
use crate::web::error::{path_id, PageError, PageResult};
use crate::web::leads::when;
use crate::web::page::render_app;
use crate::web::session::{FormPost, NoFields, PageQuery, Visitor};
use crate::web::shell::Shell;

const PAGE: i64 = 25;
/// The version of the opt-in text below; a new wording gets a new version, so each recorded opt-in
/// says what the person agreed to.
const TEXT_VERSION: &str = "voice-web-1";
const TEXT: &str =
    "Palisade may use the voice samples and reference messages you keep here to draft messages \
     in your own voice. They are yours alone: managers and admins never see them. You can withdraw at any \
     time, and everything you kept is deleted at once.";

pub struct Sample {
    id: Uuid,
    label: String,
    length: String,
    transcript: String,
    when: String,
}

pub struct Change {
    version: String,
    granted: String,
    withdrawn: String,
}

#[derive(Template)]
#[template(path = "app/voice.html")]
struct VoicePage {
    shell: Shell,
    tenant_id: Uuid,
    active: bool,
    text: &'static str,
    history: Vec<Change>,
    samples: Vec<Sample>,
    next: Option<Uuid>,
    paged: bool,
    notice: Option<&'static str>,
}

fn sample(s: VoiceSample) -> Sample {
    let secs = s.duration_ms / 1000;
    Sample {
        id: s.id,
        label: s.label,
        length: format!("{}:{:02}", secs / 60, secs % 60),
        transcript: s.transcript.unwrap_or_default().chars().take(200).collect(),
        when: when(s.created_at),
    }
}

pub async fn show(
    visitor: Visitor,
    Path(tenant): Path<String>,
    PageQuery(q): PageQuery<ListQuery>,
) -> PageResult {
    let (mut tx, shell, id) = enter_mine(&visitor, &tenant, "voice").await?;
    let me = visitor.caller().user_id();
    let consent = voice_consent::state(&mut tx, id, me).await?;
    let params = PageParams {
        limit: Some(PAGE),
        cursor: q.cursor()?,
    };
    let samples = private::list::<VoiceSample>(&mut tx, id, me, &params).await?;
    tx.commit().await?;
    let page = VoicePage {
        shell,
        tenant_id: *id.as_uuid(),
        active: consent.active,
        text: TEXT,
        history: consent
            .history
            .into_iter()
            .map(|c| Change {
                version: c.text_version,
                granted: when(c.granted_at),
                withdrawn: c.withdrawn_at.map(when).unwrap_or_default(),
            })
            .collect(),
        samples: samples.items.into_iter().map(sample).collect(),
        next: samples.next_cursor,
        paged: params.cursor.is_some(),
        notice: q.notice(),
    };
    Ok(render_app(StatusCode::OK, &page))
}

#[derive(Deserialize)]
pub struct ConsentForm {
    #[serde(default)]
    choice: String,
}

/// Opts in (with this page's text version) or withdraws.
pub async fn consent(Path(tenant): Path<String>, post: FormPost<ConsentForm>) -> PageResult {
    let (mut tx, _, id) = enter_mine(&post.visitor, &tenant, "voice").await?;
    let me = post.visitor.caller().user_id();
    let done = match post.form.choice.as_str() {
        "opt-in" => {
            let input = OptIn {
                text_version: TEXT_VERSION.into(),
            };
            voice_consent::opt_in(&mut tx, id, me, &input).await?;
            "opted-in"
        }
        "withdraw" => {
            voice_consent::withdraw(&mut tx, id, me).await?;
            "withdrawn"
        }
        _ => return Err(PageError::BadRequest("Choose to opt in or to withdraw.".into())),
    };
    tx.commit().await?;
    Ok(Redirect::to(&format!("/t/{id}/voice?done={done}")).into_response())
}

pub async fn delete(Path((tenant, sample)): Path<(String, String)>, post: FormPost<NoFields>) -> PageResult {
    let sample = path_id(&sample)?;
    let (mut tx, _, id) = enter_mine(&post.visitor, &tenant, "voice").await?;
    let me = post.visitor.caller().user_id();
    match private::delete::<VoiceSample>(&mut tx, id, me, sample).await {
        Ok(()) => tx.commit().await?,
        Err(CoreError::NotFound) => {
            return Err(PageError::NotFoundBecause("This sample was already deleted."))
        }
        Err(e) => return Err(e.into()),
    }
    Ok(Redirect::to(&format!("/t/{id}/voice?done=deleted")).into_response())
}
