//! A saved segment as analysis views use it, and the one way a view turns its segment filter key
//! (a DOMAIN template id or `saved:ID`) into the rule the engine takes.

use crate::engine::segment::SegmentLibrary;
use crate::engine::segment_rule::Rule;
use crate::engine::segment_templates::{template, templates};
use crate::i18n::{template_name, Texts};

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

/// The segments a rule can refer to (`{"type": "segment", "id": …}`), as the engine resolves
/// them: the templates by their id, the saved segments by theirs.
pub fn segment_library(saved: &[SavedSegment]) -> SegmentLibrary {
    let mut library: SegmentLibrary = templates()
        .into_iter()
        .map(|t| (t.id.to_owned(), t.rule))
        .collect();
    for s in saved {
        library.insert(s.id.clone(), s.rule.clone());
    }
    library
}

/// `(id, name)` of every segment in [`segment_library`], as a "member of segment" select offers
/// them: templates first, in the UI's language, then the saved ones.
pub fn referable_segments(t: &Texts, saved: &[SavedSegment]) -> Vec<(String, String)> {
    templates()
        .into_iter()
        .map(|tpl| (tpl.id.to_owned(), template_name(t, tpl.id)))
        .chain(saved.iter().map(|s| (s.id.clone(), s.name.clone())))
        .collect()
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

    #[test]
    fn references_resolve_to_templates_and_saved_segments_alike() {
        let saved = vec![SavedSegment {
            id: "s1".into(),
            name: "Mine".into(),
            rule: Rule::all(Vec::new()),
            updated_at: 0,
        }];
        let library = segment_library(&saved);
        assert_eq!(library.get("s1"), Some(&Rule::all(Vec::new())));
        assert_eq!(
            library.get("vip_revenue"),
            template("vip_revenue").map(|t| t.rule).as_ref()
        );
        let choices = referable_segments(crate::i18n::Locale::En.texts(), &saved);
        assert_eq!(choices.len(), library.len());
        assert_eq!(choices.last(), Some(&("s1".to_owned(), "Mine".to_owned())));
        assert!(choices.iter().all(|(id, _)| library.contains_key(id)));
    }
}
