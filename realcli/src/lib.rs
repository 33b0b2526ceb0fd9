//! Test support for the suites that run the real Codex CLI and the real Claude Code CLI.
//!
//! - [`npm`]: pinned releases installed once into a cache that survives a fresh clone.
//! - [`openai`]: a stand-in OpenAI Responses API (SSE) on 127.0.0.1 for `codex`.
//! - [`anthropic`]: a stand-in Anthropic Messages API (SSE) on 127.0.0.1 for `claude`.
//! - [`tmux`]: drives interactive TUIs (`send-keys`, `capture-pane`).

pub mod anthropic;
pub mod npm;
pub mod openai;
mod serve;
pub mod tmux;
