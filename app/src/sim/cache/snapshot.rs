//! What the widget shows of a run, and a compact text form of it.
//!
//! The server renders the state after [`START_TICKS`](super::START_TICKS) ticks and hands the
//! island this snapshot (in the widget figure's `data-start`), so hydration draws exactly the
//! server's figures without rerunning the simulation in one long task; the browser then
//! rebuilds the run itself a few ticks at a time and carries on live from there.

use super::settings::Scenario;
use super::simulation::{Simulation, TickStats, Totals, WINDOW};

/// Everything the widget draws: the charts' window of ticks, the whole-run totals and the
/// cache's fill.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Snapshot {
    /// The last [`WINDOW`] ticks, oldest first.
    pub history: Vec<TickStats>,
    pub totals: Totals,
    /// Entries in the cache now, and how many it holds at most.
    pub entries: u32,
    pub capacity: u32,
}

/// Numbers per tick in the text form: every field of [`TickStats`], the event as a number.
const TICK_FIELDS: usize = 15;

impl Snapshot {
    pub fn of(run: &Simulation) -> Snapshot {
        Snapshot {
            history: run.history().to_vec(),
            totals: run.totals(),
            entries: run.cache().len(),
            capacity: run.cache().capacity(),
        }
    }

    pub fn last(&self) -> TickStats {
        self.history.last().copied().unwrap_or_default()
    }

    /// Decimal numbers: `entries,capacity,` the seven totals, then `;` and fifteen numbers
    /// for each tick (about 5 kB for the 90 ticks a page opens on).
    pub fn encode(&self) -> String {
        let totals = &self.totals;
        let mut text = format!(
            "{},{},{},{},{},{},{},{},{}",
            self.entries,
            self.capacity,
            totals.reads,
            totals.writes,
            totals.hits,
            totals.db_reads,
            totals.db_writes,
            totals.stale_reads,
            totals.lost_writes
        );
        for tick in &self.history {
            // 0 for none, else the scenario's place in `Scenario::ALL` plus one.
            let event = tick.event.map_or(0, |scenario| {
                Scenario::ALL
                    .iter()
                    .position(|other| *other == scenario)
                    .map_or(0, |index| index as u32 + 1)
            });
            let fields: [u32; TICK_FIELDS] = [
                tick.tick,
                tick.reads,
                tick.writes,
                tick.hits,
                tick.misses,
                tick.coalesced,
                tick.missing_reads,
                tick.db_reads,
                tick.db_writes,
                tick.flushed,
                tick.stale_reads,
                tick.lost_writes,
                tick.evictions,
                tick.entries,
                event,
            ];
            for (index, field) in fields.into_iter().enumerate() {
                text.push(if index == 0 { ';' } else { ',' });
                text.push_str(&field.to_string());
            }
        }
        text
    }

    /// The text form back; `None` for anything [`Snapshot::encode`] would not have written.
    pub fn decode(text: &str) -> Option<Snapshot> {
        let mut parts = text.split(';');
        let head = numbers::<u64>(parts.next()?)?;
        let [entries, capacity, reads, writes, hits, db_reads, db_writes, stale_reads, lost_writes] =
            <[u64; 9]>::try_from(head).ok()?;
        let mut history = Vec::new();
        for part in parts {
            let fields = <[u32; TICK_FIELDS]>::try_from(numbers::<u32>(part)?).ok()?;
            let [tick, reads, writes, hits, misses, coalesced, missing_reads, db_reads, db_writes, flushed, stale_reads, lost_writes, evictions, entries, event] =
                fields;
            let event = match event {
                0 => None,
                number => Some(*Scenario::ALL.get(number as usize - 1)?),
            };
            history.push(TickStats {
                tick,
                reads,
                writes,
                hits,
                misses,
                coalesced,
                missing_reads,
                db_reads,
                db_writes,
                flushed,
                stale_reads,
                lost_writes,
                evictions,
                entries,
                event,
            });
        }
        if history.len() > WINDOW {
            return None;
        }
        Some(Snapshot {
            history,
            totals: Totals {
                reads,
                writes,
                hits,
                db_reads,
                db_writes,
                stale_reads,
                lost_writes,
            },
            entries: u32::try_from(entries).ok()?,
            capacity: u32::try_from(capacity).ok()?,
        })
    }
}

/// Comma-separated decimal numbers, or `None` if any is not one.
fn numbers<T: std::str::FromStr>(text: &str) -> Option<Vec<T>> {
    text.split(',').map(|number| number.parse().ok()).collect()
}

#[cfg(test)]
mod tests {
    use super::super::{Settings, START_TICKS};
    use super::*;

    fn settings(pairs: &[(&str, &str)]) -> Settings {
        let mut settings = Settings::default();
        for (name, value) in pairs {
            settings.set(name, value);
        }
        settings
    }

    #[test]
    fn warming_up_a_few_ticks_at_a_time_reaches_the_started_state() {
        for config in [
            settings(&[("capacity", "100"), ("ttl", "30")]),
            settings(&[("scenario", "herd"), ("lock", "true"), ("ttl", "30")]),
            settings(&[
                ("pattern", "write-behind"),
                ("scenario", "restart"),
                ("reads", "70"),
            ]),
        ] {
            let started = Simulation::started(config.clone());
            let mut chunked = Simulation::new(config);
            let mut calls = 0;
            while !chunked.warm_up(7) {
                calls += 1;
            }
            assert_eq!(calls, START_TICKS.div_ceil(7) - 1);
            assert_eq!(chunked.tick(), START_TICKS);
            assert_eq!(Snapshot::of(&chunked), Snapshot::of(&started));
            // Both carry on identically: the rest of the state matches too.
            assert_eq!(chunked.step(), started.clone().step());
            // Once there, warming up does nothing.
            let tick = chunked.tick();
            assert!(chunked.warm_up(5));
            assert_eq!(chunked.tick(), tick);
        }
    }

    #[test]
    fn the_text_form_round_trips_every_figure_and_event() {
        let run = Simulation::started(settings(&[
            ("scenario", "penetration"),
            ("negative", "true"),
        ]));
        let snapshot = Snapshot::of(&run);
        assert!(snapshot.history.iter().any(|tick| tick.event.is_some()));
        assert_eq!(Snapshot::decode(&snapshot.encode()), Some(snapshot));
        let empty = Snapshot::of(&Simulation::new(Settings::default()));
        assert_eq!(Snapshot::decode(&empty.encode()), Some(empty));
    }

    #[test]
    fn text_that_encode_would_not_write_is_refused() {
        let good = Snapshot::of(&Simulation::started(Settings::default())).encode();
        assert!(Snapshot::decode(&good).is_some());
        for bad in [
            String::new(),
            "1,2,3".to_string(),
            good.replacen(',', ",x", 1),
            format!("{good};1,2,3"),
            format!("{good},4"),
            format!(
                "{};{}",
                &good[..good.find(';').unwrap_or(0)],
                ["0"; TICK_FIELDS].join(",").replacen('0', "-1", 1)
            ),
            good.rsplit_once(',')
                .map(|(rest, _)| format!("{rest},9"))
                .unwrap_or_default(),
        ] {
            assert_eq!(Snapshot::decode(&bad), None, "{bad:.60}");
        }
    }
}
