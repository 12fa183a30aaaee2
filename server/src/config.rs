//! Start-up configuration: command-line flags, each also readable from a `CAIRN_*` variable.

use clap::Parser;
use std::net::SocketAddr;
use std::path::PathBuf;

/// Cairn: a self-hosted system-design handbook.
#[derive(Debug, Clone, Parser)]
#[command(name = "cairn", version, about)]
pub struct Config {
    /// Address to listen on (use port 0 for any free port).
    #[arg(long, env = "CAIRN_ADDRESS", default_value = "127.0.0.1:3000")]
    pub address: SocketAddr,

    /// A folder of your team's Markdown pages, laid over the built-in catalogue
    /// (a file with the same path replaces the built-in one).
    #[arg(long, env = "CAIRN_CONTENT")]
    pub content: Option<PathBuf>,

    /// Serve only the pages from --content, without the built-in catalogue.
    #[arg(long, env = "CAIRN_NO_BUILTIN", requires = "content")]
    pub no_builtin: bool,

    /// Folder holding the compiled stylesheet and WASM bundle (`pkg/`), as built by
    /// cargo-leptos. Defaults to LEPTOS_SITE_ROOT, then `target/site`.
    #[arg(long, env = "CAIRN_SITE_ROOT")]
    pub site_root: Option<PathBuf>,

    /// Public URL of the site, for canonical links (default: http://<address>).
    #[arg(long, env = "CAIRN_BASE_URL")]
    pub base_url: Option<String>,

    /// Name shown in the header and page titles.
    #[arg(long, env = "CAIRN_SITE_TITLE", default_value = "Cairn")]
    pub site_title: String,

    /// "Edit this page" link template; `{path}` becomes the page's path in the content
    /// folder, e.g. `https://git.example.com/handbook/edit/main/content/{path}`.
    #[arg(long, env = "CAIRN_EDIT_URL")]
    pub edit_url: Option<String>,

    /// Load and check the content, report any problem, and exit without serving.
    #[arg(long)]
    pub check: bool,
}

/// A configuration value that cannot work, said plainly.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("--content {0}: the folder does not exist or is not a folder")]
    ContentNotAFolder(PathBuf),
    #[error("--base-url `{0}`: must start with http:// or https://")]
    BaseUrl(String),
    #[error("--edit-url `{0}`: must contain `{{path}}`, where the page's path goes")]
    EditUrl(String),
    #[error("--site-title must not be empty")]
    EmptyTitle,
}

impl Config {
    /// Checks the values that clap cannot, before anything starts.
    pub fn validate(&self) -> Result<(), ConfigError> {
        if let Some(content) = &self.content {
            if !content.is_dir() {
                return Err(ConfigError::ContentNotAFolder(content.clone()));
            }
        }
        if let Some(base_url) = &self.base_url {
            if !(base_url.starts_with("http://") || base_url.starts_with("https://")) {
                return Err(ConfigError::BaseUrl(base_url.clone()));
            }
        }
        if let Some(edit_url) = &self.edit_url {
            if !edit_url.contains("{path}") {
                return Err(ConfigError::EditUrl(edit_url.clone()));
            }
        }
        if self.site_title.trim().is_empty() {
            return Err(ConfigError::EmptyTitle);
        }
        Ok(())
    }

    /// The site's public URL without a trailing slash.
    pub fn base_url(&self, bound: SocketAddr) -> String {
        self.base_url
            .clone()
            .unwrap_or_else(|| format!("http://{bound}"))
            .trim_end_matches('/')
            .to_string()
    }

    pub fn site_root(&self) -> PathBuf {
        self.site_root
            .clone()
            .or_else(|| std::env::var_os("LEPTOS_SITE_ROOT").map(PathBuf::from))
            .unwrap_or_else(|| PathBuf::from("target/site"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(args: &[&str]) -> Config {
        Config::try_parse_from(std::iter::once("cairn").chain(args.iter().copied()))
            .expect("valid arguments")
    }

    #[test]
    fn defaults_serve_the_builtin_catalogue_on_localhost() {
        let config = parse(&[]);
        assert_eq!(config.address.to_string(), "127.0.0.1:3000");
        assert!(config.content.is_none());
        assert!(config.validate().is_ok());
    }

    #[test]
    fn bad_values_are_explained() {
        let error = parse(&["--base-url", "cairn.example.com"])
            .validate()
            .expect_err("no scheme");
        assert!(error.to_string().contains("http://"), "{error}");
        let error = parse(&["--edit-url", "https://x/edit"])
            .validate()
            .expect_err("no {path}");
        assert!(error.to_string().contains("{path}"), "{error}");
        let error = parse(&["--content", "/definitely/not/here"])
            .validate()
            .expect_err("missing");
        assert!(
            error.to_string().contains("/definitely/not/here"),
            "{error}"
        );
        assert!(Config::try_parse_from(["cairn", "--address", "nowhere"]).is_err());
    }

    #[test]
    fn base_url_drops_the_trailing_slash() {
        let config = parse(&["--base-url", "https://handbook.example.com/"]);
        let bound = "127.0.0.1:1".parse().expect("address");
        assert_eq!(config.base_url(bound), "https://handbook.example.com");
    }
}
