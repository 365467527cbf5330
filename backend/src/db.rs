//! PostgreSQL: the schema, the dataset import and the record queries.

use std::path::Path;

use chrono::{DateTime, Utc};
use deadpool_postgres::GenericClient;
use deadpool_postgres::{Manager, ManagerConfig, Pool, RecyclingMethod};
use serde_json::value::RawValue;
use tokio_postgres::NoTls;

use crate::etag::fnv64;

/// The schema; every statement is idempotent, so it runs at every start.
const SCHEMA: &str = r#"
CREATE TABLE IF NOT EXISTS dataset_meta (
  id int PRIMARY KEY CHECK (id = 1),
  doc jsonb NOT NULL
);
CREATE TABLE IF NOT EXISTS customers (
  id text COLLATE "C" PRIMARY KEY,
  updated_at timestamptz NOT NULL DEFAULT clock_timestamp(),
  doc jsonb NOT NULL
);
CREATE INDEX IF NOT EXISTS customers_updated_at ON customers (updated_at);
CREATE TABLE IF NOT EXISTS events (
  id text COLLATE "C" PRIMARY KEY,
  customer_id text NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT clock_timestamp(),
  doc jsonb NOT NULL
);
CREATE INDEX IF NOT EXISTS events_updated_at ON events (updated_at);
CREATE TABLE IF NOT EXISTS definitions (
  kind text NOT NULL,
  id text COLLATE "C" NOT NULL,
  name text NOT NULL,
  description text NOT NULL DEFAULT '',
  owner text,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  version bigint NOT NULL,
  definition jsonb NOT NULL,
  PRIMARY KEY (kind, id)
);
CREATE TABLE IF NOT EXISTS idempotency_keys (
  kind text NOT NULL,
  key text NOT NULL,
  request_hash text NOT NULL,
  definition_id text NOT NULL,
  response text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (kind, key)
);
"#;

/// Rows per INSERT during an import.
const BATCH: usize = 2000;

pub fn pool(database_url: &str) -> Result<Pool, String> {
    let config: tokio_postgres::Config = database_url
        .parse()
        .map_err(|e| format!("bad database URL: {e}"))?;
    let manager = Manager::from_config(
        config,
        NoTls,
        ManagerConfig {
            recycling_method: RecyclingMethod::Fast,
        },
    );
    Pool::builder(manager)
        .max_size(8)
        .build()
        .map_err(|e| format!("database pool: {e}"))
}

pub async fn migrate(client: &impl GenericClient) -> Result<(), tokio_postgres::Error> {
    client.batch_execute(SCHEMA).await
}

/// The instant a listing starts: now, or earlier while a writing transaction is still open
/// (its rows carry an `updated_at` from before its commit). A later `since` of this value
/// therefore also returns the rows such a transaction commits after we read.
pub async fn server_time(
    client: &impl GenericClient,
) -> Result<DateTime<Utc>, tokio_postgres::Error> {
    let row = client
        .query_one(
            "SELECT LEAST(clock_timestamp(), COALESCE((SELECT min(xact_start) FROM pg_stat_activity \
             WHERE backend_xid IS NOT NULL AND pid <> pg_backend_pid()), 'infinity'))",
            &[],
        )
        .await?;
    row.try_get(0)
}

/// Which table of records.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Records {
    Customers,
    Events,
}

impl Records {
    fn table(self) -> &'static str {
        match self {
            Records::Customers => "customers",
            Records::Events => "events",
        }
    }
}

/// Up to `limit` rows (id, JSON text) after `after`, changed at or after `since`, by id.
pub async fn list_records(
    client: &impl GenericClient,
    records: Records,
    after: Option<&str>,
    since: Option<DateTime<Utc>>,
    limit: usize,
) -> Result<Vec<(String, String)>, tokio_postgres::Error> {
    let sql = format!(
        "SELECT id, doc::text FROM {} WHERE ($1::text IS NULL OR id > $1) \
         AND ($2::timestamptz IS NULL OR updated_at >= $2) ORDER BY id LIMIT $3",
        records.table()
    );
    let limit = i64::try_from(limit).unwrap_or(i64::MAX);
    let rows = client.query(&sql, &[&after, &since, &limit]).await?;
    rows.iter()
        .map(|r| Ok((r.try_get(0)?, r.try_get(1)?)))
        .collect()
}

/// One record ready to store: its key and its JSON text.
#[derive(Debug, Clone, PartialEq)]
pub struct RecordRow {
    pub id: String,
    pub customer_id: Option<String>,
    pub doc: String,
}

