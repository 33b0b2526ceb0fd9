//! `RolloutRecord`: what one rollout file says about its thread, built line by line.
//!
//! `RolloutRecord::apply_line` is the only place that gives meaning to a line. It is
//! incremental by construction: feeding the lines of a file in order, in any number of calls,
//! yields the same record as feeding them all at once, which is what lets the reader tail a
//! growing file. It never fails: a line it cannot understand changes nothing.

use std::borrow::Cow;

use serde::de::IgnoredAny;
use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;

use crate::atom::Atom;

use super::context::{is_attachment_marker, is_contextual, strip_ide_prefix, truncate_bytes};

/// How many prompts a record keeps: the first one plus the most recent ones. Routing and `show`
/// need the gist of a thread, not every word of a months-long session, and this bounds memory.
pub const MAX_PROMPTS: usize = 64;
/// How much of each prompt is kept.
pub const MAX_PROMPT_BYTES: usize = 1000;
/// The text of a prompt that is only images.
pub const IMAGE_ONLY: &str = "[Image]";
/// How much of the last answer is kept: enough to say what Codex concluded, small enough that
/// tens of thousands of sessions cost little (the whole answer stays in the rollout).
pub const MAX_ANSWER_BYTES: usize = 500;
/// How many files a record remembers (the most recent distinct ones).
pub const MAX_FILES: usize = 16;

/// The session header (`session_meta` payload, or the pre-0.32 bare header).
/// State of the last turn, from the rollout's lifecycle events.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TurnState {
    /// No turn recorded (or a format without lifecycle events).
    #[default]
    None,
    /// `task_started` without a terminal event: running, suspended or crashed.
    InProgress,
    Completed,
    Aborted,
    Errored,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, serde::Deserialize)]
pub struct Meta {
    pub id: Option<Box<str>>,
    /// Unix ms. True UTC since 0.30 (earlier: local time labelled `Z`).
    pub created_ms: Option<i64>,
    pub cwd: Option<Atom>,
    pub originator: Option<Atom>,
    pub cli_version: Option<Atom>,
    /// `cli`, `vscode`, `exec`, `mcp`, `subagent`, `custom:<x>`, … ; `None` when absent.
    pub source: Option<Atom>,
    pub model_provider: Option<Atom>,
    pub git_branch: Option<Atom>,
    pub git_origin: Option<Atom>,
    pub git_commit: Option<Box<str>>,
    pub forked_from_id: Option<Box<str>>,
    pub parent_thread_id: Option<Box<str>>,
    /// `thread_source` (2026): `user` for threads a person started; anything else is Codex's own.
    pub thread_source: Option<Atom>,
    /// `history_mode: "paginated"` (0.147+): such threads have a per-thread writer lock while open.
    pub paginated: bool,
    /// Paginated forks/reverts inherit a prefix of another rollout instead of copying it:
    /// (rollout id, end ordinal exclusive).
    pub history_base: Option<(Box<str>, Option<u64>)>,
}

/// One real user prompt.
#[derive(Clone, Debug, PartialEq, Serialize, serde::Deserialize)]
pub struct Prompt {
    /// Cleaned text (IDE prefix stripped, trimmed, at most `MAX_PROMPT_BYTES`), or `[Image]`.
    /// A `Box<str>`: exactly the bytes, no spare capacity (tens of thousands are held).
    pub text: Box<str>,
    /// The line's `ordinal` (paginated files only).
    pub ordinal: Option<u64>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, serde::Deserialize)]
pub struct RolloutRecord {
    pub meta: Meta,
    /// A `session_meta` (or legacy header) line was seen.
    pub has_meta: bool,
    /// Pre-0.32 bare-item format.
    pub legacy: bool,
    /// Timestamp of the first envelope line, unix ms (fallback for "created").
    pub first_line_ms: Option<i64>,
    /// Latest `turn_context` values.
    pub cwd_latest: Option<Atom>,
    /// `<cwd>` of the latest `<environment_context>` (the only cwd pre-0.32 files record).
    pub env_cwd: Option<Atom>,
    pub model: Option<Atom>,
    /// Prompts from `user_message` / `item_completed UserMessage` events (authoritative).
    pub prompts: Prompts,
    /// Non-contextual `role:"user"` response items: used only when a file has no user events
    /// (pre-0.32 files, odd writers).
    pub item_prompts: Prompts,
    pub turn_state: TurnState,
    /// A lifecycle event (`task_started`, `task_complete`, `turn_aborted`) was seen. Releases
    /// before 0.100 write none: their turn state is inferred from the messages (a prompt
    /// without an answer yet is in progress, an answer ends the turn; docs/codex-releases.md).
    #[serde(default)]
    pub lifecycle: bool,
    pub tokens_total: Option<u64>,
    /// Name from `thread_name_updated` events (0.93 → 2026-05); session_index.jsonl wins.
    pub name: Option<Box<str>>,
    /// Codex's latest answer (`task_complete.last_agent_message`, `agent_message`, an
    /// `AgentMessage` item, or a legacy assistant message), at most `MAX_ANSWER_BYTES`.
    pub last_answer: Option<Box<str>>,
    /// Files the session's tool calls named (patched, or mentioned in commands): the last two
    /// path components of each, most recent last, at most `MAX_FILES`.
    #[serde(default)]
    pub files: FileList,
}

