//! Saved segments and journeys: `GET/POST /{segments,journeys}` and
//! `GET/PUT/DELETE /{segments,journeys}/{id}`, with versions, strong ETags, `If-Match`
//! (428 without it, 412 when stale) and `Idempotency-Key` on `POST`.

use axum::body::Bytes;
use axum::extract::{Extension, Path, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Utc};
use crm_lens::model::{DefinitionInput, DefinitionKind, SavedDefinition};
use deadpool_postgres::GenericClient;
use tokio_postgres::error::SqlState;
use tokio_postgres::Row;

use crate::etag::{etag_of, fnv64, json_read, json_with_etag, IfMatch};
use crate::paging;
use crate::problem::ApiError;
use crate::records::{query_map, QueryParams};
use crate::{validate, AppState};

/// Definitions per page when the client gives no `limit`, and the most per page.
pub const DEFAULT_LIST_SIZE: usize = 100;
pub const MAX_LIST_SIZE: usize = 1000;
/// Longest accepted `Idempotency-Key`.
pub const MAX_KEY_LEN: usize = 255;

const COLUMNS: &str =
    "id, name, description, owner, created_at, updated_at, version, definition::text";

fn kind_str(kind: DefinitionKind) -> &'static str {
    match kind {
        DefinitionKind::Segment => "segment",
        DefinitionKind::Journey => "journey",
    }
}

fn saved(row: &Row) -> Result<SavedDefinition, ApiError> {
    let created: DateTime<Utc> = row.try_get(4)?;
    let updated: DateTime<Utc> = row.try_get(5)?;
    let version: i64 = row.try_get(6)?;
    let definition: String = row.try_get(7)?;
    Ok(SavedDefinition {
        id: row.try_get(0)?,
        name: row.try_get(1)?,
        description: row.try_get(2)?,
        owner: row.try_get(3)?,
        created_at: created.fixed_offset(),
        updated_at: updated.fixed_offset(),
        version: u64::try_from(version).unwrap_or(0),
        definition: serde_json::from_str(&definition).map_err(ApiError::internal)?,
    })
}

fn body_of(def: &SavedDefinition) -> Result<Vec<u8>, ApiError> {
    serde_json::to_vec(def).map_err(ApiError::internal)
}

/// Reads a JSON request body and validates it as a definition.
fn read_input(
    kind: DefinitionKind,
    headers: &HeaderMap,
    body: &[u8],
) -> Result<(DefinitionInput, serde_json::Value), ApiError> {
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let essence = content_type
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    if !(essence == "application/json" || essence.ends_with("+json")) {
        return Err(ApiError::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported-media-type",
            "Unsupported media type",
            format!("send the body as application/json (got {content_type:?})"),
        ));
    }
    let value: serde_json::Value = serde_json::from_slice(body)
        .map_err(|e| ApiError::bad_request(format!("the body is not valid JSON: {e}")))?;
    let input = validate::definition_input(kind, &value).map_err(ApiError::validation)?;
    Ok((input, value))
}

fn precondition_required() -> ApiError {
    ApiError::new(
        StatusCode::PRECONDITION_REQUIRED,
        "precondition-required",
        "If-Match required",
        "send the ETag you last read in If-Match, so a concurrent change is not overwritten",
    )
}

fn precondition_failed(current_etag: &str) -> ApiError {
    ApiError::new(
        StatusCode::PRECONDITION_FAILED,
        "precondition-failed",
        "Changed by someone else",
        "the definition was changed since you read it; read it again and merge",
    )
    .with_header(header::ETAG, current_etag)
}

