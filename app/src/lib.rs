//! Cairn's Leptos application: the catalogue's views (rendered on the server) and its
//! interactive islands (hydrated in the browser).
//!
//! Built twice: with `ssr` it is the library the server renders pages with; with
//! `hydrate` it is the WASM bundle that brings the islands to life.

pub mod islands;
pub mod model;
pub mod number;
pub mod sim;
pub mod url;

#[cfg(feature = "ssr")]
mod components;
#[cfg(feature = "ssr")]
mod pages;
#[cfg(feature = "ssr")]
pub mod render;

/// Entry point of the WASM bundle: hydrates every island on the page, nothing else.
#[cfg(feature = "hydrate")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_islands();
}

/// Helpers shared by the unit tests of several modules.
#[cfg(test)]
pub(crate) mod test_support {
    /// Widget parameters as the loader hands them over, from `name, value` pairs.
    pub fn params(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(name, value)| (name.to_string(), value.to_string()))
            .collect()
    }
}
