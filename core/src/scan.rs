//! Reconciling the table with the disk: the only code that turns paths into table changes.
//!
//! Events are hints; this is the truth. Each reconcile runs in three phases so the table lock
//! is never held during IO: (1) look at the disk (discover, stat) without the lock, (2) under
//! the lock, decide which files are new, changed or gone and clone their previous state,
//! (3) read the changed files in parallel without the lock, then commit under it. Reconciles
//! themselves are serialised by the caller (one indexer), so phase 2's view is still valid in
//! phase 3.

use std::collections::{HashMap, HashSet};
use std::io;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};

use crate::discover::{self, Found, PathKind};
use crate::engine::Engine;
use crate::rollout::{FileState, ParsedFile, ReadOutcome, read_rollout};
use crate::session_index;
use crate::table::FileEntry;

/// What a reconcile did.
#[derive(Debug, Default, Clone)]
pub struct ScanReport {
    pub files_seen: usize,
    pub files_read: usize,
    pub files_removed: usize,
    pub bytes_read: u64,
    pub errors: Vec<String>,
}

struct Job {
    found: Found,
    prev: Option<ParsedFile>,
}

#[allow(clippy::large_enum_variant)] // consumed right after it is produced
enum JobResult {
    Updated(PathBuf, FileEntry, u64),
    Unchanged,
    Gone(PathBuf),
    Failed(PathBuf, io::Error),
}

/// Full reconcile: everything on disk against everything in the table. With `force`, every
/// file is re-parsed from its first byte (`build`); otherwise unchanged files are skipped.
pub fn reconcile_full(engine: &Mutex<Engine>, force: bool) -> ScanReport {
    let home = codex_home(engine);
    let discovery = discover::discover(&home);
    let mut report = ScanReport {
        files_seen: discovery.files.len(),
        errors: discovery.errors,
        ..ScanReport::default()
    };
    let seen: HashSet<PathBuf> = discovery.files.iter().map(|f| f.path.clone()).collect();
    let stats = stat_all(discovery.files);
    let jobs = {
        let mut eng = engine.lock().unwrap_or_else(|e| e.into_inner());
        let gone: Vec<PathBuf> = eng
            .table
            .paths()
            .filter(|p| !seen.contains(*p))
            .map(Path::to_path_buf)
            .collect();
        for p in &gone {
            eng.table.remove_file(p);
        }
        report.files_removed += gone.len();
        plan(&eng, stats, force)
    };
    reload_names(engine, &home, &mut report);
    run_jobs(engine, jobs, &mut report);
    // Metadata of sessions that were removed or rewritten may have been the last users.
    crate::atom::purge();
    report
}

/// Reconcile just these paths (from watcher events): files, directories, the session index.
/// Returns `None` when a path needs a full reconcile instead (CODEX_HOME itself changed).
pub fn reconcile_paths(engine: &Mutex<Engine>, paths: &[PathBuf]) -> Option<ScanReport> {
    let home = codex_home(engine);
    let mut report = ScanReport::default();
    let mut found: Vec<Found> = Vec::new();
    let mut removed_files: Vec<PathBuf> = Vec::new();
    let mut removed_dirs: Vec<PathBuf> = Vec::new();
    let mut names_dirty = false;
    for path in paths {
        if path == &home {
            return None;
        }
        match discover::classify(&home, path) {
            PathKind::Rollout { name, archived } => match std::fs::metadata(path) {
                Ok(m) if m.is_file() => found.push(Found {
                    path: path.clone(),
                    name,
                    archived,
                }),
                Ok(m) if m.is_dir() => found.extend(discover::discover_dir(path, archived).files),
                _ => removed_files.push(path.clone()),
            },
            PathKind::SessionDir { archived } => match std::fs::metadata(path) {
                // A new (or moved-in) directory: files written into it before its watch
                // existed produced no events, so list it ourselves (the new-directory race).
                Ok(m) if m.is_dir() => {
                    let d = discover::discover_dir(path, archived);
                    report.errors.extend(d.errors);
                    found.extend(d.files);
                }
                _ => removed_dirs.push(path.clone()),
            },
            PathKind::SessionIndex => names_dirty = true,
            PathKind::Other => {}
        }
    }
    report.files_seen = found.len();
    let stats = stat_all(found);
    let jobs = {
        let mut eng = engine.lock().unwrap_or_else(|e| e.into_inner());
        for p in &removed_files {
            report.files_removed += usize::from(eng.table.remove_file(p));
        }
        for d in &removed_dirs {
            report.files_removed += eng.table.remove_under(d);
        }
        plan(&eng, stats, false)
    };
    if names_dirty {
        reload_names(engine, &home, &mut report);
    }
    run_jobs(engine, jobs, &mut report);
    Some(report)
}

fn codex_home(engine: &Mutex<Engine>) -> PathBuf {
    let eng = engine.lock().unwrap_or_else(|e| e.into_inner());
    eng.config.codex_home.clone()
}

fn reload_names(engine: &Mutex<Engine>, home: &Path, report: &mut ScanReport) {
    match session_index::load(&home.join(discover::SESSION_INDEX)) {
        Ok(names) => engine
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .table
            .set_names(names),
        Err(e) => report
            .errors
            .push(format!("{}: {e}", discover::SESSION_INDEX)),
    }
}

fn stat_all(found: Vec<Found>) -> Vec<(Found, Option<FileState>)> {
    found
        .into_iter()
        .map(|f| {
            let st = std::fs::metadata(&f.path)
                .ok()
                .map(|m| FileState::from_metadata(&m));
            (f, st)
        })
        .collect()
}

