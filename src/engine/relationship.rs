//! Relationship stages from relationship marketing (exploration → basic → collaboration →
//! interconnection), each defined by an editable segment rule, and how customers moved between
//! them from one date to another.
//!
//! # Semantics
//!
//! * A customer's stage **as of** an instant `t` is the first stage, from the top of the list,
//!   whose rule holds at `now = t` (so events after `t` are ignored, see `engine::segment`);
//!   customers matching no stage are [`NO_STAGE`]. The default list is ordered from the closest
//!   relationship down, so a customer who qualifies for several stages gets the highest.
//! * Only customers in the population who had signed up by `t` (`created_at <= t`) have a stage
//!   at `t`.
//! * **Transitions** from `from` to `to` (`from <= to`): every customer of the population who had
//!   signed up by `to` is counted once in `counts[stage at from][stage at to]`; customers who
//!   signed up after `from` start in [`NOT_YET`].

use serde::{Deserialize, Serialize};

use super::filter::{EventFilter, ANY_ACTIVITY};
use super::population::{includes, CustomerSet};
use super::query::QueryError;
use super::segment::{CompiledRule, SegmentLibrary};
use super::segment_rule::{CompareOp, Comparison, Rule, Window};
use super::store::{CustomerIx, Store};
use super::time::Context;

/// The label of customers matching no stage.
pub const NO_STAGE: &str = "(no stage)";
/// The label, at the earlier date, of customers who had not signed up yet.
pub const NOT_YET: &str = "(not yet a customer)";
/// The most stages a spec may define.
pub const MAX_STAGES: usize = 12;

/// A named stage and the rule that puts a customer in it.
#[derive(Serialize, Deserialize, Debug, Clone, PartialEq)]
pub struct StageDef {
    pub name: String,
    pub rule: Rule,
}

/// The stages, first match from the top wins.
///
/// ```json
/// {"stages": [{"name": "basic", "rule": {"rule": "performed", "event": {"event": "purchase"}}}]}
/// ```
#[derive(Serialize, Deserialize, Debug, Clone, PartialEq)]
pub struct RelationshipSpec {
    #[serde(default = "default_stages")]
    pub stages: Vec<StageDef>,
}

impl Default for RelationshipSpec {
    fn default() -> Self {
        RelationshipSpec {
            stages: default_stages(),
        }
    }
}

fn performed(event: &str, at_least: u32, last_days: u32) -> Rule {
    Rule::Performed {
        event: EventFilter::of(event),
        count: Comparison {
            op: CompareOp::Gte,
            value: f64::from(at_least),
        },
        window: Window::LastDays(last_days),
    }
}

/// The default stages, closest relationship first: interconnection (5+ purchases in a year),
/// collaboration (2+), basic (1), exploration (any activity in the last 90 days).
pub fn default_stages() -> Vec<StageDef> {
    [
        ("interconnection", performed("purchase", 5, 365)),
        ("collaboration", performed("purchase", 2, 365)),
        ("basic", performed("purchase", 1, 365)),
        ("exploration", performed(ANY_ACTIVITY, 1, 90)),
    ]
    .into_iter()
    .map(|(name, rule)| StageDef {
        name: name.to_owned(),
        rule,
    })
    .collect()
}

impl RelationshipSpec {
    pub fn validate(&self) -> Result<(), QueryError> {
        if self.stages.is_empty() {
            return Err(QueryError::invalid(
                "stages",
                "at least one stage is needed",
            ));
        }
        if self.stages.len() > MAX_STAGES {
            return Err(QueryError::invalid(
                "stages",
                format!("at most {MAX_STAGES} stages"),
            ));
        }
        for (i, stage) in self.stages.iter().enumerate() {
            let name = stage.name.trim();
            if name.is_empty() {
                return Err(QueryError::invalid(
                    format!("stages[{i}].name"),
                    "a stage needs a name",
                ));
            }
            if name == NO_STAGE || name == NOT_YET {
                return Err(QueryError::invalid(
                    format!("stages[{i}].name"),
                    format!("{name:?} is reserved"),
                ));
            }
            if self.stages[..i].iter().any(|s| s.name.trim() == name) {
                return Err(QueryError::invalid(
                    format!("stages[{i}].name"),
                    format!("two stages are called {name:?}"),
                ));
            }
        }
        Ok(())
    }

