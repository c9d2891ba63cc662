//! `palisade keys`: generate a key (printed once on stdout, never logged), report which keys the
//! stored values use, and rotate them onto the active keys.
mod rotate;
mod sealed_columns;

pub(super) use rotate::Keys;

use anyhow::anyhow;
use palisade_crypto::{KeyId, Keyring};
use palisade_server::config::Config;
use secrecy::ExposeSecret;

use crate::cli::KeysCommand;

pub async fn run(config: &Config, command: KeysCommand) -> anyhow::Result<()> {
    match command {
        KeysCommand::Generate { id } => {
            let id = id.unwrap_or_else(|| format!("k{}", chrono::Utc::now().format("%Y%m%d")));
            let id =
                KeyId::parse(&id).ok_or_else(|| anyhow!("a key id is 1-32 letters, digits, `_` or `-`"))?;
            println!("{}", Keyring::generate_text(&id).expose_secret());
            Ok(())
        }
        KeysCommand::Status => {
            let keys = rotate::Keys::load(config)?;
            let report =
                super::as_database_admin(config, async |client| sealed_columns::status(client, &keys).await)
                    .await?;
            println!("{}", serde_json::to_string_pretty(&report)?);
            Ok(())
        }
        KeysCommand::Rotate { batch } => {
            let keys = rotate::Keys::load(config)?;
            let report = super::as_database_admin(config, async |client| {
                rotate::run(client, &keys, usize::from(batch)).await
            })
            .await?;
            println!("{}", serde_json::to_string_pretty(&report.to_json())?);
            if report.unreadable() > 0 {
                return Err(anyhow!(
                    "{} value(s) did not open and were left as they are (see `unreadable`)",
                    report.unreadable()
                ));
            }
            Ok(())
        }
    }
}
