//! Homes written by real Codex releases, read by codexd.
