//! Cairn's server: loads the catalogue, renders it once, and serves it over HTTP.

pub mod catalogue;
pub mod config;
pub mod http;
pub mod live;
pub mod reload;
pub mod search;

use app::model::Site;
use catalogue::{
    load_catalogue_with, load_catalogue_with_assets, Catalogue, ContentErrors, MarkdownRenderer,
    SourceFile,
};
use config::Config;
use http::{App, AppState, RenderedSite, SiteAssets};
use live::{Edition, LiveCatalogue};
use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use tokio::sync::watch;

/// Why the server could not start.
#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error(transparent)]
    Config(#[from] config::ConfigError),
    #[error("could not read the content folder {path}: {source}")]
    ContentFolder {
        path: String,
        source: catalogue::source::FolderError,
    },
    #[error("{0}")]
    Content(#[from] ContentErrors),
    #[error(transparent)]
    Search(#[from] search::SearchIndexError),
    #[error("logo {path}: {source}")]
    Logo {
        path: String,
        source: std::io::Error,
    },
    #[error("could not listen on {address}: {source}")]
    Listen {
        address: String,
        source: std::io::Error,
    },
}

/// Everything a load reads: Markdown files (built-in, overlaid by the team's) and the
/// servable files of the team's folder.
#[derive(Debug, Clone, Default)]
pub struct Content {
    pub files: Vec<SourceFile>,
    pub assets: BTreeMap<String, PathBuf>,
}

/// Reads the configured content: the built-in catalogue, overlaid by the team's folder.
pub fn gather_content(config: &Config) -> Result<Content, StartError> {
    let mut files = if config.no_builtin {
        Vec::new()
    } else {
        catalogue::source::builtin_files()
    };
    let mut assets = BTreeMap::new();
    if let Some(folder) = &config.content {
        let team =
            catalogue::source::read_folder(folder).map_err(|source| StartError::ContentFolder {
                path: folder.display().to_string(),
                source,
            })?;
        for file in team.pages {
            files.retain(|existing| existing.path != file.path);
            files.push(file);
        }
        assets = team.assets;
    }
    Ok(Content { files, assets })
}

/// Loads the configured content into a catalogue.
pub fn load(config: &Config) -> Result<Catalogue, StartError> {
    let content = gather_content(config)?;
    let assets = content.assets.keys().cloned().collect();
    Ok(load_catalogue_with_assets(content.files, assets)?)
}

/// Loads `content` into a complete edition: catalogue, search index, rendered pages.
///
/// With `previous` (the edition being served), documents whose inputs did not change are
/// carried over from it instead of being rendered and compressed again.
pub fn build_edition(
    number: u64,
    content: Content,
    site: &Site,
    renderer: &MarkdownRenderer,
    previous: Option<&Edition>,
) -> Result<Edition, StartError> {
    let asset_paths = content.assets.keys().cloned().collect();
    let mut catalogue = load_catalogue_with(content.files, asset_paths, renderer)?;
    // The index first: what it frees when it is built (its writers' buffers, the section
    // text) is then reused by the render instead of lying free at the end of the load.
    let search = search::SearchIndex::build(&catalogue)?;
    catalogue.release_sections();
    let rendered =
        RenderedSite::render(&mut catalogue, site, previous.map(|edition| &edition.site));
    let csp = http::content_security_policy(&rendered);
    Ok(Edition {
        number,
        catalogue,
        search,
        site: rendered,
        csp,
        files: content.assets,
    })
}

/// The site settings pages are rendered with.
pub fn site_info(
    config: &Config,
    assets: &SiteAssets,
    logo: Option<&http::Logo>,
    bound: SocketAddr,
) -> Site {
    Site {
        title: config.site_title.trim().to_string(),
        base_url: config.base_url(bound),
        edit_url_template: config.edit_url.clone(),
        stylesheet_href: assets.stylesheet_href.clone(),
        theme_script_href: http::theme_script_href(),
        islands_script_href: assets.islands_script_href.clone(),
        islands_wasm_href: assets.islands_wasm_href.clone(),
        icon_href: http::icon_href(),
        logo_href: logo.map(|logo| logo.href.clone()),
        path_prefix: config.path_prefix(),
        live_reload_url: config
            .watch
            .then(|| format!("{}{}", config.path_prefix(), http::LIVE_RELOAD_PATH)),
    }
}

/// Loads, renders and serves until SIGTERM or Ctrl-C, then drains in-flight requests.
pub async fn run(config: Config) -> Result<(), StartError> {
    config.validate()?;
    let content = gather_content(&config)?;
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
    let assets = SiteAssets::discover(config.site_root());
    let logo = match &config.logo {
        Some(path) => Some(http::Logo::read(path).map_err(|source| StartError::Logo {
            path: path.display().to_string(),
            source,
        })?),
        None => None,
    };
    let site = site_info(&config, &assets, logo.as_ref(), bound);
    // Without --watch there is no next load to remember renders for.
    let renderer = if config.watch {
        MarkdownRenderer::remembering()
    } else {
        MarkdownRenderer::default()
    };
    let edition = build_edition(1, content, &site, &renderer, None)?;
    let pages = edition.catalogue.page_count();
    let (stop, shutdown) = watch::channel(false);
    let state = AppState(Arc::new(App {
        live: LiveCatalogue::new(edition),
        site_info: site,
        assets,
        metrics: http::metrics::Metrics::default(),
        live_reload: config.watch,
        renderer,
        logo,
        shutdown,
    }));
    if config.watch {
        reload::spawn_watcher(config.clone(), state.clone());
    }
    let site = http::FrontDoor::new(state, config.path_prefix());
    tracing::info!(%bound, pages, watch = config.watch, "Cairn is serving");
    // Printed (not only logged) so scripts and tests can find the port.
    println!("listening on http://{bound}");
    // Our own loop rather than `axum::serve`, for hyper's header read timeout (slow clients).
    http::serve::serve(listener, site, async move {
        shutdown_signal().await;
        // Ends live-reload streams, which would otherwise hold the shutdown open.
        let _ = stop.send(true);
    })
    .await;
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
