//! TLS to a remote PostgreSQL (`sslmode` via rustls): a private cluster serving TLS on 127.0.0.1 with
//! a certificate from a test CA, reached the way a `DATABASE_URL` would reach it.
use std::io::Write;
use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::Path;

use palisade_db::connect::{connect_once, Target};
use palisade_db::embedded::{Cluster, ClusterSettings};
use rcgen::{BasicConstraints, CertificateParams, DnType, IsCa, KeyPair};

fn ca() -> (rcgen::Certificate, KeyPair) {
    let key = KeyPair::generate().unwrap();
    let mut params = CertificateParams::new(Vec::<String>::new()).unwrap();
    params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    params
        .distinguished_name
        .push(DnType::CommonName, "Palisade test CA");
    (params.self_signed(&key).unwrap(), key)
}

/// Writes a file the cluster's OS user owns (PostgreSQL insists on owning its key, mode 0600).
fn write_owned(pgdata: &Path, name: &str, contents: &str) {
    let path = pgdata.join(name);
    std::fs::write(&path, contents).unwrap();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).unwrap();
    let meta = std::fs::metadata(pgdata).unwrap();
    std::os::unix::fs::chown(&path, Some(meta.uid()), Some(meta.gid())).unwrap();
}

async fn ssl_in_use(url: &str) -> Result<bool, String> {
    let target = Target::parse(url).map_err(|e| e.to_string())?;
    let client = connect_once(&target).await.map_err(|e| e.to_string())?;
    let row = client
        .query_one("select ssl from pg_stat_ssl where pid = pg_backend_pid()", &[])
        .await
        .map_err(|e| e.to_string())?;
    Ok(row.get(0))
}

#[tokio::test]
async fn sslmodes_encrypt_and_verify_as_libpq_does() {
    let dir = tempfile::Builder::new()
        .prefix("palisade-tls-")
        .tempdir_in("/tmp")
        .unwrap();
    let settings = ClusterSettings {
        data_dir: dir.path().to_path_buf(),
        ..ClusterSettings::default()
    };
    let cluster = tokio::task::spawn_blocking(move || Cluster::init(&settings).unwrap())
        .await
        .unwrap();
    cluster.stop_when_process_exits(None).unwrap();
    let pgdata = cluster.pgdata().to_path_buf();

    let (ca_cert, ca_key) = ca();
    let server_key = KeyPair::generate().unwrap();
    // The certificate names "localhost" only, so 127.0.0.1 is a host-name mismatch.
    let server = CertificateParams::new(vec!["localhost".to_string()])
        .unwrap()
        .signed_by(&server_key, &ca_cert, &ca_key)
        .unwrap();
    write_owned(&pgdata, "server.crt", &server.pem());
    write_owned(&pgdata, "server.key", &server_key.serialize_pem());
    let ca_file = dir.path().join("ca.pem");
    std::fs::write(&ca_file, ca_cert.pem()).unwrap();
    let (other_ca, _) = ca();
    let other_ca_file = dir.path().join("other-ca.pem");
    std::fs::write(&other_ca_file, other_ca.pem()).unwrap();

    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let mut conf = std::fs::OpenOptions::new()
        .append(true)
        .open(pgdata.join("postgresql.conf"))
        .unwrap();
    writeln!(
        conf,
        "ssl = on\nssl_cert_file = 'server.crt'\nssl_key_file = 'server.key'\n\
         listen_addresses = '127.0.0.1'\nport = {port}"
    )
    .unwrap();
    // TLS only over TCP: a plain connection finds no pg_hba entry.
    let hba = std::fs::read_to_string(pgdata.join("pg_hba.conf")).unwrap();
    std::fs::write(
        pgdata.join("pg_hba.conf"),
        format!("hostssl all all 127.0.0.1/32 trust\n{hba}"),
    )
    .unwrap();
    let c = cluster.clone();
    tokio::task::spawn_blocking(move || c.start().unwrap())
        .await
        .unwrap();

    let ca = ca_file.display();
    let base = |host: &str| format!("postgres://postgres@{host}:{port}/postgres");
    assert_eq!(
        ssl_in_use(&format!(
            "{}?sslmode=verify-full&sslrootcert={ca}",
            base("localhost")
        ))
        .await,
        Ok(true)
    );
    assert_eq!(
        ssl_in_use(&format!("{}?sslmode=require", base("127.0.0.1"))).await,
        Ok(true)
    );
    assert_eq!(
        ssl_in_use(&format!(
            "{}?sslmode=verify-ca&sslrootcert={ca}",
            base("127.0.0.1")
        ))
        .await,
        Ok(true)
    );
    let mismatch = ssl_in_use(&format!(
        "{}?sslmode=verify-full&sslrootcert={ca}",
        base("127.0.0.1")
    ))
    .await;
    assert!(mismatch.is_err(), "verify-full must check the host name");
    let untrusted = ssl_in_use(&format!(
        "{}?sslmode=verify-full&sslrootcert={}",
        base("localhost"),
        other_ca_file.display()
    ))
    .await;
    assert!(untrusted.is_err(), "verify-full must check the chain");
    let untrusted_public = ssl_in_use(&format!("{}?sslmode=verify-full", base("localhost"))).await;
    assert!(
        untrusted_public.is_err(),
        "a private CA is not in the public roots"
    );
    let plain = ssl_in_use(&format!("{}?sslmode=disable", base("127.0.0.1"))).await;
    assert!(plain.is_err(), "the server only accepts TLS here");

    let c = cluster.clone();
    tokio::task::spawn_blocking(move || c.stop().unwrap())
        .await
        .unwrap();
}
