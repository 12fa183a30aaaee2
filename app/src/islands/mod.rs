//! Islands: the only parts of a page that hydrate in the browser.

mod cache_visualizer;
mod circuit_breaker;
mod estimate;
mod instant_search;

pub use cache_visualizer::CacheVisualizerWidget;
pub use circuit_breaker::CircuitBreakerWidget;
pub use estimate::EstimateWidget;
pub use instant_search::InstantSearch;
