//! The Cohorts page's state: the retention spec, the segment filter, what the cells show and the
//! comparison, all in the URL so a view can be shared.

use crate::engine::retention::{CohortType, Counting, RetentionSpec, Windows};

/// What the cells and curves show.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Measure {
    /// Share of the cohort that returned.
    #[default]
    Customers,
    /// Return-event value per cohort member in each period.
    Revenue,
    /// The same, summed from period 0.
    CumulativeRevenue,
}

impl Measure {
    pub const ALL: [Measure; 3] = [
        Measure::Customers,
        Measure::Revenue,
        Measure::CumulativeRevenue,
    ];

    pub fn key(self) -> &'static str {
        match self {
            Measure::Customers => "customers",
            Measure::Revenue => "revenue",
            Measure::CumulativeRevenue => "cumulative",
        }
    }

    pub fn parse(key: &str) -> Option<Measure> {
        Measure::ALL.into_iter().find(|m| m.key() == key)
    }
}

/// Which single option the comparison flips.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Compare {
    #[default]
    Off,
    Counting,
    CohortType,
    Windows,
}

impl Compare {
    pub const ALL: [Compare; 4] = [
        Compare::Off,
        Compare::Counting,
        Compare::CohortType,
        Compare::Windows,
    ];

    pub fn key(self) -> &'static str {
        match self {
            Compare::Off => "off",
            Compare::Counting => "counting",
            Compare::CohortType => "cohort",
            Compare::Windows => "windows",
        }
    }

    pub fn parse(key: &str) -> Option<Compare> {
        Compare::ALL.into_iter().find(|c| c.key() == key)
    }

    /// The spec B that this comparison sets beside `a`, or `None` when off.
    pub fn flip(self, a: &RetentionSpec) -> Option<RetentionSpec> {
        let mut b = a.clone();
        match self {
            Compare::Off => return None,
            Compare::Counting => {
                b.counting = match a.counting {
                    Counting::On => Counting::OnOrAfter,
                    Counting::OnOrAfter => Counting::On,
                }
            }
            Compare::CohortType => {
                b.cohort = match a.cohort {
                    CohortType::Recurring => CohortType::FirstTime,
                    _ => CohortType::Recurring,
                }
            }
            Compare::Windows => {
                b.windows = match a.windows {
                    Windows::Calendar => Windows::Rolling,
                    Windows::Rolling => Windows::Calendar,
                }
            }
        }
        Some(b)
    }
}

/// Everything the Cohorts page shows, as in its URL.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CohortView {
    pub spec: RetentionSpec,
    /// A segment template id (`engine::segment_templates`): only its members are analysed.
    pub filter: Option<String>,
    pub measure: Measure,
    pub compare: Compare,
}

/// URL parameter names.
pub const SPEC: &str = "spec";
pub const FILTER: &str = "filter";
pub const SHOW: &str = "show";
pub const COMPARE: &str = "compare";

impl CohortView {
    /// Reads the view from URL parameters. Anything unreadable falls back to its default and is
    /// reported (by parameter name) so the page can say what it ignored.
    pub fn from_params(param: impl Fn(&str) -> Option<String>) -> (CohortView, Vec<&'static str>) {
        let mut ignored = Vec::new();
        let mut view = CohortView::default();
        if let Some(text) = param(SPEC) {
            match serde_json::from_str::<RetentionSpec>(&text) {
                Ok(spec) => view.spec = spec,
                Err(_) => ignored.push(SPEC),
            }
        }
        if let Some(id) = param(FILTER) {
            if crate::engine::segment_templates::template(&id).is_some() {
                view.filter = Some(id);
            } else {
                ignored.push(FILTER);
            }
        }
        if let Some(key) = param(SHOW) {
            match Measure::parse(&key) {
                Some(m) => view.measure = m,
                None => ignored.push(SHOW),
            }
        }
        if let Some(key) = param(COMPARE) {
            match Compare::parse(&key) {
                Some(c) => view.compare = c,
                None => ignored.push(COMPARE),
            }
        }
        (view, ignored)
    }

