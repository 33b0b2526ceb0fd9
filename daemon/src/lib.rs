//! codexd: a per-user daemon that indexes OpenAI Codex CLI sessions ("rollouts") and routes
//! new prompts to them. See ARCHITECTURE.md for the map and the invariants.
//!
//! Data flows one way: bytes on disk → [`rollout::RolloutRecord`] (per file) → [`table::Table`]
//! (per thread) → ranking (`codexd-route`) → wire (`codexd-proto`) → terminal (the client).
//!
//! - [`rollout`]: one file's bytes → record (formats of every Codex version).
//! - [`discover`]: which files exist. [`scan`]: disk → table reconciliation (the only writer).
//! - [`table`]: threads, names, user state; derives status and views. No IO.
//! - [`registry`]: `claude-sessions.json` load and atomic save.
//! - [`engine`]: the state shared by the daemon and the client's fallback; [`commands`]: one
//!   function per request.
//! - [`watch`]: notify → dirty paths → reconcile. [`server`]: the socket. [`daemon`]: lifecycle.

pub mod atom;
pub mod cache;
pub mod commands;
pub mod daemon;
pub mod discover;
pub mod engine;
pub mod live;
pub mod lock;
pub mod paths;
pub mod registry;
pub mod rollout;
pub mod scan;
pub mod server;
pub mod session_index;
pub mod table;
pub mod watch;
