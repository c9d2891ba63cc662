//! The inbound text's first statement (record the event, find who has the number, log the message on
//! the first lead) and what follows it in Rust: every lead with the number gets the message once, a
//! replay adds nothing, and a lead whose owner left gets it for the inbound owner.
use palisade_testkit::{spawn_app, TwilioSender, Who};
use reqwest::StatusCode;
use serde_json::{json, Value};
use uuid::Uuid;

use crate::client::Client;

const NUMBER: &str = "+14155550188";

#[tokio::test]
async fn a_text_from_a_number_two_leads_share_is_logged_once_on_each_and_its_replay_on_none() {
    let app = spawn_app().await;
    let twilio = TwilioSender::new();
    twilio.connect(&app, Who::AdminA).await;
    let w = app.world();
    let tenant = *w.tenant_a.as_uuid();
    let rep = Client::new(&app, Some(Who::RepA1));
    let mut leads = Vec::new();
    for name in ["Pat", "Sam"] {
        let lead: Value = rep
            .post(
                "/api/v1/leads",
                json!({"name": name, "phone": NUMBER}),
                StatusCode::CREATED,
            )
            .await;
        leads.push(lead["id"].as_str().unwrap().parse::<Uuid>().unwrap());
    }
    // The statement logs the first lead by id (UUIDv7s, in creation order); the second goes through the
    // fallback.
    assert!(leads[0] < leads[1]);
    // The second lead's owner leaves: its copy goes to the inbound owner (the admin).
    let su = app.db.superuser().await;
    su.execute(
        "update app.leads set owner_id = $1 where id = $2",
        &[w.rep_a2.as_uuid(), &leads[1]],
    )
    .await
    .unwrap();
    su.execute(
        "update app.memberships set status = 'suspended' where user_id = $1",
        &[w.rep_a2.as_uuid()],
    )
    .await
    .unwrap();

    for _ in 0..2 {
        let r = twilio
            .inbound_sms(&app, tenant, "SM0300", NUMBER, "Can we talk tomorrow?")
            .await;
        assert_eq!(r.status(), 200);
    }
    let rows = su
        .query(
            "select lead_id, actor_id from app.interactions where body = 'Can we talk tomorrow?' \
             and direction = 'inbound' order by lead_id",
            &[],
        )
        .await
        .unwrap();
    let logged: Vec<(Uuid, Uuid)> = rows.iter().map(|r| (r.get(0), r.get(1))).collect();
    let mut expected = vec![(leads[0], *w.rep_a1.as_uuid()), (leads[1], *w.admin_a.as_uuid())];
    expected.sort();
    assert_eq!(logged, expected, "each lead once, the replay on none");
    let events: i64 = su
        .query_one(
            "select count(*) from app.webhook_events where event_id = 'SM0300' and kind = 'inbound_message'",
            &[],
        )
        .await
        .unwrap()
        .get(0);
    assert_eq!(events, 1);
}
