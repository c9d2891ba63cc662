//! The HTTP load client: a fixed number of connections, each sending its next request as soon as the
//! previous answer is read (closed loop, like pgbench's clients), for a fixed time.
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// What one side of a scenario achieved in one round.
#[derive(Clone, Debug, Default)]
pub struct Measurement {
    pub per_second: f64,
    pub p50_ms: Option<f64>,
    pub p99_ms: Option<f64>,
    pub mean_ms: f64,
    pub errors: u64,
    /// Total requests or transactions in the round.
    pub count: f64,
    pub cpu: crate::cpu::PerRequest,
}

impl Measurement {
    /// Requests sent one at a time: their latencies in ms, and the seconds they took in all.
    pub fn sequential(mut latencies: Vec<f64>, elapsed: f64) -> Self {
        let mean = latencies.iter().sum::<f64>() / latencies.len().max(1) as f64;
        latencies.sort_by(f64::total_cmp);
        Self {
            per_second: latencies.len() as f64 / elapsed,
            p50_ms: percentile(&latencies, 0.50),
            p99_ms: percentile(&latencies, 0.99),
            mean_ms: mean,
            errors: 0,
            count: latencies.len() as f64,
            cpu: Default::default(),
        }
    }
}

/// The nearest-rank `p` percentile (0 < p ≤ 1) of `sorted`, ascending; None when empty.
pub fn percentile<T: Copy>(sorted: &[T], p: f64) -> Option<T> {
    let idx = ((sorted.len() as f64 * p).ceil() as usize).saturating_sub(1);
    sorted.get(idx).copied()
}

pub type MakeRequest = Arc<dyn Fn(&reqwest::Client, u64) -> reqwest::RequestBuilder + Send + Sync>;

/// One request (or transaction) of a closed loop: true when it succeeded.
pub type Attempt = futures::future::BoxFuture<'static, bool>;

pub async fn run(concurrency: usize, duration: Duration, make: MakeRequest) -> anyhow::Result<Measurement> {
    closed_loop(concurrency, duration, || {
        // One client per connection, so connections are not shared between workers. A redirect is
        // a failure, not followed (a page whose session ended redirects to the sign-in page).
        let client = reqwest::Client::builder()
            .pool_max_idle_per_host(1)
            .redirect(reqwest::redirect::Policy::none())
            .build()?;
        let make = make.clone();
        Ok(move |n| -> Attempt {
            let request = make(&client, n);
            Box::pin(async move {
                match request.send().await {
                    Ok(r) => {
                        let ok = r.status().is_success();
                        ok & r.bytes().await.is_ok()
                    }
                    Err(_) => false,
                }
            })
        })
    })
    .await
}

/// `concurrency` workers, each starting its next attempt as soon as the previous one ends, for
/// `duration`; `worker` makes each worker's attempt function (numbered across all workers).
pub async fn closed_loop<W>(
    concurrency: usize,
    duration: Duration,
    mut worker: impl FnMut() -> anyhow::Result<W>,
) -> anyhow::Result<Measurement>
where
    W: FnMut(u64) -> Attempt + Send + 'static,
{
    let seq = Arc::new(AtomicU64::new(0));
    let start = Instant::now();
    let deadline = start + duration;
    let mut workers = Vec::with_capacity(concurrency);
    for _ in 0..concurrency {
        let mut attempt = worker()?;
        let seq = seq.clone();
        workers.push(tokio::spawn(async move {
            let mut latencies: Vec<u32> = Vec::with_capacity(100_000);
            let mut errors = 0u64;
            while Instant::now() < deadline {
                let n = seq.fetch_add(1, Ordering::Relaxed);
                let sent = Instant::now();
                let ok = attempt(n).await;
                latencies.push(u32::try_from(sent.elapsed().as_micros()).unwrap_or(u32::MAX));
                errors += u64::from(!ok);
            }
            (latencies, errors)
        }));
    }
    let mut all = Vec::new();
    let mut errors = 0;
    for w in workers {
        let (l, e) = w.await?;
        all.extend(l);
        errors += e;
    }
    let elapsed = start.elapsed().as_secs_f64();
    all.sort_unstable();
    let pct = |p: f64| percentile(&all, p).map(|us| f64::from(us) / 1000.0);
    let mean_ms = if all.is_empty() {
        0.0
    } else {
        all.iter().map(|v| f64::from(*v)).sum::<f64>() / all.len() as f64 / 1000.0
    };
    Ok(Measurement {
        per_second: all.len() as f64 / elapsed,
        p50_ms: pct(0.50),
        p99_ms: pct(0.99),
        mean_ms,
        errors,
        count: all.len() as f64,
        cpu: Default::default(),
    })
}
