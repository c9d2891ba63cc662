//! Messaging: the consent ledger, the outbox, and what an inbound message does. The
//! database is the guard: an outbound message without an active opt-in for its channel and purpose,
//! or to an address that said STOP, is refused by a trigger (`app.outbound_consent_guard`), so no
//! code path here can queue one; these modules only give the refusal a clear answer.
pub mod brief;
pub mod consent;
pub mod delivery;
pub mod email_events;
pub mod inbound;
pub mod outbound;
pub mod templates;

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// A messaging channel.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Channel {
    Sms,
    Whatsapp,
    Email,
}

impl Channel {
    pub const ALL: [Channel; 3] = [Self::Sms, Self::Whatsapp, Self::Email];

    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Sms => "sms",
            Self::Whatsapp => "whatsapp",
            Self::Email => "email",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.as_str() == text)
    }
}

/// What a message to a lead is for; consent is recorded per purpose.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Purpose {
    /// Offers and promotions.
    Marketing,
    /// Messages about the lead's own business with the tenant (quotes, appointments, policies).
    Service,
}

impl Purpose {
    pub const ALL: [Purpose; 2] = [Self::Marketing, Self::Service];

    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Marketing => "marketing",
            Self::Service => "service",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|p| p.as_str() == text)
    }
}
