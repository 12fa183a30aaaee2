//! The cache store: a fixed-capacity map from key to entry with least-recently-used eviction.
//!
//! Keys are small integers (`0..key_space`), so the key-to-slot index is a plain vector and the
//! recency list is linked through slot numbers: every operation is O(1), nothing is hashed,
//! and the order of everything is deterministic.

/// One cached value.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Entry {
    /// The database version this copy holds (0 for a "not found" answer).
    pub version: u32,
    /// The tick from which the entry no longer counts.
    pub expires: u32,
    /// Writes acknowledged into this entry and not yet flushed to the database (write-behind),
    /// in requests.
    pub unflushed: f64,
    /// A cached "not found" (negative caching).
    pub negative: bool,
}

const NONE: u32 = u32::MAX;

#[derive(Clone, Debug)]
struct Node {
    key: u32,
    entry: Entry,
    newer: u32,
    older: u32,
}

#[derive(Clone, Debug)]
pub struct LruCache {
    capacity: u32,
    slot_of_key: Vec<u32>,
    nodes: Vec<Node>,
    free: Vec<u32>,
    newest: u32,
    oldest: u32,
    len: u32,
}

impl LruCache {
    /// A cache for keys `0..key_space` holding at most `capacity` entries.
    pub fn new(capacity: u32, key_space: u32) -> Self {
        LruCache {
            capacity: capacity.max(1),
            slot_of_key: vec![NONE; key_space as usize],
            nodes: Vec::new(),
            free: Vec::new(),
            newest: NONE,
            oldest: NONE,
            len: 0,
        }
    }

