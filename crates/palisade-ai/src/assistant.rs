//! One call to a tenant's model, from its settings to its bill: the tenant's integration (its key
//! opened in the service context, an access-logged read), the address checked against the ones the
//! operator allows, the budget reserved at the prompt's ceiling, the call, and the reservation settled
//! at what the provider counted — in that order, so a refused budget sends nothing and a failed call
//! is still accounted for.
use std::collections::BTreeMap;
use std::sync::Arc;

use palisade_core::ai::settings::{self, AiSettings};
use palisade_core::ai::usage::{self, CallPurpose, Settlement};
use palisade_core::integrations::{self, Provider};
use palisade_core::CoreError;
use palisade_crypto::Keyring;
use palisade_db::{Db, Purpose, TenantId};
use secrecy::ExposeSecret;
use tracing::warn;

use crate::client::{ClientSettings, Endpoint, LlmClient, LlmError, Prompt};
use crate::guard::{Builtins, Guard};
use crate::metrics::{AiMetrics, CallLabels, PurposeLabels, TokenLabels};
use crate::price::Price;

/// The operator's settings (`[ai]`).
#[derive(Clone, Debug)]
pub struct AiConfig {
    /// Where a tenant's model is unless its integration names another.
    pub base_url: String,
    /// The addresses a tenant may name (the default is always allowed). A tenant's admin chooses
    /// among them; an address outside them is refused before any key is sent there.
    pub allowed_base_urls: Vec<String>,
    /// The model unless a tenant's integration names another.
    pub model: String,
    /// Per model; others cost `default_price`.
    pub prices: BTreeMap<String, Price>,
    pub default_price: Price,
    /// A tenant's monthly budget unless its admins set one (millionths of a US dollar).
    pub monthly_budget_micros: i64,
    pub client: ClientSettings,
}

