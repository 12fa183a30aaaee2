//! Cairn's server: loads the catalogue, renders it once, and serves it over HTTP.

pub mod catalogue;
pub mod config;
pub mod http;
pub mod search;

use app::model::Site;
use catalogue::{load_catalogue, Catalogue, ContentErrors, SourceFile};
use config::Config;
use http::{App, AppState, RenderedSite, SiteAssets};
use std::sync::Arc;

/// Why the server could not start.
#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error(transparent)]
    Config(#[from] config::ConfigError),
    #[error("could not read the content folder {path}: {source}")]
    ContentFolder {
        path: String,
        source: std::io::Error,
    },
    #[error("{0}")]
    Content(#[from] ContentErrors),
    #[error(transparent)]
    Search(#[from] search::SearchIndexError),
    #[error("could not listen on {address}: {source}")]
    Listen {
        address: String,
        source: std::io::Error,
    },
}

/// The content files to load: the built-in catalogue, overlaid by the team's folder.
pub fn content_files(config: &Config) -> Result<Vec<SourceFile>, StartError> {
    let mut files = if config.no_builtin {
        Vec::new()
    } else {
        catalogue::source::builtin_files()
    };
    if let Some(folder) = &config.content {
        let team = catalogue::source::folder_files(folder).map_err(|source| {
            StartError::ContentFolder {
                path: folder.display().to_string(),
                source,
            }
        })?;
        for file in team {
            files.retain(|existing| existing.path != file.path);
            files.push(file);
        }
    }
    Ok(files)
}

/// Loads the configured content into a catalogue.
pub fn load(config: &Config) -> Result<Catalogue, StartError> {
    Ok(load_catalogue(content_files(config)?)?)
}

/// Renders `catalogue` and builds the shared state the router serves from.
pub fn build_state(
    config: &Config,
    catalogue: Catalogue,
    bound: std::net::SocketAddr,
) -> Result<AppState, StartError> {
    let assets = SiteAssets::discover(config.site_root());
    let site = Site {
        title: config.site_title.trim().to_string(),
        base_url: config.base_url(bound),
        edit_url_template: config.edit_url.clone(),
        stylesheet_href: assets.stylesheet_href.clone(),
        theme_script_href: http::theme_script_href(),
        icon_href: http::icon_href(),
    };
    let rendered = RenderedSite::render(&catalogue, &site, &assets.leptos_options);
    let search = search::SearchIndex::build(&catalogue)?;
    Ok(AppState(Arc::new(App {
        catalogue,
        search,
        site: rendered,
        site_info: site,
        assets,
    })))
}

/// Loads, renders and serves until SIGTERM or Ctrl-C, then drains in-flight requests.
pub async fn run(config: Config) -> Result<(), StartError> {
    config.validate()?;
    let catalogue = load(&config)?;
    let listener = tokio::net::TcpListener::bind(config.address)
        .await
        .map_err(|source| StartError::Listen {
            address: config.address.to_string(),
            source,
        })?;
    let bound = listener.local_addr().map_err(|source| StartError::Listen {
        address: config.address.to_string(),
        source,
    })?;
    let pages = catalogue.page_count();
    let state = build_state(&config, catalogue, bound)?;
    let router = http::router(state);
    tracing::info!(%bound, pages, "Cairn is serving");
    // Printed (not only logged) so scripts and tests can find the port.
    println!("listening on http://{bound}");
    axum::serve(listener, router)
        .with_graceful_shutdown(shutdown_signal())
        .await
        .map_err(|source| StartError::Listen {
            address: bound.to_string(),
            source,
        })?;
    tracing::info!("stopped after draining in-flight requests");
    Ok(())
}

async fn shutdown_signal() {
    let ctrl_c = async {
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => tracing::info!("Ctrl-C received, shutting down"),
        () = terminate => tracing::info!("SIGTERM received, shutting down"),
    }
}
