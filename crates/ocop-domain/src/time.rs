//! Vietnam's clock: UTC+7 all year (no daylight saving). Certificates, a cycle's steps,
//! deadlines and scan charts change day at Vietnamese midnight, wherever the server runs.
//! Pure conversions: callers read the clock and pass the instant in.

use chrono::{DateTime, Duration, FixedOffset, NaiveDate, Utc};

const OFFSET_SECONDS: i32 = 7 * 3600;

pub fn offset() -> FixedOffset {
    FixedOffset::east_opt(OFFSET_SECONDS).expect("UTC+7 is a valid offset")
}

/// The instant as a Vietnamese wall clock shows it.
pub fn in_vietnam(t: DateTime<Utc>) -> DateTime<FixedOffset> {
    t.with_timezone(&offset())
}

/// The Vietnamese calendar day of an instant.
pub fn day_in_vietnam(t: DateTime<Utc>) -> NaiveDate {
    in_vietnam(t).date_naive()
}

/// The instant a Vietnamese day begins.
pub fn vietnam_midnight(d: NaiveDate) -> DateTime<Utc> {
    let midnight = d.and_hms_opt(0, 0, 0).expect("midnight exists");
    DateTime::<Utc>::from_naive_utc_and_offset(midnight, Utc)
        - Duration::seconds(OFFSET_SECONDS.into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_day_changes_at_vietnamese_midnight() {
        let before: DateTime<Utc> = "2026-03-31T16:59:59Z".parse().unwrap();
        let after: DateTime<Utc> = "2026-03-31T17:00:00Z".parse().unwrap();
        assert_eq!(day_in_vietnam(before).to_string(), "2026-03-31");
        assert_eq!(day_in_vietnam(after).to_string(), "2026-04-01");
        assert_eq!(vietnam_midnight("2026-04-01".parse().unwrap()), after);
        assert_eq!(in_vietnam(after).format("%H:%M").to_string(), "00:00");
    }
}
