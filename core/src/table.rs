//! The routing table: every rollout file we know, grouped into threads, plus the names from
//! `session_index.jsonl` and the user-owned fields from the registry.
//!
//! Architecture invariant: the table does no IO. The scanner reads files and hands finished
//! [`ParsedFile`]s in; the table only merges and derives. Every mutation bumps `generation`
//! and records which threads changed, so the route index and the registry writer can follow.

use std::collections::{BTreeSet, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use codexd_proto::Status;

use crate::rollout::TurnState;

use crate::rollout::context::one_line;
use crate::rollout::{ParsedFile, RolloutName};

/// Summary used when a session has no real prompt (the original command's default).
pub const DEFAULT_SUMMARY: &str = "Codex session";
/// The original `task_summary` length.
pub const SUMMARY_CHARS: usize = 100;

/// One rollout file.
#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
pub struct FileEntry {
    pub name: RolloutName,
    pub archived: bool,
    pub parsed: ParsedFile,
}

/// What the user told us about a thread (persisted in the registry).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct UserState {
    /// A status the user set, and when (unix ms). It holds until the rollout changes later.
    pub status: Option<(Status, i64)>,
    /// Registry fields we do not know (pins, tags, notes from newer versions or other tools),
    /// kept verbatim so a round trip through codexd never drops them.
    pub extra: serde_json::Map<String, serde_json::Value>,
}

/// Knobs for deriving status.
#[derive(Clone, Copy, Debug)]
pub struct StatusPolicy {
    /// A session changed within this window is `active` (ms).
    pub active_window_ms: i64,
}

impl Default for StatusPolicy {
    fn default() -> Self {
        StatusPolicy {
            active_window_ms: 7 * 24 * 3600 * 1000,
        }
    }
}

#[derive(Debug, Default)]
pub struct Table {
    /// Path → thread id. Files live inside their thread so that reading a thread (the hot
    /// path of every request) never hashes a path: `Path`'s hash walks its components.
    /// Paths and ids are `Arc`s shared with `threads` and the entries' names: one copy each.
    files: HashMap<Arc<Path>, Arc<str>>,
    threads: HashMap<Arc<str>, ThreadFiles>,
    /// Every thread id, sorted: the neighbours of an id give its shortest unique prefix.
    ids: BTreeSet<Arc<str>>,
    /// Which threads a Codex process holds open right now, as last probed (see [`Live`]).
    live: Live,
    names: HashMap<String, String>,
    user: HashMap<String, UserState>,
    /// Continuation links: thread → the thread its rollout says it continues or was forked
    /// from (`forked_from_id`), and the reverse. A parent with children is *superseded*: routing
    /// prefers the newest link of a chain (see [`Thread::superseded`]).
    parent_of: HashMap<Arc<str>, Box<str>>,
    children: HashMap<Box<str>, BTreeSet<Arc<str>>>,
    /// Bumped on every change.
    generation: u64,
    /// Threads changed since the last `take_changed`.
    changed: HashSet<String>,
}

/// The files of one thread, sorted by path. Almost always one, rarely a handful (reverts,
/// a `.zst` twin), so a vector: a `BTreeMap` would allocate an 11-slot node per thread.
#[derive(Debug, Default)]
pub struct ThreadFiles(Vec<(Arc<Path>, FileEntry)>, ThreadKey);

/// What `list` sorts and filters on, kept next to the thread's entry so scanning every thread
/// touches no other memory (10k threads: a few hundred µs instead of milliseconds).
#[derive(Clone, Copy, Debug, Default)]
pub struct ThreadKey {
    pub updated_ms: i64,
    /// [`Thread::user_started`] of the current file.
    pub user_started: bool,
    /// The current file has a prompt or a rollout-recorded name (a session_index name or an
    /// inherited prefix may still give it one: check the thread when this is false).
    pub has_prompt: bool,
}

