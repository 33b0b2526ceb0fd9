//! The engine: table + route index + configuration + health counters, and the operations
//! that change them. Shared by the daemon (behind its socket) and by the client's fallback
//! (in-process, when no daemon can be reached), so both answer requests identically.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use crate::registry;
use crate::scan::{self, ScanReport};
use crate::table::{StatusPolicy, Table, now_ms};

/// Everything the engine needs to know about its environment.
#[derive(Clone, Debug)]
pub struct Config {
    pub codex_home: PathBuf,
    pub registry: PathBuf,
    pub socket: PathBuf,
    pub policy: StatusPolicy,
    /// Period of the stat-only safety-net reconcile.
    pub reconcile_interval: Duration,
    /// How long events for a path are gathered before it is re-read.
    pub debounce: Duration,
    /// May this process write the registry? (The fallback may not while a daemon holds the
    /// single-instance lock.)
    pub write_registry: bool,
}

impl Config {
    /// Defaults for a CODEX_HOME: registry inside it, socket from the environment.
    pub fn for_home(codex_home: PathBuf) -> Config {
        Config {
            registry: codex_home.join("claude-sessions.json"),
            socket: codexd_proto::socket::resolve_socket_path(None),
            codex_home,
            policy: StatusPolicy::default(),
            reconcile_interval: Duration::from_secs(60),
            debounce: Duration::from_millis(50),
            write_registry: true,
        }
    }
}

/// Health counters reported by `status`.
#[derive(Debug, Default)]
pub struct Health {
    pub full_scans: u64,
    pub last_full_scan_ms: Option<i64>,
    pub errors: u64,
    pub last_error: Option<String>,
    /// Paths already warned about, so a broken file is logged once, not on every scan.
    warned: HashSet<PathBuf>,
    pub watcher: String,
}

pub struct Engine {
    pub config: Config,
    pub table: Table,
    pub route: codexd_route::Index,
    pub health: Health,
    pub started: Instant,
    /// cwd → enclosing git work tree, looked up once per directory (sessions share a few).
    git_roots: std::collections::HashMap<String, Option<String>>,
}

impl Engine {
    pub fn new(config: Config) -> Engine {
        Engine {
            config,
            table: Table::default(),
            route: codexd_route::Index::default(),
            health: Health {
                watcher: "starting".to_owned(),
                ..Health::default()
            },
            started: Instant::now(),
            git_roots: Default::default(),
        }
    }

    /// Record an error reading a file; warn once per path.
    pub fn note_file_error(&mut self, path: &Path, e: &std::io::Error) {
        self.note_error(format!("{}: {e}", path.display()));
        if self.health.warned.insert(path.to_owned()) {
            tracing::warn!(path = %path.display(), error = %e, "cannot read rollout; skipping it");
        } else {
            tracing::debug!(path = %path.display(), error = %e, "cannot read rollout");
        }
    }

    pub fn note_error(&mut self, message: String) {
        self.health.errors += 1;
        self.health.last_error = Some(message);
    }

    /// Bring the route index up to date with the threads the table changed.
    pub fn refresh_route_index(&mut self) {
        let changed = self.table.take_changed();
        for id in changed {
            match self.table.thread(&id) {
                Some(t) => {
                    let r = t.record();
                    let prompts: Vec<String> = t.prompts().iter().map(|p| p.text.clone()).collect();
                    let name = t.title_name();
                    let fields = codexd_route::DocFields {
                        name,
                        first_prompt: t.first_prompt(),
                        prompts: &prompts,
                        cwd: r.cwd(),
                        repo: r.meta.git_origin.as_deref(),
                    };
                    let meta = codexd_route::DocMeta {
                        updated_unix: t.updated_ms() / 1000,
                        archived: t.archived(),
                        non_interactive: !t.interactive(),
                        cwd: r.cwd().map(str::to_owned),
                        git_root: r.cwd().and_then(|c| git_root(&mut self.git_roots, c)),
                    };
                    self.route.upsert(&id, &fields, meta);
                }
                None => self.route.remove(&id),
            }
        }
    }

