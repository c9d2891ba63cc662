//! Phone numbers at rest: normalised to E.164 (`phonenumber`, libphonenumber's rules, with
//! the tenant's default region for national formats), sealed for their row, and found through a
//! blind index. No plaintext phone column exists; the number is opened only to answer someone who
//! may see its row.
use palisade_crypto::{Binding, IndexScope, Keyring};
use palisade_db::{TenantId, Tx};

use crate::CoreError;

/// The keys phone numbers need: the keyring that seals them and the one that indexes them.
#[derive(Clone, Copy)]
pub struct PhoneKeys<'a> {
    pub seal: &'a Keyring,
    pub index: &'a Keyring,
}

/// A valid number in E.164 form (`+14155550100`). `Debug` does not show it.
#[derive(Clone, PartialEq, Eq)]
pub struct E164(String);

impl E164 {
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for E164 {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("E164(<redacted>)")
    }
}

/// A two-letter region (ISO 3166-1 alpha-2) libphonenumber knows.
pub fn region(text: &str) -> Result<phonenumber::country::Id, CoreError> {
    let upper = text.trim().to_ascii_uppercase();
    if upper.len() != 2 {
        return Err(CoreError::invalid(
            "invalid_field",
            "the region must be two letters, like US or GB",
        ));
    }
    upper
        .parse()
        .map_err(|_| CoreError::invalid("invalid_field", "the region is not a known country code"))
}

/// Normalises what someone typed: international (`+44 20 7183 8750`) or national in `region`
/// (`(415) 555-0100`). The error never repeats the input.
pub fn normalize(text: &str, region: phonenumber::country::Id) -> Result<E164, CoreError> {
    let invalid = || {
        CoreError::invalid(
            "invalid_phone",
            "phone must be a valid number, international (+44 …) or national in the tenant's region",
        )
    };
    if text.chars().count() > 40 {
        return Err(invalid());
    }
    let number = phonenumber::parse(Some(region), text).map_err(|_| invalid())?;
    if !phonenumber::is_valid(&number) {
        return Err(invalid());
    }
    Ok(E164(number.format().mode(phonenumber::Mode::E164).to_string()))
}

/// A number a provider sent, which is always international (`+…`).
pub fn international(text: &str) -> Result<E164, CoreError> {
    if !text.starts_with('+') {
        return Err(CoreError::invalid(
            "invalid_phone",
            "the number is not in international form",
        ));
    }
    normalize(text, phonenumber::country::Id::US)
}

/// The tenant's region for national numbers (readable by its members).
pub async fn tenant_region(tx: &mut Tx, tenant: TenantId) -> Result<phonenumber::country::Id, CoreError> {
    let row = tx
        .query_one(
            "select phone_region from app.tenants where id = $1",
            &[tenant.as_uuid()],
        )
        .await?;
    let text: String = row.try_get("phone_region")?;
    region(&text)
}

/// Sets the tenant's region (admins; access-logged). Returns the normalised code.
pub async fn set_tenant_region(tx: &mut Tx, text: &str) -> Result<String, CoreError> {
    let code = region(text)?.as_ref().to_owned();
    tx.execute("select app.set_phone_region($1)", &[&code]).await?;
    Ok(code)
}

/// Where a row's phone number is sealed.
pub fn binding<'a>(table: &'a str, tenant: TenantId, row: &'a [u8]) -> Binding<'a> {
    Binding {
        table,
        column: "phone_sealed",
        tenant: Some(*tenant.as_uuid().as_bytes()),
        row,
    }
}

/// The scope of every phone number's blind index: one space per tenant, whatever table holds the
/// number (leads, members' own numbers, suppressions), so a STOP from a number matches it wherever
/// it is stored. The name is the first column indexed this way (0016), kept so existing indexes stay
/// valid.
const INDEX_COLUMN: &str = "app.leads.phone_index";

/// A number's blind index under the index ring's active key. The HMAC key is derived for the tenant
/// and the phone index scope, so another indexed column (emails) never shares it.
pub fn index_of(index: &Keyring, tenant: TenantId, number: &[u8]) -> Vec<u8> {
    index.blind_index(&scope(tenant), number)
}

fn scope(tenant: TenantId) -> IndexScope<'static> {
    IndexScope {
        tenant: *tenant.as_uuid().as_bytes(),
        column: INDEX_COLUMN,
    }
}

/// The sealed number (bound to its row of `table`) and its blind index.
pub fn seal(
    keys: PhoneKeys<'_>,
    table: &str,
    tenant: TenantId,
    row: &[u8],
    phone: &E164,
) -> (Vec<u8>, Vec<u8>) {
    (
        keys.seal.seal(phone.0.as_bytes(), &binding(table, tenant, row)),
        index_of(keys.index, tenant, phone.0.as_bytes()),
    )
}

/// The indexes a lookup of `phone` matches: one per index key, so rows indexed before a rotation
/// finished are found too.
pub fn lookup(keys: PhoneKeys<'_>, tenant: TenantId, phone: &E164) -> Vec<Vec<u8>> {
    keys.index
        .blind_index_candidates(&scope(tenant), phone.0.as_bytes())
}

/// Opens a row's number. A value that does not open (moved from another row, or a missing key) is
/// an internal error; it is logged by the caller without the value.
pub fn open(
    keys: PhoneKeys<'_>,
    table: &str,
    tenant: TenantId,
    row: &[u8],
    sealed: &[u8],
) -> Result<String, CoreError> {
    let plain = keys
        .seal
        .open(sealed, &binding(table, tenant, row))
        .map_err(|e| CoreError::Sealed(e.to_string()))?;
    String::from_utf8(plain.to_vec())
        .map_err(|_| CoreError::Sealed("a sealed phone number is not text".into()))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn numbers_normalise_to_e164_in_the_tenant_region() {
        let us = region("us").unwrap();
        let gb = region("GB").unwrap();
        for (text, region, expected) in [
            ("(415) 555-0100", us, "+14155550100"),
            ("+1 415 555 0100", gb, "+14155550100"),
            ("020 7183 8750", gb, "+442071838750"),
            ("+44 20 7183 8750", us, "+442071838750"),
            ("00 44 20 7183 8750", gb, "+442071838750"),
        ] {
            assert_eq!(normalize(text, region).unwrap().as_str(), expected, "{text}");
        }
        for bad in ["12", "not a number", "+1 555", &"9".repeat(41)] {
            let err = normalize(bad, us).unwrap_err();
            assert!(!err.to_string().contains(bad), "{err}");
        }
        assert!(region("USA").is_err());
        assert!(region("XX").is_err());
        assert!(!format!("{:?}", normalize("(415) 555-0100", us).unwrap()).contains("555"));
    }
}
