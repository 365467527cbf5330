//! The Segments page's state in the URL: which segment is open (a saved one, a template, or an
//! unsaved rule), the member table's sort and search, and the segment compared with. Parsed into
//! validated types; anything unreadable is dropped and reported by parameter name. URL state only
//! selects what to show: it never chooses an API address and never triggers a save.

use crate::engine::members::SortKey;
use crate::engine::segment_rule::Rule;
use crate::engine::segment_templates::template;

/// URL parameter names.
pub const SAVED: &str = "saved";
pub const TEMPLATE: &str = "template";
pub const RULE: &str = "rule";
pub const SORT: &str = "sort";
pub const DIR: &str = "dir";
pub const SEARCH: &str = "q";
pub const COMPARE: &str = "compare";

/// The longest search text and saved id the URL may carry.
const MAX_TEXT: usize = 200;
/// The longest rule JSON the URL may carry (bytes).
const MAX_RULE: usize = 20_000;

/// A segment other than the open one: a template or a saved segment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SegmentRef {
    Template(String),
    Saved(String),
}

impl SegmentRef {
    /// `template:win_back` / `saved:<id>`.
    pub fn key(&self) -> String {
        match self {
            SegmentRef::Template(id) => format!("template:{id}"),
            SegmentRef::Saved(id) => format!("saved:{id}"),
        }
    }

    pub fn parse(key: &str) -> Option<SegmentRef> {
        if let Some(id) = key.strip_prefix("template:") {
            return template(id).map(|_| SegmentRef::Template(id.to_owned()));
        }
        key.strip_prefix("saved:")
            .filter(|id| valid_id(id))
            .map(|id| SegmentRef::Saved(id.to_owned()))
    }
}

/// A saved definition's id as the URL may carry it: 1–200 letters, digits, `-`, `_`, `.`, `:`.
pub fn valid_id(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= MAX_TEXT
        && id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | ':'))
}

/// Everything the Segments page shows, as in its URL.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SegmentView {
    /// The saved segment open (its id), if any.
    pub saved: Option<String>,
    /// The template the segment started from, if any (and not edited since).
    pub template: Option<String>,
    /// The rule being edited when it differs from the saved segment or template (or neither).
    pub rule: Option<Rule>,
    pub sort: SortKey,
    pub descending: bool,
    pub search: String,
    pub compare: Option<SegmentRef>,
}

impl SegmentView {
    /// Reads the view from URL parameters; returns it with the names of the parameters ignored.
    pub fn from_params(param: impl Fn(&str) -> Option<String>) -> (SegmentView, Vec<&'static str>) {
        let mut ignored = Vec::new();
        let mut view = SegmentView {
            descending: true,
            ..SegmentView::default()
        };
        if let Some(id) = param(SAVED) {
            if valid_id(&id) {
                view.saved = Some(id);
            } else {
                ignored.push(SAVED);
            }
        }
        if let Some(id) = param(TEMPLATE) {
            if template(&id).is_some() {
                view.template = Some(id);
            } else {
                ignored.push(TEMPLATE);
            }
        }
        if let Some(json) = param(RULE) {
            match (json.len() <= MAX_RULE)
                .then(|| serde_json::from_str::<Rule>(&json).ok())
                .flatten()
            {
                Some(rule) => view.rule = Some(rule),
                None => ignored.push(RULE),
            }
        }
        if let Some(key) = param(SORT) {
            match SortKey::parse(&key) {
                Some(sort) => view.sort = sort,
                None => ignored.push(SORT),
            }
        }
        if let Some(dir) = param(DIR) {
            match dir.as_str() {
                "asc" => view.descending = false,
                "desc" => view.descending = true,
                _ => ignored.push(DIR),
            }
        }
        if let Some(text) = param(SEARCH) {
            if text.chars().count() <= MAX_TEXT {
                view.search = text;
            } else {
                ignored.push(SEARCH);
            }
        }
        if let Some(key) = param(COMPARE) {
            match SegmentRef::parse(&key) {
                Some(r) => view.compare = Some(r),
                None => ignored.push(COMPARE),
            }
        }
        (view, ignored)
    }

    /// The URL parameters of this view; defaults are left out.
    pub fn to_params(&self) -> Vec<(&'static str, String)> {
        let mut params = Vec::new();
        if let Some(id) = &self.saved {
            params.push((SAVED, id.clone()));
        }
        if let Some(id) = &self.template {
            params.push((TEMPLATE, id.clone()));
        }
        if let Some(rule) = &self.rule {
            if let Ok(json) = serde_json::to_string(rule) {
                params.push((RULE, json));
            }
        }
        if self.sort != SortKey::default() {
            params.push((SORT, self.sort.name().to_owned()));
        }
        if !self.descending {
            params.push((DIR, "asc".to_owned()));
        }
        if !self.search.is_empty() {
            params.push((SEARCH, self.search.clone()));
        }
        if let Some(r) = &self.compare {
            params.push((COMPARE, r.key()));
        }
        params
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn parse(pairs: &[(&str, &str)]) -> (SegmentView, Vec<&'static str>) {
        let map: HashMap<String, String> = pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        SegmentView::from_params(|k| map.get(k).cloned())
    }

    #[test]
    fn views_round_trip_through_their_parameters() {
        let (view, ignored) = parse(&[
            ("saved", "seg-123"),
            (
                "rule",
                r#"{"rule":"all","rules":[{"rule":"segment","id":"x"}]}"#,
            ),
            ("sort", "revenue"),
            ("dir", "asc"),
            ("q", "김"),
            ("compare", "template:win_back"),
        ]);
        assert!(ignored.is_empty());
        assert_eq!(view.saved.as_deref(), Some("seg-123"));
        assert_eq!(view.sort, SortKey::Revenue);
        assert!(!view.descending);
        assert_eq!(view.compare, Some(SegmentRef::Template("win_back".into())));
        let params = view.to_params();
        let (again, _) = SegmentView::from_params(|k| {
            params
                .iter()
                .find(|(name, _)| *name == k)
                .map(|(_, v)| v.clone())
        });
        assert_eq!(again, view);
        assert!(SegmentView::from_params(|_| None).0.to_params().is_empty());
    }

    #[test]
    fn bad_parameters_are_dropped_and_named() {
        let (view, ignored) = parse(&[
            ("saved", "../../api"),
            ("template", "nope"),
            ("rule", r#"{"rule":"sometimes"}"#),
            ("sort", "height"),
            ("dir", "up"),
            ("compare", "saved:has space"),
        ]);
        assert_eq!(view, SegmentView::from_params(|_| None).0);
        assert_eq!(ignored, [SAVED, TEMPLATE, RULE, SORT, DIR, COMPARE]);
        assert_eq!(
            parse(&[("compare", "saved:abc")]).0.compare,
            Some(SegmentRef::Saved("abc".into()))
        );
        let long = "x".repeat(MAX_RULE + 1);
        assert_eq!(parse(&[("rule", &long)]).1, [RULE]);
    }
}
