//! A member's own phone number in a tenant: sealed and blind-indexed like leads' numbers,
//! readable and changeable only by the member (the service context reads it to deliver what the
//! member asked for). A new number is unverified until the verification flow confirms it.
use chrono::{DateTime, Utc};
use palisade_db::{TenantId, Tx, UserId};
use serde::Serialize;
use tracing::instrument;
use utoipa::ToSchema;

use crate::messaging::Channel;
use crate::phone::{self, PhoneKeys};
use crate::CoreError;

const TABLE: &str = "app.member_phones";

/// Your phone number in this tenant.
#[derive(Serialize, ToSchema)]
pub struct MemberPhone {
    /// E.164; null when the stored number does not open (`phone_unreadable`).
    pub phone: Option<String>,
    pub phone_unreadable: bool,
    /// When a code sent to the number was confirmed; null until then, and again after a change.
    pub verified_at: Option<DateTime<Utc>>,
    /// Until when the code last sent to this number can be confirmed; null when none is pending.
    pub code_expires_at: Option<DateTime<Utc>>,
    pub updated_at: DateTime<Utc>,
}

impl std::fmt::Debug for MemberPhone {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MemberPhone")
            .field("phone", &self.phone.as_ref().map(|_| "<redacted>"))
            .field("phone_unreadable", &self.phone_unreadable)
            .field("verified_at", &self.verified_at)
            .field("code_expires_at", &self.code_expires_at)
            .field("updated_at", &self.updated_at)
            .finish()
    }
}

fn member_phone(
    row: &tokio_postgres::Row,
    keys: PhoneKeys<'_>,
    tenant: TenantId,
    user: UserId,
) -> Result<MemberPhone, CoreError> {
    let sealed: Vec<u8> = row.try_get("phone_sealed")?;
    let (phone, phone_unreadable) = match phone::open(keys, TABLE, tenant, user.as_uuid().as_bytes(), &sealed)
    {
        Ok(number) => (Some(number), false),
        Err(e) => {
            tracing::warn!(error = %e, "a member's phone number did not open");
            (None, true)
        }
    };
    Ok(MemberPhone {
        phone,
        phone_unreadable,
        verified_at: row.try_get("verified_at")?,
        updated_at: row.try_get("updated_at")?,
        code_expires_at: row.try_get("code_expires_at")?,
    })
}

/// The row's columns, and the pending code for this very number (a member sees that one is
/// pending, never the code or its digest).
const COLUMNS: &str = "p.phone_sealed, p.verified_at, p.updated_at, \
     (select v.expires_at from app.phone_verifications v where v.tenant_id = p.tenant_id \
        and v.owner_id = p.owner_id and v.phone_index = p.phone_index and v.attempts < 5 \
        and v.expires_at > now()) as code_expires_at";

/// The caller's number in the tenant, if they have set one.
#[instrument(skip_all, fields(tenant_id = %tenant), err(level = "debug"))]
pub async fn get_mine(
    tx: &mut Tx,
    tenant: TenantId,
    user: UserId,
    keys: PhoneKeys<'_>,
) -> Result<MemberPhone, CoreError> {
    let row = tx
        .query_one(
            &format!("select {COLUMNS} from {TABLE} p where p.tenant_id = $1 and p.owner_id = $2"),
            &[tenant.as_uuid(), user.as_uuid()],
        )
        .await?;
    member_phone(&row, keys, tenant, user)
}

/// Sets the caller's number (typed in any format the tenant's region reads). Setting the number
/// already stored keeps its verification; another number starts unverified (the table's trigger).
#[instrument(skip_all, fields(tenant_id = %tenant), err(level = "debug"))]
pub async fn set_mine(
    tx: &mut Tx,
    tenant: TenantId,
    user: UserId,
    text: &str,
    keys: PhoneKeys<'_>,
) -> Result<MemberPhone, CoreError> {
    let region = phone::tenant_region(tx, tenant).await?;
    let number = phone::normalize(text, region)?;
    let (sealed, index) = phone::seal(keys, TABLE, tenant, user.as_uuid().as_bytes(), &number);
    let row = tx
        .query_one(
            &format!(
                "insert into {TABLE} as p (tenant_id, owner_id, phone_sealed, phone_index) \
                 values ($1, $2, $3, $4) \
                 on conflict (tenant_id, owner_id) do update \
                   set phone_sealed = case when p.phone_index = excluded.phone_index then p.phone_sealed \
                                      else excluded.phone_sealed end, \
                       phone_index = excluded.phone_index \
                 returning {COLUMNS}"
            ),
            &[tenant.as_uuid(), user.as_uuid(), &sealed, &index],
        )
        .await?;
    member_phone(&row, keys, tenant, user)
}

