//! Numbered SQL migrations, embedded at build time, applied in order, each in its own transaction
//! together with its history row. A migration that landed and was edited afterwards stops the run.
use secrecy::{ExposeSecret, SecretString};
use sha2::{Digest, Sha256};

use crate::connect::{connect_once, Target};
use crate::DbError;

include!(concat!(env!("OUT_DIR"), "/migrations.rs"));

/// Serialises concurrent migrators (several instances starting at once).
const LOCK_KEY: i64 = 0x7061_6c69_7361_6465; // "palisade"

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Migration {
    pub version: i32,
    pub name: &'static str,
    pub sql: &'static str,
    pub checksum: String,
}

#[derive(Debug, thiserror::Error)]
pub enum MigrateError {
    #[error("migration {version} ({name}) was edited after it was applied (checksum differs); add a new migration instead")]
    Edited { version: i32, name: String },
    #[error(
        "the database has migration {version}, which this binary does not know; it is newer than this build"
    )]
    Unknown { version: i32 },
    #[error("migration {name} failed: {reason}")]
    Failed { name: String, reason: String },
    #[error("malformed migration file name {0}: expected NNNN_name.sql")]
    BadName(String),
    #[error(transparent)]
    Db(#[from] DbError),
}

impl From<tokio_postgres::Error> for MigrateError {
    fn from(e: tokio_postgres::Error) -> Self {
        Self::Db(e.into())
    }
}

/// All embedded migrations in version order.
pub fn embedded() -> Result<Vec<Migration>, MigrateError> {
    MIGRATIONS
        .iter()
        .map(|(file, sql)| {
            let (num, _) = file
                .split_once('_')
                .ok_or_else(|| MigrateError::BadName((*file).into()))?;
            let version = num.parse().map_err(|_| MigrateError::BadName((*file).into()))?;
            Ok(Migration {
                version,
                name: file,
                sql,
                checksum: checksum(sql),
            })
        })
        .collect()
}

pub fn checksum(sql: &str) -> String {
    hex::encode(Sha256::digest(sql.as_bytes()))
}

#[derive(Debug, Default)]
pub struct Report {
    pub applied: Vec<String>,
    pub already: usize,
}

/// Applies pending migrations using `admin` (a superuser, or a role with CREATEROLE that owns the
/// database). Sets the runtime login's password when one is configured (sent as a SCRAM verifier,
/// so the clear text never reaches the server or its logs).
pub async fn run(admin: &Target, runtime_password: Option<&SecretString>) -> Result<Report, MigrateError> {
    let migrations = embedded()?;
    #[expect(
        clippy::disallowed_methods,
        reason = "migrations run as the admin, outside any context"
    )]
    let mut client = connect_once(admin).await?;
    client
        .execute("select pg_advisory_lock($1)", &[&LOCK_KEY])
        .await?;
    let result = apply(&mut client, &migrations).await;
    let unlock = client
        .execute("select pg_advisory_unlock($1)", &[&LOCK_KEY])
        .await;
    let report = result?;
    unlock?;
    if let Some(password) = runtime_password {
        let verifier = postgres_protocol::password::scram_sha_256(password.expose_secret().as_bytes());
        client
            .batch_execute(&format!(
                "alter role palisade_runtime password {}",
                quote_literal(&verifier)
            ))
            .await?;
    }
    Ok(report)
}

async fn apply(
    client: &mut tokio_postgres::Client,
    migrations: &[Migration],
) -> Result<Report, MigrateError> {
    let applied = applied(client).await?;
    for (version, sum) in &applied {
        match migrations.iter().find(|m| m.version == *version) {
            None => return Err(MigrateError::Unknown { version: *version }),
            Some(m) if &m.checksum != sum => {
                return Err(MigrateError::Edited {
                    version: m.version,
                    name: m.name.into(),
                })
            }
            Some(_) => {}
        }
    }
    let mut report = Report {
        already: applied.len(),
        ..Report::default()
    };
    for m in migrations
        .iter()
        .filter(|m| !applied.iter().any(|(v, _)| *v == m.version))
    {
        #[expect(
            clippy::disallowed_methods,
            reason = "migrations run as the owner, outside any context"
        )]
        let tx = client.transaction().await?;
        tx.batch_execute(m.sql).await.map_err(|e| MigrateError::Failed {
            name: m.name.into(),
            reason: describe(&e),
        })?;
        tx.batch_execute("set local role palisade_owner").await?;
        tx.execute(
            "insert into palisade_meta.schema_migrations (version, name, checksum) values ($1, $2, $3)",
            &[&m.version, &m.name, &m.checksum],
        )
        .await?;
        tx.commit().await?;
        tracing::info!(migration = m.name, "applied migration");
        report.applied.push(m.name.to_owned());
    }
    Ok(report)
}

async fn applied(client: &mut tokio_postgres::Client) -> Result<Vec<(i32, String)>, MigrateError> {
    let exists: bool = client
        .query_one(
            "select to_regclass('palisade_meta.schema_migrations') is not null as table_exists",
            &[],
        )
        .await?
        .try_get("table_exists")?;
    if !exists {
        return Ok(Vec::new());
    }
    #[expect(
        clippy::disallowed_methods,
        reason = "migrations run as the owner, outside any context"
    )]
    let tx = client.transaction().await?;
    tx.batch_execute("set local role palisade_owner").await?;
    let rows = tx
        .query(
            "select version, checksum from palisade_meta.schema_migrations order by version",
            &[],
        )
        .await?;
    tx.commit().await?;
    rows.iter()
        .map(|r| Ok((r.try_get("version")?, r.try_get("checksum")?)))
        .collect::<Result<_, tokio_postgres::Error>>()
        .map_err(Into::into)
}

/// The versions recorded in the database, read through the auth context (readiness).
pub async fn current(db: &crate::Db) -> Result<Vec<(i32, String)>, DbError> {
    let mut tx = db.auth().await?;
    let rows = tx
        .query(
            "select version, checksum from palisade_meta.schema_migrations order by version",
            &[],
        )
        .await?;
    tx.commit().await?;
    rows.iter()
        .map(|r| Ok((r.try_get("version")?, r.try_get("checksum")?)))
        .collect()
}

/// True when the database holds exactly the embedded migrations, unedited.
pub async fn is_current(db: &crate::Db) -> Result<bool, DbError> {
    let Ok(expected) = embedded() else {
        return Ok(false);
    };
    let recorded = current(db).await?;
    Ok(recorded.len() == expected.len()
        && recorded
            .iter()
            .zip(&expected)
            .all(|((v, c), m)| *v == m.version && *c == m.checksum))
}

fn describe(e: &tokio_postgres::Error) -> String {
    match e.as_db_error() {
        Some(db) => format!("{} (SQLSTATE {})", db.message(), db.code().code()),
        None => e.to_string(),
    }
}

fn quote_literal(s: &str) -> String {
    format!("'{}'", s.replace('\'', "''"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_migrations_are_numbered_and_unique() {
        let all = embedded().unwrap();
        assert!(!all.is_empty());
        for pair in all.windows(2) {
            assert!(
                pair[0].version < pair[1].version,
                "{} and {}",
                pair[0].name,
                pair[1].name
            );
        }
        assert_eq!(all[0].version, 1);
    }

    #[test]
    fn quoting_doubles_single_quotes() {
        assert_eq!(quote_literal("a'b"), "'a''b'");
    }
}
