//! A private PostgreSQL cluster in a data directory: found, initialised once, started on a unix
//! socket inside the data directory (no TCP port), stopped cleanly.
//!
//! When this process is root, PostgreSQL runs as an unprivileged OS user (`postgres` by default),
//! because `initdb` refuses to run as root.
mod binaries;
mod cluster;
mod os_user;

pub use binaries::{find_binaries, PgBinaries};
pub use cluster::{Cluster, ClusterSettings, EmbeddedError, StartOutcome};
