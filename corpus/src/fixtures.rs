//! Small, explicit writers for single session files and for each pitfall of
//! docs/rollout-format.md §7. End-to-end tests build a [`SessionSpec`], write it in a [`Format`] and
//! [`Placement`], then compare what the daemon reports with [`expected`].

use std::fs::{self, File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use serde::{Deserialize, Serialize};

use crate::render::{self, HistoryBase, RenderOpts};
use crate::rng::Rng;
use crate::time;
use crate::uuid;

pub use crate::spec::{Format, Git, Placement, SessionSpec, Source, Turn, TurnEnd, TurnState};

/// The prefix IDE clients put before the user's words (docs/rollout-format.md §2.7).
pub const IDE_REQUEST_MARKER: &str = "## My request for Codex:";

/// Ground truth for one session (one thread), as a correct reader should report it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Expected {
    /// Thread id (`codex resume <id>`).
    pub id: String,
    /// The summary to show: first real prompt, IDE prefix stripped, trimmed; `[Image]` for an
    /// image-only prompt; `None` when the session has no prompt.
    pub first_prompt: Option<String>,
    /// All real prompts in order, cleaned the same way. Excludes injected context, `kind`≠plain
    /// events, `compacted.replacement_history` copies, and turns undone by `thread_rolled_back`.
    pub prompts: Vec<String>,
    /// Latest `turn_context.cwd` (else `session_meta.cwd`; bare files: `<cwd>` of the latest
    /// `<environment_context>`, `None` when there is none).
    pub cwd: Option<String>,
    /// From the last lifecycle event; `None` for bare formats and sessions without turns.
    pub turn_state: TurnState,
    /// Lives under `archived_sessions/`.
    pub archived: bool,
    /// Name from `session_index.jsonl` (last entry wins; empty clears).
    pub name: Option<String>,
    /// `session_meta.payload.timestamp`, unix ms.
    pub created_ms: i64,
    /// Latest `turn_context.model` (`None` when no turn_context was written).
    pub model: Option<String>,
    /// Source label (`cli`, `vscode`, `exec`, `subagent`), `None` when the field is absent.
    pub source: Option<String>,
    /// Shown by default (cli/vscode/absent source), not exec or sub-agent.
    pub interactive: bool,
    /// `session_meta.cli_version` (`None` for bare formats, which don't record it).
    pub cli_version: Option<String>,
    pub git_branch: Option<String>,
}

/// The user's words in a written prompt: everything after the last IDE marker, trimmed; an
/// empty prompt with images is `[Image]` (Codex's preview rule, docs/rollout-format.md §2.7).
pub fn clean_prompt(written: &str, images: usize) -> Option<String> {
    let text = match written.rfind(IDE_REQUEST_MARKER) {
        Some(i) => written[i + IDE_REQUEST_MARKER.len()..].trim(),
        None => written.trim(),
    };
    if !text.is_empty() {
        Some(text.to_string())
    } else if images > 0 {
        Some("[Image]".to_string())
    } else {
        None
    }
}

/// Ground truth for `spec` written as `format` in `placement`.
pub fn expected(spec: &SessionSpec, format: Format, placement: Placement) -> Expected {
    let lifecycle = format.has_lifecycle();
    let mut prompts: Vec<String> = Vec::new();
    for t in &spec.turns {
        if let Some(p) = clean_prompt(&spec.written_prompt(t), t.images) {
            // An image-only turn followed by words is one request: the words, image marked
            // (what Codex 0.20–0.47 write for `exec -i`; docs/codex-releases.md).
            match prompts.last_mut() {
                Some(last) if last == "[Image]" && p != "[Image]" => *last = format!("[Image] {p}"),
                _ => prompts.push(p),
            }
        }
        // The renderer writes `thread_rolled_back` only after a turn that reached its end.
        if lifecycle && t.rollback > 0 && t.end != TurnEnd::Open {
            let keep = prompts.len().saturating_sub(t.rollback);
            prompts.truncate(keep);
        }
    }
    let last_cwd = spec
        .turns
        .last()
        .and_then(|t| t.cwd.clone())
        .unwrap_or_else(|| spec.cwd.clone());
    let ver = crate::spec::Ver::parse(&spec.cli_version);
    let has_turn_context = crate::spec::writes_turn_context(format, ver);
    let cwd = match format {
        Format::BareFlatNoTime => None,
        Format::Bare => spec.injected.then_some(last_cwd),
        _ if has_turn_context => Some(last_cwd),
        _ => Some(spec.cwd.clone()),
    };
    let has_prompt = !prompts.is_empty();
    Expected {
        id: spec.id.clone(),
        first_prompt: prompts.first().cloned(),
        prompts,
        cwd,
        turn_state: match spec.turns.last() {
            Some(t) if lifecycle => t.end.into(),
            // No lifecycle events: the reader infers the state from the messages (a prompt
            // opens a turn, the answer ends it; docs/codex-releases.md).
            Some(t) if has_prompt => match t.end {
                TurnEnd::Complete => TurnState::Completed,
                _ => TurnState::InProgress,
            },
            _ => TurnState::None,
        },
        archived: placement == Placement::Archived,
        name: spec.name.clone().filter(|n| !n.is_empty()),
        created_ms: spec.created_ms,
        model: (has_turn_context && !spec.turns.is_empty()).then(|| spec.model.clone()),
        source: if lifecycle {
            spec.source.label().map(str::to_string)
        } else {
            None
        },
        interactive: !lifecycle || spec.source.interactive(),
        cli_version: lifecycle.then(|| spec.cli_version.clone()),
        // Bare headers carry `git` only from 0.10 (docs/rollout-format.md §3).
        git_branch: if lifecycle || (format == Format::Bare && ver.at_least(10)) {
            spec.git.as_ref().and_then(|g| g.branch.clone())
        } else {
            None
        },
    }
}