impl ThreadFiles {
    fn refresh_key(&mut self) {
        self.1 = match current_file(self) {
            Some((_, e)) => {
                let r = &e.parsed.record;
                ThreadKey {
                    updated_ms: e.parsed.state.mtime_ms(),
                    user_started: is_user_started(r),
                    has_prompt: !r.real_prompts().is_empty() || r.name.is_some(),
                }
            }
            None => ThreadKey::default(),
        };
    }
    pub fn key(&self) -> ThreadKey {
        self.1
    }
    fn position(&self, path: &Path) -> Result<usize, usize> {
        self.0.binary_search_by(|(p, _)| (**p).cmp(path))
    }
    pub fn get(&self, path: &Path) -> Option<&FileEntry> {
        self.position(path).ok().map(|i| &self.0[i].1)
    }
    fn insert(&mut self, path: Arc<Path>, entry: FileEntry) {
        match self.position(&path) {
            Ok(i) => self.0[i].1 = entry,
            Err(i) => {
                // Exact growth: the default first allocation is four 700-byte slots.
                self.0.reserve_exact(1);
                self.0.insert(i, (path, entry));
            }
        }
        self.refresh_key();
    }
    fn remove(&mut self, path: &Path) {
        if let Ok(i) = self.position(path) {
            self.0.remove(i);
        }
        self.refresh_key();
    }
    pub fn contains_key(&self, path: &Path) -> bool {
        self.position(path).is_ok()
    }
    pub fn len(&self) -> usize {
        self.0.len()
    }
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
    pub fn iter(&self) -> impl Iterator<Item = (&Path, &FileEntry)> {
        self.0.iter().map(|(p, e)| (&**p, e))
    }
    pub fn keys(&self) -> impl Iterator<Item = &Path> {
        self.0.iter().map(|(p, _)| &**p)
    }
}

/// A thread as the table sees it, borrowed.
#[derive(Clone, Copy, Debug)]
pub struct Thread<'a> {
    pub id: &'a str,
    pub path: &'a Path,
    pub file: &'a FileEntry,
    /// Names, user state and neighbours are looked up lazily: most requests never need them,
    /// and hashing every id costs.
    table: &'a Table,
    files: &'a ThreadFiles,
}

/// Which threads are open in a Codex process, as probed from disk by the caller (the table
/// does no IO). Codex keeps `thread-writer-locks/<id>.lock` locked while a process owns a
/// paginated thread; older releases leave only an open turn to go by.
#[derive(Clone, Debug, Default)]
pub struct Live {
    /// Threads whose writer lock is held.
    pub locked: HashSet<String>,
    /// Whether `locked` is the whole truth for paginated threads (the probe could read the
    /// held locks). When false, an open turn written recently counts as running.
    pub authoritative: bool,
}

/// An open turn (`task_started` without an end) this recent counts as running when no writer
/// lock can tell: Codex appends token counts and items while a turn runs, but a long tool call
/// can be silent for minutes.
pub const OPEN_TURN_RUNNING_MS: i64 = 15 * 60 * 1000;

impl Table {
    pub fn generation(&self) -> u64 {
        self.generation
    }

