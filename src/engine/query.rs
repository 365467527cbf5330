//! The single entry point: a versioned, serde-serialisable query spec in, a typed result out.
//!
//! Views, the `crm-lens-query` tool and (later) backends all run analyses through [`run`], so one
//! spec means one answer everywhere. "Now", the time zone and the week start are explicit inputs.
//! See `docs/query-spec.md`.

use std::fmt;

use serde::{Deserialize, Serialize};

use super::backtest::{self, BacktestCustomersSpec, BacktestResult, BacktestSpec};
use super::clv::{self, ClvCustomer, ClvResult, ClvSpec};
use super::funnel::{self, FunnelResult, FunnelSpec};
use super::journey::Journey;
use super::journey_validate::{self, Preview, Validation};
use super::kpi::{self, KpiResult, KpiSpec};
use super::lifecycle::{self, LifecycleResult, LifecycleSpec, LifecycleStage};
use super::ltv_cac::{self, LtvCacResult, LtvCacSpec};
use super::paths::{self, PathsResult, PathsSpec};
use super::population::{groups_by_attribute, Breakdown, Groups};
use super::relationship::{self, RelationshipResult, RelationshipSpec, RelationshipTransitions};
use super::renewal::{self, RenewalResult, RenewalSpec};
use super::retention::{self, RetentionResult, RetentionSpec};
use super::rfm::{self, RfmResult, RfmSpec, RfmTransitions};
use super::segment::{self, SegmentLibrary, SegmentResult, SegmentSpec};
use super::segment_rule::Rule;
use super::store::{CustomerIx, Store};
use super::time::{parse_date_or_timestamp, parse_timestamp, Context, WeekStart, Zone};

/// The spec version this engine reads.
pub const QUERY_VERSION: u32 = 1;

/// A query that cannot be answered, naming the part of the spec at fault (`path` like
/// `steps[2].event`), so the UI can mark the rule and a CLI user can fix the file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct QueryError {
    pub path: String,
    pub kind: QueryErrorKind,
    pub message: String,
}

/// What went wrong, for translated messages.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum QueryErrorKind {
    /// Not valid JSON, or a field of the wrong type or shape.
    Malformed,
    /// A `v` this engine does not read.
    UnsupportedVersion,
    /// A value that is well-formed but impossible (an unknown zone, a step count of zero …).
    Invalid,
    /// An attribute the data does not have.
    UnknownAttribute,
    /// A test that does not fit the attribute's type (a date test on a text attribute …).
    TypeMismatch,
    /// A reference to a segment id the query does not define.
    UnknownSegment,
    /// Segments that refer to each other in a circle.
    SegmentCycle,
}

impl QueryError {
    pub fn new(path: impl Into<String>, kind: QueryErrorKind, message: impl Into<String>) -> Self {
        QueryError {
            path: path.into(),
            kind,
            message: message.into(),
        }
    }

    pub fn invalid(path: impl Into<String>, message: impl Into<String>) -> Self {
        QueryError::new(path, QueryErrorKind::Invalid, message)
    }

    /// The same error under a parent path (`rules[2]` + `window` → `rules[2].window`).
    pub fn within(mut self, parent: &str) -> Self {
        self.path = match (parent.is_empty(), self.path.is_empty()) {
            (true, _) => self.path,
            (false, true) => parent.to_owned(),
            (false, false) if self.path.starts_with('[') => format!("{parent}{}", self.path),
            (false, false) => format!("{parent}.{}", self.path),
        };
        self
    }
}

impl fmt::Display for QueryError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.path.is_empty() {
            write!(f, "{}", self.message)
        } else {
            write!(f, "{}: {}", self.path, self.message)
        }
    }
}

impl std::error::Error for QueryError {}

/// The inputs that make a result reproducible. Missing values default to the dataset's
/// `as_of` (else its latest event), the dataset's time zone (else Asia/Seoul) and Monday.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct QueryContext {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub now: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub time_zone: Option<String>,
    #[serde(default)]
    pub week_start: WeekStart,
}

