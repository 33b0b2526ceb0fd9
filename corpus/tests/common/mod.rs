//! Test helpers: an independent, deliberately simple reference reader that derives what
//! `Expected` claims from the bytes on disk, so the generator's ground truth is checked against
//! what it actually wrote (not against its own spec).

#![allow(dead_code)]

use std::fs;
use std::path::{Path, PathBuf};

use codexd_corpus::fixtures::clean_prompt;
use codexd_corpus::{Expected, TurnState};
use serde_json::Value;

/// File content, decompressing `.zst`.
pub fn read_rollout(path: &Path) -> Vec<u8> {
    let raw = fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    if path.extension().is_some_and(|e| e == "zst") {
        zstd::decode_all(&raw[..]).expect("valid zstd")
    } else {
        raw
    }
}

/// The `\n`-terminated lines (a trailing partial line is excluded, as a tailing reader would).
pub fn complete_lines(bytes: &[u8]) -> Vec<&[u8]> {
    let end = bytes.iter().rposition(|&b| b == b'\n').map_or(0, |p| p + 1);
    bytes[..end]
        .split(|&b| b == b'\n')
        .take(bytes[..end].iter().filter(|&&b| b == b'\n').count())
        .collect()
}

const CONTEXT_MARKERS: &[&str] = &[
    "<environment_context>",
    "<user_instructions>",
    "# agents.md instructions for ",
    "<skill>",
    "<user_shell_command>",
    "<turn_aborted>",
    "<subagent_notification>",
    "<recommended_plugins>",
    "<permissions instructions>",
];

fn is_contextual(t: &str) -> bool {
    let t = t.trim_start().to_ascii_lowercase();
    CONTEXT_MARKERS.iter().any(|m| t.starts_with(m))
}

fn is_attachment_marker(t: &str) -> bool {
    let t = t.trim();
    (t.starts_with("<image") || t == "</image>") && t.ends_with('>') && t.len() < 512
}

#[derive(Debug, Default)]
pub struct Read {
    pub id: Option<String>,
    pub prompts: Vec<String>,
    pub item_prompts: Vec<String>,
    pub cwd_meta: Option<String>,
    pub cwd_turn: Option<String>,
    pub cwd_env: Option<String>,
    pub model: Option<String>,
    pub state: TurnState,
    /// A lifecycle event was seen; without any, a prompt opens a turn and an answer ends it.
    pub lifecycle: bool,
    pub source: Option<String>,
    pub cli_version: Option<String>,
    pub git_branch: Option<String>,
    pub meta_lines: usize,
    pub history_base: bool,
}

impl Read {
    pub fn real_prompts(&self) -> &[String] {
        if self.prompts.is_empty() {
            &self.item_prompts
        } else {
            &self.prompts
        }
    }
}

fn env_cwd(text: &str) -> Option<String> {
    let start = text.find("<cwd>")? + 5;
    let end = text[start..].find("</cwd>")? + start;
    Some(text[start..end].to_string())
}

/// Parse one rollout the way docs/rollout-format.md §6b describes.
pub fn read(bytes: &[u8]) -> Read {
    let mut r = Read::default();
    for line in complete_lines(bytes) {
        let Ok(v) = serde_json::from_slice::<Value>(line) else {
            continue;
        };
        let Some(obj) = v.as_object() else { continue };
        match (obj.get("type").and_then(Value::as_str), obj.get("payload")) {
            (Some(kind), Some(p)) => {
                if !obj.get("timestamp").is_some_and(Value::is_string) {
                    continue; // Codex rejects non-string timestamps.
                }
                envelope(&mut r, kind, p);
            }
            _ if obj.contains_key("record_type") => {}
            (None, None) if obj.contains_key("id") && obj.contains_key("timestamp") => {
                r.meta_lines += 1;
                if r.id.is_none() {
                    r.id = obj.get("id").and_then(Value::as_str).map(String::from);
                    r.git_branch = v
                        .pointer("/git/branch")
                        .and_then(Value::as_str)
                        .map(String::from);
                }
            }
            (Some("message"), None) => bare_message(&mut r, &v),
            _ => {}
        }
    }
    r
}

