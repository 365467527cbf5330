//! Saved segments and journeys kept in this browser (demo mode), with the contract's version
//! semantics: every update and delete names the version it started from, and a stale one is a
//! conflict carrying the current version, so two tabs editing the same item never silently
//! overwrite each other.
//!
//! Storage is any [`KeyValue`] (the browser's `localStorage` in the app, a map in tests). Each
//! kind is one JSON array under [`storage_key`], read afresh for every operation.

use chrono::{DateTime, FixedOffset};

use crate::model::{DefinitionInput, DefinitionKind, FieldProblem, SavedDefinition};

use super::wire::parse_stored_list;

/// A string store such as `localStorage`.
pub trait KeyValue {
    fn read(&self, key: &str) -> Result<Option<String>, String>;
    fn write(&self, key: &str, value: &str) -> Result<(), String>;
}

/// Why a local operation failed.
#[derive(Debug, Clone, PartialEq)]
pub enum LocalError {
    /// The item changed since `expected_version`: here is the current one.
    Conflict(Box<SavedDefinition>),
    /// No item with this id (deleted meanwhile).
    NotFound,
    /// The input is not acceptable (same checks as the backend's 422).
    Invalid(Vec<FieldProblem>),
    /// What is stored is not readable; nothing is overwritten.
    Unreadable(String),
    /// The storage refused (full, disabled).
    Storage(String),
}

/// The storage key of one kind's list.
pub fn storage_key(kind: DefinitionKind) -> String {
    format!("crm-lens:saved:{}", kind.collection())
}

/// The strong ETag of a version, as the local store and the contract's examples write it.
pub fn etag_of(version: u64) -> String {
    format!("\"{version}\"")
}

/// The checks every backend makes too: a name, at most 200 characters; a definition object.
pub fn validate(input: &DefinitionInput) -> Result<(), Vec<FieldProblem>> {
    let mut problems = Vec::new();
    let name = input.name.trim();
    if name.is_empty() {
        problems.push(FieldProblem {
            pointer: "/name".into(),
            detail: "must not be empty".into(),
        });
    } else if name.chars().count() > 200 {
        problems.push(FieldProblem {
            pointer: "/name".into(),
            detail: "must be at most 200 characters".into(),
        });
    }
    if !input.definition.is_object() {
        problems.push(FieldProblem {
            pointer: "/definition".into(),
            detail: "must be an object".into(),
        });
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems)
    }
}

/// One kind's saved definitions in a [`KeyValue`] store.
pub struct LocalDefinitions<'a, S: KeyValue> {
    store: &'a S,
    kind: DefinitionKind,
}

impl<'a, S: KeyValue> LocalDefinitions<'a, S> {
    pub fn new(store: &'a S, kind: DefinitionKind) -> Self {
        LocalDefinitions { store, kind }
    }

    /// Every saved item, most recently updated first.
    pub fn list(&self) -> Result<Vec<SavedDefinition>, LocalError> {
        let mut items = self.read()?;
        items.sort_by(|a, b| b.updated_at.cmp(&a.updated_at).then(a.id.cmp(&b.id)));
        Ok(items)
    }

    pub fn get(&self, id: &str) -> Result<SavedDefinition, LocalError> {
        self.read()?
            .into_iter()
            .find(|d| d.id == id)
            .ok_or(LocalError::NotFound)
    }

    /// Saves a new item with version 1 under `id` (chosen by the caller, unique).
    pub fn create(
        &self,
        id: String,
        input: DefinitionInput,
        now: DateTime<FixedOffset>,
    ) -> Result<SavedDefinition, LocalError> {
        validate(&input).map_err(LocalError::Invalid)?;
        let mut items = self.read()?;
        let saved = SavedDefinition {
            id,
            name: input.name.trim().to_owned(),
            description: input.description,
            owner: None,
            created_at: now,
            updated_at: now,
            version: 1,
            definition: input.definition,
        };
        items.push(saved.clone());
        self.write(&items)?;
        Ok(saved)
    }

    /// Replaces the item if it is still at `expected_version`; its version grows by one.
    pub fn update(
        &self,
        id: &str,
        input: DefinitionInput,
        expected_version: u64,
        now: DateTime<FixedOffset>,
    ) -> Result<SavedDefinition, LocalError> {
        validate(&input).map_err(LocalError::Invalid)?;
        let mut items = self.read()?;
        let item = items
            .iter_mut()
            .find(|d| d.id == id)
            .ok_or(LocalError::NotFound)?;
        if item.version != expected_version {
            return Err(LocalError::Conflict(Box::new(item.clone())));
        }
        item.name = input.name.trim().to_owned();
        item.description = input.description;
        item.definition = input.definition;
        item.updated_at = now.max(item.created_at);
        item.version += 1;
        let saved = item.clone();
        self.write(&items)?;
        Ok(saved)
    }

    /// Deletes the item if it is still at `expected_version`.
    pub fn delete(&self, id: &str, expected_version: u64) -> Result<(), LocalError> {
        let mut items = self.read()?;
        let at = items
            .iter()
            .position(|d| d.id == id)
            .ok_or(LocalError::NotFound)?;
        if items[at].version != expected_version {
            return Err(LocalError::Conflict(Box::new(items[at].clone())));
        }
        items.remove(at);
        self.write(&items)
    }

    fn read(&self) -> Result<Vec<SavedDefinition>, LocalError> {
        match self
            .store
            .read(&storage_key(self.kind))
            .map_err(LocalError::Storage)?
        {
            None => Ok(Vec::new()),
            Some(text) => parse_stored_list(text.as_bytes())
                .map_err(|e| LocalError::Unreadable(e.to_string())),
        }
    }

