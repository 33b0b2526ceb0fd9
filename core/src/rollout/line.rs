//! Per-line decoding: a cheap look at a line's prefix decides whether it can matter, and only
//! lines that can are handed to serde.
//!
//! Most bytes of a rollout are reasoning blobs, tool output, base instructions and token
//! counters that say nothing about routing. Codex writes every envelope line as
//! `{"timestamp":"…",["ordinal":N,]"type":"<kind>","payload":{"type":"<sub>",…` (serde field
//! order), so the kind and sub-kind sit in the first ~120 bytes. When a line has exactly that
//! shape and an irrelevant kind, we skip it without parsing. Any line that does not have the
//! shape (older formats, other writers) is parsed in full: the fast path may only *skip* when
//! it is sure, never decide what a line means.

use memchr::memmem;

/// What the prefix tells us.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Quick {
    /// Certainly irrelevant: do not parse.
    Skip,
    /// Parse it.
    Parse,
    /// A canonical `token_count` event: only its running total matters, which
    /// `token_total` extracts without a full parse.
    TokenCount,
}

/// Event kinds whose payload we read; everything else under `event_msg` is skipped.
const EVENTS_WE_READ: &[&[u8]] = &[
    b"user_message",
    b"agent_message",
    b"task_started",
    b"turn_started",
    b"task_complete",
    b"turn_complete",
    b"turn_aborted",
    b"token_count",
    b"thread_name_updated",
    b"thread_rolled_back",
    b"item_completed",
];

/// Decide from a line's prefix (the whole line, or the first bytes of a long one).
pub fn classify(prefix: &[u8]) -> Quick {
    let Some(rest) = prefix.strip_prefix(b"{\"timestamp\":\"") else {
        return Quick::Parse;
    };
    // Timestamps never contain quotes or escapes.
    let Some(end) = memchr::memchr(b'"', rest) else {
        return Quick::Parse;
    };
    let mut rest = &rest[end + 1..];
    if let Some(r) = rest.strip_prefix(b",\"ordinal\":") {
        let digits = r.iter().take_while(|c| c.is_ascii_digit()).count();
        rest = &r[digits..];
    }
    let Some(rest) = rest.strip_prefix(b",\"type\":\"") else {
        return Quick::Parse;
    };
    let Some(end) = memchr::memchr(b'"', rest) else {
        return Quick::Parse;
    };
    let kind = &rest[..end];
    let after_kind = &rest[end + 1..];
    match kind {
        b"session_meta" | b"turn_context" => Quick::Parse,
        b"response_item" => {
            let Some(sub) = payload_type(after_kind) else {
                return Quick::Parse;
            };
            // Tool calls name the files a session worked on (what it read, ran and changed).
            if matches!(
                sub,
                b"function_call" | b"custom_tool_call" | b"local_shell_call"
            ) {
                return Quick::Parse;
            }
            if sub != b"message" {
                return Quick::Skip;
            }
            // `"type":"message","role":"…"`: only user messages can be prompts.
            let after = &after_kind[after_kind.len().min(sub_end(after_kind))..];
            match after.strip_prefix(b",\"role\":\"") {
                Some(r) if r.starts_with(b"user\"") => {
                    // Injected context (AGENTS.md, environment) is most of these bytes; a message
                    // whose first text part is context is context (docs/rollout-format.md §2.7's any-part rule).
                    const FIRST_TEXT: &[u8] =
                        b"user\",\"content\":[{\"type\":\"input_text\",\"text\":\"";
                    match r.strip_prefix(FIRST_TEXT) {
                        Some(text) if starts_with_context_marker(text) => Quick::Skip,
                        _ => Quick::Parse,
                    }
                }
                Some(_) => Quick::Skip,
                None => Quick::Parse,
            }
        }
        b"event_msg" => {
            let Some(sub) = payload_type(after_kind) else {
                return Quick::Parse;
            };
            if !EVENTS_WE_READ.contains(&sub) {
                return Quick::Skip;
            }
            if sub == b"token_count" {
                return Quick::TokenCount;
            }
            if sub == b"item_completed" {
                // Only UserMessage and AgentMessage items matter; their tag is the first field
                // of `item`.
                if let Some(i) = memmem::find(after_kind, b"\"item\":{\"type\":\"") {
                    let tag = &after_kind[i + 16..];
                    return if tag.starts_with(b"UserMessage\"")
                        || tag.starts_with(b"AgentMessage\"")
                    {
                        Quick::Parse
                    } else {
                        Quick::Skip
                    };
                }
            }
            Quick::Parse
        }
        // compacted (replacement_history repeats old prompts), world_state, reasoning streams,
        // token_usage_record, security_risk_score, unknown future kinds: nothing for us.
        _ => Quick::Skip,
    }
}

fn starts_with_context_marker(json_text: &[u8]) -> bool {
    // Markers are plain ASCII, so the JSON-escaped text starts with them verbatim.
    let head = &json_text[..json_text.len().min(64)];
    std::str::from_utf8(head)
        .or_else(|e| std::str::from_utf8(&head[..e.valid_up_to()]))
        .is_ok_and(super::context::is_contextual)
}

/// What a `token_count` line says, read without a full parse.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TokenTotal {
    /// `info.total_token_usage.total_tokens`.
    Total(u64),
    /// `info: null`: no usage yet.
    NoUsage,
    /// Not the expected shape: parse the line instead.
    Unknown,
}