impl QueryContext {
    /// Resolves the context against a dataset.
    pub fn resolve(&self, store: &Store) -> Result<Context, QueryError> {
        let now = match &self.now {
            Some(text) => parse_timestamp(text).ok_or_else(|| {
                QueryError::invalid("now", format!("{text:?} is not an RFC 3339 timestamp"))
            })?,
            None => store
                .meta
                .as_of
                .map(|t| t.timestamp())
                .or_else(|| store.events.at.iter().copied().max())
                .unwrap_or(0),
        };
        let zone = match &self.time_zone {
            Some(name) => Zone::parse(name).map_err(|m| QueryError::invalid("time_zone", m))?,
            None => Zone::parse(&store.meta.time_zone).unwrap_or_default(),
        };
        Ok(Context {
            now,
            zone,
            week_start: self.week_start,
        })
    }
}

/// A query: the version, the context, the segment library, an optional segment filter and one
/// analysis, tagged by `kind`.
///
/// ```json
/// {"v": 1, "kind": "retention", "now": "2026-11-16T00:00:00+09:00", "time_zone": "Asia/Seoul",
///  "period": "week", "periods": 12}
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Query {
    pub v: u32,
    #[serde(flatten)]
    pub context: QueryContext,
    /// Named segments that rules (`{"rule": "segment", "id": …}`) and breakdowns refer to.
    #[serde(default, skip_serializing_if = "SegmentLibrary::is_empty")]
    pub segments: SegmentLibrary,
    /// Only customers in this segment are analysed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub filter: Option<Rule>,
    #[serde(flatten)]
    pub analysis: Analysis,
}

/// Every `kind` a query may name.
pub const KINDS: [&str; 23] = [
    "retention",
    "retention_cell",
    "segment",
    "funnel",
    "funnel_customers",
    "paths",
    "paths_customers",
    "lifecycle",
    "lifecycle_customers",
    "kpi",
    "rfm",
    "rfm_customers",
    "rfm_transitions",
    "clv",
    "clv_customers",
    "renewal",
    "ltv_cac",
    "journey_validate",
    "journey_backtest",
    "journey_backtest_customers",
    "relationship",
    "relationship_transitions",
    "relationship_customers",
];

/// The analysis a query asks for.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Analysis {
    Retention(RetentionSpec),
    /// The customers behind one retention cell.
    RetentionCell(RetentionCellSpec),
    Segment(SegmentSpec),
    Funnel(FunnelSpec),
    /// Who reached a funnel step (or dropped right before it).
    FunnelCustomers(FunnelCustomersSpec),
    Paths(PathsSpec),
    /// Who is behind a paths node or link.
    PathsCustomers(PathsCustomersSpec),
    Lifecycle(LifecycleSpec),
    /// Who was in a lifecycle stage in one period.
    LifecycleCustomers(LifecycleCustomersSpec),
    Kpi(KpiSpec),
    Rfm(RfmSpec),
    /// The customers of one named RFM segment.
    RfmCustomers(RfmCustomersSpec),
    /// How many customers moved from each RFM segment to each other between `from` and now.
    RfmTransitions(RfmTransitionsSpec),
    /// BG/NBD and Gamma-Gamma fits, totals and the calibration/holdout check.
    Clv(ClvSpec),
    /// Every modelled customer's summary and predictions.
    ClvCustomers(ClvCustomersSpec),
    /// B2B contracts ending soon, with risk signals.
    Renewal(RenewalSpec),
    /// CAC, average CLV and LTV:CAC per acquisition channel.
    LtvCac(LtvCacSpec),
    /// Errors and warnings of a journey, and optional message previews for one customer.
    JourneyValidate(JourneyValidateSpec),
    /// Replays the last N days through journeys.
    JourneyBacktest(BacktestSpec),
    /// The customers behind one count of a backtest.
    JourneyBacktestCustomers(BacktestCustomersSpec),
    /// How many customers are in each relationship stage as of `at` (default now).
    Relationship(RelationshipAtSpec),
    /// How many customers moved from each relationship stage to each other between two dates.
    RelationshipTransitions(RelationshipTransitionsSpec),
    /// Who is in a relationship stage (and, with `from`, came from another one).
    RelationshipCustomers(RelationshipCustomersSpec),
}

