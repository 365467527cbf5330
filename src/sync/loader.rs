//! Loads a whole dataset into a [`Store`]: the demo files, or every page of a backend, with
//! progress (pages, rows, bytes) and a cancel signal; then, with a backend, refreshes it with
//! only the rows changed `since` the last load's `server_time`.
//!
//! Both go through [`send`], so the demo exercises the same fetch and error path as a backend.

use chrono::{DateTime, FixedOffset};
use web_sys::AbortSignal;

use crate::config::DataSource;
use crate::engine::ingest::{parse_customer_page, parse_meta};
use crate::engine::{IngestReport, Store};
use crate::sync_policy::wire::parse_page_clock;

use super::http::{send, Request};
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
        DataSource::Backend(api) => {
            let api = api.trim_end_matches('/');
            (
                format!("{api}/meta"),
                format!("{api}/customers?limit={PAGE_SIZE}"),
                format!("{api}/events?limit={PAGE_SIZE}"),
            )
        }
    }
}

/// The next page's URL, if the answer named a cursor.
fn next_page(first_page: &str, cursor: Option<String>) -> Option<String> {
    cursor.map(|c| format!("{first_page}&cursor={}", encode_query(&c)))
}

/// Percent-encodes a query value (cursors and timestamps are opaque to the client).
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

/// Which part of the dataset is being fetched.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Stage {
    #[default]
    Meta,
    Customers,
    Events,
}

/// How far a load has come.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Progress {
    pub stage: Stage,
    /// Pages (documents) received.
    pub pages: usize,
    /// Customers and events read.
    pub rows: usize,
    /// Bytes received.
    pub bytes: usize,
}

/// A loaded dataset and the backend clock to refresh from.
pub struct Loaded {
    pub store: Store,
    pub report: IngestReport,
    /// The first page's `server_time` (the earliest of a load): the `since` of the next refresh.
    pub server_time: Option<DateTime<FixedOffset>>,
}

struct Fetcher<'a> {
    credentials: bool,
    cancel: Option<&'a AbortSignal>,
    progress: &'a dyn Fn(Progress),
    state: Progress,
}

impl Fetcher<'_> {
    async fn get(&mut self, url: &str) -> Result<Vec<u8>, SyncError> {
        if self.cancel.is_some_and(|c| c.aborted()) {
            return Err(SyncError::Cancelled);
        }
        let request = Request::get(url).credentials(self.credentials);
        let body = send(&request, self.cancel).await?.success()?.body;
        self.state.pages += 1;
        self.state.bytes += body.len();
        (self.progress)(self.state);
        Ok(body)
    }

    fn stage(&mut self, stage: Stage) {
        self.state.stage = stage;
        (self.progress)(self.state);
    }

    fn rows(&mut self, rows: usize) {
        self.state.rows += rows;
        (self.progress)(self.state);
    }

    /// Reads every page of customers from `first` into `store`.
    async fn customers(
        &mut self,
        store: &mut Store,
        report: &mut IngestReport,
        first: &str,
        paged: bool,
        clock: &mut Option<DateTime<FixedOffset>>,
    ) -> Result<(), SyncError> {
        self.stage(Stage::Customers);
        let mut next = Some(first.to_owned());
        while let Some(url) = next {
            let bytes = self.get(&url).await?;
            let (customers, cursor) = parse_customer_page(&bytes)?;
            if paged {
                note_clock(clock, &bytes)?;
            }
            let rows = customers.len();
            report.customers += store.upsert_customers(customers)?;
            self.rows(rows);
            next = if paged {
                next_page(first, cursor)
            } else {
                None
            };
        }
        Ok(())
    }

    /// Reads every page of events from `first` into `store`.
    async fn events(
        &mut self,
        store: &mut Store,
        report: &mut IngestReport,
        first: &str,
        paged: bool,
        clock: &mut Option<DateTime<FixedOffset>>,
    ) -> Result<(), SyncError> {
        self.stage(Stage::Events);
        let mut next = Some(first.to_owned());
        while let Some(url) = next {
            let bytes = self.get(&url).await?;
            if paged {
                note_clock(clock, &bytes)?;
            }
            let (page, cursor) = store.append_event_pages(&[&bytes])?;
            report.events_added += page.events_added;
            report.duplicates_skipped += page.duplicates_skipped;
            report.unknown_customer_skipped += page.unknown_customer_skipped;
            self.rows(page.events_added + page.duplicates_skipped + page.unknown_customer_skipped);
            next = if paged {
                next_page(first, cursor)
            } else {
                None
            };
        }
        Ok(())
    }
}

/// Keeps the earliest `server_time` seen: rows changed after it may be missing from later pages.
fn note_clock(clock: &mut Option<DateTime<FixedOffset>>, page: &[u8]) -> Result<(), SyncError> {
    if let Some(time) = parse_page_clock(page)?.server_time {
        *clock = Some(clock.map_or(time, |c| c.min(time)));
    }
    Ok(())
}

/// Fetches and ingests the whole dataset. `app_base` is the URL folder the app was loaded from;
/// `progress` hears of every page; `cancel` stops it with [`SyncError::Cancelled`].
pub async fn load(
    source: &DataSource,
    app_base: &str,
    progress: &dyn Fn(Progress),
    cancel: Option<&AbortSignal>,
) -> Result<Loaded, SyncError> {
    let paged = matches!(source, DataSource::Backend(_));
    let (meta_url, customers_url, events_url) = urls(source, app_base);
    let mut fetcher = Fetcher {
        credentials: paged,
        cancel,
        progress,
        state: Progress::default(),
    };
    let meta = parse_meta(&fetcher.get(&meta_url).await?)?;
    let mut store = Store::empty(meta);
    let mut report = IngestReport::default();
    let mut clock = None;
    fetcher
        .customers(&mut store, &mut report, &customers_url, paged, &mut clock)
        .await?;
    fetcher
        .events(&mut store, &mut report, &events_url, paged, &mut clock)
        .await?;
    Ok(Loaded {
        store,
        report,
        server_time: clock,
    })
}

/// Asks a backend only for the customers and events changed since `since` and applies them to a
/// copy of `store`. On any failure the caller keeps the data it has.
pub async fn refresh(
    api: &str,
    store: &Store,
    since: DateTime<FixedOffset>,
    progress: &dyn Fn(Progress),
    cancel: Option<&AbortSignal>,
) -> Result<Loaded, SyncError> {
    let source = DataSource::Backend(api.to_owned());
    let (_, customers_url, events_url) = urls(&source, "");
    let since = encode_query(&since.to_rfc3339());
    let mut fetcher = Fetcher {
        credentials: true,
        cancel,
        progress,
        state: Progress::default(),
    };
    let mut store = store.clone();
    let mut report = IngestReport::default();
    let mut clock = None;
    fetcher
        .customers(
            &mut store,
            &mut report,
            &format!("{customers_url}&since={since}"),
            true,
            &mut clock,
        )
        .await?;
    fetcher
        .events(
            &mut store,
            &mut report,
            &format!("{events_url}&since={since}"),
            true,
            &mut clock,
        )
        .await?;
    Ok(Loaded {
        store,
        report,
        server_time: clock,
    })
}
