//! The calculator's outputs as rows of text: what, how much, and the formula behind it.
//!
//! Built here rather than in the island so the wording is tested with the arithmetic, and
//! so the server-rendered page (JavaScript off) shows exactly what the live widget shows.

use super::format::{exact, human_bits_per_second, human_bytes, human_count, plain_number};
use super::{
    estimate, Inputs, RateUnit, DAYS_PER_YEAR, KAFKA_PARTITION_BYTES, POSTGRES_QUERIES,
    REDIS_OPERATIONS, SERVER_REQUESTS,
};

/// The table's sections.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Group {
    Traffic,
    Storage,
    Bandwidth,
    Machines,
}

impl Group {
    pub fn label(self) -> &'static str {
        match self {
            Group::Traffic => "Traffic",
            Group::Storage => "Storage",
            Group::Bandwidth => "Bandwidth",
            Group::Machines => "Machines at peak",
        }
    }
}

/// One output.
#[derive(Clone, Debug, PartialEq)]
pub struct Row {
    pub group: Group,
    /// Stable name for tests and styling (`write-peak`).
    pub key: &'static str,
    pub label: String,
    /// Rounded for reading: `17.4K/s`.
    pub value: String,
    /// Unrounded, for the tooltip: `17,361.11 writes/s`.
    pub exact: String,
    /// How the value was obtained, in numbers: `5.8K/s × 3 peak`.
    pub formula: String,
}

fn row(
    group: Group,
    key: &'static str,
    label: String,
    value: String,
    exact: String,
    formula: String,
) -> Row {
    Row {
        group,
        key,
        label,
        value,
        exact,
        formula,
    }
}

/// `1 year`, `5 years`, `0.5 years`.
fn counted(number: f64, one: &str, many: &str) -> String {
    format!(
        "{} {}",
        plain_number(number),
        if number == 1.0 { one } else { many }
    )
}

