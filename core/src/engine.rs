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
    /// How often a running `build` reports progress to clients that ask for it.
    pub progress_every: Duration,
    /// Warm-start cache file (None: no cache, as in the client's fallback).
    pub cache: Option<PathBuf>,
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
            progress_every: Duration::from_millis(200),
            write_registry: true,
            cache: None,
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
    /// Start-up progress: `scanning`, `indexing`, then `ready`.
    pub stage: &'static str,
    /// How the route index was last built (from the cache or rebuilt, and how long it took).
    pub route_index: Option<String>,
}

pub struct Engine {
    pub config: Config,
    pub table: Table,
    pub route: codexd_route::Index,
    pub health: Health,
    pub started: Instant,
    /// A full index rebuild is running outside the lock; incremental updates wait for it.
    index_building: bool,
    /// Files read by the running scan (shared with the scanner's threads and the server).
    pub scan_progress: std::sync::Arc<crate::scan::ScanProgress>,
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
                stage: "scanning",
                ..Health::default()
            },
            started: Instant::now(),
            git_roots: Default::default(),
            index_building: false,
            scan_progress: Default::default(),
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

    /// Bring the route index up to date with the threads the table changed. While a full
    /// rebuild runs off the lock (`Shared::rebuild_route_index`), changes are left queued.
    pub fn refresh_route_index(&mut self) {
        if self.index_building {
            return;
        }
        let changed = self.table.take_changed();
        for id in changed {
            match self.route_doc(&id) {
                Some(doc) => doc.apply(&mut self.route),
                None => self.route.remove(&id),
            }
        }
    }

    /// What the route index needs of one thread, owned (so an index can be built unlocked).
    fn route_doc(&mut self, id: &str) -> Option<RouteDoc> {
        let t = self.table.thread(id)?;
        let r = t.record();
        let cwd = r.cwd().map(str::to_owned);
        let git_root = cwd
            .as_deref()
            .and_then(|c| git_root(&mut self.git_roots, c));
        let mut doc = RouteDoc {
            id: id.to_owned(),
            name: t.title_name().map(str::to_owned),
            first_prompt: t.first_prompt().map(str::to_owned),
            prompts: t.prompts().iter().map(|p| String::from(&*p.text)).collect(),
            files: r.files.iter().map(|f| String::from(&**f)).collect(),
            answer: t.last_answer().map(str::to_owned),
            repo: r.meta.git_origin.clone().map(String::from),
            meta: codexd_route::DocMeta {
                updated_unix: t.updated_ms() / 1000,
                archived: t.archived(),
                non_interactive: !t.user_started(),
                cwd,
                git_root,
                fingerprint: 0,
            },
        };
        doc.meta.fingerprint = doc.fingerprint();
        Some(doc)
    }
}

/// Sessions per engine-lock hold while the registry snapshot is built (~1 ms each).
const REGISTRY_CHUNK: usize = 256;
/// Threads per engine-lock hold while the cache snapshot is copied (~1 ms each).
const CACHE_CHUNK: usize = 512;

/// One thread as the route index sees it.
struct RouteDoc {
    id: String,
    name: Option<String>,
    first_prompt: Option<String>,
    prompts: Vec<String>,
    files: Vec<String>,
    answer: Option<String>,
    repo: Option<String>,
    meta: codexd_route::DocMeta,
}

impl RouteDoc {
    /// A hash of everything the index takes from this thread: equal fingerprints mean the
    /// indexed document is still right (how a cached index is checked at start).
    fn fingerprint(&self) -> u64 {
        use std::hash::{Hash, Hasher};
        let mut h = std::hash::DefaultHasher::new();
        let m = &self.meta;
        (
            &self.id,
            &self.name,
            &self.first_prompt,
            &self.prompts,
            &self.files,
            &self.answer,
            &self.repo,
        )
            .hash(&mut h);
        (
            m.updated_unix,
            m.archived,
            m.non_interactive,
            &m.cwd,
            &m.git_root,
        )
            .hash(&mut h);
        h.finish()
    }

    fn fields(&self) -> codexd_route::DocFields<'_> {
        codexd_route::DocFields {
            name: self.name.as_deref(),
            first_prompt: self.first_prompt.as_deref(),
            prompts: &self.prompts,
            files: &self.files,
            answer: self.answer.as_deref(),
            cwd: self.meta.cwd.as_deref(),
            repo: self.repo.as_deref(),
        }
    }

    fn apply(self, index: &mut codexd_route::Index) {
        index.upsert(&self.id, &self.fields(), self.meta.clone());
    }
}