/// The files a record remembers, most recent last, in one allocation: the names joined by
/// newlines (a name never holds one: `files::named_in` takes them from lines). A session names
/// a handful of files, and a string of its own each cost about three times their bytes
/// (BENCHMARKS.md, "Daemon memory (session 5)"). Serialized as the list of names.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct FileList(Option<Box<str>>);

impl FileList {
    pub fn iter(&self) -> impl Iterator<Item = &str> {
        self.0.as_deref().into_iter().flat_map(|s| s.split('\n'))
    }

    pub fn len(&self) -> usize {
        self.iter().count()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_none()
    }

    /// The names in order (empty ones, and any holding a newline, are not file names).
    pub fn from_names<'a>(names: impl IntoIterator<Item = &'a str>) -> FileList {
        let names: Vec<&str> = names
            .into_iter()
            .filter(|n| !n.is_empty() && !n.contains('\n'))
            .collect();
        FileList((!names.is_empty()).then(|| names.join("\n").into()))
    }

    /// The list's heap bytes ([`codexd_route::memory`]).
    pub fn heap_bytes(&self) -> usize {
        self.0
            .as_deref()
            .map_or(0, |s| codexd_route::memory::size_class(s.len()))
    }
}

impl Serialize for FileList {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeSeq;
        let mut seq = s.serialize_seq(Some(self.len()))?;
        for name in self.iter() {
            seq.serialize_element(name)?;
        }
        seq.end()
    }
}

impl<'de> serde::Deserialize<'de> for FileList {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<FileList, D::Error> {
        let names = Vec::<String>::deserialize(d)?;
        Ok(FileList::from_names(names.iter().map(String::as_str)))
    }
}

/// A bounded prompt list: the first prompt, then a window of the most recent ones.
#[derive(Clone, Debug, Default, PartialEq, Serialize, serde::Deserialize)]
pub struct Prompts {
    /// `items[0]` is the first prompt ever; the rest are the latest `MAX_PROMPTS - 1`.
    items: Vec<Prompt>,
    /// How many prompts were seen in all.
    pub count: usize,
}

impl Prompts {
    fn clear(&mut self) {
        *self = Prompts::default();
    }

    fn push(&mut self, p: Prompt) {
        // An image-only prompt followed by words is one request: Codex 0.20–0.47 send the
        // images of `exec -i` as a user turn of their own before the typed text
        // (docs/codex-releases.md). Keep the words, with the image marked.
        if &*p.text != IMAGE_ONLY
            && self
                .items
                .last()
                .is_some_and(|last| &*last.text == IMAGE_ONLY)
        {
            let last = self.items.last_mut().expect("checked above");
            let merged = format!("{IMAGE_ONLY} {}", p.text);
            last.text = truncate_bytes(&merged, MAX_PROMPT_BYTES).into();
            return;
        }
        self.count += 1;
        if self.items.len() == MAX_PROMPTS {
            self.items.remove(1);
        }
        self.items.push(p);
    }

    /// The list's own buffer (the texts are counted apart).
    pub fn heap_bytes(&self) -> usize {
        codexd_route::memory::vec_bytes(&self.items)
    }

    /// Undo the last `n` prompts (`thread_rolled_back`), as far as we still hold them.
    fn pop(&mut self, n: usize) {
        for _ in 0..n {
            if self.items.pop().is_none() {
                break;
            }
            self.count = self.count.saturating_sub(1);
        }
    }

    pub fn first(&self) -> Option<&Prompt> {
        self.items.first()
    }

    pub fn iter(&self) -> impl DoubleEndedIterator<Item = &Prompt> {
        self.items.iter()
    }

    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    fn shrink_to_fit(&mut self) {
        self.items.shrink_to_fit();
    }
}

impl RolloutRecord {
    /// Give back spare capacity once a read is done: the record is then held, unchanged, until
    /// the file grows (vectors grown by doubling would otherwise keep up to half unused).
    pub fn shrink_to_fit(&mut self) {
        self.prompts.shrink_to_fit();
        self.item_prompts.shrink_to_fit();
    }

    /// The prompts that count: events when the file has any, else filtered user items.
    pub fn real_prompts(&self) -> &Prompts {
        if self.prompts.is_empty() {
            &self.item_prompts
        } else {
            &self.prompts
        }
    }

    /// Effective cwd: latest turn_context, else the header's.
    pub fn cwd(&self) -> Option<&str> {
        self.cwd_latest
            .as_deref()
            .or(self.meta.cwd.as_deref())
            .or(self.env_cwd.as_deref())
    }

