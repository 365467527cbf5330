//! The paths view's settings in the URL (on the Journeys page, beside other views' parameters,
//! hence the `paths_` prefix): anchor, anchor event, steps, hidden events, top N, session gap and
//! segment filter. Anything unreadable is dropped and reported by parameter name; defaults are
//! not written, so the plain page has a plain URL.

use crate::engine::filter::{EventFilter, ANY_ACTIVITY};
use crate::engine::paths::{PathAnchor, PathsSpec, MAX_PATH_STEPS};
use crate::state::segment_view::valid_id;

/// URL parameter names.
pub const ANCHOR: &str = "paths_anchor";
pub const EVENT: &str = "paths_event";
pub const STEPS: &str = "paths_steps";
pub const HIDDEN: &str = "paths_hidden";
pub const TOP: &str = "paths_top";
pub const GAP: &str = "paths_gap";
pub const FILTER: &str = "paths_filter";

/// Every parameter this view owns (the others on the page are left alone).
pub const PARAMS: [&str; 7] = [ANCHOR, EVENT, STEPS, HIDDEN, TOP, GAP, FILTER];

/// The longest event filter JSON the URL may carry (bytes).
const MAX_EVENT: usize = 4_000;

/// Where paths are anchored.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AnchorKind {
    /// Paths start where sessions start.
    None,
    /// Paths start at the anchor event.
    Start,
    /// Paths end at the anchor event.
    End,
}

/// What the paths controls hold.
#[derive(Debug, Clone, PartialEq)]
pub struct PathsSettings {
    pub anchor: AnchorKind,
    pub anchor_event: EventFilter,
    pub steps: usize,
    pub hidden: Vec<String>,
    pub top: usize,
    pub gap_minutes: u32,
    /// A segment template id or `saved:ID`.
    pub filter: Option<String>,
}

impl Default for PathsSettings {
    fn default() -> Self {
        PathsSettings {
            anchor: AnchorKind::None,
            anchor_event: EventFilter::of("visit"),
            steps: 4,
            hidden: Vec::new(),
            top: 12,
            gap_minutes: 30,
            filter: None,
        }
    }
}

/// The limits the controls enforce.
pub const MAX_TOP: usize = 200;
pub const MAX_GAP_MINUTES: u32 = 1_440;

impl PathsSettings {
    /// The engine's spec for these settings.
    pub fn spec(&self) -> PathsSpec {
        PathsSpec {
            session_gap_minutes: self.gap_minutes,
            anchor: match self.anchor {
                AnchorKind::None => PathAnchor::None,
                AnchorKind::Start => PathAnchor::Start {
                    event: self.anchor_event.clone(),
                },
                AnchorKind::End => PathAnchor::End {
                    event: self.anchor_event.clone(),
                },
            },
            steps: self.steps,
            hidden: self.hidden.clone(),
            events: EventFilter::of(ANY_ACTIVITY),
            top: self.top,
            from: None,
            to: None,
        }
    }

