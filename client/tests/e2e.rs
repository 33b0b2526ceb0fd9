//! The end-to-end suite: one test binary over the real `codexd` and `codexd-client` binaries,
//! each test with its own temp CODEX_HOME and socket (`common/mod.rs`). One target, so the
//! harness is compiled once and `cargo test -p codexd-client` builds one binary.

mod common;

mod codex_loop;
mod commands;
mod faults;
mod hostile;
mod pick;
mod route_kinds;
mod search;
mod soak;
mod vertical_slice;
mod watching;
