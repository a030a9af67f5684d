//! libFuzzer target: any input must parse or fail without panicking; whatever parses must
//! print to a fixed point; the series-notation parser must not panic either.

#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    if let Ok(expr) = promql::parse(&text) {
        let printed = expr.to_string();
        match promql::parse(&printed) {
            Ok(again) => assert_eq!(again.to_string(), printed, "printer is not a fixed point for {text:?}"),
            Err(e) => panic!("{text:?} printed as {printed:?} does not parse: {e}"),
        }
        let _ = promql::format(&expr);
    }
    let _ = promql::parse_series_description(&text);
});
