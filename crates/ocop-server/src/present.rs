//! How people read dates, times, counts and money on every page, export and answer:
//! Vietnamese conventions (31/03/2026, 1.234.567 ₫, Vietnam's clock), English grouping where
//! the visitor chose English; and the same conventions read back from what people type.

use crate::i18n::Tr;
use chrono::{DateTime, NaiveDate, Utc};
use ocop_domain::time::{day_in_vietnam, in_vietnam};

/// Today in Vietnam: certificates, deadlines and a cycle's steps change at local midnight.
pub fn today_in_vietnam() -> NaiveDate {
    day_in_vietnam(Utc::now())
}

/// A date as Vietnamese offices write it: `31/03/2026`.
pub fn date(d: NaiveDate) -> String {
    d.format("%d/%m/%Y").to_string()
}

/// A date, or nothing.
pub fn maybe_date(d: Option<NaiveDate>) -> String {
    d.map(date).unwrap_or_default()
}

/// The Vietnamese day of an instant: `31/03/2026`.
pub fn day_of(t: DateTime<Utc>) -> String {
    date(day_in_vietnam(t))
}

/// An instant on Vietnam's clock: `31/03/2026 14:05`.
pub fn moment(t: DateTime<Utc>) -> String {
    in_vietnam(t).format("%d/%m/%Y %H:%M").to_string()
}

/// Digits grouped by threes: `1.234.567` with `.`.
fn grouped(n: i64, sep: char) -> String {
    let digits = n.unsigned_abs().to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3 + 1);
    if n < 0 {
        out.push('-');
    }
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(sep);
        }
        out.push(c);
    }
    out
}

/// A count as people read it: `1.234.567` in Vietnamese, `1,234,567` in English.
pub fn count(tr: Tr, n: i64) -> String {
    grouped(n, if tr.lang() == "vi" { '.' } else { ',' })
}

/// An amount as Vietnamese write it: `50.000.000 ₫`.
pub fn dong(amount: i64) -> String {
    format!("{} ₫", grouped(amount, '.'))
}

/// What was typed is not a whole number.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NotANumber;

/// A whole number as typed: spaces, a sign, and dots or commas grouping thousands as
/// Vietnamese and English write them (`10.000`, `10,000`, `10 000`); empty is `None`. A dot or
/// comma that does not group thousands (`5.0`, `1.2345`) is refused rather than guessed.
pub fn parse_whole(typed: &str) -> Result<Option<i64>, NotANumber> {
    let s: String = typed.chars().filter(|c| !c.is_whitespace()).collect();
    if s.is_empty() {
        return Ok(None);
    }
    let (sign, body) = match s.strip_prefix('-') {
        Some(rest) => ("-", rest),
        None => ("", s.as_str()),
    };
    let plain = match (body.contains('.'), body.contains(',')) {
        (false, false) => body.to_string(),
        (true, true) => return Err(NotANumber),
        (dot, _) => {
            let sep = if dot { '.' } else { ',' };
            let digits = |p: &str| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit());
            let mut parts = body.split(sep);
            let first = parts.next().unwrap_or("");
            if first.len() > 3 || !digits(first) || !parts.all(|p| p.len() == 3 && digits(p)) {
                return Err(NotANumber);
            }
            body.replace(sep, "")
        }
    };
    format!("{sign}{plain}")
        .parse()
        .map(Some)
        .map_err(|_| NotANumber)
}

/// An amount in đồng as typed: a whole number (đồng have no decimals, so a dot or comma only
/// ever groups thousands), with or without its unit: `50.000.000 đ`, `50,000,000 VND`.
pub fn parse_dong(typed: &str) -> Result<Option<i64>, NotANumber> {
    let t = typed.trim();
    let bare = ["vnđ", "VNĐ", "vnd", "VND", "₫", "đ", "Đ"]
        .iter()
        .find_map(|unit| t.strip_suffix(unit))
        .unwrap_or(t);
    parse_whole(bare)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::Lang;

    #[test]
    fn counts_and_amounts_are_written_the_readers_way() {
        assert_eq!(count(Tr(Lang::Vi), 1_234_567), "1.234.567");
        assert_eq!(count(Tr(Lang::En), 1_234_567), "1,234,567");
        assert_eq!(count(Tr(Lang::Vi), -1_000), "-1.000");
        assert_eq!(count(Tr(Lang::Vi), 999), "999");
        assert_eq!(dong(50_000_000), "50.000.000 ₫");
        assert_eq!(dong(0), "0 ₫");
        assert_eq!(dong(1_000), "1.000 ₫");
    }

    #[test]
    fn numbers_read_as_typed() {
        for (typed, n) in [
            ("10000", 10_000),
            ("10.000", 10_000),
            ("10,000", 10_000),
            (" 10 000 ", 10_000),
            ("1.000.000", 1_000_000),
            ("-5", -5),
            ("-1.000", -1_000),
        ] {
            assert_eq!(parse_whole(typed), Ok(Some(n)), "{typed}");
        }
        assert_eq!(parse_whole("  "), Ok(None));
        for bad in [
            "5.0", "1.2345", "10.000,5", "abc", ".000", "1..000", "12,34",
        ] {
            assert_eq!(parse_whole(bad), Err(NotANumber), "{bad}");
        }
        for typed in [
            "50000000",
            "50.000.000",
            "50,000,000",
            "50 000 000 đ",
            "50.000.000₫",
            "50.000.000 VND",
        ] {
            assert_eq!(parse_dong(typed), Ok(Some(50_000_000)), "{typed}");
        }
        assert_eq!(parse_dong("đ5"), Err(NotANumber));
    }

    #[test]
    fn dates_and_times_are_vietnams() {
        let t: DateTime<Utc> = "2026-03-31T17:05:00Z".parse().unwrap();
        assert_eq!(day_of(t), "01/04/2026");
        assert_eq!(moment(t), "01/04/2026 00:05");
        assert_eq!(maybe_date(None), "");
        assert_eq!(date("2026-03-31".parse().unwrap()), "31/03/2026");
    }
}
