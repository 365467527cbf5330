//! The Cohorts page's state: the retention spec, the segment filter, what the cells show and the
//! comparison, all in the URL so a view can be shared.

use serde::{Deserialize, Serialize};

use crate::engine::filter::EventFilter;
use crate::engine::population::Breakdown;
use crate::engine::retention::{CohortType, Counting, MeanKind, PercentOf, RetentionSpec, Windows};
use crate::engine::Period;

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

/// A segment named in the URL: a DOMAIN template, a saved segment, or the buyers of a coupon.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SegmentRef {
    /// `engine::segment_templates` id, written as is (`vip_revenue`).
    Template(String),
    /// A saved definition's id, written `saved:ID`.
    Saved(String),
    /// Customers who bought with a coupon code, written `coupon:CODE`.
    Coupon(String),
}

impl SegmentRef {
    pub fn parse(key: &str) -> Option<SegmentRef> {
        let non_empty = |s: &str| (!s.trim().is_empty()).then(|| s.to_owned());
        if let Some(id) = key.strip_prefix("saved:") {
            non_empty(id).map(SegmentRef::Saved)
        } else if let Some(code) = key.strip_prefix("coupon:") {
            non_empty(code).map(SegmentRef::Coupon)
        } else {
            crate::engine::segment_templates::template(key)
                .map(|t| SegmentRef::Template(t.id.to_owned()))
        }
    }

    pub fn key(&self) -> String {
        match self {
            SegmentRef::Template(id) => id.clone(),
            SegmentRef::Saved(id) => format!("saved:{id}"),
            SegmentRef::Coupon(code) => format!("coupon:{code}"),
        }
    }
}

/// Everything the Cohorts page shows, as in its URL.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CohortView {
    pub spec: RetentionSpec,
    /// Only this segment's members are analysed.
    pub filter: Option<SegmentRef>,
    /// Breakdown by segment: its members against everyone else (then `spec.breakdown` is `None`).
    pub versus: Option<SegmentRef>,
    pub measure: Measure,
    pub compare: Compare,
}

/// URL parameter names.
pub const SPEC: &str = "spec";
pub const FILTER: &str = "filter";
pub const SHOW: &str = "show";
pub const COMPARE: &str = "compare";
pub const VERSUS: &str = "versus";

