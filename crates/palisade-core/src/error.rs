//! Domain errors: what went wrong in terms a caller can act on. Database details stay inside.
use palisade_db::DbError;

#[derive(Debug, thiserror::Error)]
pub enum CoreError {
    #[error("not found")]
    NotFound,
    #[error("not an active member of this tenant")]
    NotMember,
    /// The request's session is over (ended, expired, or its person disabled).
    #[error("the session has ended")]
    SessionEnded,
    /// The session waits for its second factor (`POST /api/v1/auth/mfa`).
    #[error("the second factor is not verified")]
    MfaPending,
    /// The tenant requires a verified second factor for managers and admins.
    #[error("this tenant requires a verified second factor")]
    MfaRequired,
    #[error("{0}")]
    Forbidden(&'static str),
    /// Forbidden for a reason the caller can fix, named by a stable code.
    #[error("{message}")]
    Refused {
        code: &'static str,
        message: &'static str,
    },
    #[error("{message}")]
    Conflict {
        code: &'static str,
        message: &'static str,
    },
    #[error("{message}")]
    Invalid { code: &'static str, message: String },
    /// The request does not fit the state of a record it names (a template's channel or its
    /// placeholders): a 409, since the same request can succeed once that record changes.
    #[error("{message}")]
    Mismatch { code: &'static str, message: String },
    /// The request names a record that does not exist, or one the caller may not see (a lead of
    /// another tenant is as unknown as one never made): a 404 with its own code.
    #[error("{message}")]
    Unknown {
        code: &'static str,
        message: &'static str,
    },
    /// Too many of something for now; `retry_after_secs` says when to try again.
    #[error("{message}")]
    Throttled {
        code: &'static str,
        message: &'static str,
        retry_after_secs: u64,
    },
    /// The database refused a message: no active opt-in for its channel and purpose, or the address
    /// said STOP. `reason` is one of the guard's stable words (`no_consent`, `suppressed`, …).
    #[error("the recipient has not consented to this message ({reason})")]
    ConsentRequired { reason: &'static str },
    /// A value sealed at rest did not open (a missing key, or a value moved from another row). The
    /// text names the key or the failure, never the value.
    #[error("a sealed value did not open: {0}")]
    Sealed(String),
    #[error(transparent)]
    Db(DbError),
}

impl CoreError {
    pub fn unknown(code: &'static str, message: &'static str) -> Self {
        Self::Unknown { code, message }
    }

    /// A lead that does not exist or that the caller may not see.
    pub fn unknown_lead() -> Self {
        Self::unknown("unknown_lead", "the lead does not exist")
    }

    pub fn mismatch(code: &'static str, message: impl Into<String>) -> Self {
        Self::Mismatch {
            code,
            message: message.into(),
        }
    }

    pub fn invalid(code: &'static str, message: impl Into<String>) -> Self {
        Self::Invalid {
            code,
            message: message.into(),
        }
    }
}

/// What the outbox guard (migration 0019) gives as the reason of a refusal.
const CONSENT_REASONS: [&str; 7] = [
    "no_consent",
    "suppressed",
    "no_address",
    "no_inbound_message",
    "no_recent_opt_out",
    "already_confirmed",
    "no_verification",
];

impl From<DbError> for CoreError {
    fn from(err: DbError) -> Self {
        match err {
            DbError::NotFound => Self::NotFound,
            DbError::NotMember => Self::NotMember,
            DbError::SessionEnded => Self::SessionEnded,
            DbError::MfaPending => Self::MfaPending,
            DbError::MfaRequired => Self::MfaRequired,
            DbError::SignInMethodNotAllowed => Self::Refused {
                code: "sign_in_method_not_allowed",
                message: "this tenant does not allow the way you signed in; sign in another way",
            },
            DbError::EmailDomainNotAllowed => Self::Refused {
                code: "email_domain_not_allowed",
                message: "this tenant admits only members with an email address in its domains",
            },
            DbError::SignedOutOfTenant => Self::Refused {
                code: "signed_out_of_tenant",
                message: "an admin of this tenant signed you out of it: sign in again to act in it",
            },
            DbError::PermissionDenied => Self::Forbidden("you are not allowed to do this"),
            DbError::Unique { constraint } if constraint == "tenants_slug_key" => Self::Conflict {
                code: "slug_taken",
                message: "a tenant with this slug already exists",
            },
            DbError::Unique { .. } => Self::Conflict {
                code: "conflict",
                message: "this record already exists",
            },
            DbError::ForeignKey { constraint } => {
                let (code, what) = if constraint.contains("owner_id") || constraint.contains("actor_id") {
                    ("unknown_member", "the user is not a member of this tenant")
                } else if constraint.contains("lead_id") {
                    ("unknown_lead", "the lead does not exist")
                } else {
                    ("invalid_reference", "a referenced record does not exist")
                };
                Self::unknown(code, what)
            }
            DbError::Check { constraint } => {
                Self::invalid("invalid_value", format!("value rejected by {constraint}"))
            }
            DbError::NotNull { column } => Self::invalid("missing_field", format!("{column} is required")),
            DbError::InvalidValue { .. } => {
                Self::invalid("invalid_value", "a value is out of range or malformed")
            }
            DbError::Rule { code, .. } if code == "PA409" => Self::Conflict {
                code: "last_admin",
                message: "the last admin of a tenant cannot be demoted or removed",
            },
            DbError::Rule { code, .. } if code == "PA404" => Self::NotFound,
            DbError::Rule { code, .. } if code == "PA412" => Self::Conflict {
                code: "voice_consent_required",
                message: "opt in to voice drafting first (PUT /api/v1/me/voice-consent)",
            },
            DbError::Rule { code, .. } if code == "PA422" => Self::Refused {
                code: "not_yourself",
                message: "you cannot suspend, sign out or remove yourself here: end your own sessions \
                          under /api/v1/me/sessions, or leave with DELETE /api/v1/tenants/{id}/membership",
            },
            DbError::Rule { code, message } if code == "PA451" => Self::ConsentRequired {
                reason: CONSENT_REASONS
                    .into_iter()
                    .find(|r| message.ends_with(r))
                    .unwrap_or("no_consent"),
            },
            DbError::Rule { code, .. } if code == "PA403" => Self::Refused {
                code: "reauthentication_required",
                message:
                    "sign in again, or verify your second factor (POST /api/v1/auth/mfa), within the last \
                          10 minutes to change your second factor",
            },
            other => Self::Db(other),
        }
    }
}

/// Row decoding errors (a column of an unexpected type) are database errors.
impl From<tokio_postgres::Error> for CoreError {
    fn from(err: tokio_postgres::Error) -> Self {
        Self::from(DbError::from(err))
    }
}
