//! The benchmark in the browser: the same loop as `crm-lens-bench` ([`crate::bench::run`]),
//! exported to JavaScript so `bench/wasm-bench.mjs` can time the wasm engine in headless
//! Chromium. Built only with the `bench-export` feature (`trunk build --release --features
//! bench-export`), so the shipped app does not carry it; the module is `crmLensBench` in
//! `crm-lens.js` (Trunk's page also puts it on `window.wasmBindings`).

use wasm_bindgen::prelude::*;

#[wasm_bindgen]
extern "C" {
    /// `performance.now()`: milliseconds, finer than `Date.now()`.
    #[wasm_bindgen(js_namespace = performance, js_name = now)]
    fn performance_now() -> f64;
}

/// Ingests the three files `repeat` times and runs each query of `queries` (the
/// `bench/queries.json` format) `repeat` times; returns the report as JSON.
#[wasm_bindgen(js_name = crmLensBench)]
pub fn crm_lens_bench(
    meta: &[u8],
    customers: &[u8],
    events: &[u8],
    queries: &[u8],
    repeat: u32,
) -> Result<String, JsError> {
    let queries = crate::bench::parse_queries(queries).map_err(|e| JsError::new(&e))?;
    let report = crate::bench::run(
        meta,
        customers,
        events,
        &queries,
        repeat as usize,
        &performance_now,
    )
    .map_err(|e| JsError::new(&e))?;
    serde_json::to_string(&report).map_err(|e| JsError::new(&e.to_string()))
}
