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

/// Generation holds everything in memory (about 2 KB per customer): this keeps a run within ~4 GB.
const MAX_CUSTOMERS: usize = 2_000_000;

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
fn parse(mut args: impl Iterator<Item = String>) -> Result<Option<Args>, String> {
    let mut out = PathBuf::from("public/demo");
    let mut seed = None;
    let mut customers = None;
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
                if !(1..=MAX_CUSTOMERS).contains(&n) {
                    return Err(format!("--customers must be between 1 and {MAX_CUSTOMERS}"));
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
    let args: Result<Vec<String>, _> = std::env::args_os()
        .skip(1)
        .map(|a| a.into_string())
        .collect();
    let parsed = args
        .map_err(|bad| format!("arguments must be valid UTF-8, got {bad:?}"))
        .and_then(|args| parse(args.into_iter()));
    let args = match parsed {
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

#[cfg(test)]
mod tests {
    use super::*;

    fn run(args: &[&str]) -> Result<Option<Args>, String> {
        parse(args.iter().map(|a| a.to_string()))
    }

    #[test]
    fn no_flags_mean_the_demo_into_public_demo() {
        let args = run(&[]).expect("valid").expect("not help");
        assert_eq!(args.out, PathBuf::from("public/demo"));
        assert_eq!(args.config, GeneratorConfig::demo());
    }

    #[test]
    fn customers_switch_to_a_synthetic_dataset() {
        let args = run(&["--customers", "500", "--seed", "9", "--out", "x"])
            .expect("valid")
            .expect("not help");
        assert_eq!(args.config, GeneratorConfig::synthetic(500, 9));
        assert_eq!(args.out, PathBuf::from("x"));
    }

    #[test]
    fn bad_arguments_are_errors_not_panics() {
        for bad in [
            &["--bogus"][..],
            &["--seed"],
            &["--seed", "abc"],
            &["--customers", "0"],
            &["--customers", "-5"],
            &["--customers", "99999999999"],
            &["--out"],
        ] {
            assert!(run(bad).is_err(), "{bad:?} should be rejected");
        }
        assert!(run(&["--help"]).expect("help is fine").is_none());
    }
}
