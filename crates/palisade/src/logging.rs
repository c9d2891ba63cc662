//! Log setup: human-readable or JSON lines, filter from config or RUST_LOG.
use tracing_subscriber::EnvFilter;

pub fn init(settings: &palisade_server::config::LogSettings) {
    let filter = EnvFilter::try_from_default_env()
        .or_else(|_| EnvFilter::try_new(&settings.filter))
        .unwrap_or_else(|_| EnvFilter::new("info"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    // A second init (tests) is harmless; ignore the error.
    let _ = if settings.json {
        builder.json().try_init()
    } else {
        builder.try_init()
    };
}