/// Inserts or replaces records; a record whose JSON is unchanged keeps its `updated_at`, so
/// importing the same data twice changes nothing. Returns how many rows were written.
pub async fn upsert(
    client: &impl GenericClient,
    records: Records,
    rows: &[RecordRow],
) -> Result<u64, tokio_postgres::Error> {
    let sql = match records {
        Records::Customers => {
            "INSERT INTO customers (id, doc, updated_at) \
             SELECT id, doc::jsonb, clock_timestamp() FROM unnest($1::text[], $2::text[]) AS t(id, doc) \
             ON CONFLICT (id) DO UPDATE SET doc = EXCLUDED.doc, updated_at = clock_timestamp() \
             WHERE customers.doc IS DISTINCT FROM EXCLUDED.doc"
        }
        Records::Events => {
            "INSERT INTO events (id, doc, customer_id, updated_at) \
             SELECT id, doc::jsonb, cid, clock_timestamp() \
             FROM unnest($1::text[], $2::text[], $3::text[]) AS t(id, doc, cid) \
             ON CONFLICT (id) DO UPDATE SET doc = EXCLUDED.doc, customer_id = EXCLUDED.customer_id, \
             updated_at = clock_timestamp() WHERE events.doc IS DISTINCT FROM EXCLUDED.doc"
        }
    };
    let mut written = 0;
    for chunk in rows.chunks(BATCH) {
        let ids: Vec<&str> = chunk.iter().map(|r| r.id.as_str()).collect();
        let docs: Vec<&str> = chunk.iter().map(|r| r.doc.as_str()).collect();
        written += match records {
            Records::Customers => client.execute(sql, &[&ids, &docs]).await?,
            Records::Events => {
                let cids: Vec<&str> = chunk
                    .iter()
                    .map(|r| r.customer_id.as_deref().unwrap_or(""))
                    .collect();
                client.execute(sql, &[&ids, &docs, &cids]).await?
            }
        };
    }
    Ok(written)
}

/// Checks records against the v1 shapes (`crm_lens::model`) and keys them. A record is kept
/// as the exact JSON text it came in (numbers stay as written: `39000`, not `39000.0`); an
/// event without an `id` gets a stable one from a hash of its JSON. Later duplicates win.
pub fn check_records(
    records: Records,
    items: &[Box<RawValue>],
    origin: &str,
) -> Result<Vec<RecordRow>, String> {
    let mut rows: Vec<RecordRow> = Vec::with_capacity(items.len());
    let mut index = std::collections::HashMap::with_capacity(items.len());
    for (i, raw) in items.iter().enumerate() {
        let text = raw.get();
        let where_ = |e: &dyn std::fmt::Display| format!("{origin}: data[{i}]: {e}");
        let row = match records {
            Records::Customers => {
                let mut de = serde_json::Deserializer::from_str(text);
                let c: crm_lens::model::Customer =
                    serde_path_to_error::deserialize(&mut de).map_err(|e| where_(&e))?;
                RecordRow {
                    id: c.id,
                    customer_id: None,
                    doc: text.to_string(),
                }
            }
            Records::Events => {
                let mut de = serde_json::Deserializer::from_str(text);
                let e: crm_lens::model::Event =
                    serde_path_to_error::deserialize(&mut de).map_err(|e| where_(&e))?;
                match e.id {
                    Some(id) => RecordRow {
                        id,
                        customer_id: Some(e.customer_id),
                        doc: text.to_string(),
                    },
                    None => {
                        let id = format!("h{:016x}", fnv64(text.as_bytes()));
                        let mut value: serde_json::Value =
                            serde_json::from_str(text).map_err(|e| where_(&e))?;
                        if let Some(obj) = value.as_object_mut() {
                            obj.insert("id".into(), serde_json::Value::String(id.clone()));
                        }
                        RecordRow {
                            id,
                            customer_id: Some(e.customer_id),
                            doc: value.to_string(),
                        }
                    }
                }
            }
        };
        match index.get(&row.id) {
            Some(&at) => rows[at] = row,
            None => {
                index.insert(row.id.clone(), rows.len());
                rows.push(row);
            }
        }
    }
    Ok(rows)
}

#[derive(serde::Deserialize)]
struct RawPage {
    data: Vec<Box<RawValue>>,
}

/// Reads `{"data": [...]}` from JSON text.
pub fn parse_page(text: &str, origin: &str) -> Result<Vec<Box<RawValue>>, String> {
    let mut de = serde_json::Deserializer::from_str(text);
    let page: RawPage =
        serde_path_to_error::deserialize(&mut de).map_err(|e| format!("{origin}: {e}"))?;
    Ok(page.data)
}

