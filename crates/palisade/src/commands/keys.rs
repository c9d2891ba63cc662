//! `palisade keys generate`: a new key for the keyring. Printed once on stdout, never logged.
use anyhow::anyhow;
use palisade_crypto::{KeyId, Keyring};
use secrecy::ExposeSecret;

use crate::cli::KeysCommand;

pub fn run(command: KeysCommand) -> anyhow::Result<()> {
    match command {
        KeysCommand::Generate { id } => {
            let id = id.unwrap_or_else(|| format!("k{}", chrono::Utc::now().format("%Y%m%d")));
            let id =
                KeyId::parse(&id).ok_or_else(|| anyhow!("a key id is 1-32 letters, digits, `_` or `-`"))?;
            println!("{}", Keyring::generate_text(&id).expose_secret());
            Ok(())
        }
    }
}
