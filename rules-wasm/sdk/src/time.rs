//! Dates: epoch milliseconds in, whole days and ISO dates out.

/// Milliseconds in a day.
pub const DAY_MS: i64 = 86_400_000;

/// Whole days from `from_ms` to `to_ms` (negative if `to` is earlier).
pub fn days_between(from_ms: i64, to_ms: i64) -> i64 {
    (to_ms - from_ms).div_euclid(DAY_MS)
}

/// `YYYY-MM-DD` (UTC) for evidence and messages. Built from the date's
/// parts: chrono's pattern formatter costs more than many a rule's logic.
pub fn iso_date(ms: i64) -> String {
    use chrono::Datelike;
    chrono::DateTime::from_timestamp_millis(ms)
        .map(|t| format!("{:04}-{:02}-{:02}", t.year(), t.month(), t.day()))
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn iso_dates_and_whole_days() {
        assert_eq!(iso_date(1_800_000_000_000), "2027-01-15");
        assert_eq!(iso_date(0), "1970-01-01");
        assert_eq!(iso_date(-DAY_MS), "1969-12-31");
        assert_eq!(days_between(0, DAY_MS - 1), 0);
        assert_eq!(days_between(DAY_MS, 0), -1);
    }
}
