//! Where content files come from: the catalogue compiled into the binary, or a folder.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// One content file, with its path relative to the content root (always `/`-separated).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceFile {
    pub path: String,
    pub bytes: Vec<u8>,
}

impl SourceFile {
    pub fn new(path: impl Into<String>, text: impl Into<Vec<u8>>) -> Self {
        SourceFile {
            path: path.into(),
            bytes: text.into(),
        }
    }
}

mod builtin {
    include!(concat!(env!("OUT_DIR"), "/builtin_content.rs"));
}

/// The built-in catalogue: every Markdown file under `content/`, embedded at build time.
pub fn builtin_files() -> Vec<SourceFile> {
    builtin::FILES
        .iter()
        .map(|(path, text)| SourceFile::new(*path, text.as_bytes()))
        .collect()
}

/// What a team's content folder holds: Markdown pages, and other files pages may link to.
#[derive(Debug, Clone, Default)]
pub struct FolderContent {
    pub pages: Vec<SourceFile>,
    /// Servable files (images, PDFs...) by path relative to the root, `/`-separated.
    pub assets: BTreeMap<String, PathBuf>,
}

/// File types a content folder may serve beside its pages, with their media types. Anything
/// else in the folder is ignored, so a stray `.env` or script is never served.
pub const ASSET_TYPES: &[(&str, &str)] = &[
    ("png", "image/png"),
    ("jpg", "image/jpeg"),
    ("jpeg", "image/jpeg"),
    ("gif", "image/gif"),
    ("webp", "image/webp"),
    ("avif", "image/avif"),
    ("svg", "image/svg+xml"),
    ("pdf", "application/pdf"),
    ("txt", "text/plain; charset=utf-8"),
    ("csv", "text/csv; charset=utf-8"),
];

/// The media type a content-folder file is served with, if it may be served at all.
pub fn asset_type(path: &str) -> Option<&'static str> {
    let extension = path.rsplit_once('.')?.1.to_ascii_lowercase();
    ASSET_TYPES
        .iter()
        .find(|(known, _)| *known == extension)
        .map(|(_, media_type)| *media_type)
}

/// Every Markdown file and servable file under `root`, in a stable order. Hidden files and
/// folders and symbolic links are skipped, so nothing outside `root` is ever read.
pub fn read_folder(root: &Path) -> std::io::Result<FolderContent> {
    let mut content = FolderContent::default();
    collect(root, root, &mut content)?;
    content.pages.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(content)
}

/// Every Markdown file under `root`, in a stable order.
pub fn folder_files(root: &Path) -> std::io::Result<Vec<SourceFile>> {
    Ok(read_folder(root)?.pages)
}

fn collect(root: &Path, dir: &Path, content: &mut FolderContent) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        let path = entry.path();
        let name = entry.file_name();
        if name.to_string_lossy().starts_with('.') {
            continue;
        }
        let kind = entry.file_type()?;
        if kind.is_dir() {
            collect(root, &path, content)?;
            continue;
        }
        if !kind.is_file() {
            continue;
        }
        let relative = path
            .strip_prefix(root)
            .unwrap_or(&path)
            .components()
            .map(|part| part.as_os_str().to_string_lossy().into_owned())
            .collect::<Vec<_>>()
            .join("/");
        if path.extension().is_some_and(|ext| ext == "md") {
            content.pages.push(SourceFile {
                path: relative,
                bytes: std::fs::read(&path)?,
            });
        } else if asset_type(&relative).is_some() {
            content.assets.insert(relative, path);
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_known_file_types_are_servable() {
        assert_eq!(asset_type("img/Diagram.PNG"), Some("image/png"));
        assert_eq!(asset_type("notes/drawing.svg"), Some("image/svg+xml"));
        for refused in [".env", "deploy.sh", "index.html", "secrets", "a.md", "x.js"] {
            assert_eq!(asset_type(refused), None, "{refused}");
        }
    }
}
