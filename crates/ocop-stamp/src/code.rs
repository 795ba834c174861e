//! The printed code: 80 bits (`public << 40 | tag`) in Crockford base32, 16 characters
//! (DESIGN §4, format v1). Printed stamps depend on this text for years: never change it silently.

use std::fmt;
use std::str::FromStr;

/// Serials are 40-bit integers; the highest one a code can carry.
pub const MAX_SERIAL: u64 = (1 << 40) - 1;

/// Characters in a code, without the display hyphens.
pub const CODE_LEN: usize = 16;

const ALPHABET: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/// A stamp code: the permuted serial (`public`, 40 bits) and the tag (40 bits).
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct StampCode {
    public: u64,
    tag: u64,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CodeError {
    #[error("the code is empty: type the 16 characters printed under the QR")]
    Empty,
    #[error("the code has {0} characters; a stamp code has exactly 16 (hyphens and spaces do not count)")]
    Length(usize),
    #[error("‘{ch}’ (character {position}) cannot be in a stamp code: codes use digits and the letters A–Z except U")]
    Character { ch: char, position: usize },
}

impl CodeError {
    /// Stable machine code for problem+json answers.
    pub fn code(&self) -> &'static str {
        match self {
            CodeError::Empty => "code_empty",
            CodeError::Length(_) => "code_length",
            CodeError::Character { .. } => "code_character",
        }
    }
}

impl StampCode {
    /// Both halves must fit in 40 bits; higher bits are dropped so a code always round-trips.
    pub fn new(public: u64, tag: u64) -> Self {
        StampCode {
            public: public & MAX_SERIAL,
            tag: tag & MAX_SERIAL,
        }
    }

    pub fn public(&self) -> u64 {
        self.public
    }

    pub fn tag(&self) -> u64 {
        self.tag
    }

    fn value(&self) -> u128 {
        (u128::from(self.public) << 40) | u128::from(self.tag)
    }

    /// The 16 characters, most significant first, into a fixed buffer (no allocation: exports
    /// write millions of these).
    pub fn to_chars(&self) -> [u8; CODE_LEN] {
        let v = self.value();
        let mut out = [0u8; CODE_LEN];
        for (i, c) in out.iter_mut().enumerate() {
            let shift = 5 * (CODE_LEN - 1 - i);
            *c = ALPHABET[((v >> shift) & 31) as usize];
        }
        out
    }

    /// `XXXX-XXXX-XXXX-XXXX`, the form printed under the QR.
    pub fn grouped(&self) -> String {
        let c = self.to_chars();
        let mut s = String::with_capacity(19);
        for (i, chunk) in c.chunks(4).enumerate() {
            if i > 0 {
                s.push('-');
            }
            s.extend(chunk.iter().map(|&b| b as char));
        }
        s
    }

    /// Reads a code as people type or scanners deliver it: any case, hyphens and spaces
    /// anywhere, O for 0 and I/L for 1. Anything else is refused, never guessed.
    pub fn parse(input: &str) -> Result<Self, CodeError> {
        let mut v: u128 = 0;
        let mut n = 0usize;
        for (position, ch) in input.chars().enumerate() {
            if matches!(ch, '-' | ' ' | '\t') {
                continue;
            }
            let digit = symbol_value(ch).ok_or(CodeError::Character {
                ch,
                position: position + 1,
            })?;
            n += 1;
            if n <= CODE_LEN {
                v = (v << 5) | u128::from(digit);
            }
        }
        match n {
            0 => Err(CodeError::Empty),
            CODE_LEN => Ok(StampCode::new((v >> 40) as u64, v as u64)),
            other => Err(CodeError::Length(other)),
        }
    }
}

fn symbol_value(ch: char) -> Option<u8> {
    let c = ch.to_ascii_uppercase();
    Some(match c {
        '0'..='9' => c as u8 - b'0',
        'O' => 0,
        'I' | 'L' => 1,
        'U' => return None,
        'A'..='Z' => ALPHABET.iter().position(|&a| a == c as u8)? as u8,
        _ => return None,
    })
}

impl fmt::Display for StampCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let c = self.to_chars();
        // The alphabet is ASCII, so this never fails.
        f.write_str(std::str::from_utf8(&c).map_err(|_| fmt::Error)?)
    }
}

impl fmt::Debug for StampCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "StampCode({self})")
    }
}

impl FromStr for StampCode {
    type Err = CodeError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        StampCode::parse(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sixteen_characters_most_significant_first() {
        assert_eq!(StampCode::new(0, 0).to_string(), "0000000000000000");
        assert_eq!(StampCode::new(0, 1).to_string(), "0000000000000001");
        assert_eq!(StampCode::new(1, 0).to_string(), "0000000100000000");
        assert_eq!(
            StampCode::new(MAX_SERIAL, MAX_SERIAL).to_string(),
            "ZZZZZZZZZZZZZZZZ"
        );
        assert_eq!(
            StampCode::parse("6KFKS7G07T753H27").unwrap().grouped(),
            "6KFK-S7G0-7T75-3H27"
        );
    }

    #[test]
    fn parsing_tolerates_what_people_type() {
        let c = StampCode::parse("6KFKS7G07T753H27").unwrap();
        for typed in [
            "6kfks7g07t753h27",
            "6KFK-S7G0-7T75-3H27",
            " 6KFK S7GO 7T75 3H27 ",
            "6KFKS7GO7T753H27",
        ] {
            assert_eq!(StampCode::parse(typed), Ok(c), "{typed}");
        }
        let one = StampCode::parse("0000000000000001").unwrap();
        assert_eq!(StampCode::parse("000000000000000I"), Ok(one));
        assert_eq!(StampCode::parse("000000000000000l"), Ok(one));
    }

    #[test]
    fn parsing_refuses_everything_else_clearly() {
        assert_eq!(StampCode::parse(""), Err(CodeError::Empty));
        assert_eq!(StampCode::parse("--"), Err(CodeError::Empty));
        assert_eq!(
            StampCode::parse("6KFKS7G07T753H2"),
            Err(CodeError::Length(15))
        );
        assert_eq!(
            StampCode::parse("6KFKS7G07T753H270"),
            Err(CodeError::Length(17))
        );
        assert_eq!(
            StampCode::parse("6KFKU7G07T753H27"),
            Err(CodeError::Character {
                ch: 'U',
                position: 5
            })
        );
        assert!(matches!(
            StampCode::parse("6KFKS7G07T753H2é"),
            Err(CodeError::Character { ch: 'é', .. })
        ));
        assert!(CodeError::Length(3).to_string().contains("exactly 16"));
    }
}
