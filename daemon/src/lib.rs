//! codexd, the daemon: the async shell around `codexd-core` — the socket server, the file
//! watcher and the lifecycle. See ARCHITECTURE.md for the map and the invariants.
//!
//! - [`watch`]: notify → dirty paths → reconcile. [`server`]: the socket. [`daemon`]: lifecycle.

pub mod daemon;
pub mod server;
pub mod watch;