/// Every output for `inputs`, in reading order.
pub fn report(inputs: &Inputs) -> Vec<Row> {
    let result = estimate(inputs);
    let unit = inputs.rate_unit;
    let (per, factor) = (unit.suffix(), unit.factor());
    let rate = |per_second: f64| format!("{}{per}", human_count(per_second * factor));
    let exact_rate =
        |per_second: f64, what: &str| format!("{} {what}{per}", exact(per_second * factor));
    let bytes_rate = |per_second: f64| format!("{}{per}", human_bytes(per_second * factor));
    // Bits only make sense against a link speed, which is per second.
    let in_bits = |per_second: f64| match unit {
        RateUnit::Second => format!(" (× 8 = {})", human_bits_per_second(per_second)),
        RateUnit::Day => String::new(),
    };
    let peak = plain_number(inputs.peak);
    let size = human_bytes(inputs.size.bytes());
    let users = human_count(inputs.users.total());
    let writes_per_day = human_count(result.writes_per_day);

    let write_average_formula = match unit {
        RateUnit::Second => format!(
            "{users} users × {} writes/user/day = {writes_per_day}/day ÷ 86,400 s",
            plain_number(inputs.actions)
        ),
        RateUnit::Day => format!(
            "{users} users × {} writes/user/day",
            plain_number(inputs.actions)
        ),
    };
    let (read_volume, write_volume) = match unit {
        RateUnit::Second => (
            format!("{} reads/s", human_count(result.read_qps)),
            format!("{} writes/s", human_count(result.write_qps)),
        ),
        RateUnit::Day => (
            format!("{} reads/day", human_count(result.reads_per_day)),
            format!("{writes_per_day} writes/day"),
        ),
    };

    let mut rows = vec![
        row(
            Group::Traffic,
            "write-average",
            "Writes, average".into(),
            rate(result.write_qps),
            exact_rate(result.write_qps, "writes"),
            write_average_formula,
        ),
        row(
            Group::Traffic,
            "write-peak",
            "Writes, peak".into(),
            rate(result.peak_write_qps),
            exact_rate(result.peak_write_qps, "writes"),
            format!("{} × {peak} peak", rate(result.write_qps)),
        ),
        row(
            Group::Traffic,
            "read-average",
            "Reads, average".into(),
            rate(result.read_qps),
            exact_rate(result.read_qps, "reads"),
            format!(
                "{} writes × {} reads/write",
                rate(result.write_qps),
                plain_number(inputs.reads)
            ),
        ),
        row(
            Group::Traffic,
            "read-peak",
            "Reads, peak".into(),
            rate(result.peak_read_qps),
            exact_rate(result.peak_read_qps, "reads"),
            format!("{} × {peak} peak", rate(result.read_qps)),
        ),
        row(
            Group::Storage,
            "storage-day",
            "Storage per day (one copy)".into(),
            human_bytes(result.storage_per_day),
            format!("{} bytes", exact(result.storage_per_day)),
            format!("{writes_per_day} writes/day × {size}"),
        ),
        row(
            Group::Storage,
            "storage-year",
            "Storage per year (one copy)".into(),
            human_bytes(result.storage_per_year),
            format!("{} bytes", exact(result.storage_per_year)),
            format!(
                "{}/day × {} days",
                human_bytes(result.storage_per_day),
                plain_number(DAYS_PER_YEAR)
            ),
        ),
        row(
            Group::Storage,
            "storage-total",
            "Storage in total, with replicas".into(),
            human_bytes(result.storage_total),
            format!("{} bytes", exact(result.storage_total)),
            format!(
                "{}/yr × {} × {}",
                human_bytes(result.storage_per_year),
                counted(inputs.years, "year", "years"),
                counted(f64::from(inputs.replicas), "replica", "replicas"),
            ),
        ),
        row(
            Group::Bandwidth,
            "ingress-average",
            "Ingress (writes in), average".into(),
            bytes_rate(result.ingress),
            format!("{} bytes{per}", exact(result.ingress * factor)),
            format!("{write_volume} × {size}{}", in_bits(result.ingress)),
        ),
        row(
            Group::Bandwidth,
            "ingress-peak",
            "Ingress, peak".into(),
            bytes_rate(result.peak_ingress),
            format!("{} bytes{per}", exact(result.peak_ingress * factor)),
            format!(
                "{} × {peak} peak{}",
                bytes_rate(result.ingress),
                in_bits(result.peak_ingress)
            ),
        ),
        row(
            Group::Bandwidth,
            "egress-average",
            "Egress (reads out), average".into(),
            bytes_rate(result.egress),
            format!("{} bytes{per}", exact(result.egress * factor)),
            format!("{read_volume} × {size}{}", in_bits(result.egress)),
        ),
        row(
            Group::Bandwidth,
            "egress-peak",
            "Egress, peak".into(),
            bytes_rate(result.peak_egress),
            format!("{} bytes{per}", exact(result.peak_egress * factor)),
            format!(
                "{} × {peak} peak{}",
                bytes_rate(result.egress),
                in_bits(result.peak_egress)
            ),
        ),
    ];

    // Machines are sized on per-second load whatever unit the rates are shown in, since
    // the reference figures are per second.
    let peak_reads = human_count(result.peak_read_qps);
    let peak_writes = human_count(result.peak_write_qps);
    let peak_queries = result.peak_read_qps + result.peak_write_qps;
    let machines =
        |key: &'static str, label: &str, count: f64, load: f64, capacity: f64, formula: String| {
            row(
                Group::Machines,
                key,
                label.to_string(),
                if count < 1e6 {
                    exact(count)
                } else {
                    human_count(count)
                },
                format!(
                    "{} machines' worth before rounding up",
                    exact(load / capacity)
                ),
                formula,
            )
        };
    rows.extend([
        machines(
            "servers",
            "Simple servers (~100K req/s each)",
            result.servers,
            peak_queries,
            SERVER_REQUESTS,
            format!(
                "({peak_reads} reads + {peak_writes} writes)/s at peak ÷ 100K req/s, rounded up"
            ),
        ),
        machines(
            "postgres-writes",
            "PostgreSQL primaries for writes (~10K QPS each, indexed)",
            result.postgres_for_writes,
            result.peak_write_qps,
            POSTGRES_QUERIES,
            format!("{peak_writes} writes/s at peak ÷ 10K QPS, rounded up"),
        ),
        machines(
            "postgres-uncached",
            "PostgreSQL if every read hit it too",
            result.postgres_uncached,
            peak_queries,
            POSTGRES_QUERIES,
            format!(
                "{} queries/s at peak ÷ 10K QPS, rounded up",
                human_count(peak_queries)
            ),
        ),
        machines(
            "redis",
            "Redis nodes for reads (~1M ops/s each)",
            result.redis_for_reads,
            result.peak_read_qps,
            REDIS_OPERATIONS,
            format!("{peak_reads} reads/s at peak ÷ 1M ops/s, rounded up"),
        ),
        machines(
            "kafka",
            "Kafka partitions for ingress (~100 MB/s each)",
            result.kafka_partitions,
            result.peak_ingress,
            KAFKA_PARTITION_BYTES,
            format!(
                "{}/s ingress at peak ÷ 100 MB/s, rounded up",
                human_bytes(result.peak_ingress)
            ),
        ),
    ]);
    rows
}

