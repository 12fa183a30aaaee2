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

/// Why a content folder could not be read, and where.
#[derive(Debug)]
pub struct FolderError {
    /// The file or sub-folder at fault, relative to the root (`/`-separated); `None` when
    /// the root itself could not be read.
    pub file: Option<String>,
    pub source: std::io::Error,
}

impl std::fmt::Display for FolderError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.file {
            Some(file) => write!(f, "{file}: {}", self.source),
            None => self.source.fmt(f),
        }
    }
}

impl std::error::Error for FolderError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&self.source)
    }
}

/// Every Markdown file and servable file under `root`, in a stable order. Hidden files and
/// folders and symbolic links are skipped, so nothing outside `root` is ever read.
///
/// A file or folder that disappears while it is being read (an editor saving through a
/// temporary file, a `git checkout`) is skipped: it is gone, and the change that removed it
/// triggers another read. Any other failure names the file.
pub fn read_folder(root: &Path) -> Result<FolderContent, FolderError> {
    let mut content = FolderContent::default();
    collect(root, root, &mut content)?;
    content.pages.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(content)
}

/// Every Markdown file under `root`, in a stable order.
pub fn folder_files(root: &Path) -> Result<Vec<SourceFile>, FolderError> {
    Ok(read_folder(root)?.pages)
}

/// `path` relative to `root`, `/`-separated.
fn relative_to(root: &Path, path: &Path) -> String {
    path.strip_prefix(root)
        .unwrap_or(path)
        .components()
        .map(|part| part.as_os_str().to_string_lossy().into_owned())
        .collect::<Vec<_>>()
        .join("/")
}

/// Skips what vanished mid-read (`Ok(None)`); names the file for any other error.
fn gone_or_named<T>(
    result: std::io::Result<T>,
    root: &Path,
    path: &Path,
) -> Result<Option<T>, FolderError> {
    match result {
        Ok(value) => Ok(Some(value)),
        Err(error) if error.kind() == std::io::ErrorKind::NotFound && path != root => Ok(None),
        Err(source) => Err(FolderError {
            file: (path != root).then(|| relative_to(root, path)),
            source,
        }),
    }
}

fn collect(root: &Path, dir: &Path, content: &mut FolderContent) -> Result<(), FolderError> {
    let Some(entries) = gone_or_named(std::fs::read_dir(dir), root, dir)? else {
        return Ok(());
    };
    for entry in entries {
        let Some(entry) = gone_or_named(entry, root, dir)? else {
            continue;
        };
        let path = entry.path();
        let name = entry.file_name();
        if name.to_string_lossy().starts_with('.') {
            continue;
        }
        let Some(kind) = gone_or_named(entry.file_type(), root, &path)? else {
            continue;
        };
        if kind.is_dir() {
            collect(root, &path, content)?;
            continue;
        }
        // Symbolic links, sockets, FIFOs (a read would block) and devices are not content.
        if !kind.is_file() {
            continue;
        }
        let relative = relative_to(root, &path);
        if path.extension().is_some_and(|ext| ext == "md") {
            if let Some(bytes) = gone_or_named(std::fs::read(&path), root, &path)? {
                content.pages.push(SourceFile {
                    path: relative,
                    bytes,
                });
            }
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

    #[test]
    fn a_folder_read_skips_what_is_not_a_regular_file_and_never_blocks() {
        let root = std::env::temp_dir().join(format!("cairn-source-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&root);
        std::fs::create_dir_all(root.join("ops")).expect("temp folder");
        std::fs::write(root.join("ops/runbook.md"), "# Runbook\n").expect("page");
        // Reading a FIFO would wait for a writer forever; a dangling link points nowhere.
        let fifo = std::process::Command::new("mkfifo")
            .arg(root.join("ops/pipe.md"))
            .status()
            .expect("mkfifo runs");
        assert!(fifo.success());
        std::os::unix::fs::symlink(root.join("gone.md"), root.join("ops/link.md"))
            .expect("symlink");

        let content = read_folder(&root).expect("the folder reads");
        let paths: Vec<&str> = content
            .pages
            .iter()
            .map(|page| page.path.as_str())
            .collect();
        assert_eq!(paths, ["ops/runbook.md"]);

        let missing = read_folder(&root.join("nowhere")).expect_err("no folder");
        assert_eq!(missing.file, None, "the root itself is at fault");
        assert_eq!(missing.source.kind(), std::io::ErrorKind::NotFound);
        std::fs::remove_dir_all(&root).expect("clean up");
    }
}
