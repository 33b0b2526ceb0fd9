//! The engine: table + route index + configuration + health counters, and the operations
//! that change them. Shared by the daemon (behind its socket) and by the client's fallback
//! (in-process, when no daemon can be reached), so both answer requests identically.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant};

use codexd_proto::Status;
use rayon::prelude::*;

use crate::registry;
use crate::scan::{self, ScanProgress, ScanReport};
use crate::table::{StatusPolicy, Table, UserState, now_ms};

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

/// Start-up progress, as `status` reports it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Stage {
    /// The first scan of CODEX_HOME is running.
    Scanning,
    /// The table is ready (`list`, `show`); the route index is being built.
    Indexing,
    /// Everything answers.
    Ready,
    /// The client's in-process fallback: one scan, then ready.
    DirectScan,
}

impl Stage {
    pub fn as_str(self) -> &'static str {
        match self {
            Stage::Scanning => "scanning",
            Stage::Indexing => "indexing",
            Stage::Ready => "ready",
            Stage::DirectScan => "ready (direct scan)",
        }
    }
}

/// What keeps the table up to date with the disk, as `status` reports it. Answers from a
/// degraded view carry a warning.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum WatchState {
    Starting,
    Watching,
    WaitingForHome,
    /// The inotify watch limit was reached: only the periodic reconcile notices changes.
    WatchLimit,
    /// The watcher failed and is being re-armed.
    Failed(String),
    /// The client's fallback: one scan, no watching.
    DirectScan,
}

impl WatchState {
    pub fn degraded(&self) -> bool {
        matches!(self, WatchState::WatchLimit | WatchState::Failed(_))
    }
}

impl std::fmt::Display for WatchState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            WatchState::Starting => f.write_str("starting"),
            WatchState::Watching => f.write_str("watching"),
            WatchState::WaitingForHome => f.write_str("waiting for CODEX_HOME"),
            WatchState::WatchLimit => f.write_str(
                "degraded: inotify watch limit reached (raise fs.inotify.max_user_watches); relying on periodic reconcile",
            ),
            WatchState::Failed(e) => write!(f, "degraded: {e}"),
            WatchState::DirectScan => f.write_str("not watching (direct scan by codexd-client)"),
        }
    }
}

/// Health counters reported by `status` (read by `commands`; written only through the
/// engine's methods).
#[derive(Debug)]
pub(crate) struct Health {
    pub(crate) full_scans: u64,
    pub(crate) last_full_scan_ms: Option<i64>,
    pub(crate) errors: u64,
    pub(crate) last_error: Option<String>,
    /// Paths already warned about, so a broken file is logged once, not on every scan.
    warned: HashSet<PathBuf>,
    pub(crate) watcher: WatchState,
    pub(crate) stage: Stage,
    /// How the route index was last built (from the cache or rebuilt, and how long it took).
    pub(crate) route_index: Option<String>,
}

/// Where the route index stands relative to the table.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum IndexState {
    /// Never built (the daemon's first scan fills the table first): changes stay queued.
    NotBuilt,
    /// A full build runs off the lock: changes stay queued and are applied when it lands.
    Building,
    /// Every table change is applied as it is committed.
    Current,
}

/// The state behind the lock: the table, the route index that follows it, configuration and
/// health. Fields are private: every change goes through a method, and every method that
/// changes the table brings the route index up to date before it returns (invariant
/// "index follows table", ARCHITECTURE.md).
pub struct Engine {
    config: Config,
    table: Table,
    route: codexd_route::Index,
    index_state: IndexState,
    health: Health,
    started: Instant,
    /// Files read by the running scan (shared with the scanner's threads and the server).
    scan_progress: Arc<ScanProgress>,
    /// cwd → enclosing git work tree (own lock: filled off the engine lock).
    git_roots: Arc<GitRoots>,
}

impl Engine {
    pub fn new(config: Config) -> Engine {
        Engine {
            config,
            table: Table::default(),
            route: codexd_route::Index::default(),
            index_state: IndexState::NotBuilt,
            health: Health {
                full_scans: 0,
                last_full_scan_ms: None,
                errors: 0,
                last_error: None,
                warned: HashSet::new(),
                watcher: WatchState::Starting,
                stage: Stage::Scanning,
                route_index: None,
            },
            started: Instant::now(),
            scan_progress: Default::default(),
            git_roots: Default::default(),
        }
    }

    pub fn config(&self) -> &Config {
        &self.config
    }

    pub fn table(&self) -> &Table {
        &self.table
    }