/// Removes the caller's number (not found when there is none).
#[instrument(skip_all, fields(tenant_id = %tenant), err(level = "debug"))]
pub async fn delete_mine(tx: &mut Tx, tenant: TenantId, user: UserId) -> Result<(), CoreError> {
    let n = tx
        .execute(
            &format!("delete from {TABLE} where tenant_id = $1 and owner_id = $2"),
            &[tenant.as_uuid(), user.as_uuid()],
        )
        .await?;
    if n == 0 {
        return Err(CoreError::NotFound);
    }
    Ok(())
}

/// How long a verification code lives (set in migration 0020).
pub const CODE_TTL_SECS: u64 = 600;

/// Sends a verification code to the caller's number by `channel` (SMS or WhatsApp). The database
/// makes the code and queues the text (`app.request_phone_code`); nobody sees the code but the
/// phone. Throttled: one code per 30 seconds, five an hour, ten a day and twenty in 30 days; the
/// database says how long until the next code may go.
#[instrument(skip_all, fields(channel = channel.as_str()), err(level = "debug"))]
pub async fn send_code(tx: &mut Tx, channel: Channel) -> Result<(), CoreError> {
    if channel == Channel::Email {
        return Err(CoreError::invalid(
            "invalid_channel",
            "a verification code goes by sms or whatsapp",
        ));
    }
    let row = tx
        .query_one(
            "select outcome, retry_after_secs from app.request_phone_code($1)",
            &[&channel.as_str()],
        )
        .await?;
    let outcome: String = row.try_get("outcome")?;
    let wait: Option<i32> = row.try_get("retry_after_secs")?;
    let retry_after_secs = wait.map_or(1, |w| u64::try_from(w).unwrap_or(1).max(1));
    let throttled = |code, message| {
        Err(CoreError::Throttled {
            code,
            message,
            retry_after_secs,
        })
    };
    match outcome.as_str() {
        "sent" => Ok(()),
        "no_phone" => Err(CoreError::Conflict {
            code: "no_phone",
            message: "set your number first: PUT /api/v1/me/phone",
        }),
        "already_verified" => Err(CoreError::Conflict {
            code: "already_verified",
            message: "this number is already verified",
        }),
        "suppressed" => Err(CoreError::ConsentRequired { reason: "suppressed" }),
        "too_soon" => throttled(
            "too_soon",
            "a code was sent less than 30 seconds ago; wait for it, or try again shortly",
        ),
        "too_many" => throttled(
            "too_many_codes",
            "five codes were sent in the last hour; try again after Retry-After seconds",
        ),
        "too_many_today" => throttled(
            "too_many_codes",
            "ten codes were sent in the last day; try again after Retry-After seconds",
        ),
        "too_many_this_month" => throttled(
            "too_many_codes",
            "twenty codes were sent in the last 30 days; try again after Retry-After seconds",
        ),
        other => {
            // A word this build does not know (a newer migration): refuse, the safe side, and not
            // invite a quick retry.
            tracing::warn!(outcome = other, "unknown answer from app.request_phone_code");
            Err(CoreError::Throttled {
                code: "too_many_codes",
                message: "too many codes were sent recently; try again after Retry-After seconds",
                retry_after_secs: retry_after_secs.max(3600),
            })
        }
    }
}

/// Checks a verification code for the caller's number. The outer error is a failure to ask; the
/// inner one is the refusal (wrong, expired, …), which the caller returns *after committing*, so
/// that a wrong code counts against the five allowed.
#[instrument(skip_all, err(level = "debug"))]
pub async fn confirm_code(tx: &mut Tx, code: &str) -> Result<Result<(), CoreError>, CoreError> {
    let code = code.trim();
    if code.len() != 6 || !code.bytes().all(|b| b.is_ascii_digit()) {
        return Ok(Err(CoreError::invalid(
            "invalid_code",
            "a verification code is six digits",
        )));
    }
    let status: String = tx
        .query_one("select app.confirm_phone_verification($1) as status", &[&code])
        .await?
        .try_get("status")?;
    Ok(match status.as_str() {
        "verified" => Ok(()),
        "wrong_code" => Err(CoreError::invalid(
            "wrong_code",
            "that is not the code we sent; check it and try again",
        )),
        "no_pending" => Err(CoreError::Conflict {
            code: "no_code_pending",
            message: "no code is waiting: ask for one with POST /api/v1/me/phone/verification",
        }),
        "expired" => Err(CoreError::Conflict {
            code: "code_expired",
            message: "the code has expired; ask for a new one",
        }),
        "number_changed" => Err(CoreError::Conflict {
            code: "number_changed",
            message: "your number changed after the code was sent; ask for a code to the new number",
        }),
        _ => Err(CoreError::Conflict {
            code: "too_many_attempts",
            message: "too many wrong codes; ask for a new one",
        }),
    })
}
