//! The stamp-code parser meets whatever a scanner, a shopper or an attacker sends: it must never
//! panic, and whatever it accepts must print back to a code that parses to the same value.
#![no_main]

use libfuzzer_sys::fuzz_target;
use ocop_stamp::StampCode;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(code) = StampCode::parse(text) {
        let printed = code.to_string();
        assert_eq!(printed.len(), 16);
        assert_eq!(StampCode::parse(&printed), Ok(code));
        assert_eq!(StampCode::parse(&code.grouped()), Ok(code));
    }
});
