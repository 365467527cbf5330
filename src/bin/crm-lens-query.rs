//! Runs a CRM Lens query on data files and prints the result as JSON; generates synthetic datasets.
//!
//! ```text
//! crm-lens-query run --data public/demo --query retention.json
//! crm-lens-query generate --out /tmp/bench --customers 100000
//! ```
//! Errors go to stderr with a non-zero exit status.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use crm_lens::demo::{generate, write_dir, GeneratorConfig};
use crm_lens::engine::{query, Store};

const USAGE: &str = "\
Usage:
  crm-lens-query run --data DIR --query FILE [--compact]
  crm-lens-query run --meta FILE --customers FILE --events FILE --query FILE [--compact]
  crm-lens-query generate --out DIR --customers N [--seed N]

run       reads the data (CRM Lens format v1: meta.json, customers.json and
          events.json in DIR, or each file named) and a query spec (see
          docs/query-spec.md; FILE may be - for stdin), and prints the result
          as JSON (pretty unless --compact). A file holding an array of specs
          prints an array of results.
generate  writes a synthetic dataset of N customers (about ten events each)
          with the demo generator, for benchmarks and differential tests.

Exit status: 0 on success, 1 when the data or query is bad, 2 on bad usage.";

#[derive(Debug, PartialEq)]
enum Command {
    Help,
    Run {
        meta: PathBuf,
        customers: PathBuf,
        events: PathBuf,
        query: PathBuf,
        compact: bool,
    },
    Generate {
        out: PathBuf,
        config: GeneratorConfig,
    },
}

/// A failure and the exit status it deserves.
struct Failure {
    message: String,
    status: u8,
}

fn usage(message: impl Into<String>) -> Failure {
    Failure {
        message: format!("{}\n\n{USAGE}", message.into()),
        status: 2,
    }
}

fn bad_input(message: impl Into<String>) -> Failure {
    Failure {
        message: message.into(),
        status: 1,
    }
}

fn parse(args: &[String]) -> Result<Command, Failure> {
    let Some((command, rest)) = args.split_first() else {
        return Err(usage("no command given"));
    };
    let mut flags = std::collections::BTreeMap::new();
    let mut compact = false;
    let mut items = rest.iter();
    while let Some(flag) = items.next() {
        match flag.as_str() {
            "-h" | "--help" => return Ok(Command::Help),
            "--compact" => compact = true,
            "--data" | "--meta" | "--customers" | "--events" | "--query" | "--out" | "--seed" => {
                let value = items
                    .next()
                    .ok_or_else(|| usage(format!("{flag} needs a value")))?;
                flags.insert(flag.trim_start_matches('-').to_owned(), value.clone());
            }
            other => return Err(usage(format!("unknown argument `{other}`"))),
        }
    }
    let path = |name: &str| flags.get(name).map(PathBuf::from);
    match command.as_str() {
        "-h" | "--help" | "help" => Ok(Command::Help),
        "run" => {
            let query = path("query").ok_or_else(|| usage("run needs --query FILE"))?;
            let (meta, customers, events) = match path("data") {
                Some(dir) => (
                    path("meta").unwrap_or_else(|| dir.join("meta.json")),
                    path("customers").unwrap_or_else(|| dir.join("customers.json")),
                    path("events").unwrap_or_else(|| dir.join("events.json")),
                ),
                None => (
                    path("meta").ok_or_else(|| usage("run needs --data DIR or --meta FILE"))?,
                    path("customers").ok_or_else(|| usage("run needs --customers FILE"))?,
                    path("events").ok_or_else(|| usage("run needs --events FILE"))?,
                ),
            };
            Ok(Command::Run {
                meta,
                customers,
                events,
                query,
                compact,
            })
        }
        "generate" => {
            let out = path("out").ok_or_else(|| usage("generate needs --out DIR"))?;
            let number = |name: &str| -> Result<Option<u64>, Failure> {
                flags
                    .get(name)
                    .map(|v| {
                        v.parse::<u64>().map_err(|_| {
                            usage(format!("--{name} expects a whole number, got `{v}`"))
                        })
                    })
                    .transpose()
            };
            let customers =
                number("customers")?.ok_or_else(|| usage("generate needs --customers N"))?;
            if !(1..=2_000_000).contains(&customers) {
                return Err(usage("--customers must be between 1 and 2000000"));
            }
            let seed = number("seed")?.unwrap_or(GeneratorConfig::demo().seed);
            Ok(Command::Generate {
                out,
                config: GeneratorConfig::synthetic(customers as usize, seed),
            })
        }
        other => Err(usage(format!("unknown command `{other}`"))),
    }
}

fn read(path: &Path) -> Result<Vec<u8>, Failure> {
    if path == Path::new("-") {
        let mut bytes = Vec::new();
        std::io::stdin()
            .read_to_end(&mut bytes)
            .map_err(|e| bad_input(format!("cannot read stdin: {e}")))?;
        return Ok(bytes);
    }
    std::fs::read(path).map_err(|e| bad_input(format!("cannot read {}: {e}", path.display())))
}

