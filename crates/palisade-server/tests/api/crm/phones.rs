//! Phone numbers at rest: normalised to E.164, sealed, found by blind index within a tenant, shown
//! only to those who may see the lead, and absent from a database dump in every format.
use palisade_testkit::{spawn_app, TestApp, Who};
use reqwest::Method;
use secrecy::ExposeSecret;
use serde_json::{json, Value};

use crate::{error_code, send};

async fn lead_with_phone(app: &TestApp, who: Who, phone: &str) -> Value {
    let r = send(
        app,
        Some(who),
        Method::POST,
        "/api/v1/leads",
        Some(json!({"name": "Pat", "phone": phone})),
    )
    .await;
    assert_eq!(r.status(), 201, "{phone}");
    r.json().await.unwrap()
}

async fn find(app: &TestApp, who: Who, phone: &str) -> Vec<String> {
    let query = serde_urlencoded::to_string([("phone", phone)]).unwrap();
    let r = send(
        app,
        Some(who),
        Method::GET,
        &format!("/api/v1/leads?{query}"),
        None,
    )
    .await;
    assert_eq!(r.status(), 200);
    ids(r.json().await.unwrap())
}

async fn search(app: &TestApp, who: Who, filter: Value) -> Vec<String> {
    let r = send(app, Some(who), Method::POST, "/api/v1/leads/search", Some(filter)).await;
    assert_eq!(r.status(), 200);
    ids(r.json().await.unwrap())
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
    let r = send(app, Some(Who::RepA1), Method::PATCH, &path, Some(patch)).await;
    r.json().await.unwrap()
}

#[tokio::test]
async fn numbers_are_normalised_sealed_and_found_by_blind_index_within_the_tenant() {
    let app = spawn_app().await;
    let lead = lead_with_phone(&app, Who::RepA1, "(415) 555-0100").await;
    assert_eq!(lead["phone"], "+14155550100");
    let id = lead["id"].as_str().unwrap().to_owned();
    let got: Value = send(
        &app,
        Some(Who::RepA1),
        Method::GET,
        &format!("/api/v1/leads/{id}"),
        None,
    )
    .await
    .json()
    .await
    .unwrap();
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
    let r = send(
        &app,
        Some(Who::RepA1),
        Method::POST,
        "/api/v1/leads/search",
        Some(json!({"phone": "415.555.0100", "tenant_id": w_rep(&app).to_string()})),
    )
    .await;
    assert_eq!(r.status(), 422);
    let r = send(
        &app,
        Some(Who::RepA1),
        Method::POST,
        "/api/v1/leads/search",
        Some(json!({"phone": "12"})),
    )
    .await;
    assert_eq!(r.status(), 422);
    assert!(!r.text().await.unwrap().contains("\"12\""));

    // A number that does not open (moved from another row here) does not take the lead down: it
    // shows as unreadable, and a new number can be set.
    su.execute(
        "update app.leads set phone_sealed = (select phone_sealed from app.leads where id = $2) where id = $1",
        &[&uuid::Uuid::parse_str(&id).unwrap(), &uuid::Uuid::parse_str(theirs["id"].as_str().unwrap()).unwrap()],
    )
    .await
    .unwrap();
    let r = send(
        &app,
        Some(Who::RepA1),
        Method::GET,
        &format!("/api/v1/leads/{id}"),
        None,
    )
    .await;
    assert_eq!(r.status(), 200);
    let broken: Value = r.json().await.unwrap();
    assert_eq!(broken["phone"], Value::Null);
    assert_eq!(broken["phone_unreadable"], true);
    assert_eq!(
        send(&app, Some(Who::RepA1), Method::GET, "/api/v1/leads", None)
            .await
            .status(),
        200
    );
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
    let r = send(
        &app,
        Some(Who::RepA1),
        Method::POST,
        "/api/v1/leads",
        Some(json!({"name": "Pat", "phone": "020 7183 8750"})),
    )
    .await;
    assert_eq!(r.status(), 422, "not a valid US number");
    assert_eq!(error_code(r).await, "invalid_phone");
    let r = send(
        &app,
        Some(Who::AdminA),
        Method::PUT,
        "/api/v1/settings/phone",
        Some(json!({"default_region": "gb"})),
    )
    .await;
    assert_eq!(r.json::<Value>().await.unwrap()["default_region"], "GB");
    let lead = lead_with_phone(&app, Who::RepA1, "020 7183 8750").await;
    assert_eq!(lead["phone"], "+442071838750");

    for bad in ["12", "call me", "+1 555"] {
        let r = send(
            &app,
            Some(Who::RepA1),
            Method::POST,
            "/api/v1/leads",
            Some(json!({"name": "Pat", "phone": bad})),
        )
        .await;
        assert_eq!(r.status(), 422);
        let body = r.text().await.unwrap();
        assert!(body.contains("invalid_phone") && !body.contains(bad), "{body}");
    }
    let r = send(
        &app,
        Some(Who::AdminA),
        Method::PUT,
        "/api/v1/settings/phone",
        Some(json!({"default_region": "XX"})),
    )
    .await;
    assert_eq!(r.status(), 422);
    let r = send(
        &app,
        Some(Who::RepA1),
        Method::PUT,
        "/api/v1/settings/phone",
        Some(json!({"default_region": "US"})),
    )
    .await;
    assert_eq!(r.status(), 403);
}

