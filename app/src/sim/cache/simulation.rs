//! The tick engine: an application, a cache and a database under a request stream.
//!
//! Each tick, in this order: a triggered scenario fires; the tick's requests run, with
//! database loads coming back among them as they fall due; under write-behind, every tenth tick
//! flushes the dirty entries. Versions make staleness measurable: every write creates a new
//! version of its key, and a read served from the cache with an older version than the last
//! acknowledged write is a stale read.
//!
//! Per-tick work is bounded: at most [`MAX_SAMPLED`] requests are drawn a tick, each standing
//! for `rate / MAX_SAMPLED` real ones, so a high `rate` costs no more than a moderate one.

use super::lru::{Entry, LruCache};
use super::settings::{Pattern, Scenario, Settings};
use super::workload::{SplitMix64, ZipfSampler};
use std::collections::VecDeque;

/// Requests simulated per tick at most; above it the stream is sampled.
pub const MAX_SAMPLED: u32 = 1000;
/// Ticks a database read takes to come back: the window in which a herd forms.
pub const LOAD_TICKS: u32 = 2;
/// Write-behind flushes its dirty entries every this many ticks.
pub const FLUSH_EVERY: u32 = 10;
/// Refresh-ahead reloads a key read within this share of its TTL before expiry.
pub const REFRESH_WINDOW: f64 = 0.2;
/// Keys that do not exist in the database, asked for during a penetration attack.
pub const MISSING_KEYS: u32 = 100;
/// How long a penetration attack lasts, and the share of reads it takes over.
pub const ATTACK_TICKS: u32 = 30;
pub const ATTACK_SHARE: f64 = 0.5;
/// Ticks of history kept for the charts.
pub const WINDOW: usize = 120;
/// Ticks simulated before the first render, so the page opens on a meaningful state.
pub const START_TICKS: u32 = 90;
/// Where a page's `scenario` fires during those first ticks: after warm-up, between flushes.
pub const SCENARIO_TICK: u32 = 45;

/// What one tick did, in requests (sampled requests scaled back up, rounded).
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct TickStats {
    pub tick: u32,
    pub reads: u32,
    pub writes: u32,
    /// Reads answered by the cache, including cached "not found" answers.
    pub hits: u32,
    /// Reads the cache could not answer.
    pub misses: u32,
    /// Misses that waited for another request's load instead of querying the database.
    pub coalesced: u32,
    /// Reads for keys the database does not have.
    pub missing_reads: u32,
    /// Queries the database received: loads (including refreshes) ...
    pub db_reads: u32,
    /// ... and writes (including write-behind flushes).
    pub db_writes: u32,
    /// Write-behind: entries written to the database by a flush or an eviction.
    pub flushed: u32,
    pub stale_reads: u32,
    /// Acknowledged writes that never reached the database.
    pub lost_writes: u32,
    pub evictions: u32,
    /// Entries in the cache at the end of the tick.
    pub entries: u32,
    /// The scenario that fired at the start of this tick.
    pub event: Option<Scenario>,
}

impl TickStats {
    /// Percentage of reads answered by the cache (0 when there were no reads).
    pub fn hit_percent(&self) -> u32 {
        percent(u64::from(self.hits), u64::from(self.reads))
    }

    pub fn db_queries(&self) -> u32 {
        self.db_reads + self.db_writes
    }
}

/// Sums over the whole run.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Totals {
    pub reads: u64,
    pub writes: u64,
    pub hits: u64,
    pub db_reads: u64,
    pub db_writes: u64,
    pub stale_reads: u64,
    pub lost_writes: u64,
}

impl Totals {
    pub fn hit_percent(&self) -> u32 {
        percent(self.hits, self.reads)
    }

    fn add(&mut self, tick: &TickStats) {
        self.reads += u64::from(tick.reads);
        self.writes += u64::from(tick.writes);
        self.hits += u64::from(tick.hits);
        self.db_reads += u64::from(tick.db_reads);
        self.db_writes += u64::from(tick.db_writes);
        self.stale_reads += u64::from(tick.stale_reads);
        self.lost_writes += u64::from(tick.lost_writes);
    }
}

