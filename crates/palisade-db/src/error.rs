//! Database errors that keep what callers must tell apart (not found, named constraint violations,
//! permission denied, raised business rules) and drop what must not travel (values in messages).
use tokio_postgres::error::SqlState;

#[derive(Debug, thiserror::Error)]
pub enum DbError {
    #[error("not found")]
    NotFound,
    /// The caller is not (or no longer) an active member of the tenant they act in.
    #[error("not an active member of this tenant")]
    NotMember,
    /// The session the request came with is not live (ended, expired, its person disabled, or
    /// awaiting a second factor); nothing ran as its person.
    #[error("the session is no longer valid")]
    SessionEnded,
    /// The session is live but its second factor has not been verified yet.
    #[error("the session's second factor is not verified")]
    MfaPending,
    /// The tenant requires a verified second factor for the caller's role, and this session has none.
    #[error("this tenant requires a verified second factor")]
    MfaRequired,
    /// The tenant does not allow the sign-in method of the caller's session.
    #[error("this tenant does not allow this sign-in method")]
    SignInMethodNotAllowed,
    /// The tenant admits only members with emails in its domains.
    #[error("this tenant does not admit this email domain")]
    EmailDomainNotAllowed,
    /// An admin of the tenant signed the caller out of it after this session began.
    #[error("signed out of this tenant by its admin")]
    SignedOutOfTenant,
    #[error("unique constraint {constraint} violated")]
    Unique { constraint: String },
    #[error("foreign key {constraint} violated")]
    ForeignKey { constraint: String },
    #[error("check constraint {constraint} violated")]
    Check { constraint: String },
    #[error("column {column} must not be null")]
    NotNull { column: String },
    /// SQLSTATE 42501: a missing privilege, or a row rejected by a policy's WITH CHECK.
    #[error("permission denied")]
    PermissionDenied,
    /// A business rule raised by a migration's function with a `PA...` SQLSTATE.
    #[error("rule {code}: {message}")]
    Rule { code: String, message: String },
    /// Input the database could not interpret (bad text representation, value out of range).
    #[error("invalid value (SQLSTATE {code})")]
    InvalidValue { code: String },
    #[error("database unavailable: {0}")]
    Unavailable(String),
    /// Anything else. Display shows only the SQLSTATE; the driver error is kept as the source.
    #[error("database error (SQLSTATE {code})")]
    Other {
        code: String,
        #[source]
        source: tokio_postgres::Error,
    },
}

impl From<tokio_postgres::Error> for DbError {
    fn from(err: tokio_postgres::Error) -> Self {
        let Some(db) = err.as_db_error() else {
            // Connection-level errors (I/O, TLS, protocol) describe the failure, not user data.
            return Self::Unavailable(err.to_string());
        };
        let constraint = || db.constraint().unwrap_or_default().to_owned();
        let code = db.code();
        if *code == SqlState::UNIQUE_VIOLATION {
            Self::Unique {
                constraint: constraint(),
            }
        } else if *code == SqlState::FOREIGN_KEY_VIOLATION {
            Self::ForeignKey {
                constraint: constraint(),
            }
        } else if *code == SqlState::CHECK_VIOLATION {
            Self::Check {
                constraint: constraint(),
            }
        } else if *code == SqlState::NOT_NULL_VIOLATION {
            Self::NotNull {
                column: db.column().unwrap_or_default().to_owned(),
            }
        } else if *code == SqlState::INSUFFICIENT_PRIVILEGE {
            Self::PermissionDenied
        } else if code.code().starts_with("PA") {
            // Messages of our own rules are written in migrations and carry no values.
            Self::Rule {
                code: code.code().to_owned(),
                message: db.message().to_owned(),
            }
        } else if code.code().starts_with("22") {
            Self::InvalidValue {
                code: code.code().to_owned(),
            }
        } else {
            Self::Other {
                code: code.code().to_owned(),
                source: err,
            }
        }
    }
}

impl From<deadpool_postgres::PoolError> for DbError {
    fn from(err: deadpool_postgres::PoolError) -> Self {
        match err {
            deadpool_postgres::PoolError::Backend(e) => e.into(),
            deadpool_postgres::PoolError::Timeout(_) => Self::Unavailable("pool timeout".into()),
            _ => Self::Unavailable("pool error".into()),
        }
    }
}