/// The running total of a `token_count` line.
pub fn token_total(line: &[u8]) -> TokenTotal {
    match token_total_inner(line) {
        Some(Some(t)) => TokenTotal::Total(t),
        Some(None) => TokenTotal::NoUsage,
        None => TokenTotal::Unknown,
    }
}

fn token_total_inner(line: &[u8]) -> Option<Option<u64>> {
    const KEY: &[u8] = b"\"total_tokens\":";
    let Some(i) = memmem::find(line, b"\"total_token_usage\":{") else {
        return memmem::find(line, b"\"info\":null").map(|_| None);
    };
    let rest = &line[i..];
    let usage = &rest[..memchr::memchr(b'}', rest)?];
    let digits = &usage[memmem::find(usage, KEY)? + KEY.len()..];
    let n = digits.iter().take_while(|c| c.is_ascii_digit()).count();
    std::str::from_utf8(&digits[..n])
        .ok()?
        .parse()
        .ok()
        .map(Some)
}

/// `,"payload":{"type":"<sub>"` → `<sub>`.
fn payload_type(after_kind: &[u8]) -> Option<&[u8]> {
    let r = after_kind.strip_prefix(b",\"payload\":{\"type\":\"")?;
    let end = memchr::memchr(b'"', r)?;
    Some(&r[..end])
}

/// Offset just past the closing quote of the payload's `type` value.
fn sub_end(after_kind: &[u8]) -> usize {
    const LEAD: usize = ",\"payload\":{\"type\":\"".len();
    match memchr::memchr(b'"', &after_kind[LEAD.min(after_kind.len())..]) {
        Some(e) => LEAD + e + 1,
        None => after_kind.len(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn c(s: &str) -> Quick {
        classify(s.as_bytes())
    }

    #[test]
    fn skips_only_what_is_certainly_irrelevant() {
        let ts = r#"{"timestamp":"2026-02-23T11:40:29.275Z","#;
        assert_eq!(
            c(&format!(
                r#"{ts}"type":"response_item","payload":{{"type":"reasoning","summary":[]}}}}"#
            )),
            Quick::Skip
        );
        assert_eq!(
            c(&format!(
                r#"{ts}"type":"response_item","payload":{{"type":"message","role":"assistant","content":[]}}}}"#
            )),
            Quick::Skip
        );
        assert_eq!(
            c(&format!(
                r#"{ts}"type":"response_item","payload":{{"type":"message","role":"user","content":[]}}}}"#
            )),
            Quick::Parse
        );
        assert_eq!(
            c(&format!(
                r#"{ts}"type":"event_msg","payload":{{"type":"agent_reasoning","text":"x"}}}}"#
            )),
            Quick::Skip
        );
        assert_eq!(
            c(&format!(
                r#"{ts}"type":"event_msg","payload":{{"type":"user_message","message":"x"}}}}"#
            )),
            Quick::Parse
        );
        assert_eq!(
            c(&format!(
                r#"{ts}"ordinal":7,"type":"event_msg","payload":{{"type":"item_completed","thread_id":"t","turn_id":"u","item":{{"type":"UserMessage","id":"i"}}}}}}"#
            )),
            Quick::Parse
        );
        assert_eq!(
            c(&format!(
                r#"{ts}"ordinal":8,"type":"event_msg","payload":{{"type":"item_completed","thread_id":"t","turn_id":"u","item":{{"type":"Reasoning","id":"i"}}}}}}"#
            )),
            Quick::Skip
        );
        assert_eq!(
            c(&format!(
                r#"{ts}"type":"compacted","payload":{{"message":""}}}}"#
            )),
            Quick::Skip
        );
        assert_eq!(
            c(&format!(
                r#"{ts}"type":"session_meta","payload":{{"id":"x"}}}}"#
            )),
            Quick::Parse
        );
        // Shapes we do not recognise are parsed, never skipped.
        assert_eq!(
            c(r#"{"type":"message","role":"user","content":[]}"#),
            Quick::Parse
        );
        assert_eq!(
            c(r#"{"payload":{"type":"user_message"},"type":"event_msg","timestamp":"x"}"#),
            Quick::Parse
        );
        assert_eq!(
            c(
                r#"{"timestamp":"x","type":"response_item","payload":{"role":"user","type":"message"}}"#
            ),
            Quick::Parse
        );
        assert_eq!(c(""), Quick::Parse);
        assert_eq!(
            c(&format!(
                r#"{ts}"type":"response_item","payload":{{"type":"message","role":"user","content":[{{"type":"input_text","text":"<environment_context>\n<cwd>/x</cwd>"}}]}}}}"#
            )),
            Quick::Skip
        );
        assert_eq!(
            c(&format!(
                r#"{ts}"type":"event_msg","payload":{{"type":"token_count","info":null}}}}"#
            )),
            Quick::TokenCount
        );
    }

    #[test]
    fn token_totals_without_parsing() {
        let l = br#"{"timestamp":"x","type":"event_msg","payload":{"type":"token_count","info":{"total_token_usage":{"input_tokens":9,"total_tokens":10136},"last_token_usage":{"total_tokens":5}}}}"#;
        assert_eq!(token_total(l), TokenTotal::Total(10136));
        assert_eq!(
            token_total(br#"{"payload":{"type":"token_count","info":null}}"#),
            TokenTotal::NoUsage
        );
        assert_eq!(token_total(br#"{"payload":{"type":"token_count","info":{"total_token_usage":{"total_tokens":"x"}}}}"#), TokenTotal::Unknown);
    }
}