fn execute(command: Command) -> Result<(), Failure> {
    match command {
        Command::Help => {
            let _ = writeln!(std::io::stdout(), "{USAGE}");
            Ok(())
        }
        Command::Run {
            meta,
            customers,
            events,
            query: query_path,
            compact,
        } => {
            let spec = read(&query_path)?;
            let name = query_path.display().to_string();
            // A file holding an array runs each query on one ingest and prints an array.
            let batch: Option<Vec<serde_json::Value>> = serde_json::from_slice(&spec).ok();
            let queries = match &batch {
                Some(items) => items
                    .iter()
                    .enumerate()
                    .map(|(i, item)| {
                        query::parse(item.to_string().as_bytes())
                            .map_err(|e| bad_input(format!("{name}[{i}]: {e}")))
                    })
                    .collect::<Result<Vec<_>, _>>()?,
                None => vec![query::parse(&spec).map_err(|e| bad_input(format!("{name}: {e}")))?],
            };
            let (store, _) = Store::from_json(&read(&meta)?, &read(&customers)?, &read(&events)?)
                .map_err(|e| bad_input(format!("bad data: {e}")))?;
            let outputs = queries
                .iter()
                .enumerate()
                .map(|(i, q)| {
                    query::run(&store, q).map_err(|e| match batch {
                        Some(_) => bad_input(format!("{name}[{i}]: {e}")),
                        None => bad_input(format!("{name}: {e}")),
                    })
                })
                .collect::<Result<Vec<_>, _>>()?;
            let value = match batch {
                Some(_) => serde_json::to_value(&outputs),
                None => serde_json::to_value(&outputs[0]),
            }
            .map_err(|e| bad_input(format!("cannot write the result: {e}")))?;
            let json = if compact {
                serde_json::to_string(&value)
            } else {
                serde_json::to_string_pretty(&value)
            }
            .map_err(|e| bad_input(format!("cannot write the result: {e}")))?;
            // A closed stdout (piped into `head`) is not worth a panic.
            let _ = writeln!(std::io::stdout(), "{json}");
            Ok(())
        }
        Command::Generate { out, config } => {
            let dataset = generate(&config);
            write_dir(&dataset, &out)
                .map_err(|e| bad_input(format!("cannot write {}: {e}", out.display())))?;
            let _ = writeln!(
                std::io::stdout(),
                "{} customers, {} events written to {}",
                dataset.customers.len(),
                dataset.events.len(),
                out.display()
            );
            Ok(())
        }
    }
}

fn main() -> ExitCode {
    let args: Result<Vec<String>, _> = std::env::args_os()
        .skip(1)
        .map(|a| a.into_string())
        .collect();
    let result = args
        .map_err(|bad| usage(format!("arguments must be valid UTF-8, got {bad:?}")))
        .and_then(|args| parse(&args))
        .and_then(execute);
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(failure) => {
            eprintln!("crm-lens-query: {}", failure.message);
            ExitCode::from(failure.status)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_args(args: &[&str]) -> Result<Command, u8> {
        let args: Vec<String> = args.iter().map(|a| a.to_string()).collect();
        parse(&args).map_err(|f| f.status)
    }

    #[test]
    fn run_reads_a_folder_or_three_files() {
        let Ok(Command::Run { meta, events, .. }) =
            parse_args(&["run", "--data", "d", "--query", "q.json"])
        else {
            panic!("a run command")
        };
        assert_eq!(meta, PathBuf::from("d/meta.json"));
        assert_eq!(events, PathBuf::from("d/events.json"));
        let Ok(Command::Run {
            customers, compact, ..
        }) = parse_args(&[
            "run",
            "--meta",
            "m",
            "--customers",
            "c",
            "--events",
            "e",
            "--query",
            "-",
            "--compact",
        ])
        else {
            panic!("a run command")
        };
        assert_eq!((customers, compact), (PathBuf::from("c"), true));
    }

    #[test]
    fn generate_takes_a_size_and_seed() {
        assert_eq!(
            parse_args(&[
                "generate",
                "--out",
                "x",
                "--customers",
                "100",
                "--seed",
                "7"
            ]),
            Ok(Command::Generate {
                out: PathBuf::from("x"),
                config: GeneratorConfig::synthetic(100, 7)
            })
        );
    }

    #[test]
    fn bad_usage_is_status_2() {
        for bad in [
            &[][..],
            &["fly"],
            &["run", "--data", "d"],
            &["run", "--query", "q"],
            &["generate", "--out", "x"],
            &["generate", "--out", "x", "--customers", "0"],
            &["generate", "--out", "x", "--customers", "many"],
            &["run", "--bogus"],
        ] {
            assert_eq!(parse_args(bad).err(), Some(2), "{bad:?}");
        }
        assert_eq!(parse_args(&["--help"]).ok(), Some(Command::Help));
    }
}
