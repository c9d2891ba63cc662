//! `palisade user disable|enable`: an operator switch over a person, across every tenant. It runs as
//! the database admin (no tenant admin may disable a person who belongs to other tenants too); the
//! audit trigger on `app.users` records the change. Disabling ends every session at once, and the
//! database refuses the person everywhere from their next transaction (`ctx.enter()`, the session
//! gate, sign-in).
use anyhow::bail;
use palisade_server::config::Config;

pub async fn set_disabled(config: &Config, email: &str, disabled: bool) -> anyhow::Result<()> {
    super::as_database_admin(config, async |client| {
        // One statement, so the switch and the end of the sessions happen together.
        let row = client
            .query_one(
                "with person as (update app.users set disabled_at = case when $2 then coalesce(disabled_at, now()) end \
                                 where lower(email) = lower($1) returning id), \
                      ended as (update auth.sessions set ended_at = now(), end_reason = 'user_disabled' \
                                where $2 and ended_at is null and user_id in (select id from person) returning 1) \
                 select (select id from person) as user_id, (select count(*) from ended) as sessions_ended",
                &[&email, &disabled],
            )
            .await?;
        let Some(user) = row.get::<_, Option<uuid::Uuid>>("user_id") else {
            bail!("no user with email {email}");
        };
        let ended: i64 = row.get("sessions_ended");
        let state = if disabled { "disabled" } else { "enabled" };
        println!("{}", serde_json::json!({ "id": user, "state": state, "sessions_ended": ended }));
        Ok(())
    })
    .await
}