    /// Interpret one complete line (without its `\n`). Unknown or broken lines are ignored.
    pub fn apply_line(&mut self, line: &[u8]) {
        let line = line.trim_ascii();
        if line.is_empty() || line[0] != b'{' {
            return;
        }
        let Ok(raw) = serde_json::from_slice::<RawLine<'_>>(line) else {
            return;
        };
        match (raw.kind.as_deref(), raw.payload) {
            (Some(kind), Some(payload)) => {
                if self.first_line_ms.is_none() {
                    self.first_line_ms = raw.timestamp.and_then(parse_time_value);
                }
                self.apply_envelope(kind, payload, raw.ordinal);
            }
            (None, None) if raw.record_type.is_none() => self.apply_legacy_header(line),
            (Some(_), None) => self.apply_legacy_item(line),
            _ => {}
        }
    }

    fn apply_envelope(&mut self, kind: &str, payload: &RawValue, ordinal: Option<u64>) {
        match kind {
            "session_meta" => {
                if let Ok(m) = serde_json::from_str::<MetaPayload<'_>>(payload.get()) {
                    self.apply_meta(m);
                }
            }
            "turn_context" => {
                if let Ok(t) = serde_json::from_str::<TurnContext<'_>>(payload.get()) {
                    if let Some(cwd) = t.cwd.filter(|c| !c.is_empty()) {
                        self.cwd_latest = Some(Atom::new(&cwd));
                    }
                    if let Some(model) = t.model.filter(|m| !m.is_empty()) {
                        self.model = Some(Atom::new(&model));
                    }
                }
            }
            "event_msg" => {
                if let Ok(e) = serde_json::from_str::<Event<'_>>(payload.get()) {
                    self.apply_event(e, ordinal);
                }
            }
            "response_item" => {
                if let Ok(item) = serde_json::from_str::<Item<'_>>(payload.get()) {
                    self.apply_item(item);
                }
            }
            _ => {}
        }
    }

    fn apply_meta(&mut self, m: MetaPayload<'_>) {
        // The first session_meta is the file's own; legacy forks copy their parent's header
        // lines after it, which must not overwrite ours (docs/rollout-format.md §2.2, pitfall 6).
        if self.has_meta {
            return;
        }
        self.has_meta = true;
        let git = m.git.unwrap_or_default();
        self.meta = Meta {
            id: m.id.map(|s| s.into()),
            created_ms: m.timestamp.as_deref().and_then(parse_time),
            cwd: m.cwd.as_deref().map(Atom::new),
            originator: m.originator.as_deref().map(Atom::new),
            cli_version: m.cli_version.as_deref().map(Atom::new),
            source: m.source.and_then(source_label).as_deref().map(Atom::new),
            model_provider: m.model_provider.as_deref().map(Atom::new),
            git_branch: git.branch.as_deref().map(Atom::new),
            git_origin: git.repository_url.as_deref().map(Atom::new),
            git_commit: git.commit_hash.map(|s| s.into()),
            forked_from_id: m.forked_from_id.map(|s| s.into()),
            parent_thread_id: m.parent_thread_id.map(|s| s.into()),
            thread_source: m.thread_source.as_deref().map(Atom::new),
            paginated: m.history_mode.as_deref() == Some("paginated"),
            history_base: m.history_base.and_then(|h| {
                Some((
                    h.thread_id?.to_ascii_lowercase().into(),
                    h.end_ordinal_exclusive,
                ))
            }),
        };
    }

    fn apply_legacy_header(&mut self, line: &[u8]) {
        let Ok(h) = serde_json::from_slice::<MetaPayload<'_>>(line) else {
            return;
        };
        if h.id.is_none() || h.timestamp.is_none() {
            return;
        }
        self.legacy = true;
        self.apply_meta(h);
    }

    fn apply_legacy_item(&mut self, line: &[u8]) {
        if let Ok(item) = serde_json::from_slice::<Item<'_>>(line) {
            // A bare response item (no envelope) only exists in pre-0.32 files.
            self.legacy = true;
            self.apply_item(item);
        }
    }

    fn apply_item(&mut self, item: Item<'_>) {
        match item.kind.as_deref() {
            Some("function_call") => {
                // `arguments` is JSON text: `{"cmd":"…"}`, `{"command":[…]}`, `{"input":"…"}`.
                if let Some(args) = item.arguments.as_deref() {
                    self.note_files_in(args);
                }
                return;
            }
            Some("custom_tool_call") => {
                if let Some(input) = item.input.as_deref() {
                    self.note_files_in(input);
                }
                return;
            }
            Some("local_shell_call") => {
                if let Some(action) = item.action {
                    self.note_files_in(action.get());
                }
                return;
            }
            Some("message") => {}
            _ => return,
        }
        if item.role.as_deref() == Some("assistant") {
            // Only pre-0.32 files reach here with assistant items (the line classifier skips
            // them in envelope files, which record answers as events).
            let parts = item.content.unwrap_or_default();
            let text: Vec<&str> = parts
                .iter()
                .filter(|p| matches!(p.kind.as_deref(), Some("output_text") | Some("text")))
                .filter_map(|p| p.text.as_deref())
                .collect();
            self.set_answer(&text.join("\n"));
            return;
        }
        if item.role.as_deref() != Some("user") {
            return;
        }
        // Item prompts are only a fallback for files without user events; once events exist
        // they are never used, so do not spend memory on them.
        if !self.prompts.is_empty() {
            return;
        }
        let parts = item.content.unwrap_or_default();
        let mut text = String::new();
        let mut images = 0usize;
        for part in &parts {
            match part.kind.as_deref() {
                Some("input_text") | Some("text") => {
                    let t = part.text.as_deref().unwrap_or("");
                    if is_contextual(t) {
                        if let Some(cwd) = environment_cwd(t) {
                            self.env_cwd = Some(Atom::new(cwd));
                        }
                        return;
                    }
                    if is_attachment_marker(t) {
                        continue;
                    }
                    push_part(&mut text, t);
                }
                Some("input_image") | Some("image") | Some("local_image") => images += 1,
                _ => {}
            }
        }
        if let Some(p) = make_prompt(&text, images, None) {
            self.item_prompts.push(p);
            self.prompt_without_lifecycle();
        }
    }

    fn apply_event(&mut self, e: Event<'_>, ordinal: Option<u64>) {
        match e.kind.as_ref() {
            "user_message" => {
                // 0.30–0.47 also mirrored injected context as user_message with kind ≠ plain.
                if e.kind_field.as_deref().is_some_and(|k| k != "plain") {
                    return;
                }
                let text = e.message.as_deref().unwrap_or("");
                if is_contextual(text) {
                    return;
                }
                let images =
                    e.images.map_or(0, |v| v.len()) + e.local_images.map_or(0, |v| v.len());
                if let Some(p) = make_prompt(text, images, ordinal) {
                    self.prompts.push(p);
                    self.item_prompts.clear();
                    self.prompt_without_lifecycle();
                }
            }
            "agent_message" => self.set_answer(e.message.as_deref().unwrap_or("")),
            "item_completed" => {
                let Some(item) = e.item else { return };
                if matches!(
                    item.kind.as_deref(),
                    Some("FileChange" | "CommandExecution")
                ) {
                    if let Some(rest) = item.rest {
                        self.note_files_in(rest.get());
                    }
                    return;
                }
                if item.kind.as_deref() == Some("AgentMessage") {
                    let parts = item.content.unwrap_or_default();
                    let text: Vec<&str> = parts.iter().filter_map(|p| p.text.as_deref()).collect();
                    self.set_answer(&text.join("\n"));
                    return;
                }
                if item.kind.as_deref() != Some("UserMessage") {
                    return;
                }
                let mut text = String::new();
                let mut images = 0;
                for part in item.content.unwrap_or_default() {
                    match part.kind.as_deref() {
                        Some("text") | Some("input_text") => {
                            let t = part.text.as_deref().unwrap_or("");
                            if !is_attachment_marker(t) {
                                push_part(&mut text, t);
                            }
                        }
                        Some("image") | Some("local_image") | Some("input_image") => images += 1,
                        _ => {}
                    }
                }
                if is_contextual(&text) {
                    return;
                }
                if let Some(p) = make_prompt(&text, images, ordinal) {
                    self.prompts.push(p);
                    self.item_prompts.clear();
                }
            }
            "task_started" | "turn_started" => {
                self.lifecycle = true;
                self.turn_state = TurnState::InProgress;
            }
            "task_complete" | "turn_complete" => {
                self.lifecycle = true;
                if let Some(answer) = e.last_agent_message.as_deref() {
                    self.set_answer(answer);
                }
                let failed = e.error.is_some_and(|v| v.get() != "null");
                self.turn_state = if failed {
                    TurnState::Errored
                } else {
                    TurnState::Completed
                };
            }
            "turn_aborted" => {
                self.lifecycle = true;
                self.turn_state = TurnState::Aborted;
            }
            "token_count" => {
                if let Some(total) = e
                    .info
                    .and_then(|i| i.total_token_usage)
                    .and_then(|u| u.total_tokens)
                {
                    self.tokens_total = Some(total);
                }
            }
            "thread_name_updated" => {
                self.name = e
                    .thread_name
                    .as_deref()
                    .map(str::trim)
                    .filter(|n| !n.is_empty())
                    .map(Box::from);
            }
            "thread_rolled_back" => {
                if let Some(n) = e.num_turns {
                    self.prompts.pop(n as usize);
                }
            }
            _ => {}
        }
    }
}

