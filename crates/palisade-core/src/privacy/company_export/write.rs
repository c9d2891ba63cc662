//! Streams one table's rows to a channel in chunks, so memory stays flat however large the table.
//! Tables without sealed values are copied by the database (`COPY … TO STDOUT`) and passed through
//! untouched; a table with a sealed phone number goes row by row through the server, which opens it.
use std::pin::pin;

use bytes::{Bytes, BytesMut};
use futures::channel::mpsc::Sender;
use futures::{SinkExt, StreamExt, TryStreamExt};
use palisade_db::{DbError, TenantId, Tx};
use uuid::Uuid;

use super::plan::Plan;
use super::Format;
use crate::phone::{self, PhoneKeys};
use crate::CoreError;

/// Bytes gathered before a chunk goes out.
const CHUNK: usize = 64 * 1024;

/// How long a reader may leave a chunk waiting before the export gives up on it: a stalled reader
/// must not hold a database connection, and its snapshot, for ever.
const STALL: std::time::Duration = std::time::Duration::from_secs(60);

/// Where chunks go: the HTTP body, or the file the operator's command writes. The writer sends only
/// `Ok`; whoever runs it sends an `Err` when the export fails, so the reader never takes a cut-off
/// file for a whole one.
pub type Chunks = Sender<std::io::Result<Bytes>>;

/// What the writer needs to open a sealed number.
#[derive(Clone, Copy)]
pub struct Opener<'a> {
    pub keys: PhoneKeys<'a>,
    pub tenant: TenantId,
}

/// Sends a chunk, unless the reader went away (a client that disconnected) or stalled.
async fn send(chunks: &mut Chunks, chunk: Bytes) -> Result<(), CoreError> {
    match tokio::time::timeout(STALL, chunks.send(Ok(chunk))).await {
        Ok(Ok(())) => Ok(()),
        Ok(Err(_)) => Err(CoreError::Db(DbError::Unavailable(
            "the export's reader went away".into(),
        ))),
        Err(_) => Err(CoreError::Db(DbError::Unavailable(
            "the export's reader stalled".into(),
        ))),
    }
}

struct Out<'a> {
    buf: BytesMut,
    chunks: &'a mut Chunks,
}

impl Out<'_> {
    async fn put(&mut self, data: &[u8]) -> Result<(), CoreError> {
        self.buf.extend_from_slice(data);
        if self.buf.len() >= CHUNK {
            send(self.chunks, self.buf.split().freeze()).await?;
        }
        Ok(())
    }

    async fn finish(mut self) -> Result<(), CoreError> {
        if !self.buf.is_empty() {
            send(self.chunks, self.buf.split().freeze()).await?;
        }
        Ok(())
    }
}

/// Writes the table's rows (with a header line in CSV) and returns how many rows it wrote.
pub async fn write(
    tx: &mut Tx,
    plan: &Plan,
    format: Format,
    opener: Opener<'_>,
    chunks: &mut Chunks,
) -> Result<u64, CoreError> {
    let mut out = Out {
        buf: BytesMut::with_capacity(2 * CHUNK),
        chunks,
    };
    let rows = match plan.sealed_phone {
        None => copied(tx, plan, format, &mut out).await?,
        Some(sealed) => opened(tx, plan, format, sealed, opener, &mut out).await?,
    };
    out.finish().await?;
    Ok(rows)
}

async fn copied(tx: &mut Tx, plan: &Plan, format: Format, out: &mut Out<'_>) -> Result<u64, CoreError> {
    let sql = match format {
        Format::Jsonl => plan.jsonl_copy(),
        Format::Csv => plan.csv_copy(),
    };
    let mut stream = pin!(tx.copy_out(&sql).await?);
    // The server sends one message per row (and one for the CSV header).
    let mut messages = 0u64;
    while let Some(data) = stream.next().await {
        out.put(&data.map_err(DbError::from)?).await?;
        messages += 1;
    }
    Ok(match format {
        Format::Jsonl => messages,
        Format::Csv => messages.saturating_sub(1),
    })
}

