//! Property-style tests: behaviour a reader of the widget would notice, over many seeds.

use super::*;

fn settings(pairs: &[(&str, &str)]) -> Settings {
    let mut settings = Settings::default();
    for (name, value) in pairs {
        settings.set(name, value);
    }
    settings
}

fn run(settings: Settings, ticks: u32) -> Simulation {
    let mut simulation = Simulation::new(settings);
    for _ in 0..ticks {
        simulation.step();
    }
    simulation
}

/// Hit percentage over the ticks in `from..=to` of the kept history.
fn hit_percent_between(simulation: &Simulation, from: u32, to: u32) -> f64 {
    let (hits, reads) = simulation
        .history()
        .iter()
        .filter(|stats| (from..=to).contains(&stats.tick))
        .fold((0u64, 0u64), |(hits, reads), stats| {
            (hits + u64::from(stats.hits), reads + u64::from(stats.reads))
        });
    hits as f64 * 100.0 / reads.max(1) as f64
}

fn stats_at(simulation: &Simulation, tick: u32) -> TickStats {
    simulation
        .history()
        .iter()
        .find(|stats| stats.tick == tick)
        .copied()
        .expect("tick in the window")
}

#[test]
fn a_seed_replays_identically_and_another_seed_differs() {
    for pattern in Pattern::ALL {
        for scenario in ["herd", "penetration", "restart"] {
            let base = settings(&[
                ("pattern", pattern.name()),
                ("scenario", scenario),
                ("reads", "70"),
                ("ttl", "30"),
                ("jitter", "20"),
            ]);
            let first = Simulation::started(base.clone());
            let again = Simulation::started(base.clone());
            assert_eq!(first.history(), again.history(), "{pattern:?} {scenario}");
            let mut other = base;
            other.seed = 99;
            let other = Simulation::started(other);
            assert_ne!(first.history(), other.history(), "{pattern:?} {scenario}");
        }
    }
}

#[test]
fn hit_ratio_rises_with_capacity() {
    for seed in 0..12 {
        for pattern in Pattern::ALL {
            let mut previous = -1.0;
            for capacity in [10, 50, 200, 800] {
                let mut simulation = settings(&[
                    ("pattern", pattern.name()),
                    ("capacity", &capacity.to_string()),
                    ("reads", "90"),
                    ("rate", "300"),
                ]);
                simulation.seed = seed;
                let simulation = run(simulation, 120);
                let hit = hit_percent_between(&simulation, 61, 120);
                assert!(
                    hit > previous,
                    "seed {seed} {pattern:?} capacity {capacity}: {hit} after {previous}"
                );
                previous = hit;
            }
        }
    }
}

#[test]
fn write_through_never_serves_stale_data() {
    for seed in 0..40 {
        for scenario in ["none", "herd", "restart", "penetration"] {
            let mut simulation = settings(&[
                ("pattern", "write-through"),
                ("reads", if seed % 2 == 0 { "50" } else { "90" }),
                ("ttl", "20"),
                ("jitter", "30"),
                ("capacity", if seed % 3 == 0 { "20" } else { "300" }),
                ("keys", "200"),
                ("scenario", scenario),
                ("lock", if seed % 4 < 2 { "true" } else { "false" }),
            ]);
            simulation.seed = seed;
            let simulation = run(simulation, 200);
            assert_eq!(simulation.totals().stale_reads, 0, "seed {seed} {scenario}");
            assert!(simulation.totals().writes > 0);
        }
    }
}

#[test]
fn cache_aside_can_serve_stale_data_when_a_write_races_a_load() {
    // The counterpart of the write-through property: the same traffic under cache-aside does
    // put old values back, so the stale-reads chart is not always flat.
    let stale: u64 = (0..10)
        .map(|seed| {
            let mut simulation = settings(&[
                ("pattern", "cache-aside"),
                ("reads", "50"),
                ("keys", "200"),
                ("skew", "0.8"),
            ]);
            simulation.seed = seed;
            run(simulation, 200).totals().stale_reads
        })
        .sum();
    assert!(stale > 0);
}

/// Only acknowledged-but-unflushed keys may be ahead of the database.
fn assert_only_dirty_keys_are_ahead(simulation: &Simulation) {
    let mut dirty_keys = 0;
    simulation.cache().for_each(|_, entry| {
        if entry.unflushed > 0.0 {
            dirty_keys += 1;
        }
    });
    assert_eq!(
        simulation.keys_behind_database(),
        dirty_keys,
        "tick {}",
        simulation.tick()
    );
}