    pub fn route_index(&self) -> &codexd_route::Index {
        &self.route
    }

    pub(crate) fn health(&self) -> &Health {
        &self.health
    }

    pub(crate) fn started(&self) -> Instant {
        self.started
    }

    /// User-owned state from the registry (at start).
    pub fn set_user_states(&mut self, user: std::collections::HashMap<String, UserState>) {
        self.table.set_user_states(user);
        self.refresh_route_index();
    }

    /// Record a status the person set (`set-status`, `cleanup`).
    pub(crate) fn set_user_status(&mut self, id: &str, status: Status, now_ms: i64) {
        self.table.set_user_status(id, status, now_ms);
        self.refresh_route_index();
    }

    /// Record an error reading a file; warn once per path.
    fn note_file_error(&mut self, path: &Path, e: &std::io::Error) {
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

    /// Bring the route index up to date with the threads the table changed. Before the first
    /// build and while a full build runs off the lock, changes are left queued.
    fn refresh_route_index(&mut self) {
        if self.index_state != IndexState::Current {
            return;
        }
        let changed = self.table.take_changed();
        for id in changed {
            match self.route_doc(&id) {
                Some(mut doc) => {
                    doc.resolve(&self.git_roots);
                    doc.apply(&mut self.route);
                }
                None => self.route.remove(&id),
            }
        }
    }

    /// What the route index needs of one thread, owned (so an index can be built unlocked);
    /// its git root and fingerprint are filled in by [`RouteDoc::resolve`].
    fn route_doc(&self, id: &str) -> Option<RouteDoc> {
        let t = self.table.thread(id)?;
        let r = t.record();
        Some(RouteDoc {
            id: id.to_owned(),
            name: t.title_name().map(str::to_owned),
            first_prompt: t.first_prompt().map(str::to_owned),
            prompts: t.prompts().iter().map(|p| String::from(&*p.text)).collect(),
            files: r.files.iter().map(str::to_owned).collect(),
            answer: t.last_answer().map(str::to_owned),
            repo: r.meta.git_origin.clone().map(String::from),
            meta: codexd_route::DocMeta {
                updated_unix: t.updated_ms() / 1000,
                archived: t.archived(),
                non_interactive: !t.user_started(),
                cwd: r.cwd().map(str::to_owned),
                git_root: None,
                fingerprint: 0,
            },
        })
    }
}

/// Sessions per engine-lock hold while the registry snapshot is built (~1 ms each).
const REGISTRY_CHUNK: usize = 256;
/// Threads per engine-lock hold while the cache snapshot is copied (~1 ms each).
const CACHE_CHUNK: usize = 512;
/// Threads copied, tokenized and inserted at a time by a route index rebuild.
const INDEX_CHUNK: usize = 1024;

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
    /// Fill in the git root (from `roots`: looked up, or found on disk the first time a
    /// directory is seen) and the fingerprint of the finished document.
    fn resolve(&mut self, roots: &GitRoots) {
        self.meta.git_root = self.meta.cwd.as_deref().and_then(|c| roots.get(c));
        self.meta.fingerprint = self.fingerprint();
    }

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

/// Resolve and tokenize documents on all cores, keeping their order (rayon's `map_init`: one
/// tokenizer per worker).
fn prepare_all(docs: Vec<RouteDoc>, roots: &GitRoots) -> Vec<(RouteDoc, codexd_route::Prepared)> {
    docs.into_par_iter()
        .map_init(codexd_route::Tokenizer::new, |tokenizer, mut d| {
            d.resolve(roots);
            let p = codexd_route::Prepared::with(tokenizer, &d.fields(), &d.meta);
            (d, p)
        })
        .collect()
}

/// cwd → the nearest ancestor (inclusive) holding `.git`, so a prompt from `repo/web` finds
/// sessions started in `repo/server`; looked up once per directory (sessions share a few).
/// Directories that no longer exist simply have none. Its own lock, so that the disk is asked
/// off the engine lock ([`GitRoots::learn`] after a scan reads, before it commits).
#[derive(Debug, Default)]
struct GitRoots(Mutex<std::collections::HashMap<String, Option<String>>>);

impl GitRoots {
    fn get(&self, cwd: &str) -> Option<String> {
        let mut known = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(hit) = known.get(cwd) {
            return hit.clone();
        }
        let root = find_git_root(cwd);
        known.insert(cwd.to_owned(), root.clone());
        root
    }

