//! Loads a whole dataset into a [`Store`]: the demo files, or every page of a backend.
//!
//! Both go through [`get_bytes`], so the demo exercises the same fetch and error path as a backend.

use crate::config::DataSource;
use crate::engine::ingest::{parse_customer_page, parse_meta};
use crate::engine::{IngestReport, Store};

use super::http::{get_bytes, REQUEST_TIMEOUT};
use super::SyncError;

/// Rows asked for per page from a backend.
pub const PAGE_SIZE: usize = 5_000;

/// Where the three documents of a dataset live.
fn urls(source: &DataSource, app_base: &str) -> (String, String, String) {
    match source {
        DataSource::Demo => (
            format!("{app_base}demo/meta.json"),
            format!("{app_base}demo/customers.json"),
            format!("{app_base}demo/events.json"),
        ),
        DataSource::Backend(api) => (
            format!("{api}/meta"),
            format!("{api}/customers?limit={PAGE_SIZE}"),
            format!("{api}/events?limit={PAGE_SIZE}"),
        ),
    }
}

/// The next page's URL, if the answer named a cursor.
fn next_page(first_page: &str, cursor: Option<String>) -> Option<String> {
    cursor.map(|c| format!("{first_page}&cursor={}", encode_query(&c)))
}

/// Percent-encodes a query value (cursors are opaque to the client).
pub fn encode_query(value: &str) -> String {
    value
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// Fetches and ingests the whole dataset. `app_base` is the URL folder the app was loaded from.
pub async fn load(source: &DataSource, app_base: &str) -> Result<(Store, IngestReport), SyncError> {
    let credentials = matches!(source, DataSource::Backend(_));
    let (meta_url, customers_url, events_url) = urls(source, app_base);

    let meta = parse_meta(&get_bytes(&meta_url, REQUEST_TIMEOUT, credentials).await?)?;
    let mut store = Store::empty(meta);
    let mut report = IngestReport::default();

    let mut next = Some(customers_url.clone());
    while let Some(url) = next {
        let bytes = get_bytes(&url, REQUEST_TIMEOUT, credentials).await?;
        let (customers, cursor) = parse_customer_page(&bytes)?;
        report.customers += store.upsert_customers(customers)?;
        next = if credentials {
            next_page(&customers_url, cursor)
        } else {
            None
        };
    }

    let mut next = Some(events_url.clone());
    while let Some(url) = next {
        let bytes = get_bytes(&url, REQUEST_TIMEOUT, credentials).await?;
        let (page, cursor) = store.append_event_pages(&[&bytes])?;
        report.events_added += page.events_added;
        report.duplicates_skipped += page.duplicates_skipped;
        report.unknown_customer_skipped += page.unknown_customer_skipped;
        next = if credentials {
            next_page(&events_url, cursor)
        } else {
            None
        };
    }
    Ok((store, report))
}