impl RolloutRecord {
    /// Remember the files `text` (a patch, a command line, a tool call's JSON) names.
    fn note_files_in(&mut self, text: &str) {
        let named = super::files::named_in(text);
        if named.is_empty() {
            return;
        }
        let mut files: Vec<&str> = self.files.iter().collect();
        for f in &named {
            if let Some(i) = files.iter().position(|x| x == f) {
                files.remove(i);
            } else if files.len() == MAX_FILES {
                files.remove(0);
            }
            files.push(f);
        }
        let files = FileList::from_names(files);
        self.files = files;
    }

    /// Keep `text` as the latest answer (empty answers leave the previous one).
    fn set_answer(&mut self, text: &str) {
        let t = text.trim();
        if !t.is_empty() {
            self.last_answer = Some(truncate_bytes(t, MAX_ANSWER_BYTES).into());
            if !self.lifecycle && self.turn_state == TurnState::InProgress {
                self.turn_state = TurnState::Completed;
            }
        }
    }

    /// A real prompt in a file without lifecycle events opens a turn.
    fn prompt_without_lifecycle(&mut self) {
        if !self.lifecycle {
            self.turn_state = TurnState::InProgress;
        }
    }
}

/// `<cwd>/x</cwd>` inside an `<environment_context>` block.
fn environment_cwd(text: &str) -> Option<&str> {
    let t = text.trim_start();
    if !t.get(..21)?.eq_ignore_ascii_case("<environment_context>") {
        return None;
    }
    let start = t.find("<cwd>")? + 5;
    let len = t[start..].find("</cwd>")?;
    Some(t[start..start + len].trim()).filter(|c| !c.is_empty())
}