    /// Approximate heap bytes by part, for `core/examples/mem.rs` ([`codexd_route::memory`]).
    pub fn memory(&self) -> codexd_route::memory::Report {
        use codexd_route::memory::{arc_str_bytes, map_bytes, size_class, vec_bytes};
        let boxed = |s: &Option<Box<str>>| s.as_deref().map_or(0, |s| size_class(s.len()));
        let mut r = codexd_route::memory::Report::default();
        r.add(
            "table: maps (path → id, id → files, sorted ids)",
            map_bytes(&self.files)
                + map_bytes(&self.threads)
                + self.ids.len() * size_of::<Arc<str>>() * 3 / 2,
        );
        for (id, files) in &self.threads {
            r.add("table: thread ids", arc_str_bytes(id));
            r.add("table: file entries (inline)", vec_bytes(&files.0));
            for (path, e) in &files.0 {
                r.add(
                    "table: paths",
                    size_class(16 + path.as_os_str().len()) + size_class(e.name.time.len()),
                );
                let rec = &e.parsed.record;
                for prompts in [&rec.prompts, &rec.item_prompts] {
                    r.add("table: prompt list", prompts.heap_bytes());
                    r.add(
                        "table: prompt text",
                        prompts.iter().map(|p| size_class(p.text.len())).sum(),
                    );
                }
                r.add("table: last answers", boxed(&rec.last_answer));
                r.add("table: files touched", rec.files.heap_bytes());
                let m = &rec.meta;
                r.add(
                    "table: other strings (name, ids, commit)",
                    boxed(&rec.name)
                        + boxed(&e.name.rollout_id)
                        + boxed(&m.id)
                        + boxed(&m.git_commit)
                        + boxed(&m.forked_from_id)
                        + boxed(&m.parent_thread_id)
                        + m.history_base
                            .as_ref()
                            .map_or(0, |(b, _)| size_class(b.len())),
                );
            }
        }
        let names: usize = self
            .names
            .iter()
            .map(|(k, v)| size_class(k.len()) + size_class(v.len()))
            .sum();
        let user: usize = self.user.keys().map(|k| size_class(k.len())).sum();
        r.add(
            "table: names, user state, links",
            names
                + map_bytes(&self.names)
                + user
                + map_bytes(&self.user)
                + map_bytes(&self.parent_of)
                + map_bytes(&self.children)
                + self.changed.capacity() * size_of::<String>(),
        );
        r
    }

    pub fn file_count(&self) -> usize {
        self.files.len()
    }

    pub fn thread_count(&self) -> usize {
        self.threads.len()
    }

    pub fn file(&self, path: &Path) -> Option<&FileEntry> {
        let tid = self.files.get(path)?;
        self.threads.get(tid)?.get(path)
    }

    pub fn paths(&self) -> impl Iterator<Item = &Path> {
        self.files.keys().map(|p| &**p)
    }

    fn touch(&mut self, thread: &str) {
        self.generation += 1;
        self.changed.insert(thread.to_owned());
    }

    /// Insert or replace a file's parsed contents.
    pub fn upsert_file(&mut self, path: PathBuf, mut entry: FileEntry) {
        if self
            .files
            .get(path.as_path())
            .is_some_and(|old| *old != entry.name.thread_id)
        {
            self.remove_file(&path);
        }
        // Share the id and the path with what the table already holds.
        let thread = match self.threads.get_key_value(&*entry.name.thread_id) {
            Some((id, _)) => Arc::clone(id),
            None => Arc::clone(&entry.name.thread_id),
        };
        entry.name.thread_id = Arc::clone(&thread);
        let path: Arc<Path> = match self.files.get_key_value(path.as_path()) {
            Some((p, _)) => Arc::clone(p),
            None => Arc::from(path),
        };
        self.files.insert(Arc::clone(&path), Arc::clone(&thread));
        if !self.threads.contains_key(&thread) {
            self.ids.insert(Arc::clone(&thread));
        }
        self.touch(&thread);
        self.threads
            .entry(Arc::clone(&thread))
            .or_default()
            .insert(path, entry);
        self.relink(&thread);
    }

    /// Re-derive `thread`'s continuation link from its current file; the parent whose set of
    /// children changes is touched too (its `superseded` flag feeds the route index).
    fn relink(&mut self, thread: &Arc<str>) {
        let now: Option<Box<str>> = self
            .threads
            .get(thread)
            .and_then(current_file)
            .and_then(|(_, e)| e.parsed.record.meta.forked_from_id.clone())
            .filter(|p| **p != **thread);
        if self.parent_of.get(thread) == now.as_ref() {
            return;
        }
        if let Some(old) = self.parent_of.remove(thread) {
            if let Some(set) = self.children.get_mut(&old) {
                set.remove(thread);
                if set.is_empty() {
                    self.children.remove(&old);
                }
            }
            self.touch(&old);
        }
        if let Some(parent) = now {
            self.children
                .entry(parent.clone())
                .or_default()
                .insert(Arc::clone(thread));
            self.touch(&parent);
            self.parent_of.insert(Arc::clone(thread), parent);
        }
    }

