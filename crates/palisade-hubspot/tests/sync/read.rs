//! Reading contacts and deals: a backfill, a second run that changes nothing, incremental changes,
//! owners matched by address, a crash in the middle and resumption, the 10,000-result cap, 429s.
use palisade_testkit::HubspotFailure;

use crate::common::setup;

fn contact(i: usize) -> Vec<(String, String)> {
    vec![
        ("firstname".into(), format!("First{i}")),
        ("lastname".into(), "Contact".into()),
        ("email".into(), format!("contact{i}@example.com")),
        ("phone".into(), format!("+1415555{:04}", i % 10_000)),
    ]
}

#[tokio::test]
async fn a_backfill_writes_every_contact_once_and_incremental_runs_take_only_changes() {
    let s = setup().await;
    let rep = s.fake.add_owner("REP-A1@a.test");
    s.fake.add_owner("someone@elsewhere.test");
    let ids = s.fake.add_many("contacts", 250, contact);
    s.fake
        .update("contacts", ids[0], &[("hubspot_owner_id", &rep.to_string())]);
    s.connect().await;
    s.run_to_end().await;

    let q = "select count(*) from app.leads where tenant_id = $1 and hubspot_id is not null";
    assert_eq!(s.scalar(q).await, 250);
    assert_eq!(
        s.scalar("select count(*) from app.leads where tenant_id = $1 and source = 'hubspot' and phone_sealed is not null and phone_index is not null and email_index is not null").await,
        250,
        "numbers sealed and indexed, addresses indexed"
    );
    // The owner's address matched rep-a1 (case aside); the others went to the fallback owner.
    let owner = s
        .text(&format!(
            "select owner_id::text from app.leads where tenant_id = $1 and hubspot_id = {}",
            ids[0]
        ))
        .await;
    assert_eq!(owner.unwrap(), s.t.world.rep_a1.to_string());
    let fallback = s
        .text(&format!(
            "select owner_id::text from app.leads where tenant_id = $1 and hubspot_id = {}",
            ids[1]
        ))
        .await;
    assert_eq!(fallback.unwrap(), s.t.world.admin_a.to_string());
    assert_eq!(
        s.scalar("select records_in from app.crm_sync_cursors where tenant_id = $1 and object = 'contacts'")
            .await,
        250
    );

    // Nothing changed: another run writes nothing (no audit event for nothing).
    let events = "select count(*) from audit.events where tenant_id = $1 and table_name = 'leads'";
    let before = s.scalar(events).await;
    s.run().await.unwrap();
    assert_eq!(s.scalar(events).await, before);

    // One change in HubSpot: one lead changes.
    s.fake.update("contacts", ids[7], &[("firstname", "Renamed")]);
    s.run().await.unwrap();
    assert_eq!(s.scalar(events).await, before + 1);
    let name = s
        .text(&format!(
            "select name from app.leads where tenant_id = $1 and hubspot_id = {}",
            ids[7]
        ))
        .await;
    assert_eq!(name.unwrap(), "Renamed Contact");
    assert_eq!(s.scalar(q).await, 250);
}

#[tokio::test]
async fn a_lead_typed_in_before_connecting_is_linked_by_address_not_duplicated() {
    let s = setup().await;
    let w = &s.t.world;
    let rep = w.principal(palisade_testkit::Who::RepA1).unwrap();
    let mut tx = s.t.db.user(&rep).await.unwrap();
    let typed = palisade_core::crm::leads::NewLead {
        name: "Typed In".into(),
        email: Some("known@example.com".into()),
        phone: None,
        status: None,
        source: None,
        owner_id: None,
    };
    let lead =
        palisade_core::crm::leads::create(&mut tx, w.tenant_a, rep.user_id, &typed, s.syncer.phone_keys())
            .await
            .unwrap();
    tx.commit().await.unwrap();
    let id = s.fake.add(
        "contacts",
        &[("firstname", "Known"), ("email", "KNOWN@example.com")],
    );
    s.connect().await;
    s.run_to_end().await;
    let q = "select count(*) from app.leads where tenant_id = $1 and lower(email) = 'known@example.com'";
    assert_eq!(s.scalar(q).await, 1, "no second lead");
    let linked = s
        .text(&format!(
            "select id::text from app.leads where tenant_id = $1 and hubspot_id = {id}"
        ))
        .await;
    assert_eq!(linked.unwrap(), lead.id.to_string());
    let owner = s
        .text(&format!(
            "select owner_id::text from app.leads where tenant_id = $1 and hubspot_id = {id}"
        ))
        .await;
    assert_eq!(
        owner.unwrap(),
        w.rep_a1.to_string(),
        "an active owner stays when HubSpot names none"
    );
}

