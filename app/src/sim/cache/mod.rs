//! Core of the cache-pattern visualizer: an application, a cache and a database under a
//! seeded request stream, advanced one tick at a time.
//!
//! Nothing here knows about Leptos, the clock or the network: the island asks for ticks and
//! draws what comes back, and the server runs the same code to render the first state.

mod lru;
mod settings;
mod simulation;
mod snapshot;
mod workload;

#[cfg(test)]
mod properties;

pub use lru::{Entry, LruCache};
pub use settings::{
    Pattern, Scenario, Settings, MAX_CAPACITY, MAX_KEYS, MAX_RATE, MAX_SKEW, MAX_TTL,
};
pub use simulation::{
    Simulation, TickStats, Totals, ATTACK_SHARE, ATTACK_TICKS, FLUSH_EVERY, LOAD_TICKS,
    MAX_SAMPLED, MISSING_KEYS, SCENARIO_TICK, START_TICKS, WINDOW,
};
pub use snapshot::Snapshot;
pub use workload::{SplitMix64, ZipfSampler};

/// One sentence about a tick, for the widget's live region.
pub fn describe_tick(stats: &TickStats) -> String {
    let mut sentence = format!("Tick {}", stats.tick);
    if let Some(event) = stats.event {
        sentence.push_str(match event {
            Scenario::Herd => ", every entry expired at once",
            Scenario::Penetration => ", requests for missing keys began",
            Scenario::Restart => ", the cache node restarted empty",
            Scenario::None => "",
        });
    }
    sentence.push_str(&format!(
        ": {}% of reads hit the cache; the database took {} queries",
        stats.hit_percent(),
        stats.db_queries()
    ));
    if stats.stale_reads > 0 {
        sentence.push_str(&format!("; {} stale reads", stats.stale_reads));
    }
    if stats.lost_writes > 0 {
        sentence.push_str(&format!("; {} writes lost", stats.lost_writes));
    }
    sentence.push('.');
    sentence
}