/// A CLV spec and how to list the customers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ClvCustomersSpec {
    #[serde(flatten)]
    pub clv: ClvSpec,
    #[serde(default)]
    pub order: ClvOrder,
    /// At most this many customers (after ordering); all when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub limit: Option<usize>,
}

/// The order of a CLV customer list.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ClvOrder {
    /// Store order (as the data lists customers).
    #[default]
    Store,
    /// Highest predicted CLV first (customers without a prediction last), then store order.
    ClvDesc,
    /// Lowest probability alive first, then store order.
    PAliveAsc,
}

/// Modelled customers with their predictions.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ClvCustomers {
    /// All modelled customers, before `limit`.
    pub count: usize,
    pub customers: Vec<ClvCustomer>,
}

/// A journey to check; with `preview_customer`, every message's content rendered for them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct JourneyValidateSpec {
    pub journey: Journey,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub preview_customer: Option<String>,
}

/// The findings and the previews of a [`JourneyValidateSpec`].
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct JourneyValidation {
    #[serde(flatten)]
    pub validation: Validation,
    /// One per message node (in journey order) when a preview customer was given.
    pub previews: Vec<NodePreview>,
}

/// A message node's content rendered for the preview customer.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NodePreview {
    pub node: String,
    #[serde(flatten)]
    pub preview: Preview,
}

/// Relationship stages and the instant to evaluate them at (RFC 3339 or `YYYY-MM-DD`; default
/// now).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RelationshipAtSpec {
    #[serde(flatten)]
    pub relationship: RelationshipSpec,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub at: Option<String>,
}

/// Relationship stages and the two instants to compare (`to` defaults to now).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RelationshipTransitionsSpec {
    #[serde(flatten)]
    pub relationship: RelationshipSpec,
    pub from: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub to: Option<String>,
}

/// The customers in `stage` at `to` (default now); with `from` and `from_stage`, only those who
/// were in `from_stage` at `from`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RelationshipCustomersSpec {
    #[serde(flatten)]
    pub relationship: RelationshipSpec,
    pub stage: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub to: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from_stage: Option<String>,
}

/// A funnel spec and the step whose customers to list: those who reached `step` (from 0), or
/// with `dropped`, those who reached the step before it but not this one.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FunnelCustomersSpec {
    #[serde(flatten)]
    pub funnel: FunnelSpec,
    pub step: usize,
    #[serde(default)]
    pub dropped: bool,
}

/// A paths spec and a node (`step` and `label`) or a link (`step`, `label` = source and `target`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PathsCustomersSpec {
    #[serde(flatten)]
    pub paths: PathsSpec,
    pub step: usize,
    pub label: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target: Option<String>,
}

/// A lifecycle spec, a period number (as in the result's `index`) and a stage.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LifecycleCustomersSpec {
    #[serde(flatten)]
    pub lifecycle: LifecycleSpec,
    pub period_index: i64,
    pub stage: LifecycleStage,
}

/// An RFM spec and the segment whose customers to list (`other` and `no purchase` included).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RfmCustomersSpec {
    #[serde(flatten)]
    pub rfm: RfmSpec,
    pub segment: String,
}

/// An RFM spec and the earlier instant to compare with (RFC 3339 or `YYYY-MM-DD`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RfmTransitionsSpec {
    #[serde(flatten)]
    pub rfm: RfmSpec,
    pub from: String,
}

