//! The reference backend of the CRM Lens data contract v1 (`docs/backend-contract.md`,
//! `public/openapi.json`): axum on PostgreSQL.

pub mod config;
pub mod db;
pub mod definitions;
pub mod edge;
pub mod etag;
pub mod paging;
pub mod problem;
pub mod records;
pub mod validate;

use std::sync::Arc;

use axum::extract::DefaultBodyLimit;
use axum::routing::{get, post};
use axum::{middleware, Extension, Router};
use crm_lens::model::DefinitionKind;

use crate::config::Config;
use crate::problem::ApiError;

/// What every handler can reach.
#[derive(Clone)]
pub struct AppState {
    pub pool: deadpool_postgres::Pool,
    pub config: Arc<Config>,
}

/// Largest request body of a definition write (the test upserts allow more).
const MAX_BODY: usize = 1024 * 1024;

fn definition_routes(kind: DefinitionKind) -> Router<AppState> {
    Router::new()
        .route("/", get(definitions::list).post(definitions::create))
        .route(
            "/{id}",
            get(definitions::get_one)
                .put(definitions::update)
                .delete(definitions::delete),
        )
        .layer(Extension(kind))
}

/// The whole HTTP surface.
pub fn router(state: AppState) -> Router {
    let mut app = Router::new()
        .route("/healthz", get(|| async { "ok" }))
        .route("/meta", get(records::meta))
        .route("/customers", get(records::customers))
        .route("/events", get(records::events))
        .nest("/segments", definition_routes(DefinitionKind::Segment))
        .nest("/journeys", definition_routes(DefinitionKind::Journey))
        .layer(DefaultBodyLimit::max(MAX_BODY));
    if state.config.test_endpoints {
        app = app.merge(
            Router::new()
                .route("/_test/customers", post(records::test_customers))
                .route("/_test/events", post(records::test_events))
                .layer(DefaultBodyLimit::max(64 * MAX_BODY)),
        );
    }
    app.fallback(|| async { ApiError::not_found("this path") })
        .method_not_allowed_fallback(|| async {
            ApiError::new(
                axum::http::StatusCode::METHOD_NOT_ALLOWED,
                "method-not-allowed",
                "Method not allowed",
                "this path does not answer that method",
            )
        })
        .layer(middleware::from_fn_with_state(state.clone(), edge::edge))
        .with_state(state)
}
