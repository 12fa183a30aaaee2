//! The rendered site: every page rendered to HTML once, when the catalogue loads.

use super::encoding::{compress, Encoding};
use crate::catalogue::Catalogue;
use app::model::Site;
use app::render::{render_category, render_home, render_not_found, render_path, render_pattern};
use axum::http::HeaderValue;
use bytes::Bytes;
use leptos::config::LeptosOptions;
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::OnceLock;

/// A finished HTML document, its validator, and its compressed forms once made.
#[derive(Debug)]
pub struct RenderedDocument {
    pub html: Bytes,
    /// Weak ETag, from the content hash.
    pub etag: String,
    /// The same ETag as a header value, made once rather than per response.
    pub etag_value: HeaderValue,
    brotli: OnceLock<Bytes>,
    gzip: OnceLock<Bytes>,
}

impl RenderedDocument {
    pub fn new(html: String) -> Self {
        let digest = Sha256::digest(html.as_bytes());
        // Weak: the gzip and brotli forms of a page share it, and they are equivalent.
        let etag = format!("W/\"{}\"", hex(&digest[..12]));
        let etag_value = HeaderValue::from_str(&etag).expect("the ETag is hex in quotes");
        RenderedDocument {
            html: Bytes::from(html),
            etag,
            etag_value,
            brotli: OnceLock::new(),
            gzip: OnceLock::new(),
        }
    }

    /// The body in `encoding`, compressing it the first time it is asked for.
    pub fn body(&self, encoding: Encoding) -> Bytes {
        let cell = match encoding {
            Encoding::Identity => return self.html.clone(),
            Encoding::Brotli => &self.brotli,
            Encoding::Gzip => &self.gzip,
        };
        cell.get_or_init(|| compress(encoding, &self.html)).clone()
    }

    /// Makes both compressed forms now, so no request waits for them.
    pub fn precompress(&self) {
        self.body(Encoding::Brotli);
        self.body(Encoding::Gzip);
    }
}

/// Every document the site serves, keyed by what identifies it.
#[derive(Debug)]
pub struct RenderedSite {
    pub home: RenderedDocument,
    pub not_found: RenderedDocument,
    pub pages: HashMap<String, RenderedDocument>,
    pub categories: HashMap<String, RenderedDocument>,
    pub paths: HashMap<String, RenderedDocument>,
}

impl RenderedSite {
    pub fn render(catalogue: &Catalogue, site: &Site, options: &LeptosOptions) -> Self {
        let overview = catalogue.overview();
        let pages = catalogue
            .pages()
            .map(|entry| {
                let surroundings = catalogue.surroundings(&entry.page);
                let html = render_pattern(site, options, &entry.page, &surroundings);
                (entry.page.slug.clone(), RenderedDocument::new(html))
            })
            .collect();
        let categories = catalogue
            .categories()
            .iter()
            .map(|category| {
                (
                    category.name.clone(),
                    RenderedDocument::new(render_category(site, options, category)),
                )
            })
            .collect();
        let paths = catalogue
            .paths()
            .iter()
            .map(|path| {
                (
                    path.slug.clone(),
                    RenderedDocument::new(render_path(site, options, path)),
                )
            })
            .collect();
        RenderedSite {
            home: RenderedDocument::new(render_home(site, options, &overview)),
            not_found: RenderedDocument::new(render_not_found(site, options, &overview)),
            pages,
            categories,
            paths,
        }
    }

    /// Every document's HTML, e.g. to collect the inline scripts the CSP must allow.
    pub fn documents(&self) -> impl Iterator<Item = &str> {
        self.all()
            .filter_map(|document| std::str::from_utf8(&document.html).ok())
    }

    /// Every document, e.g. to compress them all ahead of requests.
    pub fn all(&self) -> impl Iterator<Item = &RenderedDocument> {
        [&self.home, &self.not_found]
            .into_iter()
            .chain(self.pages.values())
            .chain(self.categories.values())
            .chain(self.paths.values())
    }
}

/// The compiled front-end files and the names pages refer to them by.
#[derive(Debug, Clone)]
pub struct SiteAssets {
    /// Folder with `pkg/` (stylesheet, JS loader, WASM).
    pub site_root: PathBuf,
    /// Whether cargo-leptos put content hashes in the file names (then they never change).
    pub hashed: bool,
    pub stylesheet_href: String,
    pub leptos_options: LeptosOptions,
}

/// The output name in `[[workspace.metadata.leptos]]`.
const OUTPUT_NAME: &str = "cairn";

impl SiteAssets {
    /// Finds the compiled assets: the hash file cargo-leptos writes beside the binary tells
    /// the hashed names.
    pub fn discover(site_root: PathBuf) -> Self {
        let hash_file = std::env::current_exe()
            .ok()
            .and_then(|exe| exe.parent().map(|dir| dir.join("hash.txt")))
            .and_then(|path| std::fs::read_to_string(path).ok());
        let hashes: HashMap<String, String> = hash_file
            .as_deref()
            .unwrap_or_default()
            .lines()
            .filter_map(|line| line.split_once(':'))
            .map(|(kind, hash)| (kind.trim().to_string(), hash.trim().to_string()))
            .collect();
        let hashed = hashes.contains_key("css") && hashes.contains_key("wasm");
        let stylesheet_href = match hashes.get("css") {
            Some(hash) if hashed => format!("/pkg/{OUTPUT_NAME}.{hash}.css"),
            _ => format!("/pkg/{OUTPUT_NAME}.css"),
        };
        let leptos_options = LeptosOptions::builder()
            .output_name(OUTPUT_NAME)
            .site_root(site_root.to_string_lossy().into_owned())
            .site_pkg_dir("pkg")
            .hash_files(hashed)
            .build();
        SiteAssets {
            site_root,
            hashed,
            stylesheet_href,
            leptos_options,
        }
    }
}

/// Lowercase hex of `bytes`.
pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|byte| format!("{byte:02x}")).collect()
}