/// A retention spec plus the cell to open: `table` (breakdown group, 0 without one), `row`
/// (cohort) and `column`, all counted from 0.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RetentionCellSpec {
    #[serde(flatten)]
    pub retention: RetentionSpec,
    #[serde(default)]
    pub table: usize,
    pub row: usize,
    pub column: usize,
}

/// The answer to a [`Query`], tagged by the same `kind`.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum QueryResult {
    Retention(RetentionResult),
    RetentionCell(CellCustomers),
    Segment(SegmentResult),
    Funnel(FunnelResult),
    FunnelCustomers(CustomerList),
    Paths(PathsResult),
    PathsCustomers(CustomerList),
    Lifecycle(LifecycleResult),
    LifecycleCustomers(CustomerList),
    Kpi(KpiResult),
    Rfm(Box<RfmResult>),
    RfmCustomers(CustomerList),
    RfmTransitions(RfmTransitions),
    Clv(Box<ClvResult>),
    ClvCustomers(ClvCustomers),
    Renewal(RenewalResult),
    LtvCac(LtvCacResult),
    JourneyValidate(JourneyValidation),
    JourneyBacktest(BacktestResult),
    JourneyBacktestCustomers(CustomerList),
    Relationship(RelationshipResult),
    RelationshipTransitions(RelationshipTransitions),
    RelationshipCustomers(CustomerList),
}

/// Customers as their ids, in store order.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CustomerList {
    pub count: usize,
    pub customers: Vec<String>,
}

impl CustomerList {
    pub fn of(store: &Store, customers: &[CustomerIx]) -> CustomerList {
        CustomerList {
            count: customers.len(),
            customers: customers
                .iter()
                .map(|&c| store.customers.ids[c as usize].clone())
                .collect(),
        }
    }
}

/// The customers behind a retention cell, each with when they started and the events that
/// counted for the cell.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CellCustomers {
    pub count: usize,
    pub customers: Vec<CellCustomer>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CellCustomer {
    pub id: String,
    /// RFC 3339 in the query's zone.
    pub start: String,
    pub events: Vec<EventRecord>,
}

/// One event, for display.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EventRecord {
    #[serde(rename = "type")]
    pub event_type: String,
    /// RFC 3339 in the query's zone.
    pub at: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value: Option<f64>,
}

fn rfc3339(ctx: &Context, unix: i64) -> String {
    ctx.zone
        .datetime(unix)
        .to_rfc3339_opts(chrono::SecondsFormat::Secs, false)
}

impl CellCustomers {
    fn of(store: &Store, ctx: &Context, members: &[retention::CellMember]) -> CellCustomers {
        let customers = members
            .iter()
            .map(|m| CellCustomer {
                id: store.customers.ids[m.customer as usize].clone(),
                start: rfc3339(ctx, m.start),
                events: m
                    .events
                    .iter()
                    .map(|&e| EventRecord {
                        event_type: store
                            .event_types
                            .name(store.events.event_type[e] as u32)
                            .to_owned(),
                        at: rfc3339(ctx, store.events.at[e]),
                        value: store.events.value_of(e),
                    })
                    .collect(),
            })
            .collect();
        CellCustomers {
            count: members.len(),
            customers,
        }
    }
}

/// A result with the resolved context it was computed in, so the output says exactly what
/// "now", zone and week start were.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct QueryOutput {
    pub v: u32,
    pub now: String,
    pub time_zone: String,
    pub week_start: WeekStart,
    #[serde(flatten)]
    pub result: QueryResult,
}