    /// Look up the directories not seen before (file IO: call without the engine lock).
    fn learn<'a>(&self, cwds: impl Iterator<Item = &'a str>) {
        let new: Vec<&str> = {
            let known = self.0.lock().unwrap_or_else(PoisonError::into_inner);
            let mut new: Vec<&str> = cwds.filter(|c| !known.contains_key(*c)).collect();
            new.sort_unstable();
            new.dedup();
            new
        };
        let found: Vec<(String, Option<String>)> = new
            .into_iter()
            .map(|c| (c.to_owned(), find_git_root(c)))
            .collect();
        self.0
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .extend(found);
    }
}

fn find_git_root(cwd: &str) -> Option<String> {
    Path::new(cwd)
        .ancestors()
        .take(16)
        .find(|d| d.join(".git").exists())
        .filter(|d| d.parent().is_some())
        .map(|d| d.display().to_string())
}

/// The engine behind its lock, and the operations on it. The lock is private: callers outside
/// this crate read through [`Shared::read`] and change state through the methods here.
pub struct Shared {
    engine: Mutex<Engine>,
    /// The table has one writer at a time: every reconcile holds this.
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

    /// The engine, locked: for this crate's commands, which read and change it in one hold.
    pub(crate) fn lock(&self) -> MutexGuard<'_, Engine> {
        self.engine.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Read the engine under its lock (keep `f` short and free of IO: requests wait for it).
    pub fn read<R>(&self, f: impl FnOnce(&Engine) -> R) -> R {
        f(&self.lock())
    }

    pub fn config(&self) -> Config {
        self.lock().config.clone()
    }

    /// The counters of the running scan (atomics: read without the lock).
    pub fn scan_progress(&self) -> Arc<ScanProgress> {
        self.lock().scan_progress.clone()
    }

    pub fn set_stage(&self, stage: Stage) {
        self.lock().health.stage = stage;
    }

    /// The route index is built: say how, and that every request answers now.
    pub fn set_ready(&self, how_indexed: String) {
        let mut eng = self.lock();
        eng.health.stage = Stage::Ready;
        eng.health.route_index = Some(how_indexed);
    }

    pub fn set_watcher(&self, watcher: WatchState) {
        let mut eng = self.lock();
        if eng.health.watcher != watcher {
            tracing::info!(watcher = %watcher, "watcher state");
            eng.health.watcher = watcher;
        }
    }

    pub fn note_error(&self, message: String) {
        self.lock().note_error(message);
    }

    /// Probe which threads are open in a Codex process (off the lock) and tell the table.
    pub fn refresh_live(&self) {
        let home = self.lock().config.codex_home.clone();
        let live = crate::live::probe(&home);
        self.lock().table.set_live(live);
    }

    /// Reconcile everything with the disk (`force`: re-parse every file, as `build` does),
    /// and bring the route index up to date (building it, the first time).
    pub fn full_reconcile(&self, force: bool) -> ScanReport {
        let report = self.reconcile_table_with(force);
        if self.lock().index_state == IndexState::NotBuilt {
            self.rebuild_route_index();
        }
        report
    }

    /// Reconcile the table only (the daemon's first scan: the index is built separately so
    /// `list` and `show` answer while it builds).
    pub fn reconcile_table(&self) -> ScanReport {
        self.reconcile_table_with(false)
    }

    fn reconcile_table_with(&self, force: bool) -> ScanReport {
        let home = self.lock().config.codex_home.clone();
        let _one_writer = self.one_writer();
        let report = self.reconcile(scan::look_full(&home), force);
        let mut eng = self.lock();
        eng.health.full_scans += 1;
        eng.health.last_full_scan_ms = Some(now_ms());
        drop(eng);
        for e in &report.errors {
            tracing::debug!(error = %e, "scan");
        }
        tracing::debug!(
            files = report.files_seen,
            read = report.files_read,
            removed = report.files_removed,
            force,
            "full reconcile"
        );
        report
    }

    /// Reconcile specific paths (watcher events); a full reconcile when needed.
    pub fn reconcile_paths(&self, paths: &[PathBuf]) -> ScanReport {
        let home = self.lock().config.codex_home.clone();
        let look = {
            let _one_writer = self.one_writer();
            scan::look_paths(&home, paths).map(|look| self.reconcile(look, false))
        };
        look.unwrap_or_else(|| self.full_reconcile(false))
    }

