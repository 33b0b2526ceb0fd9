//! Finding rollout files under `$CODEX_HOME` (docs/rollout-format.md §1.2, §1.5).
//!
//! We look wider than Codex does: dated directories, legacy flat files directly in
//! `sessions/`, and `archived_sessions/`. Symlinked directories are not followed (loops);
//! symlinked files are accepted when they point at a regular file. Unreadable directories
//! are reported, never fatal.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use crate::rollout::{self, RolloutName};

/// `$CODEX_HOME/sessions`.
pub const SESSIONS_DIR: &str = "sessions";
/// `$CODEX_HOME/archived_sessions`.
pub const ARCHIVED_DIR: &str = "archived_sessions";
/// `$CODEX_HOME/session_index.jsonl` (thread names).
pub const SESSION_INDEX: &str = "session_index.jsonl";
/// Deep enough for `sessions/YYYY/MM/DD/`, with one level to spare.
const MAX_DEPTH: usize = 5;

/// A rollout file found on disk.
#[derive(Clone, Debug)]
pub struct Found {
    pub path: PathBuf,
    pub name: RolloutName,
    pub archived: bool,
}

/// What a look at the disk could not do. Reported in `build`'s warnings and the daemon's
/// debug log; a file that cannot be read is also counted in `status` (`errors`).
#[derive(Debug, thiserror::Error)]
pub enum ScanError {
    #[error("{path}: {source}", path = .0.display(), source = .1)]
    List(PathBuf, #[source] io::Error),
    #[error("{path} is not a directory", path = .0.display())]
    NotADirectory(PathBuf),
    #[error("{SESSION_INDEX}: {0}")]
    SessionIndex(#[source] io::Error),
    #[error("{path}: {source}", path = .0.display(), source = .1)]
    Read(PathBuf, #[source] io::Error),
}

/// Everything a full walk found.
#[derive(Debug, Default)]
pub struct Discovery {
    pub files: Vec<Found>,
    /// Directories that could not be read, with the reason (logged once by the caller).
    pub errors: Vec<ScanError>,
}

/// What a path under `$CODEX_HOME` is to us.
#[derive(Debug, PartialEq)]
pub enum PathKind {
    Rollout {
        name: RolloutName,
        archived: bool,
    },
    SessionIndex,
    /// `sessions/`, `archived_sessions/` or a directory below them.
    SessionDir {
        archived: bool,
    },
    Other,
}

/// Classify a path (which may no longer exist) by where it is and how it is named.
pub fn classify(codex_home: &Path, path: &Path) -> PathKind {
    let Ok(rel) = path.strip_prefix(codex_home) else {
        return PathKind::Other;
    };
    let mut comps = rel.components();
    let Some(top) = comps.next() else {
        return PathKind::Other;
    };
    let top = top.as_os_str();
    let archived = if top == ARCHIVED_DIR {
        true
    } else if top == SESSIONS_DIR {
        false
    } else {
        return if top == SESSION_INDEX && comps.next().is_none() {
            PathKind::SessionIndex
        } else {
            PathKind::Other
        };
    };
    let file_name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
    match rollout::parse_name(file_name) {
        Some(name) if rel.components().count() > 1 => PathKind::Rollout { name, archived },
        _ => PathKind::SessionDir { archived },
    }
}

/// Walk `sessions/` and `archived_sessions/`.
pub fn discover(codex_home: &Path) -> Discovery {
    let mut out = Discovery::default();
    for (dir, archived) in [(SESSIONS_DIR, false), (ARCHIVED_DIR, true)] {
        let root = codex_home.join(dir);
        // The roots themselves may be symlinks (sessions kept on another disk): follow them.
        // Below the roots symlinked directories are not followed (loops).
        match fs::metadata(&root) {
            Ok(m) if m.is_dir() => walk(&root, archived, 0, &mut out),
            Ok(_) => out.errors.push(ScanError::NotADirectory(root)),
            Err(e) if e.kind() == io::ErrorKind::NotFound => {}
            Err(e) => out.errors.push(ScanError::List(root, e)),
        }
    }
    out
}

/// Walk one directory (a new day directory, say) below `sessions/` or `archived_sessions/`.
pub fn discover_dir(dir: &Path, archived: bool) -> Discovery {
    let mut out = Discovery::default();
    walk(dir, archived, 1, &mut out);
    out
}

fn walk(dir: &Path, archived: bool, depth: usize, out: &mut Discovery) {
    let entries = match fs::read_dir(dir) {
        Ok(e) => e,
        Err(e) => {
            if e.kind() != io::ErrorKind::NotFound {
                out.errors.push(ScanError::List(dir.to_owned(), e));
            }
            return;
        }
    };
    for entry in entries.flatten() {
        let Ok(ft) = entry.file_type() else { continue };
        let path = entry.path();
        if ft.is_dir() {
            if depth < MAX_DEPTH {
                walk(&path, archived, depth + 1, out);
            }
            continue;
        }
        let Some(name) = entry.file_name().to_str().and_then(rollout::parse_name) else {
            continue;
        };
        let is_file =
            ft.is_file() || (ft.is_symlink() && fs::metadata(&path).is_ok_and(|m| m.is_file()));
        if is_file {
            out.files.push(Found {
                path,
                name,
                archived,
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn symlinked_roots_are_followed_but_not_inner_loops() {
        let dir = tempfile::tempdir().unwrap();
        let real = dir.path().join("elsewhere");
        let day = real.join("2026/01/01");
        fs::create_dir_all(&day).unwrap();
        fs::write(
            day.join(format!("rollout-2026-01-01T00-00-00-{ID}.jsonl")),
            b"{}\n",
        )
        .unwrap();
        // A loop inside the tree must not be followed.
        std::os::unix::fs::symlink(&real, day.join("loop")).unwrap();
        let home = dir.path().join("home");
        fs::create_dir(&home).unwrap();
        std::os::unix::fs::symlink(&real, home.join("sessions")).unwrap();
        let found = discover(&home);
        assert_eq!(found.files.len(), 1, "{found:?}");
        assert!(found.errors.is_empty(), "{:?}", found.errors);
    }

    const ID: &str = "019c8a4c-ed82-79a1-aa28-7738fc5ab61a";

    #[test]
    fn classify_paths() {
        let home = Path::new("/h");
        let f = format!("rollout-2026-02-23T12-40-23-{ID}.jsonl");
        assert!(matches!(
            classify(home, &home.join("sessions/2026/02/23").join(&f)),
            PathKind::Rollout {
                archived: false,
                ..
            }
        ));
        assert!(matches!(
            classify(home, &home.join("archived_sessions").join(&f)),
            PathKind::Rollout { archived: true, .. }
        ));
        assert_eq!(
            classify(home, &home.join("session_index.jsonl")),
            PathKind::SessionIndex
        );
        assert_eq!(
            classify(home, &home.join("sessions/2026")),
            PathKind::SessionDir { archived: false }
        );
        assert_eq!(classify(home, &home.join("history.jsonl")), PathKind::Other);
        assert_eq!(
            classify(Path::new("/elsewhere"), &home.join("sessions")),
            PathKind::Other
        );
    }
}