/// `rollout-YYYY-MM-DDThh-mm-ss-<id>[_<rollout_id>].jsonl[.zst]` (docs/rollout-format.md §1.2), or the first builds'
/// `rollout-YYYY-MM-DD-<id>.jsonl` for [`Format::BareFlatNoTime`] (docs/rollout-format.md §1.5).
pub fn file_name(spec: &SessionSpec, format: Format, compressed: bool) -> String {
    let mut name = if format == Format::BareFlatNoTime {
        format!("rollout-{}-{}", time::date(spec.created_ms), spec.id)
    } else {
        format!("rollout-{}-{}", time::file_stamp(spec.created_ms), spec.id)
    };
    if let Some(r) = &spec.rollout_id {
        name.push('_');
        name.push_str(r);
    }
    name.push_str(".jsonl");
    if compressed {
        name.push_str(".zst");
    }
    name
}

/// Directory of a session file under `codex_home`. [`Format::BareFlatNoTime`] predates date dirs
/// and is always flat in `sessions/` unless archived.
pub fn session_dir(
    codex_home: &Path,
    spec: &SessionSpec,
    format: Format,
    placement: Placement,
) -> PathBuf {
    match placement {
        Placement::Archived => codex_home.join("archived_sessions"),
        _ if format == Format::BareFlatNoTime => codex_home.join("sessions"),
        Placement::LegacyFlat => codex_home.join("sessions"),
        Placement::Dated => {
            let [y, m, d] = time::date_dirs(spec.created_ms);
            codex_home.join("sessions").join(y).join(m).join(d)
        }
    }
}

pub fn session_path(
    codex_home: &Path,
    spec: &SessionSpec,
    format: Format,
    placement: Placement,
    compressed: bool,
) -> PathBuf {
    session_dir(codex_home, spec, format, placement).join(file_name(spec, format, compressed))
}

/// The rollout bytes for `spec` (uncompressed), without touching the disk.
pub fn render_session(spec: &SessionSpec, format: Format) -> Vec<u8> {
    render::render(spec, format, &RenderOpts::default()).bytes
}

/// What [`write_session_full`] wrote.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Written {
    pub path: PathBuf,
    /// Size on disk (compressed size for `.zst`).
    pub bytes: u64,
    /// Uncompressed size.
    pub raw_bytes: u64,
    /// The file's mtime = time of its last line, unix ms.
    pub updated_ms: i64,
    /// Total tokens of the last `token_count` (None if the file has none).
    pub tokens_total: Option<u64>,
    /// When each turn's prompt line was written, unix ms.
    pub prompt_ms: Vec<i64>,
}

/// Write one session; returns its path. `spec.name`, if set, is appended to
/// `session_index.jsonl`.
pub fn write_session(
    codex_home: &Path,
    spec: &SessionSpec,
    format: Format,
    placement: Placement,
    compressed: bool,
) -> io::Result<PathBuf> {
    Ok(write_session_full(codex_home, spec, format, placement, compressed)?.path)
}

/// [`write_session`] with sizes, mtime and token total.
pub fn write_session_full(
    codex_home: &Path,
    spec: &SessionSpec,
    format: Format,
    placement: Placement,
    compressed: bool,
) -> io::Result<Written> {
    let written = write_rendered(
        codex_home,
        spec,
        format,
        placement,
        compressed,
        &RenderOpts::default(),
    )?;
    if let Some(name) = &spec.name {
        append_session_index(codex_home, &spec.id, name, written.updated_ms)?;
    }
    Ok(written)
}

pub(crate) fn write_rendered(
    codex_home: &Path,
    spec: &SessionSpec,
    format: Format,
    placement: Placement,
    compressed: bool,
    opts: &RenderOpts<'_>,
) -> io::Result<Written> {
    let r = render::render(spec, format, opts);
    let path = session_path(codex_home, spec, format, placement, compressed);
    let bytes = write_file(&path, &r.bytes, compressed, r.last_ms)?;
    Ok(Written {
        path,
        bytes,
        raw_bytes: r.bytes.len() as u64,
        updated_ms: r.last_ms,
        tokens_total: (r.tokens_total > 0).then_some(r.tokens_total),
        prompt_ms: r.prompt_ms,
    })
}

/// Write `bytes` (zstd level 3 when `compressed`, like Codex's compressor, docs/rollout-format.md §1.2), creating parent
/// directories, and set the mtime. Returns the size on disk.
pub fn write_file(path: &Path, bytes: &[u8], compressed: bool, mtime_ms: i64) -> io::Result<u64> {
    if let Some(dir) = path.parent() {
        fs::create_dir_all(dir)?;
    }
    let mut f = File::create(path)?;
    let size = if compressed {
        let z = zstd::bulk::compress(bytes, 3)?;
        f.write_all(&z)?;
        z.len()
    } else {
        f.write_all(bytes)?;
        bytes.len()
    };
    set_mtime(&f, mtime_ms)?;
    Ok(size as u64)
}

fn set_mtime(f: &File, ms: i64) -> io::Result<()> {
    f.set_modified(SystemTime::UNIX_EPOCH + Duration::from_millis(ms.max(0) as u64))
}

/// One `session_index.jsonl` line: `{"id":…,"thread_name":…,"updated_at":…}` (docs/rollout-format.md §1.3).
pub fn session_index_line(id: &str, name: &str, updated_ms: i64) -> String {
    format!(
        "{{\"id\":{},\"thread_name\":{},\"updated_at\":{}}}\n",
        crate::json::quote(id),
        crate::json::quote(name),
        crate::json::quote(&time::rfc3339_ms(updated_ms))
    )
}