    /// Forget a file (deleted, renamed away, compressed away).
    pub fn remove_file(&mut self, path: &Path) -> bool {
        let Some(thread) = self.files.remove(path) else {
            return false;
        };
        if let Some(set) = self.threads.get_mut(&thread) {
            set.remove(path);
            if set.is_empty() {
                self.threads.remove(&thread);
                self.ids.remove(&thread);
            }
        }
        self.touch(&thread);
        self.relink(&thread);
        true
    }

    /// Forget every file under `dir` (a directory was removed or renamed away).
    pub fn remove_under(&mut self, dir: &Path) -> usize {
        let gone: Vec<Arc<Path>> = self
            .files
            .keys()
            .filter(|p| p.starts_with(dir))
            .cloned()
            .collect();
        for p in &gone {
            self.remove_file(p);
        }
        gone.len()
    }

    /// Replace all thread names (session_index.jsonl was re-read).
    pub fn set_names(&mut self, names: HashMap<String, String>) {
        if names == self.names {
            return;
        }
        let mut touched: HashSet<String> = HashSet::new();
        for (id, name) in &names {
            if self.names.get(id) != Some(name) {
                touched.insert(id.clone());
            }
        }
        for id in self.names.keys() {
            if !names.contains_key(id) {
                touched.insert(id.clone());
            }
        }
        self.names = names;
        for id in touched {
            self.touch(&id);
        }
    }

    /// Load user-owned state (from the registry at start).
    pub fn set_user_states(&mut self, user: HashMap<String, UserState>) {
        self.user = user;
        self.generation += 1;
        self.changed
            .extend(self.threads.keys().map(|id| id.to_string()));
    }

    /// Record a user-set status.
    pub fn set_user_status(&mut self, id: &str, status: Status, now_ms: i64) {
        self.user.entry(id.to_owned()).or_default().status = Some((status, now_ms));
        self.touch(id);
    }

    /// Record which threads are open in a Codex process (probed by the caller). Not a change
    /// of the table's contents: nothing derived from disk history depends on it.
    pub fn set_live(&mut self, live: Live) {
        self.live = live;
    }

    /// The shortest prefix of `id` (≥ 8 characters, never ending in `-`) that no other known
    /// thread shares. Ids are UUIDv7 (time-ordered): sessions started within about a minute
    /// share their first 8 hex digits, so a fixed-length prefix is not enough.
    pub fn short_id(&self, id: &str) -> String {
        use std::ops::Bound::{Excluded, Unbounded};
        let common = |other: Option<&Arc<str>>| {
            other.map_or(0, |o| {
                id.bytes()
                    .zip(o.bytes())
                    .take_while(|(a, b)| a == b)
                    .count()
            })
        };
        let before = self
            .ids
            .range::<str, _>((Unbounded, Excluded(id)))
            .next_back();
        let after = self.ids.range::<str, _>((Excluded(id), Unbounded)).next();
        let mut n = (common(before).max(common(after)) + 1).max(8);
        while n < id.len() && (!id.is_char_boundary(n) || id.as_bytes()[n - 1] == b'-') {
            n += 1;
        }
        id[..n.min(id.len())].to_owned()
    }

    /// Threads changed since the last call.
    pub fn take_changed(&mut self) -> HashSet<String> {
        std::mem::take(&mut self.changed)
    }