impl CohortView {
    /// Reads the view from URL parameters. Anything unreadable falls back to its default and is
    /// reported (by parameter name) so the page can say what it ignored.
    pub fn from_params(param: impl Fn(&str) -> Option<String>) -> (CohortView, Vec<&'static str>) {
        let mut ignored = Vec::new();
        let mut view = CohortView::default();
        if let Some(text) = param(SPEC) {
            match serde_json::from_str::<UrlSpec>(&text) {
                Ok(spec) => view.spec = spec.into_spec(),
                Err(_) => ignored.push(SPEC),
            }
        }
        for (name, slot) in [(FILTER, &mut view.filter), (VERSUS, &mut view.versus)] {
            if let Some(key) = param(name) {
                match SegmentRef::parse(&key) {
                    Some(segment) => *slot = Some(segment),
                    None => ignored.push(name),
                }
            }
        }
        if view.versus.is_some() {
            // One breakdown at a time: the segment wins.
            view.spec.breakdown = None;
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
            let url = UrlSpec::of(&self.spec);
            params.push((SPEC, serde_json::to_string(&url).unwrap_or_default()));
        }
        if let Some(segment) = &self.filter {
            params.push((FILTER, segment.key()));
        }
        if let Some(segment) = &self.versus {
            params.push((VERSUS, segment.key()));
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

/// A retention spec as the URL carries it: the JSON of [`RetentionSpec`] (so a spec from
/// `docs/query-spec.md` pastes in), except that a breakdown can only be by attribute. Keeping
/// segment rules out of the URL keeps their (large) parser out of the app until it needs one.
#[derive(Debug, Default, Serialize, Deserialize)]
#[serde(default)]
struct UrlSpec {
    #[serde(skip_serializing_if = "Option::is_none")]
    start: Option<EventFilter>,
    #[serde(rename = "return", skip_serializing_if = "Option::is_none")]
    return_event: Option<EventFilter>,
    #[serde(skip_serializing_if = "Option::is_none")]
    cohort: Option<CohortType>,
    #[serde(skip_serializing_if = "Option::is_none")]
    period: Option<Period>,
    #[serde(skip_serializing_if = "Option::is_none")]
    periods: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    cohorts: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    from: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    to: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    windows: Option<Windows>,
    #[serde(skip_serializing_if = "Option::is_none")]
    counting: Option<Counting>,
    #[serde(skip_serializing_if = "Option::is_none")]
    brackets: Option<Vec<[u32; 2]>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    min_occurrences: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    percent_of: Option<PercentOf>,
    #[serde(skip_serializing_if = "Option::is_none")]
    mean: Option<MeanKind>,
    #[serde(skip_serializing_if = "Option::is_none")]
    small_cohort: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    breakdown: Option<UrlBreakdown>,
}

/// `{"by": "attribute", "attribute": "plan", "limit": 6}`.
#[derive(Debug, Serialize, Deserialize)]
struct UrlBreakdown {
    by: AttributeOnly,
    attribute: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    limit: Option<usize>,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
enum AttributeOnly {
    Attribute,
}

impl UrlSpec {
    /// The non-default parts of `spec`.
    fn of(spec: &RetentionSpec) -> UrlSpec {
        let d = RetentionSpec::default();
        let changed = |same: bool| !same;
        UrlSpec {
            start: changed(spec.start == d.start).then(|| spec.start.clone()),
            return_event: changed(spec.return_event == d.return_event)
                .then(|| spec.return_event.clone()),
            cohort: changed(spec.cohort == d.cohort).then_some(spec.cohort),
            period: changed(spec.period == d.period).then_some(spec.period),
            periods: changed(spec.periods == d.periods).then_some(spec.periods),
            cohorts: changed(spec.cohorts == d.cohorts).then_some(spec.cohorts),
            from: spec.from.clone(),
            to: spec.to.clone(),
            windows: changed(spec.windows == d.windows).then_some(spec.windows),
            counting: changed(spec.counting == d.counting).then_some(spec.counting),
            brackets: spec.brackets.clone(),
            min_occurrences: changed(spec.min_occurrences == d.min_occurrences)
                .then_some(spec.min_occurrences),
            percent_of: changed(spec.percent_of == d.percent_of).then_some(spec.percent_of),
            mean: changed(spec.mean == d.mean).then_some(spec.mean),
            small_cohort: changed(spec.small_cohort == d.small_cohort).then_some(spec.small_cohort),
            breakdown: match &spec.breakdown {
                Some(Breakdown::Attribute { attribute, limit }) => Some(UrlBreakdown {
                    by: AttributeOnly::Attribute,
                    attribute: attribute.clone(),
                    limit: Some(*limit),
                }),
                _ => None,
            },
        }
    }

    fn into_spec(self) -> RetentionSpec {
        let d = RetentionSpec::default();
        RetentionSpec {
            start: self.start.unwrap_or(d.start),
            return_event: self.return_event.unwrap_or(d.return_event),
            cohort: self.cohort.unwrap_or(d.cohort),
            period: self.period.unwrap_or(d.period),
            periods: self.periods.unwrap_or(d.periods),
            cohorts: self.cohorts.unwrap_or(d.cohorts),
            from: self.from,
            to: self.to,
            windows: self.windows.unwrap_or(d.windows),
            counting: self.counting.unwrap_or(d.counting),
            brackets: self.brackets,
            min_occurrences: self.min_occurrences.unwrap_or(d.min_occurrences),
            percent_of: self.percent_of.unwrap_or(d.percent_of),
            mean: self.mean.unwrap_or(d.mean),
            small_cohort: self.small_cohort.unwrap_or(d.small_cohort),
            breakdown: self.breakdown.map(|b| Breakdown::Attribute {
                attribute: b.attribute,
                limit: b.limit.unwrap_or(10),
            }),
        }
    }
}

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

    #[test]
    fn views_round_trip_through_url_parameters() {
        let view = CohortView {
            spec: RetentionSpec {
                period: Period::Month,
                counting: Counting::OnOrAfter,
                brackets: Some(vec![[1, 3], [4, 7]]),
                ..RetentionSpec::default()
            },
            filter: Some(SegmentRef::Template("vip_revenue".into())),
            versus: Some(SegmentRef::Coupon("FLASH50".into())),
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
    fn segment_references_round_trip_and_unknown_ones_are_ignored() {
        for key in ["vip_revenue", "saved:s-12", "coupon:FLASH50"] {
            assert_eq!(
                SegmentRef::parse(key).map(|s| s.key()),
                Some(key.to_owned())
            );
        }
        assert_eq!(SegmentRef::parse("saved:"), None);
        assert_eq!(SegmentRef::parse("no_such_template"), None);
        let (view, ignored) = CohortView::from_params(|k| match k {
            SPEC => Some("{\"breakdown\":{\"by\":\"attribute\",\"attribute\":\"channel\"}}".into()),
            VERSUS => Some("saved:abc".into()),
            FILTER => Some("coupon:".into()),
            _ => None,
        });
        assert_eq!(view.versus, Some(SegmentRef::Saved("abc".into())));
        assert_eq!(
            view.spec.breakdown, None,
            "the segment breakdown replaces the attribute one"
        );
        assert_eq!(ignored, [FILTER]);
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