/// Append a name to `$CODEX_HOME/session_index.jsonl` (last entry per id wins; "" clears).
pub fn append_session_index(
    codex_home: &Path,
    id: &str,
    name: &str,
    updated_ms: i64,
) -> io::Result<()> {
    fs::create_dir_all(codex_home)?;
    let mut f = OpenOptions::new()
        .create(true)
        .append(true)
        .open(codex_home.join("session_index.jsonl"))?;
    f.write_all(session_index_line(id, name, updated_ms).as_bytes())
}

// ---------------------------------------------------------------------------------------------
// Pitfall writers (docs/rollout-format.md §7)
// ---------------------------------------------------------------------------------------------

/// Insert `extra` (complete lines) after the first `after_lines` lines of `bytes`.
fn splice(bytes: &[u8], after_lines: usize, extra: &[u8]) -> Vec<u8> {
    let mut pos = 0;
    for _ in 0..after_lines {
        match bytes[pos..].iter().position(|&b| b == b'\n') {
            Some(p) => pos += p + 1,
            None => {
                pos = bytes.len();
                break;
            }
        }
    }
    let mut out = Vec::with_capacity(bytes.len() + extra.len());
    out.extend_from_slice(&bytes[..pos]);
    out.extend_from_slice(extra);
    out.extend_from_slice(&bytes[pos..]);
    out
}

fn line_count(bytes: &[u8]) -> usize {
    bytes.iter().filter(|&&b| b == b'\n').count()
}

/// Pitfall 2: the session, then half a line without its `\n` (a write in progress or a crash).
/// The expected result is the session's own: the partial line must be ignored until completed.
pub fn write_truncated(
    codex_home: &Path,
    spec: &SessionSpec,
    format: Format,
    placement: Placement,
) -> io::Result<PathBuf> {
    let r = render::render(spec, format, &RenderOpts::default());
    let mut bytes = r.bytes;
    if format.has_lifecycle() {
        let ts = time::rfc3339_ms(r.last_ms + 180);
        bytes.extend_from_slice(
            format!("{{\"timestamp\":\"{ts}\",\"type\":\"event_msg\",\"payload\":{{\"type\":\"token_count\",\"info\":{{\"total_token_usage\":{{\"input_tokens\":12").as_bytes(),
        );
    } else {
        bytes.extend_from_slice(
            b"{\"type\":\"message\",\"role\":\"assistant\",\"content\":[{\"type\":\"output_te",
        );
    }
    let path = session_path(codex_home, spec, format, placement, false);
    write_file(&path, &bytes, false, r.last_ms + 180)?;
    Ok(path)
}

/// Pitfall 6 (legacy fork): the child's own `session_meta` first, then the parent's whole history
/// (its `session_meta` with the parent id included), then the child's turns. Codex keeps the
/// first `session_meta`; the copied prompts are part of the fork's history, so the expected
/// prompts are the parent's followed by the child's. Envelope format only.
pub fn write_legacy_fork(
    codex_home: &Path,
    parent: &SessionSpec,
    child: &SessionSpec,
    placement: Placement,
) -> io::Result<(PathBuf, Expected)> {
    let parent_bytes = render::render(parent, Format::Envelope, &RenderOpts::default()).bytes;
    let opts = RenderOpts {
        fork_prefix: Some(&parent_bytes),
        skip_injected: true,
        ..RenderOpts::default()
    };
    let w = write_rendered(codex_home, child, Format::Envelope, placement, false, &opts)?;
    Ok((w.path, expected_fork(parent, child, placement)))
}

pub(crate) fn expected_fork(
    parent: &SessionSpec,
    child: &SessionSpec,
    placement: Placement,
) -> Expected {
    let p = expected(parent, Format::Envelope, placement);
    let mut e = expected(child, Format::Envelope, placement);
    let mut prompts = p.prompts;
    prompts.extend(e.prompts);
    e.first_prompt = prompts.first().cloned();
    e.prompts = prompts;
    if child.turns.is_empty() {
        e.turn_state = p.turn_state;
        e.cwd = p.cwd;
        e.model = p.model;
    }
    e
}

/// Pitfall 6 (reverted thread, docs/rollout-format.md §1.2): the original `rollout-<ts>-<thread>.jsonl` with all of
/// `spec.turns`, and `rollout-<ts2>-<thread>_<rollout>.jsonl` whose paginated `session_meta`
/// carries `history_base` = the first `keep_turns` turns of the original, followed by
/// `new_turns`. Returns both paths (original first; the revert is the current file) and the
/// thread's expected state: the kept prompts, then the new ones.
pub fn write_reverted_thread(
    codex_home: &Path,
    spec: &SessionSpec,
    keep_turns: usize,
    new_turns: Vec<Turn>,
    placement: Placement,
) -> io::Result<(Vec<PathBuf>, Expected)> {
    let orig = render::render(spec, Format::Paginated, &RenderOpts::default());
    let orig_path = session_path(codex_home, spec, Format::Paginated, placement, false);
    write_file(&orig_path, &orig.bytes, false, orig.last_ms)?;
    let keep = keep_turns.min(spec.turns.len());
    let (end_ordinal, end_byte) = if keep == 0 {
        (
            1,
            orig.bytes
                .iter()
                .position(|&b| b == b'\n')
                .map_or(0, |p| p + 1),
        )
    } else {
        orig.turn_marks[keep - 1]
    };
    let revert_ms = orig.last_ms + 3_600_000;
    let mut rev = spec.clone();
    rev.rollout_id = Some(uuid::uuid_v7(revert_ms, crate::rng::hash_str(&spec.id)));
    rev.created_ms = revert_ms;
    rev.turns = new_turns;
    rev.name = None;
    let opts = RenderOpts {
        start_ordinal: end_ordinal,
        history_base: Some(HistoryBase {
            thread_id: spec.id.clone(),
            end_ordinal_exclusive: end_ordinal,
            end_byte_offset: end_byte as u64,
        }),
        skip_injected: true,
        ..RenderOpts::default()
    };
    let w = write_rendered(codex_home, &rev, Format::Paginated, placement, false, &opts)?;
    let mut kept = spec.clone();
    kept.turns.truncate(keep);
    let base = expected(&kept, Format::Paginated, placement);
    let mut e = expected(&rev, Format::Paginated, placement);
    let mut prompts = base.prompts;
    prompts.extend(e.prompts);
    e.first_prompt = prompts.first().cloned();
    e.prompts = prompts;
    e.created_ms = spec.created_ms;
    e.name = spec.name.clone().filter(|n| !n.is_empty());
    if rev.turns.is_empty() {
        e.turn_state = base.turn_state;
        e.cwd = base.cwd;
        e.model = base.model;
    }
    Ok((vec![orig_path, w.path], e))
}