async fn opened(
    tx: &mut Tx,
    plan: &Plan,
    format: Format,
    sealed: &str,
    opener: Opener<'_>,
    out: &mut Out<'_>,
) -> Result<u64, CoreError> {
    let sql = match format {
        Format::Jsonl => plan.jsonl_rows(sealed),
        Format::Csv => plan.csv_rows(sealed),
    };
    let mut line = String::new();
    if format == Format::Csv {
        // Column names, unquoted, as COPY's header line has them.
        line = plan.header().join(",") + "\n";
        out.put(line.as_bytes()).await?;
    }
    let mut rows = pin!(tx.query_stream(&sql, &[]).await?);
    let (mut count, mut unreadable) = (0u64, 0u64);
    while let Some(row) = rows.try_next().await.map_err(DbError::from)? {
        let id: Uuid = row.try_get("row_id")?;
        let sealed: Option<Vec<u8>> = row.try_get("sealed")?;
        let number =
            sealed.map(|s| phone::open(opener.keys, plan.table.name, opener.tenant, id.as_bytes(), &s));
        let number = match number {
            Some(Ok(n)) => Some(n),
            Some(Err(_)) => {
                unreadable += 1;
                None
            }
            None => None,
        };
        line.clear();
        match format {
            Format::Jsonl => {
                let doc: String = row.try_get("doc")?;
                json_line(&mut line, &doc, number.as_deref())?;
            }
            Format::Csv => {
                let cells = (0..plan.columns.len())
                    .map(|i| row.try_get::<_, Option<&str>>(i))
                    .collect::<Result<Vec<_>, _>>()
                    .map_err(DbError::from)?;
                // An E.164 number starts with `+`, which a spreadsheet would run as a formula.
                let number = number.map(|n| format!("'{n}"));
                csv_line(&mut line, cells.into_iter().chain([number.as_deref()]));
            }
        }
        out.put(line.as_bytes()).await?;
        count += 1;
    }
    if unreadable > 0 {
        tracing::warn!(
            table = plan.table.name,
            unreadable,
            "sealed phone numbers that did not open were exported as null"
        );
    }
    Ok(count)
}

/// The row's JSON object with `"phone"` added last.
fn json_line(line: &mut String, doc: &str, number: Option<&str>) -> Result<(), CoreError> {
    let body = doc
        .strip_suffix('}')
        .ok_or_else(|| CoreError::Db(DbError::Unavailable("a row did not read as a JSON object".into())))?;
    line.push_str(body);
    line.push_str(if body.len() > 1 {
        ",\"phone\":"
    } else {
        "\"phone\":"
    });
    line.push_str(&serde_json::to_string(&number).unwrap_or_else(|_| "null".into()));
    line.push_str("}\n");
    Ok(())
}

/// One CSV record as the COPY path writes it (`FORCE_QUOTE *`): null is an empty field, every value is
/// quoted, so no separator a spreadsheet may assume (`;` in some locales) splits one (formulas were
/// defused already).
fn csv_line<'a>(line: &mut String, cells: impl IntoIterator<Item = Option<&'a str>>) {
    for (i, cell) in cells.into_iter().enumerate() {
        if i > 0 {
            line.push(',');
        }
        let Some(cell) = cell else { continue };
        line.push('"');
        line.push_str(&cell.replace('"', "\"\""));
        line.push('"');
    }
    line.push('\n');
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::{csv_line, json_line};

    #[test]
    fn csv_lines_quote_like_postgres() {
        let mut line = String::new();
        csv_line(
            &mut line,
            [
                Some("plain"),
                None,
                Some(""),
                Some("a,b"),
                Some("say \"hi\""),
                Some("x\ny"),
            ],
        );
        assert_eq!(line, "\"plain\",,\"\",\"a,b\",\"say \"\"hi\"\"\",\"x\ny\"\n");
    }

    #[test]
    fn the_phone_joins_the_object() {
        let mut line = String::new();
        json_line(&mut line, r#"{"id":"x"}"#, Some("+14155550100")).unwrap();
        assert_eq!(line, "{\"id\":\"x\",\"phone\":\"+14155550100\"}\n");
        line.clear();
        json_line(&mut line, r#"{"id":"x"}"#, None).unwrap();
        assert_eq!(line, "{\"id\":\"x\",\"phone\":null}\n");
        assert!(json_line(&mut line, "[1]", None).is_err());
    }
}
