//! The content loader on arbitrary files: front matter (YAML and TOML), Markdown, widget
//! blocks, links between the files. Every input either loads or is refused with errors;
//! none may panic or hang.
#![no_main]

use libfuzzer_sys::fuzz_target;
use server::catalogue::{load_catalogue, SourceFile};

/// Where the pieces of an input land: two pages in one category (so relative links between
/// them resolve), a category overview and a learning path.
const PATHS: [&str; 4] = [
    "notes/first.md",
    "notes/second.md",
    "notes/index.md",
    "paths/start.md",
];

fuzz_target!(|data: &[u8]| {
    // A 0xFF byte (never in UTF-8 text) separates the files of one input.
    let files = data
        .split(|byte| *byte == 0xFF)
        .zip(PATHS)
        .map(|(bytes, path)| SourceFile::new(path, bytes.to_vec()))
        .collect();
    let _ = load_catalogue(files);
});