/// Pitfall 1/8: lines a lenient reader must skip — unknown top-level types
/// (`token_usage_record`, `security_risk_score`, `world_state`, `retained_context`,
/// `something_new`), unknown `event_msg`/`response_item` payload types, unknown fields on known
/// events, and a numeric `timestamp` (Codex rejects those lines). All lines stay valid JSON;
/// the expected result is the session's own.
pub fn write_with_unknown_lines(
    codex_home: &Path,
    spec: &SessionSpec,
    placement: Placement,
) -> io::Result<PathBuf> {
    let r = render::render(spec, Format::Envelope, &RenderOpts::default());
    let ts = time::rfc3339_ms(spec.created_ms + 2_600);
    let id = &spec.id;
    let extra = format!(
        concat!(
            "{{\"timestamp\":\"{ts}\",\"type\":\"token_usage_record\",\"payload\":{{\"session_id\":\"{id}\",\"thread_id\":\"{id}\",\"turn_id\":null,\"root_turn_id\":null,\"response_id\":\"resp_0a1b2c\",\"usage\":{{\"input_tokens\":1200,\"cached_input_tokens\":0,\"output_tokens\":80,\"reasoning_output_tokens\":12,\"total_tokens\":1280}},\"turn_token_usage\":{{\"total_tokens\":1280}},\"thread_token_usage\":{{\"total_tokens\":1280}},\"model\":\"gpt-5.5\",\"model_provider\":\"openai\"}}}}\n",
            "{{\"timestamp\":\"{ts}\",\"type\":\"security_risk_score\",\"payload\":{{\"scores\":{{\"prompt_injection\":0.013,\"data_exfiltration\":0.001}},\"sampled_at\":\"{ts}\"}}}}\n",
            "{{\"timestamp\":\"{ts}\",\"type\":\"world_state\",\"payload\":{{\"full\":true,\"state\":{{\"cwd\":\"/somewhere/else\",\"shell\":\"zsh\"}}}}}}\n",
            "{{\"timestamp\":\"{ts}\",\"type\":\"retained_context\",\"payload\":{{\"items\":[]}}}}\n",
            "{{\"timestamp\":\"{ts}\",\"type\":\"something_new\",\"payload\":{{\"type\":\"whatever\",\"x\":[1,2,3]}}}}\n",
            "{{\"timestamp\":\"{ts}\",\"type\":\"event_msg\",\"payload\":{{\"type\":\"something_new\",\"message\":\"not a prompt\"}}}}\n",
            "{{\"timestamp\":\"{ts}\",\"type\":\"response_item\",\"payload\":{{\"type\":\"something_new\",\"role\":\"user\",\"content\":[{{\"type\":\"input_text\",\"text\":\"not a prompt either\"}}]}}}}\n",
            "{{\"timestamp\":\"{ts}\",\"type\":\"event_msg\",\"payload\":{{\"type\":\"token_count\",\"info\":null,\"rate_limits\":null,\"future_field\":{{\"nested\":[true,1.5e-7]}}}}}}\n",
            "{{\"timestamp\":1787104138386,\"type\":\"event_msg\",\"payload\":{{\"type\":\"token_count\",\"info\":null}}}}\n",
            "{{\"timestamp\":\"{ts}\",\"type\":\"event_msg\",\"payload\":{{\"type\":\"sub_agent_activity\",\"agent\":\"Darwin\",\"status\":\"running\"}}}}\n",
        ),
        ts = ts,
        id = id
    );
    // Before the first turn and again before the last line.
    let bytes = splice(&r.bytes, 1, extra.as_bytes());
    let n = line_count(&bytes);
    let bytes = splice(&bytes, n.saturating_sub(1), extra.as_bytes());
    let path = session_path(codex_home, spec, Format::Envelope, placement, false);
    write_file(&path, &bytes, false, r.last_ms)?;
    Ok(path)
}

/// Pitfall 14: a tool-output line containing raw invalid UTF-8 bytes (0xFF 0xFE, a lone
/// continuation byte, a truncated 3-byte sequence) inside an otherwise well-formed JSON string.
/// Prompts stay valid; the expected result is the session's own.
pub fn write_invalid_utf8(
    codex_home: &Path,
    spec: &SessionSpec,
    placement: Placement,
) -> io::Result<PathBuf> {
    let r = render::render(spec, Format::Envelope, &RenderOpts::default());
    let ts = time::rfc3339_ms(spec.created_ms + 2_700);
    let mut line = format!(
        "{{\"timestamp\":\"{ts}\",\"type\":\"response_item\",\"payload\":{{\"type\":\"function_call_output\",\"call_id\":\"call_badbytes\",\"output\":\"ls: cannot access 'caf"
    )
    .into_bytes();
    line.extend_from_slice(b"\xff\xfe\x80 \xe2\x82");
    line.extend_from_slice(b".txt': No such file or directory\"}}\n");
    let n = line_count(&r.bytes);
    let bytes = splice(&r.bytes, n.saturating_sub(2), &line);
    let path = session_path(codex_home, spec, Format::Envelope, placement, false);
    write_file(&path, &bytes, false, r.last_ms)?;
    Ok(path)
}

