//! One cluster per test process; one template database, migrated and seeded once; one database per
//! test. The embedded cluster is stopped and its directory removed when the process exits, however
//! it exits (see `Cluster::stop_when_process_exits`).
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::Duration;

use palisade_db::connect::{connect_once, Target};
use palisade_db::embedded::{Cluster, ClusterSettings};
use palisade_db::{migrate, Db, PoolSettings};
use tokio::sync::OnceCell;

use crate::world::World;

struct Shared {
    /// Superuser on the maintenance database.
    admin: Target,
    template: String,
    world: World,
}

static SHARED: OnceCell<Shared> = OnceCell::const_new();
static COUNTER: AtomicU32 = AtomicU32::new(0);

async fn shared() -> &'static Shared {
    SHARED.get_or_init(init).await
}

async fn init() -> Shared {
    let admin = match std::env::var("PALISADE_TEST_DATABASE_URL") {
        Ok(url) if !url.is_empty() => Target::parse(&url).expect("PALISADE_TEST_DATABASE_URL"),
        _ => start_private_cluster().await,
    };
    let template = format!("palisade_tpl_{}", std::process::id());
    let maintenance = connect_once(&admin).await.expect("connect to test server");
    maintenance
        .batch_execute(&format!("drop database if exists {template}"))
        .await
        .expect("drop template");
    maintenance
        .batch_execute(&format!("create database {template}"))
        .await
        .expect("create template");
    let tpl_admin = admin.with_dbname(&template);
    migrate::run(&tpl_admin, None)
        .await
        .expect("migrations apply to the template");
    let world = {
        let db = runtime_db(&tpl_admin, 4).await;
        let world = World::seed(&db, &tpl_admin).await;
        drop(db);
        world
    };
    Shared {
        admin,
        template,
        world,
    }
}

async fn start_private_cluster() -> Target {
    let dir = tempfile::Builder::new()
        .prefix("palisade-test-")
        .tempdir_in("/tmp")
        .expect("temp dir")
        .keep();
    let cluster = tokio::task::spawn_blocking(move || {
        let cluster = Cluster::init(&ClusterSettings {
            data_dir: dir.clone(),
            ..ClusterSettings::default()
        })
        .expect("PostgreSQL server binaries (apt-get install postgresql) for the test cluster");
        cluster.stop_when_process_exits(Some(&dir)).expect("watchdog");
        cluster.start().expect("start test cluster");
        cluster
    })
    .await
    .expect("cluster task");
    cluster.admin_target("postgres")
}

async fn runtime_db(admin: &Target, size: usize) -> Db {
    let runtime = admin.with_user("palisade_runtime", None);
    Db::connect(
        &runtime,
        &PoolSettings {
            max_size: size,
            ..PoolSettings::default()
        },
    )
    .await
    .expect("runtime pool")
}

/// A fresh database for one test, cloned from the seeded template.
pub struct TestDb {
    /// Superuser on this database: for test assertions and scratch DDL only.
    pub admin: Target,
    /// The runtime login on this database.
    pub runtime: Target,
    /// The runtime pool (context transactions only), as the server gets it.
    pub db: Db,
    pub world: World,
    pub name: String,
}

pub async fn test_db() -> TestDb {
    let shared = shared().await;
    let name = format!(
        "palisade_t_{}_{}",
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::Relaxed)
    );
    let maintenance = connect_once(&shared.admin).await.expect("connect to test server");
    let create = format!("create database {name} template {}", shared.template);
    // The template's last connections may still be closing.
    let mut attempt = 0;
    loop {
        match maintenance.batch_execute(&create).await {
            Ok(()) => break,
            Err(e) if attempt < 50 && e.code().is_some_and(|c| c.code() == "55006") => {
                attempt += 1;
                tokio::time::sleep(Duration::from_millis(50)).await;
            }
            Err(e) => panic!("create test database: {e}"),
        }
    }
    let admin = shared.admin.with_dbname(&name);
    let runtime = admin.with_user("palisade_runtime", None);
    let db = runtime_db(&admin, 8).await;
    TestDb {
        admin,
        runtime,
        db,
        world: shared.world.clone(),
        name,
    }
}

impl TestDb {
    /// A superuser connection to this database (assertions that must see past RLS, scratch DDL).
    pub async fn superuser(&self) -> tokio_postgres::Client {
        connect_once(&self.admin).await.expect("superuser connection")
    }

    /// A plain connection as the runtime login (no context set): what a bug that forgot the context
    /// would get.
    pub async fn runtime_client(&self) -> tokio_postgres::Client {
        connect_once(&self.runtime).await.expect("runtime connection")
    }

    /// Another database cloned from the same template (scratch copies for mutation tests).
    pub async fn sibling(&self) -> TestDb {
        test_db().await
    }
}