/// What an import did.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct ImportReport {
    pub customers: usize,
    pub events: usize,
    pub customers_written: u64,
    pub events_written: u64,
}

/// Imports a v1 dataset folder (`meta.json`, `customers.json`, `events.json`) in one
/// transaction. Idempotent: records are upserted by id, unchanged ones are left alone.
pub async fn import_dataset(pool: &Pool, dir: &Path) -> Result<ImportReport, String> {
    let read = |name: &str| {
        let path = dir.join(name);
        std::fs::read_to_string(&path).map_err(|e| format!("cannot read {}: {e}", path.display()))
    };
    let meta_text = read("meta.json")?;
    let meta: crm_lens::model::Meta = {
        let mut de = serde_json::Deserializer::from_str(&meta_text);
        serde_path_to_error::deserialize(&mut de).map_err(|e| format!("meta.json: {e}"))?
    };
    if meta.v != crm_lens::model::FORMAT_VERSION {
        return Err(format!(
            "meta.json: format version {} is not supported (expected 1)",
            meta.v
        ));
    }
    let customers_text = read("customers.json")?;
    let customers = check_records(
        Records::Customers,
        &parse_page(&customers_text, "customers.json")?,
        "customers.json",
    )?;
    drop(customers_text);
    let events_text = read("events.json")?;
    let events = check_records(
        Records::Events,
        &parse_page(&events_text, "events.json")?,
        "events.json",
    )?;
    drop(events_text);

    let mut client = pool.get().await.map_err(|e| format!("database: {e}"))?;
    let tx = client
        .transaction()
        .await
        .map_err(|e| format!("database: {e}"))?;
    let db = |e: tokio_postgres::Error| format!("database: {e}");
    tx.execute(
        "INSERT INTO dataset_meta (id, doc) VALUES (1, $1::text::jsonb) \
         ON CONFLICT (id) DO UPDATE SET doc = EXCLUDED.doc",
        &[&meta_text],
    )
    .await
    .map_err(db)?;
    let customers_written = upsert(&tx, Records::Customers, &customers)
        .await
        .map_err(db)?;
    let events_written = upsert(&tx, Records::Events, &events).await.map_err(db)?;
    tx.commit().await.map_err(db)?;
    Ok(ImportReport {
        customers: customers.len(),
        events: events.len(),
        customers_written,
        events_written,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn raw(items: &[&str]) -> Vec<Box<RawValue>> {
        items
            .iter()
            .map(|s| RawValue::from_string(s.to_string()).expect("json"))
            .collect()
    }

    #[test]
    fn records_keep_their_exact_json_and_later_duplicates_win() {
        let items = raw(&[
            r#"{"id":"e1","customer_id":"C1","type":"purchase","at":"2026-03-01T10:00:00+09:00","value":39000}"#,
            r#"{"id":"e1","customer_id":"C1","type":"refund","at":"2026-03-02T10:00:00+09:00","value":-39000}"#,
        ]);
        let rows = check_records(Records::Events, &items, "events.json").expect("valid");
        assert_eq!(rows.len(), 1);
        assert!(rows[0].doc.contains("\"value\":-39000}"), "{}", rows[0].doc);
        assert_eq!(rows[0].customer_id.as_deref(), Some("C1"));
    }

    #[test]
    fn events_without_id_get_a_stable_one() {
        let items =
            raw(&[r#"{"customer_id":"C1","type":"visit","at":"2026-03-01T10:00:00+09:00"}"#]);
        let a = check_records(Records::Events, &items, "x").expect("valid");
        let b = check_records(Records::Events, &items, "x").expect("valid");
        assert_eq!(a, b);
        assert!(a[0].id.starts_with('h'));
        assert!(a[0].doc.contains(&format!("\"id\":\"{}\"", a[0].id)));
    }

    #[test]
    fn a_bad_record_is_named_with_its_index_and_field() {
        let items = raw(&[
            r#"{"id":"C1","name":"a","created_at":"2026-03-01T10:00:00+09:00"}"#,
            r#"{"id":"C2","name":"b","created_at":"yesterday"}"#,
        ]);
        let err =
            check_records(Records::Customers, &items, "customers.json").expect_err("bad date");
        assert!(
            err.starts_with("customers.json: data[1]: created_at"),
            "{err}"
        );
    }

    #[test]
    fn the_demo_dataset_checks() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../public/demo");
        let text = std::fs::read_to_string(dir.join("customers.json")).expect("demo customers");
        let rows = check_records(
            Records::Customers,
            &parse_page(&text, "c").expect("page"),
            "c",
        )
        .expect("valid");
        assert!(rows.len() > 5000);
    }
}