pub async fn list(
    State(state): State<AppState>,
    Extension(kind): Extension<DefinitionKind>,
    headers: HeaderMap,
    query: QueryParams,
) -> Result<Response, ApiError> {
    let query = query_map(query)?;
    let page = paging::parse(&query, DEFAULT_LIST_SIZE, MAX_LIST_SIZE)?;
    let client = state.pool.get().await?;
    let server_time = match page.server_time {
        Some(t) => t,
        None => crate::db::server_time(&client).await?,
    };
    let limit = i64::try_from(page.limit + 1).unwrap_or(i64::MAX);
    let rows = client
        .query(
            &format!(
                "SELECT {COLUMNS} FROM definitions WHERE kind = $1 AND ($2::text IS NULL OR id > $2) \
                 AND ($3::timestamptz IS NULL OR updated_at >= $3) ORDER BY id LIMIT $4"
            ),
            &[&kind_str(kind), &page.after, &page.since, &limit],
        )
        .await?;
    let mut items = Vec::with_capacity(rows.len());
    for row in &rows {
        let def = saved(row)?;
        let text = String::from_utf8(body_of(&def)?).map_err(ApiError::internal)?;
        items.push((def.id, text));
    }
    Ok(json_read(
        &headers,
        paging::page_body(items, page.limit, server_time),
    ))
}

/// Locks the current row for this transaction and checks that `If-Match` names its version:
/// 404 when there is none, 412 (with the current `ETag`) when it is stale.
async fn current_matching(
    client: &impl GenericClient,
    kind: DefinitionKind,
    id: &str,
    if_match: &IfMatch,
) -> Result<(), ApiError> {
    let current = fetch(client, kind, id, true)
        .await?
        .ok_or_else(|| not_found(kind, id))?;
    let current_etag = etag_of(&body_of(&current)?);
    if if_match.matches(&current_etag) {
        Ok(())
    } else {
        Err(precondition_failed(&current_etag))
    }
}

async fn fetch(
    client: &impl GenericClient,
    kind: DefinitionKind,
    id: &str,
    lock: bool,
) -> Result<Option<SavedDefinition>, ApiError> {
    let sql = format!(
        "SELECT {COLUMNS} FROM definitions WHERE kind = $1 AND id = $2{}",
        if lock { " FOR UPDATE" } else { "" }
    );
    match client.query_opt(&sql, &[&kind_str(kind), &id]).await? {
        Some(row) => Ok(Some(saved(&row)?)),
        None => Ok(None),
    }
}

fn not_found(kind: DefinitionKind, id: &str) -> ApiError {
    ApiError::not_found(&format!("{} {id:?}", kind_str(kind)))
}

pub async fn get_one(
    State(state): State<AppState>,
    Extension(kind): Extension<DefinitionKind>,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let client = state.pool.get().await?;
    let def = fetch(&client, kind, &id, false)
        .await?
        .ok_or_else(|| not_found(kind, &id))?;
    Ok(json_read(&headers, body_of(&def)?))
}

fn created(kind: DefinitionKind, body: Vec<u8>, id: &str, replayed: bool) -> Response {
    let etag = etag_of(&body);
    let mut response = json_with_etag(StatusCode::CREATED, body, &etag);
    let location = format!("/{}/{id}", kind.collection());
    if let Ok(v) = location.parse() {
        response.headers_mut().insert(header::LOCATION, v);
    }
    if replayed {
        response.headers_mut().insert(
            "idempotent-replayed",
            header::HeaderValue::from_static("true"),
        );
    }
    response
}

/// A stored answer to an earlier POST with this key: replay it, or refuse a different body.
async fn replay(
    client: &impl GenericClient,
    kind: DefinitionKind,
    key: &str,
    request_hash: &str,
) -> Result<Option<Response>, ApiError> {
    let row = client
        .query_opt(
            "SELECT request_hash, definition_id, response FROM idempotency_keys WHERE kind = $1 AND key = $2",
            &[&kind_str(kind), &key],
        )
        .await?;
    let Some(row) = row else { return Ok(None) };
    let stored_hash: String = row.try_get(0)?;
    if stored_hash != request_hash {
        return Err(ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "idempotency-key-reused",
            "Idempotency-Key already used",
            "this Idempotency-Key was already used with a different body; use a new key for a new request",
        ));
    }
    let id: String = row.try_get(1)?;
    let response: String = row.try_get(2)?;
    Ok(Some(created(kind, response.into_bytes(), &id, true)))
}

