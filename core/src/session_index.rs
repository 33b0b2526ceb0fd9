//! Thread names from `$CODEX_HOME/session_index.jsonl` (docs/rollout-format.md §1.3, pitfall 11).
//!
//! One JSON object per line, `{"id","thread_name","updated_at"}`; the last entry for an id
//! wins and an empty name clears it. `codex delete` rewrites the file smaller, so we always
//! re-read it whole (it holds one short line per rename).

use std::collections::HashMap;
use std::io;
use std::path::Path;

use serde::Deserialize;

#[derive(Deserialize)]
struct Entry {
    id: String,
    #[serde(default)]
    thread_name: Option<String>,
}

/// Parse the index's bytes into id → name.
pub fn parse(bytes: &[u8]) -> HashMap<String, String> {
    let mut names = HashMap::new();
    for line in bytes.split(|&b| b == b'\n') {
        let Ok(e) = serde_json::from_slice::<Entry>(line.trim_ascii()) else {
            continue;
        };
        let id = e.id.to_ascii_lowercase();
        match e
            .thread_name
            .map(|n| n.trim().to_owned())
            .filter(|n| !n.is_empty())
        {
            Some(name) => {
                names.insert(id, name);
            }
            None => {
                names.remove(&id);
            }
        }
    }
    names
}

/// Read the index; a missing file means no names.
pub fn load(path: &Path) -> io::Result<HashMap<String, String>> {
    match std::fs::read(path) {
        Ok(bytes) => Ok(parse(&bytes)),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(HashMap::new()),
        Err(e) => Err(e),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn last_entry_wins_and_empty_clears() {
        let data = br#"{"id":"a","thread_name":"one","updated_at":"2026-01-01T00:00:00Z"}
{"id":"b","thread_name":"bee"}
not json
{"id":"a","thread_name":"two"}
{"id":"b","thread_name":""}
{"id":"c","thread_name":"partial"#;
        let names = parse(data);
        assert_eq!(names.get("a").map(String::as_str), Some("two"));
        assert!(!names.contains_key("b"));
        assert!(!names.contains_key("c"));
    }
}
