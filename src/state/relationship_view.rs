//! The relationship-stage view's settings in the URL (on the Journeys page, hence the `rel_`
//! prefix): the stages (when edited) and the two dates compared. Anything unreadable is dropped
//! and reported by parameter name; defaults are not written.

use chrono::NaiveDate;

use crate::engine::relationship::{RelationshipSpec, StageDef, MAX_STAGES};

/// URL parameter names.
pub const STAGES: &str = "rel_stages";
pub const FROM: &str = "rel_from";
pub const TO: &str = "rel_to";

/// Every parameter this view owns.
pub const PARAMS: [&str; 3] = [STAGES, FROM, TO];

/// The longest stages JSON the URL may carry (bytes).
const MAX_STAGES_JSON: usize = 20_000;

/// What the relationship controls hold; `None` dates mean the defaults (90 days ago, today).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RelationshipSettings {
    pub spec: RelationshipSpec,
    pub from: Option<String>,
    pub to: Option<String>,
}

fn valid_date(text: &str) -> bool {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").is_ok()
}

impl RelationshipSettings {
    /// Reads the settings from URL parameters; returns them and the names of parameters that
    /// could not be read.
    pub fn from_params(
        param: impl Fn(&str) -> Option<String>,
    ) -> (RelationshipSettings, Vec<&'static str>) {
        let mut s = RelationshipSettings::default();
        let mut ignored = Vec::new();
        if let Some(text) = param(STAGES) {
            match serde_json::from_str::<Vec<StageDef>>(&text) {
                Ok(stages)
                    if text.len() <= MAX_STAGES_JSON
                        && !stages.is_empty()
                        && stages.len() <= MAX_STAGES =>
                {
                    s.spec.stages = stages
                }
                _ => ignored.push(STAGES),
            }
        }
        for (name, slot) in [(FROM, &mut s.from), (TO, &mut s.to)] {
            if let Some(text) = param(name) {
                if valid_date(&text) {
                    *slot = Some(text);
                } else {
                    ignored.push(name);
                }
            }
        }
        (s, ignored)
    }

    /// The parameters that differ from the defaults.
    pub fn to_params(&self) -> Vec<(&'static str, String)> {
        let mut params = Vec::new();
        if self.spec != RelationshipSpec::default() {
            params.push((
                STAGES,
                serde_json::to_string(&self.spec.stages).unwrap_or_default(),
            ));
        }
        if let Some(from) = &self.from {
            params.push((FROM, from.clone()));
        }
        if let Some(to) = &self.to {
            params.push((TO, to.clone()));
        }
        params
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn read(pairs: &[(&'static str, String)]) -> (RelationshipSettings, Vec<&'static str>) {
        let map: HashMap<&str, String> = pairs.iter().cloned().collect();
        RelationshipSettings::from_params(|k| map.get(k).cloned())
    }

    #[test]
    fn defaults_write_nothing() {
        assert!(RelationshipSettings::default().to_params().is_empty());
        assert_eq!(read(&[]), (RelationshipSettings::default(), vec![]));
    }

    #[test]
    fn edited_stages_and_dates_round_trip() {
        let mut s = RelationshipSettings::default();
        s.spec.stages.truncate(2);
        s.spec.stages[0].name = "단골".into();
        s.from = Some("2026-09-01".into());
        s.to = Some("2026-11-30".into());
        let (back, ignored) = read(&s.to_params());
        assert_eq!(back, s);
        assert!(ignored.is_empty());
    }

    #[test]
    fn unreadable_parameters_are_reported() {
        let (s, ignored) = read(&[
            (STAGES, "[]".into()),
            (FROM, "2026-02-30".into()),
            (TO, "yesterday".into()),
        ]);
        assert_eq!(s, RelationshipSettings::default());
        assert_eq!(ignored, vec![STAGES, FROM, TO]);
    }
}
