//! Company export over HTTP: an admin downloads every table as JSON Lines and CSV, with lead phone
//! numbers opened, formulas defused, no secret, no rep-private row; the download is access-logged;
//! nobody else gets it.
use palisade_testkit::{spawn_app, TestApp, TwilioSender, Who};
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

use super::{admin, plant_subject, rep, NAME, NUMBER};
use crate::client::{Client, ErrorBody};

const PATH: &str = "/api/v1/privacy/company-export";

async fn download(app: &TestApp, table: &str, format: &str) -> String {
    let path = format!("{PATH}/{table}?format={format}");
    admin(app).text(Method::GET, &path, None, StatusCode::OK).await
}

#[tokio::test]
async fn an_admin_downloads_every_table_without_secrets_or_private_rows() {
    let app = spawn_app().await;
    plant_subject(&app).await;
    let twilio = TwilioSender::new();
    twilio.connect(&app, Who::AdminA).await;
    let formula = json!({"name": "=HYPERLINK(\"http://evil.example\",\"Open\")", "source": "+cmd|' /C calc'!A0",
                         "phone": "+14155550142"});
    rep(&app)
        .post::<Value>("/api/v1/leads", formula, StatusCode::CREATED)
        .await;

    let manifest: Value = admin(&app).get(PATH, StatusCode::OK).await;
    let tables: Vec<&str> = manifest["tables"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["table"].as_str().unwrap())
        .collect();
    assert!(
        tables.contains(&"leads") && tables.contains(&"audit_events"),
        "{tables:?}"
    );
    let excluded = manifest["excluded"].to_string();
    for private in ["app.drafts", "app.coaching_observations", "app.voice_samples"] {
        assert!(
            excluded.contains(private),
            "{private} is left out, with the reason"
        );
    }
    let leads = &manifest["tables"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["table"] == "leads")
        .unwrap()
        .clone();
    assert!(leads["columns"].as_array().unwrap().contains(&json!("phone")));
    assert!(!leads["columns"].to_string().contains("phone_index"));

    let mut everything = String::new();
    for table in &tables {
        let jsonl = download(&app, table, "jsonl").await;
        for line in jsonl.lines() {
            serde_json::from_str::<Value>(line).unwrap_or_else(|e| panic!("{table}: {e}: {line}"));
        }
        let listed = manifest["tables"]
            .as_array()
            .unwrap()
            .iter()
            .find(|t| t["table"] == *table)
            .unwrap();
        let rows = jsonl.lines().count() as i64;
        match *table {
            // Each download adds to the access log.
            "access_events" => assert!(rows > listed["rows"].as_i64().unwrap()),
            _ => assert_eq!(rows, listed["rows"].as_i64().unwrap(), "{table}: every row"),
        }
        everything.push_str(&jsonl);
        everything.push_str(&download(&app, table, "csv").await);
    }
    assert!(
        everything.contains(NAME) && everything.contains(NUMBER),
        "the lead, its number opened"
    );
    assert!(everything.contains(&format!(
        "\"last_four\":\"{}\"",
        &twilio.auth_token[twilio.auth_token.len() - 4..]
    )));
    assert!(
        !everything.contains(&twilio.auth_token),
        "an integration secret was exported"
    );
    for private in ["shall we book the survey", "warmed to the survey idea"] {
        assert!(
            !everything.contains(private),
            "a rep's draft or coaching was exported"
        );
    }

    let csv = download(&app, "leads", "csv").await;
    let header = csv.lines().next().unwrap();
    assert!(
        header.starts_with("tenant_id,id,owner_id,name,email") && header.ends_with(",phone"),
        "{header}"
    );
    assert!(
        csv.contains("\"'=HYPERLINK(\"\"http://evil.example\"\",\"\"Open\"\")\""),
        "a formula is defused: {csv}"
    );
    assert!(csv.contains("'+cmd|' /C calc'!A0"), "{csv}");
    assert!(csv.contains("'+14155550142"), "a number is text to a spreadsheet");
    assert!(!csv.lines().any(|l| l
        .split(',')
        .any(|cell| cell.trim_start_matches('"').starts_with(['=', '+', '-', '@']))));
    // Every value is quoted: a `;` (a separator in some locales) never splits one.
    assert!(csv.lines().skip(1).all(|l| l.starts_with('"')), "{csv}");

    let response = admin(&app)
        .request(Method::GET, &format!("{PATH}/deals?format=csv"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.headers()["content-type"], "text/csv; charset=utf-8");
    assert_eq!(
        response.headers()["content-disposition"],
        "attachment; filename=\"deals.csv\""
    );
    // Read whole before the next: a tenant streams one export at a time.
    response.bytes().await.unwrap();
    let response = admin(&app)
        .request(Method::GET, &format!("{PATH}/deals"))
        .send()
        .await
        .unwrap();
    assert_eq!(
        response.headers()["content-type"],
        "application/x-ndjson",
        "JSON Lines by default"
    );

    // Every download is in the access log, by table and format.
    let su = app.db.superuser().await;
    let logged: i64 = su
        .query_one(
            "select count(*) from audit.access_events where action = 'data_export' and target_type = 'tenant' \
             and detail->>'scope' = 'company' and actor_user_id = $1",
            &[app.world().admin_a.as_uuid()],
        )
        .await
        .unwrap()
        .get(0);
    assert_eq!(logged as usize, 2 * tables.len() + 3);
}

#[tokio::test]
async fn only_admins_export_and_bad_requests_say_why() {
    let app = spawn_app().await;
    for who in [Who::ManagerA, Who::RepA1] {
        let client = Client::new(&app, Some(who));
        client.get::<ErrorBody>(PATH, StatusCode::FORBIDDEN).await;
        client
            .get::<ErrorBody>(&format!("{PATH}/leads"), StatusCode::FORBIDDEN)
            .await;
    }
    Client::anonymous(&app)
        .get::<ErrorBody>(&format!("{PATH}/leads"), StatusCode::UNAUTHORIZED)
        .await;
    // A rep's drafts are not the company's; an unknown table is unknown.
    for table in ["drafts", "nope", "app.leads"] {
        admin(&app)
            .get::<ErrorBody>(&format!("{PATH}/{table}"), StatusCode::NOT_FOUND)
            .await;
    }
    let bad: ErrorBody = admin(&app)
        .get(&format!("{PATH}/leads?format=xml"), StatusCode::BAD_REQUEST)
        .await;
    assert_eq!(bad.code(), "invalid_query");
    // Tenant B's admin exports tenant B.
    let b = Client::new(&app, Some(Who::AdminB));
    let leads = b
        .text(Method::GET, &format!("{PATH}/leads"), None, StatusCode::OK)
        .await;
    assert!(!leads.contains(&app.world().tenant_a.to_string()));
    assert!(leads.contains(&app.world().tenant_b.to_string()));
}

#[tokio::test]
async fn a_reader_that_goes_away_frees_the_export_at_once() {
    let app = spawn_app().await;
    let w = app.world();
    // Enough interactions that the table is still streaming when the reader leaves.
    let su = app.db.superuser().await;
    su.execute(
        "insert into app.interactions (tenant_id, id, lead_id, actor_id, channel, direction, body) \
         select $1, gen_random_uuid(), $2, $3, 'note', 'internal', repeat('x', 400) from generate_series(1, 20000)",
        &[w.tenant_a.as_uuid(), &w.lead_a1, w.rep_a1.as_uuid()],
    )
    .await
    .unwrap();
    let path = format!("{PATH}/interactions");
    let mut first = admin(&app).request(Method::GET, &path).send().await.unwrap();
    assert_eq!(first.status(), StatusCode::OK);
    assert!(first.chunk().await.unwrap().is_some());
    // The tenant's one slot is taken while it streams.
    let busy: ErrorBody = admin(&app)
        .get(&format!("{PATH}/deals"), StatusCode::SERVICE_UNAVAILABLE)
        .await;
    assert_eq!(busy.code(), "exports_busy");
    drop(first);
    // Gone: the statement is cancelled and the slot freed within moments, not after the whole table.
    let started = std::time::Instant::now();
    loop {
        let r = admin(&app)
            .request(Method::GET, &format!("{PATH}/deals"))
            .send()
            .await
            .unwrap();
        if r.status() == StatusCode::OK {
            break;
        }
        assert!(
            started.elapsed() < std::time::Duration::from_secs(10),
            "the slot was never freed"
        );
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    let running: i64 = su
        .query_one(
            "select count(*) from pg_stat_activity where query like 'copy (select row_to_json%app.interactions%' \
             and state = 'active'",
            &[],
        )
        .await
        .unwrap()
        .get(0);
    assert_eq!(running, 0, "the abandoned COPY still runs");
}