fn push_part(text: &mut String, part: &str) {
    if text.len() >= MAX_PROMPT_BYTES * 2 {
        return;
    }
    if !text.is_empty() {
        text.push('\n');
    }
    text.push_str(truncate_bytes(part, MAX_PROMPT_BYTES * 2));
}

/// Clean a prompt: strip the IDE wrapper, trim, cap; image-only becomes `[Image]`.
fn make_prompt(text: &str, images: usize, ordinal: Option<u64>) -> Option<Prompt> {
    let cleaned = strip_ide_prefix(text);
    if cleaned.is_empty() {
        return (images > 0).then(|| Prompt {
            text: IMAGE_ONLY.into(),
            ordinal,
        });
    }
    Some(Prompt {
        text: truncate_bytes(cleaned, MAX_PROMPT_BYTES).into(),
        ordinal,
    })
}

/// RFC 3339 → unix ms.
pub fn parse_time(s: &str) -> Option<i64> {
    s.parse::<jiff::Timestamp>()
        .ok()
        .map(|t| t.as_millisecond())
}

fn parse_time_value(v: &RawValue) -> Option<i64> {
    let s = v.get();
    let inner = s.strip_prefix('"')?.strip_suffix('"')?;
    parse_time(inner)
}

/// `source` as a short label: strings as they are; `{"subagent":…}` → `subagent`;
/// `{"custom":"atlas"}` → `custom:atlas`.
fn source_label(v: &RawValue) -> Option<String> {
    let s = v.get().trim();
    if s.starts_with('"') {
        return serde_json::from_str::<String>(s).ok();
    }
    let obj: serde_json::Map<String, serde_json::Value> = serde_json::from_str(s).ok()?;
    let (key, val) = obj.into_iter().next()?;
    Some(match val {
        serde_json::Value::String(x) if key == "custom" => format!("custom:{x}"),
        _ => key,
    })
}

// ---- serde shapes: only the fields we use; everything else is skipped by serde. ----

#[derive(Deserialize)]
struct RawLine<'a> {
    #[serde(borrow, default)]
    timestamp: Option<&'a RawValue>,
    #[serde(borrow, default, rename = "type")]
    kind: Option<Cow<'a, str>>,
    #[serde(borrow, default)]
    payload: Option<&'a RawValue>,
    #[serde(default)]
    record_type: Option<IgnoredAny>,
    #[serde(default)]
    ordinal: Option<u64>,
}

#[derive(Deserialize)]
struct HistoryBase {
    #[serde(default)]
    thread_id: Option<String>,
    #[serde(default)]
    end_ordinal_exclusive: Option<u64>,
}

#[derive(Deserialize, Default)]
struct Git<'a> {
    #[serde(borrow, default)]
    branch: Option<Cow<'a, str>>,
    #[serde(borrow, default)]
    repository_url: Option<Cow<'a, str>>,
    #[serde(borrow, default)]
    commit_hash: Option<Cow<'a, str>>,
}

#[derive(Deserialize)]
struct MetaPayload<'a> {
    #[serde(borrow, default)]
    id: Option<Cow<'a, str>>,
    #[serde(borrow, default)]
    timestamp: Option<Cow<'a, str>>,
    #[serde(borrow, default)]
    cwd: Option<Cow<'a, str>>,
    #[serde(borrow, default)]
    originator: Option<Cow<'a, str>>,
    #[serde(borrow, default)]
    cli_version: Option<Cow<'a, str>>,
    #[serde(borrow, default)]
    source: Option<&'a RawValue>,
    #[serde(borrow, default)]
    model_provider: Option<Cow<'a, str>>,
    #[serde(borrow, default)]
    git: Option<Git<'a>>,
    #[serde(borrow, default)]
    forked_from_id: Option<Cow<'a, str>>,
    #[serde(borrow, default)]
    parent_thread_id: Option<Cow<'a, str>>,
    #[serde(borrow, default)]
    thread_source: Option<Cow<'a, str>>,
    #[serde(borrow, default)]
    history_mode: Option<Cow<'a, str>>,
    #[serde(default)]
    history_base: Option<HistoryBase>,
}