/// One sentence with the headline figures, for screen readers after a change.
pub fn summary(inputs: &Inputs) -> String {
    let result = estimate(inputs);
    format!(
        "Peak {} writes/s and {} reads/s; {} stored in total; {} simple servers, {} PostgreSQL primaries for writes.",
        human_count(result.peak_write_qps),
        human_count(result.peak_read_qps),
        human_bytes(result.storage_total),
        exact(result.servers),
        exact(result.postgres_for_writes),
    )
}

#[cfg(test)]
mod tests {
    use super::super::splitmix::{inputs as random_inputs, SplitMix};
    use super::super::{Field, Preset};
    use super::*;

    fn find<'a>(rows: &'a [Row], key: &str) -> &'a Row {
        rows.iter().find(|row| row.key == key).expect("row exists")
    }

    #[test]
    fn twitter_rows_match_the_worked_example() {
        // back-of-the-envelope.md, worked example 1, figure by figure.
        let rows = report(&Preset::find("twitter").expect("preset").inputs);
        let value = |key| find(&rows, key).value.clone();
        assert_eq!(value("write-average"), "5.8K/s");
        assert_eq!(value("write-peak"), "17.4K/s");
        assert_eq!(value("read-average"), "694K/s");
        assert_eq!(value("read-peak"), "2.1M/s");
        assert_eq!(value("storage-day"), "128 GB");
        assert_eq!(value("storage-year"), "46.7 TB");
        assert_eq!(value("storage-total"), "701 TB");
        assert_eq!(value("ingress-average"), "1.5 MB/s");
        assert_eq!(value("egress-average"), "178 MB/s");
        assert_eq!(value("postgres-writes"), "2");
        assert_eq!(value("redis"), "3");
        assert_eq!(
            find(&rows, "write-average").formula,
            "200M users × 2.5 writes/user/day = 500M/day ÷ 86,400 s"
        );
        assert_eq!(find(&rows, "write-peak").formula, "5.8K/s × 3 peak");
        assert_eq!(
            find(&rows, "storage-total").formula,
            "46.7 TB/yr × 5 years × 3 replicas"
        );
        assert_eq!(
            find(&rows, "egress-peak").formula,
            "178 MB/s × 3 peak (× 8 = 4.3 Gbit/s)"
        );
        assert_eq!(
            find(&rows, "postgres-writes").formula,
            "17.4K writes/s at peak ÷ 10K QPS, rounded up"
        );
        assert_eq!(find(&rows, "write-average").exact, "5,787.04 writes/s");
        assert_eq!(
            find(&rows, "redis").exact,
            "2.08 machines' worth before rounding up"
        );
    }

    #[test]
    fn counts_agree_in_number() {
        let mut inputs = Preset::find("instagram").expect("preset").inputs;
        inputs.replicas = 1;
        let rows = report(&inputs);
        assert_eq!(
            find(&rows, "storage-total").formula,
            "11 PB/yr × 1 year × 1 replica"
        );
    }

    #[test]
    fn per_day_shows_daily_volumes_but_sizes_machines_per_second() {
        let mut inputs = Preset::find("url-shortener").expect("preset").inputs;
        let per_second = report(&inputs);
        inputs.set(Field::Per, "day").expect("per day");
        let rows = report(&inputs);
        assert_eq!(find(&rows, "write-average").value, "100M/day");
        assert_eq!(find(&rows, "read-average").value, "10B/day");
        assert_eq!(find(&rows, "egress-average").value, "5 TB/day");
        assert_eq!(
            find(&rows, "write-average").formula,
            "100M users × 1 writes/user/day"
        );
        for key in [
            "servers",
            "postgres-writes",
            "redis",
            "kafka",
            "storage-total",
        ] {
            assert_eq!(find(&rows, key), find(&per_second, key));
        }
    }

    #[test]
    fn property_every_row_is_filled_and_reads_as_a_number() {
        let mut random = SplitMix(5);
        for _ in 0..500 {
            let inputs = random_inputs(&mut random);
            let rows = report(&inputs);
            assert_eq!(rows.len(), 16);
            for row in &rows {
                assert!(!row.formula.is_empty() && !row.exact.is_empty(), "{row:?}");
                assert!(
                    row.value.starts_with(|c: char| c.is_ascii_digit()),
                    "{row:?}"
                );
                assert!(
                    !row.value.contains("NaN") && !row.value.contains("inf"),
                    "{row:?}"
                );
            }
            assert!(summary(&inputs).starts_with("Peak "));
        }
    }
}