pub async fn create(
    State(state): State<AppState>,
    Extension(kind): Extension<DefinitionKind>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, ApiError> {
    let key = match headers.get("idempotency-key") {
        None => None,
        Some(v) => {
            let key = v.to_str().unwrap_or("").trim().to_string();
            if key.is_empty() || key.len() > MAX_KEY_LEN {
                return Err(ApiError::bad_request(format!(
                    "Idempotency-Key must be 1 to {MAX_KEY_LEN} visible ASCII characters"
                )));
            }
            Some(key)
        }
    };
    let (input, value) = read_input(kind, &headers, &body)?;
    let request_hash = format!("{:016x}", fnv64(value.to_string().as_bytes()));
    let mut client = state.pool.get().await?;
    if let Some(key) = &key {
        if let Some(response) = replay(&client, kind, key, &request_hash).await? {
            return Ok(response);
        }
    }
    let tx = client.transaction().await?;
    let row = tx
        .query_one(
            &format!(
                "INSERT INTO definitions (kind, id, name, description, owner, created_at, updated_at, version, definition) \
                 VALUES ($1, gen_random_uuid()::text, $2, $3, $4, clock_timestamp(), clock_timestamp(), 1, $5::text::jsonb) \
                 RETURNING {COLUMNS}"
            ),
            &[&kind_str(kind), &input.name, &input.description, &state.config.owner, &input.definition.to_string()],
        )
        .await?;
    let def = saved(&row)?;
    let body = body_of(&def)?;
    if let Some(key) = &key {
        tx.execute(
            "DELETE FROM idempotency_keys WHERE created_at < now() - interval '24 hours'",
            &[],
        )
        .await?;
        let text = String::from_utf8(body.clone()).map_err(ApiError::internal)?;
        let stored = tx
            .execute(
                "INSERT INTO idempotency_keys (kind, key, request_hash, definition_id, response) VALUES ($1, $2, $3, $4, $5)",
                &[&kind_str(kind), key, &request_hash, &def.id, &text],
            )
            .await;
        if let Err(e) = stored {
            // The same key arrived twice at once: the other request won; answer as it did.
            if e.code() == Some(&SqlState::UNIQUE_VIOLATION) {
                drop(tx);
                if let Some(response) = replay(&client, kind, key, &request_hash).await? {
                    return Ok(response);
                }
            }
            return Err(e.into());
        }
    }
    tx.commit().await?;
    Ok(created(kind, body, &def.id, false))
}

pub async fn update(
    State(state): State<AppState>,
    Extension(kind): Extension<DefinitionKind>,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, ApiError> {
    let if_match = IfMatch::from_headers(&headers);
    if if_match == IfMatch::Missing {
        return Err(precondition_required());
    }
    let (input, _) = read_input(kind, &headers, &body)?;
    let mut client = state.pool.get().await?;
    let tx = client.transaction().await?;
    current_matching(&tx, kind, &id, &if_match).await?;
    let row = tx
        .query_one(
            &format!(
                "UPDATE definitions SET name = $3, description = $4, definition = $5::text::jsonb, \
                 version = version + 1, updated_at = GREATEST(clock_timestamp(), updated_at + interval '1 microsecond') \
                 WHERE kind = $1 AND id = $2 RETURNING {COLUMNS}"
            ),
            &[&kind_str(kind), &id, &input.name, &input.description, &input.definition.to_string()],
        )
        .await?;
    let def = saved(&row)?;
    tx.commit().await?;
    let body = body_of(&def)?;
    let etag = etag_of(&body);
    Ok(json_with_etag(StatusCode::OK, body, &etag))
}

pub async fn delete(
    State(state): State<AppState>,
    Extension(kind): Extension<DefinitionKind>,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let if_match = IfMatch::from_headers(&headers);
    if if_match == IfMatch::Missing {
        return Err(precondition_required());
    }
    let mut client = state.pool.get().await?;
    let tx = client.transaction().await?;
    current_matching(&tx, kind, &id, &if_match).await?;
    tx.execute(
        "DELETE FROM definitions WHERE kind = $1 AND id = $2",
        &[&kind_str(kind), &id],
    )
    .await?;
    tx.commit().await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}
