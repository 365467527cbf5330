//! Times the engine on a dataset: JSON ingest and each benchmark query, as medians of N runs.
//!
//! ```text
//! crm-lens-bench --data target/bench-data --queries bench/queries.json --repeat 5 --json out.json
//! ```
//! `bench/run` runs it next to DuckDB and the wasm build; see `docs/benchmarks.md`.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use crm_lens::bench;

const USAGE: &str = "\
Usage:
  crm-lens-bench --data DIR [--queries FILE] [--repeat N] [--json OUT] [--phases]

Reads meta.json, customers.json and events.json in DIR, times N full ingests
(Store::from_json) and N runs of each named query in FILE (default
bench/queries.json: [{\"name\": ..., \"query\": {...}}, ...]; parsing is not
timed), and prints the medians. --json writes the whole report to OUT.
N defaults to 5. --phases also times the steps of one ingest, and the compile
and evaluate steps of each segment query, on their own.";

struct Args {
    data: PathBuf,
    queries: PathBuf,
    repeat: usize,
    json: Option<PathBuf>,
    phases: bool,
}

fn parse(args: &[String]) -> Result<Option<Args>, String> {
    let mut data = None;
    let mut queries = PathBuf::from("bench/queries.json");
    let mut repeat = 5;
    let mut json = None;
    let mut phases = false;
    let mut items = args.iter();
    while let Some(flag) = items.next() {
        let mut value = || {
            items
                .next()
                .cloned()
                .ok_or_else(|| format!("{flag} needs a value"))
        };
        match flag.as_str() {
            "-h" | "--help" => return Ok(None),
            "--phases" => phases = true,
            "--data" => data = Some(PathBuf::from(value()?)),
            "--queries" => queries = PathBuf::from(value()?),
            "--json" => json = Some(PathBuf::from(value()?)),
            "--repeat" => {
                let v = value()?;
                repeat = v
                    .parse()
                    .ok()
                    .filter(|&n| n >= 1)
                    .ok_or_else(|| format!("--repeat expects a whole number ≥ 1, got `{v}`"))?;
            }
            other => return Err(format!("unknown argument `{other}`")),
        }
    }
    let data = data.ok_or("--data DIR is required")?;
    Ok(Some(Args {
        data,
        queries,
        repeat,
        json,
        phases,
    }))
}

fn execute(args: Args) -> Result<(), String> {
    let read = |path: PathBuf| {
        std::fs::read(&path).map_err(|e| format!("cannot read {}: {e}", path.display()))
    };
    let meta = read(args.data.join("meta.json"))?;
    let customers = read(args.data.join("customers.json"))?;
    let events = read(args.data.join("events.json"))?;
    let queries = bench::parse_queries(&read(args.queries.clone())?)?;
    let origin = Instant::now();
    let clock = || origin.elapsed().as_secs_f64() * 1e3;
    let report = bench::run(&meta, &customers, &events, &queries, args.repeat, &clock)?;

    let mut out = std::io::stdout().lock();
    let _ = writeln!(
        out,
        "{} customers, {} events, {:.1} MB of JSON; median of {} runs",
        report.customers,
        report.events,
        report.input_bytes as f64 / 1e6,
        args.repeat
    );
    let _ = writeln!(
        out,
        "{:<40} {:>10} {:>10}  check",
        "name", "median ms", "min ms"
    );
    let _ = writeln!(
        out,
        "{:<40} {:>10.1} {:>10.1}  {:.0} MB/s",
        "ingest (Store::from_json)",
        report.ingest.median_ms,
        report.ingest.min_ms,
        report.ingest_mb_per_s
    );
    for q in &report.queries {
        let _ = writeln!(
            out,
            "{:<40} {:>10.2} {:>10.2}  {}",
            q.name, q.timing.median_ms, q.timing.min_ms, q.check
        );
    }
    let _ = writeln!(
        out,
        "event columns: {} bytes = {:.1} bytes per event",
        report.event_bytes, report.bytes_per_event
    );
    if args.phases {
        let _ = writeln!(out, "ingest phases (one run):");
        let (phases, store) = bench::ingest_phases(&meta, &customers, &events, &clock)?;
        for (name, ms) in phases {
            let _ = writeln!(out, "  {name:<50} {ms:>8.1} ms");
        }
        let _ = writeln!(out, "segment phases (one run): compile ms, evaluate ms");
        for (name, query) in &queries {
            if let Some((compile, evaluate)) = bench::segment_phases(&store, query, &clock)? {
                let _ = writeln!(out, "  {name:<50} {compile:>8.2} {evaluate:>8.2}");
            }
        }
    }
    if let Some(path) = args.json {
        let json = serde_json::to_string_pretty(&report).map_err(|e| e.to_string())?;
        std::fs::write(&path, json).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    }
    Ok(())
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match parse(&args) {
        Ok(None) => {
            println!("{USAGE}");
            ExitCode::SUCCESS
        }
        Ok(Some(args)) => match execute(args) {
            Ok(()) => ExitCode::SUCCESS,
            Err(message) => {
                eprintln!("crm-lens-bench: {message}");
                ExitCode::from(1)
            }
        },
        Err(message) => {
            eprintln!("crm-lens-bench: {message}\n\n{USAGE}");
            ExitCode::from(2)
        }
    }
}
