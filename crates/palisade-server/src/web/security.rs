//! My second factor: set up an authenticator app (QR code, or the secret typed in), confirm it with
//! a code, and keep the recovery codes, which are shown once. The same functions as
//! `/api/v1/me/mfa/totp`; changing a factor needs a sign-in or factor check within 10 minutes.
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::Router;
use palisade_core::sign_in::mfa;
use serde::Deserialize;

use super::error::{PageError, PageResult};
use super::page::render_app;
use super::session::{FormPost, NoFields, Visitor};
use super::shell::Shell;
use crate::error::ApiError;
use crate::sign_in::mfa::{confirm_totp, start_totp};
use crate::state::AppState;

#[derive(Template)]
#[template(path = "app/security.html")]
struct SecurityPage {
    shell: Shell,
    totp: &'static str,
    codes_left: i64,
    problem: Option<&'static str>,
}

#[derive(Template)]
#[template(path = "app/enrol.html")]
struct EnrolPage {
    shell: Shell,
    qr_svg: String,
    secret: String,
}

#[derive(Template)]
#[template(path = "app/recovery_codes.html")]
struct CodesPage {
    shell: Shell,
    codes: Vec<String>,
}

#[derive(Deserialize)]
pub struct CodeForm {
    #[serde(default)]
    code: String,
}

fn shell(visitor: &Visitor) -> Shell {
    let mut shell = Shell::outside(visitor);
    shell.section = "security";
    shell
}

async fn page(visitor: &Visitor, problem: Option<&'static str>, status: StatusCode) -> PageResult {
    let mut tx = visitor.tx().await?;
    let now = mfa::status(&mut tx, visitor.caller().user_id()).await?;
    tx.commit().await?;
    let page = SecurityPage {
        shell: shell(visitor),
        totp: now.totp,
        codes_left: now.recovery_codes_left,
        problem,
    };
    Ok(render_app(status, &page))
}

async fn show(visitor: Visitor) -> PageResult {
    page(&visitor, None, StatusCode::OK).await
}

/// What a refused change means here (the API's text names API routes).
fn refused(e: ApiError) -> Result<&'static str, PageError> {
    match e.code {
        "reauthentication_required" => {
            Ok("For your security, sign out and sign in again, then set up the app within 10 minutes.")
        }
        "mfa_already_active" => Ok("You already have an authenticator app."),
        _ => Err(e.into()),
    }
}

/// Starts setting up an app: the QR code and the confirm form.
async fn begin(State(state): State<AppState>, post: FormPost<NoFields>) -> PageResult {
    match start_totp(&state, post.visitor.caller()).await {
        Ok(e) => {
            let page = EnrolPage {
                shell: shell(&post.visitor),
                qr_svg: e.qr_svg,
                secret: e.secret,
            };
            Ok(render_app(StatusCode::OK, &page))
        }
        Err(e) if e.status == StatusCode::FORBIDDEN || e.status == StatusCode::CONFLICT => {
            page(&post.visitor, Some(refused(e)?), StatusCode::CONFLICT).await
        }
        Err(e) => Err(e.into()),
    }
}

/// Confirms the app with a code; the recovery codes, shown this once.
async fn confirm(State(state): State<AppState>, post: FormPost<CodeForm>) -> PageResult {
    match confirm_totp(&state, post.visitor.caller(), &post.form.code).await {
        Ok(codes) => Ok(render_app(
            StatusCode::OK,
            &CodesPage {
                shell: shell(&post.visitor),
                codes,
            },
        )),
        Err(e) if e.code == "invalid_code" => {
            let problem = "That code did not match. Set up the app again: scan the new code, then enter the code it shows.";
            page(&post.visitor, Some(problem), StatusCode::UNPROCESSABLE_ENTITY).await
        }
        Err(e) if e.status == StatusCode::NOT_FOUND => {
            page(
                &post.visitor,
                Some("Nothing is waiting to be confirmed: set up the app first."),
                StatusCode::CONFLICT,
            )
            .await
        }
        Err(e) => Err(e.into()),
    }
}

/// The routes this file answers (pages, outside the OpenAPI document).
pub(super) fn router() -> Router<AppState> {
    Router::new()
        .route("/me/security", get(show))
        .route("/me/security/totp", post(begin))
        .route("/me/security/totp/confirm", post(confirm))
}
