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
    let page: Value = r.json().await.unwrap();
    page["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["id"].as_str().unwrap().to_owned())
        .collect()
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
            "select phone_sealed, phone_index from app.leads where phone_index is not null order by tenant_id",
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
             and detail -> 'lead_ids' ? $1 and detail::text not like '%555%'",
            &[&id],
        )
        .await
        .unwrap()
        .get(0);
    assert!(reveals >= 5, "each read that showed the number: {reveals}");

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
    let r = send(
        &app,
        Some(Who::RepA1),
        Method::PATCH,
        &format!("/api/v1/leads/{id}"),
        Some(json!({"phone": "+442071838750"})),
    )
    .await;
    assert_eq!(r.json::<Value>().await.unwrap()["phone"], "+442071838750");
    assert!(find(&app, Who::RepA1, "+14155550100").await.is_empty());
    let r = send(
        &app,
        Some(Who::RepA1),
        Method::PATCH,
        &format!("/api/v1/leads/{id}"),
        Some(json!({"phone": null})),
    )
    .await;
    assert_eq!(r.json::<Value>().await.unwrap()["phone"], Value::Null);
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
        "07183",
        KEY,
        "dumpdumpdump",
    ] {
        assert!(!dump.contains(needle), "the dump contains {needle:?}");
        // bytea columns are dumped as hex: a value stored in plaintext there shows up this way.
        let hex: String = needle.bytes().map(|b| format!("{b:02x}")).collect();
        assert!(!dump.contains(&hex), "the dump contains {needle:?} as bytea");
    }
}
