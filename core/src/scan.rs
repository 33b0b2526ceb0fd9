//! Reconciling the table with the disk: the only code that turns paths into table changes.
//!
//! Events are hints; this is the truth. A reconcile runs in phases so that the table lock is
//! never held during IO, and this module never sees the lock: the engine
//! (`engine.rs`, `Shared::reconcile`) calls each phase with what it needs.
//! 1. [`look_full`] / [`look_paths`] — look at the disk (discover, stat, the session index);
//!    no table.
//! 2. [`Look::plan`] — with the table (`&mut Table`, under the lock): drop files that are gone,
//!    apply the names, and decide which files need reading, cloning their previous state.
//! 3. [`read`] — read those files on all cores; no table.
//! 4. [`commit`] — with the table (`&mut Table`, under the lock): store what was read.
//!
//! Reconciles are serialised by the engine (one writer), so phase 2's view is still valid in
//! phase 4.

use std::collections::{HashMap, HashSet};
use std::io;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use rayon::prelude::*;

pub use crate::discover::ScanError;
use crate::discover::{self, Found, PathKind};
use crate::rollout::{FileState, ParsedFile, ReadOutcome, read_rollout};
use crate::session_index;
use crate::table::{FileEntry, Table};

/// What a reconcile did.
#[derive(Debug, Default)]
pub struct ScanReport {
    pub files_seen: usize,
    pub files_read: usize,
    pub files_removed: usize,
    pub bytes_read: u64,
    pub errors: Vec<ScanError>,
}

/// Phase 1's findings: what is on disk, before the table is consulted.
pub(crate) struct Look {
    stats: Vec<(Found, Option<FileState>)>,
    gone: Gone,
    /// The session index, when it was (re-)read.
    names: Option<HashMap<String, String>>,
    report: ScanReport,
    /// A full look: the caller purges the metadata atoms no session uses any more.
    pub(crate) full: bool,
}

/// Which table entries the disk no longer has.
enum Gone {
    /// Everything not seen by a full discovery.
    AllBut(HashSet<PathBuf>),
    /// These files, and everything under these directories.
    Listed {
        files: Vec<PathBuf>,
        dirs: Vec<PathBuf>,
    },
}

/// Phase 2's decision: the files to read, and the report so far.
pub(crate) struct Plan {
    jobs: Vec<Job>,
    pub(crate) report: ScanReport,
}

struct Job {
    found: Found,
    prev: Option<ParsedFile>,
}

/// Phase 3's result for one file.
#[allow(clippy::large_enum_variant)] // consumed right after it is produced
pub(crate) enum JobResult {
    Updated(PathBuf, FileEntry, u64),
    Unchanged,
    Gone(PathBuf),
    Failed(PathBuf, io::Error),
}

impl JobResult {
    /// The working directory of a session just read (the engine resolves its git root before
    /// it takes the lock).
    pub(crate) fn cwd(&self) -> Option<&str> {
        match self {
            JobResult::Updated(_, entry, _) => entry.parsed.record.cwd(),
            _ => None,
        }
    }
}

/// Full look: everything under CODEX_HOME.
pub(crate) fn look_full(home: &Path) -> Look {
    let discovery = discover::discover(home);
    let mut report = ScanReport {
        files_seen: discovery.files.len(),
        errors: discovery.errors,
        ..ScanReport::default()
    };
    let seen: HashSet<PathBuf> = discovery.files.iter().map(|f| f.path.clone()).collect();
    let names = load_names(home, &mut report);
    Look {
        stats: stat_all(discovery.files),
        gone: Gone::AllBut(seen),
        names,
        report,
        full: true,
    }
}

