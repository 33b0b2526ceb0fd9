//! Watching `$CODEX_HOME`: events are hints that say *where* to look; `scan` decides *what*
//! is there.
//!
//! - `sessions/` and `archived_sessions/` are watched recursively, `$CODEX_HOME` itself
//!   non-recursively (so their creation, and `session_index.jsonl` rewrites, are seen). A
//!   missing `$CODEX_HOME` is polled for once a second.
//! - The notify callback only sends into an unbounded channel: it never blocks and never drops.
//! - Paths are gathered into a set; `debounce` after the first event of a batch they are
//!   reconciled together (a window that opens at the first event bounds latency even while
//!   Codex keeps appending). Directories are listed by the reconcile (new-directory race).
//! - A rescan flag (queue overflow) or watcher error triggers a full reconcile, as does the
//!   periodic safety net every `reconcile_interval`.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use notify::{EventKind, RecursiveMode, Watcher};
use tokio::sync::mpsc;
use tokio_util::sync::CancellationToken;

use codexd_core::discover::{ARCHIVED_DIR, SESSIONS_DIR};
use codexd_core::engine::{Shared, WatchState};

enum Msg {
    Paths(Vec<PathBuf>),
    Rescan(String),
    Error(notify::Error),
}

/// Run until cancelled.
pub async fn run(shared: Arc<Shared>, cancel: CancellationToken) {
    let config = shared.config();
    let (home, debounce, interval) = (
        config.codex_home,
        config.debounce,
        config.reconcile_interval,
    );
    loop {
        // Wait for CODEX_HOME to exist.
        if !home.is_dir() {
            shared.set_watcher(WatchState::WaitingForHome);
            // CODEX_HOME vanished under us: empty the table (a reconcile finds nothing).
            let stale = shared.read(|eng| eng.table().file_count() > 0);
            if stale {
                blocking(&shared, |s| {
                    s.full_reconcile(false);
                })
                .await;
            }
            tokio::select! {
                _ = cancel.cancelled() => return,
                _ = tokio::time::sleep(Duration::from_secs(1)) => continue,
            }
        }
        match watch_home(&shared, &home, debounce, interval, &cancel).await {
            Ok(()) => return, // cancelled
            Err(e) => {
                tracing::warn!(error = %e, "watcher stopped; re-arming");
                shared.set_watcher(WatchState::Failed(e.to_string()));
                tokio::select! {
                    _ = cancel.cancelled() => return,
                    _ = tokio::time::sleep(Duration::from_secs(1)) => {}
                }
            }
        }
    }
}

async fn blocking<F: FnOnce(&Shared) + Send + 'static>(shared: &Arc<Shared>, f: F) {
    let s = shared.clone();
    let _ = tokio::task::spawn_blocking(move || f(&s)).await;
}

