//! Command-line interface.
use std::path::PathBuf;
use std::time::Duration;

use clap::{Parser, Subcommand};

#[derive(Debug, Parser)]
#[command(
    name = "palisade",
    about = "Multi-tenant customer-engagement backend",
    version
)]
pub struct Cli {
    /// TOML configuration file (settings are then overridden by PALISADE_* environment variables).
    #[arg(long, global = true, env = "PALISADE_CONFIG")]
    pub config: Option<PathBuf>,
    /// Palisade's data directory (embedded database, generated keys). Default ./palisade-data.
    #[arg(long, global = true)]
    pub data_dir: Option<PathBuf>,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the HTTP server (embedded PostgreSQL unless DATABASE_URL is set).
    Serve {
        /// Address to listen on (default 127.0.0.1:8080).
        #[arg(long)]
        bind: Option<std::net::SocketAddr>,
        /// PEM certificate chain; serve HTTPS (with HSTS).
        #[arg(long, requires = "tls_key")]
        tls_cert: Option<PathBuf>,
        /// PEM private key for --tls-cert.
        #[arg(long, requires = "tls_cert")]
        tls_key: Option<PathBuf>,
    },
    /// Apply database migrations and exit.
    Migrate,
    /// Tenant operations.
    Tenant {
        #[command(subcommand)]
        command: TenantCommand,
    },
    /// User operations.
    User {
        #[command(subcommand)]
        command: UserCommand,
    },
    /// Platform super-admins (error events, incidents, all tenants): grant, revoke, list.
    PlatformAdmin {
        #[command(subcommand)]
        command: PlatformAdminCommand,
    },
    /// Access tokens.
    Token {
        #[command(subcommand)]
        command: TokenCommand,
    },
    /// Audit trail: verify the hash chains, set retention.
    Audit {
        #[command(subcommand)]
        command: AuditCommand,
    },
    /// Check this deployment against its security promises: configuration (TLS, metrics, cron
    /// secret, security.txt), keys, migrations, the database catalog (forced RLS, roles, definer
    /// functions, grants, audit triggers, sealed columns), every audit chain, and a probe of
    /// cross-tenant and rep-private access in a rolled-back transaction. Exit status 1 when any fails.
    Verify {
        /// Print JSON instead of a table.
        #[arg(long)]
        json: bool,
    },
    /// Export every table of a tenant (what its admins read) into a directory, from one snapshot:
    /// one file per table and a manifest.json. Lead phone numbers are opened; rep-private tables and
    /// credentials are left out.
    Export {
        /// The tenant's slug.
        #[arg(long)]
        tenant: String,
        /// The directory to write (created when missing; an earlier export's files are not overwritten).
        #[arg(long)]
        out: PathBuf,
        #[arg(long, value_enum, default_value_t = ExportFormat::Jsonl)]
        format: ExportFormat,
    },
    /// Retention: delete what is past each tenant's periods (the hourly `retention` job, now).
    Retention {
        #[command(subcommand)]
        command: RetentionCommand,
    },
    /// Encryption keys for secrets at rest.
    Keys {
        #[command(subcommand)]
        command: KeysCommand,
    },
    /// Print the version.
    Version,
}

#[derive(Debug, Subcommand)]
pub enum RetentionCommand {
    /// Delete, tenant by tenant and class by class, what is older than its retention period.
    Run {
        /// Only count what would be deleted.
        #[arg(long)]
        dry_run: bool,
        /// Only this tenant (slug).
        #[arg(long)]
        tenant: Option<String>,
    },
}

/// The file format of `palisade export`.
#[derive(Clone, Copy, Debug, clap::ValueEnum)]
pub enum ExportFormat {
    /// One JSON object per line.
    Jsonl,
    /// CSV with a header line; text that starts like a spreadsheet formula gets a leading `'`.
    Csv,
}

impl From<ExportFormat> for palisade_core::privacy::company_export::Format {
    fn from(format: ExportFormat) -> Self {
        match format {
            ExportFormat::Jsonl => Self::Jsonl,
            ExportFormat::Csv => Self::Csv,
        }
    }
}