/// Look at just these paths (from watcher events): files, directories, the session index.
/// Returns `None` when a path needs a full look instead (CODEX_HOME itself changed).
pub(crate) fn look_paths(home: &Path, paths: &[PathBuf]) -> Option<Look> {
    let mut report = ScanReport::default();
    let mut found: Vec<Found> = Vec::new();
    let mut files: Vec<PathBuf> = Vec::new();
    let mut dirs: Vec<PathBuf> = Vec::new();
    let mut names_dirty = false;
    for path in paths {
        if path == home {
            return None;
        }
        match discover::classify(home, path) {
            PathKind::Rollout { name, archived } => match std::fs::metadata(path) {
                Ok(m) if m.is_file() => found.push(Found {
                    path: path.clone(),
                    name,
                    archived,
                }),
                Ok(m) if m.is_dir() => found.extend(discover::discover_dir(path, archived).files),
                _ => files.push(path.clone()),
            },
            PathKind::SessionDir { archived } => match std::fs::metadata(path) {
                // A new (or moved-in) directory: files written into it before its watch
                // existed produced no events, so list it ourselves (the new-directory race).
                Ok(m) if m.is_dir() => {
                    let d = discover::discover_dir(path, archived);
                    report.errors.extend(d.errors);
                    found.extend(d.files);
                }
                _ => dirs.push(path.clone()),
            },
            PathKind::SessionIndex => names_dirty = true,
            PathKind::Other => {}
        }
    }
    report.files_seen = found.len();
    let names = if names_dirty {
        load_names(home, &mut report)
    } else {
        None
    };
    Some(Look {
        stats: stat_all(found),
        gone: Gone::Listed { files, dirs },
        names,
        report,
        full: false,
    })
}

fn load_names(home: &Path, report: &mut ScanReport) -> Option<HashMap<String, String>> {
    match session_index::load(&home.join(discover::SESSION_INDEX)) {
        Ok(names) => Some(names),
        Err(e) => {
            report.errors.push(ScanError::SessionIndex(e));
            None
        }
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

impl Look {
    /// Under the lock: drop what is gone, apply the names, and pick the files that need
    /// reading (all of them with `force`, as `build` asks), with their previous state.
    pub(crate) fn plan(self, table: &mut Table, force: bool) -> Plan {
        let Look {
            stats,
            gone,
            names,
            mut report,
            full: _,
        } = self;
        match gone {
            Gone::AllBut(seen) => {
                let gone: Vec<PathBuf> = table
                    .paths()
                    .filter(|p| !seen.contains(*p))
                    .map(Path::to_path_buf)
                    .collect();
                for p in &gone {
                    table.remove_file(p);
                }
                report.files_removed += gone.len();
            }
            Gone::Listed { files, dirs } => {
                for p in &files {
                    report.files_removed += usize::from(table.remove_file(p));
                }
                for d in &dirs {
                    report.files_removed += table.remove_under(d);
                }
            }
        }
        if let Some(names) = names {
            table.set_names(names);
        }
        let mut jobs = Vec::new();
        for (found, st) in stats {
            let prev = table.file(&found.path).filter(|_| !force);
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
        Plan { jobs, report }
    }
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

/// Phase 3, without the table: read the planned files on all cores (big and small files mix,
/// so rayon's work stealing keeps every core busy to the end), in the plan's order.
pub(crate) fn read(plan: Plan, progress: &ScanProgress) -> (Vec<JobResult>, ScanReport) {
    let Plan { jobs, report } = plan;
    if jobs.is_empty() {
        return (Vec::new(), report);
    }
    progress.start(jobs.len());
    let results = jobs
        .into_par_iter()
        .map(|job| {
            let r = read_job(job);
            progress.advance();
            r
        })
        .collect();
    progress.finish();
    (results, report)
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

/// Phase 4, under the lock: store what was read. Files that could not be read go to the
/// report's errors ([`ScanError::Read`]), where the engine counts them.
pub(crate) fn commit(table: &mut Table, results: Vec<JobResult>, report: &mut ScanReport) {
    for r in results {
        match r {
            JobResult::Updated(path, entry, bytes) => {
                report.files_read += 1;
                report.bytes_read += bytes;
                table.upsert_file(path, entry);
            }
            JobResult::Unchanged => {}
            JobResult::Gone(path) => {
                report.files_removed += usize::from(table.remove_file(&path));
            }
            JobResult::Failed(path, e) => report.errors.push(ScanError::Read(path, e)),
        }
    }
}