#[tokio::test]
async fn a_crash_in_the_middle_of_a_backfill_resumes_without_losing_or_duplicating() {
    let s = setup().await;
    s.fake.add_many("contacts", 530, contact);
    s.connect().await;
    // The third search page and every one after fails: the run dies after two committed pages.
    s.fake.fail(HubspotFailure {
        after: 2,
        times: None,
        ..HubspotFailure::new("/contacts/search", 500)
    });
    let failed = s.run().await;
    assert!(failed.is_err(), "{failed:?}");
    let q = "select count(*) from app.leads where tenant_id = $1 and hubspot_id is not null";
    assert_eq!(
        s.scalar(q).await,
        200,
        "two pages of 100 committed with their checkpoint"
    );
    assert_eq!(
        s.text("select last_error from app.crm_sync_runs where tenant_id = $1")
            .await
            .as_deref(),
        Some("hubspot_unavailable")
    );
    assert_eq!(
        s.scalar("select pass_done from app.crm_sync_cursors where tenant_id = $1 and object = 'contacts'")
            .await,
        200
    );
    assert_eq!(
        s.scalar("select pass_total from app.crm_sync_cursors where tenant_id = $1 and object = 'contacts'")
            .await,
        530,
        "progress knows the whole"
    );

    s.fake.clear_failures();
    s.run_to_end().await;
    assert_eq!(s.scalar(q).await, 530);
    assert_eq!(
        s.scalar("select count(distinct hubspot_id) from app.leads where tenant_id = $1 and hubspot_id is not null").await,
        530
    );
    assert_eq!(
        s.scalar("select consecutive_failures::int8 from app.crm_sync_runs where tenant_id = $1")
            .await,
        0
    );
}

#[tokio::test]
async fn a_portal_past_ten_thousand_records_is_read_whole() {
    let s = crate::common::setup_with(|fake| palisade_hubspot::HubspotConfig {
        page_size: 200,
        ..crate::common::config(fake)
    })
    .await;
    s.fake.add_many("contacts", 10_050, |i| {
        vec![
            ("firstname".into(), format!("N{i}")),
            ("email".into(), format!("n{i}@big.example")),
        ]
    });
    s.connect().await;
    s.run_to_end().await;
    assert_eq!(
        s.scalar("select count(distinct hubspot_id) from app.leads where tenant_id = $1 and hubspot_id is not null").await,
        10_050
    );
    // Paged by an id bound, never HubSpot's offset (which answers 400 past 10,000 and would have
    // failed the run).
}

#[tokio::test]
async fn a_rate_limited_portal_is_waited_out_as_hubspot_says() {
    let s = setup().await;
    s.fake.add_many("contacts", 300, contact);
    s.connect().await;
    s.fake.rate_limit(3, std::time::Duration::from_secs(1));
    s.run_to_end().await;
    assert!(s.fake.limited() > 0, "the fake's limit was reached");
    assert_eq!(
        s.scalar("select count(*) from app.leads where tenant_id = $1 and hubspot_id is not null")
            .await,
        300
    );
}

#[tokio::test]
async fn deals_land_on_their_contacts_leads_with_mapped_stages() {
    let s = setup().await;
    let c = s.fake.add(
        "contacts",
        &[("firstname", "Dealer"), ("email", "dealer@example.com")],
    );
    let d = s.fake.add(
        "deals",
        &[
            ("dealname", "Policy 4111 1111 1111 1111"),
            ("dealstage", "contractsent"),
            ("amount", "1250.5"),
            ("deal_currency_code", "eur"),
        ],
    );
    s.fake.associate("deals", d, "contacts", c);
    let orphan = s.fake.add("deals", &[("dealname", "No contact")]);
    s.connect().await;
    s.run_to_end().await;
    let row = s
        .t
        .superuser()
        .await
        .query_one(
            "select d.title, d.stage, d.amount_cents, d.currency, l.hubspot_id from app.deals d \
             join app.leads l on l.tenant_id = d.tenant_id and l.id = d.lead_id where d.tenant_id = $1 and d.hubspot_id = $2",
            &[s.t.world.tenant_a.as_uuid(), &(d as i64)],
        )
        .await
        .unwrap();
    let title: String = row.get(0);
    assert!(
        title.starts_with("Policy ") && title.ends_with("1111") && !title.contains("4111"),
        "{title}"
    );
    assert_eq!(row.get::<_, String>(1), "negotiation");
    assert_eq!(row.get::<_, i64>(2), 125_050);
    assert_eq!(row.get::<_, String>(3), "EUR");
    assert_eq!(row.get::<_, i64>(4), c as i64);
    let q = format!("select count(*) from app.deals where tenant_id = $1 and hubspot_id = {orphan}");
    assert_eq!(s.scalar(&q).await, 0, "a deal without a contact here waits");
    assert_eq!(
        s.scalar("select skipped from app.crm_sync_cursors where tenant_id = $1 and object = 'deals'")
            .await,
        1
    );
}
