//! The operator's `[ai]` settings (`PALISADE_AI__…`): where tenants' models are and which addresses
//! they may name, the default model and monthly budget, prices, and the client's patience. Each
//! tenant's key is its `openai` integration; nothing here is a secret.
use std::collections::BTreeMap;
use std::time::Duration;

use serde::Deserialize;

#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PriceSetting {
    /// US dollars per million prompt tokens.
    pub input_per_million_usd: f64,
    /// US dollars per million completion tokens.
    pub output_per_million_usd: f64,
}

impl From<PriceSetting> for palisade_ai::Price {
    fn from(p: PriceSetting) -> Self {
        Self {
            input_per_million: p.input_per_million_usd,
            output_per_million: p.output_per_million_usd,
        }
    }
}

#[derive(Debug, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct AiSettings {
    /// An OpenAI-compatible API, up to its version (`https://api.openai.com/v1`).
    pub base_url: String,
    /// Other addresses a tenant's integration may name (a self-hosted or regional endpoint). A
    /// tenant's key is never sent anywhere else.
    pub allowed_base_urls: Vec<String>,
    /// The model unless a tenant's integration names one.
    pub model: String,
    /// What a tenant's calls may cost a month unless its admins set a budget.
    pub monthly_budget_usd: f64,
    /// Prices per model; a model not listed costs `default_price`.
    pub prices: BTreeMap<String, PriceSetting>,
    pub default_price: PriceSetting,
    /// One request at most.
    pub timeout_seconds: u16,
    /// All attempts of one call together.
    pub deadline_seconds: u16,
    /// Attempts of one call (a timeout, a 429 or a 5xx is retried).
    pub max_attempts: u16,
    /// The first retry's longest wait; each later one doubles (full jitter).
    pub backoff_ms: u32,
}

impl Default for AiSettings {
    fn default() -> Self {
        let defaults = palisade_ai::AiConfig::default();
        Self {
            base_url: defaults.base_url,
            allowed_base_urls: Vec::new(),
            model: defaults.model,
            monthly_budget_usd: 20.0,
            prices: BTreeMap::new(),
            default_price: PriceSetting {
                input_per_million_usd: defaults.default_price.input_per_million,
                output_per_million_usd: defaults.default_price.output_per_million,
            },
            timeout_seconds: 30,
            deadline_seconds: 45,
            max_attempts: 3,
            backoff_ms: 500,
        }
    }
}

impl AiSettings {
    pub fn validate(&self) -> Result<(), String> {
        for url in std::iter::once(&self.base_url).chain(&self.allowed_base_urls) {
            let local = url.starts_with("http://127.0.0.1") || url.starts_with("http://localhost");
            if !(url.starts_with("https://") || local) {
                return Err(format!(
                    "ai: `{url}` must be an https:// address (or http:// on this machine)"
                ));
            }
        }
        let prices = std::iter::once(&self.default_price).chain(self.prices.values());
        if prices.into_iter().any(|p| {
            !(0.0..=10_000.0).contains(&p.input_per_million_usd)
                || !(0.0..=10_000.0).contains(&p.output_per_million_usd)
        }) || !(0.0..=1_000_000.0).contains(&self.monthly_budget_usd)
        {
            return Err(
                "ai: prices are 0-10000 dollars per million tokens, and the budget 0-1000000 dollars".into(),
            );
        }
        if self.max_attempts == 0 || self.timeout_seconds == 0 || self.deadline_seconds < self.timeout_seconds
        {
            return Err(
                "ai: max_attempts and timeout_seconds are at least 1, deadline_seconds at least the timeout"
                    .into(),
            );
        }
        Ok(())
    }

    pub fn to_config(&self) -> palisade_ai::AiConfig {
        palisade_ai::AiConfig {
            base_url: self.base_url.clone(),
            allowed_base_urls: self.allowed_base_urls.clone(),
            model: self.model.clone(),
            prices: self
                .prices
                .iter()
                .map(|(m, p)| (m.clone(), (*p).into()))
                .collect(),
            default_price: self.default_price.into(),
            monthly_budget_micros: (self.monthly_budget_usd * 1e6).round() as i64,
            client: palisade_ai::ClientSettings {
                request_timeout: Duration::from_secs(u64::from(self.timeout_seconds)),
                deadline: Duration::from_secs(u64::from(self.deadline_seconds)),
                max_attempts: u32::from(self.max_attempts),
                backoff: Duration::from_millis(u64::from(self.backoff_ms)),
            },
        }
    }
}
