//! Any bytes as a rollout file: the reader must not panic, and must never consume past the
//! last newline.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let (_record, consumed) = codexd_core::rollout::parse_bytes(data);
    let last_newline = data.iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1);
    assert_eq!(consumed as usize, last_newline);
});
