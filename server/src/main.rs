//! The `cairn` binary: parse the configuration, then load and serve the handbook.

use server::config::{Config, ConfigError, LogFormat};
use std::process::ExitCode;
use tracing_subscriber::EnvFilter;

#[global_allocator]
static ALLOCATOR: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

#[tokio::main]
async fn main() -> ExitCode {
    let config = match Config::load() {
        Ok(config) => config,
        // clap prints usage, --help and --version itself, with the right exit code.
        Err(ConfigError::Arguments(error)) => error.exit(),
        Err(error) => {
            eprintln!("cairn could not start: {error}");
            return ExitCode::from(2);
        }
    };
    let filter = EnvFilter::try_from_env("CAIRN_LOG")
        .unwrap_or_else(|_| EnvFilter::new("info,tower_http=info"));
    let logs = tracing_subscriber::fmt()
        .with_env_filter(filter)
        // Colours only for a person at a terminal, not in files, journald or pipes.
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .with_writer(std::io::stderr);
    match config.log_format {
        LogFormat::Text => logs.init(),
        LogFormat::Json => logs
            .json()
            .flatten_event(true)
            .with_current_span(false)
            .init(),
    }
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