fn percent(part: u64, whole: u64) -> u32 {
    (part * 100 + whole / 2).checked_div(whole).unwrap_or(0) as u32
}

/// The same figures as [`TickStats`], unrounded while the tick runs.
#[derive(Default)]
struct Tally {
    reads: f64,
    writes: f64,
    hits: f64,
    misses: f64,
    coalesced: f64,
    missing_reads: f64,
    db_reads: f64,
    db_writes: f64,
    flushed: f64,
    stale_reads: f64,
    lost_writes: f64,
    evictions: f64,
}

/// A database read on its way back.
#[derive(Clone, Copy, Debug)]
struct Load {
    key: u32,
    /// The database version read when the load started.
    version: u32,
    /// When it comes back, in slots (see [`Simulation::step`]).
    due: u64,
    /// This load holds the key's rebuild lock or refresh marker.
    owner: bool,
}

#[derive(Clone, Debug)]
pub struct Simulation {
    settings: Settings,
    rng: SplitMix64,
    popularity: ZipfSampler,
    /// Writes favour other keys than reads (see `write_key`).
    write_stride: u64,
    cache: LruCache,
    /// Version of each key in the database; keys `keys..keys + MISSING_KEYS` do not exist.
    db_version: Vec<u32>,
    /// Version of the last write acknowledged to a client.
    acknowledged: Vec<u32>,
    /// A rebuild lock or refresh marker is held for the key.
    loading: Vec<bool>,
    /// Loads in flight, in the order they come back.
    loads: VecDeque<Load>,
    /// Write-behind: keys with unflushed writes (may hold duplicates; flushing skips clean ones).
    dirty: Vec<u32>,
    tick: u32,
    trigger_pending: bool,
    attack_until: u32,
    history: Vec<TickStats>,
    totals: Totals,
}

impl Simulation {
    /// A fresh run at tick 0 with a cold cache.
    pub fn new(settings: Settings) -> Simulation {
        let keys = settings.keys.max(1);
        let key_space = keys + MISSING_KEYS;
        Simulation {
            rng: SplitMix64::new(settings.seed),
            popularity: ZipfSampler::new(keys, settings.skew),
            write_stride: coprime_stride(u64::from(keys)),
            cache: LruCache::new(settings.capacity, key_space),
            db_version: vec![0; keys as usize],
            acknowledged: vec![0; keys as usize],
            loading: vec![false; key_space as usize],
            loads: VecDeque::new(),
            dirty: Vec::new(),
            tick: 0,
            trigger_pending: false,
            attack_until: 0,
            history: Vec::with_capacity(WINDOW + 1),
            totals: Totals::default(),
            settings,
        }
    }

    /// The state a page opens on: [`START_TICKS`] ticks run, with the page's scenario fired at
    /// [`SCENARIO_TICK`]. Deterministic, so the server and the browser agree.
    pub fn started(settings: Settings) -> Simulation {
        let mut simulation = Simulation::new(settings);
        simulation.warm_up(START_TICKS);
        simulation
    }

    /// Runs at most `ticks` of the [`START_TICKS`] a page opens on, so the browser can reach
    /// [`Simulation::started`]'s state a few ticks at a time; true once that state is reached
    /// (from then on it does nothing).
    pub fn warm_up(&mut self, ticks: u32) -> bool {
        for _ in 0..ticks.min(START_TICKS.saturating_sub(self.tick)) {
            self.step();
        }
        self.tick >= START_TICKS
    }

    pub fn settings(&self) -> &Settings {
        &self.settings
    }

    pub fn tick(&self) -> u32 {
        self.tick
    }

    /// The last [`WINDOW`] ticks, oldest first.
    pub fn history(&self) -> &[TickStats] {
        &self.history
    }

