//! Warm start: the table's parsed files, saved in codexd's cache directory so a restart only
//! stats files instead of re-reading gigabytes.
//!
//! The cache is a hint like any other: every entry is checked against the disk (dev, inode,
//! length, mtime) by the first reconcile, which re-reads whatever differs and drops what is
//! gone. A cache from another codexd version, another CODEX_HOME or in a format we cannot read
//! is ignored. It lives in our own directory (`$XDG_CACHE_HOME/codexd`), never in CODEX_HOME.

use std::hash::{Hash, Hasher};
use std::io;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::table::{FileEntry, Table};

/// Bumped when the cached types change meaning.
/// 2: prompts are kept to 1000 bytes (were 2000).
/// 5: file states carry the hash of the bytes before their offset (`before_offset`).
const CACHE_FORMAT: u32 = 5;

#[derive(Serialize, Deserialize)]
struct CacheFile {
    format: u32,
    codexd: String,
    codex_home: PathBuf,
    files: Vec<(PathBuf, FileEntry)>,
}

/// A cache is used only if this format and codexd version wrote it, for this CODEX_HOME.
fn is_current(format: u32, codexd: &str, written_for: &Path, codex_home: &Path) -> bool {
    format == CACHE_FORMAT && codexd == codexd_proto::VERSION && written_for == codex_home
}

/// Where the cache for `codex_home` lives: `$CODEXD_CACHE_DIR`, else the platform cache dir.
pub fn default_path(codex_home: &Path) -> Option<PathBuf> {
    let dir = std::env::var_os("CODEXD_CACHE_DIR")
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
        .or_else(|| {
            directories::ProjectDirs::from("dev", "codexd", "codexd")
                .map(|d| d.cache_dir().to_path_buf())
        })?;
    let mut h = std::collections::hash_map::DefaultHasher::new();
    codex_home.hash(&mut h);
    Some(dir.join(format!("table-{:016x}.json", h.finish())))
}

/// The route index's cache, next to the table's (`route-<same hash>.bin`). Binary: parsing
/// it is ~10× faster than tokenizing every session again, which is what makes `route` ready
/// soon after a restart.
pub fn route_path(table_cache: &Path) -> PathBuf {
    let name = table_cache
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or_default();
    let hash = name
        .strip_prefix("table-")
        .and_then(|n| n.strip_suffix(".json"))
        .unwrap_or("0");
    table_cache.with_file_name(format!("route-{hash}.bin"))
}

/// A one-line JSON header (format, codexd version, CODEX_HOME), then the index's own bytes.
#[derive(Serialize, Deserialize)]
struct RouteHeader {
    format: u32,
    codexd: String,
    codex_home: PathBuf,
}

pub fn render_route(index: &[u8], codex_home: &Path) -> Vec<u8> {
    let header = RouteHeader {
        format: CACHE_FORMAT,
        codexd: codexd_proto::VERSION.to_owned(),
        codex_home: codex_home.to_owned(),
    };
    let mut out = serde_json::to_vec(&header).unwrap_or_default();
    out.push(b'\n');
    out.extend_from_slice(index);
    out
}

/// The cached route index for `codex_home`, if there is a usable one.
pub fn load_route(path: &Path, codex_home: &Path) -> Option<codexd_route::Index> {
    let bytes = std::fs::read(path).ok()?;
    let split = memchr::memchr(b'\n', &bytes)?;
    let header: RouteHeader = serde_json::from_slice(&bytes[..split]).ok()?;
    if !is_current(
        header.format,
        &header.codexd,
        &header.codex_home,
        codex_home,
    ) {
        return None;
    }
    codexd_route::Index::from_bytes(&bytes[split + 1..])
}

/// Load cached entries for `codex_home`. Any problem means "no cache".
pub fn load(path: &Path, codex_home: &Path) -> Vec<(PathBuf, FileEntry)> {
    let Ok(bytes) = std::fs::read(path) else {
        return Vec::new();
    };
    match serde_json::from_slice::<CacheFile>(&bytes) {
        Ok(c) if is_current(c.format, &c.codexd, &c.codex_home, codex_home) => c.files,
        _ => Vec::new(),
    }
}

/// Copy the files of threads `ids` out of the table (threads gone meanwhile are skipped).
/// The engine builds a snapshot a chunk of threads at a time, retaking its lock for each, so
/// that [`render`] (~100 ms at 10k sessions) and the copy never hold requests up for long.
pub fn snapshot(files: &mut Vec<(PathBuf, FileEntry)>, table: &Table, ids: &[String]) {
    files.extend(
        ids.iter()
            .filter_map(|id| table.thread(id))
            .flat_map(|t| t.files())
            .map(|(p, e)| (p.to_path_buf(), e.clone())),
    );
}

/// Serialise what [`snapshot`] collected.
pub fn render(files: &[(PathBuf, FileEntry)], codex_home: &Path) -> Vec<u8> {
    #[derive(Serialize)]
    struct Out<'a> {
        format: u32,
        codexd: &'a str,
        codex_home: &'a Path,
        files: &'a [(PathBuf, FileEntry)],
    }
    serde_json::to_vec(&Out {
        format: CACHE_FORMAT,
        codexd: codexd_proto::VERSION,
        codex_home,
        files,
    })
    .unwrap_or_default()
}

/// Write atomically (a torn cache would only cost a re-read, but keep it whole anyway).
pub fn save(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let dir = path.parent().unwrap_or(Path::new("."));
    std::fs::DirBuilder::new().recursive(true).create(dir)?;
    crate::replace::replace_file(path, bytes, 0o600)
}
