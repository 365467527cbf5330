//! `GET /meta`, `GET /customers`, `GET /events`, and the test-only upserts.

use std::collections::HashMap;

use axum::body::Bytes;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use crm_lens::model::Capabilities;

use crate::db::{self, Records};
use crate::etag::json_read;
use crate::paging;
use crate::problem::ApiError;
use crate::AppState;

/// Rows per page when the client gives no `limit`.
pub const DEFAULT_PAGE_SIZE: usize = 1000;

pub type QueryParams = Result<Query<HashMap<String, String>>, QueryRejection>;

pub fn query_map(query: QueryParams) -> Result<HashMap<String, String>, ApiError> {
    query
        .map(|Query(q)| q)
        .map_err(|e| ApiError::bad_request(format!("the query string is malformed: {e}")))
}

pub async fn meta(State(state): State<AppState>, headers: HeaderMap) -> Result<Response, ApiError> {
    let client = state.pool.get().await?;
    let row = client
        .query_opt("SELECT doc::text FROM dataset_meta WHERE id = 1", &[])
        .await?;
    let Some(row) = row else {
        return Err(ApiError::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "no-dataset",
            "No dataset",
            "no dataset has been imported into this backend yet",
        )
        .with_header(axum::http::header::RETRY_AFTER, "30"));
    };
    let text: String = row.try_get(0)?;
    let mut meta: serde_json::Value = serde_json::from_str(&text).map_err(ApiError::internal)?;
    let capabilities = Capabilities {
        since: true,
        segments: true,
        journeys: true,
        max_page_size: u32::try_from(state.config.max_page_size).ok(),
    };
    if let Some(obj) = meta.as_object_mut() {
        obj.insert(
            "capabilities".into(),
            serde_json::to_value(capabilities).map_err(ApiError::internal)?,
        );
    }
    Ok(json_read(
        &headers,
        serde_json::to_vec(&meta).map_err(ApiError::internal)?,
    ))
}

async fn list(
    state: &AppState,
    records: Records,
    headers: &HeaderMap,
    query: QueryParams,
) -> Result<Response, ApiError> {
    let query = query_map(query)?;
    let page = paging::parse(&query, DEFAULT_PAGE_SIZE, state.config.max_page_size)?;
    let client = state.pool.get().await?;
    let server_time = match page.server_time {
        Some(t) => t,
        None => db::server_time(&client).await?,
    };
    let rows = db::list_records(
        &client,
        records,
        page.after.as_deref(),
        page.since,
        page.limit + 1,
    )
    .await?;
    Ok(json_read(
        headers,
        paging::page_body(rows, page.limit, server_time),
    ))
}

pub async fn customers(
    State(state): State<AppState>,
    headers: HeaderMap,
    query: QueryParams,
) -> Result<Response, ApiError> {
    list(&state, Records::Customers, &headers, query).await
}

pub async fn events(
    State(state): State<AppState>,
    headers: HeaderMap,
    query: QueryParams,
) -> Result<Response, ApiError> {
    list(&state, Records::Events, &headers, query).await
}

async fn test_upsert(
    state: &AppState,
    records: Records,
    body: &[u8],
) -> Result<Response, ApiError> {
    let text =
        std::str::from_utf8(body).map_err(|_| ApiError::bad_request("the body is not UTF-8"))?;
    let items = db::parse_page(text, "body").map_err(ApiError::bad_request)?;
    let rows = db::check_records(records, &items, "body").map_err(ApiError::bad_request)?;
    let mut client = state.pool.get().await?;
    let tx = client.transaction().await?;
    let written = db::upsert(&tx, records, &rows).await?;
    tx.commit().await?;
    Ok(axum::Json(serde_json::json!({"received": rows.len(), "written": written})).into_response())
}

/// `POST /_test/customers` (only with `--test-endpoints`): upserts `{"data": [...]}`.
pub async fn test_customers(
    State(state): State<AppState>,
    body: Bytes,
) -> Result<Response, ApiError> {
    test_upsert(&state, Records::Customers, &body).await
}

/// `POST /_test/events` (only with `--test-endpoints`): upserts `{"data": [...]}`.
pub async fn test_events(State(state): State<AppState>, body: Bytes) -> Result<Response, ApiError> {
    test_upsert(&state, Records::Events, &body).await
}