/// Pitfall 2 after a crash: complete-but-broken lines in the middle of a file (an interrupted
/// write followed by later appends), blank lines, non-object JSON and plain text.
pub fn write_broken_lines(
    codex_home: &Path,
    spec: &SessionSpec,
    placement: Placement,
) -> io::Result<PathBuf> {
    let r = render::render(spec, Format::Envelope, &RenderOpts::default());
    let ts = time::rfc3339_ms(spec.created_ms + 2_800);
    let extra = format!(
        "\n   \n{{\"timestamp\":\"{ts}\",\"type\":\"event_msg\",\"payload\":{{\"type\":\"token_co\nnot json at all\n[1,2,3]\n\"just a string\"\n{{}}\n"
    );
    let n = line_count(&r.bytes);
    let bytes = splice(&r.bytes, n / 2, extra.as_bytes());
    let path = session_path(codex_home, spec, Format::Envelope, placement, false);
    write_file(&path, &bytes, false, r.last_ms)?;
    Ok(path)
}

/// A file with a valid rollout name and random bytes as content.
pub fn write_random_bytes(
    codex_home: &Path,
    created_ms: i64,
    seed: u64,
    len: usize,
) -> io::Result<PathBuf> {
    let mut rng = Rng::new(seed);
    let mut bytes = vec![0u8; len];
    rng.fill_bytes(&mut bytes);
    let spec = SessionSpec {
        id: uuid::uuid_v7(created_ms, seed),
        created_ms,
        ..SessionSpec::default()
    };
    let path = session_path(codex_home, &spec, Format::Envelope, Placement::Dated, false);
    write_file(&path, &bytes, false, created_ms + 1000)?;
    Ok(path)
}

/// Pitfall 13: temp/hidden files next to a real session, each holding valid rollout content so
/// a naive reader would index them twice: `.rollout-….jsonl.paginated.tmp`,
/// `rollout-….jsonl.compress.<pid>.<n>.tmp`, `….decompress.<pid>.<n>.tmp`,
/// `.rollout-….paginated.zst.tmp`, `.rollout-….jsonl.decompressed.tmp`, a TypeScript-era
/// `rollout-YYYY-MM-DD-<uuid>.json`, plus `$CODEX_HOME/.tmp/rollout-compression.lock`.
/// Returns the paths that must be ignored.
pub fn write_temp_files(codex_home: &Path, spec: &SessionSpec) -> io::Result<Vec<PathBuf>> {
    let r = render::render(spec, Format::Envelope, &RenderOpts::default());
    let dir = session_dir(codex_home, spec, Format::Envelope, Placement::Dated);
    let name = file_name(spec, Format::Envelope, false);
    let mut paths = vec![
        dir.join(format!(".{name}.paginated.tmp")),
        dir.join(format!("{name}.compress.123.1.tmp")),
        dir.join(format!("{name}.decompress.4242.7.tmp")),
        dir.join(format!(".{name}.paginated.zst.tmp")),
        dir.join(format!(".{name}.decompressed.tmp")),
    ];
    for p in &paths {
        write_file(p, &r.bytes, false, r.last_ms)?;
    }
    let ts_era = codex_home.join("sessions").join(format!(
        "rollout-2025-04-20-{}.json",
        uuid::uuid_v4(crate::rng::hash_str(&spec.id))
    ));
    write_file(
        &ts_era,
        b"{\n  \"session\": {\n    \"timestamp\": \"2025-04-20T10:00:00.000Z\",\n    \"id\": \"ts-era\",\n    \"instructions\": \"\"\n  },\n  \"items\": []\n}\n",
        false,
        spec.created_ms,
    )?;
    paths.push(ts_era);
    let lock = codex_home.join(".tmp").join("rollout-compression.lock");
    write_file(&lock, b"", false, spec.created_ms)?;
    paths.push(lock);
    Ok(paths)
}

/// A directory named like a rollout file (with a file inside); must be ignored.
pub fn write_rollout_named_dir(codex_home: &Path, spec: &SessionSpec) -> io::Result<PathBuf> {
    let dir = session_path(codex_home, spec, Format::Envelope, Placement::Dated, false);
    fs::create_dir_all(&dir)?;
    write_file(
        &dir.join("inner.jsonl"),
        &render_session(spec, Format::Envelope),
        false,
        spec.created_ms,
    )?;
    Ok(dir)
}

/// A valid rollout under a name whose id is not a UUID (`rollout-<ts>-not-a-uuid.jsonl`); Codex's
/// listing skips it, and so should a reader.
pub fn write_non_uuid_name(codex_home: &Path, spec: &SessionSpec) -> io::Result<PathBuf> {
    let dir = session_dir(codex_home, spec, Format::Envelope, Placement::Dated);
    let path = dir.join(format!(
        "rollout-{}-not-a-uuid.jsonl",
        time::file_stamp(spec.created_ms)
    ));
    let r = render::render(spec, Format::Envelope, &RenderOpts::default());
    write_file(&path, &r.bytes, false, r.last_ms)?;
    Ok(path)
}

