//! Voice samples: a rep's recorded voice (for cloning/coaching), referenced by storage key.
use chrono::{DateTime, Utc};
use palisade_db::{DbError, FromRow, Row};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use super::{Insert, OwnedRecord, Value};
use crate::{validate, CoreError};

#[derive(Debug, Serialize, ToSchema)]
pub struct VoiceSample {
    pub id: Uuid,
    pub label: String,
    pub storage_key: String,
    pub duration_ms: i32,
    pub transcript: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewVoiceSample {
    #[schema(min_length = 1, max_length = 200, pattern = r"\S")]
    pub label: String,
    /// Where the audio is stored (object storage key).
    #[schema(min_length = 1, max_length = 500, pattern = r"\S")]
    pub storage_key: String,
    /// 1 ms to 1 hour.
    #[schema(minimum = 1, maximum = 3_600_000)]
    pub duration_ms: i32,
    #[schema(min_length = 1, max_length = 100000, pattern = r"\S")]
    pub transcript: Option<String>,
}

#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct VoiceSamplePatch {
    #[schema(min_length = 1, max_length = 200, pattern = r"\S")]
    pub label: Option<String>,
    #[serde(default, deserialize_with = "validate::nullable")]
    #[schema(value_type = Option<String>, min_length = 1, max_length = 100000, pattern = r"\S")]
    pub transcript: Option<Option<String>>,
}

impl FromRow for VoiceSample {
    fn from_row(row: &Row) -> Result<Self, DbError> {
        Ok(Self {
            id: row.try_get("id")?,
            label: row.try_get("label")?,
            storage_key: row.try_get("storage_key")?,
            duration_ms: row.try_get("duration_ms")?,
            transcript: row.try_get("transcript")?,
            created_at: row.try_get("created_at")?,
            updated_at: row.try_get("updated_at")?,
        })
    }
}

impl OwnedRecord for VoiceSample {
    const TABLE: &'static str = "app.voice_samples";
    const COLUMNS: &'static str = "id, label, storage_key, duration_ms, transcript, created_at, updated_at";
    const SET: &'static str =
        "label = coalesce($4, label), transcript = case when $5 then $6 else transcript end";
    type New = NewVoiceSample;
    type Patch = VoiceSamplePatch;

    fn id(&self) -> Uuid {
        self.id
    }

    fn insert(input: &NewVoiceSample) -> Result<Insert, CoreError> {
        let label = validate::text("label", &input.label, 200)?;
        let key = validate::text("storage_key", &input.storage_key, 500)?;
        if !(1..=3_600_000).contains(&input.duration_ms) {
            return Err(CoreError::invalid(
                "invalid_field",
                "duration_ms must be between 1 and 3600000",
            ));
        }
        let transcript = validate::optional_masked_text("transcript", input.transcript.as_deref(), 100_000)?;
        Ok(Insert {
            columns: "label, storage_key, duration_ms, transcript",
            values: vec![
                Box::new(label),
                Box::new(key),
                Box::new(input.duration_ms),
                Box::new(transcript),
            ],
            lead: None,
        })
    }

    fn update(patch: &VoiceSamplePatch) -> Result<Vec<Value>, CoreError> {
        let label = validate::optional_text("label", patch.label.as_deref(), 200)?;
        let transcript = patch
            .transcript
            .as_ref()
            .map(|t| validate::optional_masked_text("transcript", t.as_deref(), 100_000))
            .transpose()?;
        Ok(vec![
            Box::new(label),
            Box::new(transcript.is_some()),
            Box::new(transcript.flatten()),
        ])
    }
}
