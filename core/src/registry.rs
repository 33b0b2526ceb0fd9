//! The registry `~/.codex/claude-sessions.json`: the original bash tool's file, kept readable
//! by its jq one-liners, now written by codexd.
//!
//! Shape: `{"version":"1.0.0","sessions":[{"id","task_summary","keywords","last_used","status",
//! …extra fields…}]}`. Old scripts read the first five fields; codexd adds `name`, `title`,
//! `cwd`, `created`, `path`, `archived`, `source`, `interactive`, `status_source` and
//! `status_set_at`, and carries any field it does not know through untouched.
//!
//! Ownership: the rollouts are the truth for everything except what the *user* decided (a
//! status set with `set-status`/`cleanup`, and unknown fields). Those are loaded at start and
//! survive rebuilds. Writes are atomic: temp file (0600) in the same directory, fsync, rename,
//! fsync of the directory.

use std::collections::HashMap;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use codexd_proto::Status;
use serde_json::{Map, Value};

use crate::table::{StatusPolicy, Table, UserState};
use crate::view::format_millis;

/// The original format's version string (kept so old readers accept the file).
pub const FORMAT_VERSION: &str = "1.0.0";
/// codexd's own schema number, bumped when our extra fields change meaning.
pub const SCHEMA: u64 = 2;

/// Fields codexd writes itself; everything else in an entry is user/third-party data.
const OWN_FIELDS: &[&str] = &[
    "id",
    "task_summary",
    "keywords",
    "last_used",
    "status",
    "name",
    "title",
    "cwd",
    "created",
    "path",
    "archived",
    "source",
    "interactive",
    "status_source",
    "status_set_at",
];

#[derive(Debug, thiserror::Error)]
pub enum RegistryError {
    #[error("reading {path}: {source}")]
    Read { path: PathBuf, source: io::Error },
    #[error("writing {path}: {source}{hint}", hint = disk_full_hint(.path, .source))]
    Write { path: PathBuf, source: io::Error },
}

/// For a write that failed because the disk (or the user's quota) is full, what to do about
/// it: name the filesystem's directory and say that codexd retries on its own.
pub fn disk_full_hint(path: &Path, e: &io::Error) -> String {
    let full = e.kind() == io::ErrorKind::StorageFull
        || e.kind() == io::ErrorKind::QuotaExceeded
        || matches!(e.raw_os_error(), Some(libc::ENOSPC | libc::EDQUOT));
    if !full {
        return String::new();
    }
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    format!(
        " — the disk holding {} is full; the previous file is kept, and codexd saves again by itself once space is freed",
        dir.display()
    )
}

/// What loading found.
#[derive(Debug, Default)]
pub struct Loaded {
    pub user: HashMap<String, UserState>,
    /// The file existed (and parsed).
    pub existed: bool,
    /// It did not parse and was moved here.
    pub moved_aside: Option<PathBuf>,
    /// Entries that were skipped as unreadable.
    pub skipped_entries: usize,
}

/// Load the user-owned state. A missing file is an empty registry; an unparsable one is moved
/// aside (`<name>.corrupt-<unix>`) so it is neither lost nor crash-looped on.
pub fn load(path: &Path) -> Result<Loaded, RegistryError> {
    let bytes = match fs::read(path) {
        Ok(b) => b,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(Loaded::default()),
        Err(source) => {
            return Err(RegistryError::Read {
                path: path.to_owned(),
                source,
            });
        }
    };
    match parse(&bytes) {
        Some((user, skipped)) => Ok(Loaded {
            user,
            existed: true,
            moved_aside: None,
            skipped_entries: skipped,
        }),
        None => {
            let aside = path.with_file_name(format!(
                "{}.corrupt-{}",
                path.file_name()
                    .and_then(|n| n.to_str())
                    .unwrap_or("registry"),
                jiff::Timestamp::now().as_second()
            ));
            fs::rename(path, &aside).map_err(|source| RegistryError::Write {
                path: aside.clone(),
                source,
            })?;
            Ok(Loaded {
                moved_aside: Some(aside),
                ..Loaded::default()
            })
        }
    }
}

