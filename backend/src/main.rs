//! `crm-lens-backend`: see `--help` and `docs/backend-contract.md`.

use std::sync::Arc;

use crm_lens_backend::config::{self, Parsed};
use crm_lens_backend::{db, router, AppState};

#[tokio::main]
async fn main() {
    if let Err(message) = run().await {
        eprintln!("crm-lens-backend: {message}");
        std::process::exit(1);
    }
}

async fn run() -> Result<(), String> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let config = match config::parse(&args, |name| std::env::var(name).ok())? {
        Parsed::Help => {
            println!("{}", config::USAGE);
            return Ok(());
        }
        Parsed::Run(config) => *config,
    };
    let pool = db::pool(&config.database_url)?;
    {
        let client = pool
            .get()
            .await
            .map_err(|e| format!("cannot reach the database: {e}"))?;
        db::migrate(&client)
            .await
            .map_err(|e| format!("cannot create the schema: {e}"))?;
    }
    if let Some(dir) = &config.dataset {
        let started = std::time::Instant::now();
        let report = db::import_dataset(&pool, dir).await?;
        println!(
            "imported {}: {} customers ({} written), {} events ({} written) in {:.1} s",
            dir.display(),
            report.customers,
            report.customers_written,
            report.events,
            report.events_written,
            started.elapsed().as_secs_f64()
        );
    }
    if config.import_only {
        return Ok(());
    }
    let listener = tokio::net::TcpListener::bind(&config.listen)
        .await
        .map_err(|e| format!("cannot listen on {}: {e}", config.listen))?;
    let address = listener.local_addr().map_err(|e| e.to_string())?;
    println!(
        "listening on http://{address} (allowed origins: {}; token: {}; test endpoints: {})",
        if config.allowed_origins.is_empty() {
            "none".to_string()
        } else {
            config.allowed_origins.join(", ")
        },
        if config.token.is_some() {
            "required"
        } else {
            "off"
        },
        if config.test_endpoints { "on" } else { "off" },
    );
    let app = router(AppState {
        pool,
        config: Arc::new(config),
    });
    axum::serve(listener, app)
        .with_graceful_shutdown(shutdown())
        .await
        .map_err(|e| format!("server: {e}"))
}

async fn shutdown() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        if let Ok(mut s) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        {
            s.recv().await;
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! { _ = ctrl_c => {}, _ = term => {} }
}
