//! Validation of a saved definition's body (`POST` / `PUT` on `/segments` and `/journeys`):
//! every bad field becomes a [`FieldProblem`] with a JSON Pointer (RFC 6901) into the body.

use crm_lens::engine::filter::EventFilter;
use crm_lens::engine::segment_rule::{Comparison, Rule, Span, Window};
use crm_lens::model::{DefinitionInput, DefinitionKind, FieldProblem};
use serde_json::Value;

/// Longest accepted name, in characters.
pub const MAX_NAME_CHARS: usize = 200;
/// Longest accepted description, in characters.
pub const MAX_DESCRIPTION_CHARS: usize = 5000;

/// Escapes one reference token of a JSON Pointer (`~` → `~0`, `/` → `~1`).
pub fn pointer_token(token: &str) -> String {
    token.replace('~', "~0").replace('/', "~1")
}

/// Checks a segment rule at `pointer`, descending into `all` / `any` / `none` groups, so a bad
/// rule is pointed at where it is (serde's tagged enums cannot report the path themselves).
fn check_rule(value: &Value, pointer: &str, errors: &mut Vec<FieldProblem>) {
    let Some(obj) = value.as_object() else {
        errors.push(field(
            pointer,
            "a segment rule must be an object with a `rule` member",
        ));
        return;
    };
    match obj.get("rule").and_then(Value::as_str) {
        None => errors.push(field(
            &format!("{pointer}/rule"),
            "`rule` is required: all, any, none, attribute, performed, not_performed, sequence, \
             not_followed_by, first_performed, last_performed, aggregate or segment",
        )),
        Some("all" | "any" | "none") => match obj.get("rules") {
            Some(Value::Array(items)) => {
                for (i, item) in items.iter().enumerate() {
                    check_rule(item, &format!("{pointer}/rules/{i}"), errors);
                }
            }
            _ => errors.push(field(
                &format!("{pointer}/rules"),
                "`rules` must be an array of rules",
            )),
        },
        Some(_) => {
            // The members most often wrong get their own pointer; anything else points at the rule.
            let before = errors.len();
            for (key, check) in LEAF_MEMBERS {
                if let Some(member) = obj.get(*key) {
                    if let Err(e) = check(member) {
                        errors.push(field(
                            &format!("{pointer}/{key}"),
                            format!("invalid {key}: {e}"),
                        ));
                    }
                }
            }
            if errors.len() == before {
                if let Err(e) = serde_json::from_value::<Rule>(value.clone()) {
                    errors.push(field(pointer, format!("not a valid segment rule: {e}")));
                }
            }
        }
    }
}

type MemberCheck = fn(&Value) -> Result<(), serde_json::Error>;

fn parses<T: serde::de::DeserializeOwned>(v: &Value) -> Result<(), serde_json::Error> {
    T::deserialize(v).map(|_| ())
}

const LEAF_MEMBERS: &[(&str, MemberCheck)] = &[
    ("event", parses::<EventFilter>),
    ("first", parses::<EventFilter>),
    ("then", parses::<EventFilter>),
    ("window", parses::<Window>),
    ("within", parses::<Span>),
    ("count", parses::<Comparison>),
];

fn field(pointer: &str, detail: impl Into<String>) -> FieldProblem {
    FieldProblem {
        pointer: pointer.to_string(),
        detail: detail.into(),
    }
}

