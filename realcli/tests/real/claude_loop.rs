//! /codex through the real Claude Code CLI.
