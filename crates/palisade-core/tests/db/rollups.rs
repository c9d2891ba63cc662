//! The dashboard's rollups stay equal to the data they summarise through inserts, updates, deletes
//! and cascades, whoever writes.
use palisade_core::crm::{deals, interactions};
use palisade_core::dashboard;
use palisade_db::DealId;
use palisade_testkit::{test_db, Who};

/// (stage, currency, count, amount) and (actor, count over 30 days) straight from the base tables.
async fn truth(t: &palisade_testkit::TestDb) -> (Vec<(String, String, i64, String)>, Vec<(uuid::Uuid, i64)>) {
    let su = t.superuser().await;
    let tenant = t.world.tenant_a;
    let stages = su
        .query(
            "select stage, currency, count(*), sum(amount_cents)::text from app.deals where tenant_id = $1
             group by 1, 2 order by 1, 2",
            &[tenant.as_uuid()],
        )
        .await
        .unwrap()
        .iter()
        .map(|r| (r.get(0), r.get(1), r.get(2), r.get(3)))
        .collect();
    let activity = su
        .query(
            "select actor_id, count(*) from app.interactions where tenant_id = $1
               and (occurred_at at time zone 'UTC')::date >= (now() at time zone 'UTC')::date - 29
             group by 1 order by 2 desc, 1",
            &[tenant.as_uuid()],
        )
        .await
        .unwrap()
        .iter()
        .map(|r| (r.get(0), r.get(1)))
        .collect();
    (stages, activity)
}

async fn assert_rollups_match(t: &palisade_testkit::TestDb) {
    let mut tx =
        t.db.user(&t.world.principal(Who::ManagerA).unwrap())
            .await
            .unwrap();
    let d = dashboard::load(&mut tx, t.world.tenant_a).await.unwrap();
    tx.commit().await.unwrap();
    let (stages, activity) = truth(t).await;
    let got_stages: Vec<_> = d
        .deals_by_stage
        .iter()
        .map(|s| {
            (
                s.stage.clone(),
                s.currency.clone(),
                s.count,
                s.amount_cents.clone(),
            )
        })
        .collect();
    assert_eq!(got_stages, stages);
    let got_activity: Vec<_> = d.activity.iter().map(|a| (a.user_id, a.last_30_days)).collect();
    assert_eq!(got_activity, activity);
}

#[tokio::test]
async fn rollups_follow_inserts_updates_deletes_and_cascades() {
    let t = test_db().await;
    let w = t.world.clone();
    assert_rollups_match(&t).await;

    let rep = w.principal(Who::RepA1).unwrap();
    let mut tx = t.db.user(&rep).await.unwrap();
    let new_deal = deals::NewDeal {
        lead_id: w.lead_a1,
        title: "Second".into(),
        stage: Some(deals::Stage::Qualified),
        amount_cents: Some(12_345),
        currency: Some("EUR".into()),
        product: None,
        owner_id: None,
    };
    let d = deals::create(&mut tx, w.tenant_a, w.rep_a1, &new_deal)
        .await
        .unwrap();
    let patch = deals::DealPatch {
        stage: Some(deals::Stage::Won),
        amount_cents: Some(20_000),
        ..Default::default()
    };
    deals::update(&mut tx, w.tenant_a, DealId::from_uuid(d.id), &patch)
        .await
        .unwrap();
    let i = interactions::create(
        &mut tx,
        w.tenant_a,
        w.rep_a1,
        &interactions::NewInteraction {
            lead_id: w.lead_a1,
            channel: interactions::Channel::Sms,
            direction: interactions::Direction::Inbound,
            body: None,
            occurred_at: Some(chrono::Utc::now() - chrono::Duration::days(10)),
            advised: false,
        },
    )
    .await
    .unwrap();
    deals::delete(&mut tx, w.tenant_a, DealId::from_uuid(w.deal_a1))
        .await
        .unwrap();
    tx.commit().await.unwrap();
    assert_rollups_match(&t).await;

    // Moving an interaction out of the window, and a lead deletion cascading to deals and interactions.
    let mut tx = t.db.user(&w.principal(Who::ManagerA).unwrap()).await.unwrap();
    let patch = interactions::InteractionPatch {
        occurred_at: Some(chrono::Utc::now() - chrono::Duration::days(90)),
        ..Default::default()
    };
    interactions::update(&mut tx, w.tenant_a, i.id, &patch)
        .await
        .unwrap();
    palisade_core::crm::leads::delete(&mut tx, w.tenant_a, palisade_db::LeadId::from_uuid(w.lead_a2))
        .await
        .unwrap();
    tx.commit().await.unwrap();
    assert_rollups_match(&t).await;
}
