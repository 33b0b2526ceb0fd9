//! Turning a [`SessionSpec`] into rollout bytes, one format at a time.
//!
//! Every line is built with the ordered writer in `json.rs` so field order matches what Codex's
//! serde structs produce (`{"timestamp":…,["ordinal":…,]"type":…,"payload":{"type":…`). Which
//! optional fields appear is gated on the spec's `cli_version`, following the change log in
//! docs/rollout-format.md §3 (e.g. `source` from 0.44, `model_provider` from 0.51, `base_instructions`
//! from 0.88, `local_images`/`text_elements` from 0.84).

use crate::json::Jw;
use crate::rng::{Rng, hash_str};
use crate::spec::{Format, SessionSpec, Source, Turn, TurnEnd, Ver};
use crate::text::{self, PoolKind, Pools, Slots};
use crate::time;
use crate::uuid;

/// `history_base` of a paginated revert/fork: the prefix of another rollout this file continues.
#[derive(Clone, Debug)]
pub(crate) struct HistoryBase {
    pub thread_id: String,
    pub end_ordinal_exclusive: u64,
    pub end_byte_offset: u64,
}

/// Knobs for the multi-file pitfalls (forks, reverts).
#[derive(Default)]
pub(crate) struct RenderOpts<'a> {
    /// First `ordinal` to write (paginated reverts continue their base's numbering).
    pub start_ordinal: u64,
    pub history_base: Option<HistoryBase>,
    /// Complete lines copied verbatim after our `session_meta` (a legacy fork copies its parent's
    /// history, parent `session_meta` included, docs/rollout-format.md §2.2).
    pub fork_prefix: Option<&'a [u8]>,
    /// Don't write the session-start context (a revert continues a thread that already has it).
    pub skip_injected: bool,
}

pub(crate) struct Rendered {
    pub bytes: Vec<u8>,
    /// Time of the last line: the file's mtime.
    pub last_ms: i64,
    /// `info.total_token_usage.total_tokens` of the last `token_count` (0 if none).
    pub tokens_total: u64,
    /// After each turn: (next ordinal, bytes written so far).
    pub turn_marks: Vec<(u64, usize)>,
    /// When each turn's prompt was written (for `history.jsonl`).
    pub prompt_ms: Vec<i64>,
}

pub(crate) fn render(spec: &SessionSpec, format: Format, opts: &RenderOpts<'_>) -> Rendered {
    let mut r = R::new(spec, format, opts);
    match format {
        Format::Bare | Format::BareFlatNoTime => r.bare_session(),
        _ => r.envelope_session(opts),
    }
    Rendered {
        bytes: r.out,
        last_ms: r.clock,
        tokens_total: r.tok.total,
        turn_marks: r.turn_marks,
        prompt_ms: r.prompt_ms,
    }
}

/// Running token usage, so `token_count` events grow like real ones.
#[derive(Default)]
struct Tokens {
    input: u64,
    cached: u64,
    output: u64,
    reasoning: u64,
    total: u64,
    context: u64,
    /// Rate-limit usage in tenths of a percent.
    primary: u64,
    secondary: u64,
}

struct R<'s> {
    spec: &'s SessionSpec,
    fmt: Format,
    ver: Ver,
    paginated: bool,
    rng: Rng,
    pools: &'static Pools,
    slots: Slots,
    out: Vec<u8>,
    clock: i64,
    ordinal: u64,
    tok: Tokens,
    cwd: String,
    prev_end: Option<TurnEnd>,
    /// Prompts written so far (for `compacted.replacement_history`).
    written_prompts: Vec<String>,
    turn_marks: Vec<(u64, usize)>,
    prompt_ms: Vec<i64>,
    window_id: String,
}

/// One tool call of a turn.
struct Call {
    bytes: usize,
}

impl<'s> R<'s> {
    fn new(spec: &'s SessionSpec, fmt: Format, opts: &RenderOpts<'_>) -> Self {
        let mut rng = Rng::new(hash_str(&spec.id) ^ hash_str(&spec.cwd));
        // Tool commands should fit the project: match the cwd's last component to a project.
        let leaf = spec.cwd.rsplit('/').next().unwrap_or("");
        let project = text::PROJECTS
            .iter()
            .find(|p| p.name == leaf)
            .unwrap_or_else(|| rng.pick_ref(text::PROJECTS));
        let slots = Slots::new(project, &mut rng);
        let window_id = uuid::v7_from(spec.created_ms, &mut rng);
        // Sizing the buffer up front avoids repeated reallocation of multi-MB outputs.
        let estimate: usize = 4096
            + spec.instructions_bytes
            + spec.agents_md_bytes
            + spec
                .turns
                .iter()
                .map(|t| {
                    6000 + t.tool_output_bytes
                        + t.big_tool_output
                        + t.reasoning_bytes
                        + 2 * t.images * t.image_bytes.max(1500)
                        + t.prompt.len() * 2
                })
                .sum::<usize>();
        R {
            spec,
            fmt,
            ver: Ver::parse(&spec.cli_version),
            paginated: fmt == Format::Paginated,
            rng,
            pools: text::pools(),
            slots,
            out: Vec::with_capacity(estimate + opts.fork_prefix.map_or(0, <[u8]>::len)),
            clock: spec.created_ms,
            ordinal: opts.start_ordinal,
            tok: Tokens::default(),
            cwd: spec.cwd.clone(),
            prev_end: None,
            written_prompts: Vec::new(),
            turn_marks: Vec::new(),
            prompt_ms: Vec::new(),
            window_id,
        }
    }

    // -----------------------------------------------------------------------------------------
    // Line plumbing
    // -----------------------------------------------------------------------------------------

    fn tick(&mut self, lo: i64, hi: i64) {
        self.clock += self.rng.range_i64(lo, hi);
    }