    pub fn len(&self) -> u32 {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    pub fn capacity(&self) -> u32 {
        self.capacity
    }

    fn slot(&self, key: u32) -> Option<usize> {
        match self.slot_of_key.get(key as usize) {
            Some(&slot) if slot != NONE => Some(slot as usize),
            _ => None,
        }
    }

    /// The entry for `key`, without changing its recency.
    pub fn peek(&self, key: u32) -> Option<&Entry> {
        self.slot(key).map(|slot| &self.nodes[slot].entry)
    }

    pub fn peek_mut(&mut self, key: u32) -> Option<&mut Entry> {
        self.slot(key).map(|slot| &mut self.nodes[slot].entry)
    }

    /// Marks `key` as just used.
    pub fn touch(&mut self, key: u32) {
        if let Some(slot) = self.slot(key) {
            self.unlink(slot as u32);
            self.push_newest(slot as u32);
        }
    }

    /// Stores `entry` as the newest; returns the evicted key and entry when the cache was full.
    pub fn insert(&mut self, key: u32, entry: Entry) -> Option<(u32, Entry)> {
        if key as usize >= self.slot_of_key.len() {
            return None;
        }
        if let Some(slot) = self.slot(key) {
            self.nodes[slot].entry = entry;
            self.touch(key);
            return None;
        }
        let evicted = if self.len >= self.capacity {
            let oldest = self.nodes[self.oldest as usize].key;
            self.remove(oldest).map(|entry| (oldest, entry))
        } else {
            None
        };
        let node = Node {
            key,
            entry,
            newer: NONE,
            older: NONE,
        };
        let slot = match self.free.pop() {
            Some(slot) => {
                self.nodes[slot as usize] = node;
                slot
            }
            None => {
                self.nodes.push(node);
                (self.nodes.len() - 1) as u32
            }
        };
        self.slot_of_key[key as usize] = slot;
        self.push_newest(slot);
        self.len += 1;
        evicted
    }

    pub fn remove(&mut self, key: u32) -> Option<Entry> {
        let slot = self.slot(key)?;
        self.unlink(slot as u32);
        self.slot_of_key[key as usize] = NONE;
        self.free.push(slot as u32);
        self.len -= 1;
        Some(self.nodes[slot].entry)
    }

    /// Calls `visit` on every entry, newest first.
    pub fn for_each_mut(&mut self, mut visit: impl FnMut(u32, &mut Entry)) {
        let mut slot = self.newest;
        while slot != NONE {
            let node = &mut self.nodes[slot as usize];
            visit(node.key, &mut node.entry);
            slot = node.older;
        }
    }

    /// Calls `visit` on every entry, newest first.
    pub fn for_each(&self, mut visit: impl FnMut(u32, &Entry)) {
        let mut slot = self.newest;
        while slot != NONE {
            let node = &self.nodes[slot as usize];
            visit(node.key, &node.entry);
            slot = node.older;
        }
    }

    /// Keys from newest to oldest (for tests and checks).
    pub fn keys_newest_first(&self) -> Vec<u32> {
        let mut keys = Vec::with_capacity(self.len as usize);
        let mut slot = self.newest;
        while slot != NONE {
            keys.push(self.nodes[slot as usize].key);
            slot = self.nodes[slot as usize].older;
        }
        keys
    }

    /// Empties the cache, as a restarted node is.
    pub fn clear(&mut self) {
        let mut slot = self.newest;
        while slot != NONE {
            let node = &self.nodes[slot as usize];
            self.slot_of_key[node.key as usize] = NONE;
            slot = node.older;
        }
        self.nodes.clear();
        self.free.clear();
        self.newest = NONE;
        self.oldest = NONE;
        self.len = 0;
    }

    fn unlink(&mut self, slot: u32) {
        let Node { newer, older, .. } = self.nodes[slot as usize];
        match newer {
            NONE => self.newest = older,
            newer => self.nodes[newer as usize].older = older,
        }
        match older {
            NONE => self.oldest = newer,
            older => self.nodes[older as usize].newer = newer,
        }
    }

    fn push_newest(&mut self, slot: u32) {
        let previous = self.newest;
        {
            let node = &mut self.nodes[slot as usize];
            node.newer = NONE;
            node.older = previous;
        }
        match previous {
            NONE => self.oldest = slot,
            previous => self.nodes[previous as usize].newer = slot,
        }
        self.newest = slot;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::cache::workload::SplitMix64;

    fn entry(version: u32) -> Entry {
        Entry {
            version,
            expires: 100,
            unflushed: 0.0,
            negative: false,
        }
    }

    #[test]
    fn evicts_the_least_recently_used() {
        let mut cache = LruCache::new(3, 10);
        assert!(cache.insert(1, entry(1)).is_none());
        assert!(cache.insert(2, entry(2)).is_none());
        assert!(cache.insert(3, entry(3)).is_none());
        cache.touch(1);
        let (key, evicted) = cache.insert(4, entry(4)).expect("full");
        assert_eq!((key, evicted.version), (2, 2));
        assert_eq!(cache.keys_newest_first(), vec![4, 1, 3]);
        assert_eq!(cache.len(), 3);
    }

    #[test]
    fn replacing_a_key_keeps_one_copy() {
        let mut cache = LruCache::new(2, 10);
        cache.insert(5, entry(1));
        cache.insert(5, entry(2));
        assert_eq!(cache.len(), 1);
        assert_eq!(cache.peek(5).map(|e| e.version), Some(2));
    }

    #[test]
    fn clear_forgets_everything() {
        let mut cache = LruCache::new(4, 10);
        for key in 0..4 {
            cache.insert(key, entry(key));
        }
        cache.clear();
        assert!(cache.is_empty());
        assert!((0..4).all(|key| cache.peek(key).is_none()));
        cache.insert(2, entry(9));
        assert_eq!(cache.keys_newest_first(), vec![2]);
    }

    #[test]
    fn matches_a_naive_lru_under_random_operations() {
        for seed in 0..50 {
            let mut rng = SplitMix64::new(seed);
            let capacity = 1 + rng.below(8);
            let mut cache = LruCache::new(capacity, 20);
            let mut model: Vec<u32> = Vec::new(); // newest first
            for _ in 0..400 {
                let key = rng.below(20);
                match rng.below(3) {
                    0 => {
                        cache.insert(key, entry(key));
                        model.retain(|&k| k != key);
                        model.insert(0, key);
                        model.truncate(capacity as usize);
                    }
                    1 => {
                        cache.touch(key);
                        if let Some(at) = model.iter().position(|&k| k == key) {
                            model.remove(at);
                            model.insert(0, key);
                        }
                    }
                    _ => {
                        assert_eq!(cache.remove(key).is_some(), model.contains(&key));
                        model.retain(|&k| k != key);
                    }
                }
                assert_eq!(cache.keys_newest_first(), model, "seed {seed}");
                assert!(cache.len() <= capacity);
            }
        }
    }
}
