//! The description of one session, independent of how it is written to disk.

use serde::{Deserialize, Serialize};

use crate::time;

/// Line grammar of a rollout file (docs/rollout-format.md §2, §3).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Format {
    /// 0.48–0.146 "legacy" history mode: `{"timestamp","type","payload"}` envelope, `session_meta`
    /// header, `event_msg user_message`/`agent_message` mirrors, `turn_context` (docs/rollout-format.md §2.1–2.5).
    /// Fields are gated by `cli_version` (e.g. `instructions` before 0.88, `base_instructions` after).
    Envelope,
    /// 0.32–0.47: envelope, but injected context is *also* mirrored as `user_message` events with
    /// `kind` ≠ `"plain"`; `task_*` events have no `turn_id`; `turn_context` only from 0.35 (docs/rollout-format.md §2.7).
    EnvelopeKind,
    /// 0.147+ paginated mode: `ordinal` on every line, `history_mode:"paginated"`, `world_state`,
    /// `item_completed` `UserMessage`/`AgentMessage` and no `user_message`/`agent_message` events;
    /// 0.148+ adds `security_risk_score`, 0.150+ `token_usage_record` lines.
    Paginated,
    /// 0.0.2505141337–0.31 (pre-envelope): bare header `{"id","timestamp","instructions"[,"git"]}`,
    /// bare response items with no timestamps; `{"record_type":"state"}` lines from 0.8,
    /// `reasoning` items and header `git` from 0.10 (docs/rollout-format.md §3). Use [`Placement::LegacyFlat`] for
    /// versions before 0.8 (no date directories yet).
    Bare,
    /// The first Rust builds (2025-05-07 … 05-12): bare header without git, no state lines, no
    /// reasoning, file `sessions/rollout-YYYY-MM-DD-<uuidv4>.jsonl` (date only, flat).
    BareFlatNoTime,
}

impl Format {
    pub const ALL: [Format; 5] = [
        Format::Envelope,
        Format::EnvelopeKind,
        Format::Paginated,
        Format::Bare,
        Format::BareFlatNoTime,
    ];

    /// A representative `cli_version` for this format.
    pub fn default_cli_version(self) -> &'static str {
        match self {
            Format::Envelope => "0.104.0",
            Format::EnvelopeKind => "0.38.0",
            Format::Paginated => "0.152.0",
            Format::Bare => "0.20.0",
            Format::BareFlatNoTime => "0.0.2505101753",
        }
    }

    /// Envelope formats carry `task_started`/`task_complete`/`turn_aborted`; bare ones don't.
    pub fn has_lifecycle(self) -> bool {
        matches!(
            self,
            Format::Envelope | Format::EnvelopeKind | Format::Paginated
        )
    }

    /// Whether ids at [`Format::default_cli_version`] are UUIDv7 (0.39+) rather than v4.
    /// (`EnvelopeKind` spans 0.32–0.47, so its later versions do use v7.)
    pub fn uses_uuid_v7(self) -> bool {
        matches!(self, Format::Envelope | Format::Paginated)
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Format::Envelope => "envelope",
            Format::EnvelopeKind => "envelope_kind",
            Format::Paginated => "paginated",
            Format::Bare => "bare",
            Format::BareFlatNoTime => "bare_flat_no_time",
        }
    }
}

/// Where the file lives under `$CODEX_HOME` (docs/rollout-format.md §1.2, §1.5).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Placement {
    /// `sessions/YYYY/MM/DD/` (0.8.0+).
    Dated,
    /// `sessions/rollout-…` directly (0.0.2505141337 … 0.7.0). Codex's own listing ignores these.
    LegacyFlat,
    /// `archived_sessions/` (flat).
    Archived,
}