/// Parse a registry document. `None` when it is not a registry at all; entries that are not
/// objects with a string id are skipped and counted.
pub fn parse(bytes: &[u8]) -> Option<(HashMap<String, UserState>, usize)> {
    let doc: Value = serde_json::from_slice(bytes).ok()?;
    let sessions = doc.get("sessions")?.as_array()?;
    // A file without our schema marker was written by the bash tool: there, "archived" could
    // only come from the user's cleanup, and the other statuses were never user decisions.
    let ours = doc.get("schema").is_some();
    let mut user = HashMap::new();
    let mut skipped = 0;
    for entry in sessions {
        let Some(obj) = entry.as_object() else {
            skipped += 1;
            continue;
        };
        let Some(id) = obj.get("id").and_then(Value::as_str) else {
            skipped += 1;
            continue;
        };
        let status = obj
            .get("status")
            .and_then(Value::as_str)
            .and_then(Status::parse)
            .filter(|s| s.settable());
        let by_user = if ours {
            obj.get("status_source").and_then(Value::as_str) == Some("user")
        } else {
            status == Some(Status::Archived)
        };
        let time = |key: &str| {
            obj.get(key)
                .and_then(Value::as_str)
                .and_then(crate::rollout::record::parse_time)
        };
        // Without our own timestamp, the decision dates from `last_used`, which has whole
        // seconds while mtimes have nanoseconds: count it to the end of that second, or the
        // bash tool's "archived" would expire at once on a file written at 12:00:00.4.
        let set_at = time("status_set_at")
            .or_else(|| time("last_used").map(|t| t + 999))
            .unwrap_or(0);
        let extra: Map<String, Value> = obj
            .iter()
            .filter(|(k, _)| !OWN_FIELDS.contains(&k.as_str()))
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        let state = UserState {
            status: status.filter(|_| by_user).map(|s| (s, set_at)),
            extra,
        };
        if state != UserState::default() {
            user.insert(id.to_ascii_lowercase(), state);
        }
    }
    Some((user, skipped))
}

/// The registry's contents, owned: built a chunk of sessions at a time under the engine lock
/// ([`order`], then [`Snapshot::extend`]), serialised after it is released (the expensive
/// part: megabytes of JSON at 10k+ sessions).
pub struct Snapshot(Vec<Entry>);

/// Every thread id, in the registry's order (newest first). Cheap: taken under the engine
/// lock, while the entries themselves can be built a chunk at a time ([`Snapshot::extend`]).
pub fn order(table: &Table) -> Vec<String> {
    table
        .threads_newest_first()
        .iter()
        .map(|t| t.id.to_owned())
        .collect()
}

impl Snapshot {
    pub fn with_capacity(n: usize) -> Snapshot {
        Snapshot(Vec::with_capacity(n))
    }

    /// Append the entries of `ids` (threads gone meanwhile are skipped).
    pub fn extend(&mut self, table: &Table, ids: &[String], now_ms: i64, policy: StatusPolicy) {
        self.0
            .extend(ids.iter().filter_map(|id| table.thread(id)).map(|t| {
                let mut s = crate::view::summary(&t, now_ms, policy);
                // `running` is observed per request, not history: the registry says `active`.
                if s.status == Status::Running {
                    s.status = Status::Active;
                }
                let user_status = t.user_status();
                Entry {
                    keywords: t.keywords(),
                    status: s.status.as_str(),
                    status_source: if user_status.is_some() {
                        "user"
                    } else {
                        "derived"
                    },
                    status_set_at: t
                        .user()
                        .and_then(|u| u.status)
                        .filter(|_| user_status.is_some())
                        .map(|(_, at)| format_millis(at)),
                    extra: t.user().map(|u| u.extra.clone()).filter(|e| !e.is_empty()),
                    summary: s,
                }
            }));
    }

    /// Typed and streamed: the original five fields first, in the bash tool's order.
    pub fn serialize(self) -> Vec<u8> {
        let doc = Document {
            version: FORMAT_VERSION,
            schema: SCHEMA,
            generated_by: format!("codexd {}", codexd_proto::VERSION),
            sessions: self.0,
        };
        let mut out = serde_json::to_vec_pretty(&doc).unwrap_or_default();
        out.push(b'\n');
        out
    }
}

#[derive(serde::Serialize)]
struct Document {
    version: &'static str,
    schema: u64,
    generated_by: String,
    sessions: Vec<Entry>,
}

struct Entry {
    summary: codexd_proto::SessionSummary,
    keywords: Vec<String>,
    status: &'static str,
    status_source: &'static str,
    status_set_at: Option<String>,
    extra: Option<Map<String, Value>>,
}

