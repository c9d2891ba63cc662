//! The second-factor page: a session that signed in with a first factor does nothing until a code
//! from the authenticator app (or a recovery code) is verified here, as through `POST /api/v1/auth/mfa`.
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect};
use axum::routing::get;
use axum::Router;
use serde::Deserialize;

use super::error::{PageError, PageResult};
use super::page::render_app;
use super::session::{FormPost, Visitor};
use crate::extract::ClientIp;
use crate::sign_in::mfa::{verify_proof, MfaProof};
use crate::state::AppState;

#[derive(Template)]
#[template(path = "second_factor.html")]
struct SecondFactor {
    csrf: String,
    error: Option<&'static str>,
    recovery: bool,
}

#[derive(Deserialize)]
pub struct CodeForm {
    #[serde(default)]
    code: String,
    #[serde(default)]
    recovery_code: String,
}

async fn show(visitor: Visitor) -> PageResult {
    // A session with nothing to verify goes on to the app rather than spending attempts here (the
    // session gate runs with a transaction's first statement).
    let gate = async {
        let mut tx = visitor.tx().await?;
        tx.execute("select 1", &[]).await?;
        Ok::<_, PageError>(())
    };
    match gate.await {
        Ok(()) => return Ok(Redirect::to("/app").into_response()),
        Err(PageError::SecondFactor) => {}
        Err(e) => return Err(e),
    }
    let page = SecondFactor {
        csrf: visitor.csrf,
        error: None,
        recovery: false,
    };
    Ok(render_app(StatusCode::OK, &page))
}

fn proof(form: &CodeForm) -> Option<MfaProof> {
    let (code, recovery) = (form.code.trim(), form.recovery_code.trim());
    match (code.is_empty(), recovery.is_empty()) {
        (false, true) => Some(MfaProof {
            code: Some(code.replace(' ', "")),
            recovery_code: None,
        }),
        (true, false) => Some(MfaProof {
            code: None,
            recovery_code: Some(recovery.to_owned()),
        }),
        _ => None,
    }
}

async fn verify(State(state): State<AppState>, ip: ClientIp, post: FormPost<CodeForm>) -> PageResult {
    let recovery = !post.form.recovery_code.trim().is_empty();
    let error = match proof(&post.form) {
        None => "Enter the 6-digit code from your authenticator app, or one recovery code.",
        Some(p) => match verify_proof(&state, post.visitor.caller(), ip, &p).await {
            Ok(()) => return Ok(Redirect::to("/app").into_response()),
            Err(e) if e.code == "mfa_failed" => {
                "That code is wrong, expired or already used. Try the next one (five wrong codes end the sign-in)."
            }
            // No factor to verify: nothing is pending.
            Err(e) if e.code == "mfa_not_active" => return Ok(Redirect::to("/app").into_response()),
            Err(e) => return Err(PageError::from(e)),
        },
    };
    let page = SecondFactor {
        csrf: post.visitor.csrf,
        error: Some(error),
        recovery,
    };
    Ok(render_app(StatusCode::UNPROCESSABLE_ENTITY, &page))
}

/// The routes this file answers (pages, outside the OpenAPI document).
pub(super) fn router() -> Router<AppState> {
    Router::new().route("/sign-in/mfa", get(show).post(verify))
}
