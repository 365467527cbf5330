//! Saved segments and journeys: the one store every editor uses, provided by the app
//! ([`provide_definitions`]) and read with [`use_definitions`].
//!
//! With a backend (`data-api` / `config.json` `api`) it speaks the contract: `GET/POST
//! /segments`, `GET/PUT/DELETE /segments/{id}` (and `/journeys`), `If-Match` on every write, an
//! `Idempotency-Key` on every create. In demo mode it keeps them in this browser's
//! `localStorage` with the same version checks, so two tabs conflict exactly as two people on a
//! backend do. Either way a stale write is a [`SyncError::Conflict`] carrying the current version:
//! nothing is ever overwritten without the user choosing to.
//!
//! ```ignore
//! let defs = use_definitions();
//! let created = defs.create(DefinitionKind::Segment, DefinitionInput { name, description, definition }).await?;
//! match defs.update(DefinitionKind::Segment, &created, changed_input).await {
//!     Err(SyncError::Conflict { current }) => { /* show current.saved beside mine */ }
//!     other => { /* … */ }
//! }
//! ```

use chrono::{DateTime, FixedOffset};
use leptos::prelude::*;

use crate::config::DataSource;
use crate::model::{DefinitionInput, DefinitionKind, Problem, SavedDefinition};
use crate::sync_policy::local_definitions::{etag_of, storage_key, LocalDefinitions, LocalError};
use crate::sync_policy::retry::Method;
use crate::sync_policy::wire::{parse_definition, parse_definition_list};

use super::http::{now_utc, send, Request, Response};
use super::storage::{on_window_event, online_signal, until_online, BrowserStorage};
use super::SyncError;

/// A saved definition with the strong `ETag` of the version it was read at.
#[derive(Debug, Clone, PartialEq)]
pub struct Versioned {
    pub saved: SavedDefinition,
    pub etag: String,
}

impl Versioned {
    /// The input that saves this item unchanged (rename and copy start from it).
    pub fn input(&self) -> DefinitionInput {
        DefinitionInput {
            name: self.saved.name.clone(),
            description: self.saved.description.clone(),
            definition: self.saved.definition.clone(),
        }
    }
}

/// The saved-definitions store (cheap to copy).
#[derive(Clone, Copy)]
pub struct Definitions {
    api: StoredValue<Option<String>>,
    /// Bumped after every change made here, or in another tab (demo mode): lists re-read on it.
    pub changed: RwSignal<u32>,
    /// The browser's connection state; backend writes wait for it.
    pub online: RwSignal<bool>,
}

/// Creates the store for the data source and provides it to everything below.
pub fn provide_definitions(source: &DataSource) -> Definitions {
    let api = match source {
        DataSource::Demo => None,
        DataSource::Backend(api) => Some(api.trim_end_matches('/').to_owned()),
    };
    let demo = api.is_none();
    let definitions = Definitions {
        api: StoredValue::new(api),
        changed: RwSignal::new(0),
        online: online_signal(),
    };
    if demo {
        // Another tab saved: re-read the lists.
        let changed = definitions.changed;
        on_window_event("storage", move |event| {
            let key = wasm_bindgen::JsCast::dyn_ref::<web_sys::StorageEvent>(&event)
                .and_then(|e| e.key());
            if key.is_none_or(|k| k.starts_with("crm-lens:saved:")) {
                let _ = changed.try_update(|n| *n += 1);
            }
        });
    }
    provide_context(definitions);
    definitions
}

/// The store provided by the app.
pub fn use_definitions() -> Definitions {
    expect_context::<Definitions>()
}

/// A random token for ids and idempotency keys.
pub fn random_token() -> String {
    let a = (js_sys::Math::random() * 4_294_967_296.0) as u64;
    let b = (js_sys::Math::random() * 4_294_967_296.0) as u64;
    format!("{:x}{a:08x}{b:08x}", js_sys::Date::now() as u64)
}

fn now() -> DateTime<FixedOffset> {
    now_utc().fixed_offset()
}

