//! Core of the back-of-the-envelope calculator: from a design's assumptions (users, writes,
//! reads per write, object size, peak factor, retention, replicas) to QPS, storage, bandwidth
//! and machine counts, each with the formula that produced it.
//!
//! Everything here is plain arithmetic on `f64` and text: no Leptos, no browser. The island
//! keeps an [`Inputs`] in a signal and shows [`report`]'s rows; the server checks authored
//! parameters with [`Inputs::from_params`], so a page cannot embed numbers the widget would
//! refuse.

mod format;
mod inputs;
mod preset;
mod report;
mod url_state;

pub use format::{exact, human_bytes, human_count, plain_number};
pub use inputs::{CountScale, Field, FieldError, Inputs, ObjectSize, RateUnit, SizeUnit, Users};
pub use preset::{Preset, PRESETS, PRESET_NAMES};
pub use report::{report, summary, Group, Row};
pub use url_state::{clear_query, read_query, write_query};

/// Seconds in a day: every "per day" figure becomes "per second" through this.
pub const SECONDS_PER_DAY: f64 = 86_400.0;
/// Retention is counted in 365-day years, as the handbook's prose does.
pub const DAYS_PER_YEAR: f64 = 365.0;

/// The reference figures for one machine (from the handbook's numbers table), per second.
pub const SERVER_REQUESTS: f64 = 100_000.0;
pub const POSTGRES_QUERIES: f64 = 10_000.0;
pub const REDIS_OPERATIONS: f64 = 1_000_000.0;
pub const KAFKA_PARTITION_BYTES: f64 = 100e6;

/// Largest daily-active-user count accepted (a thousand billion): far beyond any real
/// service, small enough that every derived figure stays a finite `f64`.
pub const MAX_USERS: f64 = 1e12;
/// Largest object accepted: 1 TB.
pub const MAX_OBJECT_BYTES: f64 = 1e12;

/// The computed figures, all per second or in bytes; machine counts already rounded up.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Estimate {
    pub writes_per_day: f64,
    pub reads_per_day: f64,
    pub write_qps: f64,
    pub read_qps: f64,
    pub peak_write_qps: f64,
    pub peak_read_qps: f64,
    /// One copy of a day's new objects.
    pub storage_per_day: f64,
    /// One copy of a year's new objects.
    pub storage_per_year: f64,
    /// Everything kept over the retention, times the replicas.
    pub storage_total: f64,
    /// Bytes per second arriving with writes, average and peak.
    pub ingress: f64,
    pub peak_ingress: f64,
    /// Bytes per second leaving with reads, average and peak.
    pub egress: f64,
    pub peak_egress: f64,
    /// Machines needed at peak, at the reference figures.
    pub servers: f64,
    pub postgres_for_writes: f64,
    pub postgres_uncached: f64,
    pub redis_for_reads: f64,
    pub kafka_partitions: f64,
}

/// Whole machines for `load` at `capacity` each: rounded up, since 2.1 servers' worth of
/// load needs 3. The tolerance keeps float noise (2.0000000000004) from adding a machine.
pub fn machines_for(load: f64, capacity: f64) -> f64 {
    if load <= 0.0 {
        return 0.0;
    }
    let exact = load / capacity;
    (exact * (1.0 - 1e-12)).ceil().max(1.0)
}

/// The arithmetic, step by step as the handbook teaches it.
pub fn estimate(inputs: &Inputs) -> Estimate {
    let users = inputs.users.total();
    let bytes = inputs.size.bytes();
    let peak = inputs.peak;
    let writes_per_day = users * inputs.actions;
    let reads_per_day = writes_per_day * inputs.reads;
    let write_qps = writes_per_day / SECONDS_PER_DAY;
    let read_qps = write_qps * inputs.reads;
    let storage_per_day = writes_per_day * bytes;
    let storage_per_year = storage_per_day * DAYS_PER_YEAR;
    let ingress = write_qps * bytes;
    let egress = read_qps * bytes;
    let (peak_write_qps, peak_read_qps) = (write_qps * peak, read_qps * peak);
    Estimate {
        writes_per_day,
        reads_per_day,
        write_qps,
        read_qps,
        peak_write_qps,
        peak_read_qps,
        storage_per_day,
        storage_per_year,
        storage_total: storage_per_year * inputs.years * f64::from(inputs.replicas),
        ingress,
        peak_ingress: ingress * peak,
        egress,
        peak_egress: egress * peak,
        servers: machines_for(peak_read_qps + peak_write_qps, SERVER_REQUESTS),
        postgres_for_writes: machines_for(peak_write_qps, POSTGRES_QUERIES),
        postgres_uncached: machines_for(peak_read_qps + peak_write_qps, POSTGRES_QUERIES),
        redis_for_reads: machines_for(peak_read_qps, REDIS_OPERATIONS),
        kafka_partitions: machines_for(ingress * peak, KAFKA_PARTITION_BYTES),
    }
}