/// `session_meta.payload.source` (docs/rollout-format.md §2.2).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Source {
    #[default]
    Cli,
    Vscode,
    Exec,
    /// `{"subagent":{"thread_spawn":{"parent_thread_id":…}}}`; the parent is
    /// [`SessionSpec::parent_thread_id`].
    Subagent,
    /// No `source` field (pre-0.44); Codex then assumes `vscode`, i.e. interactive.
    Missing,
}

impl Source {
    /// The label a reader derives (`None` when the field is absent).
    pub fn label(self) -> Option<&'static str> {
        match self {
            Source::Cli => Some("cli"),
            Source::Vscode => Some("vscode"),
            Source::Exec => Some("exec"),
            Source::Subagent => Some("subagent"),
            Source::Missing => None,
        }
    }

    /// Interactive sessions are the ones Codex's picker shows by default (docs/rollout-format.md §4.1).
    pub fn interactive(self) -> bool {
        matches!(self, Source::Cli | Source::Vscode | Source::Missing)
    }
}

/// `session_meta.payload.git` (absent outside a repository).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Git {
    pub branch: Option<String>,
    /// `repository_url`.
    pub origin: Option<String>,
    /// `commit_hash`.
    pub commit: Option<String>,
}

/// How a turn ends (docs/rollout-format.md §5).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TurnEnd {
    /// `task_complete` with the agent's last message.
    #[default]
    Complete,
    /// `turn_aborted{reason:"interrupted"}` (Esc / Ctrl-C); no final answer.
    Aborted,
    /// `task_complete` carrying `error` (2026-07+ shape) and a null `last_agent_message`.
    Errored,
    /// `task_started` and some work but no terminal event: running, suspended or crashed.
    /// The file ends with a `function_call` and a `token_count` (like the real abandoned fixture).
    Open,
}

/// State of the last turn, as a reader should report it. Same names and serde spelling as
/// `codexd_proto::TurnState` so tests can compare `as_str()` values.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TurnState {
    /// No turn, or a format without lifecycle events.
    #[default]
    None,
    InProgress,
    Completed,
    Aborted,
    Errored,
}

impl TurnState {
    pub fn as_str(self) -> &'static str {
        match self {
            TurnState::None => "none",
            TurnState::InProgress => "in_progress",
            TurnState::Completed => "completed",
            TurnState::Aborted => "aborted",
            TurnState::Errored => "errored",
        }
    }
}

impl From<TurnEnd> for TurnState {
    fn from(e: TurnEnd) -> Self {
        match e {
            TurnEnd::Complete => TurnState::Completed,
            TurnEnd::Aborted => TurnState::Aborted,
            TurnEnd::Errored => TurnState::Errored,
            TurnEnd::Open => TurnState::InProgress,
        }
    }
}

/// One user turn.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Turn {
    /// What the user typed (before any IDE wrapper). May be empty when `images > 0`.
    pub prompt: String,
    /// Attached images (`input_image` parts / `images` data URLs).
    pub images: usize,
    /// Base64 size of each image's data URL; 0 ⇒ a small ~1.5 KB image. Multi-MB values produce
    /// the huge single lines of pitfall docs/rollout-format.md §7.3.
    pub image_bytes: usize,
    pub end: TurnEnd,
    /// The agent's final answer (`agent_message` / `last_agent_message`).
    pub agent_reply: String,
    /// Number of tool calls; 0 ⇒ derived from `tool_output_bytes` (~8 KB per call).
    pub tool_calls: usize,
    /// Total bytes of tool output in this turn, split across the calls.
    pub tool_output_bytes: usize,
    /// If non-zero, one extra `function_call_output` of exactly this many bytes on one line.
    pub big_tool_output: usize,
    /// Total `encrypted_content` bytes of this turn's reasoning items; 0 ⇒ ~600 B per item.
    pub reasoning_bytes: usize,
    /// Working directory of this turn (`turn_context.cwd`); `None` ⇒ the session's cwd.
    pub cwd: Option<String>,
    /// Write a `compacted` line (with `replacement_history` repeating the earlier prompts) and a
    /// `context_compacted` event before this turn (docs/rollout-format.md §2.6).
    pub compact_before: bool,
    /// After this turn, `thread_rolled_back{num_turns}` drops the last N turns (envelope formats).
    pub rollback: usize,
    /// Start this turn this long after the previous one ended (a resume days later appends to
    /// the old file, docs/rollout-format.md §1.2); 0 ⇒ a normal pause of seconds to minutes.
    pub resume_after_ms: u64,
}

