//! A saved segment as analysis views use it, and the one way a view turns its segment filter key
//! (a DOMAIN template id or `saved:ID`) into the rule the engine takes.

use crate::engine::segment_rule::Rule;
use crate::engine::segment_templates::template;

/// A saved segment whose definition is a readable rule.
#[derive(Debug, Clone, PartialEq)]
pub struct SavedSegment {
    pub id: String,
    pub name: String,
    pub rule: Rule,
    /// Unix seconds of the last save.
    pub updated_at: i64,
}

/// The rule of a segment filter key: `None` for everyone, a template's rule for its id, a saved
/// segment's for `saved:ID`; `Err(id)` when that saved segment (or template) does not exist.
pub fn filter_rule(key: Option<&str>, saved: &[SavedSegment]) -> Result<Option<Rule>, String> {
    let Some(key) = key.filter(|k| !k.is_empty()) else {
        return Ok(None);
    };
    if let Some(id) = key.strip_prefix("saved:") {
        return saved
            .iter()
            .find(|s| s.id == id)
            .map(|s| Some(s.rule.clone()))
            .ok_or_else(|| id.to_owned());
    }
    template(key)
        .map(|t| Some(t.rule))
        .ok_or_else(|| key.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn filter_keys_resolve_to_rules() {
        let saved = vec![SavedSegment {
            id: "s1".into(),
            name: "Mine".into(),
            rule: Rule::all(Vec::new()),
            updated_at: 0,
        }];
        assert_eq!(filter_rule(None, &saved), Ok(None));
        assert_eq!(filter_rule(Some(""), &saved), Ok(None));
        assert_eq!(
            filter_rule(Some("saved:s1"), &saved),
            Ok(Some(Rule::all(Vec::new())))
        );
        assert_eq!(filter_rule(Some("saved:gone"), &saved), Err("gone".into()));
        assert_eq!(
            filter_rule(Some("vip_revenue"), &saved),
            Ok(template("vip_revenue").map(|t| t.rule))
        );
        assert_eq!(filter_rule(Some("nope"), &saved), Err("nope".into()));
    }
}
