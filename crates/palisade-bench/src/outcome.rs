//! What a scenario is (two sides measured alike, a target) and what its rounds gave.
use std::path::PathBuf;

use crate::audit::{AuditToggle, EventCount};
use crate::load::{MakeRequest, Measurement};

pub enum Side {
    Http {
        label: &'static str,
        make: MakeRequest,
    },
    Pgbench {
        label: &'static str,
        user: &'static str,
        scripts: Vec<PathBuf>,
        vars: Vec<(String, String)>,
        /// Log every transaction's latency for percentiles (costs pgbench a line per transaction,
        /// so only where the report compares percentiles).
        latencies: bool,
    },
    /// The handler's database work from this process, without HTTP (see crate::driver).
    Driver {
        label: &'static str,
        work: crate::driver::Work,
    },
}

impl Side {
    pub fn label(&self) -> &'static str {
        match self {
            Side::Http { label, .. } | Side::Pgbench { label, .. } | Side::Driver { label, .. } => label,
        }
    }
}

pub struct Scenario {
    pub name: &'static str,
    pub a: Side,
    pub b: Option<Side>,
    /// What the ratio A/B is held to (None: latency-only scenario).
    pub target_ratio: Option<f64>,
    /// A runs with this audit trigger on (as deployed), B with it off (bench-only), and every measured
    /// round counts the `audit.events` rows it wrote.
    pub audit: Option<AuditToggle>,
    /// Clients on each side, when not the run's `--concurrency`.
    pub concurrency: Option<usize>,
}

impl Scenario {
    /// A scenario with neither an audit toggle nor its own concurrency.
    pub fn new(name: &'static str, a: Side, b: Option<Side>, target_ratio: Option<f64>) -> Self {
        Self {
            name,
            a,
            b,
            target_ratio,
            audit: None,
            concurrency: None,
        }
    }
}

/// `audit.events` rows written during each measured round of an audited-writes scenario.
pub struct AuditRounds {
    pub toggle: AuditToggle,
    /// A's rounds (trigger on), in order.
    pub on: Vec<EventCount>,
    /// B's rounds (trigger off), in order.
    pub off: Vec<EventCount>,
}

pub struct Outcome {
    pub name: &'static str,
    pub a_label: &'static str,
    pub b_label: Option<&'static str>,
    pub a: Vec<Measurement>,
    pub b: Vec<Measurement>,
    pub target_ratio: Option<f64>,
    pub rss_mib: f64,
    pub audit: Option<AuditRounds>,
    /// A one-sided scenario's own latency goal (p50, ms); others are held to a p99 of 50 ms.
    pub p50_goal_ms: Option<f64>,
}

pub fn median(values: impl IntoIterator<Item = f64>) -> f64 {
    let mut v: Vec<f64> = values.into_iter().collect();
    if v.is_empty() {
        return 0.0;
    }
    v.sort_by(f64::total_cmp);
    let mid = v.len() / 2;
    if v.len().is_multiple_of(2) {
        (v[mid - 1] + v[mid]) / 2.0
    } else {
        v[mid]
    }
}

impl Outcome {
    pub fn a_rate(&self) -> f64 {
        median(self.a.iter().map(|m| m.per_second))
    }
    pub fn b_rate(&self) -> Option<f64> {
        self.b_label.map(|_| median(self.b.iter().map(|m| m.per_second)))
    }
    pub fn ratio(&self) -> Option<f64> {
        self.b_rate().filter(|b| *b > 0.0).map(|b| self.a_rate() / b)
    }
    pub fn p50(&self) -> Option<f64> {
        self.a
            .iter()
            .all(|m| m.p50_ms.is_some())
            .then(|| median(self.a.iter().filter_map(|m| m.p50_ms)))
    }
    pub fn p99(&self) -> Option<f64> {
        self.a
            .iter()
            .all(|m| m.p99_ms.is_some())
            .then(|| median(self.a.iter().filter_map(|m| m.p99_ms)))
    }
    /// B's p99 where its side logs latencies (pgbench `-l`).
    pub fn b_p99(&self) -> Option<f64> {
        (!self.b.is_empty() && self.b.iter().all(|m| m.p99_ms.is_some()))
            .then(|| median(self.b.iter().filter_map(|m| m.p99_ms)))
    }
    pub fn b_mean_ms(&self) -> Option<f64> {
        self.b_label.map(|_| median(self.b.iter().map(|m| m.mean_ms)))
    }
    /// Median CPU µs per request of each round, split client/server/database.
    pub fn cpu(&self, b: bool) -> Option<crate::cpu::PerRequest> {
        let rounds = if b { &self.b } else { &self.a };
        (!rounds.is_empty()).then(|| crate::cpu::PerRequest {
            client_us: median(rounds.iter().map(|m| m.cpu.client_us)),
            server_us: median(rounds.iter().map(|m| m.cpu.server_us)),
            database_us: median(rounds.iter().map(|m| m.cpu.database_us)),
        })
    }

    pub fn errors(&self) -> u64 {
        self.a.iter().chain(&self.b).map(|m| m.errors).sum()
    }
}

/// Scenario 6's switch: the audit trigger of `app.interactions` (migration 0007).
pub fn succeeded(m: &Measurement) -> f64 {
    m.count - m.errors as f64
}
