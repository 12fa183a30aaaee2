//! Start-up configuration: command-line flags, `CAIRN_*` variables and a TOML file, in
//! that order of precedence, checked before anything starts.

use clap::parser::ValueSource;
use clap::{ArgMatches, CommandFactory, FromArgMatches, Parser, ValueEnum};
use serde::Deserialize;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};

/// Cairn: a self-hosted system-design handbook.
#[derive(Debug, Clone, Parser)]
#[command(name = "cairn", version, about)]
pub struct Config {
    /// A TOML file with any of the settings below (snake_case keys, e.g. `site_title`);
    /// flags and `CAIRN_*` variables override it.
    #[arg(long, env = "CAIRN_CONFIG")]
    pub config: Option<PathBuf>,

    /// Address to listen on (use port 0 for any free port).
    #[arg(long, env = "CAIRN_ADDRESS", default_value = "127.0.0.1:3000")]
    pub address: SocketAddr,

    /// A folder of your team's Markdown pages, laid over the built-in catalogue
    /// (a file with the same path replaces the built-in one).
    #[arg(long, env = "CAIRN_CONTENT")]
    pub content: Option<PathBuf>,

    /// Serve only the pages from --content, without the built-in catalogue.
    #[arg(long, env = "CAIRN_NO_BUILTIN")]
    pub no_builtin: bool,

    /// Reload the --content folder when a file in it changes, and refresh open tabs.
    #[arg(long, env = "CAIRN_WATCH")]
    pub watch: bool,

    /// Folder holding the compiled stylesheet and WASM bundle (`pkg/`), as built by
    /// cargo-leptos. Defaults to LEPTOS_SITE_ROOT, then `target/site`.
    #[arg(long, env = "CAIRN_SITE_ROOT")]
    pub site_root: Option<PathBuf>,

    /// Public URL of the site, for canonical links; a path (https://example.com/handbook)
    /// serves the site under that sub-path behind a proxy that strips it.
    #[arg(long, env = "CAIRN_BASE_URL")]
    pub base_url: Option<String>,

    /// Name shown in the header and page titles.
    #[arg(long, env = "CAIRN_SITE_TITLE", default_value = "Cairn")]
    pub site_title: String,

    /// An image file (SVG, PNG, JPEG or WebP, at most 1 MB) shown beside the title.
    #[arg(long, env = "CAIRN_LOGO")]
    pub logo: Option<PathBuf>,

    /// "Edit this page" link template; `{path}` becomes the page's path in the content
    /// folder, e.g. `https://git.example.com/handbook/edit/main/content/{path}`.
    #[arg(long, env = "CAIRN_EDIT_URL")]
    pub edit_url: Option<String>,

    /// Log lines as human-readable text or as one JSON object per line.
    #[arg(long, env = "CAIRN_LOG_FORMAT", value_enum, default_value_t = LogFormat::Text)]
    pub log_format: LogFormat,

    /// Load and check the content, report any problem, and exit without serving.
    #[arg(long)]
    pub check: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LogFormat {
    Text,
    Json,
}

/// The TOML file: every setting optional, unknown keys refused (a typo must not be ignored).
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileConfig {
    address: Option<String>,
    content: Option<PathBuf>,
    no_builtin: Option<bool>,
    watch: Option<bool>,
    site_root: Option<PathBuf>,
    base_url: Option<String>,
    site_title: Option<String>,
    logo: Option<PathBuf>,
    edit_url: Option<String>,
    log_format: Option<LogFormat>,
}

/// Largest logo accepted, in bytes.
pub const MAX_LOGO_BYTES: u64 = 1024 * 1024;

/// A configuration value that cannot work, said plainly.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("{0}")]
    Arguments(#[from] clap::Error),
    #[error("config file {path}: {problem}")]
    File { path: PathBuf, problem: String },
    #[error("content folder {0}: it does not exist or is not a folder (set with --content, CAIRN_CONTENT or `content` in the config file)")]
    ContentNotAFolder(PathBuf),
    #[error("no_builtin needs a content folder: set --content (CAIRN_CONTENT) too, or there is nothing to serve")]
    NoBuiltinWithoutContent,
    #[error("watch needs a content folder to watch: set --content (CAIRN_CONTENT) too")]
    WatchWithoutContent,
    #[error(
        "base URL `{0}`: must start with http:// or https://, e.g. https://handbook.example.com"
    )]
    BaseUrl(String),
    #[error("edit URL `{0}`: must contain `{{path}}`, where the page's path goes")]
    EditUrl(String),
    #[error("site title must not be empty")]
    EmptyTitle,
    #[error("logo {path}: {problem}")]
    Logo { path: PathBuf, problem: String },
}