#[tokio::test]
async fn a_database_dump_holds_no_phone_number_and_no_integration_secret() {
    let app = spawn_app().await;
    for (who, phone) in [(Who::RepA1, "(415) 555-0100"), (Who::AdminB, "+44 20 7183 8750")] {
        lead_with_phone(&app, who, phone).await;
    }
    const KEY: &str = "sk-proj-dumpdumpdumpdumpdump0123456789";
    let r = send(
        &app,
        Some(Who::AdminA),
        Method::PUT,
        "/api/v1/integrations/openai",
        Some(json!({"secrets": {"api_key": KEY}})),
    )
    .await;
    assert_eq!(r.status(), 200);
    // A rep's own number, in tenant B.
    let r = send(
        &app,
        Some(Who::AdminB),
        Method::PUT,
        "/api/v1/me/phone",
        Some(json!({"phone": "+1 (650) 555-0142"})),
    )
    .await;
    assert_eq!(r.status(), 200);

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

async fn my_phone(app: &TestApp, who: Who, method: Method, body: Option<Value>) -> (u16, Value) {
    let r = send(app, Some(who), method, "/api/v1/me/phone", body).await;
    let status = r.status().as_u16();
    (status, r.json().await.unwrap_or(Value::Null))
}

#[tokio::test]
async fn members_keep_their_own_number_sealed_and_a_new_number_is_unverified() {
    let app = spawn_app().await;
    let su = app.db.superuser().await;
    su.execute("delete from app.member_phones", &[]).await.unwrap();

    let (status, body) = my_phone(&app, Who::RepA1, Method::GET, None).await;
    assert_eq!((status, body["error"]["code"].as_str()), (404, Some("not_found")));

    // National format in the tenant's region, answered in E.164 and unverified.
    let (status, body) = my_phone(
        &app,
        Who::RepA1,
        Method::PUT,
        Some(json!({"phone": "(415) 555-0123"})),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["phone"], "+14155550123");
    assert_eq!(body["verified_at"], Value::Null);
    let (_, body) = my_phone(&app, Who::RepA1, Method::GET, None).await;
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
    let (status, _) = my_phone(&app, Who::RepA2, Method::GET, None).await;
    assert_eq!(status, 404, "rep_a2 sees only their own number");
    let (status, _) = my_phone(&app, Who::AdminA, Method::GET, None).await;
    assert_eq!(status, 404, "an admin sees only their own number");

    // Verified (as the verification flow would), the same number again keeps it; another clears it.
    su.execute("update app.member_phones set verified_at = now()", &[])
        .await
        .unwrap();
    let (_, body) = my_phone(
        &app,
        Who::RepA1,
        Method::PUT,
        Some(json!({"phone": "+1 415 555 0123"})),
    )
    .await;
    assert!(body["verified_at"].is_string(), "{body}");
    let (_, body) = my_phone(
        &app,
        Who::RepA1,
        Method::PUT,
        Some(json!({"phone": "+1 415 555 0124"})),
    )
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
        let r = send(
            &app,
            Some(Who::RepA1),
            Method::PUT,
            "/api/v1/me/phone",
            Some(body.clone()),
        )
        .await;
        assert!(r.status().is_client_error(), "{body}");
        let text = r.text().await.unwrap();
        assert!(text.contains(code), "{body}: {text}");
        assert!(!text.contains("555"), "{text}");
    }
    let (_, body) = my_phone(&app, Who::RepA1, Method::GET, None).await;
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

    let r = send(&app, Some(Who::RepA1), Method::DELETE, "/api/v1/me/phone", None).await;
    assert_eq!(r.status(), 204);
    let (status, _) = my_phone(&app, Who::RepA1, Method::GET, None).await;
    assert_eq!(status, 404);
    let r = send(&app, Some(Who::RepA1), Method::DELETE, "/api/v1/me/phone", None).await;
    assert_eq!(r.status(), 404);
}

fn w_rep(app: &TestApp) -> &uuid::Uuid {
    app.db.world.rep_a1.as_uuid()
}