    pub fn thread(&self, id: &str) -> Option<Thread<'_>> {
        let (id, files) = self.threads.get_key_value(id)?;
        self.make_thread(id, files)
    }

    fn make_thread<'a>(&'a self, id: &'a str, files: &'a ThreadFiles) -> Option<Thread<'a>> {
        let (path, file) = current_file(files)?;
        Some(Thread {
            id,
            path,
            file,
            table: self,
            files,
        })
    }

    /// Every thread's list key, in no particular order.
    pub fn keys(&self) -> impl Iterator<Item = (&str, ThreadKey)> {
        self.threads.iter().map(|(id, f)| (&**id, f.key()))
    }

    /// Every thread, most recently used first.
    pub fn threads_newest_first(&self) -> Vec<Thread<'_>> {
        let mut threads: Vec<Thread<'_>> = self.threads().collect();
        threads.sort_by(Thread::newer_first);
        threads
    }

    /// Every thread's id, in no particular order (owned, to work through them in chunks or
    /// off the lock).
    pub fn thread_ids(&self) -> Vec<String> {
        self.threads().map(|t| t.id.to_owned()).collect()
    }

    /// Every thread, in no particular order.
    pub fn threads(&self) -> impl Iterator<Item = Thread<'_>> {
        self.threads
            .iter()
            .filter_map(|(id, files)| self.make_thread(id, files))
    }

    /// Resolve `show`'s argument: a full id, a unique prefix (case-insensitive), or an exact
    /// thread name. `Err(candidates)` when ambiguous; `Ok(None)` when nothing matches.
    pub fn resolve(&self, query: &str) -> Result<Option<Thread<'_>>, Vec<Thread<'_>>> {
        let q = query.trim();
        // `list` prints `019c8a4c-3f...` (the original command's form): take it as it is.
        let q = match q.trim_end_matches(['.', '…']) {
            id if id.len() >= 8
                && id.len() < q.len()
                && id.bytes().all(|b| b.is_ascii_hexdigit() || b == b'-') =>
            {
                id
            }
            _ => q,
        };
        if q.is_empty() {
            return Ok(None);
        }
        let lower = q.to_ascii_lowercase();
        if let Some(t) = self.thread(&lower) {
            return Ok(Some(t));
        }
        let mut by_prefix: Vec<Thread<'_>> = self
            .threads
            .keys()
            .filter(|id| id.starts_with(&lower))
            .filter_map(|id| self.thread(id))
            .collect();
        if by_prefix.len() == 1 {
            return Ok(by_prefix.pop());
        }
        if by_prefix.len() > 1 {
            by_prefix.sort_by_key(|t| std::cmp::Reverse(t.updated_ms()));
            return Err(by_prefix);
        }
        let mut by_name: Vec<Thread<'_>> = self
            .threads()
            .filter(|t| t.title_name() == Some(q))
            .collect();
        match by_name.len() {
            0 => Ok(None),
            1 => Ok(by_name.pop()),
            _ => {
                by_name.sort_by_key(|t| std::cmp::Reverse(t.updated_ms()));
                Err(by_name)
            }
        }
    }
}

/// The file that represents a thread now. A plain file beats its `.zst` twin (Codex's rule:
/// the plain one is newer, being the decompressed-for-append copy); among reverted copies the
/// most recently written wins (Codex consults its SQLite for this; mtime is what disk says).
/// Ties go to the plain file.
fn current_file(files: &ThreadFiles) -> Option<(&Path, &FileEntry)> {
    if files.len() == 1 {
        return files.iter().next();
    }
    files
        .iter()
        // `x.jsonl.zst` loses to `x.jsonl` when both exist.
        .filter(|(p, e)| !(e.name.compressed && files.contains_key(&p.with_extension(""))))
        .max_by_key(|(_, e)| (e.parsed.state.mtime_ns, !e.name.compressed))
}

/// The one order of sessions everywhere (list, registry, build, cleanup): most recently used
/// first, ties by id so it is stable. Takes (last use in ms, id).
pub fn recency_order(a: (i64, &str), b: (i64, &str)) -> std::cmp::Ordering {
    b.0.cmp(&a.0).then_with(|| a.1.cmp(b.1))
}

impl<'a> Thread<'a> {
    /// [`recency_order`] for threads.
    pub fn newer_first(a: &Thread<'_>, b: &Thread<'_>) -> std::cmp::Ordering {
        recency_order((a.updated_ms(), a.id), (b.updated_ms(), b.id))
    }