impl Config {
    /// Reads flags and variables from the process, then the config file they name.
    pub fn load() -> Result<Config, ConfigError> {
        Self::from_args(std::env::args_os())
    }

    /// Like [`Config::load`] for an explicit command line (variables still apply).
    pub fn from_args<I, T>(args: I) -> Result<Config, ConfigError>
    where
        I: IntoIterator<Item = T>,
        T: Into<std::ffi::OsString> + Clone,
    {
        let matches = Config::command().try_get_matches_from(args)?;
        let mut config = Config::from_arg_matches(&matches)?;
        if let Some(path) = config.config.clone() {
            config.apply_file(&path, &matches)?;
        }
        Ok(config)
    }

    /// Fills every setting not given as a flag or variable from the TOML file at `path`.
    fn apply_file(&mut self, path: &Path, matches: &ArgMatches) -> Result<(), ConfigError> {
        let problem = |problem: String| ConfigError::File {
            path: path.to_path_buf(),
            problem,
        };
        let text = std::fs::read_to_string(path)
            .map_err(|error| problem(format!("cannot be read: {error}")))?;
        let file: FileConfig = toml::from_str(&text)
            .map_err(|error| problem(format!("is not valid: {}", error.to_string().trim_end())))?;
        // Relative paths in the file are relative to the file, not to wherever Cairn starts.
        let folder = path.parent().unwrap_or(Path::new("."));
        let relative = |value: PathBuf| {
            if value.is_absolute() {
                value
            } else {
                folder.join(value)
            }
        };
        let unset = |id: &str| {
            !matches!(
                matches.value_source(id),
                Some(ValueSource::CommandLine | ValueSource::EnvVariable)
            )
        };
        if let (Some(address), true) = (file.address, unset("address")) {
            self.address = address.parse().map_err(|_| {
                problem(format!(
                    "`address = \"{address}\"` is not an address: use host:port, e.g. \"0.0.0.0:3000\""
                ))
            })?;
        }
        if let (Some(content), true) = (file.content, unset("content")) {
            self.content = Some(relative(content));
        }
        if let (Some(no_builtin), true) = (file.no_builtin, unset("no_builtin")) {
            self.no_builtin = no_builtin;
        }
        if let (Some(watch), true) = (file.watch, unset("watch")) {
            self.watch = watch;
        }
        if let (Some(site_root), true) = (file.site_root, unset("site_root")) {
            self.site_root = Some(relative(site_root));
        }
        if let (Some(base_url), true) = (file.base_url, unset("base_url")) {
            self.base_url = Some(base_url);
        }
        if let (Some(site_title), true) = (file.site_title, unset("site_title")) {
            self.site_title = site_title;
        }
        if let (Some(logo), true) = (file.logo, unset("logo")) {
            self.logo = Some(relative(logo));
        }
        if let (Some(edit_url), true) = (file.edit_url, unset("edit_url")) {
            self.edit_url = Some(edit_url);
        }
        if let (Some(log_format), true) = (file.log_format, unset("log_format")) {
            self.log_format = log_format;
        }
        Ok(())
    }

