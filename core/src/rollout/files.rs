//! Which files a tool call names: the paths of a patch (`*** Update File: …`), and the
//! path-like words of a command line. People come back to a session by the file it worked on
//! ("the retry in client/backoff.go again"), so these feed routing.

use std::borrow::Cow;

/// At most this many names are taken from one text (a huge command line or patch says no more
/// about the session than its first files do).
const MAX_PER_TEXT: usize = 32;

/// The files `text` names, each as its last two path components (`core/src/table.rs` →
/// `src/table.rs`), in order, without repeats.
pub fn named_in(text: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let push = |out: &mut Vec<String>, name: Option<String>| {
        if let Some(n) = name
            && !out.contains(&n)
        {
            out.push(n);
        }
    };
    // Tool-call arguments arrive as JSON text: undo the escapes that glue words together.
    let text = unescape(text);
    for line in text.lines() {
        if out.len() == MAX_PER_TEXT {
            // Nothing more would be taken: the rest of a long patch or output is not read.
            break;
        }
        let line = line.trim();
        if let Some(path) = line.strip_prefix("*** ").and_then(|header| {
            ["Update File: ", "Add File: ", "Delete File: ", "Move to: "]
                .iter()
                .find_map(|p| header.strip_prefix(p))
        }) {
            push(&mut out, short_name(path.trim()));
            continue;
        }
        if line.starts_with(['+', '-', '@']) {
            // Patch body: code, not the files worked on.
            continue;
        }
        for word in line.split(|c: char| {
            c.is_whitespace()
                || matches!(
                    c,
                    '"' | '\''
                        | '`'
                        | ','
                        | '('
                        | ')'
                        | '['
                        | ']'
                        | '{'
                        | '}'
                        | ';'
                        | '|'
                        | '<'
                        | '>'
                        | '='
                )
        }) {
            if out.len() == MAX_PER_TEXT {
                break;
            }
            if looks_like_file(word) {
                push(&mut out, short_name(word));
            }
        }
    }
    out
}

fn looks_like_file(w: &str) -> bool {
    // A file name has an extension or a directory: most words of a command or its output have
    // neither, and this is the cheap way to say so.
    if !w.bytes().any(|b| b == b'.' || b == b'/') {
        return false;
    }
    let w = w.trim_end_matches([':', '.', '!', '?']);
    if w.len() < 3 || w.len() > 160 || w.starts_with(['-', '$', '&']) || w.contains("://") {
        return false;
    }
    if w == "/dev/null" || w.starts_with("/proc/") {
        return false;
    }
    let last = w.rsplit('/').next().unwrap_or(w);
    let has_extension = last.rsplit_once('.').is_some_and(|(stem, ext)| {
        !ext.is_empty()
            && ext.len() <= 6
            && ext.bytes().all(|b| b.is_ascii_alphanumeric())
            && ext.bytes().any(|b| b.is_ascii_alphabetic())
            && stem.chars().any(char::is_alphabetic)
    });
    let is_path = w.contains('/') && w.split('/').any(|c| c.chars().any(char::is_alphabetic));
    has_extension || is_path
}

/// `\n` → newline, `\t` and `\"` → a space, in one pass; the text itself when it has no
/// backslash (most command lines). Only these three: the others do not glue words together.
fn unescape(text: &str) -> Cow<'_, str> {
    if !text.contains('\\') {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(i) = rest.find('\\') {
        out.push_str(&rest[..i]);
        let after = &rest[i + 1..];
        match after.as_bytes().first() {
            Some(b'n') => out.push('\n'),
            Some(b't' | b'"') => out.push(' '),
            _ => {
                out.push('\\');
                rest = after;
                continue;
            }
        }
        rest = &after[1..];
    }
    out.push_str(rest);
    Cow::Owned(out)
}