/// Reads a query from JSON, naming the field at fault.
pub fn parse(json: &[u8]) -> Result<Query, QueryError> {
    let value: serde_json::Value = serde_json::from_slice(json)
        .map_err(|e| QueryError::new("", QueryErrorKind::Malformed, e.to_string()))?;
    let version = serde_json::from_value::<VersionOnly>(value.clone())
        .map_err(|e| QueryError::new("v", QueryErrorKind::Malformed, e.to_string()))?;
    if version.v != QUERY_VERSION {
        return Err(unsupported(version.v));
    }
    // RFM kinds name their R × F segments `segments` (a list), the same key as the segment
    // library (a map): a list there is the RFM definition.
    let mut value = value;
    let rfm_segments = match (
        value.get("kind").and_then(|k| k.as_str()),
        value.get("segments"),
    ) {
        (Some("rfm" | "rfm_customers" | "rfm_transitions"), Some(serde_json::Value::Array(_))) => {
            value.as_object_mut().and_then(|o| o.remove("segments"))
        }
        _ => None,
    };
    if let Some(list) = rfm_segments {
        let segments: Vec<super::rfm::RfmSegmentDef> = serde_path_to_error::deserialize(list)
            .map_err(|e| {
                QueryError::new(
                    format!("segments{}", e.path()).replace("segments.", "segments"),
                    QueryErrorKind::Malformed,
                    e.into_inner().to_string(),
                )
            })?;
        let mut query = parse_value(value)?;
        match &mut query.analysis {
            Analysis::Rfm(spec) => spec.segments = segments,
            Analysis::RfmCustomers(spec) => spec.rfm.segments = segments,
            Analysis::RfmTransitions(spec) => spec.rfm.segments = segments,
            _ => {}
        }
        return Ok(query);
    }
    parse_value(value)
}

fn parse_value(value: serde_json::Value) -> Result<Query, QueryError> {
    serde_json::from_value::<Query>(value.clone()).map_err(|err| {
        // `flatten` loses the path of the field at fault: find it by reading the parts alone.
        located_error(&value)
            .unwrap_or_else(|| QueryError::new("", QueryErrorKind::Malformed, err.to_string()))
    })
}

fn unsupported(v: u32) -> QueryError {
    QueryError::new(
        "v",
        QueryErrorKind::UnsupportedVersion,
        format!("query version {v} is not supported (this engine reads v{QUERY_VERSION})"),
    )
}

/// The parts of a query outside the analysis, read alone to locate errors.
#[derive(Deserialize)]
#[allow(dead_code)] // Read only for its errors.
struct Envelope {
    #[serde(flatten)]
    context: QueryContext,
    #[serde(default)]
    segments: SegmentLibrary,
    #[serde(default)]
    filter: Option<Rule>,
    kind: String,
}

/// The first error in `value`, with its path, by reading each part on its own.
fn located_error(value: &serde_json::Value) -> Option<QueryError> {
    fn first<T: serde::de::DeserializeOwned>(value: &serde_json::Value) -> Option<QueryError> {
        serde_path_to_error::deserialize::<_, T>(value.clone())
            .err()
            .map(|err| {
                let path = err.path().to_string();
                let path = if path == "." { String::new() } else { path };
                QueryError::new(
                    path,
                    QueryErrorKind::Malformed,
                    err.into_inner().to_string(),
                )
            })
    }
    first::<Envelope>(value).or_else(|| match value.get("kind")?.as_str()? {
        "retention" => first::<RetentionSpec>(value),
        "retention_cell" => first::<RetentionCellSpec>(value),
        "segment" => first::<SegmentSpec>(value),
        "funnel" => first::<FunnelSpec>(value),
        "funnel_customers" => first::<FunnelCustomersSpec>(value),
        "paths" => first::<PathsSpec>(value),
        "paths_customers" => first::<PathsCustomersSpec>(value),
        "lifecycle" => first::<LifecycleSpec>(value),
        "lifecycle_customers" => first::<LifecycleCustomersSpec>(value),
        "kpi" => first::<KpiSpec>(value),
        "rfm" => first::<RfmSpec>(value),
        "rfm_customers" => first::<RfmCustomersSpec>(value),
        "rfm_transitions" => first::<RfmTransitionsSpec>(value),
        "clv" => first::<ClvSpec>(value),
        "clv_customers" => first::<ClvSpec>(value).or_else(|| first::<ClvCustomersSpec>(value)),
        "renewal" => first::<RenewalSpec>(value),
        "ltv_cac" => first::<LtvCacSpec>(value),
        "journey_validate" => first::<JourneyValidateSpec>(value),
        "journey_backtest" => first::<BacktestSpec>(value),
        "journey_backtest_customers" => first::<BacktestCustomersSpec>(value),
        "relationship" => first::<RelationshipAtSpec>(value),
        "relationship_transitions" => first::<RelationshipTransitionsSpec>(value),
        "relationship_customers" => first::<RelationshipCustomersSpec>(value),
        other => Some(QueryError::new(
            "kind",
            QueryErrorKind::Malformed,
            format!(
                "unknown kind {other:?} (expected one of {})",
                KINDS.join(", ")
            ),
        )),
    })
}