fn local_error(kind: DefinitionKind, id: &str, error: LocalError) -> SyncError {
    match error {
        LocalError::Conflict(current) => SyncError::Conflict {
            current: Box::new(Versioned {
                etag: etag_of(current.version),
                saved: *current,
            }),
        },
        LocalError::NotFound => SyncError::NotFound {
            url: format!("{}/{id}", kind.collection()),
        },
        LocalError::Invalid(errors) => SyncError::Problem {
            url: kind.collection().to_owned(),
            status: 422,
            problem: Problem {
                problem_type: None,
                title: "Invalid".into(),
                status: 422,
                detail: None,
                instance: None,
                errors,
            },
        },
        LocalError::Unreadable(detail) | LocalError::Storage(detail) => {
            SyncError::Storage { detail }
        }
    }
}

fn local_versioned(saved: SavedDefinition) -> Versioned {
    Versioned {
        etag: etag_of(saved.version),
        saved,
    }
}

/// A definition answer with its `ETag` (or the version's, if the header is not exposed).
fn versioned(response: Response) -> Result<Versioned, SyncError> {
    let saved = parse_definition(&response.body)?;
    let etag = response
        .header("etag")
        .map(str::to_owned)
        .unwrap_or_else(|| etag_of(saved.version));
    Ok(Versioned { saved, etag })
}

impl Definitions {
    /// True in demo mode: items are "saved in this browser".
    pub fn in_browser(self) -> bool {
        self.api.with_value(Option::is_none)
    }

    fn api(self) -> Option<String> {
        self.api.try_get_value().flatten()
    }

    fn bump(self) {
        let _ = self.changed.try_update(|n| *n += 1);
    }

    fn with_local<T>(
        kind: DefinitionKind,
        id: &str,
        op: impl FnOnce(&LocalDefinitions<BrowserStorage>) -> Result<T, LocalError>,
    ) -> Result<T, SyncError> {
        let storage = BrowserStorage::open().map_err(|detail| SyncError::Storage { detail })?;
        op(&LocalDefinitions::new(&storage, kind)).map_err(|e| local_error(kind, id, e))
    }

    /// Every saved item of `kind`, most recently updated first in demo mode, in the backend's
    /// order otherwise (all pages).
    pub async fn list(self, kind: DefinitionKind) -> Result<Vec<SavedDefinition>, SyncError> {
        let Some(api) = self.api() else {
            return Self::with_local(kind, "", |store| store.list());
        };
        let first = format!("{api}/{}", kind.collection());
        let mut items = Vec::new();
        let mut url = first.clone();
        for _ in 0..1000 {
            let response = send(&Request::get(&url).credentials(true), None)
                .await?
                .success()?;
            let page = parse_definition_list(&response.body)?;
            items.extend(page.data);
            match page.next_cursor {
                Some(cursor) => {
                    url = format!("{first}?cursor={}", super::loader::encode_query(&cursor))
                }
                None => break,
            }
        }
        Ok(items)
    }

    /// One item with its current ETag.
    pub async fn get(self, kind: DefinitionKind, id: &str) -> Result<Versioned, SyncError> {
        let Some(api) = self.api() else {
            return Self::with_local(kind, id, |store| store.get(id)).map(local_versioned);
        };
        let url = item_url(&api, kind, id);
        versioned(
            send(&Request::get(url).credentials(true), None)
                .await?
                .success()?,
        )
    }

    /// Saves a new item (version 1). With a backend the `POST` carries an `Idempotency-Key`,
    /// so a retry after a lost answer cannot create it twice. Waits while offline.
    pub async fn create(
        self,
        kind: DefinitionKind,
        input: DefinitionInput,
    ) -> Result<Versioned, SyncError> {
        self.create_keyed(kind, input, random_token()).await
    }

    /// [`Self::create`] with the caller's `Idempotency-Key`: "Try again" after an unreadable
    /// answer sends the same key, so a create the server already made is answered, not repeated.
    pub async fn create_keyed(
        self,
        kind: DefinitionKind,
        input: DefinitionInput,
        idempotency_key: String,
    ) -> Result<Versioned, SyncError> {
        let result = match self.api() {
            None => {
                let id = format!("local-{}", random_token());
                Self::with_local(kind, &id.clone(), |store| store.create(id, input, now()))
                    .map(local_versioned)
            }
            Some(api) => {
                until_online().await;
                let request = Request::new(Method::Post, format!("{api}/{}", kind.collection()))
                    .credentials(true)
                    .json(&input)
                    .idempotency_key(idempotency_key);
                versioned(send(&request, None).await?.success()?)
            }
        };
        if result.is_ok() {
            self.bump();
        }
        result
    }