    fn write(&self, items: &[SavedDefinition]) -> Result<(), LocalError> {
        let json = serde_json::to_string(items).map_err(|e| LocalError::Storage(e.to_string()))?;
        self.store
            .write(&storage_key(self.kind), &json)
            .map_err(LocalError::Storage)
    }
}

#[cfg(test)]
mod tests {
    use std::cell::RefCell;
    use std::collections::HashMap;

    use super::*;
    use serde_json::json;

    #[derive(Default)]
    struct Map(RefCell<HashMap<String, String>>);

    impl KeyValue for Map {
        fn read(&self, key: &str) -> Result<Option<String>, String> {
            Ok(self.0.borrow().get(key).cloned())
        }
        fn write(&self, key: &str, value: &str) -> Result<(), String> {
            self.0.borrow_mut().insert(key.into(), value.into());
            Ok(())
        }
    }

    fn at(minute: u32) -> DateTime<FixedOffset> {
        DateTime::parse_from_rfc3339(&format!("2026-12-07T12:{minute:02}:00+09:00")).expect("valid")
    }

    fn input(name: &str, n: u32) -> DefinitionInput {
        DefinitionInput {
            name: name.into(),
            description: String::new(),
            definition: json!({"rule": "attribute", "attribute": "$id", "op": "eq", "value": format!("c{n}")}),
        }
    }

    #[test]
    fn create_list_update_delete_with_versions() {
        let map = Map::default();
        let store = LocalDefinitions::new(&map, DefinitionKind::Segment);
        assert_eq!(store.list(), Ok(vec![]));
        let a = store
            .create("a".into(), input(" VIP ", 1), at(0))
            .expect("saved");
        assert_eq!((a.version, a.name.as_str()), (1, "VIP"));
        let b = store
            .create("b".into(), input("Lapsed", 2), at(1))
            .expect("saved");
        assert_eq!(store.list().expect("list"), vec![b.clone(), a.clone()]);

        let a2 = store
            .update("a", input("VIP 2", 3), 1, at(2))
            .expect("updated");
        assert_eq!((a2.version, a2.updated_at), (2, at(2)));
        assert_eq!(a2.created_at, at(0));
        assert_eq!(store.get("a"), Ok(a2.clone()));
        assert_eq!(store.list().expect("list")[0].id, "a");

        store.delete("b", 1).expect("deleted");
        assert_eq!(store.get("b"), Err(LocalError::NotFound));
        assert_eq!(store.list().expect("list"), vec![a2]);
        // Journeys are kept apart.
        assert_eq!(
            LocalDefinitions::new(&map, DefinitionKind::Journey).list(),
            Ok(vec![])
        );
    }

    #[test]
    fn two_tabs_editing_the_same_item_conflict_instead_of_overwriting() {
        let map = Map::default();
        let tab1 = LocalDefinitions::new(&map, DefinitionKind::Segment);
        let tab2 = LocalDefinitions::new(&map, DefinitionKind::Segment);
        let saved = tab1
            .create("s".into(), input("VIP", 1), at(0))
            .expect("saved");
        // Both opened version 1; tab 2 saves first.
        let theirs = tab2
            .update("s", input("VIP (tab 2)", 2), saved.version, at(1))
            .expect("first save wins");
        let conflict = tab1
            .update("s", input("VIP (tab 1)", 3), saved.version, at(2))
            .expect_err("stale");
        assert_eq!(conflict, LocalError::Conflict(Box::new(theirs.clone())));
        // Nothing was overwritten; overwriting with consent names their version.
        assert_eq!(tab1.get("s"), Ok(theirs.clone()));
        let mine = tab1
            .update("s", input("VIP (tab 1)", 3), theirs.version, at(3))
            .expect("overwrite with consent");
        assert_eq!(mine.version, 3);
        // A stale delete conflicts too.
        assert!(matches!(
            tab2.delete("s", theirs.version),
            Err(LocalError::Conflict(_))
        ));
        assert_eq!(
            tab2.update("x", input("x", 1), 1, at(4)),
            Err(LocalError::NotFound)
        );
    }

    #[test]
    fn invalid_input_and_unreadable_storage_are_errors_that_overwrite_nothing() {
        let map = Map::default();
        let store = LocalDefinitions::new(&map, DefinitionKind::Segment);
        let Err(LocalError::Invalid(problems)) = store.create("a".into(), input("  ", 1), at(0))
        else {
            panic!("empty name")
        };
        assert_eq!(problems[0].pointer, "/name");
        let mut bad = input("x", 1);
        bad.definition = json!([1]);
        assert!(matches!(
            store.create("a".into(), bad, at(0)),
            Err(LocalError::Invalid(p)) if p[0].pointer == "/definition"
        ));

        map.write(&storage_key(DefinitionKind::Segment), "[{\"id\":")
            .expect("write");
        assert!(matches!(store.list(), Err(LocalError::Unreadable(_))));
        assert!(matches!(
            store.create("a".into(), input("x", 1), at(0)),
            Err(LocalError::Unreadable(_))
        ));
        assert_eq!(
            map.read(&storage_key(DefinitionKind::Segment)),
            Ok(Some("[{\"id\":".into()))
        );
    }

    #[test]
    fn etags_quote_the_version() {
        assert_eq!(etag_of(7), "\"7\"");
    }
}
