//! The rendered site: every page rendered to HTML once, when the catalogue loads.
//!
//! Pages render in parallel and are kept gzip-compressed. A reload renders again only the
//! documents whose inputs changed: every other document is carried over from the edition
//! before, with the forms it already has, so its ETag stays the same and nothing is
//! compressed twice.

use super::encoding::{compress, Encoding};
use crate::catalogue::{Catalogue, CataloguePage};
use app::model::{Block, Category, LearningPath, Overview, Site};
use app::render::{render_category, render_home, render_not_found, render_path, render_pattern};
use axum::http::HeaderValue;
use bytes::Bytes;
use rayon::prelude::*;
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::fmt::{Debug, Write as _};
use std::io::Read as _;
use std::path::PathBuf;
use std::sync::{Arc, OnceLock};

/// A finished HTML document, held gzip-compressed, with its validator.
///
/// Only the gzip form is always held: it is what most responses send (clients that do not
/// ask for brotli), and at about two fifths of the HTML it keeps a 10,000-page handbook in
/// a few tens of megabytes instead of over a hundred. The HTML itself is inflated again for
/// the rare response that wants it (no `Accept-Encoding`, or a page with a banner).
///
/// Cloning is cheap and the clones share the brotli form: an unchanged page carried into
/// the next edition keeps what was already compressed for it.
#[derive(Debug, Clone)]
pub struct RenderedDocument {
    gzip: Bytes,
    /// Weak ETag, from the content hash, as a header value made once.
    pub etag: HeaderValue,
    /// SHA-256 of each inline script outside `<main>`: what the CSP must allow.
    script_digests: Arc<[[u8; 32]]>,
    /// Made on the first request that asks for it, so nobody pays for it unasked.
    brotli: Arc<OnceLock<Bytes>>,
}

impl RenderedDocument {
    pub fn new(html: String) -> Self {
        let digest = Sha256::digest(html.as_bytes());
        // Weak: the gzip and brotli forms of a page share it, and they are equivalent.
        let etag = HeaderValue::from_str(&format!("W/\"{}\"", hex(&digest[..12])))
            .expect("the ETag is hex in quotes");
        RenderedDocument {
            gzip: compress(Encoding::Gzip, html.as_bytes()),
            etag,
            script_digests: super::security::inline_script_digests(&html).into(),
            brotli: Arc::default(),
        }
    }

    /// The body in `encoding`, compressing it the first time brotli is asked for.
    pub fn body(&self, encoding: Encoding) -> Bytes {
        match encoding {
            Encoding::Gzip => self.gzip.clone(),
            Encoding::Identity => Bytes::from(self.html()),
            Encoding::Brotli => self
                .brotli
                .get_or_init(|| compress(Encoding::Brotli, self.html().as_bytes()))
                .clone(),
        }
    }

    /// The HTML, inflated from the gzip form.
    pub fn html(&self) -> String {
        let mut html = String::with_capacity(self.gzip.len() * 4);
        // The gzip form was made from a `String` in memory by `new`: it inflates to UTF-8.
        flate2::read::GzDecoder::new(&self.gzip[..])
            .read_to_string(&mut html)
            .expect("a document's own gzip form inflates to its HTML");
        html
    }

    /// Whether a request's `If-None-Match` value names this version of the document.
    pub fn matches(&self, if_none_match: &str) -> bool {
        if_none_match
            .split(',')
            .map(str::trim)
            .any(|tag| tag == "*" || tag.as_bytes() == self.etag.as_bytes())
    }

    /// SHA-256 of each inline script outside `<main>`.
    pub fn script_digests(&self) -> &[[u8; 32]] {
        &self.script_digests
    }
}

/// Which document of the site, to find its counterpart in the edition before.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum DocumentKey {
    Home,
    NotFound,
    Page(String),
    Category(String),
    Path(String),
}

/// SHA-256 of everything a document was rendered from.
type InputDigest = [u8; 32];

/// Every document the site serves, keyed by what identifies it.
#[derive(Debug)]
pub struct RenderedSite {
    pub home: RenderedDocument,
    pub not_found: RenderedDocument,
    pub pages: HashMap<String, RenderedDocument>,
    pub categories: HashMap<String, RenderedDocument>,
    pub paths: HashMap<String, RenderedDocument>,
    /// What each document was rendered from, so the next edition can tell what changed.
    inputs: HashMap<DocumentKey, InputDigest>,
}