    /// One envelope line: `{"timestamp":…,["ordinal":…,]"type":kind,"payload":<f writes it>}`.
    fn line(&mut self, kind: &str, f: impl FnOnce(&mut Self, &mut Jw<'_>)) {
        self.tick(1, 30);
        let mut out = std::mem::take(&mut self.out);
        {
            let mut w = Jw::new(&mut out);
            w.obj().ks("timestamp", &time::rfc3339_ms(self.clock));
            if self.paginated {
                w.kn("ordinal", self.ordinal as i64);
            }
            w.ks("type", kind).key("payload");
            f(self, &mut w);
            w.end();
            debug_assert!(w.done(), "unbalanced payload for {kind}");
        }
        out.push(b'\n');
        self.out = out;
        self.ordinal += 1;
    }

    /// One pre-0.32 bare line (no envelope, no timestamp of its own).
    fn bare(&mut self, f: impl FnOnce(&mut Self, &mut Jw<'_>)) {
        self.tick(1, 30);
        let mut out = std::mem::take(&mut self.out);
        {
            let mut w = Jw::new(&mut out);
            f(self, &mut w);
            debug_assert!(w.done());
        }
        out.push(b'\n');
        self.out = out;
    }

    fn event(&mut self, f: impl FnOnce(&mut Self, &mut Jw<'_>)) {
        self.line("event_msg", f);
    }

    fn item(&mut self, f: impl FnOnce(&mut Self, &mut Jw<'_>)) {
        self.line("response_item", f);
    }

    /// A paginated-format `item_completed` event: `{type, thread_id, turn_id?, item: {type:
    /// kind, id, …fields}, …after}` with a fresh item id.
    fn item_completed(
        &mut self,
        turn_id: Option<&str>,
        kind: &str,
        fields: impl FnOnce(&mut Jw<'_>),
        after: impl FnOnce(&mut Self, &mut Jw<'_>),
    ) {
        let id = self.new_id();
        let thread = self.spec.id.clone();
        self.event(|r, w| {
            w.obj()
                .ks("type", "item_completed")
                .ks("thread_id", &thread);
            w.ks_opt("turn_id", turn_id);
            w.kobj("item").ks("type", kind).ks("id", &id);
            fields(w);
            w.end();
            after(r, w);
            w.end();
        });
    }

    fn new_id(&mut self) -> String {
        uuid::v7_from(self.clock, &mut self.rng)
    }

    fn call_id(&mut self) -> String {
        const ALNUM: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
        let mut s = String::from("call_");
        for _ in 0..24 {
            s.push(char::from(self.rng.pick(ALNUM)));
        }
        s
    }

    fn encrypted(&mut self, w: &mut Jw<'_>, len: usize) {
        // Fernet-style tokens as in real rollouts (`gAAAAA…`).
        let parts = self.pools.b64(&mut self.rng, len);
        let mut all: Vec<&[u8]> = Vec::with_capacity(parts.len() + 1);
        all.push(b"gAAAAAB");
        all.extend(parts);
        w.str_parts(&all);
    }

    // -----------------------------------------------------------------------------------------
    // Envelope formats (0.32+)
    // -----------------------------------------------------------------------------------------

    fn envelope_session(&mut self, opts: &RenderOpts<'_>) {
        // The header line is written at first persist, a moment after `payload.timestamp` (docs/rollout-format.md §2.2).
        self.tick(40, 2500);
        self.session_meta(opts.history_base.as_ref());
        if let Some(prefix) = opts.fork_prefix {
            self.out.extend_from_slice(prefix);
        }
        // Session-start context (pre-0.99 files were created with it, before any turn). In
        // paginated mode it is written inside the first turn instead (docs/rollout-format.md §2.7).
        if self.spec.injected && !self.paginated && !opts.skip_injected {
            self.injected_context();
        }
        let skip_first_injection = opts.skip_injected;
        for i in 0..self.spec.turns.len() {
            let turn = &self.spec.turns[i];
            self.envelope_turn(i, turn, skip_first_injection);
            self.turn_marks.push((self.ordinal, self.out.len()));
        }
    }

    fn session_meta(&mut self, base: Option<&HistoryBase>) {
        let spec = self.spec;
        let v = self.ver;
        let created = time::rfc3339_ms(spec.created_ms);
        // Sub-agents share their root's `session_id` (docs/rollout-format.md §1.4); written from ~0.128 (2026-05).
        let has_session_id = self.paginated || v.at_least(128);
        let root = match (spec.source, &spec.parent_thread_id) {
            (Source::Subagent, Some(p)) => p.clone(),
            _ => spec.id.clone(),
        };
        let bi_len = spec.instructions_bytes;
        let agents_nick = self
            .rng
            .pick(&["Darwin", "Noether", "Hopper", "Turing"])
            .to_string();
        let role = self
            .rng
            .pick(&["explorer", "worker", "reviewer"])
            .to_string();
        self.line("session_meta", |r, w| {
            w.obj();
            if has_session_id {
                w.ks("session_id", &root);
            }
            w.ks("id", &spec.id);
            w.ks_opt("forked_from_id", spec.forked_from_id.as_deref());
            w.ks("timestamp", &created)
                .ks("cwd", &spec.cwd)
                .ks("originator", &spec.originator)
                .ks("cli_version", &spec.cli_version);
            if !v.at_least(88) {
                w.knull("instructions");
            }
            match spec.source {
                Source::Missing => {}
                Source::Subagent => {
                    let parent = spec.parent_thread_id.clone().unwrap_or_else(|| root.clone());
                    w.kobj("source").kobj("subagent").kobj("thread_spawn");
                    w.ks("parent_thread_id", &parent)
                        .kn("depth", 1)
                        .ks("agent_nickname", &agents_nick)
                        .ks("agent_role", &role);
                    w.end().end().end();
                    w.ks("agent_nickname", &agents_nick).ks("agent_role", &role);
                }
                s => {
                    w.ks("source", s.label().unwrap_or("cli"));
                }
            }
            if has_session_id {
                let ts = if spec.source == Source::Subagent {
                    "subagent"
                } else {
                    "user"
                };
                w.ks("thread_source", ts);
            }
            if v.at_least(51) {
                w.ks("model_provider", "openai");
            }
            if v.at_least(88) {
                let text = r.pools.prefix(PoolKind::Instructions, bi_len);
                w.kobj("base_instructions");
                w.key("text").str_parts(&[
                    b"You are Codex, a coding agent based on GPT-5. You and the user share the same workspace and collaborate to achieve the user's goals.\n\n",
                    text,
                ]);
                w.end();
            }
            if r.paginated {
                w.ks("history_mode", "paginated");
                if let Some(b) = base {
                    w.kobj("history_base")
                        .ks("thread_id", &b.thread_id)
                        .kn("end_ordinal_exclusive", b.end_ordinal_exclusive as i64)
                        .kn("end_byte_offset", b.end_byte_offset as i64)
                        .end();
                }
                let window = r.window_id.clone();
                w.kobj("context_window").ks("window_id", &window).end();
            }
            if let Some(g) = &spec.git {
                git_object(w, g);
            }
            w.end();
        });
    }

    fn env_context_text(&self, cwd: &str) -> String {
        let mut s = format!(
            "<environment_context>\n  <cwd>{cwd}</cwd>\n  <approval_policy>{}</approval_policy>\n  <sandbox_mode>{}</sandbox_mode>\n  <network_access>restricted</network_access>\n  <shell>zsh</shell>\n",
            self.approval(),
            self.sandbox_mode()
        );
        if self.ver.at_least(100) {
            s.push_str(&format!(
                "  <current_date>{}</current_date>\n  <timezone>Europe/Berlin</timezone>\n",
                time::date(self.clock)
            ));
        }
        s.push_str("</environment_context>");
        s
    }

    fn approval(&self) -> &'static str {
        match self.spec.source {
            Source::Exec | Source::Subagent => "never",
            _ => "on-request",
        }
    }

    fn sandbox_mode(&self) -> &'static str {
        match self.spec.source {
            Source::Exec => "read-only",
            _ => "workspace-write",
        }
    }

    fn agents_md_text(&mut self) -> String {
        let body = self.pools.text(
            PoolKind::Instructions,
            &mut self.rng,
            self.spec.agents_md_bytes.max(64),
        );
        let body = String::from_utf8_lossy(body);
        if self.ver.at_least(54) {
            format!(
                "# AGENTS.md instructions for {}\n\n<INSTRUCTIONS>\n# Repository guidelines\n{body}\n</INSTRUCTIONS>",
                self.spec.cwd
            )
        } else {
            format!(
                "<user_instructions>\n\n# Repository guidelines\n{body}\n\n</user_instructions>"
            )
        }
    }

    /// The injected, non-prompt messages of a session start (docs/rollout-format.md §2.7).
    fn injected_context(&mut self) {
        if self.ver.at_least(70) {
            let text = format!(
                "<permissions instructions>\nFilesystem sandboxing defines which files can be read or written. `sandbox_mode` is `{}`: the sandbox permits reading files, and editing files in `cwd` and `writable_roots`. Editing files in other directories requires approval. Network access is restricted.\nApproval policy is currently {}.\n</permissions instructions>",
                self.sandbox_mode(),
                self.approval()
            );
            self.item(|_, w| {
                w.obj().ks("type", "message").ks("role", "developer");
                w.karr("content")
                    .obj()
                    .ks("type", "input_text")
                    .ks("text", &text)
                    .end()
                    .end();
                w.end();
            });
        }
        let agents = (self.spec.agents_md_bytes > 0).then(|| self.agents_md_text());
        let env = self.env_context_text(&self.spec.cwd.clone());
        if self.paginated && self.ver.at_least(150) {
            // 2026-08 builds bundle plugins + AGENTS.md + environment into one user message.
            let plugins = "<recommended_plugins>\n- github: open pull requests and read CI results\n- linear: look up issues\n</recommended_plugins>".to_string();
            let mut parts = vec![plugins];
            parts.extend(agents);
            parts.push(env);
            self.user_context_message(&parts);
            return;
        }
        if let Some(a) = agents {
            self.user_context_message(std::slice::from_ref(&a));
            if self.fmt == Format::EnvelopeKind {
                self.kind_event(&a, "user_instructions");
            }
        }
        self.user_context_message(std::slice::from_ref(&env));
        if self.fmt == Format::EnvelopeKind {
            self.kind_event(&env, "environment_context");
        }
    }

    fn user_context_message(&mut self, parts: &[String]) {
        self.item(|_, w| {
            w.obj()
                .ks("type", "message")
                .ks("role", "user")
                .karr("content");
            for p in parts {
                w.obj().ks("type", "input_text").ks("text", p).end();
            }
            w.end().end();
        });
    }

    /// 0.30–0.47 mirrored context as `user_message` events with a non-plain `kind`.
    fn kind_event(&mut self, text: &str, kind: &str) {
        self.event(|_, w| {
            w.obj()
                .ks("type", "user_message")
                .ks("message", text)
                .ks("kind", kind)
                .end();
        });
    }

    fn envelope_turn(&mut self, index: usize, turn: &Turn, skip_first_injection: bool) {
        let spec = self.spec;
        let v = self.ver;
        let paginated = self.paginated;
        let legacy_events = !paginated;
        // Pause before the turn: the user reading and typing, or a resume days later.
        if turn.resume_after_ms > 0 {
            self.clock += turn.resume_after_ms as i64;
        } else if index > 0 {
            self.tick(15_000, 600_000);
        }
        if turn.compact_before && index > 0 {
            self.compaction();
        }
        let turn_id = (paginated || v.at_least(48)).then(|| self.new_id());
        let started_ms = self.clock;
        self.event(|r, w| {
            w.obj().ks("type", "task_started");
            w.ks_opt("turn_id", turn_id.as_deref());
            if paginated || v.at_least(120) {
                w.kn("started_at", r.clock / 1000);
            }
            w.kn("model_context_window", 258_400);
            if v.at_least(90) {
                w.ks("collaboration_mode_kind", "default");
            }
            w.end();
        });
        if index == 0 {
            // The first token_count of a session has no usage yet (docs/rollout-format.md §2.4).
            self.token_count(true);
        }
        let turn_cwd = turn.cwd.clone().unwrap_or_else(|| spec.cwd.clone());
        if paginated && index == 0 && spec.injected && !skip_first_injection {
            self.injected_context();
        }
        if self.prev_end == Some(TurnEnd::Aborted) && (paginated || v.at_least(88)) {
            let note = "<turn_aborted>\nThe user interrupted the previous turn on purpose. If any tools/commands were aborted, they may have partially executed; verify current state before retrying.\n</turn_aborted>".to_string();
            self.user_context_message(std::slice::from_ref(&note));
        }
        if turn_cwd != self.cwd {
            // A cwd change is announced to the model with a fresh environment context.
            let env = self.env_context_text(&turn_cwd);
            self.user_context_message(std::slice::from_ref(&env));
            self.cwd = turn_cwd.clone();
        }
        let written = spec.written_prompt(turn);
        let images: Vec<Vec<&'static [u8]>> = (0..turn.images)
            .map(|_| {
                let n = if turn.image_bytes == 0 {
                    self.rng.range_usize(1200, 1800)
                } else {
                    turn.image_bytes
                };
                self.pools.b64(&mut self.rng, n)
            })
            .collect();
        if paginated {
            self.world_state(index == 0);
            self.turn_context(turn_id.as_deref(), &turn_cwd);
            self.prompt_item(&written, &images);
            self.item_completed(
                turn_id.as_deref(),
                "UserMessage",
                |w| {
                    w.karr("content");
                    if !written.is_empty() {
                        w.obj()
                            .ks("type", "text")
                            .ks("text", &written)
                            .kempty("text_elements")
                            .end();
                    }
                    for img in &images {
                        w.obj().ks("type", "image").key("image_url");
                        image_url(w, img);
                        w.end();
                    }
                    w.end();
                },
                |r, w| {
                    w.kn("started_at_ms", r.clock)
                        .kn("completed_at_ms", r.clock);
                },
            );
        } else {
            self.prompt_item(&written, &images);
            let kind = self.fmt == Format::EnvelopeKind;
            self.event(|_, w| {
                w.obj().ks("type", "user_message").ks("message", &written);
                if kind {
                    w.ks("kind", "plain");
                }
                if !kind || !images.is_empty() {
                    w.karr("images");
                    for img in &images {
                        image_url(w, img);
                    }
                    w.end();
                }
                if v.at_least(84) {
                    w.kempty("local_images").kempty("text_elements");
                }
                w.end();
            });
            if crate::spec::writes_turn_context(self.fmt, v) {
                self.turn_context(turn_id.as_deref(), &turn_cwd);
            }
        }
        self.prompt_ms.push(self.clock);
        self.written_prompts.push(written);

        // The agent works: reasoning, tool calls and their outputs, usage after each request.
        let calls = self.plan_calls(turn);
        let reasoning_each = if turn.reasoning_bytes == 0 {
            0
        } else {
            (turn.reasoning_bytes / (calls.len() + 1)).max(64)
        };
        for (k, call) in calls.iter().enumerate() {
            self.tick(800, 9_000);
            self.reasoning(reasoning_each, legacy_events);
            if self.rng.chance(250) {
                let text = self.slots.fill(self.rng.pick(text::COMMENTARY));
                self.agent_message(&text, "commentary", turn_id.as_deref());
            }
            let last = k + 1 == calls.len();
            let open_here = turn.end == TurnEnd::Open && last;
            self.tool_call(call, turn_id.as_deref(), open_here);
            self.token_count(false);
            if paginated && v.at_least(150) {
                self.token_usage_record(turn_id.as_deref());
            }
            if open_here {
                self.prev_end = Some(TurnEnd::Open);
                return;
            }
        }
        match turn.end {
            TurnEnd::Open => {
                // No calls: the model was still thinking when the file stopped growing.
                self.reasoning(reasoning_each, legacy_events);
                self.token_count(false);
                self.prev_end = Some(TurnEnd::Open);
                return;
            }
            TurnEnd::Aborted => {
                self.tick(500, 20_000);
                self.event(|_, w| {
                    w.obj().ks("type", "turn_aborted");
                    match turn_id.as_deref() {
                        Some(t) => w.ks("turn_id", t),
                        None if v.at_least(48) => w.knull("turn_id"),
                        None => w,
                    };
                    w.ks("reason", "interrupted").end();
                });
            }
            TurnEnd::Errored => {
                self.tick(500, 30_000);
                let (msg, info) = if self.rng.chance(500) {
                    (
                        "You've hit your usage limit. Upgrade to Pro or try again in 2 hours.",
                        "usage_limit_exceeded",
                    )
                } else {
                    (
                        "stream disconnected before completion: error sending request for url",
                        "response_stream_disconnected",
                    )
                };
                let completed = self.clock;
                self.event(|_, w| {
                    w.obj().ks("type", "task_complete");
                    w.ks_opt("turn_id", turn_id.as_deref());
                    w.knull("last_agent_message");
                    w.kn("completed_at", completed / 1000)
                        .kn("duration_ms", completed - started_ms);
                    w.kobj("error")
                        .ks("message", msg)
                        .ks("codex_error_info", info)
                        .end();
                    w.end();
                });
            }
            TurnEnd::Complete => {
                self.tick(1_000, 12_000);
                self.reasoning(reasoning_each, legacy_events);
                self.agent_message(&turn.agent_reply, "final_answer", turn_id.as_deref());
                self.token_count(false);
                if paginated && v.at_least(148) {
                    self.security_risk_score();
                }
                let completed = self.clock;
                let ttft = self.rng.range(300, 4000) as i64;
                self.event(|_, w| {
                    w.obj().ks("type", "task_complete");
                    w.ks_opt("turn_id", turn_id.as_deref());
                    w.ks("last_agent_message", &turn.agent_reply);
                    if paginated || v.at_least(120) {
                        w.kn("completed_at", completed / 1000)
                            .kn("duration_ms", completed - started_ms)
                            .kn("time_to_first_token_ms", ttft);
                    }
                    w.end();
                });
            }
        }
        self.prev_end = Some(turn.end);
        if index == 0
            && legacy_events
            && v.at_least(93)
            && !v.at_least(130)
            && let Some(name) = spec.name.as_deref()
        {
            // 0.93 → 2026-05 also recorded /rename in the rollout (docs/rollout-format.md §2.7).
            let id = spec.id.clone();
            self.tick(5_000, 60_000);
            self.event(|_, w| {
                w.obj()
                    .ks("type", "thread_name_updated")
                    .ks("thread_id", &id)
                    .ks("thread_name", name)
                    .end();
            });
        }
        if turn.rollback > 0 {
            self.tick(2_000, 30_000);
            let n = turn.rollback as i64;
            self.event(|_, w| {
                w.obj()
                    .ks("type", "thread_rolled_back")
                    .kn("num_turns", n)
                    .end();
            });
        }
    }

    /// `response_item` user message carrying the prompt (and image parts).
    fn prompt_item(&mut self, written: &str, images: &[Vec<&'static [u8]>]) {
        let markers = self.ver.at_least(100);
        self.item(|_, w| {
            w.obj()
                .ks("type", "message")
                .ks("role", "user")
                .karr("content");
            if !written.is_empty() {
                w.obj().ks("type", "input_text").ks("text", written).end();
            }
            for (i, img) in images.iter().enumerate() {
                if markers {
                    let open = format!("<image name=[Image #{}]>", i + 1);
                    w.obj().ks("type", "input_text").ks("text", &open).end();
                }
                w.obj().ks("type", "input_image").key("image_url");
                image_url(w, img);
                w.end();
                if markers {
                    w.obj()
                        .ks("type", "input_text")
                        .ks("text", "</image>")
                        .end();
                }
            }
            w.end().end();
        });
    }

    fn turn_context(&mut self, turn_id: Option<&str>, cwd: &str) {
        let spec = self.spec;
        let v = self.ver;
        let paginated = self.paginated;
        let approval = self.approval();
        let sandbox = self.sandbox_mode();
        self.line("turn_context", |r, w| {
            w.obj();
            if v.at_least(70) || paginated {
                w.ks_opt("turn_id", turn_id);
            }
            w.ks("cwd", cwd);
            if v.at_least(110) {
                w.ks("current_date", &time::date(r.clock))
                    .ks("timezone", "Europe/Berlin");
            }
            w.ks("approval_policy", approval);
            w.kobj("sandbox_policy").ks("type", sandbox);
            if sandbox == "workspace-write" {
                w.karr("writable_roots").str(cwd).end();
                w.kb("network_access", false)
                    .kb("exclude_tmpdir_env_var", false)
                    .kb("exclude_slash_tmp", false);
            }
            w.end();
            w.ks("model", &spec.model);
            if v.at_least(90) {
                w.ks("personality", "pragmatic");
            }
            if paginated {
                w.kobj("collaboration_mode").ks("mode", "default");
                w.kobj("settings")
                    .ks("model", &spec.model)
                    .ks("reasoning_effort", "high")
                    .knull("developer_instructions")
                    .end()
                    .end();
                w.karr("workspace_roots").str(cwd).end();
            }
            w.ks("effort", "high").ks("summary", "auto");
            if v.at_least(60) && !paginated {
                w.kobj("truncation_policy")
                    .ks("mode", "tokens")
                    .kn("limit", 10_000)
                    .end();
            }
            w.end();
        });
    }

    fn world_state(&mut self, full: bool) {
        let spec = self.spec;
        let cwd = self.cwd.clone();
        self.line("world_state", |r, w| {
            w.obj().kb("full", full).kobj("state");
            if full {
                w.ks("cwd", &cwd).ks("shell", "zsh");
            }
            w.ks("current_date", &time::date(r.clock));
            if full {
                w.ks("timezone", "Europe/Berlin");
                if let Some(g) = &spec.git {
                    w.kobj("git");
                    w.ks_opt("branch", g.branch.as_deref())
                        .ks_opt("commit_hash", g.commit.as_deref());
                    w.end();
                }
            }
            w.end().end();
        });
    }

    fn reasoning(&mut self, bytes: usize, mirror_event: bool) {
        let title = self.slots.fill(self.rng.pick(text::REASONING_TITLES));
        // Jitter ±50 % so a turn's reasoning items differ in size.
        let len = if bytes == 0 {
            self.rng.range_usize(400, 900)
        } else {
            (bytes * self.rng.range_usize(50, 150) / 100).max(16)
        };
        self.item(|r, w| {
            w.obj().ks("type", "reasoning");
            w.karr("summary")
                .obj()
                .ks("type", "summary_text")
                .ks("text", &title)
                .end()
                .end();
            w.knull("content").key("encrypted_content");
            r.encrypted(w, len);
            w.end();
        });
        if mirror_event {
            self.event(|_, w| {
                w.obj()
                    .ks("type", "agent_reasoning")
                    .ks("text", &title)
                    .end();
            });
        }
    }

    /// An assistant message (+ its event mirror: `agent_message` in legacy mode, `item_completed`
    /// `AgentMessage` in paginated mode).
    fn agent_message(&mut self, text: &str, phase: &str, turn_id: Option<&str>) {
        let v = self.ver;
        let paginated = self.paginated;
        let item = |_: &mut Self, w: &mut Jw<'_>| {
            w.obj().ks("type", "message").ks("role", "assistant");
            w.karr("content")
                .obj()
                .ks("type", "output_text")
                .ks("text", text)
                .end()
                .end();
            if v.at_least(90) || paginated {
                w.ks("phase", phase);
            }
            w.end();
        };
        if paginated {
            self.item(item);
            self.item_completed(
                turn_id,
                "AgentMessage",
                |w| {
                    w.karr("content")
                        .obj()
                        .ks("type", "Text")
                        .ks("text", text)
                        .end()
                        .end();
                },
                |_, _| {},
            );
        } else {
            // Legacy mode writes the event a millisecond before the item (real 0.104 files).
            self.event(|_, w| {
                w.obj()
                    .ks("type", "agent_message")
                    .ks("message", text)
                    .end();
            });
            self.item(item);
        }
    }

    /// Split the turn's tool-output budget into calls of 1–20 KB (or the requested count).
    fn plan_calls(&mut self, turn: &Turn) -> Vec<Call> {
        let mut calls = Vec::new();
        let total = turn.tool_output_bytes;
        let n = if turn.tool_calls > 0 {
            turn.tool_calls
        } else {
            total.div_ceil(8 * 1024)
        };
        if n > 0 {
            // Random weights keep individual outputs uneven like real ones (0.2×–1.8× the
            // turn's mean, i.e. ~1–20 KB for the generator's budgets).
            let weights: Vec<usize> = (0..n).map(|_| self.rng.range_usize(3, 30)).collect();
            let sum: usize = weights.iter().sum();
            for w in weights {
                calls.push(Call {
                    bytes: (total * w / sum).max(16),
                });
            }
        }
        if turn.big_tool_output > 0 {
            let at = self.rng.below_usize(calls.len() + 1);
            calls.insert(
                at,
                Call {
                    bytes: turn.big_tool_output,
                },
            );
        }
        calls
    }

    fn tool_call(&mut self, call: &Call, turn_id: Option<&str>, no_output: bool) {
        let v = self.ver;
        let call_id = self.call_id();
        let paginated = self.paginated;
        // apply_patch as a freeform custom tool (0.50+), otherwise a shell command.
        if v.at_least(50) && call.bytes < 64 * 1024 && self.rng.chance(180) {
            let file = self.slots.file;
            let patch = self.pools.text(PoolKind::Diff, &mut self.rng, call.bytes);
            self.item(|_, w| {
                w.obj()
                    .ks("type", "custom_tool_call")
                    .ks("status", "completed")
                    .ks("call_id", &call_id)
                    .ks("name", "apply_patch");
                w.key("input").str_parts(&[
                    b"*** Begin Patch\n*** Update File: ",
                    file.as_bytes(),
                    b"\n@@\n",
                    patch,
                    b"\n*** End Patch\n",
                ]);
                w.end();
            });
            if no_output {
                return;
            }
            self.tick(50, 900);
            let out = format!(
                "{{\"output\":\"Success. Updated the following files:\\nM {file}\\n\",\"metadata\":{{\"exit_code\":0,\"duration_seconds\":0.0}}}}"
            );
            self.item(|_, w| {
                w.obj()
                    .ks("type", "custom_tool_call_output")
                    .ks("call_id", &call_id)
                    .ks("output", &out)
                    .end();
            });
            if paginated {
                self.item_completed(
                    turn_id,
                    "FileChange",
                    |w| {
                        w.karr("changes")
                            .obj()
                            .ks("path", file)
                            .ks("kind", "update")
                            .end()
                            .end();
                        w.ks("status", "completed");
                    },
                    |_, _| {},
                );
            } else if v.at_least(48) {
                self.event(|_, w| {
                    w.obj()
                        .ks("type", "patch_apply_end")
                        .ks("call_id", &call_id)
                        .ks_opt("turn_id", turn_id)
                        .ks("stdout", "Success. Updated the following files:\n")
                        .ks("stderr", "")
                        .kb("success", true)
                        .end();
                });
            }
            return;
        }
        let (cmd, kind) = text::pick_command(&self.slots, &mut self.rng);
        let cwd = self.cwd.clone();
        let exec_command = v.at_least(90) || paginated;
        let mut args = Vec::new();
        {
            let mut a = Jw::new(&mut args);
            if exec_command {
                a.obj()
                    .ks("cmd", &cmd)
                    .ks("workdir", &cwd)
                    .kn("yield_time_ms", 10_000)
                    .end();
            } else {
                a.obj()
                    .karr("command")
                    .str("bash")
                    .str("-lc")
                    .str(&cmd)
                    .end();
                a.ks("workdir", &cwd).kn("timeout_ms", 120_000).end();
            }
        }
        let args = String::from_utf8(args).expect("utf-8");
        self.item(|_, w| {
            w.obj()
                .ks("type", "function_call")
                .ks(
                    "name",
                    if exec_command {
                        "exec_command"
                    } else {
                        "shell"
                    },
                )
                .ks("arguments", &args)
                .ks("call_id", &call_id)
                .end();
        });
        if no_output {
            return;
        }
        let dur = self.rng.range(20, 30_000) as i64;
        self.clock += dur;
        let exit = if self.rng.chance(150) { 1 } else { 0 };
        let body = self.tool_text(kind, call.bytes);
        self.item(|r, w| {
            w.obj()
                .ks("type", "function_call_output")
                .ks("call_id", &call_id)
                .key("output");
            if exec_command {
                let head = format!(
                    "Chunk ID: {:06x}\nWall time: {}.{:03} seconds\nProcess exited with code {exit}\nOriginal token count: {}\nOutput:\n",
                    r.rng.below(1 << 24),
                    dur / 1000,
                    dur % 1000,
                    body.iter().map(|p| p.len()).sum::<usize>() / 4
                );
                let mut parts: Vec<&[u8]> = vec![head.as_bytes()];
                parts.extend(body.iter().copied());
                w.str_parts(&parts);
            } else if v.at_least(50) {
                let head = format!(
                    "Exit code: {exit}\nWall time: {}.{} seconds\nOutput:\n",
                    dur / 1000,
                    dur % 1000 / 100
                );
                let mut parts: Vec<&[u8]> = vec![head.as_bytes()];
                parts.extend(body.iter().copied());
                w.str_parts(&parts);
            } else {
                // ≤ 0.49: the output string is itself a JSON document.
                w.str(&shell_output_json(&body, exit, dur));
            }
            w.end();
        });
        if paginated {
            self.item_completed(
                turn_id,
                "CommandExecution",
                |w| {
                    w.ks("command", &cmd)
                        .ks("cwd", &cwd)
                        .ks("status", "completed")
                        .kn("exit_code", exit)
                        .kn("duration_ms", dur);
                },
                |_, _| {},
            );
        }
    }

    /// Tool output text of ~`bytes` bytes; huge outputs are stitched from several pool slices.
    fn tool_text(&mut self, kind: PoolKind, bytes: usize) -> Vec<&'static [u8]> {
        let pools = self.pools;
        let mut parts = Vec::new();
        let mut left = bytes;
        while left > 0 {
            let chunk = left.min(96 * 1024);
            let slice = pools.text(kind, &mut self.rng, chunk);
            left = left.saturating_sub(slice.len().max(1));
            parts.push(slice);
        }
        parts
    }

    fn token_count(&mut self, empty: bool) {
        let v = self.ver;
        if !empty {
            let t = &mut self.tok;
            let last_in = 9_000 + t.context + self.rng.range(200, 4_000);
            let last_cached = last_in * self.rng.range(60, 95) / 100;
            let last_out = self.rng.range(40, 2_500);
            let last_reason = last_out * self.rng.range(20, 80) / 100;
            t.context = (t.context + last_out + self.rng.range(500, 6_000)).min(200_000);
            t.input += last_in;
            t.cached += last_cached;
            t.output += last_out;
            t.reasoning += last_reason;
            t.total = t.input + t.output;
            t.primary = (t.primary + self.rng.range(0, 6)).min(1000);
            t.secondary = (t.secondary + self.rng.below(2)).min(1000);
            let (li, lc, lo, lr) = (last_in, last_cached, last_out, last_reason);
            self.event(|r, w| {
                w.obj().ks("type", "token_count").kobj("info");
                let t = &r.tok;
                usage(
                    w,
                    "total_token_usage",
                    t.input,
                    t.cached,
                    t.output,
                    t.reasoning,
                );
                usage(w, "last_token_usage", li, lc, lo, lr);
                w.kn("model_context_window", 258_400).end();
                rate_limits(w, v, &r.tok, r.clock);
                w.end();
            });
        } else {
            self.event(|r, w| {
                w.obj().ks("type", "token_count").knull("info");
                rate_limits(w, v, &r.tok, r.clock);
                w.end();
            });
        }
    }

    fn token_usage_record(&mut self, turn_id: Option<&str>) {
        let id = self.spec.id.clone();
        let resp = format!("resp_{:016x}{:016x}", self.rng.u64(), self.rng.u64());
        let model = self.spec.model.clone();
        self.line("token_usage_record", |r, w| {
            w.obj().ks("session_id", &id).ks("thread_id", &id);
            w.ks_opt("turn_id", turn_id).ks_opt("root_turn_id", turn_id);
            w.ks("response_id", &resp);
            let t = &r.tok;
            usage(
                w,
                "usage",
                t.input / 8,
                t.cached / 8,
                t.output / 8,
                t.reasoning / 8,
            );
            usage(
                w,
                "turn_token_usage",
                t.input / 4,
                t.cached / 4,
                t.output / 4,
                t.reasoning / 4,
            );
            usage(
                w,
                "thread_token_usage",
                t.input,
                t.cached,
                t.output,
                t.reasoning,
            );
            w.ks("model", &model).ks("model_provider", "openai").end();
        });
    }

    fn security_risk_score(&mut self) {
        let a = self.rng.below(40);
        let b = self.rng.below(10);
        self.line("security_risk_score", |r, w| {
            w.obj().kobj("scores");
            w.kraw("prompt_injection", &format!("0.0{a:02}"))
                .kraw("data_exfiltration", &format!("0.00{b}"))
                .end();
            w.ks("sampled_at", &time::rfc3339_ms(r.clock)).end();
        });
    }

    /// `compacted` with a `replacement_history` that repeats earlier prompts (docs/rollout-format.md §2.6), then the
    /// `context_compacted` event (legacy mode only).
    fn compaction(&mut self) {
        let prompts = self.written_prompts.clone();
        let modern = self.ver.at_least(60) || self.paginated;
        let enc_len = self.rng.range_usize(2_000, 6_000);
        self.tick(1_000, 10_000);
        self.line("compacted", |r, w| {
            w.obj();
            if modern {
                w.ks("message", "").karr("replacement_history");
                for p in &prompts {
                    w.obj().ks("type", "message").ks("role", "user").karr("content");
                    w.obj().ks("type", "input_text").ks("text", p).end();
                    w.end().end();
                }
                w.obj()
                    .ks("type", "compaction")
                    .key("encrypted_content");
                r.encrypted(w, enc_len);
                w.end().end();
            } else {
                w.ks(
                    "message",
                    "Summary of the conversation so far: the user asked for a fix; tests were run; a patch was applied.",
                );
            }
            w.end();
        });
        if !self.paginated {
            self.event(|_, w| {
                w.obj().ks("type", "context_compacted").end();
            });
        }
    }

    // -----------------------------------------------------------------------------------------
    // Pre-0.32 bare formats
    // -----------------------------------------------------------------------------------------

    fn bare_session(&mut self) {
        let spec = self.spec;
        let flat_no_time = self.fmt == Format::BareFlatNoTime;
        // docs/rollout-format.md §3: `record_type` state lines from 0.8.0; reasoning items and header `git` from 0.10.
        let state_lines = !flat_no_time && self.ver.at_least(8);
        let reasoning = !flat_no_time && self.ver.at_least(10);
        let created = time::rfc3339_ms(spec.created_ms);
        self.bare(|_, w| {
            w.obj()
                .ks("id", &spec.id)
                .ks("timestamp", &created)
                .knull("instructions");
            if reasoning && let Some(g) = &spec.git {
                git_object(w, g);
            }
            w.end();
        });
        if state_lines {
            self.bare(|_, w| {
                w.obj().ks("record_type", "state").end();
            });
        }
        // The first Rust builds injected no context (docs/rollout-format.md §3); 0.8–0.31 sent AGENTS.md and the
        // environment as user messages.
        let injected = spec.injected && !flat_no_time;
        if injected {
            if spec.agents_md_bytes > 0 {
                let a = self.agents_md_text();
                self.bare_user(&a, &[]);
            }
            let env = self.env_context_text(&spec.cwd.clone());
            self.bare_user(&env, &[]);
        }
        for (i, turn) in spec.turns.iter().enumerate() {
            if i > 0 {
                self.tick(15_000, 600_000);
            }
            self.clock += turn.resume_after_ms as i64;
            let turn_cwd = turn.cwd.clone().unwrap_or_else(|| spec.cwd.clone());
            if injected && turn_cwd != self.cwd {
                let env = self.env_context_text(&turn_cwd);
                self.bare_user(&env, &[]);
            }
            self.cwd = turn_cwd;
            let written = spec.written_prompt(turn);
            let images: Vec<Vec<&'static [u8]>> = (0..turn.images)
                .map(|_| {
                    let n = if turn.image_bytes == 0 {
                        1500
                    } else {
                        turn.image_bytes
                    };
                    self.pools.b64(&mut self.rng, n)
                })
                .collect();
            self.bare_user(&written, &images);
            self.prompt_ms.push(self.clock);
            let calls = self.plan_calls(turn);
            let reasoning_each = (turn.reasoning_bytes / (calls.len() + 1)).max(300);
            for (k, call) in calls.iter().enumerate() {
                self.tick(800, 9_000);
                if reasoning {
                    self.bare_reasoning(reasoning_each);
                }
                let call_id = self.call_id();
                let (cmd, kind) = text::pick_command(&self.slots, &mut self.rng);
                let args = format!(
                    "{{\"command\":[\"bash\",\"-lc\",{}],\"workdir\":{}}}",
                    crate::json::quote(&cmd),
                    crate::json::quote(&self.cwd)
                );
                self.bare(|_, w| {
                    w.obj()
                        .ks("type", "function_call")
                        .ks("name", "shell")
                        .ks("arguments", &args)
                        .ks("call_id", &call_id)
                        .end();
                });
                if turn.end == TurnEnd::Open && k + 1 == calls.len() {
                    return;
                }
                let dur = self.rng.range(20, 20_000) as i64;
                self.clock += dur;
                let body = self.tool_text(kind, call.bytes);
                let out = shell_output_json(&body, 0, dur);
                self.bare(|_, w| {
                    w.obj()
                        .ks("type", "function_call_output")
                        .ks("call_id", &call_id)
                        .ks("output", &out)
                        .end();
                });
            }
            if turn.end == TurnEnd::Aborted || turn.end == TurnEnd::Open {
                continue;
            }
            if reasoning {
                self.bare_reasoning(reasoning_each);
            }
            let reply = turn.agent_reply.clone();
            self.bare(|_, w| {
                w.obj().ks("type", "message").ks("role", "assistant");
                w.karr("content")
                    .obj()
                    .ks("type", "output_text")
                    .ks("text", &reply)
                    .end()
                    .end();
                w.end();
            });
            if state_lines {
                self.bare(|_, w| {
                    w.obj().ks("record_type", "state").end();
                });
            }
        }
    }

    fn bare_user(&mut self, text: &str, images: &[Vec<&'static [u8]>]) {
        self.bare(|_, w| {
            w.obj()
                .ks("type", "message")
                .ks("role", "user")
                .karr("content");
            if !text.is_empty() {
                w.obj().ks("type", "input_text").ks("text", text).end();
            }
            for img in images {
                w.obj().ks("type", "input_image").key("image_url");
                image_url(w, img);
                w.end();
            }
            w.end().end();
        });
    }

    fn bare_reasoning(&mut self, len: usize) {
        self.bare(|r, w| {
            w.obj()
                .ks("type", "reasoning")
                .kempty("summary")
                .key("encrypted_content");
            r.encrypted(w, len);
            w.end();
        });
    }
}

fn image_url(w: &mut Jw<'_>, b64: &[&[u8]]) {
    let mut parts: Vec<&[u8]> = Vec::with_capacity(b64.len() + 1);
    parts.push(b"data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAA");
    parts.extend_from_slice(b64);
    w.str_parts(&parts);
}

/// The pre-0.50 shell output: a JSON document inside the `output` string.
fn shell_output_json(body: &[&[u8]], exit: i64, dur_ms: i64) -> String {
    let mut v = Vec::with_capacity(body.iter().map(|p| p.len()).sum::<usize>() + 96);
    {
        let mut w = Jw::new(&mut v);
        w.obj().key("output").str_parts(body);
        w.kobj("metadata")
            .kn("exit_code", exit)
            .kraw(
                "duration_seconds",
                &format!("{}.{}", dur_ms / 1000, dur_ms % 1000 / 100),
            )
            .end()
            .end();
    }
    String::from_utf8(v).expect("pools are ASCII")
}

fn usage(w: &mut Jw<'_>, key: &str, input: u64, cached: u64, output: u64, reasoning: u64) {
    w.kobj(key)
        .kn("input_tokens", input as i64)
        .kn("cached_input_tokens", cached as i64)
        .kn("output_tokens", output as i64)
        .kn("reasoning_output_tokens", reasoning as i64)
        .kn("total_tokens", (input + output) as i64)
        .end();
}

fn rate_limits(w: &mut Jw<'_>, v: Ver, t: &Tokens, clock: i64) {
    let pct = |tenths: u64| format!("{}.{}", tenths / 10, tenths % 10);
    w.kobj("rate_limits");
    if v.at_least(60) {
        w.ks("limit_id", "codex").knull("limit_name");
    }
    for (key, used, window) in [
        ("primary", t.primary, 300i64),
        ("secondary", t.secondary, 10_080),
    ] {
        w.kobj(key)
            .kraw("used_percent", &pct(used))
            .kn("window_minutes", window);
        if v.at_least(60) {
            w.kn("resets_at", clock / 1000 + window * 60 / 2);
        } else {
            w.kn("resets_in_seconds", window * 60 / 2);
        }
        w.end();
    }
    if v.at_least(60) {
        w.knull("credits").ks("plan_type", "plus");
    }
    w.end();
}

/// The `git` object of a `session_meta` payload.
fn git_object(w: &mut Jw<'_>, g: &crate::spec::Git) {
    w.kobj("git");
    w.ks_opt("commit_hash", g.commit.as_deref())
        .ks_opt("branch", g.branch.as_deref())
        .ks_opt("repository_url", g.origin.as_deref());
    w.end();
}