/// Under the lock: which files need reading, with their previous state.
fn plan(eng: &Engine, stats: Vec<(Found, Option<FileState>)>, force: bool) -> Vec<Job> {
    let mut jobs = Vec::new();
    for (found, st) in stats {
        let prev = eng.table.file(&found.path).filter(|_| !force);
        if let (Some(prev), Some(st)) = (prev, st.as_ref())
            && prev.parsed.state.unchanged(st)
        {
            continue;
        }
        jobs.push(Job {
            prev: prev.map(|p| p.parsed.clone()),
            found,
        });
    }
    jobs
}

/// How far the files of the running scan have been read: what `build` reports to clients while
/// it works. Atomics, so readers never take the engine lock.
#[derive(Debug, Default)]
pub struct ScanProgress {
    /// Scans started so far: lets a reader ignore a scan that began before its request.
    scans: AtomicU64,
    done: AtomicU64,
    total: AtomicU64,
}

impl ScanProgress {
    fn start(&self, total: usize) {
        self.done.store(0, Ordering::Relaxed);
        self.total.store(total as u64, Ordering::Relaxed);
        self.scans.fetch_add(1, Ordering::Relaxed);
    }

    /// How many scans have started.
    pub fn scans(&self) -> u64 {
        self.scans.load(Ordering::Relaxed)
    }

    fn advance(&self) {
        self.done.fetch_add(1, Ordering::Relaxed);
    }

    /// Between scans there is nothing to report (and a finished scan's count must not be read
    /// as the next one's).
    fn finish(&self) {
        self.total.store(0, Ordering::Relaxed);
    }

    /// (files read, files to read) of the scan in progress; `total` is 0 between scans.
    pub fn get(&self) -> (u64, u64) {
        (
            self.done.load(Ordering::Relaxed),
            self.total.load(Ordering::Relaxed),
        )
    }
}

/// Read the jobs on all cores, then commit.
fn run_jobs(engine: &Mutex<Engine>, jobs: Vec<Job>, report: &mut ScanReport) {
    if jobs.is_empty() {
        return;
    }
    let progress = engine
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .scan_progress
        .clone();
    progress.start(jobs.len());
    let results = read_parallel(jobs, &progress);
    let mut eng = engine.lock().unwrap_or_else(|e| e.into_inner());
    for r in results {
        match r {
            JobResult::Updated(path, entry, bytes) => {
                report.files_read += 1;
                report.bytes_read += bytes;
                eng.table.upsert_file(path, entry);
            }
            JobResult::Unchanged => {}
            JobResult::Gone(path) => {
                report.files_removed += usize::from(eng.table.remove_file(&path));
            }
            JobResult::Failed(path, e) => {
                eng.note_file_error(&path, &e);
                report.errors.push(format!("{}: {e}", path.display()));
            }
        }
    }
    progress.finish();
}

fn read_parallel(jobs: Vec<Job>, progress: &ScanProgress) -> Vec<JobResult> {
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(jobs.len().max(1));
    let read = |job| {
        let r = read_job(job);
        progress.advance();
        r
    };
    if threads <= 1 {
        return jobs.into_iter().map(read).collect();
    }
    // Work-stealing by index: big and small files mix, so static splitting would leave a core
    // idle at the end.
    let next = AtomicUsize::new(0);
    let slots: Vec<Mutex<Option<Job>>> = jobs.into_iter().map(|j| Mutex::new(Some(j))).collect();
    let mut results: Vec<JobResult> = Vec::with_capacity(slots.len());
    std::thread::scope(|s| {
        let handles: Vec<_> = (0..threads)
            .map(|_| {
                s.spawn(|| {
                    let mut out = Vec::new();
                    loop {
                        let i = next.fetch_add(1, Ordering::Relaxed);
                        let Some(slot) = slots.get(i) else { break };
                        if let Some(job) = slot.lock().unwrap_or_else(|e| e.into_inner()).take() {
                            out.push(read(job));
                        }
                    }
                    out
                })
            })
            .collect();
        for h in handles {
            if let Ok(mut out) = h.join() {
                results.append(&mut out);
            }
        }
    });
    results
}

fn read_job(job: Job) -> JobResult {
    let Job { found, prev } = job;
    // (A path's `archived` follows from where it is, so an unchanged file is unchanged.)
    match read_rollout(&found.path, found.name.compressed, prev.as_ref()) {
        Ok(ReadOutcome::Unchanged) => JobResult::Unchanged,
        Ok(ReadOutcome::Updated { parsed, bytes_read }) => JobResult::Updated(
            found.path,
            FileEntry {
                name: found.name,
                archived: found.archived,
                parsed,
            },
            bytes_read,
        ),
        Err(e) if e.kind() == io::ErrorKind::NotFound => JobResult::Gone(found.path),
        Err(e) => JobResult::Failed(found.path, e),
    }
}

/// Stat-only check used by the periodic safety net: paths whose (inode, len, mtime) differ
/// from the table, plus paths that vanished. Cheap: no file is opened.
pub fn changed_paths(engine: &Mutex<Engine>) -> Vec<PathBuf> {
    let states: HashMap<PathBuf, FileState> = {
        let eng = engine.lock().unwrap_or_else(|e| e.into_inner());
        eng.table
            .paths()
            .filter_map(|p| eng.table.file(p).map(|f| (p.to_path_buf(), f.parsed.state)))
            .collect()
    };
    states
        .into_iter()
        .filter(|(p, st)| match std::fs::metadata(p) {
            Ok(m) => !st.unchanged(&FileState::from_metadata(&m)),
            Err(_) => true,
        })
        .map(|(p, _)| p)
        .collect()
}
