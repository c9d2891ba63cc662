//! Prometheus metrics. One registry per server (tests run several in one process). Request metrics
//! are labelled by route template, never by the concrete path, so ids never become label values.
use std::sync::atomic::AtomicU64;
use std::sync::Arc;

use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::{exponential_buckets, Histogram};
use prometheus_client::registry::Registry;

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct RequestLabels {
    pub route: String,
    pub method: String,
    pub status: u16,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct RouteLabels {
    pub route: String,
    pub method: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct JobLabels {
    pub job: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct WebhookLabels {
    pub provider: String,
    /// `missing`, `malformed`, `stale`, `mismatch`, `bad_secret` or `not_configured`.
    pub reason: String,
}

type HistogramFamily = Family<RouteLabels, Histogram, fn() -> Histogram>;

fn latency_histogram() -> Histogram {
    // 0.5 ms to ~16 s.
    Histogram::new(exponential_buckets(0.0005, 2.0, 16))
}

pub struct Metrics {
    registry: Registry,
    pub requests: Family<RequestLabels, Counter>,
    pub latency: HistogramFamily,
    pub error_events: Counter,
    pub pool_size: Gauge,
    pub pool_available: Gauge,
    pub pool_waiting: Gauge,
    pub audit_chains: Gauge,
    pub audit_events: Gauge,
    pub audit_pending: Gauge,
    pub job_runs: Family<JobLabels, Gauge>,
    pub job_failures: Family<JobLabels, Gauge>,
    pub job_last_success: Family<JobLabels, Gauge<f64, AtomicU64>>,
    /// Webhook requests refused by signature verification, by provider and reason.
    pub webhook_verification_failures: Family<WebhookLabels, Counter>,
    /// The assistant's calls, tokens, cost and masked values (`palisade_ai_*`).
    pub ai: palisade_ai::AiMetrics,
    /// The HubSpot sync's requests, records and runs (`palisade_crm_*`).
    pub crm: palisade_hubspot::HubspotMetrics,
}

impl Metrics {
    pub fn new() -> Arc<Self> {
        let mut registry = Registry::with_prefix("palisade");
        let requests = Family::<RequestLabels, Counter>::default();
        registry.register(
            "http_requests",
            "HTTP requests by route template, method and status",
            requests.clone(),
        );
        let latency: HistogramFamily = Family::new_with_constructor(latency_histogram);
        registry.register(
            "http_request_duration_seconds",
            "HTTP request latency by route template",
            latency.clone(),
        );
        let error_events = Counter::default();
        registry.register(
            "error_events_recorded",
            "Error events recorded by this instance",
            error_events.clone(),
        );
        let pool_size = Gauge::default();
        registry.register(
            "db_pool_connections",
            "Open runtime connections",
            pool_size.clone(),
        );
        let pool_available = Gauge::default();
        registry.register(
            "db_pool_available",
            "Idle runtime connections",
            pool_available.clone(),
        );
        let pool_waiting = Gauge::default();
        registry.register(
            "db_pool_waiting",
            "Requests waiting for a connection",
            pool_waiting.clone(),
        );
        let audit_chains = Gauge::default();
        registry.register(
            "audit_chains",
            "Audit hash chains (tenants plus the platform chain)",
            audit_chains.clone(),
        );
        let audit_events = Gauge::default();
        registry.register(
            "audit_chain_events",
            "Audit events linked into the chains (sum of chain heads)",
            audit_events.clone(),
        );
        let audit_pending = Gauge::default();
        registry.register(
            "audit_pending_events",
            "Audit events recorded but not yet linked by the sealer",
            audit_pending.clone(),
        );
        let job_runs = Family::<JobLabels, Gauge>::default();
        registry.register("job_runs", "Background job runs since start", job_runs.clone());
        let job_failures = Family::<JobLabels, Gauge>::default();
        registry.register(
            "job_failures",
            "Background job failures since start",
            job_failures.clone(),
        );
        let job_last_success = Family::<JobLabels, Gauge<f64, AtomicU64>>::default();
        registry.register(
            "job_last_success_timestamp_seconds",
            "Unix time of each job's last success",
            job_last_success.clone(),
        );
        let webhook_verification_failures = Family::<WebhookLabels, Counter>::default();
        registry.register(
            "webhook_verification_failures",
            "Webhook requests rejected by signature verification",
            webhook_verification_failures.clone(),
        );
        let ai = palisade_ai::AiMetrics::default();
        ai.register(&mut registry);
        let crm = palisade_hubspot::HubspotMetrics::default();
        crm.register(&mut registry);
        Arc::new(Self {
            registry,
            requests,
            latency,
            error_events,
            pool_size,
            pool_available,
            pool_waiting,
            audit_chains,
            audit_events,
            audit_pending,
            job_runs,
            job_failures,
            job_last_success,
            webhook_verification_failures,
            ai,
            crm,
        })
    }

    /// OpenMetrics text.
    pub fn render(&self) -> Result<String, std::fmt::Error> {
        let mut out = String::new();
        prometheus_client::encoding::text::encode(&mut out, &self.registry)?;
        Ok(out)
    }
}