/// One document to render, with a reference to what it is rendered from.
enum Job<'a> {
    Home(&'a Overview),
    NotFound(&'a Overview),
    /// A page, with its blocks (taken out of the catalogue).
    Page(&'a CataloguePage, Vec<Block>),
    Category(&'a Category),
    Path(&'a LearningPath),
}

impl RenderedSite {
    /// Renders every document, taking from `previous` (the edition before) each document
    /// whose inputs are the same as then, instead of rendering it again.
    ///
    /// A page's document depends on more than its own file (its category, neighbours,
    /// related pages and learning paths), so the comparison covers every input of the
    /// render: the site settings, the page and all of its surroundings.
    ///
    /// The pages' blocks are taken out of `catalogue`, and each page's are dropped as soon
    /// as its document is made, so they are never all held beside all the documents.
    pub fn render(catalogue: &mut Catalogue, site: &Site, previous: Option<&RenderedSite>) -> Self {
        let mut blocks = catalogue.take_blocks();
        let catalogue = &*catalogue;
        let overview = catalogue.overview();
        let mut jobs = vec![Job::Home(&overview), Job::NotFound(&overview)];
        jobs.extend(catalogue.pages().map(|entry| {
            let blocks = blocks.remove(&entry.page.slug).unwrap_or_default();
            Job::Page(entry, blocks)
        }));
        jobs.extend(catalogue.categories().iter().map(Job::Category));
        jobs.extend(catalogue.paths().iter().map(Job::Path));
        let settings = digest_start(site);
        let documents: Vec<(DocumentKey, InputDigest, RenderedDocument)> = jobs
            .into_par_iter()
            .map(|job| {
                let (key, digest, render): (_, _, Box<dyn FnOnce() -> String>) = match job {
                    Job::Home(overview) => (
                        DocumentKey::Home,
                        digest_of(&settings, &("home", overview)),
                        Box::new(move || render_home(site, overview)),
                    ),
                    Job::NotFound(overview) => (
                        DocumentKey::NotFound,
                        digest_of(&settings, &("not found", overview)),
                        Box::new(move || render_not_found(site, overview)),
                    ),
                    Job::Page(entry, blocks) => {
                        let surroundings = catalogue.surroundings(&entry.page);
                        let digest =
                            digest_of(&settings, &("page", &entry.page, &blocks, &surroundings));
                        (
                            DocumentKey::Page(entry.page.slug.clone()),
                            digest,
                            Box::new(move || {
                                let page = app::model::Page {
                                    blocks,
                                    ..entry.page.clone()
                                };
                                render_pattern(site, &page, &surroundings)
                            }),
                        )
                    }
                    Job::Category(category) => (
                        DocumentKey::Category(category.name.clone()),
                        digest_of(&settings, &("category", category)),
                        Box::new(move || render_category(site, category)),
                    ),
                    Job::Path(path) => (
                        DocumentKey::Path(path.slug.clone()),
                        digest_of(&settings, &("path", path)),
                        Box::new(move || render_path(site, path)),
                    ),
                };
                let document = previous
                    .and_then(|previous| previous.unchanged(&key, &digest))
                    .unwrap_or_else(|| RenderedDocument::new(render()));
                (key, digest, document)
            })
            .collect();

        let mut inputs = HashMap::with_capacity(documents.len());
        let (mut home, mut not_found) = (None, None);
        let (mut pages, mut categories, mut paths) = (
            HashMap::with_capacity(catalogue.page_count()),
            HashMap::new(),
            HashMap::new(),
        );
        for (key, digest, document) in documents {
            match &key {
                DocumentKey::Home => home = Some(document),
                DocumentKey::NotFound => not_found = Some(document),
                DocumentKey::Page(slug) => {
                    pages.insert(slug.clone(), document);
                }
                DocumentKey::Category(name) => {
                    categories.insert(name.clone(), document);
                }
                DocumentKey::Path(slug) => {
                    paths.insert(slug.clone(), document);
                }
            }
            inputs.insert(key, digest);
        }
        RenderedSite {
            home: home.unwrap_or_else(|| RenderedDocument::new(render_home(site, &overview))),
            not_found: not_found
                .unwrap_or_else(|| RenderedDocument::new(render_not_found(site, &overview))),
            pages,
            categories,
            paths,
            inputs,
        }
    }

    /// This edition's document for `key`, if it was rendered from inputs with `digest`.
    fn unchanged(&self, key: &DocumentKey, digest: &InputDigest) -> Option<RenderedDocument> {
        if self.inputs.get(key) != Some(digest) {
            return None;
        }
        match key {
            DocumentKey::Home => Some(&self.home),
            DocumentKey::NotFound => Some(&self.not_found),
            DocumentKey::Page(slug) => self.pages.get(slug),
            DocumentKey::Category(name) => self.categories.get(name),
            DocumentKey::Path(slug) => self.paths.get(slug),
        }
        .cloned()
    }

    /// Every document the site serves.
    pub fn all(&self) -> impl Iterator<Item = &RenderedDocument> {
        [&self.home, &self.not_found]
            .into_iter()
            .chain(self.pages.values())
            .chain(self.categories.values())
            .chain(self.paths.values())
    }
}

/// Feeds formatted text into a SHA-256, so inputs are digested without being copied.
struct DigestWriter(Sha256);

impl std::fmt::Write for DigestWriter {
    fn write_str(&mut self, text: &str) -> std::fmt::Result {
        self.0.update(text.as_bytes());
        Ok(())
    }
}

/// A digest state that has taken in `settings`, to continue per document.
fn digest_start(settings: &dyn Debug) -> Sha256 {
    let mut writer = DigestWriter(Sha256::new());
    // Writing into a hash cannot fail.
    let _ = write!(writer, "{settings:?}");
    writer.0
}

/// The digest of `inputs` after `start`. The `Debug` form of these view models is derived,
/// so it spells out every field: equal text means equal inputs.
fn digest_of(start: &Sha256, inputs: &dyn Debug) -> InputDigest {
    let mut writer = DigestWriter(start.clone());
    let _ = write!(writer, "{inputs:?}");
    writer.0.finalize().into()
}

/// The compiled front-end files and the names pages refer to them by.
#[derive(Debug, Clone)]
pub struct SiteAssets {
    /// Folder with `pkg/` (stylesheet, JS loader, WASM).
    pub site_root: PathBuf,
    /// Whether cargo-leptos put content hashes in the file names (then they never change).
    pub hashed: bool,
    pub stylesheet_href: String,
    /// The islands' JS module (wasm-bindgen's glue) and their main WASM module.
    pub islands_script_href: String,
    pub islands_wasm_href: String,
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
        let hashed = ["css", "js", "wasm"]
            .iter()
            .all(|kind| hashes.contains_key(*kind));
        let href = |kind: &str, extension: &str| match hashes.get(kind) {
            Some(hash) if hashed => format!("/pkg/{OUTPUT_NAME}.{hash}.{extension}"),
            _ => format!("/pkg/{OUTPUT_NAME}.{extension}"),
        };
        SiteAssets {
            site_root,
            hashed,
            stylesheet_href: href("css", "css"),
            islands_script_href: href("js", "js"),
            islands_wasm_href: href("wasm", "wasm"),
        }
    }
}

/// Lowercase hex of `bytes`.
pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|byte| format!("{byte:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Read;

    fn page() -> String {
        format!(
            "<!DOCTYPE html><html><head><script>theme()</script></head><body>\
             <main id=\"main\">{}<script>window.pwned = 1</script></main>\
             <script type=\"module\">hydrate()</script></body></html>",
            "<p>Cache-aside reads the cache first — then the database on a miss.</p>".repeat(50)
        )
    }

    #[test]
    fn every_encoding_gives_back_the_rendered_html() {
        let html = page();
        let document = RenderedDocument::new(html.clone());
        assert_eq!(document.html(), html);
        assert_eq!(document.body(Encoding::Identity), html.as_bytes());
        let gzip = document.body(Encoding::Gzip);
        assert!(gzip.len() < html.len() / 4, "the held form is compressed");
        let mut inflated = String::new();
        flate2::read::GzDecoder::new(&gzip[..])
            .read_to_string(&mut inflated)
            .expect("valid gzip");
        assert_eq!(inflated, html);
        let brotli = document.body(Encoding::Brotli);
        let mut decoded = String::new();
        brotli::Decompressor::new(&brotli[..], 4096)
            .read_to_string(&mut decoded)
            .expect("valid brotli");
        assert_eq!(decoded, html);
        // A clone (an unchanged page in the next edition) shares the brotli form.
        assert_eq!(
            document.clone().body(Encoding::Brotli).as_ptr(),
            brotli.as_ptr()
        );
    }

    #[test]
    fn if_none_match_is_read_as_a_list_of_etags() {
        let document = RenderedDocument::new(page());
        let etag = document.etag.to_str().expect("ASCII").to_string();
        assert!(etag.starts_with("W/\""));
        assert!(document.matches(&etag));
        assert!(document.matches(&format!("\"other\", {etag}")));
        assert!(document.matches("*"));
        assert!(!document.matches("W/\"0000\""));
        assert!(!document.matches(""));
        let changed = RenderedDocument::new(page().replace("miss", "hit"));
        assert!(!changed.matches(&etag));
    }

    #[test]
    fn only_scripts_outside_main_are_digested_for_the_policy() {
        let document = RenderedDocument::new(page());
        let expected: Vec<[u8; 32]> = ["theme()", "hydrate()"]
            .iter()
            .map(|script| Sha256::digest(script.as_bytes()).into())
            .collect();
        assert_eq!(document.script_digests(), &expected[..]);
    }
}