    /// The stage names, then [`NO_STAGE`].
    pub fn labels(&self) -> Vec<String> {
        self.stages
            .iter()
            .map(|s| s.name.clone())
            .chain([NO_STAGE.to_owned()])
            .collect()
    }

    /// The index of a label from [`Self::labels`] or [`NOT_YET`] (the last index).
    fn label_index(&self, label: &str) -> Option<usize> {
        if label == NO_STAGE {
            return Some(self.stages.len());
        }
        if label == NOT_YET {
            return Some(self.stages.len() + 1);
        }
        self.stages.iter().position(|s| s.name == label)
    }
}

/// Stage counts as of one instant.
#[derive(Serialize, Debug, Clone, PartialEq)]
pub struct RelationshipResult {
    /// Stage names, then [`NO_STAGE`].
    pub labels: Vec<String>,
    pub counts: Vec<usize>,
}

/// Moves between two instants: `counts[from][to]`.
#[derive(Serialize, Debug, Clone, PartialEq)]
pub struct RelationshipTransitions {
    /// Stage names, then [`NO_STAGE`], then [`NOT_YET`] (only ever a `from`).
    pub labels: Vec<String>,
    pub counts: Vec<Vec<usize>>,
}

/// Every customer's stage as of `ctx.now` (index = [`CustomerIx`]): an index into
/// [`RelationshipSpec::labels`], or `None` for customers outside the population or not yet
/// signed up.
pub fn stages_at(
    store: &Store,
    ctx: &Context,
    spec: &RelationshipSpec,
    library: &SegmentLibrary,
    population: Option<&CustomerSet>,
) -> Result<Vec<Option<usize>>, QueryError> {
    spec.validate()?;
    let members: Vec<CustomerSet> = spec
        .stages
        .iter()
        .enumerate()
        .map(|(i, stage)| {
            CompiledRule::compile(store, ctx, &stage.rule, library)
                .map(|rule| rule.evaluate(store, population))
                .map_err(|e| e.within(&format!("stages[{i}].rule")))
        })
        .collect::<Result<_, _>>()?;
    Ok((0..store.customers.len())
        .map(|c| {
            let exists =
                includes(population, c as CustomerIx) && store.customers.created_at[c] <= ctx.now;
            exists.then(|| {
                members
                    .iter()
                    .position(|m| m.contains(c))
                    .unwrap_or(spec.stages.len())
            })
        })
        .collect())
}

/// How many customers are in each stage as of `ctx.now`.
pub fn run(
    store: &Store,
    ctx: &Context,
    spec: &RelationshipSpec,
    library: &SegmentLibrary,
    population: Option<&CustomerSet>,
) -> Result<RelationshipResult, QueryError> {
    let stages = stages_at(store, ctx, spec, library, population)?;
    let mut counts = vec![0; spec.stages.len() + 1];
    for stage in stages.into_iter().flatten() {
        counts[stage] += 1;
    }
    Ok(RelationshipResult {
        labels: spec.labels(),
        counts,
    })
}

/// How customers moved between stages from `from_ctx.now` to `to_ctx.now`.
pub fn transitions(
    store: &Store,
    spec: &RelationshipSpec,
    library: &SegmentLibrary,
    population: Option<&CustomerSet>,
    from_ctx: &Context,
    to_ctx: &Context,
) -> Result<RelationshipTransitions, QueryError> {
    let (before, after) = both(store, spec, library, population, from_ctx, to_ctx)?;
    let not_yet = spec.stages.len() + 1;
    let mut counts = vec![vec![0; not_yet + 1]; not_yet + 1];
    for (from, to) in before.iter().zip(&after) {
        if let Some(to) = to {
            counts[from.unwrap_or(not_yet)][*to] += 1;
        }
    }
    let mut labels = spec.labels();
    labels.push(NOT_YET.to_owned());
    Ok(RelationshipTransitions { labels, counts })
}

