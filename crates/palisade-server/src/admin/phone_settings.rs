//! The tenant's phone settings (admins): the region national numbers are read in.
use axum::Json;
use palisade_core::phone;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::error::{ApiResult, ErrorBody};
use crate::extract::{Admin, ApiJson};

use crate::state::AppState;

#[derive(Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PhoneSettings {
    /// ISO 3166-1 alpha-2 (`US`, `GB`): numbers typed without `+country` are read as this region's.
    pub default_region: String,
}

#[utoipa::path(get, path = "/api/v1/settings/phone", tag = "settings", security(("bearer" = [])),
    responses((status = 200, body = PhoneSettings), (status = 403, body = ErrorBody)))]
pub async fn get(admin: Admin) -> ApiResult<Json<PhoneSettings>> {
    let mut tx = admin.begin().await?;
    let region = phone::tenant_region(&mut tx, admin.tenant()).await?;
    tx.commit().await?;
    Ok(Json(PhoneSettings {
        default_region: region.as_ref().to_owned(),
    }))
}

/// Change the default region (logged as a settings change). Stored numbers keep their E.164 form.
#[utoipa::path(put, path = "/api/v1/settings/phone", tag = "settings", security(("bearer" = [])),
    request_body = PhoneSettings,
    responses((status = 200, body = PhoneSettings), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn set(admin: Admin, ApiJson(input): ApiJson<PhoneSettings>) -> ApiResult<Json<PhoneSettings>> {
    // The API takes the code as published (two capitals, one of the document's list); the settings
    // page is kinder to what people type.
    let code = &input.default_region;
    if code.len() != 2 || !code.bytes().all(|b| b.is_ascii_uppercase()) {
        return Err(palisade_core::CoreError::invalid(
            "invalid_field",
            "the region must be two capital letters, like US or GB",
        )
        .into());
    }
    let mut tx = admin.begin().await?;
    let default_region = phone::set_tenant_region(&mut tx, &input.default_region).await?;
    tx.commit().await?;
    Ok(Json(PhoneSettings { default_region }))
}

/// The routes this file answers.
pub(super) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(get, set))
}
