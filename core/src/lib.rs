//! codexd's domain logic, shared by the daemon and the client's daemon-less fallback. See
//! ARCHITECTURE.md for the map and the invariants.
//!
//! Data flows one way: bytes on disk → [`rollout::RolloutRecord`] (per file) → [`table::Table`]
//! (per thread) → ranking (`codexd-route`) → wire (`codexd-proto`) → terminal (the client).
//!
//! - [`rollout`]: one file's bytes → record (formats of every Codex version).
//! - [`discover`]: which files exist. [`scan`]: disk → table reconciliation (the only writer).
//! - [`table`]: threads, names, user state; derives status and views. No IO.
//! - [`live`]: which threads a Codex process holds open (writer locks, read-only).
//! - [`registry`]: `claude-sessions.json` load and atomic save. [`cache`]: warm-start cache.
//! - [`engine`]: the state behind the daemon and the fallback; [`commands`]: one function per
//!   request.
//! - [`paths`], [`lock`]: `CODEX_HOME`, the socket directory, the single-instance lock.
//!
//! No async runtime, no file watcher, no allocator: those belong to the daemon's shell.

pub mod atom;
pub mod cache;
pub mod codex_cli;
pub mod commands;
pub mod discover;
pub mod engine;
pub mod live;
pub mod lock;
pub mod paths;
pub mod registry;
pub mod replace;
pub mod rollout;
pub mod scan;
pub mod session_index;
pub mod table;
pub mod view;