    /// Render the registry document for the current table.
    pub fn render_registry(&self) -> Vec<u8> {
        registry::render(&self.table, now_ms(), self.config.policy)
    }
}

/// The nearest ancestor of `cwd` (inclusive) holding `.git`, so a prompt from `repo/web` finds
/// sessions started in `repo/server`. Directories that no longer exist simply have none.
fn git_root(
    cache: &mut std::collections::HashMap<String, Option<String>>,
    cwd: &str,
) -> Option<String> {
    if let Some(hit) = cache.get(cwd) {
        return hit.clone();
    }
    let root = Path::new(cwd)
        .ancestors()
        .take(16)
        .find(|d| d.join(".git").exists())
        .filter(|d| d.parent().is_some())
        .map(|d| d.display().to_string());
    cache.insert(cwd.to_owned(), root.clone());
    root
}

/// The engine plus the lock that serialises reconciles (the table has one writer at a time).
pub struct Shared {
    pub engine: Mutex<Engine>,
    reconcile_lock: Mutex<()>,
    /// Bytes of the registry as last written, to skip identical rewrites.
    last_registry: Mutex<Option<Vec<u8>>>,
}

impl Shared {
    pub fn new(engine: Engine) -> Shared {
        Shared {
            engine: Mutex::new(engine),
            reconcile_lock: Mutex::new(()),
            last_registry: Mutex::new(None),
        }
    }

    pub fn lock(&self) -> std::sync::MutexGuard<'_, Engine> {
        self.engine.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Reconcile everything with the disk (`force`: re-parse every file, as `build` does).
    pub fn full_reconcile(&self, force: bool) -> ScanReport {
        let _one_writer = self
            .reconcile_lock
            .lock()
            .unwrap_or_else(|e| e.into_inner());
        let report = scan::reconcile_full(&self.engine, force);
        let mut eng = self.lock();
        eng.health.full_scans += 1;
        eng.health.last_full_scan_ms = Some(now_ms());
        for e in &report.errors {
            tracing::debug!(error = %e, "scan");
        }
        eng.refresh_route_index();
        drop(eng);
        if report.files_read > 100 {
            release_free_memory();
        }
        report
    }

    /// Reconcile specific paths; falls back to a full reconcile when needed.
    pub fn reconcile_paths(&self, paths: &[PathBuf]) -> ScanReport {
        let report = {
            let _one_writer = self
                .reconcile_lock
                .lock()
                .unwrap_or_else(|e| e.into_inner());
            scan::reconcile_paths(&self.engine, paths)
        };
        match report {
            Some(r) => {
                self.lock().refresh_route_index();
                r
            }
            None => self.full_reconcile(false),
        }
    }

    /// Write the registry if its contents changed. Errors are logged and counted, and the
    /// write is retried on the next call (the daemon stays up on a full disk).
    pub fn save_registry(&self) -> Result<bool, registry::RegistryError> {
        let (bytes, path, allowed) = {
            let eng = self.lock();
            (
                eng.render_registry(),
                eng.config.registry.clone(),
                eng.config.write_registry,
            )
        };
        // No registry directory (CODEX_HOME not created yet): nothing to index, nothing to save.
        if !allowed
            || !path
                .parent()
                .is_none_or(|d| d.as_os_str().is_empty() || d.is_dir())
        {
            return Ok(false);
        }
        let mut last = self.last_registry.lock().unwrap_or_else(|e| e.into_inner());
        if last.as_deref() == Some(&bytes[..]) && path.exists() {
            return Ok(false);
        }
        match registry::save(&path, &bytes) {
            Ok(()) => {
                *last = Some(bytes);
                Ok(true)
            }
            Err(e) => {
                self.lock().note_error(e.to_string());
                Err(e)
            }
        }
    }
}

/// Give freed heap back to the OS after a big scan: reading thousands of files leaves tens of
/// MB of transient buffers in glibc's arenas that a long-running daemon would otherwise keep.
fn release_free_memory() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: malloc_trim only releases free heap pages; it has no preconditions.
    #[allow(unsafe_code)]
    unsafe {
        libc::malloc_trim(0);
    }
}
