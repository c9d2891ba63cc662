//! A large subject is erased in steps: each commits on its own, one that dies changes nothing, two
//! workers never take the same erasure, and the `erasures` job finishes what a request left.
use palisade_core::phone::PhoneKeys;
use palisade_core::privacy::erasure::work::{self, Step};
use palisade_core::privacy::erasure::{self, SubjectRequest};
use palisade_crypto::{KeyId, Keyring};
use palisade_db::Purpose;
use palisade_jobs::{Job, Jobs};
use palisade_mail::Mailer;
use palisade_testkit::{spawn_app, TestApp, Who};
use reqwest::StatusCode;
use serde_json::{json, Value};
use uuid::Uuid;

use super::{admin, rows};

/// A lead of rep A1's with `n` interactions, planted in SQL.
async fn lead_with_interactions(app: &TestApp, n: i32) -> Uuid {
    let w = app.world();
    let lead = Uuid::now_v7();
    let su = app.db.superuser().await;
    su.execute(
        "insert into app.leads (tenant_id, id, owner_id, name) values ($1, $2, $3, 'Hattie Largesubject')",
        &[w.tenant_a.as_uuid(), &lead, w.rep_a1.as_uuid()],
    )
    .await
    .unwrap();
    su.execute(
        "insert into app.interactions (tenant_id, id, lead_id, actor_id, channel, direction, body) \
         select $1, gen_random_uuid(), $2, $3, 'call', 'outbound', 'Called Hattie, attempt ' || g \
         from generate_series(1, $4) g",
        &[w.tenant_a.as_uuid(), &lead, w.rep_a1.as_uuid(), &n],
    )
    .await
    .unwrap();
    lead
}

async fn interactions_of(app: &TestApp, lead: Uuid) -> i64 {
    let su = app.db.superuser().await;
    let sql = "select count(*) from app.interactions where lead_id = $1";
    su.query_one(sql, &[&lead]).await.unwrap().get(0)
}

#[tokio::test]
async fn a_large_subject_is_erased_in_steps_that_survive_a_crash_and_the_job_finishes_it() {
    let app = spawn_app().await;
    let w = app.world();
    let tenant = w.tenant_a;
    let lead = lead_with_interactions(&app, 2 * work::INTERACTION_BATCH as i32 + 100).await;
    let db = &app.db.db;
    let mut tx = db.user(&w.principal(Who::AdminA).unwrap()).await.unwrap();
    let request = SubjectRequest {
        phone: None,
        email: None,
        lead_id: Some(lead),
    };
    // The lead has no number or email: the keys find nothing to suppress.
    let ring = Keyring::parse(&Keyring::generate_text(&KeyId::parse("t").unwrap())).unwrap();
    let keys = PhoneKeys {
        seal: &ring,
        index: &ring,
    };
    let resolved = erasure::resolve(&mut tx, tenant, &request, keys).await.unwrap();
    tx.commit().await.unwrap();
    let mut tx = db.service(tenant, Purpose::Erasure).await.unwrap();
    let id = erasure::start(&mut tx, tenant, erasure::Requester::Admin(w.admin_a), &resolved)
        .await
        .unwrap();
    tx.commit().await.unwrap();

    // One step: one batch of interactions, and the receipt says so.
    let mut tx = db.service(tenant, Purpose::Erasure).await.unwrap();
    assert_eq!(work::step(&mut tx, tenant, id).await.unwrap(), Step::More);
    tx.commit().await.unwrap();
    let left = interactions_of(&app, lead).await;
    assert_eq!(left, work::INTERACTION_BATCH + 100);
    let path = format!("/api/v1/privacy/erasures/{id}");
    let receipt: Value = admin(&app).get(&path, StatusCode::OK).await;
    assert_eq!(receipt["status"], "running");
    assert_eq!(receipt["progress"], json!({"leads_total": 1, "leads_erased": 0}));
    assert_eq!(
        rows(&receipt, "app.interactions", "deleted"),
        work::INTERACTION_BATCH
    );

    // A step that dies before it commits leaves everything as it was.
    let mut tx = db.service(tenant, Purpose::Erasure).await.unwrap();
    assert_eq!(work::step(&mut tx, tenant, id).await.unwrap(), Step::More);
    drop(tx);
    assert_eq!(interactions_of(&app, lead).await, left);

    // Two workers never take the same erasure at once: the second finds nothing to do.
    let mut first = db.service(tenant, Purpose::Erasure).await.unwrap();
    assert_eq!(work::step(&mut first, tenant, id).await.unwrap(), Step::More);
    let mut second = db.service(tenant, Purpose::Erasure).await.unwrap();
    assert_eq!(work::step(&mut second, tenant, id).await.unwrap(), Step::Idle);
    second.commit().await.unwrap();
    first.commit().await.unwrap();
    assert_eq!(interactions_of(&app, lead).await, 100);

    // The job finishes what the request left, and the receipt adds up.
    let jobs = Jobs::new(
        db.clone(),
        Mailer::mailbox(std::env::temp_dir(), "Palisade <p@x.test>"),
    );
    assert_eq!(
        jobs.run_once(Job::Erasures).await.unwrap(),
        2,
        "this one and tenant B's fixture"
    );
    let receipt: Value = admin(&app).get(&path, StatusCode::OK).await;
    assert_eq!(receipt["status"], "done");
    assert_eq!(receipt["progress"], json!({"leads_total": 1, "leads_erased": 1}));
    assert_eq!(
        rows(&receipt, "app.interactions", "deleted"),
        2 * work::INTERACTION_BATCH + 100
    );
    assert_eq!(rows(&receipt, "app.leads", "deleted"), 1);
    assert_eq!(interactions_of(&app, lead).await, 0);
    let su = app.db.superuser().await;
    let unredacted: i64 = su
        .query_one(
            "select count(*) from audit.events where lead_id = $1 and (before is not null or after is not null)",
            &[&lead],
        )
        .await
        .unwrap()
        .get(0);
    assert_eq!(unredacted, 0);
    // Nothing is left for the job.
    assert_eq!(jobs.run_once(Job::Erasures).await.unwrap(), 0);
}
