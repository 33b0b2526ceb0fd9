//! The rollout file-name grammar (docs/rollout-format.md §1.2, §1.5).
//!
//! `rollout-<time>-<thread-uuid>[_<rollout-uuid>].jsonl[.zst]` where `<time>` is
//! `YYYY-MM-DDThh-mm-ss` (local wall clock, no zone) or, in the first Rust builds, `YYYY-MM-DD`.
//! Anything else — hidden staging files, `.tmp` files, `.json` TypeScript-era documents — is not
//! a rollout, exactly as Codex's own listing decides.

use std::sync::Arc;

/// What a rollout file name tells us.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct RolloutName {
    /// The thread id (`codex resume` takes this).
    /// Shared with the table's keys (one copy of the id per thread).
    pub thread_id: Arc<str>,
    /// Set for reverted threads (`<thread>_<rollout>` names): the id of this physical file.
    pub rollout_id: Option<Box<str>>,
    /// `.jsonl.zst`.
    pub compressed: bool,
    /// The name's timestamp text (`2026-02-23T12-40-23`), local time of the writer's machine.
    pub time: Box<str>,
}

/// `8-4-4-4-12` hex digits.
pub fn is_uuid(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 36
        && b.iter().enumerate().all(|(i, &c)| match i {
            8 | 13 | 18 | 23 => c == b'-',
            _ => c.is_ascii_hexdigit(),
        })
}

/// Parse a file name (not a path). `None` when it is not a rollout.
pub fn parse(file_name: &str) -> Option<RolloutName> {
    let rest = file_name.strip_prefix("rollout-")?;
    let (stem, compressed) = if let Some(s) = rest.strip_suffix(".jsonl") {
        (s, false)
    } else if let Some(s) = rest.strip_suffix(".jsonl.zst") {
        (s, true)
    } else {
        return None;
    };
    // `<time>-<uuid>_<uuid>` (73 chars of ids) or `<time>-<uuid>` (36).
    let (time_part, thread_id, rollout_id) = if stem.len() > 74
        && stem.as_bytes()[stem.len() - 37] == b'_'
        && is_uuid(&stem[stem.len() - 36..])
        && is_uuid(&stem[stem.len() - 73..stem.len() - 37])
    {
        (
            &stem[..stem.len() - 74],
            &stem[stem.len() - 73..stem.len() - 37],
            Some(&stem[stem.len() - 36..]),
        )
    } else if stem.len() > 37 && is_uuid(&stem[stem.len() - 36..]) {
        (&stem[..stem.len() - 37], &stem[stem.len() - 36..], None)
    } else {
        return None;
    };
    if stem.as_bytes()[time_part.len()] != b'-' || !is_name_time(time_part) {
        return None;
    }
    Some(RolloutName {
        thread_id: thread_id.to_ascii_lowercase().into(),
        rollout_id: rollout_id
            .filter(|r| !r.eq_ignore_ascii_case(thread_id))
            .map(|r| r.to_ascii_lowercase().into()),
        compressed,
        time: time_part.into(),
    })
}

/// `YYYY-MM-DD` or `YYYY-MM-DDThh-mm-ss`.
fn is_name_time(t: &str) -> bool {
    let shape_ok = |pattern: &str| {
        t.len() == pattern.len()
            && t.bytes().zip(pattern.bytes()).all(|(c, p)| match p {
                b'9' => c.is_ascii_digit(),
                other => c == other,
            })
    };
    shape_ok("9999-99-99") || shape_ok("9999-99-99T99-99-99")
}

/// The name's time as if it were UTC, in unix milliseconds (what Codex itself does; only a
/// last-resort fallback for "created").
pub fn name_time_ms(time: &str) -> Option<i64> {
    let fixed = if time.len() == 10 {
        format!("{time}T00:00:00Z")
    } else {
        let (date, clock) = time.split_at(10);
        format!("{date}{}Z", clock.replace('-', ":"))
    };
    fixed
        .parse::<jiff::Timestamp>()
        .ok()
        .map(|t| t.as_millisecond())
}

#[cfg(test)]
mod tests {
    use super::*;

    const ID: &str = "019c8a4c-ed82-79a1-aa28-7738fc5ab61a";
    const RID: &str = "01a017b5-1414-7250-bf14-dc4987eee1c9";

    #[test]
    fn current_names() {
        let n = parse(&format!("rollout-2026-02-23T12-40-23-{ID}.jsonl")).unwrap();
        assert_eq!(&*n.thread_id, ID);
        assert_eq!(n.rollout_id, None);
        assert!(!n.compressed);
        assert_eq!(&*n.time, "2026-02-23T12-40-23");
        let z = parse(&format!("rollout-2026-02-23T12-40-23-{ID}.jsonl.zst")).unwrap();
        assert!(z.compressed);
    }

    #[test]
    fn reverted_and_legacy_names() {
        let n = parse(&format!("rollout-2026-08-20T10-00-00-{ID}_{RID}.jsonl")).unwrap();
        assert_eq!(&*n.thread_id, ID);
        assert_eq!(n.rollout_id.as_deref(), Some(RID));
        let old = parse(&format!("rollout-2025-05-08-{ID}.jsonl")).unwrap();
        assert_eq!(&*old.time, "2025-05-08");
        assert_eq!(name_time_ms("2025-05-08"), Some(1_746_662_400_000));
        assert_eq!(name_time_ms("2026-02-23T12-40-23"), Some(1_771_850_423_000));
    }

    #[test]
    fn non_rollouts_are_rejected() {
        for bad in [
            format!(".rollout-2026-02-23T12-40-23-{ID}.jsonl.paginated.tmp"),
            format!("rollout-2026-02-23T12-40-23-{ID}.jsonl.compress.12.1.tmp"),
            format!("rollout-2025-04-20-{ID}.json"),
            "rollout-2026-02-23T12-40-23-not-a-uuid.jsonl".to_owned(),
            format!("rollout-garbage-{ID}.jsonl"),
            format!("session-2026-02-23T12-40-23-{ID}.jsonl"),
            "history.jsonl".to_owned(),
        ] {
            assert_eq!(parse(&bad), None, "{bad}");
        }
    }
}