/// Checks a request body; `Ok` holds the input to store, `Err` every problem found.
pub fn definition_input(
    kind: DefinitionKind,
    body: &Value,
) -> Result<DefinitionInput, Vec<FieldProblem>> {
    let Some(obj) = body.as_object() else {
        return Err(vec![field(
            "",
            "the body must be a JSON object with name, description and definition",
        )]);
    };
    let mut errors = Vec::new();
    let name = match obj.get("name") {
        None | Some(Value::Null) => {
            errors.push(field("/name", "name is required"));
            String::new()
        }
        Some(Value::String(s)) if s.trim().is_empty() => {
            errors.push(field("/name", "name must not be empty"));
            String::new()
        }
        Some(Value::String(s)) if s.chars().count() > MAX_NAME_CHARS => {
            errors.push(field(
                "/name",
                format!("name must be at most {MAX_NAME_CHARS} characters"),
            ));
            String::new()
        }
        Some(Value::String(s)) => s.trim().to_string(),
        Some(_) => {
            errors.push(field("/name", "name must be a string"));
            String::new()
        }
    };
    let description = match obj.get("description") {
        None | Some(Value::Null) => String::new(),
        Some(Value::String(s)) if s.chars().count() > MAX_DESCRIPTION_CHARS => {
            errors.push(field(
                "/description",
                format!("description must be at most {MAX_DESCRIPTION_CHARS} characters"),
            ));
            String::new()
        }
        Some(Value::String(s)) => s.clone(),
        Some(_) => {
            errors.push(field("/description", "description must be a string"));
            String::new()
        }
    };
    let definition = obj.get("definition").cloned().unwrap_or(Value::Null);
    match (&definition, kind) {
        (Value::Null, _) => errors.push(field("/definition", "definition is required")),
        (Value::Object(_), DefinitionKind::Segment) => {
            let before = errors.len();
            check_rule(&definition, "/definition", &mut errors);
            if errors.len() == before {
                if let Err(e) = serde_json::from_value::<Rule>(definition.clone()) {
                    errors.push(field(
                        "/definition",
                        format!("not a valid segment rule: {e}"),
                    ));
                }
            }
        }
        (Value::Object(_), DefinitionKind::Journey) => {}
        (_, DefinitionKind::Segment) => errors.push(field(
            "/definition",
            "definition must be a segment rule object",
        )),
        (_, DefinitionKind::Journey) => {
            errors.push(field("/definition", "definition must be a journey object"))
        }
    }
    if errors.is_empty() {
        Ok(DefinitionInput {
            name,
            description,
            definition,
        })
    } else {
        Err(errors)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn pointers(kind: DefinitionKind, body: Value) -> Vec<String> {
        definition_input(kind, &body)
            .expect_err("invalid")
            .into_iter()
            .map(|f| f.pointer)
            .collect()
    }

    #[test]
    fn a_valid_segment_passes_and_the_name_is_trimmed() {
        let body = json!({"name": " Lapsed ", "definition": {"rule": "all", "rules": [
            {"rule": "performed", "event": {"event": "visit"}, "window": {"last_days": 90}},
            {"rule": "not_performed", "event": {"event": "visit"}, "window": {"last_days": 14}}]}});
        let input = definition_input(DefinitionKind::Segment, &body).expect("valid");
        assert_eq!(input.name, "Lapsed");
        assert_eq!(input.description, "");
    }

    #[test]
    fn every_bad_field_is_reported_with_its_pointer() {
        assert_eq!(
            pointers(
                DefinitionKind::Segment,
                json!({"name": 5, "description": [], "definition": "x"})
            ),
            ["/name", "/description", "/definition"]
        );
        assert_eq!(
            pointers(DefinitionKind::Journey, json!({"name": "  "})),
            ["/name", "/definition"]
        );
        assert_eq!(pointers(DefinitionKind::Journey, json!([1])), [""]);
    }

    #[test]
    fn a_bad_rule_deep_in_a_group_is_pointed_at() {
        let body = json!({"name": "x", "definition": {"rule": "all", "rules": [
            {"rule": "performed", "event": {"event": "visit"}},
            {"rule": "any", "rules": [{"rule": "performed", "event": {"event": "visit"}, "window": 7}]}]}});
        let found = pointers(DefinitionKind::Segment, body);
        assert_eq!(found, ["/definition/rules/1/rules/0/window"]);
        let unknown =
            json!({"name": "x", "definition": {"rule": "all", "rules": [{"rule": "sometimes"}]}});
        assert_eq!(
            pointers(DefinitionKind::Segment, unknown),
            ["/definition/rules/0"]
        );
        let no_rules = json!({"name": "x", "definition": {"rule": "any"}});
        assert_eq!(
            pointers(DefinitionKind::Segment, no_rules),
            ["/definition/rules"]
        );
        let no_tag = json!({"name": "x", "definition": {"rules": []}});
        assert_eq!(
            pointers(DefinitionKind::Segment, no_tag),
            ["/definition/rule"]
        );
        let bad_event =
            json!({"name": "x", "definition": {"rule": "performed", "event": {"name": "visit"}}});
        assert_eq!(
            pointers(DefinitionKind::Segment, bad_event),
            ["/definition/event"]
        );
    }

    #[test]
    fn journeys_accept_any_object() {
        let body = json!({"name": "Welcome", "definition": {"nodes": [], "anything": true}});
        assert!(definition_input(DefinitionKind::Journey, &body).is_ok());
    }

    #[test]
    fn pointer_tokens_are_escaped() {
        assert_eq!(pointer_token("a/b~c"), "a~1b~0c");
    }
}
