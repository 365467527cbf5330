//! The benchmark loop shared by the native `crm-lens-bench` tool and the wasm export the
//! browser benchmark calls (`bench/run`, `docs/benchmarks.md`): ingest the three JSON files
//! `repeat` times, then run each named query `repeat` times, and report medians.
//!
//! Plain Rust with no clock of its own: the caller passes one (milliseconds from any origin),
//! `std::time::Instant` natively and `performance.now()` in the browser.

use serde::{Deserialize, Serialize};

use crate::engine::funnel::{self, FunnelSpec};
use crate::engine::lifecycle::{self, LifecycleSpec};
use crate::engine::paths::{self, PathsSpec};
use crate::engine::query::{self, Query, QueryContext};
use crate::engine::Store;

/// A benchmark query: a spec `query::run` answers, or — for analyses the engine has but
/// `query::run` does not route yet (funnel, paths, lifecycle) — the analysis called directly
/// with the same context and no filter.
#[derive(Debug, Clone)]
pub enum BenchQuery {
    Spec(Box<Query>),
    Direct(QueryContext, Box<DirectAnalysis>),
}

/// The analyses run without `query::run`, read from the same JSON (`kind` and its fields).
#[derive(Debug, Clone, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum DirectAnalysis {
    Funnel(FunnelSpec),
    Paths(PathsSpec),
    Lifecycle(LifecycleSpec),
}

impl BenchQuery {
    /// Runs the query once; returns its milliseconds and, when `keep`, its output as JSON.
    fn timed_run(
        &self,
        store: &Store,
        clock: &dyn Fn() -> f64,
        keep: bool,
    ) -> Result<(f64, Option<serde_json::Value>), String> {
        fn json<T: Serialize>(
            keep: bool,
            kind: &str,
            value: T,
        ) -> Result<Option<serde_json::Value>, String> {
            if !keep {
                return Ok(None);
            }
            let mut value = serde_json::to_value(value).map_err(|e| e.to_string())?;
            if let Some(object) = value.as_object_mut() {
                object
                    .entry("kind")
                    .or_insert_with(|| serde_json::Value::from(kind));
            }
            Ok(Some(value))
        }
        let start = clock();
        match self {
            BenchQuery::Spec(q) => {
                let out = query::run(store, q).map_err(|e| e.to_string())?;
                let ms = clock() - start;
                Ok((ms, json(keep, "", out)?))
            }
            BenchQuery::Direct(context, analysis) => {
                let ctx = context.resolve(store).map_err(|e| e.to_string())?;
                match analysis.as_ref() {
                    DirectAnalysis::Funnel(spec) => {
                        let out = funnel::run(store, &ctx, spec, None, None)
                            .map_err(|e| e.to_string())?;
                        let ms = clock() - start;
                        Ok((ms, json(keep, "funnel", out)?))
                    }
                    DirectAnalysis::Paths(spec) => {
                        let out = paths::run(store, &ctx, spec, None).map_err(|e| e.to_string())?;
                        let ms = clock() - start;
                        Ok((ms, json(keep, "paths", out)?))
                    }
                    DirectAnalysis::Lifecycle(spec) => {
                        let out = lifecycle::run(store, &ctx, spec, None, None)
                            .map_err(|e| e.to_string())?;
                        let ms = clock() - start;
                        Ok((ms, json(keep, "lifecycle", out)?))
                    }
                }
            }
        }
    }
}

/// One benchmark query: a name for the table and a query spec (`docs/query-spec.md`).
#[derive(Debug, Clone, Deserialize)]
pub struct NamedQuery {
    pub name: String,
    pub query: serde_json::Value,
}

/// The timings of one thing run `runs.len()` times, in milliseconds.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Timing {
    pub median_ms: f64,
    pub min_ms: f64,
    pub runs_ms: Vec<f64>,
}

impl Timing {
    fn of(mut runs_ms: Vec<f64>) -> Timing {
        let median_ms = median(&mut runs_ms.clone());
        let min_ms = runs_ms.iter().copied().fold(f64::INFINITY, f64::min);
        runs_ms.shrink_to_fit();
        Timing {
            median_ms,
            min_ms,
            runs_ms,
        }
    }
}

/// The median of some numbers (the mean of the middle two for an even count); 0 for none.
pub fn median(values: &mut [f64]) -> f64 {
    if values.is_empty() {
        return 0.0;
    }
    values.sort_by(f64::total_cmp);
    let mid = values.len() / 2;
    if values.len() % 2 == 1 {
        values[mid]
    } else {
        (values[mid - 1] + values[mid]) / 2.0
    }
}

/// One query's timing and a small digest of its answer (a segment's count, the customers in a
/// retention table …), so a run against another system can be checked to answer the same.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct QueryTiming {
    pub name: String,
    pub kind: String,
    #[serde(flatten)]
    pub timing: Timing,
    pub check: serde_json::Value,
}