#[cfg(test)]
pub(crate) mod splitmix {
    //! SplitMix64: a tiny seeded generator for the property tests.

    pub struct SplitMix(pub u64);

    impl SplitMix {
        pub fn next(&mut self) -> u64 {
            self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
            let mut z = self.0;
            z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
            z ^ (z >> 31)
        }

        /// Uniform in [0, 1).
        pub fn unit(&mut self) -> f64 {
            (self.next() >> 11) as f64 / (1u64 << 53) as f64
        }

        pub fn below(&mut self, bound: usize) -> usize {
            (self.next() % bound as u64) as usize
        }

        /// A number in [min, max], often a round one, as people type.
        pub fn number(&mut self, min: f64, max: f64) -> f64 {
            let raw = min + (max - min) * self.unit();
            match self.below(3) {
                0 => raw,
                1 => (raw * 10.0).round().clamp(min * 10.0, max * 10.0) / 10.0,
                _ => raw.round().clamp(min.ceil(), max.floor()),
            }
        }
    }

    use super::*;

    /// Random valid inputs covering every unit and the extremes of each range.
    pub fn inputs(random: &mut SplitMix) -> Inputs {
        let scale = CountScale::ALL[random.below(4)];
        let unit = SizeUnit::ALL[random.below(5)];
        Inputs {
            users: Users {
                value: random.number(0.0, MAX_USERS / scale.factor()),
                scale,
            },
            actions: random.number(0.0, 1e6),
            reads: random.number(0.0, 1e6),
            size: ObjectSize {
                value: random.number(0.0, MAX_OBJECT_BYTES / unit.factor()),
                unit,
            },
            peak: random.number(1.0, 1000.0),
            years: random.number(0.0, 100.0),
            replicas: 1 + random.below(100) as u32,
            rate_unit: RateUnit::ALL[random.below(2)],
        }
    }
}

#[cfg(test)]
mod tests {
    use super::splitmix::{inputs as random_inputs, SplitMix};
    use super::*;

    fn params(text: &str) -> Vec<(String, String)> {
        text.split_whitespace()
            .filter_map(|word| word.split_once('='))
            .map(|(key, value)| (key.to_string(), value.to_string()))
            .collect()
    }

    fn close(actual: f64, expected: f64) -> bool {
        (actual - expected).abs() <= expected.abs() * 1e-9
    }

    #[test]
    fn the_issue_example_worked_by_hand() {
        // 100M DAU × 10 writes = 1e9 writes/day; ÷ 86,400 s = 11,574.07/s.
        // × 10 reads per write = 115,740.7 reads/s; × 3 peak = 34,722/s and 347,222/s.
        // Storage: 1e9 × 1 KB = 1e12 B = 1 TB/day; × 365 = 365 TB/yr; × 1 yr × 3 = 1.095 PB.
        // Ingress: 11,574/s × 1,000 B = 11.57 MB/s; egress × 10 = 115.7 MB/s.
        let inputs = Inputs::from_params(&params(
            "users=100M actions=10 reads=10 size=1KB peak=3 years=1 replicas=3",
        ))
        .expect("valid");
        let result = estimate(&inputs);
        assert!(close(result.writes_per_day, 1e9));
        assert!(
            close(result.write_qps, 11_574.074_074),
            "{}",
            result.write_qps
        );
        assert!(close(result.read_qps, 115_740.740_74));
        assert!(close(result.peak_write_qps, 34_722.222_22));
        assert!(close(result.peak_read_qps, 347_222.222_2));
        assert!(close(result.storage_per_day, 1e12));
        assert!(close(result.storage_per_year, 365e12));
        assert!(close(result.storage_total, 1.095e15));
        assert!(close(result.ingress, 11_574_074.07));
        assert!(close(result.egress, 115_740_740.7));
        assert!(close(result.peak_egress, 347_222_222.2));
        // Machines at peak: 381,944 req/s ÷ 100K = 3.8 → 4 servers; 34,722 writes ÷ 10K
        // = 3.5 → 4 PostgreSQL; 381,944 ÷ 10K → 39 uncached; 347,222 reads ÷ 1M → 1 Redis;
        // 34.7 MB/s ÷ 100 MB/s → 1 partition.
        assert_eq!(result.servers, 4.0);
        assert_eq!(result.postgres_for_writes, 4.0);
        assert_eq!(result.postgres_uncached, 39.0);
        assert_eq!(result.redis_for_reads, 1.0);
        assert_eq!(result.kafka_partitions, 1.0);
    }

