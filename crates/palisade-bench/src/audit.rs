//! The audited-writes scenario's bench-only switch: the audit trigger of one table, disabled over the
//! superuser connection for the unaudited rounds only, and the `audit.events` rows each round wrote.
//!
//! The trigger is re-enabled after every unaudited round whatever the round's result, by a drop guard
//! if the round panics or is cancelled, and at the start of every run (a run killed mid-round leaves
//! the persistent benchmark database with the trigger off; the next run repairs that first).
use std::future::Future;

use anyhow::{bail, Context};
use palisade_db::connect::{connect_once, Target};

/// One table's audit trigger, switched off for the B side of a scenario.
#[derive(Clone, Copy, Debug)]
pub struct AuditToggle {
    /// Schema-qualified table, e.g. `app.interactions`.
    pub table: &'static str,
    /// The audit trigger on it, e.g. `interactions_audit`.
    pub trigger: &'static str,
    /// `audit.events.table_name` of its events, e.g. `interactions`.
    pub events_table: &'static str,
}

/// `audit.events` rows before or after a round: all of them, and those of the toggled table.
#[derive(Clone, Copy, Debug, Default)]
pub struct EventCount {
    pub all: i64,
    pub table: i64,
}

impl EventCount {
    pub fn since(self, before: Self) -> Self {
        Self {
            all: self.all - before.all,
            table: self.table - before.table,
        }
    }
}

impl AuditToggle {
    fn alter(&self, enable: bool) -> String {
        format!(
            "alter table {} {} trigger {}",
            self.table,
            if enable { "enable" } else { "disable" },
            self.trigger
        )
    }

    /// `O` (fires in origin mode: enabled) or `D` (disabled), from the catalog.
    async fn state(&self, admin: &tokio_postgres::Client) -> anyhow::Result<String> {
        let row = admin
            .query_opt(
                "select tgenabled::text from pg_catalog.pg_trigger \
                 where tgrelid = $1::text::regclass and tgname = $2",
                &[&self.table, &self.trigger],
            )
            .await?;
        match row {
            Some(r) => Ok(r.get(0)),
            None => bail!("trigger {} on {} not found", self.trigger, self.table),
        }
    }

    /// Switches the trigger and checks the catalog agrees.
    pub async fn set(&self, admin: &tokio_postgres::Client, enable: bool) -> anyhow::Result<()> {
        // A round has ended, so no request holds a lock on the table; do not wait forever if one does.
        admin
            .batch_execute(&format!("set lock_timeout = '30s'; {}", self.alter(enable)))
            .await
            .with_context(|| self.alter(enable))?;
        let state = self.state(admin).await?;
        let want = if enable { "O" } else { "D" };
        if state != want {
            bail!(
                "{} on {} is in state {state:?} after `{}`",
                self.trigger,
                self.table,
                self.alter(enable)
            );
        }
        Ok(())
    }

    /// Enables the trigger if an interrupted earlier run left it disabled.
    pub async fn repair(&self, admin: &tokio_postgres::Client) -> anyhow::Result<()> {
        if self.state(admin).await? != "O" {
            println!(
                "{} on {} was left disabled (interrupted earlier run?): enabling it",
                self.trigger, self.table
            );
            self.set(admin, true).await?;
        }
        Ok(())
    }

    /// Committed `audit.events` rows (the superuser is not subject to the table's RLS).
    pub async fn count(&self, admin: &tokio_postgres::Client) -> anyhow::Result<EventCount> {
        let row = admin
            .query_one(
                "select count(*), count(*) filter (where table_name = $1) from audit.events",
                &[&self.events_table],
            )
            .await
            .context("counting audit.events")?;
        Ok(EventCount {
            all: row.get(0),
            table: row.get(1),
        })
    }

    /// Runs `round` with the trigger disabled and enables it again on every way out: after the round
    /// whether it succeeded or not, and from a guard if the round panics or is dropped unfinished.
    pub async fn off_during<T>(
        &self,
        admin: &tokio_postgres::Client,
        target: &Target,
        round: impl Future<Output = anyhow::Result<T>>,
    ) -> anyhow::Result<T> {
        let mut guard = ReenableOnDrop {
            toggle: *self,
            target: Some(target.clone()),
        };
        // Armed before the ALTER: if disabling fails halfway, enabling again is harmless.
        self.set(admin, false).await?;
        let result = round.await;
        let enabled = self.set(admin, true).await;
        guard.target = None;
        match (result, enabled) {
            (Ok(v), Ok(())) => Ok(v),
            (Ok(_), Err(e)) => Err(e.context("re-enabling the audit trigger after the unaudited round")),
            (Err(e), Ok(())) => Err(e),
            (Err(e), Err(enable)) => {
                eprintln!(
                    "re-enabling {} failed too ({enable:#}); run `{}` by hand (the next run also does it)",
                    self.trigger,
                    self.alter(true)
                );
                Err(e)
            }
        }
    }
}

/// Last resort for a panic or a cancelled round: enable the trigger on a fresh connection from a
/// thread of its own (drop cannot await).
struct ReenableOnDrop {
    toggle: AuditToggle,
    target: Option<Target>,
}

impl Drop for ReenableOnDrop {
    fn drop(&mut self) {
        let Some(target) = self.target.take() else {
            return;
        };
        let toggle = self.toggle;
        let outcome = std::thread::spawn(move || -> anyhow::Result<()> {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()?;
            runtime.block_on(async {
                let admin = connect_once(&target).await?;
                toggle.set(&admin, true).await
            })
        })
        .join();
        match outcome {
            Ok(Ok(())) => eprintln!("{} re-enabled after an interrupted round", toggle.trigger),
            Ok(Err(e)) => eprintln!(
                "could not re-enable {} ({e:#}); run `{}` by hand (the next run also does it)",
                toggle.trigger,
                toggle.alter(true)
            ),
            Err(_) => eprintln!(
                "could not re-enable {}; run `{}` by hand (the next run also does it)",
                toggle.trigger,
                toggle.alter(true)
            ),
        }
    }
}
