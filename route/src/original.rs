//! The original slash command's routing rule, kept verbatim in spirit for comparison.
//!
//! The bash+jq command stored, per session, the first 100 bytes of the first user message as
//! `task_summary` and its first five keywords — `tr '[:upper:]' '[:lower:]' | grep -oE
//! '\b[a-z]{4,}\b' | head -5` — and routed a prompt by extracting the same kind of keywords from
//! it: "resume the most relevant session (>50% keyword match), or create a new session".

use crate::Decision;

/// What the old registry held about a session.
#[derive(Clone, Copy, Debug)]
pub struct OriginalSession<'a> {
    pub key: &'a str,
    /// As produced by [`original_keywords`] from the task summary.
    pub keywords: &'a [String],
    pub last_used_unix: i64,
}

/// The old `task_summary`: the first 100 bytes of the first prompt (`head -c 100`, cut back to
/// a character boundary here), or "Codex session" when there is none.
pub fn original_task_summary(first_prompt: Option<&str>) -> String {
    match first_prompt {
        Some(p) if !p.is_empty() => {
            let mut end = p.len().min(100);
            while !p.is_char_boundary(end) {
                end -= 1;
            }
            p[..end].to_owned()
        }
        _ => "Codex session".to_owned(),
    }
}

/// `tr '[:upper:]' '[:lower:]' | grep -oE '\b[a-z]{4,}\b' | head -5`: the first five words made
/// only of ASCII letters, at least four long, delimited by non-word characters. A word glued
/// to digits, `_` or non-ASCII letters (`oauth2`, `user_id`, `café`) has no `\b` inside it and
/// yields nothing, exactly as with grep.
pub fn original_keywords(text: &str) -> Vec<String> {
    text.to_ascii_lowercase()
        .split(|c: char| !(c.is_alphanumeric() || c == '_'))
        .filter(|w| w.len() >= 4 && w.bytes().all(|b| b.is_ascii_lowercase()))
        .take(5)
        .map(str::to_owned)
        .collect()
}

/// The old decision: the session whose keywords contain the largest share of the prompt's
/// keywords, if that share is above one half (ties: the most recently used); else `New`.
pub fn original_rule<'a>(
    query: &str,
    sessions: impl IntoIterator<Item = OriginalSession<'a>>,
) -> Decision {
    let q = original_keywords(query);
    if q.is_empty() {
        return Decision::New;
    }
    let mut best: Option<(usize, i64, &str)> = None;
    for s in sessions {
        let hits = q.iter().filter(|k| s.keywords.contains(k)).count();
        // Strictly more than half: 2 * hits > |q|.
        if 2 * hits <= q.len() {
            continue;
        }
        if best.is_none_or(|(h, t, _)| (hits, s.last_used_unix) > (h, t)) {
            best = Some((hits, s.last_used_unix, s.key));
        }
    }
    match best {
        Some((_, _, key)) => Decision::Resume {
            key: key.to_owned(),
        },
        None => Decision::New,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keywords_follow_grep_semantics() {
        assert_eq!(
            original_keywords(
                "Fix the flaky LOGIN test in auth_service, oauth2 and café pages now"
            ),
            ["flaky", "login", "test", "pages"]
        );
    }

    /// The rule against the real pipeline it replaces (`tr | grep -oE | head -5`, in a UTF-8
    /// locale), on the characters where implementations drift: a non-breaking space, letters
    /// that lowercase into ASCII (the Kelvin sign), accented letters, digits and `_` glued to
    /// words.
    #[test]
    fn keywords_equal_the_bash_pipeline() {
        let cases = [
            "Fix the flaky login-test in auth_v2, then d\u{e9}ployer x4abc",
            "help with authentication",
            "foo\u{a0}barbaz quux",
            "\u{212a}elvin test",
            "\u{dc}n\u{ef}code word\u{e9} abcd_efgh abcd",
            "CAPS LOCK STAYS ON\tand\ttabs",
            "one two three four five six seven eight nine",
            "x\u{2014}dash\u{2019}quote caf\u{e9}s na\u{ef}ve",
        ];
        for case in cases {
            let mut child = match std::process::Command::new("sh")
                .args([
                    "-c",
                    "tr '[:upper:]' '[:lower:]' | grep -oE '\\b[a-z]{4,}\\b' | head -5",
                ])
                .env("LC_ALL", "C.UTF-8")
                .stdin(std::process::Stdio::piped())
                .stdout(std::process::Stdio::piped())
                .spawn()
            {
                Ok(c) => c,
                Err(e) => panic!("sh is needed to check the keyword rule against grep: {e}"),
            };
            use std::io::Write;
            child
                .stdin
                .take()
                .expect("piped")
                .write_all(case.as_bytes())
                .expect("write");
            let out = child.wait_with_output().expect("grep ran");
            let grep: Vec<String> = String::from_utf8_lossy(&out.stdout)
                .lines()
                .map(str::to_owned)
                .collect();
            assert_eq!(original_keywords(case), grep, "{case:?}");
        }
    }

    #[test]
    fn summary_is_100_bytes_on_a_char_boundary() {
        let s = "é".repeat(80);
        assert_eq!(original_task_summary(Some(&s)).len(), 100);
        assert_eq!(original_task_summary(None), "Codex session");
    }

    #[test]
    fn more_than_half_is_required() {
        let kw = original_keywords("migrate postgres schema invoices");
        let s = [OriginalSession {
            key: "a",
            keywords: &kw,
            last_used_unix: 0,
        }];
        // 2 of 4 query keywords: exactly half, not enough.
        assert_eq!(
            original_rule("migrate invoices report export", s),
            Decision::New
        );
        // 3 of 4.
        assert_eq!(
            original_rule("migrate invoices postgres export", s),
            Decision::Resume { key: "a".into() }
        );
        // "auth" does not match "authentication": keywords match exactly or not at all.
        assert_eq!(original_rule("auth", s), Decision::New);
    }
}
