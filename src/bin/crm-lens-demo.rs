//! Writes the demo dataset (or a synthetic benchmark dataset) as v1 JSON files.
//!
//! ```text
//! crm-lens-demo [--out DIR] [--seed N] [--customers N]
//! ```
//! Without flags it regenerates the committed demo in `public/demo/`.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use crm_lens::demo::{generate, GeneratorConfig, Kind};

const USAGE: &str = "\
Usage: crm-lens-demo [--out DIR] [--seed N] [--customers N]

Writes meta.json, customers.json and events.json (CRM Lens data format v1).

  --out DIR        directory to write into (default: public/demo)
  --seed N         random seed (default: the demo's seed)
  --customers N    generate a synthetic benchmark dataset of N customers
                   (about ten events per customer) instead of the demo
  -h, --help       show this help

Without --customers it writes the demo dataset (6,000 customers); the same
flags always give the same bytes.";

#[derive(Debug)]
struct Args {
    out: PathBuf,
    config: GeneratorConfig,
}

fn parse_number<T: std::str::FromStr>(flag: &str, value: Option<String>) -> Result<T, String> {
    let value = value.ok_or_else(|| format!("{flag} needs a value"))?;
    value
        .parse()
        .map_err(|_| format!("{flag} expects a whole number, got `{value}`"))
}

/// Parses the command line; `Ok(None)` means help was asked for.
fn parse(args: impl Iterator<Item = String>) -> Result<Option<Args>, String> {
    let mut out = PathBuf::from("public/demo");
    let mut seed = None;
    let mut customers = None;
    let mut args = args;
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "-h" | "--help" => return Ok(None),
            "--out" => {
                out = args
                    .next()
                    .map(PathBuf::from)
                    .ok_or("--out needs a directory")?
            }
            "--seed" => seed = Some(parse_number::<u64>("--seed", args.next())?),
            "--customers" => {
                let n = parse_number::<usize>("--customers", args.next())?;
                if n == 0 {
                    return Err("--customers must be at least 1".into());
                }
                customers = Some(n);
            }
            other => return Err(format!("unknown argument `{other}`")),
        }
    }
    let demo = GeneratorConfig::demo();
    let seed = seed.unwrap_or(demo.seed);
    let config = match customers {
        Some(n) => GeneratorConfig::synthetic(n, seed),
        None => GeneratorConfig { seed, ..demo },
    };
    Ok(Some(Args { out, config }))
}

fn main() -> ExitCode {
    let args = match parse(std::env::args().skip(1)) {
        Ok(Some(args)) => args,
        Ok(None) => {
            let _ = writeln!(std::io::stdout(), "{USAGE}");
            return ExitCode::SUCCESS;
        }
        Err(message) => {
            eprintln!("crm-lens-demo: {message}\n\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    let started = Instant::now();
    let dataset = generate(&args.config);
    let generated = started.elapsed();
    if let Err(e) = crm_lens::demo::write_dir(&dataset, &args.out) {
        eprintln!("crm-lens-demo: cannot write {}: {e}", args.out.display());
        return ExitCode::FAILURE;
    }
    let mut counts = [0usize; Kind::ALL.len()];
    for e in &dataset.events {
        counts[e.kind as usize] += 1;
    }
    let mut summary = format!(
        "{} customers, {} events written to {} (generated in {:.2?}, {:.2?} in all)\n",
        dataset.customers.len(),
        dataset.events.len(),
        args.out.display(),
        generated,
        started.elapsed()
    );
    for (kind, n) in Kind::ALL.iter().zip(counts) {
        summary.push_str(&format!("  {:<17} {n:>9}\n", kind.name()));
    }
    // A closed stdout (e.g. piped into `head`) is not worth a panic: the files are written.
    let _ = std::io::stdout().write_all(summary.as_bytes());
    ExitCode::SUCCESS
}
