//! Where content files come from: the catalogue compiled into the binary, or a folder.

use std::path::Path;

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

/// Every Markdown file under `root`, in a stable order.
pub fn folder_files(root: &Path) -> std::io::Result<Vec<SourceFile>> {
    let mut files = Vec::new();
    collect(root, root, &mut files)?;
    files.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(files)
}

fn collect(root: &Path, dir: &Path, files: &mut Vec<SourceFile>) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        let path = entry.path();
        let name = entry.file_name();
        if name.to_string_lossy().starts_with('.') {
            continue;
        }
        let kind = entry.file_type()?;
        if kind.is_dir() {
            collect(root, &path, files)?;
        } else if kind.is_file() && path.extension().is_some_and(|ext| ext == "md") {
            let relative = path
                .strip_prefix(root)
                .unwrap_or(&path)
                .components()
                .map(|part| part.as_os_str().to_string_lossy().into_owned())
                .collect::<Vec<_>>()
                .join("/");
            files.push(SourceFile {
                path: relative,
                bytes: std::fs::read(&path)?,
            });
        }
    }
    Ok(())
}