#[derive(Deserialize)]
struct VersionOnly {
    v: u32,
}

/// Runs a query against a store: the single entry point of every analysis.
pub fn run(store: &Store, query: &Query) -> Result<QueryOutput, QueryError> {
    if query.v != QUERY_VERSION {
        return Err(QueryError::new(
            "v",
            QueryErrorKind::UnsupportedVersion,
            format!(
                "query version {} is not supported (this engine reads v{QUERY_VERSION})",
                query.v
            ),
        ));
    }
    let ctx = query.context.resolve(store)?;
    let population = query
        .filter
        .as_ref()
        .map(|rule| {
            segment::evaluate(store, &ctx, rule, &query.segments).map_err(|e| e.within("filter"))
        })
        .transpose()?;
    let population = population.as_ref();
    let resolve_groups = |breakdown: &Option<Breakdown>| -> Result<Option<Groups>, QueryError> {
        breakdown
            .as_ref()
            .map(|b| groups(store, &ctx, b, &query.segments).map_err(|e| e.within("breakdown")))
            .transpose()
    };
    let result = match &query.analysis {
        Analysis::Retention(spec) => {
            let groups = resolve_groups(&spec.breakdown)?;
            QueryResult::Retention(retention::run(
                store,
                &ctx,
                spec,
                population,
                groups.as_ref(),
            )?)
        }
        Analysis::RetentionCell(cell) => {
            let groups = resolve_groups(&cell.retention.breakdown)?;
            let members = retention::cell_members(
                store,
                &ctx,
                &cell.retention,
                population,
                groups.as_ref(),
                (cell.table, cell.row, cell.column),
            )?;
            QueryResult::RetentionCell(CellCustomers::of(store, &ctx, &members))
        }
        Analysis::Segment(spec) => QueryResult::Segment(segment::run(
            store,
            &ctx,
            spec,
            &query.segments,
            population,
        )?),
        Analysis::Funnel(spec) => {
            let groups = resolve_groups(&spec.breakdown)?;
            QueryResult::Funnel(funnel::run(store, &ctx, spec, population, groups.as_ref())?)
        }
        Analysis::FunnelCustomers(spec) => {
            let customers = funnel::step_customers(
                store,
                &ctx,
                &spec.funnel,
                population,
                spec.step,
                spec.dropped,
            )?;
            QueryResult::FunnelCustomers(CustomerList::of(store, &customers))
        }
        Analysis::Paths(spec) => QueryResult::Paths(paths::run(store, &ctx, spec, population)?),
        Analysis::PathsCustomers(spec) => {
            let customers = match &spec.target {
                Some(target) => paths::link_customers(
                    store,
                    &ctx,
                    &spec.paths,
                    population,
                    spec.step,
                    &spec.label,
                    target,
                )?,
                None => paths::node_customers(
                    store,
                    &ctx,
                    &spec.paths,
                    population,
                    spec.step,
                    &spec.label,
                )?,
            };
            QueryResult::PathsCustomers(CustomerList::of(store, &customers))
        }
        Analysis::Lifecycle(spec) => {
            let groups = resolve_groups(&spec.breakdown)?;
            QueryResult::Lifecycle(lifecycle::run(
                store,
                &ctx,
                spec,
                population,
                groups.as_ref(),
            )?)
        }
        Analysis::LifecycleCustomers(spec) => {
            let customers = lifecycle::stage_customers(
                store,
                &ctx,
                &spec.lifecycle,
                population,
                spec.period_index,
                spec.stage,
            )?;
            QueryResult::LifecycleCustomers(CustomerList::of(store, &customers))
        }
        Analysis::Kpi(spec) => QueryResult::Kpi(kpi::run(store, &ctx, spec, population)?),
        Analysis::Rfm(spec) => QueryResult::Rfm(Box::new(rfm::run(store, &ctx, spec, population)?)),
        Analysis::RfmCustomers(spec) => {
            let customers =
                rfm::segment_customers(store, &ctx, &spec.rfm, population, &spec.segment)?;
            QueryResult::RfmCustomers(CustomerList::of(store, &customers))
        }
        Analysis::RfmTransitions(spec) => {
            let from = parse_date_or_timestamp(&spec.from, &ctx.zone).ok_or_else(|| {
                QueryError::invalid(
                    "from",
                    format!("{:?} is not a date or timestamp", spec.from),
                )
            })?;
            if from > ctx.now {
                return Err(QueryError::invalid("from", "must not be after now"));
            }
            let from_ctx = Context { now: from, ..ctx };
            QueryResult::RfmTransitions(rfm::transitions(
                store, &spec.rfm, population, &from_ctx, &ctx,
            )?)
        }
        Analysis::Clv(spec) => QueryResult::Clv(Box::new(clv::run(store, &ctx, spec, population)?)),
        Analysis::ClvCustomers(spec) => {
            let model = clv::model(store, &ctx, &spec.clv, population)?;
            let mut customers = model.customers(store, &spec.clv);
            let count = customers.len();
            let key = |v: Option<f64>| v.unwrap_or(f64::NEG_INFINITY);
            match spec.order {
                ClvOrder::Store => {}
                ClvOrder::ClvDesc => customers.sort_by(|a, b| key(b.clv).total_cmp(&key(a.clv))),
                ClvOrder::PAliveAsc => customers.sort_by(|a, b| {
                    let k = |v: Option<f64>| v.unwrap_or(f64::INFINITY);
                    k(a.p_alive).total_cmp(&k(b.p_alive))
                }),
            }
            if let Some(limit) = spec.limit {
                customers.truncate(limit);
            }
            QueryResult::ClvCustomers(ClvCustomers { count, customers })
        }
        Analysis::Renewal(spec) => {
            QueryResult::Renewal(renewal::run(store, &ctx, spec, population)?)
        }
        Analysis::LtvCac(spec) => QueryResult::LtvCac(ltv_cac::run(store, &ctx, spec, population)?),
        Analysis::JourneyValidate(spec) => {
            QueryResult::JourneyValidate(validate_journey(store, &ctx, spec, &query.segments)?)
        }
        Analysis::JourneyBacktest(spec) => QueryResult::JourneyBacktest(backtest::run(
            store,
            &ctx,
            spec,
            &query.segments,
            population,
        )?),
        Analysis::JourneyBacktestCustomers(spec) => {
            let customers = backtest::customers(store, &ctx, spec, &query.segments, population)?;
            QueryResult::JourneyBacktestCustomers(CustomerList::of(store, &customers))
        }
        Analysis::Relationship(spec) => {
            let at = instant(&ctx, "at", spec.at.as_deref())?;
            QueryResult::Relationship(relationship::run(
                store,
                &at,
                &spec.relationship,
                &query.segments,
                population,
            )?)
        }
        Analysis::RelationshipTransitions(spec) => {
            let from = instant(&ctx, "from", Some(&spec.from))?;
            let to = instant(&ctx, "to", spec.to.as_deref())?;
            QueryResult::RelationshipTransitions(relationship::transitions(
                store,
                &spec.relationship,
                &query.segments,
                population,
                &from,
                &to,
            )?)
        }
        Analysis::RelationshipCustomers(spec) => {
            let to = instant(&ctx, "to", spec.to.as_deref())?;
            let from = match (&spec.from, &spec.from_stage) {
                (Some(from), Some(stage)) => Some((instant(&ctx, "from", Some(from))?, stage)),
                (None, None) => None,
                _ => {
                    return Err(QueryError::invalid(
                        "from_stage",
                        "`from` and `from_stage` go together",
                    ))
                }
            };
            if let Some((from, _)) = &from {
                if from.now > to.now {
                    return Err(QueryError::invalid("from", "must not be after `to`"));
                }
            }
            let customers = relationship::customers(
                store,
                &spec.relationship,
                &query.segments,
                population,
                from.as_ref().map(|(c, s)| (c, s.as_str())),
                &to,
                &spec.stage,
            )?;
            QueryResult::RelationshipCustomers(CustomerList::of(store, &customers))
        }
    };
    Ok(QueryOutput {
        v: QUERY_VERSION,
        now: rfc3339(&ctx, ctx.now),
        time_zone: ctx.zone.name().to_owned(),
        week_start: ctx.week_start,
        result,
    })
}