fn text_parts(content: &Value, text_type: &str) -> (Vec<String>, usize) {
    let mut texts = Vec::new();
    let mut images = 0;
    for part in content.as_array().into_iter().flatten() {
        match part.get("type").and_then(Value::as_str) {
            Some(t) if t == text_type => texts.push(
                part.get("text")
                    .and_then(Value::as_str)
                    .unwrap_or("")
                    .to_string(),
            ),
            Some("input_image" | "image") => images += 1,
            _ => {}
        }
    }
    (texts, images)
}

/// An image-only prompt followed by words is one prompt: the words, image marked.
fn push_prompt(list: &mut Vec<String>, p: String) {
    match list.last_mut() {
        Some(last) if last == "[Image]" && p != "[Image]" => *last = format!("[Image] {p}"),
        _ => list.push(p),
    }
}

fn answered(r: &mut Read) {
    if !r.lifecycle && r.state == TurnState::InProgress {
        r.state = TurnState::Completed;
    }
}

fn opened(r: &mut Read) {
    if !r.lifecycle {
        r.state = TurnState::InProgress;
    }
}

fn bare_message(r: &mut Read, v: &Value) {
    if v.get("role").and_then(Value::as_str) == Some("assistant") {
        let (texts, _) = text_parts(&v["content"], "output_text");
        if texts.iter().any(|t| !t.trim().is_empty()) {
            answered(r);
        }
        return;
    }
    if v.get("role").and_then(Value::as_str) != Some("user") {
        return;
    }
    let (texts, images) = text_parts(&v["content"], "input_text");
    if texts.iter().any(|t| is_contextual(t)) {
        if let Some(c) = texts.iter().find_map(|t| env_cwd(t)) {
            r.cwd_env = Some(c);
        }
        return;
    }
    let text: Vec<&str> = texts
        .iter()
        .map(String::as_str)
        .filter(|t| !is_attachment_marker(t))
        .collect();
    if let Some(p) = clean_prompt(&text.join("\n"), images) {
        push_prompt(&mut r.item_prompts, p);
        opened(r);
    }
}

fn envelope(r: &mut Read, kind: &str, p: &Value) {
    let s = |k: &str| p.get(k).and_then(Value::as_str).map(String::from);
    match kind {
        "session_meta" => {
            r.meta_lines += 1;
            if r.id.is_none() {
                r.id = s("id");
                r.cwd_meta = s("cwd");
                r.cli_version = s("cli_version");
                r.source = match p.get("source") {
                    Some(Value::String(x)) => Some(x.clone()),
                    Some(Value::Object(o)) if o.contains_key("subagent") => Some("subagent".into()),
                    _ => None,
                };
                r.git_branch = p
                    .pointer("/git/branch")
                    .and_then(Value::as_str)
                    .map(String::from);
                r.history_base = p.get("history_base").is_some();
            }
        }
        "turn_context" => {
            r.cwd_turn = s("cwd").or(r.cwd_turn.take());
            r.model = s("model").or(r.model.take());
        }
        "response_item" if p.get("type").and_then(Value::as_str) == Some("message") => {
            bare_message(r, p);
        }
        "event_msg" => match p.get("type").and_then(Value::as_str) {
            Some("user_message") => {
                let kind = p.get("kind").and_then(Value::as_str).unwrap_or("plain");
                if kind == "plain" {
                    let images = p
                        .get("images")
                        .and_then(Value::as_array)
                        .map_or(0, Vec::len);
                    if let Some(x) = clean_prompt(p["message"].as_str().unwrap_or(""), images) {
                        push_prompt(&mut r.prompts, x);
                        opened(r);
                    }
                }
            }
            Some("item_completed")
                if p.pointer("/item/type").and_then(Value::as_str) == Some("UserMessage") =>
            {
                let (texts, images) = text_parts(&p["item"]["content"], "text");
                if let Some(x) = clean_prompt(&texts.join("\n"), images) {
                    push_prompt(&mut r.prompts, x);
                    opened(r);
                }
            }
            Some("agent_message")
                if p["message"].as_str().is_some_and(|m| !m.trim().is_empty()) =>
            {
                answered(r)
            }
            Some("task_started") => {
                r.lifecycle = true;
                r.state = TurnState::InProgress
            }
            Some("task_complete") => {
                r.lifecycle = true;
                r.state = if p.get("error").is_some_and(|e| !e.is_null()) {
                    TurnState::Errored
                } else {
                    TurnState::Completed
                }
            }
            Some("turn_aborted") => {
                r.lifecycle = true;
                r.state = TurnState::Aborted
            }
            Some("thread_rolled_back") => {
                let n = p["num_turns"].as_u64().unwrap_or(0) as usize;
                let keep = r.prompts.len().saturating_sub(n);
                r.prompts.truncate(keep);
            }
            _ => {}
        },
        _ => {}
    }
}