#[derive(Debug, Subcommand)]
pub enum KeysCommand {
    /// Print a new 256-bit key as `id:base64`, for PALISADE_KEYS (put the new key first to make it
    /// the active one; keep the old ones until nothing is sealed under them).
    Generate {
        /// The key's id (letters, digits, `_`, `-`; default `k` and today's date).
        #[arg(long)]
        id: Option<String>,
    },
    /// How many stored values each key seals or indexes, per column (JSON). A key that no row
    /// names can be retired.
    Status,
    /// Re-seal every value not under the active key, and recompute every blind index not under the
    /// active index key: online, in batches (each its own transaction), resumable (run it again
    /// after an interruption). Values that do not open are reported, left as they are, and make the
    /// exit status 1.
    Rotate {
        /// Rows per transaction.
        #[arg(long, default_value_t = 500, value_parser = clap::value_parser!(u16).range(1..=10000))]
        batch: u16,
    },
}

#[derive(Debug, Subcommand)]
pub enum AuditCommand {
    /// Recompute every audit hash chain and report the first broken link (exit status 1 on a break).
    Verify {
        /// Only the chain of this tenant (slug).
        #[arg(long)]
        tenant: Option<String>,
    },
    /// Show, or with --months set, how long audit events are kept (default 84 months = 7 years).
    Retention {
        #[arg(long)]
        months: Option<u32>,
    },
}

#[derive(Debug, Subcommand)]
pub enum TenantCommand {
    /// Create a tenant whose first admin is the user with --admin (created if new).
    Create {
        #[arg(long)]
        slug: String,
        #[arg(long)]
        name: String,
        /// Email of the first admin.
        #[arg(long)]
        admin: String,
    },
    /// Delete every row of a tenant now, as its termination's purge would after the grace period:
    /// only its suppressions, its de-identified row, the receipt and its audit anchor stay.
    Purge {
        #[arg(long)]
        slug: String,
        /// Confirm: there is no grace period and no undo.
        #[arg(long)]
        yes: bool,
    },
}

#[derive(Debug, Subcommand)]
pub enum UserCommand {
    /// Create a user (or find the existing one), optionally adding them to a tenant.
    Create {
        #[arg(long)]
        email: String,
        #[arg(long)]
        name: Option<String>,
        /// Add the user to this tenant (slug): an invitation from --by, accepted on the person's
        /// behalf (no email is sent). Requires --role and --by.
        #[arg(long, requires_all = ["role", "by"])]
        tenant: Option<String>,
        /// rep, manager or admin.
        #[arg(long, value_parser = ["rep", "manager", "admin"])]
        role: Option<String>,
        /// Email of an admin of the tenant, on whose authority the member is added.
        #[arg(long)]
        by: Option<String>,
    },
    /// Disable a person everywhere: their sessions end now, and no sign-in or token works for them.
    Disable {
        #[arg(long)]
        email: String,
    },
    /// Enable a disabled person again (they sign in anew).
    Enable {
        #[arg(long)]
        email: String,
    },
}

#[derive(Debug, Subcommand)]
pub enum PlatformAdminCommand {
    /// Make a person a platform super-admin (created if new: they then sign in by magic link).
    Grant {
        #[arg(long)]
        email: String,
    },
    /// Take platform super-admin rights away.
    Revoke {
        #[arg(long)]
        email: String,
    },
    /// The platform super-admins, as JSON lines.
    List,
}

#[derive(Debug, Subcommand)]
pub enum TokenCommand {
    /// Mint an access token for a user (printed on stdout).
    Mint {
        /// The user's email.
        #[arg(long)]
        user: String,
        /// Scope the token to this tenant (slug); required for tenant data.
        #[arg(long)]
        tenant: Option<String>,
        /// Lifetime, e.g. 15m, 1h (at most 24h).
        #[arg(long, default_value = "15m", value_parser = humantime::parse_duration)]
        ttl: Duration,
    },
}

#[cfg(test)]
mod tests {
    use clap::CommandFactory;

    use super::*;

    #[test]
    fn cli_is_well_formed() {
        Cli::command().debug_assert();
    }

    #[test]
    fn adding_to_a_tenant_needs_role_and_authority() {
        assert!(
            Cli::try_parse_from(["palisade", "user", "create", "--email", "a@b.co", "--tenant", "acme"])
                .is_err()
        );
        assert!(Cli::try_parse_from([
            "palisade", "user", "create", "--email", "a@b.co", "--tenant", "acme", "--role", "rep", "--by",
            "x@b.co"
        ])
        .is_ok());
        assert!(
            Cli::try_parse_from(["palisade", "token", "mint", "--user", "a@b.co", "--ttl", "soon"]).is_err()
        );
    }
}