    /// Reads the settings from URL parameters; returns them and the names of parameters that
    /// could not be read (those keep their defaults).
    pub fn from_params(
        param: impl Fn(&str) -> Option<String>,
    ) -> (PathsSettings, Vec<&'static str>) {
        let mut s = PathsSettings::default();
        let mut ignored = Vec::new();
        if let Some(text) = param(ANCHOR) {
            match text.as_str() {
                "start" => s.anchor = AnchorKind::Start,
                "end" => s.anchor = AnchorKind::End,
                "none" => {}
                _ => ignored.push(ANCHOR),
            }
        }
        if let Some(text) = param(EVENT) {
            match serde_json::from_str::<EventFilter>(&text) {
                Ok(f) if text.len() <= MAX_EVENT && !f.event.is_empty() => s.anchor_event = f,
                _ => ignored.push(EVENT),
            }
        }
        let number = |name: &'static str, min: u64, max: u64, ignored: &mut Vec<&'static str>| {
            let text = param(name)?;
            match text.parse::<u64>() {
                Ok(n) if (min..=max).contains(&n) => Some(n),
                _ => {
                    ignored.push(name);
                    None
                }
            }
        };
        if let Some(n) = number(STEPS, 2, MAX_PATH_STEPS as u64, &mut ignored) {
            s.steps = n as usize;
        }
        if let Some(n) = number(TOP, 1, MAX_TOP as u64, &mut ignored) {
            s.top = n as usize;
        }
        if let Some(n) = number(GAP, 1, u64::from(MAX_GAP_MINUTES), &mut ignored) {
            s.gap_minutes = n as u32;
        }
        if let Some(text) = param(HIDDEN) {
            let names: Vec<String> = text
                .split(',')
                .map(str::trim)
                .filter(|n| !n.is_empty())
                .map(str::to_owned)
                .collect();
            if names.iter().all(|n| valid_id(n)) {
                s.hidden = names;
            } else {
                ignored.push(HIDDEN);
            }
        }
        if let Some(key) = param(FILTER) {
            if valid_id(&key) {
                s.filter = Some(key);
            } else {
                ignored.push(FILTER);
            }
        }
        (s, ignored)
    }

    /// The parameters that differ from the defaults.
    pub fn to_params(&self) -> Vec<(&'static str, String)> {
        let d = PathsSettings::default();
        let mut params = Vec::new();
        match self.anchor {
            AnchorKind::None => {}
            AnchorKind::Start => params.push((ANCHOR, "start".to_owned())),
            AnchorKind::End => params.push((ANCHOR, "end".to_owned())),
        }
        if self.anchor_event != d.anchor_event {
            params.push((
                EVENT,
                serde_json::to_string(&self.anchor_event).unwrap_or_default(),
            ));
        }
        if self.steps != d.steps {
            params.push((STEPS, self.steps.to_string()));
        }
        if !self.hidden.is_empty() {
            params.push((HIDDEN, self.hidden.join(",")));
        }
        if self.top != d.top {
            params.push((TOP, self.top.to_string()));
        }
        if self.gap_minutes != d.gap_minutes {
            params.push((GAP, self.gap_minutes.to_string()));
        }
        if let Some(filter) = &self.filter {
            params.push((FILTER, filter.clone()));
        }
        params
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn parse(pairs: &[(&str, &str)]) -> (PathsSettings, Vec<&'static str>) {
        let map: HashMap<String, String> = pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect();
        PathsSettings::from_params(|k| map.get(k).cloned())
    }

    #[test]
    fn defaults_write_nothing_and_read_back() {
        assert!(PathsSettings::default().to_params().is_empty());
        assert_eq!(parse(&[]), (PathsSettings::default(), vec![]));
    }

    #[test]
    fn every_setting_round_trips() {
        let s = PathsSettings {
            anchor: AnchorKind::End,
            anchor_event: serde_json::from_str(
                r#"{"event":"purchase","where":[{"property":"category","op":"exists"}]}"#,
            )
            .expect("filter"),
            steps: 3,
            hidden: vec!["product_view".into(), "visit".into()],
            top: 8,
            gap_minutes: 60,
            filter: Some("saved:s-12".into()),
        };
        let params = s.to_params();
        let map: HashMap<&str, String> = params.into_iter().collect();
        let (back, ignored) = PathsSettings::from_params(|k| map.get(k).cloned());
        assert_eq!(back, s);
        assert!(ignored.is_empty());
        assert_eq!(back.spec().steps, 3);
    }

    #[test]
    fn unreadable_parameters_are_reported_and_keep_defaults() {
        let (s, ignored) = parse(&[
            (ANCHOR, "middle"),
            (EVENT, "{not json"),
            (STEPS, "99"),
            (TOP, "0"),
            (GAP, "-5"),
            (HIDDEN, "visit,<script>"),
            (FILTER, "saved:has space"),
        ]);
        assert_eq!(s, PathsSettings::default());
        assert_eq!(
            ignored,
            vec![ANCHOR, EVENT, STEPS, TOP, GAP, HIDDEN, FILTER]
        );
    }
}