/// Pitfall 4: `x.jsonl.zst` (an older, shorter state of the thread) next to `x.jsonl` (the
/// current one, with all turns). The plain file wins. Returns `[zst, plain]`.
pub fn write_plain_and_compressed(
    codex_home: &Path,
    spec: &SessionSpec,
    placement: Placement,
) -> io::Result<Vec<PathBuf>> {
    let mut older = spec.clone();
    older
        .turns
        .truncate(spec.turns.len().saturating_sub(1).max(1));
    let z = write_rendered(
        codex_home,
        &older,
        Format::Envelope,
        placement,
        true,
        &RenderOpts::default(),
    )?;
    let p = write_rendered(
        codex_home,
        spec,
        Format::Envelope,
        placement,
        false,
        &RenderOpts::default(),
    )?;
    Ok(vec![z.path, p.path])
}

/// The pitfalls [`write_pitfall`] knows how to produce.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Pitfall {
    /// Last line without `\n`.
    TruncatedLastLine,
    /// Only a `session_meta` line.
    MetaOnly,
    /// `session_meta` + injected context, no prompt (pre-0.99 opened-and-closed session).
    ContextOnly,
    /// Legacy fork: several `session_meta` lines, parent history copied.
    MultipleSessionMeta,
    /// `compacted.replacement_history` repeating earlier prompts.
    CompactedHistory,
    /// A prompt that is only an image (`[Image]`), and one with text + 2 images.
    ImageOnlyPrompt,
    /// Real prompts starting with `<` (pasted HTML / XML).
    AngleBracketPrompt,
    /// `## My request for Codex:` IDE wrapper.
    IdePrefix,
    /// Multi-MB single lines: a base64 `input_image` and a `function_call_output`.
    HugeLines,
    /// Unknown line types / payload types / fields, numeric timestamp.
    UnknownTypes,
    /// Last turn ends with `turn_aborted` (and an earlier aborted turn + `<turn_aborted>` note).
    TurnAborted,
    /// Last turn's `task_complete` carries `error` (paginated 2026 shape).
    TaskCompleteError,
    /// Last turn has `task_started` but no terminal event.
    OpenLastTurn,
    /// `thread_rolled_back` undoing the last turn.
    RolledBack,
    /// Raw invalid UTF-8 inside a line.
    InvalidUtf8,
    /// Blank lines, a half-written line followed by more lines, non-object JSON, plain text.
    BrokenLines,
    /// Rollout-named file full of random bytes.
    RandomBytes,
    /// Temp / hidden / TS-era files next to a real session.
    TempAndHiddenFiles,
    /// A directory named like a rollout.
    DirectoryNamedLikeRollout,
    /// Valid content under a non-UUID name.
    NonUuidName,
    /// Two files for one thread (`<thread>_<rollout>` revert name).
    RevertedThread,
    /// `x.jsonl` and `x.jsonl.zst` side by side.
    PlainAndCompressedSiblings,
    /// Later turn in another directory: cwd comes from the latest `turn_context`.
    CwdChange,
    /// Resumed 20 days later: appended in the old date dir; mtime ≫ name time.
    ResumedDaysLater,
    /// A `codex exec` session and a sub-agent thread (non-interactive).
    NonInteractive,
    /// One session in every [`Format`], plus a 0.5 Bare file in the pre-0.8 flat layout.
    EveryFormat,
    /// Archived and zstd-compressed.
    ArchivedCompressed,
}

impl Pitfall {
    pub const ALL: [Pitfall; 27] = [
        Pitfall::TruncatedLastLine,
        Pitfall::MetaOnly,
        Pitfall::ContextOnly,
        Pitfall::MultipleSessionMeta,
        Pitfall::CompactedHistory,
        Pitfall::ImageOnlyPrompt,
        Pitfall::AngleBracketPrompt,
        Pitfall::IdePrefix,
        Pitfall::HugeLines,
        Pitfall::UnknownTypes,
        Pitfall::TurnAborted,
        Pitfall::TaskCompleteError,
        Pitfall::OpenLastTurn,
        Pitfall::RolledBack,
        Pitfall::InvalidUtf8,
        Pitfall::BrokenLines,
        Pitfall::RandomBytes,
        Pitfall::TempAndHiddenFiles,
        Pitfall::DirectoryNamedLikeRollout,
        Pitfall::NonUuidName,
        Pitfall::RevertedThread,
        Pitfall::PlainAndCompressedSiblings,
        Pitfall::CwdChange,
        Pitfall::ResumedDaysLater,
        Pitfall::NonInteractive,
        Pitfall::EveryFormat,
        Pitfall::ArchivedCompressed,
    ];
}

/// One session produced by a pitfall writer.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PitfallSession {
    /// The thread's files, current file last.
    pub files: Vec<PathBuf>,
    pub format: Format,
    pub expected: Expected,
}

/// What [`write_pitfall`] wrote.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PitfallFiles {
    pub pitfall: Pitfall,
    /// Sessions a reader must report, with ground truth.
    pub sessions: Vec<PitfallSession>,
    /// Paths a reader must not index at all (temp/hidden files, directories, non-UUID names).
    pub ignored: Vec<PathBuf>,
    /// Rollout-named files with undecodable content: a reader must survive them; whether it
    /// lists them (with the id from the name) is its choice.
    pub garbage: Vec<PathBuf>,
    /// Some `\n`-terminated lines of the session files are deliberately not valid JSON/UTF-8.
    /// (A trailing partial line, as in [`Pitfall::TruncatedLastLine`], doesn't count.)
    pub broken_lines: bool,
}

