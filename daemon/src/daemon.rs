//! The daemon's life: lock, socket, first scan, watcher, registry writer, shutdown.
//!
//! Order matters: the single-instance lock is taken *before* the socket is touched, so only
//! the lock holder ever removes a stale socket; the socket is bound before the first scan so
//! clients connect at once (their requests wait for the scan), and it is removed at exit only
//! if it is still the one we bound.

use std::os::unix::fs::{FileTypeExt, MetadataExt};
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use interprocess::local_socket::{GenericFilePath, ListenerOptions, ToFsName};
use interprocess::os::unix::local_socket::ListenerOptionsExt;
use tokio::sync::watch;
use tokio_util::sync::CancellationToken;

use crate::server;
use codexd_core::engine::{Config, Engine, Shared, Stage};
use codexd_core::lock::{InstanceLock, LockError};
use codexd_core::paths::{DirError, secure_socket_dir};
use codexd_core::registry;

#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error(transparent)]
    Dir(#[from] DirError),
    #[error(transparent)]
    Lock(#[from] LockError),
    #[error(
        "socket {path} is in use by another process (not a codexd holding {lock}); stop it or choose another --socket"
    )]
    SocketInUse { path: String, lock: String },
    #[error("{path} exists and is not a socket; remove it or choose another --socket")]
    NotASocket { path: String },
    #[error("cannot bind {path}: {source}")]
    Bind {
        path: String,
        source: std::io::Error,
    },
}

/// Run the daemon until SIGTERM/SIGINT or a `shutdown` request.
pub async fn run(config: Config) -> Result<(), StartError> {
    let socket = config.socket.clone();
    secure_socket_dir(&socket)?;
    let lock_path = codexd_proto::socket::lock_path_for(&socket);
    let _lock = acquire_lock(&lock_path).await?;
    remove_stale_socket(&socket, &lock_path)?;

    let stale = registry::remove_stale_temp_files(&config.registry);
    if stale > 0 {
        tracing::info!(
            count = stale,
            "removed temp files left by an interrupted registry write"
        );
    }
    // User-owned state first, so the first registry write cannot drop it.
    let mut config = config;
    // A registry we cannot read (permissions, a directory in its place) is not replaced: it
    // may hold the user's decisions. Run without writing it and say so in `status`.
    let (loaded, load_error) = match registry::load(&config.registry) {
        Ok(l) => (l, None),
        Err(e) => {
            tracing::error!(error = %e, "cannot read the registry; running without writing it until codexd restarts");
            config.write_registry = false;
            (registry::Loaded::default(), Some(e.to_string()))
        }
    };
    if let Some(aside) = &loaded.moved_aside {
        tracing::warn!(registry = %config.registry.display(), moved_to = %aside.display(), "registry was unreadable; moved aside and rebuilding it");
    }
    if loaded.skipped_entries > 0 {
        tracing::warn!(
            count = loaded.skipped_entries,
            "skipped unreadable registry entries"
        );
    }
    let mut engine = Engine::new(config.clone());
    engine.set_user_states(loaded.user);
    if let Some(e) = load_error {
        engine.note_error(format!("registry not written: {e}"));
    }
    let shared = Arc::new(Shared::new(engine));

    let name = socket
        .as_path()
        .to_fs_name::<GenericFilePath>()
        .map_err(|source| StartError::Bind {
            path: socket.display().to_string(),
            source,
        })?;
    let listener = ListenerOptions::new()
        .name(name)
        .reclaim_name(false)
        .mode(0o600)
        .create_tokio()
        .map_err(|source| StartError::Bind {
            path: socket.display().to_string(),
            source,
        })?;
    let bound_ino = std::fs::symlink_metadata(&socket).map(|m| m.ino()).ok();
    tracing::info!(socket = %socket.display(), codex_home = %config.codex_home.display(), pid = std::process::id(), "codexd listening");

    let cancel = CancellationToken::new();
    let (ready_tx, ready_rx) = watch::channel(server::Readiness::Starting);

    // First scan, then the watcher and the registry writer.
    let bg = {
        let shared = shared.clone();
        let cancel = cancel.clone();
        tokio::spawn(async move {
            let s = shared.clone();
            let started = std::time::Instant::now();
            let (cached, report) =
                tokio::task::spawn_blocking(move || (s.load_cache(), s.reconcile_table()))
                    .await
                    .unwrap_or_default();
            let sessions = shared.read(|eng| eng.table().thread_count());
            tracing::info!(
                files = report.files_seen,
                cached,
                read = report.files_read,
                sessions,
                bytes = report.bytes_read,
                ms = started.elapsed().as_millis() as u64,
                "initial scan done"
            );
            shared.set_stage(Stage::Indexing);
            let _ = ready_tx.send(server::Readiness::TableReady);
            // The index is built after the scan, not beside it: on two cores the two jobs only
            // slowed each other (measured: `list` ready 90 ms later, `route` no sooner).
            let s = shared.clone();
            let indexing = std::time::Instant::now();
            let from_cache = tokio::task::spawn_blocking(move || {
                let loaded = s.load_route_cache();
                if !loaded {
                    s.rebuild_route_index();
                }
                loaded
            })
            .await
            .unwrap_or(false);
            let how = if from_cache {
                "loaded from cache"
            } else {
                "rebuilt"
            };
            let index_ms = indexing.elapsed().as_millis() as u64;
            tracing::info!(
                ms = started.elapsed().as_millis() as u64,
                how,
                "route index built"
            );
            shared.set_ready(format!("{how} in {index_ms} ms"));
            let _ = ready_tx.send(server::Readiness::Indexed);
            // A cache that was loaded and barely changed is not rewritten now (shutdown and the
            // periodic save will): no need to spend ~100 ms of a core just as clients start.
            let refresh_cache = cached == 0 || report.files_read * 20 > cached;
            let s = shared.clone();
            let _ = tokio::task::spawn_blocking(move || {
                log_save(&s);
                if refresh_cache {
                    s.save_cache();
                }
            })
            .await;
            let writer = tokio::spawn(registry_writer(shared.clone(), cancel.clone()));
            crate::watch::run(shared, cancel).await;
            let _ = writer.await;
        })
    };

    let serving = tokio::spawn(server::serve(
        listener,
        shared.clone(),
        ready_rx,
        cancel.clone(),
    ));
    wait_for_signal(&cancel).await;
    cancel.cancel();
    let _ = serving.await;
    let _ = tokio::time::timeout(Duration::from_secs(5), bg).await;

    // Final flush, then remove our socket (only if nobody replaced it).
    let s = shared.clone();
    let _ = tokio::task::spawn_blocking(move || {
        log_save(&s);
        s.save_cache();
    })
    .await;
    if let (Some(ino), Ok(m)) = (bound_ino, std::fs::symlink_metadata(&socket))
        && m.ino() == ino
    {
        let _ = std::fs::remove_file(&socket);
    }
    tracing::info!("codexd stopped");
    Ok(())
}