/// The customers (ascending) in stage `to_label` at `to_ctx.now`, and with a `from` side, in
/// `from_label` at `from_ctx.now` too.
pub fn customers(
    store: &Store,
    spec: &RelationshipSpec,
    library: &SegmentLibrary,
    population: Option<&CustomerSet>,
    from: Option<(&Context, &str)>,
    to_ctx: &Context,
    to_label: &str,
) -> Result<Vec<CustomerIx>, QueryError> {
    let unknown = |path: &str, label: &str| {
        QueryError::invalid(path, format!("no relationship stage is called {label:?}"))
    };
    let wanted_to = spec
        .label_index(to_label)
        .filter(|&i| i <= spec.stages.len())
        .ok_or_else(|| unknown("stage", to_label))?;
    let after = stages_at(store, to_ctx, spec, library, population)?;
    let before = match from {
        Some((from_ctx, from_label)) => {
            let wanted_from = spec
                .label_index(from_label)
                .ok_or_else(|| unknown("from_stage", from_label))?;
            let before = stages_at(store, from_ctx, spec, library, population)?;
            Some((before, wanted_from))
        }
        None => None,
    };
    let not_yet = spec.stages.len() + 1;
    Ok((0..store.customers.len())
        .filter(|&c| after[c] == Some(wanted_to))
        .filter(|&c| match &before {
            Some((before, wanted)) => before[c].unwrap_or(not_yet) == *wanted,
            None => true,
        })
        .map(|c| c as CustomerIx)
        .collect())
}

type Pair = (Vec<Option<usize>>, Vec<Option<usize>>);

