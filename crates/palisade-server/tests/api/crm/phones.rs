//! Phone numbers at rest: normalised to E.164, sealed, found by blind index within a tenant, shown
//! only to those who may see the lead, and absent from a database dump in every format.
use palisade_testkit::{spawn_app, TestApp, Who};
use reqwest::{Method, StatusCode};
use secrecy::ExposeSecret;
use serde_json::{json, Value};

use crate::client::{Client, ErrorBody};

async fn lead_with_phone(app: &TestApp, who: Who, phone: &str) -> Value {
    let body = json!({"name": "Pat", "phone": phone});
    Client::new(app, Some(who))
        .post("/api/v1/leads", body, StatusCode::CREATED)
        .await
}

async fn find(app: &TestApp, who: Who, phone: &str) -> Vec<String> {
    let query = serde_urlencoded::to_string([("phone", phone)]).unwrap();
    let path = format!("/api/v1/leads?{query}");
    ids(Client::new(app, Some(who)).get(&path, StatusCode::OK).await)
}

async fn search(app: &TestApp, who: Who, filter: Value) -> Vec<String> {
    ids(Client::new(app, Some(who))
        .post("/api/v1/leads/search", filter, StatusCode::OK)
        .await)
}

fn ids(page: Value) -> Vec<String> {
    page["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["id"].as_str().unwrap().to_owned())
        .collect()
}

async fn patch_lead(app: &TestApp, id: &str, patch: Value) -> Value {
    let path = format!("/api/v1/leads/{id}");
    Client::new(app, Some(Who::RepA1))
        .patch(&path, patch, StatusCode::OK)
        .await
}

#[tokio::test]
async fn numbers_are_normalised_sealed_and_found_by_blind_index_within_the_tenant() {
    let app = spawn_app().await;
    let lead = lead_with_phone(&app, Who::RepA1, "(415) 555-0100").await;
    assert_eq!(lead["phone"], "+14155550100");
    let id = lead["id"].as_str().unwrap().to_owned();
    let rep = Client::new(&app, Some(Who::RepA1));
    let got: Value = rep.get(&format!("/api/v1/leads/{id}"), StatusCode::OK).await;
    assert_eq!(got["phone"], "+14155550100");

    // Any way of writing the number finds it; another number does not.
    for written in ["+1 415 555 0100", "415.555.0100", "+14155550100"] {
        assert_eq!(
            find(&app, Who::RepA1, written).await,
            vec![id.clone()],
            "{written}"
        );
    }
    assert!(find(&app, Who::RepA1, "+1 415 555 0101").await.is_empty());
    // The lead's visibility rules hold: another rep does not find it, a manager does, another
    // tenant's admin with a lead of the same number finds only their own.
    assert!(find(&app, Who::RepA2, "+14155550100").await.is_empty());
    assert_eq!(find(&app, Who::ManagerA, "+14155550100").await, vec![id.clone()]);
    let theirs = lead_with_phone(&app, Who::AdminB, "+14155550100").await;
    assert_eq!(
        find(&app, Who::AdminB, "+14155550100").await,
        vec![theirs["id"].as_str().unwrap().to_owned()]
    );

    // The row holds neither the number nor anything that correlates across tenants.
    let su = app.db.superuser().await;
    let rows = su
        .query(
            "select phone_sealed, phone_index from app.leads where phone_index is not null and name = 'Pat' \
             order by tenant_id",
            &[],
        )
        .await
        .unwrap();
    assert_eq!(rows.len(), 2);
    let (a, b): (Vec<u8>, Vec<u8>) = (rows[0].get(1), rows[1].get(1));
    assert_ne!(
        a[5..],
        b[5..],
        "the same number indexes differently in two tenants"
    );
    for row in &rows {
        let sealed: Vec<u8> = row.get(0);
        assert!(!sealed.windows(10).any(|w| w == b"4155550100"));
    }

    // Reading stored numbers is access-logged, naming the leads only.
    let reveals: i64 = su
        .query_one(
            "select count(*) from audit.access_events where action = 'phone_reveal' \
             and detail -> 'lead_ids' ? $1 and detail - 'lead_ids' = '{}'::jsonb \
             and not exists (select from jsonb_array_elements_text(detail -> 'lead_ids') e \
                             where e !~ '^[0-9a-f-]{36}$')",
            &[&id],
        )
        .await
        .unwrap()
        .get(0);
    assert!(reveals >= 5, "each read that showed the number: {reveals}");

    // A change that does not set the number still answers with it: that is a reveal too.
    assert_eq!(
        patch_lead(&app, &id, json!({"source": "referral"})).await["phone"],
        "+14155550100"
    );
    let reveals_after: i64 = su
        .query_one(
            "select count(*) from audit.access_events where action = 'phone_reveal' and detail -> 'lead_ids' ? $1",
            &[&id],
        )
        .await
        .unwrap()
        .get(0);
    assert_eq!(reveals_after, reveals + 1);

    // The search endpoint takes the number in the body (out of URLs and their logs), with the same
    // visibility rules and the same strict body.
    assert_eq!(
        search(&app, Who::RepA1, json!({"phone": "415.555.0100"})).await,
        vec![id.clone()]
    );
    assert!(search(&app, Who::RepA2, json!({"phone": "415.555.0100"}))
        .await
        .is_empty());
    let body = json!({"phone": "415.555.0100", "tenant_id": w_rep(&app).to_string()});
    rep.post::<Value>("/api/v1/leads/search", body, StatusCode::UNPROCESSABLE_ENTITY)
        .await;
    let body = json!({"phone": "12"});
    let text = rep
        .text(
            Method::POST,
            "/api/v1/leads/search",
            Some(body),
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    assert!(!text.contains("\"12\""));

    // A number that does not open (moved from another row here) does not take the lead down: it
    // shows as unreadable, and a new number can be set.
    su.execute(
        "update app.leads set phone_sealed = (select phone_sealed from app.leads where id = $2) where id = $1",
        &[&uuid::Uuid::parse_str(&id).unwrap(), &uuid::Uuid::parse_str(theirs["id"].as_str().unwrap()).unwrap()],
    )
    .await
    .unwrap();
    let broken: Value = rep.get(&format!("/api/v1/leads/{id}"), StatusCode::OK).await;
    assert_eq!(broken["phone"], Value::Null);
    assert_eq!(broken["phone_unreadable"], true);
    rep.get::<Value>("/api/v1/leads", StatusCode::OK).await;
    assert!(
        got.get("phone_unreadable").is_none(),
        "absent when the number opens"
    );

    // Changing and removing the number.
    assert_eq!(
        patch_lead(&app, &id, json!({"phone": "+442071838750"})).await["phone"],
        "+442071838750"
    );
    assert!(find(&app, Who::RepA1, "+14155550100").await.is_empty());
    assert_eq!(
        patch_lead(&app, &id, json!({"phone": null})).await["phone"],
        Value::Null
    );
    assert!(find(&app, Who::RepA1, "+442071838750").await.is_empty());

    // The audit trail records that the phone changed, never its ciphertext or index.
    let after: Value = su
        .query_one(
            "select after from audit.events where table_name = 'leads' and row_key = $1 and op = 'INSERT'",
            &[&id],
        )
        .await
        .unwrap()
        .get(0);
    assert_eq!(after["phone_sealed"], "[sealed]");
    assert_eq!(after["phone_index"], "[sealed]");
}

#[tokio::test]
async fn national_numbers_read_in_the_tenant_region_and_bad_numbers_are_a_clear_422() {
    let app = spawn_app().await;
    let (rep, admin) = (
        Client::new(&app, Some(Who::RepA1)),
        Client::new(&app, Some(Who::AdminA)),
    );
    // Not a valid US number.
    let body = json!({"name": "Pat", "phone": "020 7183 8750"});
    let e: ErrorBody = rep
        .post("/api/v1/leads", body, StatusCode::UNPROCESSABLE_ENTITY)
        .await;
    assert_eq!(e.code(), "invalid_phone");
    // The API takes the code as published: two capitals.
    let e: ErrorBody = admin
        .put(
            "/api/v1/settings/phone",
            json!({"default_region": "gb"}),
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    assert_eq!(e.code(), "invalid_field");
    let body = json!({"default_region": "GB"});
    let settings: Value = admin.put("/api/v1/settings/phone", body, StatusCode::OK).await;
    assert_eq!(settings["default_region"], "GB");
    let lead = lead_with_phone(&app, Who::RepA1, "020 7183 8750").await;
    assert_eq!(lead["phone"], "+442071838750");

    for bad in ["12", "call me", "+1 555"] {
        let lead = json!({"name": "Pat", "phone": bad});
        let body = rep
            .text(
                Method::POST,
                "/api/v1/leads",
                Some(lead),
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await;
        assert!(body.contains("invalid_phone") && !body.contains(bad), "{body}");
    }
    let body = json!({"default_region": "XX"});
    admin
        .put::<Value>("/api/v1/settings/phone", body, StatusCode::UNPROCESSABLE_ENTITY)
        .await;
    let body = json!({"default_region": "US"});
    rep.put::<Value>("/api/v1/settings/phone", body, StatusCode::FORBIDDEN)
        .await;
}

#[tokio::test]
async fn a_database_dump_holds_no_phone_number_and_no_integration_secret() {
    let app = spawn_app().await;
    for (who, phone) in [(Who::RepA1, "(415) 555-0100"), (Who::AdminB, "+44 20 7183 8750")] {
        lead_with_phone(&app, who, phone).await;
    }
    const KEY: &str = "sk-proj-dumpdumpdumpdumpdump0123456789";
    let secrets = json!({"secrets": {"api_key": KEY}});
    let admin_a = Client::new(&app, Some(Who::AdminA));
    admin_a
        .put::<Value>("/api/v1/integrations/openai", secrets, StatusCode::OK)
        .await;
    // A rep's own number, in tenant B.
    let phone = json!({"phone": "+1 (650) 555-0142"});
    Client::new(&app, Some(Who::AdminB))
        .put::<Value>(MY_PHONE, phone, StatusCode::OK)
        .await;

    // pg_dump of the same installation as the server binaries (which may be linked from elsewhere).
    let bins = palisade_db::embedded::find_binaries(None, None).unwrap();
    let server = std::fs::canonicalize(bins.tool("postgres")).unwrap();
    let out = std::process::Command::new(server.with_file_name("pg_dump"))
        .arg("--dbname")
        // libpq's form: the project's conninfo appends `?sslmode=` (the test cluster needs none).
        .arg(
            app.db
                .admin
                .to_conninfo()
                .expose_secret()
                .split('?')
                .next()
                .unwrap(),
        )
        .arg("--no-owner")
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let dump = String::from_utf8_lossy(&out.stdout);
    assert!(dump.contains("COPY app.leads"), "the dump has the leads");
    for needle in [
        "+14155550100",
        "14155550100",
        "4155550100",
        "415-555-0100",
        "415 555 0100",
        "(415) 555-0100",
        "+442071838750",
        "442071838750",
        "2071838750",
        "020 7183 8750",
        "20 7183 8750",
        // Ten digits or more: a shorter needle turns up by chance in the dump's random hex and timestamps.
        "02071838750",
        "+16505550142",
        "6505550142",
        "650-555-0142",
        KEY,
        "dumpdumpdump",
    ] {
        assert!(!dump.contains(needle), "the dump contains {needle:?}");
        // bytea columns are dumped as hex: a value stored in plaintext there shows up this way.
        let hex: String = needle.bytes().map(|b| format!("{b:02x}")).collect();
        assert!(!dump.contains(&hex), "the dump contains {needle:?} as bytea");
    }
}

const MY_PHONE: &str = "/api/v1/me/phone";

#[tokio::test]
async fn members_keep_their_own_number_sealed_and_a_new_number_is_unverified() {
    let app = spawn_app().await;
    let su = app.db.superuser().await;
    su.execute("delete from app.member_phones", &[]).await.unwrap();
    let rep = Client::new(&app, Some(Who::RepA1));

    let e: ErrorBody = rep.get(MY_PHONE, StatusCode::NOT_FOUND).await;
    assert_eq!(e.code(), "not_found");

    // National format in the tenant's region, answered in E.164 and unverified.
    let body: Value = rep
        .put(MY_PHONE, json!({"phone": "(415) 555-0123"}), StatusCode::OK)
        .await;
    assert_eq!(body["phone"], "+14155550123");
    assert_eq!(body["verified_at"], Value::Null);
    let body: Value = rep.get(MY_PHONE, StatusCode::OK).await;
    assert_eq!(body["phone"], "+14155550123");

    // Stored sealed under the rep's row: no plaintext, and no other member's view of it.
    let stored: Vec<u8> = su
        .query_one(
            "select phone_sealed from app.member_phones where owner_id = $1",
            &[w_rep(&app)],
        )
        .await
        .unwrap()
        .get(0);
    assert!(!String::from_utf8_lossy(&stored).contains("4155550123"));
    // rep_a2, and an admin, see only their own number.
    for who in [Who::RepA2, Who::AdminA] {
        Client::new(&app, Some(who))
            .get::<Value>(MY_PHONE, StatusCode::NOT_FOUND)
            .await;
    }

    // Verified (as the verification flow would), the same number again keeps it; another clears it.
    su.execute("update app.member_phones set verified_at = now()", &[])
        .await
        .unwrap();
    let body: Value = rep
        .put(MY_PHONE, json!({"phone": "+1 415 555 0123"}), StatusCode::OK)
        .await;
    assert!(body["verified_at"].is_string(), "{body}");
    let body: Value = rep
        .put(MY_PHONE, json!({"phone": "+1 415 555 0124"}), StatusCode::OK)
        .await;
    assert_eq!(body["phone"], "+14155550124");
    assert_eq!(body["verified_at"], Value::Null);

    // Bad input: a clear 4xx that never repeats the number, and nothing changes.
    for (body, code) in [
        (json!({"phone": "call me at 555"}), "invalid_phone"),
        (
            json!({"phone": "+1 415 555 0125", "verified": true}),
            "invalid_body",
        ),
        (
            json!({"phone": "+1 415 555 0125", "owner_id": w_rep(&app).to_string()}),
            "invalid_body",
        ),
        (json!({}), "invalid_body"),
    ] {
        // Any 4xx will do, so this reads the raw response.
        let r = rep
            .request(Method::PUT, MY_PHONE)
            .json(&body)
            .send()
            .await
            .unwrap();
        assert!(r.status().is_client_error(), "{body}");
        let text = r.text().await.unwrap();
        assert!(text.contains(code), "{body}: {text}");
        assert!(!text.contains("555"), "{text}");
    }
    let body: Value = rep.get(MY_PHONE, StatusCode::OK).await;
    assert_eq!(body["phone"], "+14155550124");

    // Changes are audited as private to the member, never with the sealed values.
    let private: i64 = su
        .query_one(
            "select count(*) from audit.events where table_name = 'member_phones' and private \
             and before is null and after is null",
            &[],
        )
        .await
        .unwrap()
        .get(0);
    assert!(private >= 3, "{private}");

    rep.delete::<()>(MY_PHONE, StatusCode::NO_CONTENT).await;
    rep.get::<Value>(MY_PHONE, StatusCode::NOT_FOUND).await;
    rep.delete::<Value>(MY_PHONE, StatusCode::NOT_FOUND).await;
}

fn w_rep(app: &TestApp) -> &uuid::Uuid {
    app.db.world.rep_a1.as_uuid()
}

/// Leads are found by address (any case, through its blind index) and by a part of the name, with
/// the same visibility rules; the address never appears in an error.
#[tokio::test]
async fn leads_are_searched_by_email_and_by_name() {
    let app = spawn_app().await;
    let rep = Client::new(&app, Some(Who::RepA1));
    let body = json!({"name": "Ada Lovelace", "email": "Ada@Example.test"});
    let ada: Value = rep.post("/api/v1/leads", body, StatusCode::CREATED).await;
    let ada = ada["id"].as_str().unwrap().to_owned();
    rep.post::<Value>(
        "/api/v1/leads",
        json!({"name": "Grace 100%"}),
        StatusCode::CREATED,
    )
    .await;
    assert_eq!(
        search(&app, Who::RepA1, json!({"email": "ada@example.TEST"})).await,
        vec![ada.clone()]
    );
    assert_eq!(
        search(&app, Who::RepA1, json!({"name": "LOVE"})).await,
        vec![ada.clone()]
    );
    assert_eq!(
        search(&app, Who::RepA1, json!({"name": "%"})).await.len(),
        1,
        "a wildcard is literal"
    );
    assert!(search(&app, Who::RepA2, json!({"name": "Lovelace"}))
        .await
        .is_empty());
    let path = "/api/v1/leads?name=lovelace&limit=5";
    assert_eq!(ids(rep.get(path, StatusCode::OK).await), vec![ada]);
    let text = rep
        .text(
            Method::POST,
            "/api/v1/leads/search",
            Some(json!({"email": "not-an-address"})),
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    assert!(!text.contains("not-an-address"), "{text}");
}
