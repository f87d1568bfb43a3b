//! Dates: epoch milliseconds in, whole days and ISO dates out.

/// Milliseconds in a day.
pub const DAY_MS: i64 = 86_400_000;

/// Whole days from `from_ms` to `to_ms` (negative if `to` is earlier).
pub fn days_between(from_ms: i64, to_ms: i64) -> i64 {
    (to_ms - from_ms).div_euclid(DAY_MS)
}

/// `YYYY-MM-DD` (UTC) for evidence and messages.
pub fn iso_date(ms: i64) -> String {
    chrono::DateTime::from_timestamp_millis(ms).map(|t| t.format("%Y-%m-%d").to_string()).unwrap_or_default()
}