    #[test]
    fn twitter_reference_worked_by_hand() {
        // 200M × 2.5 = 500M posts/day, the reference's 500M tweets/day.
        // 5e8 / 86,400 = 5,787/s (the reference's "~6K tweets/s"); × 3 = 17,361/s.
        // Reads: 5,787 × 120 = 694,444/s; × 3 = 2.08M/s → 3 Redis nodes.
        // Storage: 5e8 × 256 B = 128 GB/day; × 365 = 46.72 TB; × 5 × 3 = 700.8 TB.
        let result = estimate(&Preset::find("twitter").expect("preset").inputs);
        assert!(close(result.writes_per_day, 5e8));
        assert!(close(result.write_qps, 5_787.037_037));
        assert!(close(result.peak_write_qps, 17_361.111_11));
        assert!(close(result.read_qps, 694_444.444_4));
        assert!(close(result.storage_per_day, 128e9));
        assert!(close(result.storage_per_year, 46.72e12));
        assert!(close(result.storage_total, 700.8e12));
        assert_eq!(result.postgres_for_writes, 2.0);
        assert_eq!(result.redis_for_reads, 3.0);
    }

    #[test]
    fn url_shortener_reference_worked_by_hand() {
        // 100M links/day ÷ 86,400 = 1,157/s; × 100 reads = 10B redirects/day = 115,741/s,
        // the reference's "~115K redirects/s". Peak × 3 = 347,222/s → 4 simple servers.
        // 100M × 500 B = 50 GB/day; × 365 × 5 years × 3 replicas = 273.75 TB.
        let result = estimate(&Preset::find("url-shortener").expect("preset").inputs);
        assert!(close(result.reads_per_day, 1e10));
        assert!(close(result.read_qps, 115_740.740_74));
        assert!(close(result.storage_per_day, 50e9));
        assert!(close(result.storage_total, 273.75e12));
        assert_eq!(result.servers, 4.0);
    }

    #[test]
    fn instagram_reference_worked_by_hand() {
        // 500M × 0.2 = 100M photos/day ÷ 86,400 = 1,157/s (the reference's "~1,000/s").
        // × 300 KB = 30 TB/day; ingress 1,157 × 300 KB = 347 MB/s; × 2 peak = 694 MB/s
        // → 7 Kafka partitions at 100 MB/s.
        let result = estimate(&Preset::find("instagram").expect("preset").inputs);
        assert!(close(result.writes_per_day, 1e8));
        assert!(close(result.storage_per_day, 30e12));
        assert!(close(result.ingress, 347_222_222.2));
        assert_eq!(result.kafka_partitions, 7.0);
    }

    #[test]
    fn machine_counts_round_up_but_not_on_float_noise() {
        assert_eq!(machines_for(0.0, 10.0), 0.0);
        assert_eq!(machines_for(0.001, 10.0), 1.0);
        assert_eq!(machines_for(10.0, 10.0), 1.0);
        assert_eq!(machines_for(10.01, 10.0), 2.0);
        // 0.1 × 3 is 0.30000000000000004 in binary: still 3 machines of 0.1, not 4.
        assert_eq!(machines_for(0.1 * 3.0, 0.1), 3.0);
    }

    #[test]
    fn property_results_are_finite_and_grow_with_load() {
        let mut random = SplitMix(11);
        for _ in 0..2000 {
            let inputs = random_inputs(&mut random);
            let base = estimate(&inputs);
            for figure in [
                base.storage_total,
                base.peak_egress,
                base.servers,
                base.postgres_uncached,
            ] {
                assert!(figure.is_finite() && figure >= 0.0, "{inputs:?}");
            }
            // Peak is never below average, and reads are writes times the ratio.
            assert!(base.peak_read_qps >= base.read_qps);
            assert!(close(base.read_qps, base.write_qps * inputs.reads) || base.read_qps == 0.0);
            // Doubling the users doubles every rate and byte count.
            let mut doubled = inputs;
            doubled.users.value *= 2.0;
            let more = estimate(&doubled);
            assert!(close(more.write_qps, base.write_qps * 2.0) || base.write_qps == 0.0);
            assert!(
                close(more.storage_total, base.storage_total * 2.0) || base.storage_total == 0.0
            );
            assert!(more.servers >= base.servers && more.kafka_partitions >= base.kafka_partitions);
            // More replicas never shrink storage; the unit shown never changes a result.
            let mut shown_daily = inputs;
            shown_daily.rate_unit = RateUnit::Day;
            assert_eq!(estimate(&shown_daily), base);
            // The machine counts cover the peak load.
            assert!(
                base.postgres_for_writes * POSTGRES_QUERIES >= base.peak_write_qps * (1.0 - 1e-9)
            );
            assert!(base.redis_for_reads * REDIS_OPERATIONS >= base.peak_read_qps * (1.0 - 1e-9));
        }
    }
}
