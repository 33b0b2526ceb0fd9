//! Which files a tool call names: the paths of a patch (`*** Update File: …`), and the
//! path-like words of a command line. People come back to a session by the file it worked on
//! ("the retry in client/backoff.go again"), so these feed routing.

/// At most this many names are taken from one text (a huge command line or patch says no more
/// about the session than its first files do).
const MAX_PER_TEXT: usize = 32;

/// The files `text` names, each as its last two path components (`core/src/table.rs` →
/// `src/table.rs`), in order, without repeats.
pub fn named_in(text: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut push = |name: Option<String>| {
        if let Some(n) = name
            && !out.contains(&n)
            && out.len() < MAX_PER_TEXT
        {
            out.push(n);
        }
    };
    // Tool-call arguments arrive as JSON text: undo the escapes that glue words together.
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
            if looks_like_file(word) {
                push(short_name(word));
            }
        }
    }
    out
}

fn looks_like_file(w: &str) -> bool {
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

    #[test]
    fn versions_urls_and_flags_are_not_files() {
        assert!(named_in("npm i left-pad@1.2.3 --save https://x.io/a.js -o").is_empty());
    }
}