fn short_name(path: &str) -> Option<String> {
    let p = path
        .trim_end_matches([':', '.', '!', '?', '/'])
        .trim_start_matches("./");
    let parts: Vec<&str> = p
        .split('/')
        .filter(|c| !c.is_empty() && *c != ".")
        .collect();
    let tail = &parts[parts.len().saturating_sub(2)..];
    (!tail.is_empty()).then(|| tail.join("/"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn patch_headers_and_command_words() {
        let patch = "*** Begin Patch\n*** Update File: core/src/table.rs\n@@\n-old line with x.rs\n+new\n*** Add File: docs/notes.md\n*** End Patch";
        assert_eq!(named_in(patch), ["src/table.rs", "docs/notes.md"]);
        let args = r#"{"cmd":"rg -n retry client/backoff.go && cargo test -p codexd --lib","workdir":"/home/me/proj"}"#;
        assert_eq!(named_in(args), ["client/backoff.go", "me/proj"]);
        let shell =
            r#"{"command":["bash","-lc","sed -n 1,80p ./src/main.rs; cat README.md > /dev/null"]}"#;
        assert_eq!(named_in(shell), ["src/main.rs", "README.md"]);
    }

    /// The implementation before the one-pass unescape and the early stop, as the oracle.
    fn named_in_before(text: &str) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        let mut push = |name: Option<String>| {
            if let Some(n) = name
                && !out.contains(&n)
                && out.len() < MAX_PER_TEXT
            {
                out.push(n);
            }
        };
        let text = text
            .replace("\\n", "\n")
            .replace("\\t", " ")
            .replace("\\\"", " ");
        for line in text.lines() {
            let line = line.trim();
            if let Some(path) = [
                "*** Update File: ",
                "*** Add File: ",
                "*** Delete File: ",
                "*** Move to: ",
            ]
            .iter()
            .find_map(|p| line.strip_prefix(p))
            {
                push(short_name(path.trim()));
                continue;
            }
            if line.starts_with(['+', '-', '@']) {
                continue;
            }
            let seps = [
                '"', '\'', '`', ',', '(', ')', '[', ']', '{', '}', ';', '|', '<', '>', '=',
            ];
            for word in line.split(|c: char| c.is_whitespace() || seps.contains(&c)) {
                let w = word.trim_end_matches([':', '.', '!', '?']);
                if w.len() < 3
                    || w.len() > 160
                    || w.starts_with(['-', '$', '&'])
                    || w.contains("://")
                    || w == "/dev/null"
                    || w.starts_with("/proc/")
                {
                    continue;
                }
                let last = w.rsplit('/').next().unwrap_or(w);
                let has_extension = last.rsplit_once('.').is_some_and(|(stem, ext)| {
                    !ext.is_empty()
                        && ext.len() <= 6
                        && ext.bytes().all(|b| b.is_ascii_alphanumeric())
                        && ext.bytes().any(|b| b.is_ascii_alphabetic())
                        && stem.chars().any(char::is_alphabetic)
                });
                let is_path =
                    w.contains('/') && w.split('/').any(|c| c.chars().any(char::is_alphabetic));
                if has_extension || is_path {
                    push(short_name(word));
                }
            }
        }
        out
    }

    use proptest::strategy::Strategy;

    proptest::proptest! {
        #[test]
        fn same_names_as_before(
            parts in proptest::collection::vec(
                proptest::prop_oneof![
                    proptest::string::string_regex("[a-z./_-]{1,12}").unwrap(),
                    proptest::sample::select(vec![
                        "\\", "\\n", "\\t", "\\\"", "\\\\n", "\n", " ", "/", ".", "..",
                        "*** Update File: ", "*** Add File: ", "+", "-", "@@", "\"", "=",
                        "src/a.rs", "./x/y.go", "é.md", "/dev/null", "http://x.io/a.js", "\\\\",
                    ]).prop_map(str::to_owned),
                ],
                0..80,
            )
        ) {
            let text = parts.concat();
            proptest::prop_assert_eq!(named_in(&text), named_in_before(&text));
        }

        #[test]
        fn many_names_stop_at_the_cap(n in 0usize..80) {
            let text: String = (0..n).map(|i| format!("d{i}/f{i}.rs \\n")).collect();
            proptest::prop_assert_eq!(named_in(&text), named_in_before(&text));
        }
    }

    #[test]
    fn versions_urls_and_flags_are_not_files() {
        assert!(named_in("npm i left-pad@1.2.3 --save https://x.io/a.js -o").is_empty());
    }
}
