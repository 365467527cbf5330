//! The loaded dataset as app-wide context: pages read it, none of them fetch.
//!
//! [`LoadControl`] (context too) shows the loading progress, cancels a load, and refreshes a
//! backend dataset with only what changed since the last load; a failed refresh keeps the data
//! on screen and reports why.

use std::sync::Arc;

use chrono::{DateTime, FixedOffset};
use leptos::prelude::*;
use web_sys::AbortController;

use crate::config::DataSource;
use crate::engine::query::{self, Analysis, Query, QueryContext, QueryResult, QUERY_VERSION};
use crate::engine::segment::SegmentLibrary;
use crate::engine::segment_rule::Rule;
use crate::engine::{Context, IngestReport, QueryError, Store};

use super::loader::{self, Progress};
use super::SyncError;

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

/// Progress, cancel and incremental refresh of the dataset (context, provided with it).
#[derive(Clone, Copy)]
pub struct LoadControl {
    /// While a load or refresh runs: how far it has come.
    pub progress: RwSignal<Option<Progress>>,
    /// A refresh is running (the data on screen stays meanwhile).
    pub refreshing: RwSignal<bool>,
    /// Why the last refresh failed (the data on screen is the previous one).
    pub refresh_error: RwSignal<Option<SyncError>>,
    /// The backend clock of the data on screen: the next refresh asks for changes since then.
    pub server_time: RwSignal<Option<DateTime<FixedOffset>>>,
    /// The backend base URL; `None` in demo mode (nothing to refresh).
    api: StoredValue<Option<String>>,
    refresh_tick: RwSignal<u32>,
    refresh_next: StoredValue<bool>,
    cancel: StoredValue<Option<AbortController>, LocalStorage>,
    last: StoredValue<Option<Arc<Dataset>>, LocalStorage>,
}

impl LoadControl {
    /// Whether "Refresh data" is offered (a backend that gave a `server_time`).
    pub fn can_refresh(&self) -> bool {
        self.api.with_value(Option::is_some) && self.server_time.get().is_some()
    }

    /// Asks only for what changed since the data on screen was loaded.
    pub fn refresh(&self) {
        if self.progress.get_untracked().is_some() {
            return;
        }
        self.refresh_next.set_value(true);
        self.refresh_error.set(None);
        self.refresh_tick.update(|n| *n += 1);
    }

    /// Stops the running load or refresh.
    pub fn cancel(&self) {
        if let Some(controller) = self.cancel.get_value() {
            controller.abort();
        }
    }
}

/// The load control provided with the dataset, if any (tests may provide a dataset alone).
pub fn use_load_control() -> Option<LoadControl> {
    use_context::<LoadControl>()
}

fn add(a: IngestReport, b: IngestReport) -> IngestReport {
    IngestReport {
        customers: a.customers + b.customers,
        events_added: a.events_added + b.events_added,
        duplicates_skipped: a.duplicates_skipped + b.duplicates_skipped,
        unknown_customer_skipped: a.unknown_customer_skipped + b.unknown_customer_skipped,
    }
}

/// Starts loading the dataset and provides it (and its [`LoadControl`]) to every page below.
pub fn provide_dataset(source: DataSource, app_base: String) -> DatasetContext {
    let reload = RwSignal::new(0u32);
    let control = LoadControl {
        progress: RwSignal::new(None),
        refreshing: RwSignal::new(false),
        refresh_error: RwSignal::new(None),
        server_time: RwSignal::new(None),
        api: StoredValue::new(match &source {
            DataSource::Demo => None,
            DataSource::Backend(api) => Some(api.clone()),
        }),
        refresh_tick: RwSignal::new(0),
        refresh_next: StoredValue::new(false),
        cancel: StoredValue::new_local(None),
        last: StoredValue::new_local(None),
    };
    let resource = LocalResource::new(move || {
        reload.track();
        control.refresh_tick.track();
        let source = source.clone();
        let app_base = app_base.clone();
        async move {
            let refresh = control.refresh_next.try_get_value().unwrap_or(false);
            control.refresh_next.try_set_value(false);
            let controller = AbortController::new().ok();
            control.cancel.try_set_value(controller.clone());
            let signal = controller.as_ref().map(AbortController::signal);
            let progress = move |p: Progress| {
                let _ = control.progress.try_set(Some(p));
            };
            let _ = control.progress.try_set(Some(Progress::default()));
            let previous = control.last.try_get_value().flatten();
            let since = control.server_time.try_get_untracked().flatten();
            let api = control.api.try_get_value().flatten();
            let result = match (refresh, previous, since, api) {
                (true, Some(previous), Some(since), Some(api)) => {
                    let _ = control.refreshing.try_set(true);
                    let outcome =
                        loader::refresh(&api, &previous.store, since, &progress, signal.as_ref())
                            .await;
                    let _ = control.refreshing.try_set(false);
                    match outcome {
                        Ok(loaded) => {
                            if let Some(time) = loaded.server_time {
                                let _ = control.server_time.try_set(Some(time));
                            }
                            Ok(Arc::new(Dataset {
                                store: loaded.store,
                                report: add(previous.report, loaded.report),
                            }))
                        }
                        Err(error) => {
                            // Keep the data on screen; say why it is not newer.
                            let _ = control.refresh_error.try_set(Some(error));
                            Ok(previous)
                        }
                    }
                }
                _ => loader::load(&source, &app_base, &progress, signal.as_ref())
                    .await
                    .map(|loaded| {
                        let _ = control.server_time.try_set(loaded.server_time);
                        Arc::new(Dataset {
                            store: loaded.store,
                            report: loaded.report,
                        })
                    }),
            };
            let _ = control.progress.try_set(None);
            control.cancel.try_set_value(None);
            if let Ok(dataset) = &result {
                control.last.try_set_value(Some(dataset.clone()));
            }
            result
        }
    });
    let context = DatasetContext { resource, reload };
    provide_context(context);
    provide_context(control);
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
    run_query_with_segments(dataset, settings, SegmentLibrary::new(), filter, analysis)
}

/// [`run_query`] for rules that refer to segments by id (`{"type": "segment", …}`): `segments`
/// holds the rules those ids stand for.
pub fn run_query_with_segments(
    dataset: &Dataset,
    settings: &crate::app::AppSettings,
    segments: SegmentLibrary,
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
        segments,
        filter,
        analysis,
    };
    query::run(&dataset.store, &query).map(|output| output.result)
}
