//! The loaded dataset as app-wide context: pages read it, none of them fetch.

use std::sync::Arc;

use leptos::prelude::*;

use crate::config::DataSource;
use crate::engine::query::{self, Analysis, Query, QueryContext, QueryResult, QUERY_VERSION};
use crate::engine::segment_rule::Rule;
use crate::engine::{Context, IngestReport, QueryError, Store};

use super::{loader, SyncError};

/// A dataset ready for analysis.
#[derive(Debug)]
pub struct Dataset {
    pub store: Store,
    pub report: IngestReport,
}

impl Dataset {
    /// "Now" for analyses: a snapshot's `as_of` (the demo), else the clock.
    pub fn now(&self) -> i64 {
        self.store
            .meta
            .as_of
            .map(|t| t.timestamp())
            .unwrap_or_else(|| (js_sys::Date::now() / 1000.0) as i64)
    }
}

/// The dataset's loading state, provided once by the app.
#[derive(Clone, Copy)]
pub struct DatasetContext {
    pub resource: LocalResource<Result<Arc<Dataset>, SyncError>>,
    /// Bumped by "try again" to load again.
    pub reload: RwSignal<u32>,
}

impl DatasetContext {
    /// `None` while loading.
    pub fn get(&self) -> Option<Result<Arc<Dataset>, SyncError>> {
        self.resource.get()
    }
}

/// Starts loading the dataset and provides it to every page below.
pub fn provide_dataset(source: DataSource, app_base: String) -> DatasetContext {
    let reload = RwSignal::new(0u32);
    let resource = LocalResource::new(move || {
        reload.track();
        let source = source.clone();
        let app_base = app_base.clone();
        async move {
            loader::load(&source, &app_base)
                .await
                .map(|(store, report)| Arc::new(Dataset { store, report }))
        }
    });
    let context = DatasetContext { resource, reload };
    provide_context(context);
    context
}

/// The dataset context provided by the app.
pub fn use_dataset() -> DatasetContext {
    expect_context::<DatasetContext>()
}

/// The analysis context (now, zone, week start) for a dataset under the current settings.
pub fn analysis_context(dataset: &Dataset, settings: &crate::app::AppSettings) -> Context {
    let mut ctx = Context::new(dataset.now(), settings.zone.get());
    ctx.week_start = settings.week_start.get();
    ctx
}

/// Runs an analysis on the dataset in the current settings' context (now, zone, week start),
/// optionally only over the members of `filter`: the one way views ask the engine.
pub fn run_query(
    dataset: &Dataset,
    settings: &crate::app::AppSettings,
    filter: Option<Rule>,
    analysis: Analysis,
) -> Result<QueryResult, QueryError> {
    let ctx = analysis_context(dataset, settings);
    let query = Query {
        v: QUERY_VERSION,
        context: QueryContext {
            now: Some(
                ctx.zone
                    .datetime(ctx.now)
                    .to_rfc3339_opts(chrono::SecondsFormat::Secs, false),
            ),
            time_zone: Some(ctx.zone.name().to_owned()),
            week_start: ctx.week_start,
        },
        segments: Default::default(),
        filter,
        analysis,
    };
    query::run(&dataset.store, &query).map(|output| output.result)
}
