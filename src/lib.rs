//! CRM Lens: who are my customers, who is slipping away, and what brings them back.
//!
//! Floors, each using only the ones below it (see `../shared/ARCHITECTURE.md`):
//! - [`engine`]: pure analytics over a columnar store; compiles and is tested natively.
//! - [`bench`]: the benchmark loop (ingest and queries, timed), native and in the browser.
//! - [`model`], [`config`], [`charts`], [`i18n`]: wire types, settings, SVG charts, texts and formatting.
//! - `demo` (native only): the seeded generator of the demo and benchmark datasets.
//! - `sync`, `components`, `pages`, `app` (browser only): data loading, widgets, pages and the shell.

pub mod bench;
pub mod charts;
pub mod config;
pub mod engine;
pub mod export;
pub mod i18n;
pub mod model;
pub mod state;
pub mod sync_policy;

#[cfg(not(target_arch = "wasm32"))]
pub mod demo;

#[cfg(target_arch = "wasm32")]
pub mod app;
#[cfg(all(target_arch = "wasm32", feature = "bench-export"))]
pub mod bench_web;
#[cfg(target_arch = "wasm32")]
pub mod components;
#[cfg(target_arch = "wasm32")]
pub mod hooks;
#[cfg(target_arch = "wasm32")]
pub mod pages;
#[cfg(target_arch = "wasm32")]
pub mod sync;
