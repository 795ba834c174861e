//! Properties of the code format that printed stamps rely on.

use chrono::{TimeZone, Utc};
use ocop_stamp::{CodeBook, KeyRing, StampCode, MAX_SERIAL};
use proptest::prelude::*;

fn book() -> CodeBook {
    let mut secret = [0u8; 32];
    for (i, b) in secret.iter_mut().enumerate() {
        *b = i as u8;
    }
    CodeBook::new(&KeyRing::first(
        secret,
        Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).unwrap(),
    ))
}

const ALPHABET: &str = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/// What a character means when parsed, or None when it is refused.
fn meaning(c: char) -> Option<char> {
    match c.to_ascii_uppercase() {
        'O' => Some('0'),
        'I' | 'L' => Some('1'),
        u if ALPHABET.contains(u) => Some(u),
        _ => None,
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn any_serial_round_trips(serial in 0..=MAX_SERIAL) {
        let book = book();
        let code = book.code(1, serial).unwrap();
        let text = code.to_string();
        prop_assert_eq!(text.len(), 16);
        let parsed = StampCode::parse(&text).unwrap();
        prop_assert_eq!(parsed, code);
        prop_assert_eq!(StampCode::parse(&code.grouped()).unwrap(), code);
        prop_assert_eq!(book.serial_of(&parsed), serial);
        prop_assert!(book.tag_matches(1, serial, &parsed));
    }

    /// Changing any one character to any other symbol gives a code that does not verify:
    /// either its serial changes (and the tag is checked against another serial) or its tag.
    #[test]
    fn any_single_character_change_fails(serial in 0..=MAX_SERIAL, pos in 0usize..16, sym in 0usize..32) {
        let book = book();
        let code = book.code(1, serial).unwrap();
        let mut chars: Vec<char> = code.to_string().chars().collect();
        let replacement = ALPHABET.chars().nth(sym).unwrap();
        prop_assume!(chars[pos] != replacement);
        chars[pos] = replacement;
        let changed = StampCode::parse(&chars.iter().collect::<String>()).unwrap();
        let claimed = book.serial_of(&changed);
        prop_assert!(!book.tag_matches(1, claimed, &changed));
    }

    #[test]
    fn parsing_tolerates_case_hyphens_spaces_and_lookalikes(serial in 0..=MAX_SERIAL, seps in proptest::collection::vec(0u8..4, 16), lower in any::<bool>()) {
        let code = book().code(1, serial).unwrap();
        let mut typed = String::new();
        for (c, sep) in code.to_string().chars().zip(seps) {
            let c = match c {
                '0' if sep == 3 => 'O',
                '1' if sep == 3 => 'l',
                c => c,
            };
            typed.push(if lower { c.to_ascii_lowercase() } else { c });
            match sep {
                1 => typed.push('-'),
                2 => typed.push(' '),
                _ => {}
            }
        }
        prop_assert_eq!(StampCode::parse(&typed).unwrap(), code);
    }

    /// Arbitrary text never panics, and is accepted exactly when it is 16 valid symbols.
    #[test]
    fn parsing_rejects_everything_else(input in ".{0,40}") {
        let kept: Vec<char> = input.chars().filter(|c| !matches!(c, '-' | ' ' | '\t')).collect();
        let valid = kept.len() == 16 && kept.iter().all(|&c| meaning(c).is_some());
        match StampCode::parse(&input) {
            Ok(code) => {
                prop_assert!(valid);
                let expected: String = kept.iter().map(|&c| meaning(c).unwrap()).collect();
                prop_assert_eq!(code.to_string(), expected);
            }
            Err(_) => prop_assert!(!valid),
        }
    }
}
