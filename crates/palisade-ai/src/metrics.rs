//! The assistant's counters, registered by the server with its own (`palisade_ai_*`): calls by
//! purpose and outcome, tokens, cost, and values masked. No tenant label (the usage table has the
//! per-tenant figures).
use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::registry::Registry;

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct CallLabels {
    pub purpose: &'static str,
    /// `ok`, `budget`, `unavailable`, `rejected`, `bad_output`, `declined`.
    pub outcome: &'static str,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct TokenLabels {
    pub purpose: &'static str,
    /// `prompt` or `completion`.
    pub kind: &'static str,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct PurposeLabels {
    pub purpose: &'static str,
}

#[derive(Clone, Default, Debug)]
pub struct AiMetrics {
    pub calls: Family<CallLabels, Counter>,
    pub tokens: Family<TokenLabels, Counter>,
    pub cost_micros: Family<PurposeLabels, Counter>,
    pub masked: Family<PurposeLabels, Counter>,
}

impl AiMetrics {
    pub fn register(&self, registry: &mut Registry) {
        registry.register(
            "ai_calls",
            "Calls to the language model by purpose and outcome",
            self.calls.clone(),
        );
        registry.register(
            "ai_tokens",
            "Tokens the provider counted, by purpose and kind",
            self.tokens.clone(),
        );
        registry.register(
            "ai_cost_micros",
            "What calls cost, in millionths of a US dollar, by purpose",
            self.cost_micros.clone(),
        );
        registry.register(
            "ai_masked_values",
            "Personal data values replaced by placeholders before leaving, by purpose",
            self.masked.clone(),
        );
    }
}