    /// The URL parameters of this view; defaults are left out so URLs stay short.
    pub fn to_params(&self) -> Vec<(&'static str, String)> {
        let mut params = Vec::new();
        if self.spec != RetentionSpec::default() {
            params.push((SPEC, serde_json::to_string(&self.spec).unwrap_or_default()));
        }
        if let Some(id) = &self.filter {
            params.push((FILTER, id.clone()));
        }
        if self.measure != Measure::default() {
            params.push((SHOW, self.measure.key().to_owned()));
        }
        if self.compare != Compare::default() {
            params.push((COMPARE, self.compare.key().to_owned()));
        }
        params
    }
}

/// Text that is not a list of brackets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BadBrackets;

/// Parses "1-3, 4-7, 8-14" into brackets; `Ok(None)` for an empty text. The engine checks order.
pub fn parse_brackets(text: &str) -> Result<Option<Vec<[u32; 2]>>, BadBrackets> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(None);
    }
    text.split(',')
        .map(|part| {
            let (a, b) = part.split_once(['-', '–']).unwrap_or((part, part));
            let a = a.trim().parse::<u32>().map_err(|_| BadBrackets)?;
            let b = b.trim().parse::<u32>().map_err(|_| BadBrackets)?;
            Ok([a, b])
        })
        .collect::<Result<Vec<_>, BadBrackets>>()
        .map(Some)
}

/// Writes brackets back as "1-3, 4-7".
pub fn format_brackets(brackets: &Option<Vec<[u32; 2]>>) -> String {
    brackets
        .iter()
        .flatten()
        .map(|[a, b]| {
            if a == b {
                a.to_string()
            } else {
                format!("{a}-{b}")
            }
        })
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::Period;

    #[test]
    fn views_round_trip_through_url_parameters() {
        let view = CohortView {
            spec: RetentionSpec {
                period: Period::Month,
                counting: Counting::OnOrAfter,
                brackets: Some(vec![[1, 3], [4, 7]]),
                ..RetentionSpec::default()
            },
            filter: Some("vip_revenue".into()),
            measure: Measure::CumulativeRevenue,
            compare: Compare::Windows,
        };
        let params = view.to_params();
        let (back, ignored) = CohortView::from_params(|k| {
            params.iter().find(|(n, _)| *n == k).map(|(_, v)| v.clone())
        });
        assert_eq!(back, view);
        assert!(ignored.is_empty());
        assert!(
            CohortView::default().to_params().is_empty(),
            "defaults keep the URL clean"
        );
    }

    #[test]
    fn unreadable_parameters_fall_back_and_are_named() {
        let (view, ignored) = CohortView::from_params(|k| match k {
            SPEC => Some("{\"period\":\"fortnight\"}".into()),
            FILTER => Some("https://evil.example".into()),
            SHOW => Some("everything".into()),
            _ => None,
        });
        assert_eq!(view, CohortView::default());
        assert_eq!(ignored, [SPEC, FILTER, SHOW]);
    }

    #[test]
    fn brackets_parse_and_print() {
        assert_eq!(
            parse_brackets(" 1-3, 4–7 ,8 "),
            Ok(Some(vec![[1, 3], [4, 7], [8, 8]]))
        );
        assert_eq!(parse_brackets(""), Ok(None));
        assert_eq!(parse_brackets("1-x"), Err(BadBrackets));
        assert_eq!(format_brackets(&Some(vec![[1, 3], [8, 8]])), "1-3, 8");
        assert_eq!(format_brackets(&None), "");
    }

    #[test]
    fn comparisons_flip_one_option() {
        let a = RetentionSpec::default();
        assert_eq!(Compare::Off.flip(&a), None);
        assert_eq!(
            Compare::Counting.flip(&a).map(|b| b.counting),
            Some(Counting::OnOrAfter)
        );
        assert_eq!(
            Compare::CohortType.flip(&a).map(|b| b.cohort),
            Some(CohortType::Recurring)
        );
        assert_eq!(
            Compare::Windows.flip(&a).map(|b| b.windows),
            Some(Windows::Rolling)
        );
    }
}
