//! Islands: the only parts of a page that hydrate in the browser.

mod instant_search;

pub use instant_search::InstantSearch;
