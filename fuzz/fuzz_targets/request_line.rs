//! Any bytes as a request line: decoding must not panic (the server answers `bad_request`).
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = serde_json::from_slice::<codexd_proto::RequestEnvelope>(data);
    let _ = serde_json::from_slice::<codexd_proto::HelloLine>(data);
});