/// Assert that reading `path` yields what `e` claims (single-file threads).
pub fn check_expected(path: &Path, e: &Expected) {
    let r = read(&read_rollout(path));
    let at = path.display();
    assert_eq!(r.id.as_deref(), Some(e.id.as_str()), "{at}: id");
    assert_eq!(r.real_prompts(), e.prompts.as_slice(), "{at}: prompts");
    assert_eq!(
        r.real_prompts().first(),
        e.first_prompt.as_ref(),
        "{at}: first prompt"
    );
    let cwd = r
        .cwd_turn
        .clone()
        .or(r.cwd_meta.clone())
        .or(r.cwd_env.clone());
    assert_eq!(cwd, e.cwd, "{at}: cwd");
    assert_eq!(r.state, e.turn_state, "{at}: turn state");
    assert_eq!(r.model, e.model, "{at}: model");
    assert_eq!(r.source, e.source, "{at}: source");
    assert_eq!(r.cli_version, e.cli_version, "{at}: cli_version");
    assert_eq!(r.git_branch, e.git_branch, "{at}: git branch");
    let in_archive = path
        .components()
        .any(|c| c.as_os_str() == "archived_sessions");
    assert_eq!(in_archive, e.archived, "{at}: archived");
}

/// Every file under `dir`, relative, sorted.
pub fn walk(dir: &Path) -> Vec<PathBuf> {
    fn go(base: &Path, dir: &Path, out: &mut Vec<PathBuf>) {
        for e in fs::read_dir(dir).unwrap() {
            let e = e.unwrap();
            let p = e.path();
            if e.file_type().unwrap().is_dir() {
                go(base, &p, out);
            } else {
                out.push(p.strip_prefix(base).unwrap().to_path_buf());
            }
        }
    }
    let mut out = Vec::new();
    go(dir, dir, &mut out);
    out.sort();
    out
}

pub fn mtime_ms(path: &Path) -> i64 {
    fs::metadata(path)
        .unwrap()
        .modified()
        .unwrap()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_millis() as i64
}

/// Is `name` a rollout file name by the grammar of docs/rollout-format.md §1.2/docs/rollout-format.md §1.5? Returns (thread id, rollout id).
pub fn parse_name(name: &str) -> Option<(String, Option<String>)> {
    let rest = name.strip_prefix("rollout-")?;
    let stem = rest
        .strip_suffix(".jsonl")
        .or_else(|| rest.strip_suffix(".jsonl.zst"))?;
    let is_uuid = |s: &str| {
        s.len() == 36
            && s.bytes().enumerate().all(|(i, c)| match i {
                8 | 13 | 18 | 23 => c == b'-',
                _ => c.is_ascii_hexdigit() && !c.is_ascii_uppercase(),
            })
    };
    let digits = |s: &str| s.bytes().all(|c| c.is_ascii_digit());
    // YYYY-MM-DDThh-mm-ss (19) or YYYY-MM-DD (10), then '-'.
    let time_len = if stem.len() > 20 && stem.as_bytes()[10] == b'T' {
        19
    } else {
        10
    };
    let t = stem.get(..time_len)?;
    let ok_time = digits(&t[0..4])
        && &t[4..5] == "-"
        && digits(&t[5..7])
        && &t[7..8] == "-"
        && digits(&t[8..10])
        && (time_len == 10
            || (&t[10..11] == "T"
                && digits(&t[11..13])
                && &t[13..14] == "-"
                && digits(&t[14..16])
                && &t[16..17] == "-"
                && digits(&t[17..19])));
    if !ok_time || stem.as_bytes().get(time_len) != Some(&b'-') {
        return None;
    }
    let ids = &stem[time_len + 1..];
    match ids.split_once('_') {
        Some((a, b)) if is_uuid(a) && is_uuid(b) => Some((a.into(), Some(b.into()))),
        None if is_uuid(ids) => Some((ids.into(), None)),
        _ => None,
    }
}