impl Default for Turn {
    fn default() -> Self {
        Turn {
            prompt: String::new(),
            images: 0,
            image_bytes: 0,
            end: TurnEnd::Complete,
            agent_reply: "Done.".into(),
            tool_calls: 0,
            tool_output_bytes: 4096,
            big_tool_output: 0,
            reasoning_bytes: 0,
            cwd: None,
            compact_before: false,
            rollback: 0,
            resume_after_ms: 0,
        }
    }
}

impl Turn {
    /// A completed turn with `prompt`, one short tool call and default sizes.
    pub fn new(prompt: impl Into<String>) -> Turn {
        Turn {
            prompt: prompt.into(),
            ..Turn::default()
        }
    }

    /// Same turn ending with `end`.
    pub fn ending(mut self, end: TurnEnd) -> Turn {
        self.end = end;
        self
    }
}

/// Everything needed to write one session file. Rendering is deterministic: the bytes depend
/// only on the spec and the format (random details such as call ids and tool output are drawn
/// from a PRNG seeded by `id`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionSpec {
    /// Thread id (UUID; v7 for 0.39+ formats, v4 before).
    pub id: String,
    /// Set for a reverted thread's extra file: name `rollout-<ts>-<id>_<rollout_id>.jsonl`.
    pub rollout_id: Option<String>,
    /// Creation instant, unix ms UTC (`session_meta.payload.timestamp`; file name and date dirs
    /// use the same wall-clock value, docs/rollout-format.md §1.2).
    pub created_ms: i64,
    pub cwd: String,
    /// `codex_cli_rs`, `codex_vscode`, `Codex Desktop`, `codex_exec`, …
    pub originator: String,
    pub cli_version: String,
    pub source: Source,
    /// For `Source::Subagent`: the spawning thread (also used as `session_id`, docs/rollout-format.md §1.4).
    pub parent_thread_id: Option<String>,
    /// `session_meta.payload.forked_from_id`.
    pub forked_from_id: Option<String>,
    pub git: Option<Git>,
    pub turns: Vec<Turn>,
    /// `turn_context.model`.
    pub model: String,
    /// Thread name; `write_session` appends it to `session_index.jsonl` (and, for 0.93 ≤ version
    /// < 0.130 envelope files, also writes a `thread_name_updated` event). Empty = cleared.
    pub name: Option<String>,
    /// Write the injected context messages (permissions, AGENTS.md, environment_context).
    pub injected: bool,
    /// Wrap prompts in the IDE `# Context from my IDE setup: … ## My request for Codex:` prefix.
    pub ide_prefix: bool,
    /// Size of `base_instructions.text` (0.88+), normally ~13 KB.
    pub instructions_bytes: usize,
    /// Size of the injected AGENTS.md body.
    pub agents_md_bytes: usize,
}

impl Default for SessionSpec {
    fn default() -> Self {
        let created_ms = time::parse_rfc3339("2026-02-23T11:40:23.298Z").expect("valid");
        SessionSpec {
            id: crate::uuid::uuid_v7(created_ms, 1),
            rollout_id: None,
            created_ms,
            cwd: "/home/dev/src/payments-api".into(),
            originator: "codex_cli_rs".into(),
            cli_version: Format::Envelope.default_cli_version().into(),
            source: Source::Cli,
            parent_thread_id: None,
            forked_from_id: None,
            git: Some(Git {
                branch: Some("main".into()),
                origin: Some("git@github.com:acme/payments-api.git".into()),
                commit: Some("1cdfa7b1c0ffee5e1f2d3c4b5a69788796a5b4c3".into()),
            }),
            turns: vec![Turn::new("fix the failing test in src/http/routes.rs")],
            model: "gpt-5.3-codex".into(),
            name: None,
            injected: true,
            ide_prefix: false,
            instructions_bytes: 13_000,
            agents_md_bytes: 2_000,
        }
    }
}

