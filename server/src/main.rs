//! The `cairn` binary: parse the configuration, then load and serve the handbook.

use clap::Parser;
use server::config::Config;
use std::process::ExitCode;
use tracing_subscriber::EnvFilter;

#[tokio::main]
async fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            EnvFilter::try_from_env("CAIRN_LOG")
                .unwrap_or_else(|_| EnvFilter::new("info,tower_http=info")),
        )
        .with_writer(std::io::stderr)
        .init();
    let config = Config::parse();
    if config.check {
        return match config
            .validate()
            .map_err(server::StartError::from)
            .and_then(|()| server::load(&config))
        {
            Ok(catalogue) => {
                println!(
                    "content ok: {} pages, {} categories, {} learning paths",
                    catalogue.page_count(),
                    catalogue.categories().len(),
                    catalogue.paths().len()
                );
                ExitCode::SUCCESS
            }
            Err(error) => {
                eprintln!("{error}");
                ExitCode::from(2)
            }
        };
    }
    match server::run(config).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("cairn could not start: {error}");
            ExitCode::from(2)
        }
    }
}
