//! Telling a real user prompt apart from the context Codex injects as `role:"user"` text.
//!
//! Codex marks a user message as "contextual" when a text part, trimmed, starts with one of a
//! known set of markers (docs/rollout-format.md §2.7, `contextual_user_message.rs`). We match the
//! start markers ASCII-case-insensitively; end markers are not required because bundled
//! messages (plugins + AGENTS.md + environment) start with one marker and end with another.

/// Start markers of injected context, lowercase (compared case-insensitively).
const CONTEXT_MARKERS: &[&str] = &[
    "<environment_context>",
    "<user_instructions>",
    "# agents.md instructions for ",
    "<skill>",
    "<user_shell_command>",
    "<turn_aborted>",
    "<subagent_notification>",
    "<codex_internal_context",
    "<goal_context>",
    "<recommended_plugins>",
    "<external_",
    "<hook_prompt",
    "<permissions instructions>",
    "<collaboration_mode>",
    "<skills_instructions>",
    "<personality_spec>",
    "<model_switch>",
    "<apps_instructions>",
    "warning: the maximum number of unified exec processes",
    "warning: apply_patch was requested via",
    "warning: your account was flagged",
];

/// Text parts that only bracket an attachment (`<image name=…>`, `</image>`, `<audio …>`).
const ATTACHMENT_MARKERS: &[&str] = &["<image", "</image>", "<audio", "</audio>"];

/// The prefix IDE clients put before the user's actual words.
const IDE_REQUEST_MARKER: &str = "## My request for Codex:";

fn starts_with_ci(text: &str, marker: &str) -> bool {
    text.len() >= marker.len()
        && text.as_bytes()[..marker.len()].eq_ignore_ascii_case(marker.as_bytes())
}

/// True when this text part is injected context, not something the user typed.
pub fn is_contextual(text: &str) -> bool {
    let t = text.trim_start();
    CONTEXT_MARKERS.iter().any(|m| starts_with_ci(t, m))
}

/// True when this text part only brackets an image/audio attachment.
pub fn is_attachment_marker(text: &str) -> bool {
    let t = text.trim();
    ATTACHMENT_MARKERS.iter().any(|m| starts_with_ci(t, m)) && t.ends_with('>') && t.len() < 512
}

/// What the user asked: everything after the last IDE marker, trimmed.
pub fn strip_ide_prefix(text: &str) -> &str {
    match text.rfind(IDE_REQUEST_MARKER) {
        Some(i) => text[i + IDE_REQUEST_MARKER.len()..].trim(),
        None => text.trim(),
    }
}

/// Collapse whitespace runs to one space and cut to `max_chars` characters: a one-line title.
pub fn one_line(text: &str, max_chars: usize) -> String {
    let mut out = String::with_capacity(text.len().min(max_chars * 2));
    let mut count = 0;
    for word in text.split_whitespace() {
        if count > 0 {
            if count + 1 > max_chars {
                break;
            }
            out.push(' ');
            count += 1;
        }
        for ch in word.chars() {
            if count >= max_chars {
                out.truncate(out.trim_end().len());
                return out;
            }
            out.push(ch);
            count += 1;
        }
    }
    out
}

/// Cut `text` to at most `max_bytes` bytes on a char boundary.
pub fn truncate_bytes(text: &str, max_bytes: usize) -> &str {
    if text.len() <= max_bytes {
        return text;
    }
    let mut end = max_bytes;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    &text[..end]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn injected_context_is_recognised() {
        assert!(is_contextual(
            "<environment_context>\n  <cwd>/x</cwd>\n</environment_context>"
        ));
        assert!(is_contextual("  <ENVIRONMENT_CONTEXT>…"));
        assert!(is_contextual(
            "# AGENTS.md instructions for /home/u/p\n\n<INSTRUCTIONS>x</INSTRUCTIONS>"
        ));
        assert!(is_contextual(
            "<user_instructions>be terse</user_instructions>"
        ));
        assert!(is_contextual("<turn_aborted>interrupted</turn_aborted>"));
        assert!(is_contextual("<external_hook>x</external_hook>"));
        assert!(is_contextual("Warning: apply_patch was requested via exec"));
        assert!(!is_contextual("fix the failing test"));
        // A real prompt that starts with markup is still a prompt.
        assert!(!is_contextual(
            "<div class=\"x\">why is this centered?</div>"
        ));
    }

    #[test]
    fn ide_prefix_is_stripped() {
        let t = "# Context from my IDE setup:\n\n## Active file: a.rs\n\n## My request for Codex:\nfix the bug\n";
        assert_eq!(strip_ide_prefix(t), "fix the bug");
        assert_eq!(strip_ide_prefix("  plain  "), "plain");
    }

    #[test]
    fn one_line_collapses_and_cuts() {
        assert_eq!(one_line("a\n\n b\tc", 100), "a b c");
        assert_eq!(one_line("abcdef", 3), "abc");
        assert_eq!(one_line("ab cd", 3), "ab");
        assert_eq!(one_line("ééé", 2), "éé");
        assert_eq!(truncate_bytes("éé", 3), "é");
    }
}
