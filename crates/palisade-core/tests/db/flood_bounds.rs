//! What an unauthenticated caller can make the database write is bounded (migration 0028): failed
//! sign-ins are counted into one row per kind and window, whatever their number, and become one
//! access event with the count; no more than five sign-in links per address are live at once.
use chrono::{Duration, Utc};
use palisade_db::Purpose;
use palisade_testkit::test_db;
use sha2::Digest;

#[tokio::test]
async fn a_thousand_failed_sign_ins_make_one_counted_access_event() {
    let t = test_db().await;
    let su = t.superuser().await;
    let count = async |sql: &str| -> i64 { su.query_one(sql, &[]).await.unwrap().get(0) };
    let events = "select count(*) from audit.access_events where action = 'sign_in_failed'";
    let before = count(events).await;
    for _ in 0..1000 {
        let mut tx = t.db.auth().await.unwrap();
        tx.execute(
            "select auth.password_sign_in_failed($1, '203.0.113.7')",
            &[t.world.rep_a1.as_uuid()],
        )
        .await
        .unwrap();
        tx.commit().await.unwrap();
    }
    assert_eq!(count(events).await, before, "nothing written one by one");
    assert!(count("select count(*) from audit.event_windows").await <= 2);

    let mut tx = t.db.system(Purpose::Maintenance).await.unwrap();
    let closed = palisade_core::audit::access::close_windows(&mut tx, Utc::now() + Duration::minutes(10))
        .await
        .unwrap();
    tx.commit().await.unwrap();
    assert!((1..=2).contains(&closed), "{closed}");
    assert_eq!(count("select count(*) from audit.event_windows").await, 0);
    let row = su
        .query_one(
            "select sum((detail ->> 'count')::bigint)::bigint, min(detail ->> 'reason'), min(host(client_ip)), \
                    bool_and(actor_user_id = $1) \
             from audit.access_events where action = 'sign_in_failed' and detail ? 'count'",
            &[t.world.rep_a1.as_uuid()],
        )
        .await
        .unwrap();
    let (total, reason, ip, actor): (i64, String, String, bool) =
        (row.get(0), row.get(1), row.get(2), row.get(3));
    assert_eq!(
        (total, reason.as_str(), ip.as_str(), actor),
        (1000, "wrong_password", "203.0.113.7", true)
    );
}

#[tokio::test]
async fn at_most_five_sign_in_links_per_address_are_live_and_the_newest_always_is() {
    let t = test_db().await;
    for i in 0..7u8 {
        let mut tx = t.db.auth().await.unwrap();
        let row = tx
            .query_one(
                "select auth.request_magic_link('Rep-A2@a.test', sha256($1), sha256('n'), now() + make_interval(secs => $2), \
                 interval '10 minutes', false)",
                &[&vec![i], &f64::from(i)],
            )
            .await
            .unwrap();
        tx.commit().await.unwrap();
        assert!(row.get::<_, bool>(0), "request {i}");
    }
    let su = t.superuser().await;
    let live: Vec<Vec<u8>> = su
        .query(
            "select token_hash from auth.magic_links where lower(email) = 'rep-a2@a.test' and used_at is null \
             order by created_at",
            &[],
        )
        .await
        .unwrap()
        .iter()
        .map(|r| r.get(0))
        .collect();
    let hash = |i: u8| -> Vec<u8> { sha2::Sha256::digest([i]).to_vec() };
    assert_eq!(
        live,
        (2..7).map(hash).collect::<Vec<_>>(),
        "the five newest, oldest replaced"
    );
}