    /// Replaces `base` with `input` if nobody saved a newer version meanwhile (`If-Match`).
    /// A stale base is a [`SyncError::Conflict`] carrying the current version. Waits while
    /// offline.
    pub async fn update(
        self,
        kind: DefinitionKind,
        base: &Versioned,
        input: DefinitionInput,
    ) -> Result<Versioned, SyncError> {
        let id = base.saved.id.as_str();
        let result = match self.api() {
            None => Self::with_local(kind, id, |store| {
                store.update(id, input, base.saved.version, now())
            })
            .map(local_versioned),
            Some(api) => {
                until_online().await;
                let url = item_url(&api, kind, id);
                let request = Request::new(Method::Put, &url)
                    .credentials(true)
                    .header("If-Match", base.etag.clone())
                    .json(&input);
                let response = send(&request, None).await?;
                if response.status == 412 {
                    match self.conflict(kind, &api, id).await {
                        // The current version already is this input (an earlier attempt was
                        // applied, its answer lost): nothing to choose between.
                        SyncError::Conflict { current } if current.input() == input => Ok(*current),
                        error => Err(error),
                    }
                } else {
                    versioned(response.success()?)
                }
            }
        };
        if result.is_ok() {
            self.bump();
        }
        result
    }

    /// Deletes `base` if nobody saved a newer version meanwhile (`If-Match`); a stale base is a
    /// [`SyncError::Conflict`] with the current version. Waits while offline.
    pub async fn delete(self, kind: DefinitionKind, base: &Versioned) -> Result<(), SyncError> {
        let id = base.saved.id.as_str();
        let result = match self.api() {
            None => Self::with_local(kind, id, |store| store.delete(id, base.saved.version)),
            Some(api) => {
                until_online().await;
                let url = item_url(&api, kind, id);
                let request = Request::new(Method::Delete, &url)
                    .credentials(true)
                    .header("If-Match", base.etag.clone());
                let response = send(&request, None).await?;
                if response.status == 412 {
                    Err(self.conflict(kind, &api, id).await)
                } else {
                    response.success().map(|_| ())
                }
            }
        };
        if result.is_ok() {
            self.bump();
        }
        result
    }

    /// Renames `base`, keeping its definition (an update, so it conflicts like one).
    pub async fn rename(
        self,
        kind: DefinitionKind,
        base: &Versioned,
        name: String,
    ) -> Result<Versioned, SyncError> {
        let mut input = base.input();
        input.name = name;
        self.update(kind, base, input).await
    }

    /// Saves a copy of `source` under `name` (a new item).
    pub async fn duplicate(
        self,
        kind: DefinitionKind,
        source: &SavedDefinition,
        name: String,
    ) -> Result<Versioned, SyncError> {
        let input = DefinitionInput {
            name,
            description: source.description.clone(),
            definition: source.definition.clone(),
        };
        self.create(kind, input).await
    }

    /// After a 412: the current version, to show beside the user's.
    async fn conflict(self, kind: DefinitionKind, api: &str, id: &str) -> SyncError {
        let url = item_url(api, kind, id);
        match send(&Request::get(&url).credentials(true), None).await {
            Ok(response) if response.is_success() => match versioned(response) {
                Ok(current) => SyncError::Conflict {
                    current: Box::new(current),
                },
                Err(error) => error,
            },
            Ok(response) => response.error(),
            Err(error) => error,
        }
    }
}

fn item_url(api: &str, kind: DefinitionKind, id: &str) -> String {
    format!(
        "{api}/{}/{}",
        kind.collection(),
        super::loader::encode_query(id)
    )
}

/// The storage key of one kind's saved list in demo mode (for tests and diagnostics).
pub fn local_key(kind: DefinitionKind) -> String {
    storage_key(kind)
}