/// Everything one benchmark run measured.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Report {
    pub customers: usize,
    pub events: usize,
    /// Bytes of the three JSON files.
    pub input_bytes: usize,
    /// Full `Store::from_json` runs (parse, validate, sort, intern).
    pub ingest: Timing,
    /// `input_bytes` per median ingest, in MB (10^6 bytes) per second.
    pub ingest_mb_per_s: f64,
    /// `Store::event_bytes()`: the event columns' allocated bytes.
    pub event_bytes: usize,
    pub bytes_per_event: f64,
    pub queries: Vec<QueryTiming>,
}

/// Reads a benchmark query file: `[{"name": …, "query": {…}}, …]`, each query checked with
/// [`query::parse`] (or read as a [`DirectAnalysis`] when `query::run` has no such kind).
pub fn parse_queries(json: &[u8]) -> Result<Vec<(String, BenchQuery)>, String> {
    let named: Vec<NamedQuery> =
        serde_json::from_slice(json).map_err(|e| format!("bad query file: {e}"))?;
    named
        .into_iter()
        .map(|n| {
            let kind = n.query["kind"].as_str().unwrap_or("");
            let parsed = if query::KINDS.contains(&kind) {
                query::parse(n.query.to_string().as_bytes())
                    .map(|q| BenchQuery::Spec(Box::new(q)))
                    .map_err(|e| e.to_string())
            } else {
                serde_json::from_value::<QueryContext>(n.query.clone())
                    .and_then(|ctx| {
                        serde_json::from_value::<DirectAnalysis>(n.query.clone())
                            .map(|a| BenchQuery::Direct(ctx, Box::new(a)))
                    })
                    .map_err(|e| e.to_string())
            };
            Ok((
                n.name.clone(),
                parsed.map_err(|e| format!("query {:?}: {e}", n.name))?,
            ))
        })
        .collect()
}

/// Runs the benchmark: `repeat` ingests (the last store is kept), then `repeat` runs of each
/// query, parsed beforehand. `clock` returns milliseconds from a fixed origin.
pub fn run(
    meta: &[u8],
    customers: &[u8],
    events: &[u8],
    queries: &[(String, BenchQuery)],
    repeat: usize,
    clock: &dyn Fn() -> f64,
) -> Result<Report, String> {
    let repeat = repeat.max(1);
    let mut ingest_runs = Vec::with_capacity(repeat);
    let mut store = None;
    for _ in 0..repeat {
        // Drop the previous store first, so that only one is resident at a time.
        drop(store.take());
        let start = clock();
        let (built, _) =
            Store::from_json(meta, customers, events).map_err(|e| format!("bad data: {e}"))?;
        ingest_runs.push(clock() - start);
        store = Some(built);
    }
    let store = store.expect("at least one ingest ran");
    let ingest = Timing::of(ingest_runs);
    let input_bytes = meta.len() + customers.len() + events.len();
    let events_count = store.events.len();
    let event_bytes = store.event_bytes();

    let mut timings = Vec::with_capacity(queries.len());
    for (name, q) in queries {
        let mut runs = Vec::with_capacity(repeat);
        let mut output = serde_json::Value::Null;
        for i in 0..repeat {
            let (ms, out) = q
                .timed_run(&store, clock, i + 1 == repeat)
                .map_err(|e| format!("query {name:?}: {e}"))?;
            runs.push(ms);
            output = out.unwrap_or(output);
        }
        let kind = output["kind"].as_str().unwrap_or("").to_owned();
        timings.push(QueryTiming {
            name: name.clone(),
            check: digest(&output),
            kind,
            timing: Timing::of(runs),
        });
    }

    Ok(Report {
        customers: store.customers.len(),
        events: events_count,
        input_bytes,
        ingest_mb_per_s: if ingest.median_ms > 0.0 {
            input_bytes as f64 / 1e6 / (ingest.median_ms / 1e3)
        } else {
            0.0
        },
        ingest,
        event_bytes,
        bytes_per_event: if events_count > 0 {
            event_bytes as f64 / events_count as f64
        } else {
            0.0
        },
        queries: timings,
    })
}

/// Named steps and their milliseconds.
pub type Phases = Vec<(&'static str, f64)>;

/// Where ingest time goes: each step of `Store::from_json` timed on its own (one run), plus
/// the floor of merely scanning the events JSON without building anything. Returns the store.
pub fn ingest_phases(
    meta: &[u8],
    customers: &[u8],
    events: &[u8],
    clock: &dyn Fn() -> f64,
) -> Result<(Phases, Store), String> {
    use crate::engine::ingest::{parse_customers, parse_meta};
    let mut phases = Vec::new();
    let mut lap = {
        let mut last = clock();
        move |phases: &mut Phases, name: &'static str| {
            let now = clock();
            phases.push((name, now - last));
            last = now;
        }
    };
    let meta = parse_meta(meta).map_err(|e| e.to_string())?;
    let mut store = Store::empty(meta);
    lap(&mut phases, "meta");
    let records = parse_customers(customers).map_err(|e| e.to_string())?;
    lap(&mut phases, "customers: parse JSON into records");
    store.upsert_customers(records).map_err(|e| e.to_string())?;
    lap(&mut phases, "customers: into columns");
    store.append_events(events).map_err(|e| e.to_string())?;
    lap(&mut phases, "events: parse, intern, sort into columns");
    serde_json::from_slice::<serde::de::IgnoredAny>(events).map_err(|e| e.to_string())?;
    lap(&mut phases, "(floor: scan events JSON, build nothing)");
    Ok((phases, store))
}