#[derive(Deserialize)]
struct TurnContext<'a> {
    #[serde(borrow, default)]
    cwd: Option<Cow<'a, str>>,
    #[serde(borrow, default)]
    model: Option<Cow<'a, str>>,
}

#[derive(Deserialize)]
struct Part<'a> {
    #[serde(borrow, default, rename = "type")]
    kind: Option<Cow<'a, str>>,
    #[serde(borrow, default)]
    text: Option<Cow<'a, str>>,
}

#[derive(Deserialize)]
struct Item<'a> {
    #[serde(borrow, default, rename = "type")]
    kind: Option<Cow<'a, str>>,
    #[serde(borrow, default)]
    role: Option<Cow<'a, str>>,
    #[serde(borrow, default)]
    content: Option<Vec<Part<'a>>>,
    /// `function_call`: the call's arguments, JSON text.
    #[serde(borrow, default)]
    arguments: Option<Cow<'a, str>>,
    /// `custom_tool_call` (`apply_patch`): the patch text.
    #[serde(borrow, default)]
    input: Option<Cow<'a, str>>,
    /// `local_shell_call`: `{"type":"exec","command":[…]}`.
    #[serde(borrow, default)]
    action: Option<&'a RawValue>,
    /// `item_completed` items other than messages (`FileChange`, `CommandExecution`): the
    /// fields that name files or commands.
    #[serde(borrow, default, alias = "changes", alias = "command")]
    rest: Option<&'a RawValue>,
}

#[derive(Deserialize)]
struct Usage {
    #[serde(default)]
    total_tokens: Option<u64>,
}

#[derive(Deserialize)]
struct TokenInfo {
    #[serde(default)]
    total_token_usage: Option<Usage>,
}