impl SessionSpec {
    /// A plausible spec for `format`: matching `cli_version`, id version (v4/v7), era-appropriate
    /// creation date, originator and source. `seed` varies the id and the creation time.
    pub fn example(format: Format, seed: u64) -> SessionSpec {
        let (base, version) = match format {
            Format::Envelope => ("2026-02-23T11:40:23.298Z", "0.104.0"),
            Format::EnvelopeKind => ("2025-09-16T09:12:44.120Z", "0.38.0"),
            Format::Paginated => ("2026-08-19T01:48:58.261Z", "0.152.0"),
            Format::Bare => ("2025-08-20T13:20:47.060Z", "0.20.0"),
            Format::BareFlatNoTime => ("2025-05-09T16:02:11.512Z", "0.0.2505101753"),
        };
        let created_ms = time::parse_rfc3339(base).expect("valid") + (seed % 1000) as i64 * 61_013;
        let id = if format.uses_uuid_v7() {
            crate::uuid::uuid_v7(created_ms, seed)
        } else {
            crate::uuid::uuid_v4(seed)
        };
        SessionSpec {
            id,
            created_ms,
            cli_version: version.into(),
            source: if matches!(format, Format::Envelope | Format::Paginated) {
                Source::Cli
            } else {
                Source::Missing
            },
            turns: vec![
                Turn::new("the retries_on_timeout test is flaky on CI, can you find the race?"),
                Turn::new("looks good, now run cargo test and fix whatever fails"),
            ],
            ..SessionSpec::default()
        }
    }

    /// The prompt text as written into the rollout (with the IDE wrapper when `ide_prefix`).
    pub fn written_prompt(&self, turn: &Turn) -> String {
        if self.ide_prefix && !turn.prompt.is_empty() {
            format!(
                "# Context from my IDE setup:\n\n## Active file: src/lib.rs\n\n## Open tabs:\n- lib.rs: src/lib.rs\n- main.rs: src/main.rs\n\n## My request for Codex:\n{}\n",
                turn.prompt
            )
        } else {
            turn.prompt.clone()
        }
    }
}

/// A `major.minor.patch` version, parsed leniently (`0.104.0-alpha.1` → 0.104.0).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct Ver(pub u64, pub u64, pub u64);

impl Ver {
    pub fn parse(s: &str) -> Ver {
        let core = s.split(['-', '+']).next().unwrap_or("");
        let mut it = core.split('.').map(|p| p.parse::<u64>().unwrap_or(0));
        Ver(
            it.next().unwrap_or(0),
            it.next().unwrap_or(0),
            it.next().unwrap_or(0),
        )
    }

    /// `self >= 0.minor` (Codex has stayed on major 0 throughout).
    pub fn at_least(self, minor: u64) -> bool {
        self.0 > 0 || self.1 >= minor
    }
}

/// `turn_context` lines exist since 0.35 (docs/rollout-format.md §3), so only in envelope files of that age.
pub(crate) fn writes_turn_context(format: Format, ver: Ver) -> bool {
    format.has_lifecycle() && (format != Format::EnvelopeKind || ver.at_least(35))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_parse() {
        assert_eq!(Ver::parse("0.104.0-alpha.1"), Ver(0, 104, 0));
        assert!(Ver::parse("0.148.0").at_least(147));
        assert!(!Ver::parse("0.0.2505101753").at_least(1));
        assert!(Ver::parse("1.0.0").at_least(200));
    }
}
