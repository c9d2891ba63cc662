//! The caller's own rep-private records: drafts, coaching observations, voice samples. There is no
//! route that reads another person's; the owner is always the caller.
use axum::http::StatusCode;
use axum::Json;
use palisade_core::page::{Page, PageParams};
use palisade_core::private::{self, coaching, drafts, voice};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

use crate::error::{ApiResult, ErrorBody};
use crate::extract::{ApiPath, ApiQuery, LargeJson, Member};

use crate::state::AppState;

/// One module of handlers per resource; the three resources have the same shape.
macro_rules! own_records {
    ($name:ident, $item:ty, $new:ty, $patch:ty, $tag:literal, $list_path:literal, $item_path:literal,
     refused: ($status:literal, $why:literal)) => {
        pub mod $name {
            use super::*;

            /// Your own records, newest first.
            #[utoipa::path(get, path = $list_path, tag = $tag, security(("bearer" = [])), params(PageParams),
                responses((status = 200, body = Page<$item>)))]
            pub async fn list(member: Member, ApiQuery(page): ApiQuery<PageParams>) -> ApiResult<Json<Page<$item>>> {
                let mut tx = member.tx().await?;
                let items = private::list::<$item>(&mut tx, member.tenant, member.user, &page).await?;
                tx.commit().await?;
                Ok(Json(items))
            }

            #[utoipa::path(post, path = $list_path, tag = $tag, security(("bearer" = [])), request_body = $new,
                responses((status = 201, body = $item), (status = 422, body = ErrorBody),
                    (status = $status, body = ErrorBody, description = $why)))]
            pub async fn create(member: Member, LargeJson(input): LargeJson<$new>) -> ApiResult<(StatusCode, Json<$item>)> {
                let mut tx = member.tx().await?;
                let item = private::create::<$item>(&mut tx, member.tenant, member.user, &input).await?;
                tx.commit().await?;
                Ok((StatusCode::CREATED, Json(item)))
            }

            #[utoipa::path(get, path = $item_path, tag = $tag, security(("bearer" = [])), params(("id" = Uuid, Path)),
                responses((status = 200, body = $item), (status = 404, body = ErrorBody)))]
            pub async fn get(member: Member, ApiPath(id): ApiPath<Uuid>) -> ApiResult<Json<$item>> {
                let mut tx = member.tx().await?;
                let item = private::get::<$item>(&mut tx, member.tenant, member.user, id).await?;
                tx.commit().await?;
                Ok(Json(item))
            }

            #[utoipa::path(patch, path = $item_path, tag = $tag, security(("bearer" = [])), params(("id" = Uuid, Path)),
                request_body = $patch, responses((status = 200, body = $item), (status = 404, body = ErrorBody)))]
            pub async fn update(
                member: Member,
                ApiPath(id): ApiPath<Uuid>,
                LargeJson(patch): LargeJson<$patch>,
            ) -> ApiResult<Json<$item>> {
                let mut tx = member.tx().await?;
                let item = private::update::<$item>(&mut tx, member.tenant, member.user, id, &patch).await?;
                tx.commit().await?;
                Ok(Json(item))
            }

            #[utoipa::path(delete, path = $item_path, tag = $tag, security(("bearer" = [])), params(("id" = Uuid, Path)),
                responses((status = 204), (status = 404, body = ErrorBody)))]
            pub async fn delete(member: Member, ApiPath(id): ApiPath<Uuid>) -> ApiResult<StatusCode> {
                let mut tx = member.tx().await?;
                private::delete::<$item>(&mut tx, member.tenant, member.user, id).await?;
                tx.commit().await?;
                Ok(StatusCode::NO_CONTENT)
            }
        }
    };
}

own_records!(
    drafts_api,
    drafts::Draft,
    drafts::NewDraft,
    drafts::DraftPatch,
    "me",
    "/api/v1/me/drafts",
    "/api/v1/me/drafts/{id}",
    refused: (404, "`unknown_lead`: a lead you cannot see")
);
own_records!(
    coaching_api,
    coaching::Observation,
    coaching::NewObservation,
    coaching::ObservationPatch,
    "me",
    "/api/v1/me/coaching",
    "/api/v1/me/coaching/{id}",
    refused: (404, "`unknown_lead`: a lead you cannot see")
);
own_records!(
    voice_api,
    voice::VoiceSample,
    voice::NewVoiceSample,
    voice::VoiceSamplePatch,
    "me",
    "/api/v1/me/voice-samples",
    "/api/v1/me/voice-samples/{id}",
    refused: (409, "`voice_consent_required`: opt in to voice drafting first")
);

/// The routes this file answers.
pub(super) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(drafts_api::list, drafts_api::create))
        .routes(routes!(drafts_api::get, drafts_api::update, drafts_api::delete))
        .routes(routes!(coaching_api::list, coaching_api::create))
        .routes(routes!(
            coaching_api::get,
            coaching_api::update,
            coaching_api::delete
        ))
        .routes(routes!(voice_api::list, voice_api::create))
        .routes(routes!(voice_api::get, voice_api::update, voice_api::delete))
}
