//! The HTTP server. Start it with [`run`]: tests bind port 0 and pass their own shutdown signal.
mod admin;
mod ai;
pub mod ai_config;
pub mod config;
mod crm;
mod crm_sync;
mod cross_site;
pub mod error;
pub mod extract;
pub mod hubspot_config;
mod me;
pub mod metrics;
mod middleware;
mod observe;
mod openapi;
mod ops;
mod platform;
mod privacy;
mod rate_limit;
pub mod security_txt;
mod sign_in;
pub mod startup;
pub mod state;
mod tls;
mod web;
mod webhooks;

use std::future::Future;
use std::sync::{Arc, OnceLock};
use std::time::Duration;

use axum::extract::DefaultBodyLimit;
use axum::Router;
use tokio::net::TcpListener;
use tower::ServiceBuilder;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::trace::TraceLayer;
use utoipa_axum::router::OpenApiRouter;

pub use config::Config;
pub use startup::{Database, StartupError};
use state::AppState;

/// Opens the database (starting the embedded cluster when no URL is configured), applies migrations
/// if configured, serves until `shutdown` resolves, then stops the embedded cluster it started.
pub async fn run(
    config: Config,
    listener: TcpListener,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> Result<(), StartupError> {
    let database = Database::prepare(&config.database).await?;
    let served = serve(&config, &database, listener, shutdown).await;
    database.close().await;
    served
}

async fn serve(
    config: &Config,
    database: &Database,
    listener: TcpListener,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> Result<(), StartupError> {
    if config.database.migrate_on_start {
        database.migrate(&config.database).await?;
    }
    let db = database.connect(&config.database).await?;
    let secret = startup::token_secret(config)?;
    let keys = palisade_auth::TokenKeys::new(&secret, &config.auth.issuer, &config.auth.audience)
        .map_err(|e| StartupError::Invalid(format!("auth.jwt_secret: {e}")))?;
    let sign_in_limits = startup::sign_in_limits(config, &secret).await?;
    let keyring = Arc::new(startup::keyring(config)?);
    let index_keys = Arc::new(startup::index_keyring(config)?);
    startup::check_keys(&db, &keyring, &index_keys).await?;
    // Default: the address actually listened on (the configured bind may say port 0).
    let listening = listener
        .local_addr()
        .map_err(|e| StartupError::Invalid(format!("listener: {e}")))?;
    let scheme = if config.server.tls_cert.is_some() {
        "https"
    } else {
        "http"
    };
    let public_url = config
        .server
        .public_url
        .clone()
        .unwrap_or_else(|| format!("{scheme}://{listening}"));
    let tls = match (&config.server.tls_cert, &config.server.tls_key) {
        (Some(cert), Some(key)) => Some(tls::load(cert, key)?),
        _ => None,
    };
    let (stop_jobs, jobs_stopped) = tokio::sync::watch::channel(false);
    let metrics_stopped = jobs_stopped.clone();
    let mailer = startup::mailer(config)?;
    let metrics = metrics::Metrics::new();
    let assistant =
        palisade_ai::Assistant::new(config.ai.to_config(), Arc::clone(&keyring), metrics.ai.clone())
            .map_err(|e| StartupError::Invalid(format!("ai: {e}")))?;
    let assistant = Arc::new(assistant);
    let transport =
        palisade_hubspot::Transport::new(config.hubspot.to_config(&public_url), metrics.crm.clone())
            .map_err(|e| StartupError::Invalid(format!("hubspot: {e}")))?;
    let hubspot = Arc::new(palisade_hubspot::Syncer {
        transport: Arc::new(transport),
        keyring: Arc::clone(&keyring),
        index_keys: Arc::clone(&index_keys),
    });
    let runner = palisade_jobs::Jobs::new(db.clone(), mailer.clone())
        .with_delivery(startup::delivery(config, &keyring, &index_keys, &public_url))
        .map_err(|e| StartupError::Invalid(e.to_string()))?
        .with_assistant(Arc::clone(&assistant))
        .with_crm(Arc::clone(&hubspot));
    let jobs = if config.jobs.enabled {
        let board = runner.board();
        runner.clone().spawn(jobs_stopped);
        Some(board)
    } else {
        None
    };
    let shutdown = async move {
        shutdown.await;
        let _ = stop_jobs.send(true);
    };
    let oidc = sign_in::oidc_client::OidcProviders::new(
        &config.auth.oidc,
        palisade_auth::oidc_flow_cookie::FlowKey::derive(&secret),
        &public_url,
        config.clock.clone(),
    )
    .map_err(StartupError::Invalid)?;
    if config
        .security_txt
        .expires
        .is_some_and(|e| e < chrono::Utc::now())
    {
        tracing::warn!("security_txt.expires has passed: readers will take the contact as stale");
    }
    let state = AppState::new(state::Shared {
        db,
        assistant,
        keys,
        body_limit: config.server.body_limit_bytes,
        openapi: Arc::new(OnceLock::new()),
        metrics,
        jobs,
        metrics_token: config.metrics.token.clone(),
        metrics_elsewhere: config.metrics.listen.is_some(),
        security_txt: config
            .security_txt
            .render(Some(&format!("{public_url}/.well-known/security.txt")))
            .map(Arc::from),
        error_reports: Arc::new(tokio::sync::Semaphore::new(4)),
        exports: Arc::new(privacy::company_export::ExportSlots::new()),
        termination_grace: chrono::Duration::days(i64::from(config.privacy.termination_grace_days)),
        mailer,
        origins: cross_site::Origins::new(&public_url, &config.server.cors_origins),
        public_url,
        clock: config.clock.clone(),
        sessions: startup::session_policy(&config.auth),
        csrf: palisade_auth::browser_session::CsrfKey::derive(&secret),
        sign_in_limits,
        keyring,
        index_keys,
        oidc: Arc::new(oidc),
        cron_secret: config.cron_secret.clone(),
        runner: Arc::new(runner),
        accounts: Arc::default(),
        hubspot,
        crm_flow: palisade_auth::oidc_flow_cookie::FlowKey::derive_labeled(
            &secret,
            b"palisade crm connect flow key v1",
        ),
        log_sign_in_links: config.env == config::Environment::Development
            && config.mail.transport == config::MailTransport::Mailbox,
    });
    let limiter = rate_limit::Limiter::new(
        config.server.rate_limit_per_second,
        config.server.rate_limit_burst,
    );
    if let Some(addr) = config.metrics.listen {
        ops::metrics::spawn_listener(addr, state.clone(), metrics_stopped).await?;
    }
    let cors = state.origins.cors_layer(&config.server.cors_origins);
    let app = app(state, tls.is_some(), limiter).layer(cors);
    let addr = listener
        .local_addr()
        .map_err(|e| StartupError::Invalid(format!("listener: {e}")))?;
    tracing::info!(%addr, tls = tls.is_some(), "Palisade listening");
    match tls {
        None => axum::serve(
            listener,
            app.into_make_service_with_connect_info::<std::net::SocketAddr>(),
        )
        .with_graceful_shutdown(shutdown)
        .await
        .map_err(|e| StartupError::Invalid(format!("server: {e}"))),
        Some(tls) => {
            let handle = axum_server::Handle::new();
            let on_signal = handle.clone();
            tokio::spawn(async move {
                shutdown.await;
                on_signal.graceful_shutdown(Some(Duration::from_secs(10)));
            });
            let std_listener = listener
                .into_std()
                .map_err(|e| StartupError::Invalid(format!("listener: {e}")))?;
            axum_server::from_tcp_rustls(std_listener, tls)
                .handle(handle)
                .serve(app.into_make_service_with_connect_info::<std::net::SocketAddr>())
                .await
                .map_err(|e| StartupError::Invalid(format!("server: {e}")))
        }
    }
}

/// Every route, area by area. The OpenAPI document is built from the same list.
fn routes() -> OpenApiRouter<AppState> {
    openapi::document()
        .merge(ops::router())
        .merge(sign_in::router())
        .merge(me::router())
        .merge(crm::router())
        .merge(crm_sync::router())
        .merge(admin::router())
        .merge(ai::router())
        .merge(platform::router())
        .merge(privacy::router())
        .merge(web::router())
        .merge(webhooks::router())
}

/// The router with every layer. The OpenAPI document is rendered here, from the same routes.
pub fn app(state: AppState, tls: bool, limiter: Option<rate_limit::Limiter>) -> Router {
    let (router, openapi) = routes().split_for_parts();
    let _ = state.openapi.set(openapi::render(openapi));
    let body_limit = state.body_limit;
    let observed = state.clone();
    let mut router = router
        .fallback(middleware::not_found)
        .method_not_allowed_fallback(middleware::method_not_allowed)
        .with_state(state)
        .layer(DefaultBodyLimit::max(body_limit));
    if let Some(limiter) = limiter {
        router = router.layer(axum::middleware::from_fn_with_state(limiter, rate_limit::enforce));
    }
    for layer in middleware::security_headers(tls) {
        router = router.layer(layer);
    }
    router.layer(
        ServiceBuilder::new()
            .layer(axum::middleware::from_fn(extract::request_id_layer))
            .layer(axum::middleware::from_fn_with_state(observed, observe::observe))
            .layer(
                TraceLayer::new_for_http().make_span_with(|req: &axum::http::Request<_>| {
                    // Path only: no query string (it may carry filters) and no headers.
                    tracing::info_span!("http", method = %req.method(), path = %req.uri().path())
                }),
            )
            .layer(CatchPanicLayer::custom(middleware::panic_response)),
    )
}