    /// Checks the values that clap cannot, before anything starts.
    pub fn validate(&self) -> Result<(), ConfigError> {
        if let Some(content) = &self.content {
            if !content.is_dir() {
                return Err(ConfigError::ContentNotAFolder(content.clone()));
            }
        }
        if self.no_builtin && self.content.is_none() {
            return Err(ConfigError::NoBuiltinWithoutContent);
        }
        if self.watch && self.content.is_none() {
            return Err(ConfigError::WatchWithoutContent);
        }
        if let Some(base_url) = &self.base_url {
            let rest = base_url
                .strip_prefix("http://")
                .or_else(|| base_url.strip_prefix("https://"));
            let host = rest.map(|rest| rest.split('/').next().unwrap_or_default());
            if host.is_none_or(str::is_empty) || base_url.contains(['?', '#', ' ']) {
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
        if let Some(logo) = &self.logo {
            let problem = |problem: &str| ConfigError::Logo {
                path: logo.clone(),
                problem: problem.to_string(),
            };
            if logo_media_type(logo).is_none() {
                return Err(problem("use an .svg, .png, .jpg or .webp image"));
            }
            match std::fs::metadata(logo) {
                Ok(meta) if !meta.is_file() => return Err(problem("is not a file")),
                Ok(meta) if meta.len() > MAX_LOGO_BYTES => {
                    return Err(problem("is larger than 1 MB"))
                }
                Ok(_) => {}
                Err(error) => return Err(problem(&format!("cannot be read: {error}"))),
            }
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

    /// The sub-path the site is served under behind a proxy (`/handbook`), or empty.
    pub fn path_prefix(&self) -> String {
        let Some(base_url) = &self.base_url else {
            return String::new();
        };
        let rest = base_url.split_once("://").map_or("", |(_, rest)| rest);
        match rest.find('/') {
            Some(at) => rest[at..].trim_end_matches('/').to_string(),
            None => String::new(),
        }
    }

    pub fn site_root(&self) -> PathBuf {
        self.site_root
            .clone()
            .or_else(|| std::env::var_os("LEPTOS_SITE_ROOT").map(PathBuf::from))
            .unwrap_or_else(|| PathBuf::from("target/site"))
    }
}

/// The media type of a logo file, by its extension.
pub fn logo_media_type(path: &Path) -> Option<&'static str> {
    let extension = path.extension()?.to_str()?.to_ascii_lowercase();
    match extension.as_str() {
        "svg" => Some("image/svg+xml"),
        "png" => Some("image/png"),
        "jpg" | "jpeg" => Some("image/jpeg"),
        "webp" => Some("image/webp"),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(args: &[&str]) -> Config {
        Config::from_args(std::iter::once("cairn").chain(args.iter().copied()))
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
        assert!(Config::from_args(["cairn", "--address", "nowhere"]).is_err());
        let error = parse(&["--no-builtin"]).validate().expect_err("nothing");
        assert!(error.to_string().contains("--content"), "{error}");
        let error = parse(&["--watch"])
            .validate()
            .expect_err("nothing to watch");
        assert!(error.to_string().contains("--content"), "{error}");
        let error = parse(&["--logo", "logo.gif"]).validate().expect_err("gif");
        assert!(error.to_string().contains(".svg"), "{error}");
    }

    #[test]
    fn base_url_drops_the_trailing_slash() {
        let config = parse(&["--base-url", "https://handbook.example.com/"]);
        let bound = "127.0.0.1:1".parse().expect("address");
        assert_eq!(config.base_url(bound), "https://handbook.example.com");
    }

    #[test]
    fn the_file_fills_what_flags_leave_unset() {
        let folder = std::env::temp_dir().join(format!("cairn-config-{}", std::process::id()));
        std::fs::create_dir_all(folder.join("team")).expect("temp folder");
        let file = folder.join("cairn.toml");
        std::fs::write(
            &file,
            "address = \"127.0.0.1:4100\"\nsite_title = \"From file\"\ncontent = \"team\"\nlog_format = \"json\"\n",
        )
        .expect("write");
        let path = file.to_string_lossy().into_owned();
        let config = parse(&["--config", &path, "--site-title", "From flag"]);
        assert_eq!(config.address.to_string(), "127.0.0.1:4100");
        assert_eq!(config.site_title, "From flag");
        assert_eq!(config.content, Some(folder.join("team")));
        assert_eq!(config.log_format, LogFormat::Json);
        assert!(config.validate().is_ok());

        std::fs::write(&file, "site_titel = \"typo\"\n").expect("write");
        let error = Config::from_args(["cairn", "--config", &path]).expect_err("unknown key");
        let message = error.to_string();
        assert!(
            message.contains("cairn.toml") && message.contains("site_titel"),
            "{message}"
        );

        std::fs::write(&file, "address = \"nowhere\"\n").expect("write");
        let error = Config::from_args(["cairn", "--config", &path]).expect_err("bad address");
        assert!(error.to_string().contains("host:port"), "{error}");
        let _ = std::fs::remove_dir_all(&folder);
    }

    #[test]
    fn a_base_url_with_a_path_gives_the_prefix() {
        assert_eq!(
            parse(&["--base-url", "https://x.example/handbook/"]).path_prefix(),
            "/handbook"
        );
        assert_eq!(
            parse(&["--base-url", "https://x.example"]).path_prefix(),
            ""
        );
        assert_eq!(parse(&[]).path_prefix(), "");
    }
}