fn both(
    store: &Store,
    spec: &RelationshipSpec,
    library: &SegmentLibrary,
    population: Option<&CustomerSet>,
    from_ctx: &Context,
    to_ctx: &Context,
) -> Result<Pair, QueryError> {
    if from_ctx.now > to_ctx.now {
        return Err(QueryError::invalid("from", "must not be after `to`"));
    }
    Ok((
        stages_at(store, from_ctx, spec, library, population)?,
        stages_at(store, to_ctx, spec, library, population)?,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::time::{parse_timestamp, Zone, DAY};

    const META: &str =
        r#"{"v":1,"currency":"KRW","time_zone":"Asia/Seoul","event_types":[],"attributes":[]}"#;

    fn now() -> i64 {
        parse_timestamp("2026-06-30T12:00:00+09:00").expect("now")
    }

    fn iso(unix: i64) -> String {
        chrono::DateTime::from_timestamp(unix, 0)
            .expect("time")
            .to_rfc3339()
    }

    /// a: 6 purchases in the last 100 days; b: 2 purchases 200 and 10 days ago; c: one visit 5
    /// days ago; d: nothing; e: signed up 20 days ago, one purchase 3 days ago.
    fn fixture() -> Store {
        let mut events: Vec<String> = Vec::new();
        let mut push = |id: &str, kind: &str, days: i64| {
            events.push(format!(
                r#"{{"customer_id":"{id}","type":"{kind}","at":"{}","value":1000}}"#,
                iso(now() - days * DAY)
            ));
        };
        for days in [90, 80, 70, 60, 50, 40] {
            push("a", "purchase", days);
        }
        push("b", "purchase", 200);
        push("b", "purchase", 10);
        push("c", "visit", 5);
        push("e", "purchase", 3);
        // After now: ignored.
        push("d", "purchase", -1);
        let customers: Vec<String> = ["a", "b", "c", "d", "e"]
            .iter()
            .map(|id| {
                let days = if *id == "e" { 20 } else { 500 };
                format!(
                    r#"{{"id":"{id}","name":"{id}","created_at":"{}"}}"#,
                    iso(now() - days * DAY)
                )
            })
            .collect();
        let (store, _) = Store::from_json(
            META.as_bytes(),
            format!("[{}]", customers.join(",")).as_bytes(),
            format!("[{}]", events.join(",")).as_bytes(),
        )
        .expect("valid");
        store
    }

    fn at(days_ago: i64) -> Context {
        Context::new(now() - days_ago * DAY, Zone::default())
    }

    fn count_of(result: &RelationshipResult, label: &str) -> usize {
        let i = result
            .labels
            .iter()
            .position(|l| l == label)
            .expect("label");
        result.counts[i]
    }

    #[test]
    fn the_first_matching_stage_from_the_top_wins() {
        let store = fixture();
        let spec = RelationshipSpec::default();
        let lib = SegmentLibrary::new();
        let result = run(&store, &at(0), &spec, &lib, None).expect("runs");
        assert_eq!(count_of(&result, "interconnection"), 1); // a (also matches all below)
        assert_eq!(count_of(&result, "collaboration"), 1); // b
        assert_eq!(count_of(&result, "basic"), 1); // e
        assert_eq!(count_of(&result, "exploration"), 1); // c
        assert_eq!(count_of(&result, NO_STAGE), 1); // d: its purchase is after now
        assert_eq!(result.counts.iter().sum::<usize>(), 5);
    }

    #[test]
    fn stages_are_evaluated_as_of_the_date() {
        let store = fixture();
        let spec = RelationshipSpec::default();
        let lib = SegmentLibrary::new();
        // 45 days ago: a had 5 purchases (90..50 days ago), b one (200 days ago), c nothing in
        // the 90 days before, e had not signed up.
        let result = run(&store, &at(45), &spec, &lib, None).expect("runs");
        assert_eq!(count_of(&result, "interconnection"), 1);
        assert_eq!(count_of(&result, "basic"), 1);
        assert_eq!(count_of(&result, NO_STAGE), 2);
        assert_eq!(result.counts.iter().sum::<usize>(), 4);
    }

    #[test]
    fn transitions_count_each_customer_once_and_new_ones_start_not_yet() {
        let store = fixture();
        let spec = RelationshipSpec::default();
        let lib = SegmentLibrary::new();
        let moves = transitions(&store, &spec, &lib, None, &at(45), &at(0)).expect("runs");
        let ix = |label: &str| moves.labels.iter().position(|l| l == label).expect("label");
        assert_eq!(
            moves.counts[ix("interconnection")][ix("interconnection")],
            1
        );
        assert_eq!(moves.counts[ix("basic")][ix("collaboration")], 1);
        assert_eq!(moves.counts[ix(NO_STAGE)][ix("exploration")], 1);
        assert_eq!(moves.counts[ix(NO_STAGE)][ix(NO_STAGE)], 1);
        assert_eq!(moves.counts[ix(NOT_YET)][ix("basic")], 1);
        assert_eq!(moves.counts.iter().flatten().sum::<usize>(), 5);
        // The customers behind a count.
        let b = customers(
            &store,
            &spec,
            &lib,
            None,
            Some((&at(45), "basic")),
            &at(0),
            "collaboration",
        )
        .expect("lists");
        assert_eq!(b, vec![store.customers.find("b").expect("b")]);
        let e = customers(
            &store,
            &spec,
            &lib,
            None,
            Some((&at(45), NOT_YET)),
            &at(0),
            "basic",
        )
        .expect("lists");
        assert_eq!(e, vec![store.customers.find("e").expect("e")]);
        assert!(transitions(&store, &spec, &lib, None, &at(0), &at(45)).is_err());
        assert!(customers(&store, &spec, &lib, None, None, &at(0), NOT_YET).is_err());
    }

    #[test]
    fn the_population_and_bad_specs() {
        let store = fixture();
        let lib = SegmentLibrary::new();
        let mut only_a = CustomerSet::with_capacity(store.customers.len());
        only_a.insert(store.customers.find("a").expect("a") as usize);
        let result = run(
            &store,
            &at(0),
            &RelationshipSpec::default(),
            &lib,
            Some(&only_a),
        )
        .expect("runs");
        assert_eq!(result.counts.iter().sum::<usize>(), 1);
        let mut spec = RelationshipSpec::default();
        spec.stages[1].name = "interconnection".into();
        assert_eq!(
            run(&store, &at(0), &spec, &lib, None)
                .expect_err("dup")
                .path,
            "stages[1].name"
        );
        spec.stages.clear();
        assert!(run(&store, &at(0), &spec, &lib, None).is_err());
        let mut spec = RelationshipSpec::default();
        spec.stages[0].rule = Rule::Segment {
            id: "missing".into(),
        };
        assert!(run(&store, &at(0), &spec, &lib, None)
            .expect_err("unknown segment")
            .path
            .starts_with("stages[0].rule"));
    }
}