/// Tokenize documents on all cores, keeping their order.
fn prepare_all(docs: Vec<RouteDoc>) -> Vec<(RouteDoc, codexd_route::Prepared)> {
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .max(1);
    let chunk = docs.len().div_ceil(threads).max(1);
    let mut docs = docs;
    let mut chunks: Vec<Vec<RouteDoc>> = Vec::new();
    while docs.len() > chunk {
        let rest = docs.split_off(chunk);
        chunks.push(docs);
        docs = rest;
    }
    chunks.push(docs);
    std::thread::scope(|s| {
        let handles: Vec<_> = chunks
            .into_iter()
            .map(|part| {
                s.spawn(move || {
                    let mut tokenizer = codexd_route::Tokenizer::new();
                    part.into_iter()
                        .map(|d| {
                            let p =
                                codexd_route::Prepared::with(&mut tokenizer, &d.fields(), &d.meta);
                            (d, p)
                        })
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().unwrap_or_default())
            .collect()
    })
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
    /// Hash of the registry as last written, to skip identical rewrites.
    last_registry: Mutex<Option<u64>>,
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

    /// Probe which threads are open in a Codex process (off the lock) and tell the table.
    pub fn refresh_live(&self) {
        let home = self.lock().config.codex_home.clone();
        let live = crate::live::probe(&home);
        self.lock().table.set_live(live);
    }

    /// Reconcile everything with the disk (`force`: re-parse every file, as `build` does).
    pub fn full_reconcile(&self, force: bool) -> ScanReport {
        let _one_writer = self.one_writer();
        let report = self.scan_all(force);
        tracing::debug!(
            files = report.files_seen,
            read = report.files_read,
            removed = report.files_removed,
            force,
            "full reconcile"
        );
        self.lock().refresh_route_index();
        report
    }

    /// Reconcile the table only (the daemon's first scan: the index is rebuilt separately so
    /// `list` and `show` answer while it builds).
    pub fn reconcile_table(&self) -> ScanReport {
        let _one_writer = self.one_writer();
        self.scan_all(false)
    }

    /// Work through `ids` taking the engine lock for `per_lock` of them at a time, so that a
    /// pass over every session never holds requests up for long.
    fn in_chunks(&self, ids: &[String], per_lock: usize, mut f: impl FnMut(&Engine, &[String])) {
        for chunk in ids.chunks(per_lock) {
            f(&self.lock(), chunk);
        }
    }

    /// The table has one writer at a time: every reconcile holds this.
    fn one_writer(&self) -> std::sync::MutexGuard<'_, ()> {
        self.reconcile_lock
            .lock()
            .unwrap_or_else(|e| e.into_inner())
    }

    /// A full reconcile of the table, counted in the health report. Caller holds `one_writer`.
    fn scan_all(&self, force: bool) -> ScanReport {
        let report = scan::reconcile_full(&self.engine, force);
        let mut eng = self.lock();
        eng.health.full_scans += 1;
        eng.health.last_full_scan_ms = Some(now_ms());
        for e in &report.errors {
            tracing::debug!(error = %e, "scan");
        }
        report
    }

    /// Build the whole route index without holding the engine lock (hundreds of ms at 10k
    /// sessions), then swap it in and apply whatever changed meanwhile.
    pub fn rebuild_route_index(&self) {
        let t0 = std::time::Instant::now();
        let docs: Vec<RouteDoc> = {
            let mut eng = self.lock();
            eng.index_building = true;
            eng.table.take_changed();
            let ids = eng.table.thread_ids();
            ids.iter().filter_map(|id| eng.route_doc(id)).collect()
        };
        // Tokenizing is the expensive, index-free half: do it on every core, insert on one.
        let t1 = std::time::Instant::now();
        let prepared = prepare_all(docs);
        let t2 = std::time::Instant::now();
        let mut index = codexd_route::Index::default();
        index.upsert_many(prepared.into_iter().map(|(doc, p)| (doc.id, p, doc.meta)));
        index.shrink_to_fit();
        tracing::debug!(
            docs_ms = (t1 - t0).as_millis() as u64,
            tokenize_ms = (t2 - t1).as_millis() as u64,
            insert_ms = t2.elapsed().as_millis() as u64,
            "route index phases"
        );
        let mut eng = self.lock();
        eng.route = index;
        eng.index_building = false;
        eng.refresh_route_index();
        drop(eng);
    }

    /// Save the warm-start cache, if configured.
    pub fn save_cache(&self) {
        let (ids, home, path) = {
            let eng = self.lock();
            let Some(path) = eng.config.cache.clone() else {
                return;
            };
            (eng.table.thread_ids(), eng.config.codex_home.clone(), path)
        };
        // A chunk of threads per lock hold (the whole table at once held it ~20 ms at 10k).
        let mut files = Vec::with_capacity(ids.len());
        self.in_chunks(&ids, CACHE_CHUNK, |eng, chunk| {
            crate::cache::snapshot(&mut files, &eng.table, chunk);
        });
        // Mid-rebuild the index is behind the table: keep the previous file (a stale index is
        // caught by the fingerprints anyway, this just saves the work). The index may also
        // have moved on from the files copied above; the fingerprints sort that out too.
        let route = {
            let eng = self.lock();
            let t = Instant::now();
            let bytes = (!eng.index_building).then(|| eng.route.to_bytes());
            tracing::debug!(
                ms = t.elapsed().as_millis() as u64,
                "route index serialised (engine locked)"
            );
            bytes
        };
        let bytes = crate::cache::render(&files, &home);
        drop(files);
        if let Err(e) = crate::cache::save(&path, &bytes) {
            self.cache_save_failed(&path, &e);
        }
        if let Some(route) = route {
            let route_path = crate::cache::route_path(&path);
            let bytes = crate::cache::render_route(&route, &home);
            if let Err(e) = crate::cache::save(&route_path, &bytes) {
                self.cache_save_failed(&route_path, &e);
            }
        }
    }

    /// A failed cache write costs nothing but a re-read at the next start (the previous file is
    /// kept whole): logged and counted, never fatal.
    fn cache_save_failed(&self, path: &Path, e: &std::io::Error) {
        let hint = registry::disk_full_hint(path, e);
        tracing::warn!(error = %e, path = %path.display(), "cannot save the warm-start cache{hint}");
        self.lock()
            .note_error(format!("cache not saved: {}: {e}{hint}", path.display()));
    }

    /// Warm start: adopt the cached route index when it still matches the table. Every
    /// thread's fingerprint is compared with the cached document's; the few that differ are
    /// re-indexed and vanished threads removed. Returns false (and changes nothing) when there
    /// is no usable cache or too much changed, so that the caller rebuilds instead.
    pub fn load_route_cache(&self) -> bool {
        let (path, home) = {
            let eng = self.lock();
            let Some(path) = eng.config.cache.clone() else {
                return false;
            };
            (
                crate::cache::route_path(&path),
                eng.config.codex_home.clone(),
            )
        };
        let Some(index) = crate::cache::load_route(&path, &home) else {
            return false;
        };
        let mut guard = self.lock();
        let eng = &mut *guard;
        if eng.index_building {
            return false;
        }
        let ids = eng.table.thread_ids();
        let stale: Vec<RouteDoc> = ids
            .iter()
            .filter_map(|id| eng.route_doc(id))
            .filter(|doc| index.fingerprint(&doc.id) != Some(doc.meta.fingerprint))
            .collect();
        // Re-indexing runs under the lock: beyond a few hundred, a rebuild off the lock is
        // kinder to requests.
        if stale.len() > 500.max(ids.len() / 10) {
            return false;
        }
        let gone: Vec<String> = index
            .keys()
            .filter(|k| eng.table.thread(k).is_none())
            .map(str::to_owned)
            .collect();
        eng.table.take_changed();
        eng.route = index;
        for k in &gone {
            eng.route.remove(k);
        }
        let stale_count = stale.len();
        for doc in stale {
            doc.apply(&mut eng.route);
        }
        tracing::info!(
            stale = stale_count,
            gone = gone.len(),
            "route index loaded from cache"
        );
        true
    }

    /// Seed the table from the warm-start cache; the next reconcile verifies every entry.
    pub fn load_cache(&self) -> usize {
        let mut eng = self.lock();
        let Some(path) = eng.config.cache.clone() else {
            return 0;
        };
        let t0 = std::time::Instant::now();
        let entries = crate::cache::load(&path, &eng.config.codex_home);
        let t1 = std::time::Instant::now();
        let n = entries.len();
        for (p, e) in entries {
            eng.table.upsert_file(p, e);
        }
        tracing::debug!(
            parse_ms = (t1 - t0).as_millis() as u64,
            insert_ms = t1.elapsed().as_millis() as u64,
            "cache loaded"
        );
        n
    }

    /// Reconcile specific paths; falls back to a full reconcile when needed.
    pub fn reconcile_paths(&self, paths: &[PathBuf]) -> ScanReport {
        let report = {
            let _one_writer = self.one_writer();
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
        let (ids, path, allowed, policy) = {
            let eng = self.lock();
            (
                registry::order(&eng.table),
                eng.config.registry.clone(),
                eng.config.write_registry,
                eng.config.policy,
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
        // Entries are built a chunk at a time, retaking the lock for each (a full snapshot of
        // 10k sessions held it ~40 ms), and serialised with it released: requests are never
        // held up for long. The result is as consistent as the registry needs: each entry is
        // exact, and a session that changes meanwhile is written again on the next save.
        let now = now_ms();
        let mut snapshot = registry::Snapshot::with_capacity(ids.len());
        self.in_chunks(&ids, REGISTRY_CHUNK, |eng, chunk| {
            snapshot.extend(&eng.table, chunk, now, policy);
        });
        drop(ids);
        let bytes = snapshot.serialize();
        let mut last = self.last_registry.lock().unwrap_or_else(|e| e.into_inner());
        let hash = {
            use std::hash::{Hash, Hasher};
            let mut h = std::collections::hash_map::DefaultHasher::new();
            bytes.hash(&mut h);
            h.finish()
        };
        if *last == Some(hash) && path.exists() {
            return Ok(false);
        }
        match registry::save(&path, &bytes) {
            Ok(()) => {
                *last = Some(hash);
                Ok(true)
            }
            Err(e) => {
                self.lock().note_error(e.to_string());
                Err(e)
            }
        }
    }
}