impl serde::Serialize for Entry {
    fn serialize<S: serde::Serializer>(&self, ser: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let s = &self.summary;
        let mut m = ser.serialize_map(None)?;
        m.serialize_entry("id", &s.id)?;
        m.serialize_entry("task_summary", &s.task_summary)?;
        m.serialize_entry("keywords", &self.keywords)?;
        m.serialize_entry("last_used", &s.last_used)?;
        m.serialize_entry("status", self.status)?;
        m.serialize_entry("name", &s.name)?;
        m.serialize_entry("title", &s.title)?;
        m.serialize_entry("cwd", &s.cwd)?;
        m.serialize_entry("created", &s.created)?;
        m.serialize_entry("path", &s.path)?;
        m.serialize_entry("archived", &s.archived)?;
        m.serialize_entry("source", &s.source)?;
        m.serialize_entry("interactive", &s.interactive)?;
        m.serialize_entry("status_source", self.status_source)?;
        if let Some(at) = &self.status_set_at {
            m.serialize_entry("status_set_at", at)?;
        }
        // Fields we do not own, carried through untouched.
        for (k, v) in self.extra.iter().flatten() {
            if !OWN_FIELDS.contains(&k.as_str()) {
                m.serialize_entry(k, v)?;
            }
        }
        m.end()
    }
}

/// Remove temp files a killed writer left next to the registry. Call only while holding the
/// single-instance lock (no other writer can be mid-write then).
pub fn remove_stale_temp_files(path: &Path) -> usize {
    let Some(dir) = path.parent().filter(|d| d.is_dir()) else {
        return 0;
    };
    let prefix = format!(
        ".{}.",
        path.file_name()
            .and_then(|n| n.to_str())
            .unwrap_or("registry")
    );
    let mut removed = 0;
    for entry in fs::read_dir(dir).into_iter().flatten().flatten() {
        let name = entry.file_name();
        let name = name.to_string_lossy();
        if name.starts_with(&prefix)
            && name.ends_with(".tmp")
            && fs::remove_file(entry.path()).is_ok()
        {
            removed += 1;
        }
    }
    removed
}

/// Write atomically and durably: temp (0600, same dir) → write → fsync → rename → fsync dir.
pub fn save(path: &Path, bytes: &[u8]) -> Result<(), RegistryError> {
    let err = |source| RegistryError::Write {
        path: path.to_owned(),
        source,
    };
    // The directory is not created: by default it is CODEX_HOME, which is Codex's to create.
    crate::replace::replace_file(path, bytes, 0o600).map_err(err)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bash_registry_archived_is_a_user_decision() {
        let doc = br#"{"version":"1.0.0","sessions":[
            {"id":"a","task_summary":"x","keywords":[],"last_used":"2026-01-10T14:20:00Z","status":"archived"},
            {"id":"b","task_summary":"y","keywords":[],"last_used":"2026-01-10T14:20:00Z","status":"active"},
            {"id":"c","task_summary":"z","keywords":[],"last_used":"2026-01-10T14:20:00Z","status":"completed","pinned":true},
            "garbage", {"no_id":1}
        ]}"#;
        let (user, skipped) = parse(doc).unwrap();
        assert_eq!(skipped, 2);
        assert_eq!(
            user["a"].status,
            Some((Status::Archived, 1_768_054_800_999))
        );
        assert!(!user.contains_key("b"));
        assert_eq!(user["c"].status, None);
        assert_eq!(
            user["c"].extra.get("pinned"),
            Some(&serde_json::json!(true))
        );
    }

    #[test]
    fn not_a_registry() {
        assert!(parse(b"{\"version\":").is_none());
        assert!(parse(b"[]").is_none());
    }

    #[test]
    fn save_is_atomic_and_private() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("claude-sessions.json");
        save(&p, b"{}\n").unwrap();
        save(&p, b"{\"sessions\":[]}\n").unwrap();
        assert_eq!(fs::read(&p).unwrap(), b"{\"sessions\":[]}\n");
        assert_eq!(
            fs::metadata(&p).unwrap().permissions().mode() & 0o777,
            0o600
        );
        assert_eq!(
            fs::read_dir(dir.path()).unwrap().count(),
            1,
            "no temp files left"
        );
    }

    #[test]
    fn corrupt_registry_is_moved_aside() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("claude-sessions.json");
        fs::write(&p, b"{ this is not json").unwrap();
        let loaded = load(&p).unwrap();
        let aside = loaded.moved_aside.unwrap();
        assert!(!p.exists());
        assert_eq!(fs::read(aside).unwrap(), b"{ this is not json");
    }
}