#[derive(Deserialize)]
struct Event<'a> {
    #[serde(borrow, rename = "type")]
    kind: Cow<'a, str>,
    #[serde(borrow, default)]
    message: Option<Cow<'a, str>>,
    #[serde(borrow, default, rename = "kind")]
    kind_field: Option<Cow<'a, str>>,
    #[serde(default)]
    images: Option<Vec<IgnoredAny>>,
    #[serde(default)]
    local_images: Option<Vec<IgnoredAny>>,
    #[serde(borrow, default)]
    error: Option<&'a RawValue>,
    #[serde(default)]
    info: Option<TokenInfo>,
    #[serde(borrow, default)]
    thread_name: Option<Cow<'a, str>>,
    #[serde(borrow, default)]
    last_agent_message: Option<Cow<'a, str>>,
    #[serde(default)]
    num_turns: Option<u64>,
    #[serde(borrow, default)]
    item: Option<Item<'a>>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(lines: &[&str]) -> RolloutRecord {
        let mut r = RolloutRecord::default();
        for l in lines {
            r.apply_line(l.as_bytes());
        }
        r
    }

    fn prompts(r: &RolloutRecord) -> Vec<&str> {
        r.real_prompts().iter().map(|p| &*p.text).collect()
    }

    proptest::proptest! {
        /// The joined list keeps what the vector of strings it replaced kept (the most recent
        /// distinct names, at most MAX_FILES, oldest first) and is stored as that vector was.
        #[test]
        fn file_list_is_the_former_vector(
            calls in proptest::collection::vec(
                proptest::collection::vec("[a-c]{1,2}/[a-d]\\.rs", 0..6), 0..40)
        ) {
            let mut r = RolloutRecord::default();
            let mut before: Vec<Box<str>> = Vec::new();
            for names in &calls {
                r.note_files_in(&names.join(" "));
                for f in super::super::files::named_in(&names.join(" ")) {
                    if let Some(i) = before.iter().position(|x| **x == *f) {
                        before.remove(i);
                    } else if before.len() == MAX_FILES {
                        before.remove(0);
                    }
                    before.push(f.into());
                }
            }
            let now: Vec<&str> = r.files.iter().collect();
            let was: Vec<&str> = before.iter().map(|f| &**f).collect();
            proptest::prop_assert_eq!(&now, &was);
            let json = serde_json::to_string(&r.files).unwrap();
            proptest::prop_assert_eq!(&json, &serde_json::to_string(&before).unwrap());
            let back: FileList = serde_json::from_str(&json).unwrap();
            proptest::prop_assert_eq!(back, r.files.clone());
        }
    }

    const META: &str = r#"{"timestamp":"2026-02-23T11:40:29.275Z","type":"session_meta","payload":{"id":"019c8a4c-ed82-79a1-aa28-7738fc5ab61a","timestamp":"2026-02-23T11:40:23.298Z","cwd":"/home/me/proj","originator":"codex_cli_rs","cli_version":"0.104.0","source":"cli","git":{"commit_hash":"1cdfa7b1","branch":"main","repository_url":"git@github.com:me/proj.git"}}}"#;

    #[test]
    fn envelope_session() {
        let r = record(&[
            META,
            r#"{"timestamp":"2026-02-23T11:40:29.279Z","type":"event_msg","payload":{"type":"task_started","turn_id":"t1"}}"#,
            r#"{"timestamp":"2026-02-23T11:40:29.280Z","type":"response_item","payload":{"type":"message","role":"user","content":[{"type":"input_text","text":"<environment_context>\n<cwd>/x</cwd>\n</environment_context>"}]}}"#,
            r#"{"timestamp":"2026-02-23T11:40:29.280Z","type":"response_item","payload":{"type":"message","role":"user","content":[{"type":"input_text","text":"fix the flaky test"}]}}"#,
            r#"{"timestamp":"2026-02-23T11:40:29.281Z","type":"event_msg","payload":{"type":"user_message","message":"fix the flaky test","images":[],"local_images":[],"text_elements":[]}}"#,
            r#"{"timestamp":"2026-02-23T11:40:29.289Z","type":"turn_context","payload":{"turn_id":"t1","cwd":"/home/me/proj/api","model":"gpt-5.3-codex"}}"#,
            r#"{"timestamp":"2026-02-23T11:40:30.000Z","type":"event_msg","payload":{"type":"token_count","info":{"total_token_usage":{"input_tokens":10,"total_tokens":1234}},"rate_limits":null}}"#,
            r#"{"timestamp":"2026-02-23T11:43:44.526Z","type":"event_msg","payload":{"type":"task_complete","turn_id":"t1","last_agent_message":"Fixed"}}"#,
        ]);
        assert_eq!(
            r.meta.id.as_deref(),
            Some("019c8a4c-ed82-79a1-aa28-7738fc5ab61a")
        );
        assert_eq!(r.meta.created_ms, Some(1_771_846_823_298));
        assert_eq!(r.meta.source.as_deref(), Some("cli"));
        assert_eq!(r.meta.git_branch.as_deref(), Some("main"));
        assert_eq!(r.cwd(), Some("/home/me/proj/api"));
        assert_eq!(r.model.as_deref(), Some("gpt-5.3-codex"));
        assert_eq!(prompts(&r), vec!["fix the flaky test"]);
        assert_eq!(r.turn_state, TurnState::Completed);
        assert_eq!(r.tokens_total, Some(1234));
    }

    #[test]
    fn image_first_turn_is_titled_by_the_words() {
        // 0.36 `exec -i`: an image-only user turn (with its answer) before the typed prompt.
        let r = record(&[
            META,
            r#"{"timestamp":"2025-09-20T10:00:01.000Z","type":"event_msg","payload":{"type":"user_message","message":"","images":["data:image/png;base64,AAAA"]}}"#,
            r#"{"timestamp":"2025-09-20T10:00:02.000Z","type":"event_msg","payload":{"type":"agent_message","message":"I see it."}}"#,
            r#"{"timestamp":"2025-09-20T10:00:03.000Z","type":"event_msg","payload":{"type":"user_message","message":"why twice?"}}"#,
        ]);
        assert_eq!(prompts(&r), vec!["[Image] why twice?"]);
        assert_eq!(r.real_prompts().count, 1);
        // No lifecycle events (before 0.100): a prompt without an answer is in progress…
        assert_eq!(r.turn_state, TurnState::InProgress);
        let r = record(&[
            META,
            r#"{"timestamp":"2025-09-20T10:00:03.000Z","type":"event_msg","payload":{"type":"user_message","message":"why twice?"}}"#,
            r#"{"timestamp":"2025-09-20T10:00:04.000Z","type":"event_msg","payload":{"type":"agent_message","message":"Because."}}"#,
        ]);
        // …and an answer ends it.
        assert_eq!(r.turn_state, TurnState::Completed);
    }

    #[test]
    fn kind_field_context_and_ide_prefix() {
        let r = record(&[
            META,
            r#"{"timestamp":"2025-09-20T10:00:00.000Z","type":"event_msg","payload":{"type":"user_message","message":"<user_instructions>x</user_instructions>","kind":"user_instructions"}}"#,
            r#"{"timestamp":"2025-09-20T10:00:00.000Z","type":"event_msg","payload":{"type":"user_message","message":"<environment_context>x</environment_context>","kind":"environment_context"}}"#,
            r##"{"timestamp":"2025-09-20T10:00:01.000Z","type":"event_msg","payload":{"type":"user_message","message":"# Context from my IDE setup:\n## My request for Codex:\n  add a retry  ","kind":"plain"}}"##,
            r#"{"timestamp":"2025-09-20T10:00:02.000Z","type":"event_msg","payload":{"type":"user_message","message":"","images":["data:image/png;base64,AAAA"]}}"#,
        ]);
        assert_eq!(prompts(&r), vec!["add a retry", "[Image]"]);
    }

    #[test]
    fn paginated_item_completed() {
        let r = record(&[
            r#"{"timestamp":"2026-08-19T01:48:58.344Z","ordinal":0,"type":"session_meta","payload":{"session_id":"01a017b5-1414-7250-bf14-dc4987eee1c9","id":"01a017b5-1414-7250-bf14-dc4987eee1c9","timestamp":"2026-08-19T01:48:58.261Z","cwd":"/home/u/proj/workdir","originator":"codex_exec","cli_version":"0.148.0","source":"exec","history_mode":"paginated"}}"#,
            r#"{"timestamp":"2026-08-19T01:48:58.386Z","ordinal":7,"type":"event_msg","payload":{"type":"item_completed","thread_id":"01a017b5","turn_id":"x","item":{"type":"UserMessage","id":"i","content":[{"type":"text","text":"hello","text_elements":[]}]}}}"#,
            r#"{"timestamp":"2026-08-19T01:48:58.386Z","ordinal":8,"type":"event_msg","payload":{"type":"task_complete","turn_id":"x","error":{"message":"boom"}}}"#,
        ]);
        assert_eq!(prompts(&r), vec!["hello"]);
        assert_eq!(r.meta.source.as_deref(), Some("exec"));
        assert_eq!(r.turn_state, TurnState::Errored);
    }

    #[test]
    fn legacy_bare_format() {
        let r = record(&[
            r#"{"id":"5973b6c0-94b8-487b-a530-2aeb6098ae0e","timestamp":"2025-08-20T13:20:47.060Z","instructions":null,"git":{"branch":"main"}}"#,
            r#"{"record_type":"state"}"#,
            r#"{"type":"message","role":"user","content":[{"type":"input_text","text":"<environment_context>\n  <cwd>/home/me/proj</cwd>\n</environment_context>"}]}"#,
            r#"{"type":"message","role":"user","content":[{"type":"input_text","text":"fix the failing test"}]}"#,
            r#"{"type":"message","role":"assistant","content":[{"type":"output_text","text":"Done."}]}"#,
        ]);
        assert!(r.legacy);
        assert_eq!(
            r.meta.id.as_deref(),
            Some("5973b6c0-94b8-487b-a530-2aeb6098ae0e")
        );
        assert_eq!(prompts(&r), vec!["fix the failing test"]);
        assert_eq!(r.meta.git_branch.as_deref(), Some("main"));
    }

    #[test]
    fn forked_meta_and_subagent_source() {
        let r = record(&[
            r#"{"timestamp":"2026-03-01T00:00:00.000Z","type":"session_meta","payload":{"id":"a","timestamp":"2026-03-01T00:00:00.000Z","cwd":"/a","source":{"subagent":{"thread_spawn":{"parent_thread_id":"p","depth":1}}}}}"#,
            r#"{"timestamp":"2026-03-01T00:00:00.000Z","type":"session_meta","payload":{"id":"b","timestamp":"2025-01-01T00:00:00.000Z","cwd":"/b","source":"cli"}}"#,
        ]);
        assert_eq!(r.meta.id.as_deref(), Some("a"));
        assert_eq!(r.meta.cwd.as_deref(), Some("/a"));
        assert_eq!(r.meta.source.as_deref(), Some("subagent"));
    }

    #[test]
    fn garbage_never_panics_and_changes_nothing() {
        let mut r = RolloutRecord::default();
        for bad in [
            &b"\xff\xfe{not json"[..],
            b"{\"timestamp\":1,\"type\":\"event_msg\",\"payload\":{\"type\":\"user_message\"}}",
            b"{\"type\":\"event_msg\",\"payload\":[]}",
            b"[1,2,3]",
            b"{\"timestamp\":\"x\",\"type\":\"something_new\",\"payload\":{\"type\":\"user_message\",\"message\":\"no\"}}",
        ] {
            r.apply_line(bad);
        }
        assert!(r.real_prompts().is_empty());
        assert!(!r.has_meta);
    }

    #[test]
    fn prompts_are_bounded_and_keep_the_first() {
        let mut r = RolloutRecord::default();
        for i in 0..200 {
            let line = format!(
                r#"{{"timestamp":"2026-01-01T00:00:00Z","type":"event_msg","payload":{{"type":"user_message","message":"prompt {i}"}}}}"#
            );
            r.apply_line(line.as_bytes());
        }
        let p = r.real_prompts();
        assert_eq!(p.count, 200);
        assert_eq!(&*p.first().unwrap().text, "prompt 0");
        assert_eq!(p.iter().count(), MAX_PROMPTS);
        assert_eq!(&*p.iter().last().unwrap().text, "prompt 199");
    }
}