    pub fn record(&self) -> &'a crate::rollout::RolloutRecord {
        &self.file.parsed.record
    }

    /// Last change of the current file (unix ms).
    pub fn updated_ms(&self) -> i64 {
        self.file.parsed.state.mtime_ms()
    }

    /// Session start (unix ms): header time, else first line, else the name's time.
    pub fn created_ms(&self) -> Option<i64> {
        let r = self.record();
        r.meta
            .created_ms
            .or(r.first_line_ms)
            .or_else(|| crate::rollout::name::name_time_ms(&self.file.name.time))
    }

    /// The name a person gave the thread, if any.
    pub fn title_name(&self) -> Option<&'a str> {
        self.table
            .names
            .get(self.id)
            .map(String::as_str)
            .or(self.record().name.as_deref())
    }

    /// What the user told us about this thread (registry).
    pub fn user(&self) -> Option<&'a UserState> {
        if self.table.user.is_empty() {
            return None;
        }
        self.table.user.get(self.id)
    }

    /// The file this one inherits its history prefix from (paginated forks/reverts with a
    /// `history_base` naming another rollout of the same thread).
    fn base_file(&self) -> Option<&'a FileEntry> {
        let (base_id, _) = self.record().meta.history_base.as_ref()?;
        self.files
            .iter()
            .filter(|(p, _)| *p != self.path)
            .map(|(_, f)| f)
            .find(|f| f.name.rollout_id.as_deref().unwrap_or(&f.name.thread_id) == &**base_id)
    }

    /// Every real prompt in order: the inherited prefix (if any), then this file's own.
    pub fn prompts(&self) -> Vec<&'a crate::rollout::Prompt> {
        let mut out = Vec::new();
        if let Some(base) = self.base_file() {
            let end = self
                .record()
                .meta
                .history_base
                .as_ref()
                .and_then(|(_, e)| *e);
            out.extend(base.parsed.record.real_prompts().iter().filter(|p| {
                match (p.ordinal, end) {
                    (Some(o), Some(e)) => o < e,
                    _ => true,
                }
            }));
        }
        out.extend(self.record().real_prompts().iter());
        out
    }

    /// How many real prompts the thread has had (own count includes those no longer held).
    pub fn prompt_count(&self) -> usize {
        let own = self.record().real_prompts();
        self.prompts().len() - own.iter().count() + own.count
    }

    pub fn first_prompt(&self) -> Option<&'a str> {
        self.prompts().first().map(|p| &*p.text)
    }

    /// The original command's `task_summary`: first real prompt, one line, ≤ 100 chars.
    pub fn task_summary(&self) -> String {
        match self.first_prompt() {
            Some(p) => {
                let s = one_line(p, SUMMARY_CHARS);
                if s.is_empty() {
                    DEFAULT_SUMMARY.to_owned()
                } else {
                    s
                }
            }
            None => DEFAULT_SUMMARY.to_owned(),
        }
    }

    pub fn title(&self) -> String {
        match self.title_name() {
            Some(n) => one_line(n, SUMMARY_CHARS),
            None => self.task_summary(),
        }
    }

    pub fn has_prompt(&self) -> bool {
        !self.record().real_prompts().is_empty()
            || self.title_name().is_some()
            || self.first_prompt().is_some()
    }

    /// Source label; absent means interactive (Codex treats a missing source as `vscode`).
    pub fn source(&self) -> &'a str {
        self.record().meta.source.as_deref().unwrap_or("unknown")
    }

    /// TUI and IDE sessions (not exec, MCP or sub-agent threads).
    pub fn interactive(&self) -> bool {
        is_interactive(self.source())
    }

    /// A person started this thread — in the TUI, an IDE or with `codex exec` (which is how
    /// `/codex` and scripts drive Codex) — rather than Codex itself (sub-agents, reviews,
    /// MCP-driven and internal threads). Only these are listed and routed by default.
    pub fn user_started(&self) -> bool {
        is_user_started(self.record())
    }

    /// Open in a Codex process right now: its writer lock is held, or (where no lock can
    /// tell) its last turn is still open and was written to within [`OPEN_TURN_RUNNING_MS`].
    pub fn running(&self, now_ms: i64) -> bool {
        if self.archived() {
            return false;
        }
        let live = &self.table.live;
        if live.locked.contains(self.id) {
            return true;
        }
        if live.authoritative && self.record().meta.paginated {
            return false;
        }
        self.record().turn_state == TurnState::InProgress
            && now_ms - self.updated_ms() < OPEN_TURN_RUNNING_MS
    }

    /// See [`Table::short_id`].
    pub fn short_id(&self) -> String {
        self.table.short_id(self.id)
    }

    /// Codex's latest answer in this thread.
    pub fn last_answer(&self) -> Option<&'a str> {
        self.record().last_answer.as_deref()
    }

    /// The most recent prompt.
    pub fn latest_prompt(&self) -> Option<&'a str> {
        self.record()
            .real_prompts()
            .iter()
            .next_back()
            .map(|p| &*p.text)
            .or_else(|| self.first_prompt())
    }

    pub fn archived(&self) -> bool {
        self.file.archived
    }

    /// The user's status if it still holds (the rollout has not changed since it was set).
    /// The thread this one continues or was forked from, as its rollout says.
    pub fn forked_from(&self) -> Option<&'a str> {
        self.table.parent_of.get(self.id).map(|p| &**p)
    }

    /// Threads that continue or were forked from this one, newest first.
    pub fn continued_by(&self) -> Vec<&'a str> {
        let Some(set) = self.table.children.get(self.id) else {
            return Vec::new();
        };
        let mut kids: Vec<Thread<'a>> = set.iter().filter_map(|k| self.table.thread(k)).collect();
        kids.sort_by(Thread::newer_first);
        kids.into_iter().map(|t| t.id).collect()
    }

    /// A newer link of the same line of work exists (a continuation or fork of this thread):
    /// routing leaves this one out and sends the work to the newest link instead.
    pub fn superseded(&self) -> bool {
        self.table.children.get(self.id).is_some_and(|s| {
            s.iter()
                .any(|k| self.table.thread(k).is_some_and(|t| t.has_prompt()))
        })
    }

    pub fn user_status(&self) -> Option<Status> {
        let (status, set_at) = self.user()?.status?;
        (set_at >= self.updated_ms()).then_some(status)
    }

    /// Status as the original command understood it (see ARCHITECTURE.md "Status"), with
    /// `running` first: a thread open in a Codex process right now.
    pub fn status(&self, now_ms: i64, policy: StatusPolicy) -> Status {
        if self.archived() {
            return Status::Archived;
        }
        if self.running(now_ms) {
            return Status::Running;
        }
        if let Some(s) = self.user_status() {
            return s;
        }
        if now_ms - self.updated_ms() < policy.active_window_ms {
            return Status::Active;
        }
        match self.record().turn_state {
            // Releases without lifecycle events (before 0.100) often lose a turn's last items
            // when `exec` exits early: an unanswered prompt there is no evidence of failure.
            TurnState::InProgress if !self.record().lifecycle => Status::Completed,
            TurnState::Aborted | TurnState::Errored | TurnState::InProgress => Status::Failed,
            TurnState::Completed | TurnState::None => Status::Completed,
        }
    }

    pub fn files(&self) -> impl Iterator<Item = (&'a Path, &'a FileEntry)> + use<'a> {
        let files: &'a ThreadFiles = self.files;
        files.iter()
    }

    pub fn paths(&self) -> impl Iterator<Item = &'a Path> + use<'a> {
        let files: &'a ThreadFiles = self.files;
        files.keys()
    }

    /// The original command's keywords for the registry.
    pub fn keywords(&self) -> Vec<String> {
        codexd_route::original_keywords(&self.task_summary())
    }
}

/// TUI and IDE sessions (a missing source counts: Codex treats it as `vscode`).
fn is_interactive(source: &str) -> bool {
    !matches!(source, "exec" | "mcp" | "subagent" | "internal")
}

/// See [`Thread::user_started`]: not a sub-agent, review, MCP or internal thread by its
/// `source`, not spawned by another thread, and no `thread_source` other than `user`.
fn is_user_started(r: &crate::rollout::RolloutRecord) -> bool {
    let m = &r.meta;
    let codex_source = matches!(
        m.source.as_deref().unwrap_or("unknown"),
        "mcp" | "subagent" | "internal"
    );
    let codex_class = m.thread_source.as_deref().is_some_and(|s| s != "user");
    !(codex_source || codex_class || m.parent_thread_id.is_some())
}

/// Now, unix ms.
pub fn now_ms() -> i64 {
    jiff::Timestamp::now().as_millisecond()
}