    pub fn last(&self) -> TickStats {
        self.history.last().copied().unwrap_or_default()
    }

    pub fn totals(&self) -> Totals {
        self.totals
    }

    pub fn cache(&self) -> &LruCache {
        &self.cache
    }

    /// Writes acknowledged by the cache and not yet in the database (write-behind).
    pub fn unflushed_writes(&self) -> f64 {
        let mut total = 0.0;
        self.cache.for_each(|_, entry| total += entry.unflushed);
        total
    }

    /// Keys whose database version differs from the last acknowledged write.
    pub fn keys_behind_database(&self) -> usize {
        self.db_version
            .iter()
            .zip(&self.acknowledged)
            .filter(|(db, acked)| db != acked)
            .count()
    }

    /// Fires the configured scenario at the start of the next tick.
    pub fn trigger(&mut self) {
        self.trigger_pending = true;
    }

    /// Whether a penetration attack is running.
    pub fn attack_running(&self) -> bool {
        self.attack_until > 0 && self.tick <= self.attack_until
    }

    pub fn step(&mut self) -> TickStats {
        self.tick += 1;
        let now = self.tick;
        let mut tally = Tally::default();
        // Time inside a tick is counted in slots, MAX_SAMPLED to a tick, so a load that
        // started at a request's slot comes back LOAD_TICKS later at the same point of a later
        // tick, interleaved with that tick's requests as in real time (completing a whole
        // tick's loads in one batch would flush a small cache every tick).
        let tick_start = u64::from(now) * u64::from(MAX_SAMPLED);

        let scripted = self.settings.scenario != Scenario::None && now == SCENARIO_TICK;
        let event = if self.trigger_pending || scripted {
            self.trigger_pending = false;
            self.fire(now, &mut tally);
            Some(self.settings.scenario).filter(|scenario| *scenario != Scenario::None)
        } else {
            None
        };
        // A scenario strikes at the tick boundary, before loads due now come back.
        self.complete_loads(now, tick_start, &mut tally);

        let sampled = self.settings.rate.clamp(1, MAX_SAMPLED);
        let weight = f64::from(self.settings.rate.max(1)) / f64::from(sampled);
        let read_share = self.settings.reads / 100.0;
        for request in 0..sampled {
            let slot = tick_start + u64::from(request) * u64::from(MAX_SAMPLED / sampled);
            self.complete_loads(now, slot, &mut tally);
            if self.rng.next_unit() < read_share {
                let key = if now <= self.attack_until && self.rng.next_unit() < ATTACK_SHARE {
                    self.settings.keys.max(1) + self.rng.below(MISSING_KEYS)
                } else {
                    self.popularity.sample(&mut self.rng)
                };
                self.read(now, slot, key, weight, &mut tally);
            } else {
                let key = self.write_key();
                self.write(now, key, weight, &mut tally);
            }
        }

        if self.settings.pattern == Pattern::WriteBehind && now.is_multiple_of(FLUSH_EVERY) {
            self.flush(&mut tally);
        }

        let round = |value: f64| value.round() as u32;
        let stats = TickStats {
            tick: now,
            reads: round(tally.reads),
            writes: round(tally.writes),
            hits: round(tally.hits),
            misses: round(tally.misses),
            coalesced: round(tally.coalesced),
            missing_reads: round(tally.missing_reads),
            db_reads: round(tally.db_reads),
            db_writes: round(tally.db_writes),
            flushed: round(tally.flushed),
            stale_reads: round(tally.stale_reads),
            lost_writes: round(tally.lost_writes),
            evictions: round(tally.evictions),
            entries: self.cache.len(),
            event,
        };
        self.totals.add(&stats);
        self.history.push(stats);
        if self.history.len() > WINDOW {
            self.history.remove(0);
        }
        stats
    }

