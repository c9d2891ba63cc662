//! The binary as a newcomer uses it: `serve` with no DATABASE_URL starts the embedded PostgreSQL,
//! `/readyz` answers 200, operator commands work beside it, and SIGINT stops both cleanly.
#![allow(clippy::unwrap_used, clippy::expect_used, reason = "test")]
use std::path::Path;
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

const BIN: &str = env!("CARGO_BIN_EXE_palisade");

fn palisade(data_dir: &Path, args: &[&str]) -> Output {
    Command::new(BIN)
        .args(args)
        .arg("--data-dir")
        .arg(data_dir)
        .env_remove("DATABASE_URL")
        .env("RUST_LOG", "warn")
        .output()
        .unwrap()
}

fn stdout(out: &Output) -> String {
    assert!(
        out.status.success(),
        "command failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout.clone()).unwrap().trim().to_owned()
}

struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

#[tokio::test]
async fn serve_on_the_embedded_database_then_shut_down_cleanly() {
    let dir = tempfile::Builder::new()
        .prefix("palisade-cli-")
        .tempdir_in("/tmp")
        .unwrap();
    let data = dir.path().join("data");
    let port = free_port();
    let mut server = Server(
        Command::new(BIN)
            .args(["serve", "--bind", &format!("127.0.0.1:{port}"), "--data-dir"])
            .arg(&data)
            .env_remove("DATABASE_URL")
            .env("RUST_LOG", "warn")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap(),
    );
    let client = reqwest::Client::new();
    let url = format!("http://127.0.0.1:{port}");
    let started = Instant::now();
    loop {
        if let Ok(r) = client.get(format!("{url}/readyz")).send().await {
            assert_eq!(r.status(), 200);
            break;
        }
        assert!(server.0.try_wait().unwrap().is_none(), "serve exited early");
        assert!(
            started.elapsed() < Duration::from_secs(90),
            "serve did not become ready"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    // The signing key was generated privately; the cluster listens on a socket, not TCP.
    let mode = std::os::unix::fs::PermissionsExt::mode(
        &std::fs::metadata(data.join("jwt.key")).unwrap().permissions(),
    );
    assert_eq!(mode & 0o777, 0o600);

    // Operator commands beside the running server (they adopt its cluster and leave it running).
    stdout(&palisade(
        &data,
        &[
            "tenant",
            "create",
            "--slug",
            "acme",
            "--name",
            "Acme",
            "--admin",
            "ada@acme.test",
        ],
    ));
    stdout(&palisade(
        &data,
        &[
            "user",
            "create",
            "--email",
            "rex@acme.test",
            "--tenant",
            "acme",
            "--role",
            "rep",
            "--by",
            "ada@acme.test",
        ],
    ));
    let refused = palisade(
        &data,
        &[
            "user",
            "create",
            "--email",
            "x@acme.test",
            "--tenant",
            "acme",
            "--role",
            "admin",
            "--by",
            "rex@acme.test",
        ],
    );
    assert!(!refused.status.success(), "a rep must not add members");
    // The first platform super-admin, and no second grant of the same.
    let granted = stdout(&palisade(
        &data,
        &["platform-admin", "grant", "--email", "root@ops.test"],
    ));
    assert!(granted.contains("\"platform_admin\":true"), "{granted}");
    stdout(&palisade(
        &data,
        &["platform-admin", "grant", "--email", "Root@ops.test"],
    ));
    let listed = stdout(&palisade(&data, &["platform-admin", "list"]));
    assert_eq!(listed.lines().count(), 1, "{listed}");
    assert!(listed.contains("root@ops.test"), "{listed}");
    stdout(&palisade(
        &data,
        &["platform-admin", "revoke", "--email", "root@ops.test"],
    ));
    let again = palisade(&data, &["platform-admin", "revoke", "--email", "root@ops.test"]);
    assert!(!again.status.success(), "revoking twice says so");
    assert!(stdout(&palisade(&data, &["platform-admin", "list"])).is_empty());
    let token = stdout(&palisade(
        &data,
        &[
            "token",
            "mint",
            "--user",
            "rex@acme.test",
            "--tenant",
            "acme",
            "--ttl",
            "5m",
        ],
    ));
    let created = client
        .post(format!("{url}/api/v1/leads"))
        .bearer_auth(&token)
        .json(&serde_json::json!({"name": "First lead", "phone": "+14155550100"}))
        .send()
        .await
        .unwrap();
    assert_eq!(created.status(), 201);
    let dashboard = client
        .get(format!("{url}/api/v1/dashboard"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(dashboard.status(), 403, "reps have no dashboard");

    // `verify` against the running deployment: every promise holds once metrics ask for a token;
    // without one it names the open metrics and exits 1. It changes nothing (the lead is still one).
    let verify = |token: Option<&str>| {
        let mut cmd = Command::new(BIN);
        cmd.args(["verify", "--json", "--data-dir"])
            .arg(&data)
            .env_remove("DATABASE_URL")
            .env("RUST_LOG", "warn");
        if let Some(t) = token {
            cmd.env("PALISADE_METRICS__TOKEN", t);
        }
        cmd.output().unwrap()
    };
    let report = verify(Some("m3tr1cs-t0ken-f0r-the-cli-test-0123456789"));
    let verdict: serde_json::Value = serde_json::from_slice(&report.stdout).unwrap();
    assert!(report.status.success(), "{verdict:#}");
    assert_eq!(verdict["passed"], true);
    let promises: Vec<&str> = verdict["checks"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|c| c["promise"].as_str())
        .collect();
    for p in [
        "tenant_isolation",
        "rep_private",
        "keys",
        "audit_chains",
        "behaviour",
        "schema",
    ] {
        assert!(promises.contains(&p), "{p} in {promises:?}");
    }
    let open = verify(None);
    assert!(!open.status.success());
    let verdict: serde_json::Value = serde_json::from_slice(&open.stdout).unwrap();
    let metrics = verdict["checks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["promise"] == "metrics_protected")
        .unwrap();
    assert_eq!(metrics["passed"], false);

    // The company export, for operators: every table, a manifest, the lead's number opened.
    let out = dir.path().join("export");
    let done = stdout(&palisade(
        &data,
        &["export", "--tenant", "acme", "--out", out.to_str().unwrap()],
    ));
    assert!(done.contains("table(s) written"), "{done}");
    let manifest: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("manifest.json")).unwrap()).unwrap();
    let leads = manifest["tables"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["table"] == "leads")
        .unwrap();
    assert_eq!(leads["rows"], 1);
    let leads = std::fs::read_to_string(out.join("leads.jsonl")).unwrap();
    assert!(
        leads.contains("\"name\":\"First lead\"") && leads.contains("\"phone\":\"+14155550100\""),
        "{leads}"
    );
    assert!(
        !out.join("drafts.jsonl").exists(),
        "rep-private tables are not the company's"
    );
    let again = palisade(
        &data,
        &["export", "--tenant", "acme", "--out", out.to_str().unwrap()],
    );
    assert!(!again.status.success(), "an earlier export is not overwritten");
    let csv = dir.path().join("csv");
    stdout(&palisade(
        &data,
        &[
            "export",
            "--tenant",
            "acme",
            "--out",
            csv.to_str().unwrap(),
            "--format",
            "csv",
        ],
    ));
    let members = std::fs::read_to_string(csv.join("users.csv")).unwrap();
    assert!(
        members.starts_with("id,email,display_name") && members.contains("rex@acme.test"),
        "{members}"
    );
    let unknown = palisade(
        &data,
        &["export", "--tenant", "nope", "--out", csv.to_str().unwrap()],
    );
    assert!(!unknown.status.success());

    // An operator purges the tenant at once, once confirmed; nobody acts in it again.
    let unconfirmed = palisade(&data, &["tenant", "purge", "--slug", "acme"]);
    assert!(!unconfirmed.status.success(), "a purge without --yes");
    let purged = stdout(&palisade(&data, &["tenant", "purge", "--slug", "acme", "--yes"]));
    assert!(
        purged.contains("app.leads") && purged.contains("purged"),
        "{purged}"
    );
    let again = palisade(&data, &["tenant", "purge", "--slug", "acme", "--yes"]);
    assert!(!again.status.success(), "a purged tenant is not found again");
    let leads = client
        .get(format!("{url}/api/v1/leads"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(leads.status(), 403, "a member of a purged tenant");

    // SIGINT: graceful stop, and the embedded PostgreSQL it started stops with it.
    let pid = server.0.id().to_string();
    assert!(Command::new("kill")
        .args(["-INT", &pid])
        .status()
        .unwrap()
        .success());
    let deadline = Instant::now() + Duration::from_secs(60);
    let status = loop {
        if let Some(status) = server.0.try_wait().unwrap() {
            break status;
        }
        assert!(Instant::now() < deadline, "serve did not stop");
        std::thread::sleep(Duration::from_millis(100));
    };
    assert!(status.success(), "serve exited with {status}");
    assert!(
        !data.join("pg/postmaster.pid").exists(),
        "PostgreSQL still running after shutdown"
    );
}

#[test]
fn version_and_helpful_errors() {
    let out = Command::new(BIN).arg("version").output().unwrap();
    assert!(String::from_utf8_lossy(&out.stdout).starts_with("palisade "));
    let out = Command::new(BIN)
        .args(["migrate"])
        .env(
            "DATABASE_URL",
            "postgres://nobody@127.0.0.1:1/none?sslmode=disable",
        )
        .output()
        .unwrap();
    assert!(!out.status.success());
    let out = Command::new(BIN)
        .args(["serve"])
        .env("PALISADE_DATABASE__POOL_SIZE", "0")
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("pool_size"));
}

/// `palisade audit verify` against a database: exit 0 on intact chains, non-zero naming the first
/// broken link after tampering done as the database superuser.
#[tokio::test]
async fn audit_verify_reports_the_first_broken_link_and_fails() {
    use secrecy::ExposeSecret;
    let t = palisade_testkit::test_db().await;
    let url = t.admin.to_conninfo().expose_secret().to_owned();
    let verify = |args: &[&str]| {
        Command::new(BIN)
            .args(["audit", "verify"])
            .args(args)
            .env("DATABASE_URL", &url)
            .env("PALISADE_DATABASE__MIGRATE_ON_START", "false")
            .env("RUST_LOG", "warn")
            .output()
            .unwrap()
    };
    // Events recorded by the fixture are linked by the sealer (the server's job does this every second).
    let su = t.superuser().await;
    let mut tx = t.db.system(palisade_db::Purpose::Maintenance).await.unwrap();
    tx.query_one("select audit.seal(100000)", &[]).await.unwrap();
    tx.commit().await.unwrap();

    let ok = verify(&[]);
    let text = String::from_utf8_lossy(&ok.stdout).to_string();
    assert!(
        ok.status.success(),
        "{text}{}",
        String::from_utf8_lossy(&ok.stderr)
    );
    assert!(text.contains("ok      tenant tenant-a"), "{text}");
    assert!(text.contains(", 0 broken"), "{text}");

    su.batch_execute(&format!(
        "set session_replication_role = replica; \
         update audit.events set after = jsonb_set(after, '{{name}}', '\"Mallory\"') \
         where id = (select min(id) from audit.events where table_name = 'leads' and tenant_id = '{}'); \
         set session_replication_role = origin",
        t.world.tenant_a
    ))
    .await
    .unwrap();
    let bad = verify(&[]);
    let text = String::from_utf8_lossy(&bad.stdout).to_string();
    assert!(!bad.status.success(), "{text}");
    assert!(
        text.contains("BROKEN  tenant tenant-a: first broken link at seq"),
        "{text}"
    );
    assert!(text.contains("content does not match its hash"), "{text}");
    assert!(String::from_utf8_lossy(&bad.stderr).contains("1 audit chain(s) failed verification"));
    // Narrowed to the untouched tenant, it passes; an unknown slug is a clear error.
    assert!(verify(&["--tenant", "tenant-b"]).status.success());
    let unknown = verify(&["--tenant", "nope"]);
    assert!(!unknown.status.success());
    assert!(String::from_utf8_lossy(&unknown.stderr).contains("no tenant with slug `nope`"));
}

#[test]
fn keys_generate_prints_a_key_the_keyring_accepts() {
    let out = Command::new(BIN)
        .args(["keys", "generate", "--id", "k2"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let line = String::from_utf8(out.stdout).unwrap();
    let ring = palisade_crypto::Keyring::parse(&secrecy::SecretString::from(line.trim().to_owned())).unwrap();
    assert_eq!(ring.active_id().as_str(), "k2");
    let bad = Command::new(BIN)
        .args(["keys", "generate", "--id", "no spaces"])
        .output()
        .unwrap();
    assert!(!bad.status.success());
}

#[tokio::test]
async fn user_disable_ends_sessions_and_enable_restores_access() {
    use secrecy::ExposeSecret;
    let t = palisade_testkit::test_db().await;
    let url = t.admin.to_conninfo().expose_secret().to_owned();
    let run = |args: &[&str]| {
        Command::new(BIN)
            .args(args)
            .env("DATABASE_URL", &url)
            .env("PALISADE_DATABASE__MIGRATE_ON_START", "false")
            .env("RUST_LOG", "warn")
            .output()
            .unwrap()
    };
    let principal = palisade_db::Principal {
        user_id: t.world.rep_a1,
        tenant_id: Some(t.world.tenant_a),
    };
    let leads = async || {
        let mut tx = t.db.user(&principal).await.unwrap();
        let r = tx.query("select id from app.leads", &[]).await;
        drop(tx);
        r
    };
    assert!(leads().await.is_ok());
    let out = run(&["user", "disable", "--email", "REP-A1@a.test"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["state"], "disabled");
    assert_eq!(report["sessions_ended"], 1, "the fixture's browser session");
    assert!(matches!(leads().await, Err(palisade_db::DbError::NotMember)));
    let out = run(&["user", "enable", "--email", "rep-a1@a.test"]);
    assert!(out.status.success());
    assert!(leads().await.is_ok());
    let out = run(&["user", "disable", "--email", "nobody@x.test"]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("no user with email"));
}
