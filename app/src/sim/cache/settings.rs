//! What a cache-visualizer run is set up with: the block's parameters and their defaults.
//!
//! The content loader has already checked names and ranges; this still clamps, so a value
//! typed into the widget's own inputs can never put the simulation out of its bounds.

use crate::number::clamp;

/// How the application, the cache and the database cooperate.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Pattern {
    /// The application reads the cache, loads from the database on a miss, and deletes the
    /// cached copy after writing the database.
    CacheAside,
    /// Like cache-aside, but the cache calls the database itself on a miss.
    ReadThrough,
    /// Writes go to the cache and the database together; a load older than the last write is
    /// refused.
    WriteThrough,
    /// Writes go to the cache only; a flusher writes them to the database in batches.
    WriteBehind,
    /// Read-through, plus a background reload of a key read late in its TTL.
    RefreshAhead,
}

impl Pattern {
    pub const ALL: [Pattern; 5] = [
        Pattern::CacheAside,
        Pattern::ReadThrough,
        Pattern::WriteThrough,
        Pattern::WriteBehind,
        Pattern::RefreshAhead,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Pattern::CacheAside => "cache-aside",
            Pattern::ReadThrough => "read-through",
            Pattern::WriteThrough => "write-through",
            Pattern::WriteBehind => "write-behind",
            Pattern::RefreshAhead => "refresh-ahead",
        }
    }

    pub fn from_name(name: &str) -> Option<Pattern> {
        Pattern::ALL
            .into_iter()
            .find(|pattern| pattern.name() == name)
    }

    /// Whether a miss is loaded by the cache layer (true) or by the application (false).
    pub fn cache_loads(self) -> bool {
        !matches!(self, Pattern::CacheAside)
    }
}

/// The event the "trigger" button fires.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scenario {
    None,
    /// Every cached entry expires at once (thundering herd).
    Herd,
    /// For a while, half the reads ask for keys the database does not have.
    Penetration,
    /// The cache node restarts empty; under write-behind its unflushed writes are gone.
    Restart,
}

impl Scenario {
    pub const ALL: [Scenario; 4] = [
        Scenario::None,
        Scenario::Herd,
        Scenario::Penetration,
        Scenario::Restart,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Scenario::None => "none",
            Scenario::Herd => "herd",
            Scenario::Penetration => "penetration",
            Scenario::Restart => "restart",
        }
    }

    pub fn from_name(name: &str) -> Option<Scenario> {
        Scenario::ALL
            .into_iter()
            .find(|scenario| scenario.name() == name)
    }
}

/// One run's settings. `Default` gives the documented defaults.
#[derive(Clone, Debug, PartialEq)]
pub struct Settings {
    pub pattern: Pattern,
    /// Distinct keys that exist in the database.
    pub keys: u32,
    /// Zipf exponent of key popularity (0 is uniform).
    pub skew: f64,
    /// Entries the cache holds before LRU eviction.
    pub capacity: u32,
    /// Ticks an entry lives.
    pub ttl: u32,
    /// Each entry's TTL is moved by up to this percentage either way.
    pub jitter: f64,
    /// Percentage of requests that are reads.
    pub reads: f64,
    /// Requests per tick.
    pub rate: u32,
    pub scenario: Scenario,
    /// Rebuild lock: one load per key at a time, other readers wait for it.
    pub lock: bool,
    /// Cache "not found" answers (for a quarter of the TTL).
    pub negative: bool,
    pub seed: u64,
}

/// Bounds shared with the content loader's checks (server/src/catalogue/widget.rs).
pub const MAX_KEYS: u32 = 1_000_000;
pub const MAX_CAPACITY: u32 = 1_000_000;
pub const MAX_TTL: u32 = 100_000;
pub const MAX_RATE: u32 = 100_000;
pub const MAX_SKEW: f64 = 5.0;

