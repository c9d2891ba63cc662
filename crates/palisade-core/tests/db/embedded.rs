//! The embedded cluster's lifecycle: init once, start, adopt a running server, recover from a stale
//! pid file, stop cleanly.
use palisade_db::connect::connect_once;
use palisade_db::embedded::{Cluster, ClusterSettings, StartOutcome};

#[tokio::test]
async fn init_start_adopt_stale_pid_and_stop() {
    let dir = tempfile::Builder::new()
        .prefix("palisade-emb-")
        .tempdir_in("/tmp")
        .unwrap();
    let settings = ClusterSettings {
        data_dir: dir.path().to_path_buf(),
        ..ClusterSettings::default()
    };
    let cluster = tokio::task::spawn_blocking({
        let settings = settings.clone();
        move || Cluster::init(&settings).unwrap()
    })
    .await
    .unwrap();
    cluster.stop_when_process_exits(None).unwrap();
    let c = cluster.clone();
    assert_eq!(
        tokio::task::spawn_blocking(move || c.start().unwrap())
            .await
            .unwrap(),
        StartOutcome::Started
    );
    // Only a unix socket inside the data directory; no TCP listener.
    let client = connect_once(&cluster.admin_target("postgres")).await.unwrap();
    let listen: String = client
        .query_one("show listen_addresses", &[])
        .await
        .unwrap()
        .get(0);
    assert_eq!(listen, "");
    drop(client);

    // A second start finds the running server and adopts it.
    let c = cluster.clone();
    assert_eq!(
        tokio::task::spawn_blocking(move || c.start().unwrap())
            .await
            .unwrap(),
        StartOutcome::Adopted
    );

    // Stop; then fake a crash leftover: a pid file naming a process that is not PostgreSQL.
    let c = cluster.clone();
    tokio::task::spawn_blocking(move || c.stop().unwrap())
        .await
        .unwrap();
    let pid_file = cluster.pgdata().join("postmaster.pid");
    assert!(!pid_file.exists());
    std::fs::write(
        &pid_file,
        format!("{}\n{}\n", std::process::id(), cluster.pgdata().display()),
    )
    .unwrap();

    // Init again is a no-op on an existing cluster; start clears the stale pid and starts.
    let cluster = tokio::task::spawn_blocking(move || Cluster::init(&settings).unwrap())
        .await
        .unwrap();
    let c = cluster.clone();
    assert_eq!(
        tokio::task::spawn_blocking(move || c.start().unwrap())
            .await
            .unwrap(),
        StartOutcome::Started
    );
    connect_once(&cluster.admin_target("postgres")).await.unwrap();
    let c = cluster.clone();
    tokio::task::spawn_blocking(move || c.stop().unwrap())
        .await
        .unwrap();
}