#[test]
fn write_behind_loses_exactly_the_unflushed_writes_on_a_crash() {
    for seed in 0..30 {
        for crash_at in [31, 35, 39, 40, 41, 47] {
            let mut config = settings(&[
                ("pattern", "write-behind"),
                ("reads", "30"),
                ("ttl", "30"),
                ("capacity", if seed % 2 == 0 { "100" } else { "20" }),
                ("scenario", "restart"),
            ]);
            config.seed = seed;
            let mut simulation = Simulation::new(config);
            for _ in 1..crash_at {
                simulation.step();
            }
            let unflushed = simulation.unflushed_writes();
            assert_only_dirty_keys_are_ahead(&simulation);
            simulation.trigger();
            let crash = simulation.step();
            assert_eq!(crash.event, Some(Scenario::Restart));
            assert_eq!(
                f64::from(crash.lost_writes),
                unflushed.round(),
                "seed {seed} tick {crash_at}"
            );
            // Right after a flush (tick 41 follows the flush at 40) nothing is lost.
            if (crash_at - 1) % FLUSH_EVERY == 0 {
                assert_eq!(crash.lost_writes, 0, "seed {seed} tick {crash_at}");
            } else {
                assert!(crash.lost_writes > 0, "seed {seed} tick {crash_at}");
            }
            // After the crash the database is the truth again for the lost keys: the only keys
            // ahead of it are those written since.
            assert_only_dirty_keys_are_ahead(&simulation);
            for _ in 0..30 {
                let after = simulation.step();
                if after.event.is_none() {
                    assert_eq!(after.lost_writes, 0, "seed {seed} tick {}", after.tick);
                }
                assert_only_dirty_keys_are_ahead(&simulation);
            }
        }
    }
}

#[test]
fn patterns_that_write_the_database_synchronously_never_lose_writes() {
    for pattern in [
        Pattern::CacheAside,
        Pattern::ReadThrough,
        Pattern::WriteThrough,
        Pattern::RefreshAhead,
    ] {
        for seed in 0..10 {
            let mut config = settings(&[
                ("pattern", pattern.name()),
                ("reads", "40"),
                ("scenario", "restart"),
            ]);
            config.seed = seed;
            assert_eq!(
                Simulation::started(config).totals().lost_writes,
                0,
                "{pattern:?}"
            );
        }
    }
}

#[test]
fn a_herd_spikes_database_load_and_the_lock_flattens_it() {
    for seed in 0..10 {
        for pattern in ["cache-aside", "read-through"] {
            let peak = |lock: &str| {
                let mut config =
                    settings(&[("pattern", pattern), ("scenario", "herd"), ("lock", lock)]);
                config.seed = seed;
                let simulation = Simulation::started(config);
                let before = stats_at(&simulation, SCENARIO_TICK - 1).db_queries();
                let peak = (SCENARIO_TICK..SCENARIO_TICK + 5)
                    .map(|tick| stats_at(&simulation, tick).db_queries())
                    .max()
                    .unwrap_or(0);
                (before, peak)
            };
            let (before, unlocked) = peak("false");
            let (_, locked) = peak("true");
            assert!(
                unlocked > 3 * before.max(1),
                "seed {seed}: {before} then {unlocked}"
            );
            assert!(
                locked * 3 < unlocked,
                "seed {seed}: locked {locked}, unlocked {unlocked}"
            );
        }
    }
}

#[test]
fn jitter_spreads_the_expiry_of_keys_loaded_together() {
    // content/caching/thundering-herd.md: room for every key, TTL 30, jitter 10%.
    let (mut plain_total, mut jittered_total) = (0, 0);
    for seed in 0..10 {
        let worst = |jitter: &str| {
            let mut config = settings(&[("capacity", "1000"), ("ttl", "30"), ("jitter", jitter)]);
            config.seed = seed;
            let simulation = run(config, 120);
            simulation.history()[20..]
                .iter()
                .map(|stats| stats.misses)
                .max()
                .unwrap_or(0)
        };
        let (plain, jittered) = (worst("0"), worst("10"));
        assert!(
            jittered < plain,
            "seed {seed}: {plain} without jitter, {jittered} with"
        );
        plain_total += plain;
        jittered_total += jittered;
    }
    assert!(
        jittered_total * 4 < plain_total * 3,
        "{plain_total} without, {jittered_total} with"
    );
}

/// Database reads over as many ticks as the attack's measured part, before it starts.
fn load_before(seed: u64) -> u32 {
    let mut config = settings(&[("scenario", "penetration")]);
    config.seed = seed;
    let simulation = Simulation::started(config);
    (SCENARIO_TICK - ATTACK_TICKS + 5..SCENARIO_TICK)
        .map(|tick| stats_at(&simulation, tick).db_reads)
        .sum()
}

#[test]
fn negative_caching_stops_repeated_missing_keys_reaching_the_database() {
    for seed in 0..10 {
        let load = |negative: &str| {
            let mut config = settings(&[("scenario", "penetration"), ("negative", negative)]);
            config.seed = seed;
            let simulation = Simulation::started(config);
            let during: u32 = (SCENARIO_TICK + 5..SCENARIO_TICK + ATTACK_TICKS)
                .map(|tick| stats_at(&simulation, tick).db_reads)
                .sum();
            let missing: u32 = (SCENARIO_TICK..SCENARIO_TICK + ATTACK_TICKS)
                .map(|tick| stats_at(&simulation, tick).missing_reads)
                .sum();
            assert!(missing > 0);
            let after = stats_at(&simulation, SCENARIO_TICK + ATTACK_TICKS + 5).missing_reads;
            assert_eq!(after, 0, "the attack ends");
            during
        };
        let (without, with) = (load("false"), load("true"));
        // With negative caching the attack adds little beyond the normal misses; without it,
        // every missing-key read is a query.
        let baseline = load_before(seed);
        assert!(
            f64::from(with) < 1.3 * f64::from(baseline),
            "seed {seed}: {with} with, {baseline} before"
        );
        assert!(
            with * 2 < without,
            "seed {seed}: {without} without, {with} with"
        );
    }
}