fn validate_journey(
    store: &Store,
    ctx: &Context,
    spec: &JourneyValidateSpec,
    library: &SegmentLibrary,
) -> Result<JourneyValidation, QueryError> {
    let validation = journey_validate::validate(store, ctx, &spec.journey, library);
    let mut previews = Vec::new();
    if let Some(customer) = &spec.preview_customer {
        if store.customers.find(customer).is_none() {
            return Err(QueryError::invalid(
                "preview_customer",
                format!("no customer has the id {customer:?}"),
            ));
        }
        for node in &spec.journey.nodes {
            if let super::journey::Step::Message { content, .. } = &node.step {
                if let Some(preview) = journey_validate::preview(store, ctx, content, customer) {
                    previews.push(NodePreview {
                        node: node.id.clone(),
                        preview,
                    });
                }
            }
        }
    }
    Ok(JourneyValidation {
        validation,
        previews,
    })
}

/// The context at an instant given as RFC 3339 or `YYYY-MM-DD` (local midnight), not after
/// now; `None` is now itself.
fn instant(ctx: &Context, path: &str, text: Option<&str>) -> Result<Context, QueryError> {
    let Some(text) = text else {
        return Ok(*ctx);
    };
    let at = parse_date_or_timestamp(text, &ctx.zone)
        .ok_or_else(|| QueryError::invalid(path, format!("{text:?} is not a date or timestamp")))?;
    if at > ctx.now {
        return Err(QueryError::invalid(path, "must not be after now"));
    }
    Ok(Context { now: at, ..*ctx })
}

/// Resolves a breakdown into customer groups.
pub fn groups(
    store: &Store,
    ctx: &Context,
    breakdown: &Breakdown,
    library: &SegmentLibrary,
) -> Result<Groups, QueryError> {
    match breakdown {
        Breakdown::Attribute { attribute, limit } => groups_by_attribute(store, attribute, *limit)
            .ok_or_else(|| {
                QueryError::new(
                    "attribute",
                    QueryErrorKind::UnknownAttribute,
                    format!("the data has no attribute {attribute:?}"),
                )
            }),
        Breakdown::Segments { segments } => {
            let mut groups = Groups {
                labels: Vec::with_capacity(segments.len()),
                members: Vec::with_capacity(segments.len()),
            };
            for (i, named) in segments.iter().enumerate() {
                let set = segment::evaluate(store, ctx, &named.rule, library)
                    .map_err(|e| e.within(&format!("segments[{i}].rule")))?;
                groups.labels.push(named.label.clone());
                groups.members.push(set);
            }
            Ok(groups)
        }
    }
}
