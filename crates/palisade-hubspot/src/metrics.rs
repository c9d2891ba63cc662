//! The sync's counters, registered by the server with its own (`palisade_crm_*`): requests to
//! HubSpot by outcome, records read and written by kind, and runs by outcome. No tenant label (each
//! tenant's figures are on its sync page).
use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::registry::Registry;

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct OutcomeLabels {
    /// `ok` or an error code (`hubspot_rate_limited`, …).
    pub outcome: &'static str,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct RecordLabels {
    /// `contacts`, `deals`, `notes`, `gdpr_deletes`.
    pub object: &'static str,
    /// `in` (HubSpot to Palisade) or `out`.
    pub direction: &'static str,
}

#[derive(Clone, Default, Debug)]
pub struct HubspotMetrics {
    pub requests: Family<OutcomeLabels, Counter>,
    pub records: Family<RecordLabels, Counter>,
    pub runs: Family<OutcomeLabels, Counter>,
}

impl HubspotMetrics {
    pub fn register(&self, registry: &mut Registry) {
        registry.register(
            "crm_requests",
            "Requests to HubSpot by outcome (each attempt counts)",
            self.requests.clone(),
        );
        registry.register(
            "crm_records",
            "Records synced with HubSpot by object and direction",
            self.records.clone(),
        );
        registry.register("crm_sync_runs", "Sync runs by outcome", self.runs.clone());
    }

    pub(crate) fn request(&self, outcome: &'static str) {
        self.requests.get_or_create(&OutcomeLabels { outcome }).inc();
    }

    pub(crate) fn records(&self, object: &'static str, direction: &'static str, n: u64) {
        self.records
            .get_or_create(&RecordLabels { object, direction })
            .inc_by(n);
    }

    pub(crate) fn run(&self, outcome: &'static str) {
        self.runs.get_or_create(&OutcomeLabels { outcome }).inc();
    }
}