    /// The reconcile protocol (`scan.rs` has the phases): look without the lock, plan under
    /// it, read without it, commit under it. Caller holds `one_writer`.
    fn reconcile(&self, look: scan::Look, force: bool) -> ScanReport {
        let full = look.full;
        let (plan, progress) = {
            let mut eng = self.lock();
            let plan = look.plan(&mut eng.table, force);
            eng.refresh_route_index();
            (plan, eng.scan_progress.clone())
        };
        let (results, mut report) = scan::read(plan, &progress);
        if !results.is_empty() {
            let roots = self.lock().git_roots.clone();
            roots.learn(results.iter().filter_map(scan::JobResult::cwd));
            let mut eng = self.lock();
            let errors_before = report.errors.len();
            scan::commit(&mut eng.table, results, &mut report);
            for e in &report.errors[errors_before..] {
                if let scan::ScanError::Read(path, e) = e {
                    eng.note_file_error(path, e);
                }
            }
            eng.refresh_route_index();
        }
        if full {
            // Metadata of sessions that were removed or rewritten may have been the last users.
            crate::atom::purge();
        }
        report
    }

    /// Work through `ids` taking the engine lock for `per_lock` of them at a time, so that a
    /// pass over every session never holds requests up for long.
    fn in_chunks(&self, ids: &[String], per_lock: usize, mut f: impl FnMut(&Engine, &[String])) {
        for chunk in ids.chunks(per_lock) {
            f(&self.lock(), chunk);
        }
    }

    fn one_writer(&self) -> MutexGuard<'_, ()> {
        self.reconcile_lock
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
    }

    /// Build the whole route index without holding the engine lock (hundreds of ms at 10k
    /// sessions), then swap it in and apply whatever changed meanwhile. Sessions are copied,
    /// tokenized and inserted [`INDEX_CHUNK`] at a time, so the build's peak is the index
    /// and one chunk rather than a copy and the tokens of every session. (A thread that
    /// changes between chunks is queued like any other change, and applied at the end.)
    pub fn rebuild_route_index(&self) {
        let t0 = Instant::now();
        let (ids, roots) = {
            let mut eng = self.lock();
            eng.index_state = IndexState::Building;
            eng.table.take_changed();
            (eng.table.thread_ids(), eng.git_roots.clone())
        };
        let mut index = codexd_route::Index::default();
        let mut bulk = index.bulk();
        for chunk in ids.chunks(INDEX_CHUNK) {
            let docs: Vec<RouteDoc> = {
                let eng = self.lock();
                chunk.iter().filter_map(|id| eng.route_doc(id)).collect()
            };
            roots.learn(docs.iter().filter_map(|d| d.meta.cwd.as_deref()));
            // Tokenizing is the expensive, index-free half: do it on every core, insert on one.
            for (doc, p) in prepare_all(docs, &roots) {
                bulk.upsert(&doc.id, p, doc.meta);
            }
        }
        drop(bulk);
        index.shrink_to_fit();
        tracing::debug!(ms = t0.elapsed().as_millis() as u64, "route index built");
        let mut eng = self.lock();
        eng.route = index;
        eng.index_state = IndexState::Current;
        eng.refresh_route_index();
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
            let bytes = (eng.index_state == IndexState::Current).then(|| eng.route.to_bytes());
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
        if eng.index_state == IndexState::Building {
            return false;
        }
        let ids = eng.table.thread_ids();
        let roots = eng.git_roots.clone();
        let stale: Vec<RouteDoc> = ids
            .iter()
            .filter_map(|id| eng.route_doc(id))
            .map(|mut doc| {
                doc.resolve(&roots);
                doc
            })
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
        eng.index_state = IndexState::Current;
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
    /// The file is read and parsed off the lock (`status` answers meanwhile).
    pub fn load_cache(&self) -> usize {
        let (path, home, roots) = {
            let eng = self.lock();
            let Some(path) = eng.config.cache.clone() else {
                return 0;
            };
            (path, eng.config.codex_home.clone(), eng.git_roots.clone())
        };
        let t0 = Instant::now();
        let entries = crate::cache::load(&path, &home);
        roots.learn(entries.iter().filter_map(|(_, e)| e.parsed.record.cwd()));
        let t1 = Instant::now();
        let n = entries.len();
        let mut eng = self.lock();
        for (p, e) in entries {
            eng.table.upsert_file(p, e);
        }
        eng.refresh_route_index();
        tracing::debug!(
            parse_ms = (t1 - t0).as_millis() as u64,
            insert_ms = t1.elapsed().as_millis() as u64,
            "cache loaded"
        );
        n
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