/// Watch an existing CODEX_HOME until it disappears (Err) or we are cancelled (Ok).
async fn watch_home(
    shared: &Arc<Shared>,
    home: &Path,
    debounce: Duration,
    interval: Duration,
    cancel: &CancellationToken,
) -> Result<(), String> {
    let (tx, mut rx) = mpsc::unbounded_channel::<Msg>();
    let mut watcher = notify::recommended_watcher(move |res: notify::Result<notify::Event>| {
        let msg = match res {
            Ok(ev) if ev.need_rescan() => Msg::Rescan(format!("{:?}", ev.kind)),
            Ok(ev) if matches!(ev.kind, EventKind::Access(_)) => return,
            Ok(ev) => Msg::Paths(ev.paths),
            Err(e) => Msg::Error(e),
        };
        let _ = tx.send(msg);
    })
    .map_err(|e| e.to_string())?;
    watcher
        .watch(home, RecursiveMode::NonRecursive)
        .map_err(|e| e.to_string())?;
    let mut armed: HashSet<PathBuf> = HashSet::new();
    arm(&mut watcher, home, &mut armed, shared);
    shared.set_watcher(WatchState::Watching);
    // Anything written before the watches existed: one full reconcile after arming.
    blocking(shared, |s| {
        s.full_reconcile(false);
    })
    .await;

    let mut dirty: HashSet<PathBuf> = HashSet::new();
    let mut full = false;
    let mut deadline: Option<tokio::time::Instant> = None;
    let mut periodic = tokio::time::interval(interval);
    periodic.reset();
    loop {
        let flush_at = deadline;
        tokio::select! {
            _ = cancel.cancelled() => return Ok(()),
            msg = rx.recv() => {
                let Some(msg) = msg else { return Err("watcher channel closed".into()) };
                match msg {
                    Msg::Paths(paths) => {
                        for p in paths {
                            // (Re)arm when sessions/ or archived_sessions/ appear.
                            if p.parent() == Some(home) && is_session_root(&p) {
                                arm(&mut watcher, home, &mut armed, shared);
                            }
                            if p == home && !home.is_dir() {
                                return Err("CODEX_HOME was removed".into());
                            }
                            dirty.insert(p);
                        }
                    }
                    Msg::Rescan(why) => {
                        tracing::info!(reason = %why, "event queue overflowed; full reconcile");
                        full = true;
                    }
                    Msg::Error(e) => {
                        if matches!(e.kind, notify::ErrorKind::MaxFilesWatch) {
                            shared.set_watcher(WatchState::WatchLimit);
                        } else {
                            tracing::warn!(error = %e, "watcher error; full reconcile");
                        }
                        shared.note_error(format!("watcher: {e}"));
                        full = true;
                    }
                }
                if deadline.is_none() {
                    deadline = Some(tokio::time::Instant::now() + debounce);
                }
            }
            _ = async { tokio::time::sleep_until(flush_at.expect("guarded")).await }, if flush_at.is_some() => {
                deadline = None;
                let paths: Vec<PathBuf> = dirty.drain().collect();
                let do_full = std::mem::take(&mut full);
                if !home.is_dir() {
                    blocking(shared, |s| { s.full_reconcile(false); }).await;
                    return Err("CODEX_HOME was removed".into());
                }
                blocking(shared, move |s| {
                    if do_full {
                        s.full_reconcile(false);
                    } else {
                        s.reconcile_paths(&paths);
                    }
                }).await;
                // Roots may have been replaced (deleted and re-created) in this batch.
                armed.retain(|p| p.is_dir());
                arm(&mut watcher, home, &mut armed, shared);
            }
            _ = periodic.tick() => {
                if !home.is_dir() {
                    blocking(shared, |s| { s.full_reconcile(false); }).await;
                    return Err("CODEX_HOME was removed".into());
                }
                armed.retain(|p| p.is_dir());
                arm(&mut watcher, home, &mut armed, shared);
                blocking(shared, |s| { s.full_reconcile(false); }).await;
            }
        }
    }
}

fn is_session_root(p: &Path) -> bool {
    p.file_name()
        .is_some_and(|n| n == SESSIONS_DIR || n == ARCHIVED_DIR)
}

/// Watch `sessions/` and `archived_sessions/` recursively if they exist and are not yet watched.
fn arm(
    watcher: &mut notify::RecommendedWatcher,
    home: &Path,
    armed: &mut HashSet<PathBuf>,
    shared: &Shared,
) {
    for dir in [SESSIONS_DIR, ARCHIVED_DIR] {
        let path = home.join(dir);
        if armed.contains(&path) || !path.is_dir() {
            continue;
        }
        match watcher.watch(&path, RecursiveMode::Recursive) {
            Ok(()) => {
                armed.insert(path);
            }
            Err(e) => {
                if matches!(e.kind, notify::ErrorKind::MaxFilesWatch) {
                    shared.set_watcher(WatchState::WatchLimit);
                }
                tracing::warn!(path = %path.display(), error = %e, "cannot watch");
            }
        }
    }
}