    fn fire(&mut self, now: u32, tally: &mut Tally) {
        match self.settings.scenario {
            Scenario::None => {}
            Scenario::Herd => {
                // Mass expiry: everything loaded together expires together. Unflushed
                // write-behind entries are the only copy of their data and stay.
                self.cache.for_each_mut(|_, entry| {
                    if entry.unflushed == 0.0 {
                        entry.expires = now;
                    }
                });
            }
            Scenario::Penetration => self.attack_until = now + ATTACK_TICKS - 1,
            Scenario::Restart => {
                let mut lost = 0.0;
                let acknowledged = &mut self.acknowledged;
                let db_version = &self.db_version;
                self.cache.for_each_mut(|key, entry| {
                    if entry.unflushed > 0.0 {
                        lost += entry.unflushed;
                        // The write is gone: the database's version is the truth again.
                        if let (Some(acked), Some(db)) = (
                            acknowledged.get_mut(key as usize),
                            db_version.get(key as usize),
                        ) {
                            *acked = *db;
                        }
                    }
                });
                tally.lost_writes += lost;
                self.cache.clear();
                self.dirty.clear();
            }
        }
    }

    fn read(&mut self, now: u32, slot: u64, key: u32, weight: f64, tally: &mut Tally) {
        tally.reads += weight;
        let missing = key >= self.settings.keys.max(1);
        if missing {
            tally.missing_reads += weight;
        }
        if let Some(entry) = self.cache.peek(key).copied() {
            if entry.unflushed > 0.0 || now < entry.expires {
                tally.hits += weight;
                self.cache.touch(key);
                if !entry.negative {
                    let acked = self.acknowledged.get(key as usize).copied().unwrap_or(0);
                    if entry.version < acked {
                        tally.stale_reads += weight;
                    }
                    let remaining = f64::from(entry.expires.saturating_sub(now));
                    if self.settings.pattern == Pattern::RefreshAhead
                        && remaining <= REFRESH_WINDOW * f64::from(self.settings.ttl)
                        && !self.loading[key as usize]
                    {
                        self.start_load(slot, key, true);
                        tally.db_reads += 1.0;
                    }
                }
                return;
            }
            self.cache.remove(key);
        }
        tally.misses += weight;
        if self.settings.lock {
            if self.loading[key as usize] {
                tally.coalesced += weight;
            } else {
                self.start_load(slot, key, true);
                tally.db_reads += 1.0;
                tally.coalesced += weight - 1.0;
            }
        } else {
            self.start_load(slot, key, false);
            tally.db_reads += weight;
        }
    }

    fn start_load(&mut self, slot: u64, key: u32, owner: bool) {
        if owner {
            self.loading[key as usize] = true;
        }
        self.loads.push_back(Load {
            key,
            version: self.db_version.get(key as usize).copied().unwrap_or(0),
            due: slot + u64::from(LOAD_TICKS) * u64::from(MAX_SAMPLED),
            owner,
        });
    }

    /// Fills the cache with every load due by `slot`.
    fn complete_loads(&mut self, now: u32, slot: u64, tally: &mut Tally) {
        while let Some(load) = self.loads.front().copied() {
            if load.due > slot {
                break;
            }
            self.loads.pop_front();
            if load.owner {
                self.loading[load.key as usize] = false;
            }
            self.fill(now, load, tally);
        }
    }

    /// A load came back: store its value, unless the pattern says it is out of date.
    fn fill(&mut self, now: u32, load: Load, tally: &mut Tally) {
        let exists = load.key < self.settings.keys.max(1);
        if !exists {
            if self.settings.negative {
                let ttl = (self.settings.ttl / 4).max(1);
                let entry = Entry {
                    version: 0,
                    expires: now + ttl,
                    unflushed: 0.0,
                    negative: true,
                };
                self.store(load.key, entry, tally);
            }
            return;
        }
        let acked = self.acknowledged[load.key as usize];
        match self.settings.pattern {
            // The write path already stored a newer value; a late load must not replace it.
            Pattern::WriteThrough if load.version < acked => return,
            Pattern::WriteBehind
                if self
                    .cache
                    .peek(load.key)
                    .is_some_and(|entry| entry.version > load.version) =>
            {
                return
            }
            // Cache-aside, read-through and refresh-ahead set unconditionally: a load that
            // started before a write can put the old value back (the classic race).
            _ => {}
        }
        let entry = Entry {
            version: load.version,
            expires: now + self.jittered_ttl(),
            unflushed: 0.0,
            negative: false,
        };
        self.store(load.key, entry, tally);
    }

