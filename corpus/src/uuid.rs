//! UUID text in the versions Codex used (docs/rollout-format.md §1.4): v4 up to 0.38, v7 (time-ordered) since 0.39.

use crate::rng::Rng;

fn hyphenate(b: [u8; 16]) -> String {
    let mut s = String::with_capacity(36);
    for (i, byte) in b.iter().enumerate() {
        if matches!(i, 4 | 6 | 8 | 10) {
            s.push('-');
        }
        s.push(char::from(b"0123456789abcdef"[usize::from(byte >> 4)]));
        s.push(char::from(b"0123456789abcdef"[usize::from(byte & 15)]));
    }
    s
}

/// Random UUIDv4 drawn from `rng`.
pub(crate) fn v4_from(rng: &mut Rng) -> String {
    let mut b = [0u8; 16];
    rng.fill_bytes(&mut b);
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    hyphenate(b)
}

/// UUIDv7 for instant `ms`: the first 48 bits are the unix milliseconds, as `Uuid::now_v7`.
pub(crate) fn v7_from(ms: i64, rng: &mut Rng) -> String {
    let mut b = [0u8; 16];
    rng.fill_bytes(&mut b);
    let ms = (ms.max(0) as u64).to_be_bytes();
    b[..6].copy_from_slice(&ms[2..]);
    b[6] = (b[6] & 0x0f) | 0x70;
    b[8] = (b[8] & 0x3f) | 0x80;
    hyphenate(b)
}

/// A deterministic UUIDv4 for `seed`.
pub fn uuid_v4(seed: u64) -> String {
    v4_from(&mut Rng::new(seed))
}

/// A deterministic UUIDv7 whose timestamp bits are `ms` (unix milliseconds).
pub fn uuid_v7(ms: i64, seed: u64) -> String {
    v7_from(ms, &mut Rng::new(seed))
}

/// The unix-ms timestamp inside a UUIDv7 (None for other versions or malformed text).
pub fn uuid_v7_ms(id: &str) -> Option<i64> {
    let hex: String = id.chars().filter(|&c| c != '-').collect();
    if hex.len() != 32 || hex.as_bytes()[12] != b'7' {
        return None;
    }
    i64::from_str_radix(&hex[..12], 16).ok()
}

/// `8-4-4-4-12` lowercase/uppercase hex.
pub fn is_uuid(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 36
        && b.iter().enumerate().all(|(i, &c)| match i {
            8 | 13 | 18 | 23 => c == b'-',
            _ => c.is_ascii_hexdigit(),
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_and_time_bits() {
        let ms = 1_771_846_823_298; // 2026-02-23T11:40:23.298Z
        let id = uuid_v7(ms, 1);
        assert!(is_uuid(&id));
        assert!(id.starts_with("019c8a4c-"), "{id}");
        assert_eq!(&id[14..15], "7");
        assert_eq!(uuid_v7_ms(&id), Some(ms));
        let v4 = uuid_v4(1);
        assert!(is_uuid(&v4));
        assert_eq!(&v4[14..15], "4");
        assert!(matches!(&v4[19..20], "8" | "9" | "a" | "b"));
        assert_eq!(uuid_v7_ms(&v4), None);
    }
}
