//! The estimate calculator's URL state: any query string is read (values it cannot use are
//! ignored), the result is computed and reported, and written back to a query that reads
//! back to the same inputs. No input may panic.
#![no_main]

use app::sim::estimate::{read_query, report, summary, write_query, PRESETS};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&instance, query)) = data.split_first() else {
        return;
    };
    let query = String::from_utf8_lossy(query);
    let instance = usize::from(instance % 4) + 1;
    let base = PRESETS[0].inputs;
    let inputs = read_query(&query, instance, base);
    let _ = report(&inputs);
    let _ = summary(&inputs);
    let written = write_query(&query, instance, &inputs);
    assert_eq!(
        read_query(&written, instance, base),
        inputs,
        "the state written to the URL reads back the same"
    );
});