    fn write(&mut self, now: u32, key: u32, weight: f64, tally: &mut Tally) {
        tally.writes += weight;
        let version = self.acknowledged[key as usize] + 1;
        self.acknowledged[key as usize] = version;
        match self.settings.pattern {
            Pattern::CacheAside | Pattern::ReadThrough | Pattern::RefreshAhead => {
                self.db_version[key as usize] = version;
                tally.db_writes += weight;
                self.cache.remove(key);
            }
            Pattern::WriteThrough => {
                self.db_version[key as usize] = version;
                tally.db_writes += weight;
                let entry = Entry {
                    version,
                    expires: now + self.jittered_ttl(),
                    unflushed: 0.0,
                    negative: false,
                };
                self.store(key, entry, tally);
            }
            Pattern::WriteBehind => {
                let unflushed = self.cache.peek(key).map_or(0.0, |entry| entry.unflushed);
                if unflushed == 0.0 {
                    self.dirty.push(key);
                }
                let entry = Entry {
                    version,
                    expires: now + self.jittered_ttl(),
                    unflushed: unflushed + weight,
                    negative: false,
                };
                self.store(key, entry, tally);
            }
        }
    }

    /// Inserts into the cache; an evicted entry with unflushed writes is written out first.
    fn store(&mut self, key: u32, entry: Entry, tally: &mut Tally) {
        if let Some((evicted_key, evicted)) = self.cache.insert(key, entry) {
            tally.evictions += 1.0;
            if evicted.unflushed > 0.0 {
                self.db_version[evicted_key as usize] = evicted.version;
                tally.db_writes += 1.0;
                tally.flushed += 1.0;
            }
        }
    }

    /// Write-behind: one database write per dirty key, however many writes it coalesces.
    fn flush(&mut self, tally: &mut Tally) {
        for key in std::mem::take(&mut self.dirty) {
            if let Some(entry) = self.cache.peek_mut(key) {
                if entry.unflushed > 0.0 {
                    entry.unflushed = 0.0;
                    self.db_version[key as usize] = entry.version;
                    tally.db_writes += 1.0;
                    tally.flushed += 1.0;
                }
            }
        }
    }

    fn jittered_ttl(&mut self) -> u32 {
        let ttl = f64::from(self.settings.ttl.max(1));
        let spread = ttl * self.settings.jitter / 100.0;
        if spread <= 0.0 {
            return ttl as u32;
        }
        let offset = (self.rng.next_unit() * 2.0 - 1.0) * spread;
        (ttl + offset).round().max(1.0) as u32
    }

    /// Writes are as skewed as reads but land on a shuffled order of keys: the keys written
    /// most are mostly not the keys read most, as with real write traffic.
    fn write_key(&mut self) -> u32 {
        let keys = u64::from(self.settings.keys.max(1));
        let rank = u64::from(self.popularity.sample(&mut self.rng));
        ((rank * self.write_stride + keys / 2) % keys) as u32
    }
}

/// A stride near 0.618 × `keys` with no common factor with it, so `rank × stride mod keys`
/// visits every key once.
fn coprime_stride(keys: u64) -> u64 {
    if keys <= 2 {
        return 1;
    }
    let mut stride = (keys * 618 / 1000).max(1);
    while gcd(stride, keys) != 1 {
        stride += 1;
    }
    stride
}

fn gcd(mut a: u64, mut b: u64) -> u64 {
    while b != 0 {
        (a, b) = (b, a % b);
    }
    a
}
