//! Unsaved edits kept in browser storage and offered back after a reload, a crash or going
//! offline. A draft holds the definition being edited and nothing else: never a token, a cookie
//! or any other credential.

use chrono::{DateTime, FixedOffset};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::model::DefinitionKind;

/// One editor's unsaved work.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Draft {
    pub kind: DefinitionKind,
    /// The saved definition it started from, if any.
    #[serde(default)]
    pub saved_id: Option<String>,
    /// That definition's version when the edit started.
    #[serde(default)]
    pub base_version: Option<u64>,
    pub name: String,
    pub definition: Value,
    pub saved_at: DateTime<FixedOffset>,
}

/// The browser-storage key of the draft of one editor (`scope` names the editor, such as
/// `segments`); one draft per editor.
pub fn draft_key(scope: &str) -> String {
    format!("crm-lens:draft:{scope}")
}

impl Draft {
    /// The JSON kept in storage.
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }

    /// Whether restoring it would change the editor (same name and definition: nothing to offer).
    pub fn differs_from(&self, name: &str, definition: &Value) -> bool {
        self.name != name || &self.definition != definition
    }

    /// Whether the saved definition it started from has a newer version now (`current`):
    /// saving the draft would then overwrite someone's change, so the user must choose.
    pub fn is_stale(&self, current: u64) -> bool {
        self.base_version.is_some_and(|base| base != current)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sync_policy::wire::parse_draft;

    fn draft() -> Draft {
        Draft {
            kind: DefinitionKind::Segment,
            saved_id: Some("s1".into()),
            base_version: Some(2),
            name: "VIP".into(),
            definition: serde_json::json!({"rule": "all", "rules": []}),
            saved_at: DateTime::parse_from_rfc3339("2026-12-07T21:00:00+09:00").expect("valid"),
        }
    }

    #[test]
    fn a_draft_round_trips_and_holds_only_the_definition() {
        let d = draft();
        let json = d.to_json();
        assert_eq!(parse_draft(json.as_bytes()).expect("valid"), d);
        let value: Value = serde_json::from_str(&json).expect("json");
        let mut keys: Vec<_> = value.as_object().expect("object").keys().cloned().collect();
        keys.sort();
        assert_eq!(
            keys,
            [
                "base_version",
                "definition",
                "kind",
                "name",
                "saved_at",
                "saved_id"
            ]
        );
        assert!(!json.to_lowercase().contains("token"));
    }

    #[test]
    fn unknown_fields_and_wrong_types_are_refused() {
        let mut value: Value = serde_json::from_str(&draft().to_json()).expect("json");
        value["token"] = Value::from("secret");
        assert!(parse_draft(value.to_string().as_bytes()).is_err());
        let err = parse_draft(br#"{"kind":"segment","name":5}"#).expect_err("bad");
        assert_eq!(err.path, "draft.name");
    }

    #[test]
    fn differs_only_when_restoring_changes_something() {
        let d = draft();
        assert!(!d.differs_from("VIP", &d.definition));
        assert!(d.differs_from("VIP 2", &d.definition));
        assert!(d.differs_from("VIP", &Value::Null));
        assert_eq!(draft_key("segments"), "crm-lens:draft:segments");
    }

    #[test]
    fn stale_only_when_the_saved_version_moved_on() {
        let d = draft();
        assert!(!d.is_stale(2));
        assert!(d.is_stale(3));
        let new_item = Draft {
            saved_id: None,
            base_version: None,
            ..draft()
        };
        assert!(!new_item.is_stale(7));
    }
}
