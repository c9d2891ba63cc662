//! Subject access exports (admins): everything the tenant holds about someone it talks to.
use axum::extract::State;
use axum::Json;
use palisade_core::privacy::subject::SubjectRequest;
use palisade_core::privacy::subject_export::{self, SubjectExport};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::error::{ApiResult, ErrorBody};
use crate::extract::{Admin, ApiJson};
use crate::state::AppState;

/// Export everything the tenant holds about a subject (admins; GDPR Art. 15): every lead with the
/// phone number or email given (or the one lead, deleted leads included from what is still held) with
/// its deals, interactions, messages both ways and consent history with its evidence, the lead's audit
/// history with the content it still holds, the sensitive reads of it, the suppressions of the
/// subject's addresses, and why the data is processed. The subject goes in the body so a number never
/// sits in a URL. Rep-private drafts and coaching are not included: they belong to the rep. More than
/// 100 leads for one address: `422 too_many_leads`. Access-logged as `data_export`.
#[utoipa::path(post, path = "/api/v1/privacy/subject-exports", tag = "privacy", security(("bearer" = [])),
    request_body = SubjectRequest,
    responses((status = 200, body = SubjectExport), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
              (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn create(
    State(state): State<AppState>,
    admin: Admin,
    ApiJson(input): ApiJson<SubjectRequest>,
) -> ApiResult<Json<SubjectExport>> {
    let mut tx = admin.begin().await?;
    let export = subject_export::export(&mut tx, admin.tenant(), &input, state.phone_keys()).await?;
    tx.commit().await?;
    Ok(Json(export))
}

/// The routes this file answers.
pub(super) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(create))
}
