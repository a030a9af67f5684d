//! The full 63.7 MB capture from `shared/samples` (not copied into the repository): parsed
//! exactly, with the counts and time range its README states. Skipped when the file is absent.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::io::Read;
use std::path::PathBuf;

#[test]
fn full_capture_matches_readme() {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/samples/capture-20261121.om.gz");
    let Ok(file) = std::fs::File::open(&path) else {
        println!("skipping: {} not found", path.display());
        return;
    };
    let mut text = String::new();
    flate2::read::GzDecoder::new(file)
        .read_to_string(&mut text)
        .unwrap();
    let exp = formats::parse_auto(&text).unwrap();
    assert_eq!(exp.samples.len(), 532_683);
    assert_eq!(exp.series_count(), 1925);
    assert_eq!(exp.families.len(), 505);
    // 2026-11-21T16:09:37.565Z .. 16:34:37.565Z, exact to the millisecond.
    let min = exp.samples.iter().filter_map(|s| s.timestamp_ms).min();
    let max = exp.samples.iter().filter_map(|s| s.timestamp_ms).max();
    assert_eq!(
        (min, max),
        (Some(1_795_277_377_565), Some(1_795_278_877_565))
    );
    let gm = exp.family("go_memstats_alloc_bytes_total").unwrap();
    assert_eq!(gm.kind, formats::MetricType::Unknown);
}