/// Write one pitfall into `codex_home`. `seed` varies ids and times so several homes (or several
/// calls with different seeds into one home) don't collide.
pub fn write_pitfall(codex_home: &Path, pitfall: Pitfall, seed: u64) -> io::Result<PitfallFiles> {
    let idx = Pitfall::ALL.iter().position(|&p| p == pitfall).unwrap_or(0) as u64;
    let s = seed.wrapping_mul(64).wrapping_add(idx + 1);
    let base =
        |format: Format, k: u64| SessionSpec::example(format, s.wrapping_mul(8).wrapping_add(k));
    let mut out = PitfallFiles {
        pitfall,
        sessions: Vec::new(),
        ignored: Vec::new(),
        garbage: Vec::new(),
        broken_lines: false,
    };
    let session = |out: &mut PitfallFiles,
                   spec: &SessionSpec,
                   format: Format,
                   placement: Placement,
                   compressed: bool|
     -> io::Result<()> {
        let w = write_session_full(codex_home, spec, format, placement, compressed)?;
        out.sessions.push(PitfallSession {
            files: vec![w.path],
            format,
            expected: expected(spec, format, placement),
        });
        Ok(())
    };
    let one = |out: &mut PitfallFiles, spec: &SessionSpec, format: Format, path: PathBuf| {
        out.sessions.push(PitfallSession {
            files: vec![path],
            format,
            expected: expected(spec, format, Placement::Dated),
        });
    };
    match pitfall {
        Pitfall::TruncatedLastLine => {
            for (k, f) in [Format::Envelope, Format::Paginated, Format::Bare]
                .into_iter()
                .enumerate()
            {
                let spec = base(f, k as u64);
                let p = write_truncated(codex_home, &spec, f, Placement::Dated)?;
                one(&mut out, &spec, f, p);
            }
        }
        Pitfall::MetaOnly | Pitfall::ContextOnly => {
            let mut spec = base(Format::Envelope, 0);
            spec.cli_version = "0.63.0".into();
            spec.turns.clear();
            spec.injected = pitfall == Pitfall::ContextOnly;
            session(&mut out, &spec, Format::Envelope, Placement::Dated, false)?;
        }
        Pitfall::MultipleSessionMeta => {
            let parent = base(Format::Envelope, 0);
            let mut child = base(Format::Envelope, 1);
            child.created_ms = parent.created_ms + 86_400_000;
            child.id = uuid::uuid_v7(child.created_ms, s);
            child.forked_from_id = Some(parent.id.clone());
            child.turns = vec![Turn::new("now try the same fix on the release branch")];
            session(&mut out, &parent, Format::Envelope, Placement::Dated, false)?;
            let (p, e) = write_legacy_fork(codex_home, &parent, &child, Placement::Dated)?;
            out.sessions.push(PitfallSession {
                files: vec![p],
                format: Format::Envelope,
                expected: e,
            });
        }
        Pitfall::CompactedHistory => {
            for (k, f) in [Format::Envelope, Format::Paginated]
                .into_iter()
                .enumerate()
            {
                let mut spec = base(f, k as u64);
                spec.turns.push(Turn {
                    compact_before: true,
                    ..Turn::new("continue with the remaining call sites")
                });
                spec.turns.push(Turn::new("and update the docs"));
                session(&mut out, &spec, f, Placement::Dated, false)?;
            }
        }
        Pitfall::ImageOnlyPrompt => {
            for (k, f) in [Format::Envelope, Format::Paginated, Format::Bare]
                .into_iter()
                .enumerate()
            {
                let mut spec = base(f, k as u64);
                spec.turns.insert(
                    0,
                    Turn {
                        prompt: String::new(),
                        images: 1,
                        ..Turn::default()
                    },
                );
                spec.turns.push(Turn {
                    images: 2,
                    ..Turn::new("compare these two screenshots")
                });
                session(&mut out, &spec, f, Placement::Dated, false)?;
            }
        }
        Pitfall::AngleBracketPrompt => {
            let mut spec = base(Format::Envelope, 0);
            spec.turns = vec![
                Turn::new(
                    "<div class=\"card\"><img src=\"logo.png\"></div> renders the logo twice in Safari, why?",
                ),
                Turn::new(
                    "<?xml version=\"1.0\"?><feed/> from the partner fails to parse, sample attached",
                ),
            ];
            session(&mut out, &spec, Format::Envelope, Placement::Dated, false)?;
        }
        Pitfall::IdePrefix => {
            for (k, f) in [Format::Envelope, Format::EnvelopeKind, Format::Paginated]
                .into_iter()
                .enumerate()
            {
                let mut spec = base(f, k as u64);
                spec.ide_prefix = true;
                spec.source = if f == Format::EnvelopeKind {
                    Source::Missing
                } else {
                    Source::Vscode
                };
                spec.originator = "codex_vscode".into();
                session(&mut out, &spec, f, Placement::Dated, false)?;
            }
        }
        Pitfall::HugeLines => {
            let mut spec = base(Format::Envelope, 0);
            spec.turns[0].images = 1;
            spec.turns[0].image_bytes = 3 * 1024 * 1024;
            spec.turns[1].big_tool_output = 4 * 1024 * 1024;
            session(&mut out, &spec, Format::Envelope, Placement::Dated, false)?;
        }
        Pitfall::UnknownTypes => {
            let spec = base(Format::Envelope, 0);
            let p = write_with_unknown_lines(codex_home, &spec, Placement::Dated)?;
            one(&mut out, &spec, Format::Envelope, p);
            // Paginated 0.152 files carry token_usage_record / security_risk_score naturally.
            session(
                &mut out,
                &base(Format::Paginated, 1),
                Format::Paginated,
                Placement::Dated,
                false,
            )?;
        }
        Pitfall::TurnAborted => {
            let mut spec = base(Format::Envelope, 0);
            spec.turns[0].end = TurnEnd::Aborted;
            spec.turns
                .push(Turn::new("stop, that's the wrong file").ending(TurnEnd::Aborted));
            session(&mut out, &spec, Format::Envelope, Placement::Dated, false)?;
        }
        Pitfall::TaskCompleteError => {
            let mut spec = base(Format::Paginated, 0);
            spec.turns.last_mut().expect("turns").end = TurnEnd::Errored;
            session(&mut out, &spec, Format::Paginated, Placement::Dated, false)?;
            let mut spec = base(Format::Envelope, 1);
            spec.cli_version = "0.144.0".into();
            spec.turns.last_mut().expect("turns").end = TurnEnd::Errored;
            session(&mut out, &spec, Format::Envelope, Placement::Dated, false)?;
        }
        Pitfall::OpenLastTurn => {
            for (k, f) in [Format::Envelope, Format::Paginated]
                .into_iter()
                .enumerate()
            {
                let mut spec = base(f, k as u64);
                spec.turns.last_mut().expect("turns").end = TurnEnd::Open;
                session(&mut out, &spec, f, Placement::Dated, false)?;
            }
        }
        Pitfall::RolledBack => {
            let mut spec = base(Format::Envelope, 0);
            spec.turns.push(Turn {
                rollback: 1,
                ..Turn::new("actually, rewrite it with a channel instead")
            });
            session(&mut out, &spec, Format::Envelope, Placement::Dated, false)?;
        }
        Pitfall::InvalidUtf8 => {
            let mut spec = base(Format::Envelope, 0);
            spec.turns[0].prompt = "le fichier « café.txt » est introuvable — pourquoi ? 🤔".into();
            let p = write_invalid_utf8(codex_home, &spec, Placement::Dated)?;
            one(&mut out, &spec, Format::Envelope, p);
            out.broken_lines = true;
        }
        Pitfall::BrokenLines => {
            let spec = base(Format::Envelope, 0);
            let p = write_broken_lines(codex_home, &spec, Placement::Dated)?;
            one(&mut out, &spec, Format::Envelope, p);
            out.broken_lines = true;
        }
        Pitfall::RandomBytes => {
            let spec = base(Format::Envelope, 0);
            out.garbage.push(write_random_bytes(
                codex_home,
                spec.created_ms,
                s,
                64 * 1024,
            )?);
        }
        Pitfall::TempAndHiddenFiles => {
            let spec = base(Format::Envelope, 0);
            session(&mut out, &spec, Format::Envelope, Placement::Dated, false)?;
            out.ignored = write_temp_files(codex_home, &spec)?;
        }
        Pitfall::DirectoryNamedLikeRollout => {
            let spec = base(Format::Envelope, 0);
            out.ignored
                .push(write_rollout_named_dir(codex_home, &spec)?);
        }
        Pitfall::NonUuidName => {
            let spec = base(Format::Envelope, 0);
            out.ignored.push(write_non_uuid_name(codex_home, &spec)?);
        }
        Pitfall::RevertedThread => {
            let mut spec = base(Format::Paginated, 0);
            spec.turns
                .push(Turn::new("add a benchmark for the hot path"));
            let new_turns = vec![Turn::new("instead of that, profile it with perf first")];
            let (files, e) =
                write_reverted_thread(codex_home, &spec, 2, new_turns, Placement::Dated)?;
            out.sessions.push(PitfallSession {
                files,
                format: Format::Paginated,
                expected: e,
            });
        }
        Pitfall::PlainAndCompressedSiblings => {
            let mut spec = base(Format::Envelope, 0);
            spec.turns.push(Turn::new("resume: where were we?"));
            let files = write_plain_and_compressed(codex_home, &spec, Placement::Dated)?;
            out.sessions.push(PitfallSession {
                files,
                format: Format::Envelope,
                expected: expected(&spec, Format::Envelope, Placement::Dated),
            });
        }
        Pitfall::CwdChange => {
            for (k, f) in [Format::Envelope, Format::Paginated, Format::Bare]
                .into_iter()
                .enumerate()
            {
                let mut spec = base(f, k as u64);
                spec.turns[1].cwd = Some(format!("{}/crates/core", spec.cwd));
                session(&mut out, &spec, f, Placement::Dated, false)?;
            }
        }
        Pitfall::ResumedDaysLater => {
            let mut spec = base(Format::Envelope, 0);
            spec.turns.push(Turn {
                resume_after_ms: 20 * 86_400_000,
                ..Turn::new("back to this: did the fix hold up in prod?")
            });
            session(&mut out, &spec, Format::Envelope, Placement::Dated, false)?;
        }
        Pitfall::NonInteractive => {
            let mut exec = base(Format::Paginated, 0);
            exec.source = Source::Exec;
            exec.originator = "codex_exec".into();
            exec.turns.truncate(1);
            session(&mut out, &exec, Format::Paginated, Placement::Dated, false)?;
            let mut sub = base(Format::Paginated, 1);
            sub.source = Source::Subagent;
            sub.parent_thread_id = Some(exec.id.clone());
            sub.turns = vec![Turn::new(
                "Explore the repository and list every caller of retry_with_backoff.",
            )];
            session(&mut out, &sub, Format::Paginated, Placement::Dated, false)?;
        }
        Pitfall::EveryFormat => {
            for (k, f) in Format::ALL.into_iter().enumerate() {
                session(&mut out, &base(f, k as u64), f, Placement::Dated, false)?;
            }
            // A 0.5 bare file from before date directories: flat, no state lines, no git.
            let mut flat = base(Format::Bare, 9);
            flat.cli_version = "0.5.0".into();
            flat.created_ms = time::parse_rfc3339("2025-06-28T10:15:00.000Z").expect("valid");
            session(&mut out, &flat, Format::Bare, Placement::LegacyFlat, false)?;
        }
        Pitfall::ArchivedCompressed => {
            let spec = base(Format::Envelope, 0);
            session(&mut out, &spec, Format::Envelope, Placement::Archived, true)?;
        }
    }
    Ok(out)
}