impl Default for AiConfig {
    fn default() -> Self {
        Self {
            base_url: "https://api.openai.com/v1".into(),
            allowed_base_urls: Vec::new(),
            model: "gpt-4o-mini".into(),
            prices: BTreeMap::new(),
            default_price: Price {
                input_per_million: 0.15,
                output_per_million: 0.6,
            },
            monthly_budget_micros: 20_000_000,
            client: ClientSettings::default(),
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum AiError {
    #[error("connect a language model under Integrations (provider `openai`) first")]
    NotConfigured,
    #[error("the language model's address is not one this server allows (ai.allowed_base_urls)")]
    EndpointNotAllowed,
    #[error("{0} is turned off in this workspace's AI settings")]
    FeatureOff(&'static str),
    #[error(transparent)]
    Core(#[from] CoreError),
    #[error(transparent)]
    Llm(#[from] LlmError),
    #[error("the language model's answer could not be used")]
    BadOutput,
}

impl From<palisade_db::DbError> for AiError {
    fn from(e: palisade_db::DbError) -> Self {
        Self::Core(e.into())
    }
}

impl From<integrations::OpenError> for AiError {
    fn from(e: integrations::OpenError) -> Self {
        match e {
            integrations::OpenError::Core(c) => Self::Core(c),
            integrations::OpenError::Seal { .. } => Self::Core(CoreError::Sealed(e.to_string())),
        }
    }
}

impl AiError {
    fn outcome(&self) -> &'static str {
        match self {
            Self::Core(CoreError::Throttled { .. }) => "budget",
            Self::Llm(LlmError::Rejected { .. }) => "rejected",
            Self::Llm(LlmError::Declined) => "declined",
            Self::Llm(LlmError::Malformed) | Self::BadOutput => "bad_output",
            _ => "unavailable",
        }
    }
}

/// A tenant's model, opened for the calls of one task.
pub struct Opened {
    pub tenant: TenantId,
    pub settings: AiSettings,
    pub guard: Guard,
    endpoint: Endpoint,
    price: Price,
}

impl std::fmt::Debug for Opened {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Opened")
            .field("tenant", &self.tenant)
            .field("endpoint", &self.endpoint)
            .finish_non_exhaustive()
    }
}

pub struct Assistant {
    config: AiConfig,
    client: LlmClient,
    keyring: Arc<Keyring>,
    metrics: AiMetrics,
    /// Drafts each member may ask for (per server instance): one rep cannot spend the tenant's
    /// month in a loop.
    drafts: governor::DefaultKeyedRateLimiter<(TenantId, palisade_db::UserId)>,
}

/// Drafts a member may ask for in a minute (a burst of this many, then one every six seconds).
pub const DRAFTS_PER_MEMBER_PER_MINUTE: u32 = 10;

impl Assistant {
    pub fn new(config: AiConfig, keyring: Arc<Keyring>, metrics: AiMetrics) -> Result<Self, reqwest::Error> {
        let per_minute =
            std::num::NonZeroU32::new(DRAFTS_PER_MEMBER_PER_MINUTE).unwrap_or(std::num::NonZeroU32::MIN);
        Ok(Self {
            client: LlmClient::new(config.client.clone())?,
            config,
            keyring,
            metrics,
            drafts: governor::RateLimiter::keyed(governor::Quota::per_minute(per_minute)),
        })
    }

    /// Lets a member ask for one more draft now, or says when they may.
    pub fn draft_permit(&self, tenant: TenantId, member: palisade_db::UserId) -> Result<(), AiError> {
        if self.drafts.len() > 10_000 {
            self.drafts.retain_recent();
        }
        self.drafts.check_key(&(tenant, member)).map_err(|not_until| {
            let wait = not_until.wait_time_from(governor::clock::Clock::now(
                &governor::clock::DefaultClock::default(),
            ));
            AiError::Core(CoreError::Throttled {
                code: "ai_drafts_throttled",
                message: "you asked for many drafts in a short time: wait a few seconds",
                retry_after_secs: wait.as_secs().max(1),
            })
        })
    }

    /// The budget in force for a tenant with these settings.
    pub fn budget_micros(&self, settings: &AiSettings) -> i64 {
        settings
            .monthly_budget_micros
            .unwrap_or(self.config.monthly_budget_micros)
    }

    /// Whether a tenant may name this address.
    pub fn allows(&self, base_url: &str) -> bool {
        let base = base_url.trim_end_matches('/');
        base == self.config.base_url.trim_end_matches('/')
            || self
                .config
                .allowed_base_urls
                .iter()
                .any(|allowed| allowed.trim_end_matches('/') == base)
    }

    /// The tenant's settings and model (its key opened: an access-logged read).
    pub async fn open(&self, db: &Db, tenant: TenantId) -> Result<Opened, AiError> {
        let mut tx = db.service(tenant, Purpose::Assistant).await?;
        let settings = settings::read(&mut tx, tenant).await?;
        let integration = match integrations::get(&mut tx, tenant, Provider::Openai).await {
            Ok(i) if i.status == "active" => i,
            Ok(_) | Err(CoreError::NotFound) => return Err(AiError::NotConfigured),
            Err(e) => return Err(e.into()),
        };
        let secrets = integrations::open_secrets(&mut tx, &self.keyring, tenant, Provider::Openai)
            .await?
            .ok_or(AiError::NotConfigured)?;
        tx.commit().await?;
        let setting = |name: &str| {
            integration
                .config
                .get(name)
                .and_then(|v| v.as_str())
                .map(str::to_owned)
        };
        let base_url = setting("base_url").unwrap_or_else(|| self.config.base_url.clone());
        if !self.allows(&base_url) {
            return Err(AiError::EndpointNotAllowed);
        }
        let model = setting("model").unwrap_or_else(|| self.config.model.clone());
        let api_key = secrets.get("api_key").ok_or(AiError::NotConfigured)?;
        let guard = Guard::new(
            Builtins {
                iban: settings.mask_iban,
                us_ssn: settings.mask_us_ssn,
                uk_nino: settings.mask_uk_nino,
            },
            &settings.mask_patterns,
        )
        .map_err(|e| CoreError::invalid("invalid_mask_pattern", e.to_string()))?;
        let price = self
            .config
            .prices
            .get(&model)
            .copied()
            .unwrap_or(self.config.default_price);
        Ok(Opened {
            tenant,
            settings,
            guard,
            endpoint: Endpoint {
                base_url,
                model,
                api_key: api_key.expose_secret().to_owned().into(),
                organization: setting("organization"),
            },
            price,
        })
    }

    /// Sends one prompt (masked: `masked` values were replaced) and returns the model's text. The
    /// budget is reserved first and settled after, whatever happened.
    pub async fn call(
        &self,
        db: &Db,
        opened: &Opened,
        purpose: CallPurpose,
        prompt: &Prompt,
        masked: usize,
    ) -> Result<String, AiError> {
        let result = self.reserved_call(db, opened, purpose, prompt, masked).await;
        let outcome = match &result {
            Ok(_) => "ok",
            Err(e) => e.outcome(),
        };
        self.metrics
            .calls
            .get_or_create(&CallLabels {
                purpose: purpose.as_str(),
                outcome,
            })
            .inc();
        result
    }

    async fn reserved_call(
        &self,
        db: &Db,
        opened: &Opened,
        purpose: CallPurpose,
        prompt: &Prompt,
        masked: usize,
    ) -> Result<String, AiError> {
        let ceiling = opened.price.ceiling_micros(prompt);
        let mut tx = db.service(opened.tenant, Purpose::Assistant).await?;
        let budget = self.budget_micros(&opened.settings);
        let reservation = usage::reserve(&mut tx, purpose, &opened.endpoint.model, ceiling, budget).await?;
        tx.commit().await?;

        let result = self.client.complete(&opened.endpoint, prompt).await;
        let counted = match &result {
            Ok(reply) if reply.usage.prompt_tokens == 0 => Price::estimate_usage(prompt, reply.content.len()),
            Ok(reply) => reply.usage,
            Err(_) => Default::default(),
        };
        let cost = match &result {
            Ok(_) => opened.price.cost_micros(counted),
            // The provider may have done (and billed) the work of a call that timed out, was refused
            // by the model or answered unreadably: it counts at its ceiling. A 5xx, a 429 or a
            // rejected key is not work done.
            Err(LlmError::Timeout | LlmError::Declined | LlmError::Malformed) => ceiling,
            Err(LlmError::Unavailable { .. } | LlmError::Rejected { .. }) => 0,
        };
        let settlement = Settlement {
            ok: result.is_ok(),
            prompt_tokens: counted.prompt_tokens,
            completion_tokens: counted.completion_tokens,
            cost_micros: cost,
            masked,
        };
        if let Err(e) = self.settle(db, opened.tenant, reservation, settlement).await {
            // The reservation stays counted at its ceiling: the budget is never underspent by this.
            warn!(error = %e, "an AI usage reservation was not settled");
        }
        self.count(purpose, settlement);
        Ok(result?.content)
    }

    async fn settle(
        &self,
        db: &Db,
        tenant: TenantId,
        reservation: uuid::Uuid,
        settlement: Settlement,
    ) -> Result<(), AiError> {
        let mut tx = db.service(tenant, Purpose::Assistant).await?;
        usage::settle(&mut tx, reservation, settlement).await?;
        tx.commit().await?;
        Ok(())
    }

    fn count(&self, purpose: CallPurpose, s: Settlement) {
        let p = purpose.as_str();
        let tokens = |kind, n: u32| {
            self.metrics
                .tokens
                .get_or_create(&TokenLabels { purpose: p, kind })
                .inc_by(u64::from(n));
        };
        tokens("prompt", s.prompt_tokens);
        tokens("completion", s.completion_tokens);
        let labels = PurposeLabels { purpose: p };
        self.metrics
            .cost_micros
            .get_or_create(&labels)
            .inc_by(u64::try_from(s.cost_micros).unwrap_or(0));
        self.metrics
            .masked
            .get_or_create(&labels)
            .inc_by(u64::try_from(s.masked).unwrap_or(0));
    }
}
