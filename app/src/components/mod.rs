//! Building blocks shared by the pages: the document shell, the site header, rendered blocks.

mod blocks;
mod document;
mod header;

pub use blocks::Blocks;
pub use document::{Document, DocumentProps};
pub use header::SiteHeader;