/// A client's fallback may hold the lock for the moment of one registry write; give it a
/// short grace period before concluding another daemon runs.
async fn acquire_lock(path: &Path) -> Result<InstanceLock, LockError> {
    let mut tries = 0;
    loop {
        match InstanceLock::acquire(path) {
            Err(LockError::Held { .. }) if tries < 10 => {
                tries += 1;
                tokio::time::sleep(Duration::from_millis(50)).await;
            }
            other => return other,
        }
    }
}

fn log_save(shared: &Shared) {
    match shared.save_registry() {
        Ok(true) => tracing::debug!("registry saved"),
        Ok(false) => {}
        Err(e) => tracing::warn!(error = %e, "cannot save registry; will retry"),
    }
}

/// Saves the warm-start cache at most every ten minutes, and the registry at most once a second when the table changed, and re-renders every
/// ten minutes (statuses age: active → completed) — writing only when the bytes differ.
async fn registry_writer(shared: Arc<Shared>, cancel: CancellationToken) {
    let mut saved_gen = u64::MAX;
    let mut last_full = tokio::time::Instant::now();
    let mut cached_gen = shared.read(|eng| eng.table().generation());
    let mut last_cache = tokio::time::Instant::now();
    // At least a second between writes, and never more than ~5 % of the time spent writing:
    // rendering 100k sessions takes a few hundred ms, which must not happen every second
    // while Codex is busy appending.
    let mut pause = Duration::from_secs(1);
    loop {
        tokio::select! {
            _ = cancel.cancelled() => return,
            _ = tokio::time::sleep(pause) => {}
        }
        let generation = shared.read(|eng| eng.table().generation());
        // The warm-start cache trails by up to ten minutes (rendering it holds the engine lock
        // for tens of ms at 10k sessions); a stale entry only costs a re-read at restart.
        if generation != cached_gen && last_cache.elapsed() >= Duration::from_secs(600) {
            let s = shared.clone();
            let _ = tokio::task::spawn_blocking(move || s.save_cache()).await;
            cached_gen = generation;
            last_cache = tokio::time::Instant::now();
        }
        if generation == saved_gen && last_full.elapsed() < Duration::from_secs(600) {
            continue;
        }
        let s = shared.clone();
        let started = std::time::Instant::now();
        let ok = tokio::task::spawn_blocking(move || s.save_registry().is_ok())
            .await
            .unwrap_or(false);
        pause = (started.elapsed() * 20).clamp(Duration::from_secs(1), Duration::from_secs(30));
        if ok {
            saved_gen = generation;
            last_full = tokio::time::Instant::now();
        }
    }
}

async fn wait_for_signal(cancel: &CancellationToken) {
    use tokio::signal::unix::{SignalKind, signal};
    let (Ok(mut term), Ok(mut int)) = (
        signal(SignalKind::terminate()),
        signal(SignalKind::interrupt()),
    ) else {
        cancel.cancelled().await;
        return;
    };
    tokio::select! {
        _ = term.recv() => tracing::info!("SIGTERM: shutting down"),
        _ = int.recv() => tracing::info!("SIGINT: shutting down"),
        _ = cancel.cancelled() => tracing::info!("shutdown requested"),
    }
}

/// We hold the lock, so no codexd is using the socket path. Remove a leftover socket only
/// after a connect is refused and it really is a socket; never touch a live one.
fn remove_stale_socket(socket: &Path, lock: &Path) -> Result<(), StartError> {
    let meta = match std::fs::symlink_metadata(socket) {
        Ok(m) => m,
        Err(_) => return Ok(()),
    };
    if !meta.file_type().is_socket() {
        return Err(StartError::NotASocket {
            path: socket.display().to_string(),
        });
    }
    match std::os::unix::net::UnixStream::connect(socket) {
        Ok(_) => Err(StartError::SocketInUse {
            path: socket.display().to_string(),
            lock: lock.display().to_string(),
        }),
        Err(_) => {
            tracing::info!(socket = %socket.display(), "removing stale socket");
            let _ = std::fs::remove_file(socket);
            Ok(())
        }
    }
}
