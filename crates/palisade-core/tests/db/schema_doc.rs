//! `docs/schema.sql` is the schema as the migrations leave it — every table with its policies and
//! grants, every function as it is now — so a reviewer reads one file instead of replaying thirty
//! migrations that redefine functions. This test dumps a freshly migrated database and fails when the
//! committed file differs; `PALISADE_WRITE_SCHEMA=1` rewrites it instead.
use std::path::PathBuf;
use std::process::Command;

use palisade_db::embedded::find_binaries;
use palisade_testkit::test_db;
use tokio_postgres::config::Host;

const REGENERATE: &str = "PALISADE_WRITE_SCHEMA=1 cargo test -p palisade-core --test db schema_doc";

#[tokio::test]
async fn docs_schema_sql_is_what_the_migrations_build() {
    let t = test_db().await;
    let major: u32 = t
        .superuser()
        .await
        .query_one("select current_setting('server_version_num')::int / 10000", &[])
        .await
        .unwrap()
        .get::<_, i32>(0)
        .try_into()
        .unwrap();
    let dumped = dump(&t.admin.config, major);
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../docs/schema.sql");
    if std::env::var_os("PALISADE_WRITE_SCHEMA").is_some() {
        std::fs::write(&path, &dumped).expect("write docs/schema.sql");
        return;
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    if committed != dumped {
        let first = committed
            .lines()
            .zip(dumped.lines())
            .position(|(a, b)| a != b)
            .map_or(committed.lines().count().min(dumped.lines().count()), |i| i)
            + 1;
        panic!(
            "docs/schema.sql differs from the migrated schema from line {first} on \
             (committed {} lines, migrated {} lines). A migration changed the schema: \
             regenerate with `{REGENERATE}` and commit the file.",
            committed.lines().count(),
            dumped.lines().count()
        );
    }
}

/// The server's directory may hold only the server binaries (a PATH entry with `postgres`, `initdb`
/// and `pg_ctl`); Debian keeps every tool of a major version in one directory.
fn pg_dump(major: u32) -> PathBuf {
    let server = find_binaries(None, Some(major)).expect("PostgreSQL binaries of the server's major version");
    [
        server.tool("pg_dump"),
        PathBuf::from(format!("/usr/lib/postgresql/{major}/bin/pg_dump")),
    ]
    .into_iter()
    .find(|p| p.is_file())
    .unwrap_or_else(|| panic!("pg_dump {major} not found (apt-get install postgresql-client-{major})"))
}

/// `pg_dump --schema-only` of the same major version as the server, without the lines that change
/// from run to run or from one minor release to the next.
fn dump(config: &tokio_postgres::Config, major: u32) -> String {
    let mut cmd = Command::new(pg_dump(major));
    cmd.arg("--schema-only");
    match config.get_hosts().first() {
        Some(Host::Tcp(h)) => cmd.env("PGHOST", h),
        Some(Host::Unix(p)) => cmd.env("PGHOST", p),
        None => &mut cmd,
    };
    if let Some(port) = config.get_ports().first() {
        cmd.env("PGPORT", port.to_string());
    }
    cmd.env("PGUSER", config.get_user().expect("user"));
    cmd.env("PGDATABASE", config.get_dbname().expect("dbname"));
    if let Some(pw) = config.get_password() {
        cmd.env("PGPASSWORD", String::from_utf8_lossy(pw).as_ref());
    }
    let out = cmd.output().expect("run pg_dump");
    assert!(
        out.status.success(),
        "pg_dump failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).expect("pg_dump writes UTF-8");
    let mut doc = format!(
        "-- The schema as migrations/ leave it (PostgreSQL {major}). Generated; do not edit.\n\
         -- Regenerate: {REGENERATE}\n"
    );
    for line in text.lines() {
        let volatile = line.starts_with("\\restrict")
            || line.starts_with("\\unrestrict")
            || line.starts_with("-- Dumped from")
            || line.starts_with("-- Dumped by");
        if !volatile {
            doc.push_str(line);
            doc.push('\n');
        }
    }
    doc
}