#[test]
fn a_restart_empties_the_cache_and_it_refills() {
    for seed in 0..10 {
        let mut config = settings(&[("scenario", "restart"), ("ttl", "1000")]);
        config.seed = seed;
        let simulation = Simulation::started(config);
        let before = stats_at(&simulation, SCENARIO_TICK - 1);
        let at = stats_at(&simulation, SCENARIO_TICK);
        let later = simulation.last();
        assert!(at.hit_percent() + 30 < before.hit_percent(), "seed {seed}");
        assert!(at.db_reads > 3 * before.db_reads, "seed {seed}");
        assert!(
            later.hit_percent() + 5 >= before.hit_percent(),
            "seed {seed}"
        );
    }
}

#[test]
fn refresh_ahead_keeps_hot_keys_resident_through_their_ttl() {
    // content/caching/refresh-ahead.md compares it with cache-aside on the same settings.
    for seed in 0..10 {
        let misses = |pattern: &str| {
            let mut config = settings(&[("pattern", pattern), ("capacity", "100"), ("ttl", "30")]);
            config.seed = seed;
            let simulation = run(config, 120);
            simulation.history()[40..]
                .iter()
                .map(|stats| u64::from(stats.misses))
                .sum::<u64>()
        };
        let (aside, ahead) = (misses("cache-aside"), misses("refresh-ahead"));
        assert!(
            ahead < aside,
            "seed {seed}: refresh-ahead {ahead}, cache-aside {aside}"
        );
    }
}

#[test]
fn more_writes_push_hot_entries_out_under_write_through() {
    for seed in 0..10 {
        let hit = |reads: &str| {
            let mut config = settings(&[
                ("pattern", "write-through"),
                ("capacity", "100"),
                ("ttl", "30"),
                ("reads", reads),
            ]);
            config.seed = seed;
            hit_percent_between(&run(config, 120), 61, 120)
        };
        assert!(hit("30") + 5.0 < hit("80"), "seed {seed}");
    }
}

#[test]
fn the_request_stream_is_sampled_but_counted_in_full() {
    let simulation = run(
        settings(&[
            ("rate", "100000"),
            ("keys", "1000000"),
            ("capacity", "1000000"),
        ]),
        3,
    );
    let last = simulation.last();
    assert_eq!(last.reads, 100_000);
    assert!(last.hits + last.misses >= 99_999);
    assert!(simulation.cache().len() <= 3 * MAX_SAMPLED);
}

#[test]
fn the_window_keeps_the_latest_ticks() {
    let simulation = run(Settings::default(), WINDOW as u32 + 30);
    assert_eq!(simulation.history().len(), WINDOW);
    assert_eq!(simulation.history()[0].tick, 31);
    assert_eq!(simulation.tick(), WINDOW as u32 + 30);
}

#[test]
fn the_live_summary_names_the_event_and_the_figures() {
    let simulation = Simulation::started(settings(&[
        ("pattern", "write-behind"),
        ("reads", "30"),
        ("scenario", "restart"),
    ]));
    let crash = stats_at(&simulation, SCENARIO_TICK);
    let sentence = describe_tick(&crash);
    assert!(
        sentence.starts_with("Tick 45, the cache node restarted empty: "),
        "{sentence}"
    );
    assert!(sentence.contains("writes lost"), "{sentence}");
    let quiet = describe_tick(&stats_at(&simulation, 10));
    assert!(!quiet.contains("lost"), "{quiet}");
}

#[test]
fn four_times_the_memory_buys_about_25_points() {
    // content/caching/cache-eviction.md compares capacity 50 with 200 on 1,000 keys, skew 1.1.
    for seed in 0..10 {
        let hit = |capacity: &str| {
            let mut config = settings(&[("capacity", capacity)]);
            config.seed = seed;
            hit_percent_between(&Simulation::started(config), 30, START_TICKS)
        };
        let gain = hit("200") - hit("50");
        assert!((20.0..=30.0).contains(&gain), "seed {seed}: {gain}");
    }
}

#[test]
fn lru_stays_a_little_under_the_ideal_on_the_url_shortener_page() {
    // content/worked-designs/url-shortener.md: a perfect top-20% cache hits about 89%.
    let simulation = Simulation::started(settings(&[("keys", "10000"), ("capacity", "2000")]));
    let hit = hit_percent_between(&simulation, 30, START_TICKS);
    assert!((80.0..89.0).contains(&hit), "{hit}");
}
