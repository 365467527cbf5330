//! Settings, from command-line flags or environment variables (a flag wins).

use std::path::PathBuf;

pub const USAGE: &str = "\
crm-lens-backend: the reference backend of the CRM Lens data contract v1 (docs/backend-contract.md)

Flags (each also read from the environment variable shown):
  --listen ADDR            address to listen on                [CRM_LENS_LISTEN, default 127.0.0.1:8787;
                           port 0 picks a free port; the chosen address is printed]
  --database-url URL       PostgreSQL, e.g. postgres://user@127.0.0.1:5432/crm  [DATABASE_URL, required]
  --dataset DIR            v1 dataset to import at start       [CRM_LENS_DATASET, default: the repo's public/demo]
  --no-import              do not import a dataset             [CRM_LENS_NO_IMPORT=1]
  --import-only            import the dataset, print what was written, and exit
  --allowed-origins LIST   comma-separated origins allowed by CORS, e.g. https://crm.example.com
                                                               [CRM_LENS_ALLOWED_ORIGINS, default none]
  --token TOKEN            require `Authorization: Bearer TOKEN` on every request
                                                               [CRM_LENS_TOKEN, default: no token check]
  --owner NAME             owner recorded on new saved definitions [CRM_LENS_OWNER, default null]
  --max-page-size N        largest `limit` honoured on paged lists [CRM_LENS_MAX_PAGE_SIZE, default 5000]
  --test-endpoints         enable POST /_test/customers and /_test/events (upserts, for the
                           conformance suite; never in production) [CRM_LENS_TEST_ENDPOINTS=1]
  --help                   this text";

#[derive(Debug, Clone, PartialEq)]
pub struct Config {
    pub listen: String,
    pub database_url: String,
    pub dataset: Option<PathBuf>,
    pub allowed_origins: Vec<String>,
    pub token: Option<String>,
    pub owner: Option<String>,
    pub max_page_size: usize,
    pub test_endpoints: bool,
    /// Import, then exit without serving.
    pub import_only: bool,
}

/// What the command line asks for.
#[derive(Debug, PartialEq)]
pub enum Parsed {
    Run(Box<Config>),
    Help,
}

fn truthy(v: &str) -> bool {
    matches!(v.trim(), "1" | "true" | "yes" | "on")
}

/// Parses flags (without the program name), falling back to `env` for each setting.
pub fn parse(args: &[String], env: impl Fn(&str) -> Option<String>) -> Result<Parsed, String> {
    let mut listen = env("CRM_LENS_LISTEN");
    let mut database_url = env("DATABASE_URL");
    let mut dataset = env("CRM_LENS_DATASET");
    let mut no_import = env("CRM_LENS_NO_IMPORT").is_some_and(|v| truthy(&v));
    let mut origins = env("CRM_LENS_ALLOWED_ORIGINS");
    let mut token = env("CRM_LENS_TOKEN");
    let mut owner = env("CRM_LENS_OWNER");
    let mut max_page = env("CRM_LENS_MAX_PAGE_SIZE");
    let mut test_endpoints = env("CRM_LENS_TEST_ENDPOINTS").is_some_and(|v| truthy(&v));
    let mut import_only = false;
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        let (flag, inline) = match arg.split_once('=') {
            Some((f, v)) if f.starts_with("--") => (f, Some(v.to_string())),
            _ => (arg.as_str(), None),
        };
        let mut value = |name: &str| -> Result<String, String> {
            match &inline {
                Some(v) => Ok(v.clone()),
                None => it
                    .next()
                    .cloned()
                    .ok_or_else(|| format!("{name} needs a value")),
            }
        };
        match flag {
            "--help" | "-h" => return Ok(Parsed::Help),
            "--listen" => listen = Some(value(flag)?),
            "--database-url" => database_url = Some(value(flag)?),
            "--dataset" => dataset = Some(value(flag)?),
            "--no-import" => no_import = true,
            "--allowed-origins" => origins = Some(value(flag)?),
            "--token" => token = Some(value(flag)?),
            "--owner" => owner = Some(value(flag)?),
            "--max-page-size" => max_page = Some(value(flag)?),
            "--test-endpoints" => test_endpoints = true,
            "--import-only" => import_only = true,
            other => return Err(format!("unknown argument {other:?} (see --help)")),
        }
    }
    let database_url = database_url
        .filter(|u| !u.is_empty())
        .ok_or("the database URL is missing: pass --database-url or set DATABASE_URL")?;
    let mut allowed_origins = Vec::new();
    for origin in origins
        .unwrap_or_default()
        .split(',')
        .map(str::trim)
        .filter(|o| !o.is_empty())
    {
        let origin = origin.trim_end_matches('/');
        if origin == "*" {
            return Err(
                "allowed origins must be listed one by one: `*` cannot be used with \
                        credentials (cookies)"
                    .into(),
            );
        }
        if !(origin.starts_with("http://") || origin.starts_with("https://"))
            || origin["https://".len().min(origin.len())..].contains('/')
        {
            return Err(format!(
                "allowed origin {origin:?} must be scheme://host[:port], e.g. https://crm.example.com"
            ));
        }
        allowed_origins.push(origin.to_string());
    }
    let max_page_size = match max_page {
        None => 5000,
        Some(v) => v
            .parse::<usize>()
            .ok()
            .filter(|n| (1..=100_000).contains(n))
            .ok_or_else(|| format!("max page size {v:?} must be a number from 1 to 100000"))?,
    };
    if import_only && no_import {
        return Err("--import-only and --no-import contradict each other".into());
    }
    let dataset = if no_import {
        None
    } else {
        Some(dataset.map(PathBuf::from).unwrap_or_else(|| {
            PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../public/demo"))
        }))
    };
    Ok(Parsed::Run(Box::new(Config {
        listen: listen.unwrap_or_else(|| "127.0.0.1:8787".into()),
        database_url,
        dataset,
        allowed_origins,
        token: token.filter(|t| !t.is_empty()),
        owner: owner.filter(|o| !o.is_empty()),
        max_page_size,
        test_endpoints,
        import_only,
    })))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    fn run(list: &[&str], env: &[(&str, &str)]) -> Result<Config, String> {
        let env: Vec<(String, String)> = env
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        match parse(&args(list), |k| {
            env.iter().find(|(n, _)| n == k).map(|(_, v)| v.clone())
        })? {
            Parsed::Run(c) => Ok(*c),
            Parsed::Help => Err("help".into()),
        }
    }

    #[test]
    fn flags_win_over_the_environment() {
        let c = run(
            &[
                "--listen",
                "127.0.0.1:0",
                "--allowed-origins=http://a.test, https://b.test:8443/",
            ],
            &[
                ("DATABASE_URL", "postgres://x@127.0.0.1/db"),
                ("CRM_LENS_LISTEN", "0.0.0.0:1"),
            ],
        )
        .expect("valid");
        assert_eq!(c.listen, "127.0.0.1:0");
        assert_eq!(c.allowed_origins, ["http://a.test", "https://b.test:8443"]);
        assert_eq!(c.max_page_size, 5000);
        assert!(c.dataset.is_some() && c.token.is_none() && !c.test_endpoints);
    }

    #[test]
    fn bad_settings_are_errors_that_say_what_to_do() {
        assert!(run(&[], &[]).expect_err("no db").contains("DATABASE_URL"));
        let db = [("DATABASE_URL", "postgres://x@h/db")];
        assert!(run(&["--allowed-origins", "*"], &db).is_err());
        assert!(run(&["--allowed-origins", "a.test"], &db).is_err());
        assert!(run(&["--allowed-origins", "http://a.test/app"], &db).is_err());
        assert!(run(&["--max-page-size", "0"], &db).is_err());
        assert!(run(&["--frobnicate"], &db).is_err());
        assert!(run(&["--token"], &db).is_err());
    }

    #[test]
    fn env_switches() {
        let c = run(
            &[],
            &[
                ("DATABASE_URL", "u"),
                ("CRM_LENS_NO_IMPORT", "1"),
                ("CRM_LENS_TEST_ENDPOINTS", "true"),
                ("CRM_LENS_TOKEN", "s3cret"),
            ],
        )
        .expect("valid");
        assert!(c.dataset.is_none() && c.test_endpoints);
        assert_eq!(c.token.as_deref(), Some("s3cret"));
    }
}