impl Default for Settings {
    fn default() -> Self {
        Settings {
            pattern: Pattern::CacheAside,
            keys: 1000,
            skew: 1.1,
            capacity: 200,
            ttl: 300,
            jitter: 0.0,
            reads: 100.0,
            rate: 1000,
            scenario: Scenario::None,
            lock: false,
            negative: false,
            seed: 1,
        }
    }
}

impl Settings {
    /// Reads the block's `name=value` pairs; anything missing or unreadable keeps its default.
    pub fn from_params(params: &[(String, String)]) -> Settings {
        let mut settings = Settings::default();
        for (name, value) in params {
            settings.set(name, value);
        }
        settings
    }

    /// Sets one parameter from text, clamped to its range; unknown names and unreadable
    /// values are ignored.
    pub fn set(&mut self, name: &str, value: &str) {
        let number = crate::number::parse(value.trim()).filter(|n| n.is_finite());
        let whole = |low: u32, high: u32| {
            number.map(|n| clamp(n.round(), f64::from(low), f64::from(high)) as u32)
        };
        match name {
            "pattern" => self.pattern = Pattern::from_name(value).unwrap_or(self.pattern),
            "scenario" => self.scenario = Scenario::from_name(value).unwrap_or(self.scenario),
            "keys" => self.keys = whole(1, MAX_KEYS).unwrap_or(self.keys),
            "capacity" => self.capacity = whole(1, MAX_CAPACITY).unwrap_or(self.capacity),
            "ttl" => self.ttl = whole(1, MAX_TTL).unwrap_or(self.ttl),
            "rate" => self.rate = whole(1, MAX_RATE).unwrap_or(self.rate),
            "skew" => self.skew = number.map_or(self.skew, |n| clamp(n, 0.0, MAX_SKEW)),
            "jitter" => self.jitter = number.map_or(self.jitter, |n| clamp(n, 0.0, 100.0)),
            "reads" => self.reads = number.map_or(self.reads, |n| clamp(n, 0.0, 100.0)),
            "lock" => self.lock = value == "true",
            "negative" => self.negative = value == "true",
            "seed" => self.seed = value.trim().parse::<u64>().unwrap_or(self.seed),
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::test_support::params;

    #[test]
    fn missing_parameters_take_the_defaults() {
        assert_eq!(Settings::from_params(&[]), Settings::default());
    }

    #[test]
    fn parameters_are_read_and_clamped() {
        let settings = Settings::from_params(&params(&[
            ("pattern", "write-behind"),
            ("keys", "5000"),
            ("skew", "9"),
            ("capacity", "0"),
            ("ttl", "30"),
            ("jitter", "10"),
            ("reads", "30"),
            ("rate", "250"),
            ("scenario", "restart"),
            ("lock", "true"),
            ("negative", "true"),
            ("seed", "42"),
        ]));
        assert_eq!(settings.pattern, Pattern::WriteBehind);
        assert_eq!(settings.keys, 5000);
        assert_eq!(settings.skew, MAX_SKEW);
        assert_eq!(settings.capacity, 1);
        assert_eq!(settings.ttl, 30);
        assert_eq!(settings.jitter, 10.0);
        assert_eq!(settings.reads, 30.0);
        assert_eq!(settings.rate, 250);
        assert_eq!(settings.scenario, Scenario::Restart);
        assert!(settings.lock && settings.negative);
        assert_eq!(settings.seed, 42);
    }

    #[test]
    fn unreadable_values_keep_the_previous_value() {
        let mut settings = Settings::default();
        settings.set("keys", "lots");
        settings.set("pattern", "write-around");
        settings.set("skew", "NaN");
        assert_eq!(settings, Settings::default());
    }

    #[test]
    fn names_round_trip() {
        for pattern in Pattern::ALL {
            assert_eq!(Pattern::from_name(pattern.name()), Some(pattern));
        }
        for scenario in Scenario::ALL {
            assert_eq!(Scenario::from_name(scenario.name()), Some(scenario));
        }
    }
}
