//! Unix-millisecond ↔ civil time, in the exact text shapes Codex writes.
//!
//! Hand-rolled (Howard Hinnant's `days_from_civil`) so the crate needs no date library and the
//! output can never depend on the machine's time zone database.

/// Days since 1970-01-01 for a proleptic Gregorian date.
pub fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = i64::from(m);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(d) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// `(year, month, day)` of a day number.
pub fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

/// Broken-down UTC time of a unix-ms instant.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Civil {
    pub year: i64,
    pub month: u32,
    pub day: u32,
    pub hour: u32,
    pub minute: u32,
    pub second: u32,
    pub milli: u32,
}

impl Civil {
    pub fn from_ms(ms: i64) -> Civil {
        let days = ms.div_euclid(86_400_000);
        let rem = ms.rem_euclid(86_400_000);
        let (year, month, day) = civil_from_days(days);
        Civil {
            year,
            month,
            day,
            hour: (rem / 3_600_000) as u32,
            minute: (rem / 60_000 % 60) as u32,
            second: (rem / 1000 % 60) as u32,
            milli: (rem % 1000) as u32,
        }
    }
}

/// Unix ms of a UTC civil time.
pub fn ms_from_civil(y: i64, mo: u32, d: u32, h: u32, mi: u32, s: u32) -> i64 {
    days_from_civil(y, mo, d) * 86_400_000
        + i64::from(h) * 3_600_000
        + i64::from(mi) * 60_000
        + i64::from(s) * 1000
}

/// `2026-02-23T11:40:23.298Z`: the line/`session_meta` timestamp shape (docs/rollout-format.md §2.1).
pub fn rfc3339_ms(ms: i64) -> String {
    let c = Civil::from_ms(ms);
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z",
        c.year, c.month, c.day, c.hour, c.minute, c.second, c.milli
    )
}

/// `2026-02-23T11-40-23`: the timestamp inside a rollout file name (docs/rollout-format.md §1.2; `:` → `-`).
pub fn file_stamp(ms: i64) -> String {
    let c = Civil::from_ms(ms);
    format!(
        "{:04}-{:02}-{:02}T{:02}-{:02}-{:02}",
        c.year, c.month, c.day, c.hour, c.minute, c.second
    )
}

/// `2026-02-23`: the date used in `current_date` and in the first Rust builds' file names.
pub fn date(ms: i64) -> String {
    let c = Civil::from_ms(ms);
    format!("{:04}-{:02}-{:02}", c.year, c.month, c.day)
}

/// `("2026", "02", "23")`: the `sessions/YYYY/MM/DD` directory components.
pub fn date_dirs(ms: i64) -> [String; 3] {
    let c = Civil::from_ms(ms);
    [
        format!("{:04}", c.year),
        format!("{:02}", c.month),
        format!("{:02}", c.day),
    ]
}

/// Parse `YYYY-MM-DDThh:mm:ss[.fff…]Z` back to unix ms (tests and CLI use it).
pub fn parse_rfc3339(s: &str) -> Option<i64> {
    let b = s.as_bytes();
    if b.len() < 20 || b[4] != b'-' || b[7] != b'-' || b[10] != b'T' || !s.ends_with('Z') {
        return None;
    }
    let num = |r: std::ops::Range<usize>| s.get(r)?.parse::<u32>().ok();
    let (y, mo, d) = (num(0..4)?, num(5..7)?, num(8..10)?);
    let (h, mi, sec) = (num(11..13)?, num(14..16)?, num(17..19)?);
    let frac = &s[19..s.len() - 1];
    let milli = match frac.strip_prefix('.') {
        Some(f) if !f.is_empty() && f.bytes().all(|c| c.is_ascii_digit()) => {
            let mut v = 0u32;
            for (i, c) in f.bytes().take(3).enumerate() {
                v += u32::from(c - b'0') * [100, 10, 1][i];
            }
            v
        }
        None if frac.is_empty() => 0,
        _ => return None,
    };
    Some(ms_from_civil(i64::from(y), mo, d, h, mi, sec) + i64::from(milli))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips() {
        let ms = parse_rfc3339("2026-02-23T11:40:23.298Z").unwrap();
        assert_eq!(rfc3339_ms(ms), "2026-02-23T11:40:23.298Z");
        assert_eq!(file_stamp(ms), "2026-02-23T11-40-23");
        assert_eq!(
            date_dirs(ms),
            ["2026".to_string(), "02".into(), "23".into()]
        );
        assert_eq!(parse_rfc3339("1970-01-01T00:00:00Z"), Some(0));
        assert_eq!(rfc3339_ms(951_782_400_000), "2000-02-29T00:00:00.000Z");
        for d in [-1000, 0, 59, 60, 10_000, 20_000, 30_000] {
            let (y, m, dd) = civil_from_days(d);
            assert_eq!(days_from_civil(y, m, dd), d);
        }
    }
}