/// Where a segment query's time goes: compiling the rule (which evaluates referenced library
/// segments) and evaluating it over every customer; `None` for other kinds. One run each.
pub fn segment_phases(
    store: &Store,
    query: &BenchQuery,
    clock: &dyn Fn() -> f64,
) -> Result<Option<(f64, f64)>, String> {
    use crate::engine::query::Analysis;
    use crate::engine::segment::CompiledRule;
    let BenchQuery::Spec(query) = query else {
        return Ok(None);
    };
    let Analysis::Segment(spec) = &query.analysis else {
        return Ok(None);
    };
    let ctx = query.context.resolve(store).map_err(|e| e.to_string())?;
    let start = clock();
    let compiled = CompiledRule::compile(store, &ctx, &spec.rule, &query.segments)
        .map_err(|e| e.to_string())?;
    let compiled_at = clock();
    let members = compiled.evaluate(store, None);
    let evaluated_at = clock();
    std::hint::black_box(members);
    Ok(Some((compiled_at - start, evaluated_at - compiled_at)))
}

/// A small, comparable digest of a query's output: a segment's `count`, a retention table's
/// non-empty cohorts, their customers and column-1 customers, a funnel's customers per step,
/// lifecycle stage totals, paths' customers and links, or the output's top-level numbers.
fn digest(output: &serde_json::Value) -> serde_json::Value {
    use serde_json::{json, Value};
    match output["kind"].as_str() {
        Some("segment") => json!({"count": output["count"], "total": output["total"]}),
        Some("retention") => {
            let rows = output["tables"][0]["rows"].as_array();
            let sum = |f: &dyn Fn(&Value) -> Option<u64>| -> u64 {
                rows.map(|rows| rows.iter().filter_map(f).sum())
                    .unwrap_or(0)
            };
            json!({
                "cohorts": sum(&|r| r["size"].as_u64().map(|size| u64::from(size > 0))),
                "customers": sum(&|r| r["size"].as_u64()),
                "column_1": sum(&|r| r["cells"][1]["customers"].as_u64()),
            })
        }
        Some("funnel") => json!({
            "steps": output["steps"]
                .as_array()
                .map(|steps| steps.iter().map(|s| s["customers"].clone()).collect::<Vec<_>>()),
        }),
        Some("lifecycle") => {
            let periods = output["periods"].as_array();
            let total = |stage: &str| -> u64 {
                periods
                    .map(|ps| ps.iter().filter_map(|p| p[stage].as_u64()).sum())
                    .unwrap_or(0)
            };
            json!({
                "dormant": total("dormant"),
                "new": total("new"),
                "resurrecting": total("resurrecting"),
                "returning": total("returning"),
            })
        }
        Some("paths") => json!({
            "customers": output["customers"],
            "links": output["links"].as_array().map(Vec::len),
        }),
        _ => Value::Object(
            output
                .as_object()
                .map(|o| {
                    o.iter()
                        .filter(|(_, v)| v.is_number())
                        .map(|(k, v)| (k.clone(), v.clone()))
                        .collect()
                })
                .unwrap_or_default(),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn median_of_odd_and_even_counts() {
        assert_eq!(median(&mut [3.0, 1.0, 2.0]), 2.0);
        assert_eq!(median(&mut [4.0, 1.0, 3.0, 2.0]), 2.5);
        assert_eq!(median(&mut []), 0.0);
    }

    #[test]
    fn runs_the_demo_data_and_the_bench_queries() {
        let read = |name: &str| std::fs::read(format!("public/demo/{name}")).unwrap();
        let queries = parse_queries(&std::fs::read("bench/queries.json").unwrap()).unwrap();
        assert!(queries.len() >= 12, "retention and every rule kind");
        let start = std::time::Instant::now();
        let clock = || start.elapsed().as_secs_f64() * 1e3;
        let report = run(
            &read("meta.json"),
            &read("customers.json"),
            &read("events.json"),
            &queries,
            1,
            &clock,
        )
        .unwrap();
        assert_eq!(report.customers, 6000);
        assert!(report.bytes_per_event > 0.0 && report.ingest_mb_per_s > 0.0);
        assert_eq!(report.queries.len(), queries.len());
        let retention = &report.queries[0];
        assert_eq!(retention.kind, "retention");
        assert!(retention.check["cohorts"].as_u64().unwrap() > 0);
        let segments: Vec<_> = report
            .queries
            .iter()
            .filter(|q| q.kind == "segment")
            .collect();
        assert!(segments.len() >= 11, "one segment query per rule kind");
        for q in segments {
            assert!(q.check["count"].is_u64(), "{}", q.name);
        }
    }
}
