//! One function per request verb: wire request in, wire response out.
//!
//! These run synchronously (on a blocking thread in the daemon, inline in the client's
//! fallback). They read the table under its lock and never hold it across IO.

use codexd_proto::{
    BuildEntry, BuildResponse, CONFIRM_BELOW, CONFIRM_MARGIN, Candidate, CleanupParams,
    CleanupResponse, Decision, ErrorKind, ListParams, ListResponse, Request, Response, RouteParams,
    RouteResponse, SearchParams, SearchResponse, SessionRow, SessionSummary, SetStatusParams,
    SetStatusResponse, ShutdownResponse, Status, StatusResponse, SyncResponse,
};

use crate::engine::{Engine, Shared};
use codexd_proto::shell::quote as shell_quote;

use crate::table::{StatusPolicy, Thread, now_ms, recency_order};
use crate::view::{self, format_secs};

/// Answer one request. `Shutdown` is acknowledged here; stopping is the server's job.
pub fn dispatch(shared: &Shared, id: u64, request: Request) -> Response {
    if matches!(
        request,
        Request::List(_)
            | Request::Show(_)
            | Request::Route(_)
            | Request::Search(_)
            | Request::Cleanup(_)
    ) {
        // `running` is read from Codex's writer locks at each request that shows a status.
        shared.refresh_live();
    }
    let mut response = match request {
        Request::List(p) => list(shared, id, &p),
        Request::Show(p) => show(shared, id, &p.query),
        Request::Cleanup(p) => cleanup(shared, id, &p),
        Request::Build(_) => build(shared, id),
        Request::Route(p) => route(shared, id, &p),
        Request::Search(p) => search(shared, id, &p),
        Request::Status(_) => status(shared, id),
        Request::SetStatus(p) => set_status(shared, id, &p),
        Request::Sync(_) => {
            shared.full_reconcile(false);
            Response::ok(id, &SyncResponse { synced: true })
        }
        Request::Shutdown(_) => Response::ok(
            id,
            &ShutdownResponse {
                shutting_down: true,
            },
        ),
    };
    let (watcher, home) = shared.read(|eng| {
        (
            eng.health().watcher.clone(),
            eng.config().codex_home.clone(),
        )
    });
    // Every answer from a degraded view says so.
    if watcher.degraded() {
        response.warnings.push(format!(
            "file watching is {watcher}; results may lag until the next reconcile"
        ));
    }
    // (Asked of the disk with the lock released.)
    if !home.is_dir() {
        response.warnings.push(format!(
            "{} does not exist (yet): no Codex sessions to show. Set CODEX_HOME if Codex keeps them elsewhere; codexd picks the directory up when it appears",
            home.display()
        ));
    }
    response
}

/// `list` shows what a person started (TUI, IDE, `codex exec`) and said something in.
fn visible_by_default(t: &Thread<'_>) -> bool {
    t.user_started() && t.has_prompt()
}

fn under(dir: &str, cwd: Option<&str>) -> bool {
    cwd.is_some_and(|c| std::path::Path::new(c).starts_with(dir))
}

fn list(shared: &Shared, id: u64, p: &ListParams) -> Response {
    let eng = shared.lock();
    let now = now_ms();
    let policy = eng.config().policy;
    // The common case (`list`, `list --all`, `--limit`) filters and orders on the compact
    // per-thread keys and only builds the threads it prints.
    if p.cwd.is_none() && p.status.is_empty() {
        let table = eng.table();
        let mut keys: Vec<(i64, &str)> = table
            .keys()
            .filter(|(tid, k)| {
                p.all
                    || (k.user_started
                        && (k.has_prompt || table.thread(tid).is_some_and(|t| t.has_prompt())))
            })
            .map(|(tid, k)| (k.updated_ms, tid))
            .collect();
        let total = keys.len();
        let (start, end) = page_bounds(p.offset, p.limit, total);
        let order = |a: &(i64, &str), b: &(i64, &str)| recency_order(*a, *b);
        if end > 0 && end < total {
            keys.select_nth_unstable_by(end - 1, order);
        }
        keys[..end].sort_unstable_by(order);
        let threads: Vec<Thread<'_>> = keys[start..end]
            .iter()
            .filter_map(|(_, tid)| table.thread(tid))
            .collect();
        return Response::ok(id, &list_answer(&threads, total, p.brief, now, policy));
    }
    let mut threads: Vec<Thread<'_>> = eng
        .table()
        .threads()
        .filter(|t| p.all || visible_by_default(t))
        .filter(|t| p.cwd.as_deref().is_none_or(|d| under(d, t.record().cwd())))
        .filter(|t| p.status.is_empty() || p.status.contains(&t.status(now, policy)))
        .collect();
    let total = threads.len();
    let (start, end) = page_bounds(p.offset, p.limit, total);
    newest_first(&mut threads, end);
    Response::ok(
        id,
        &list_answer(&threads[start..end], total, p.brief, now, policy),
    )
}

/// The page `offset..offset + limit` of `total` items, clamped to it.
fn page_bounds(offset: usize, limit: Option<usize>, total: usize) -> (usize, usize) {
    let start = offset.min(total);
    let end = start.saturating_add(limit.unwrap_or(usize::MAX)).min(total);
    (start, end)
}

/// A page of `list`, as summaries or (`brief`) as rows.
fn list_answer(
    threads: &[Thread<'_>],
    total: usize,
    brief: bool,
    now: i64,
    policy: StatusPolicy,
) -> ListResponse {
    let mut answer = ListResponse {
        sessions: Vec::new(),
        total,
        rows: Vec::new(),
    };
    if brief {
        answer.rows = threads.iter().map(|t| view::row(t, now, policy)).collect();
    } else {
        answer.sessions = threads
            .iter()
            .map(|t| view::summary(t, now, policy))
            .collect();
    }
    answer
}

/// Put the `k` most recently used threads first, in order (ties by id). Selecting before
/// sorting keeps `list --limit 20` linear in the number of sessions.
fn newest_first(threads: &mut [Thread<'_>], k: usize) {
    if k == 0 {
        return;
    }
    if k < threads.len() {
        threads.select_nth_unstable_by(k - 1, Thread::newer_first);
    }
    threads[..k].sort_unstable_by(Thread::newer_first);
}

fn not_found(id: u64, query: &str) -> Response {
    Response::error(
        id,
        ErrorKind::NotFound,
        format!(
            "no session matches '{query}' (by id, id prefix or name); try `codexd-client list --all` or `codexd-client search <words>`"
        ),
    )
}

/// How many candidates an ambiguous `show` lists: enough to pick from, not the whole table
/// (a one-character prefix matches thousands of sessions).
pub const MAX_CANDIDATES: usize = 20;

/// `matches` is every session the query could mean, most recent first.
fn ambiguous(
    id: u64,
    query: &str,
    matches: &[Thread<'_>],
    now: i64,
    policy: StatusPolicy,
) -> Response {
    let shown = matches.len().min(MAX_CANDIDATES);
    let message = if shown < matches.len() {
        format!(
            "'{query}' matches {} sessions (the {shown} most recent are listed); give more of the id",
            matches.len()
        )
    } else {
        format!(
            "'{query}' matches {} sessions; give more of the id",
            matches.len()
        )
    };
    let mut r = Response::error(id, ErrorKind::Ambiguous, message);
    if let Some(e) = r.error.as_mut() {
        e.candidates = matches[..shown]
            .iter()
            .map(|t| view::summary(t, now, policy))
            .collect();
    }
    r
}

fn show(shared: &Shared, id: u64, query: &str) -> Response {
    let eng = shared.lock();
    let now = now_ms();
    match eng.table().resolve(query) {
        Ok(Some(t)) => Response::ok(id, &view::detail(&t, now, eng.config().policy)),
        Ok(None) => not_found(id, query),
        Err(matches) => ambiguous(id, query, &matches, now, eng.config().policy),
    }
}

fn save_now(shared: &Shared, response: &mut Response) {
    if let Err(e) = shared.save_registry() {
        response.warnings.push(format!("registry not saved: {e}"));
    }
}

fn cleanup(shared: &Shared, id: u64, p: &CleanupParams) -> Response {
    let now = now_ms();
    let (eligible, to_archive, registry) = {
        let eng = shared.lock();
        let policy = eng.config().policy;
        let threads = eng.table().threads_newest_first();
        let old_enough = |t: &Thread<'_>| {
            p.older_than_secs
                .is_none_or(|secs| now - t.updated_ms() >= (secs as i64).saturating_mul(1000))
        };
        let eligible: Vec<SessionSummary> = threads
            .iter()
            .filter(|t| {
                !matches!(t.status(now, policy), Status::Active | Status::Running) && old_enough(t)
            })
            .map(|t| view::summary(t, now, policy))
            .collect();
        let to_archive: Vec<String> = eligible
            .iter()
            .filter(|s| matches!(s.status, Status::Completed | Status::Failed))
            .map(|s| s.id.clone())
            .collect();
        (
            eligible,
            to_archive,
            eng.config().registry.display().to_string(),
        )
    };
    if !p.dry_run && !to_archive.is_empty() {
        let mut eng = shared.lock();
        if !eng.config().write_registry {
            return Response::error(
                id,
                ErrorKind::Busy,
                "another codexd holds the registry lock; cleanup needs the daemon (try `codexd-client status`)",
            );
        }
        for sid in &to_archive {
            eng.set_user_status(sid, Status::Archived, now);
        }
    }
    let mut r = Response::ok(
        id,
        &CleanupResponse {
            dry_run: p.dry_run,
            eligible,
            archived: to_archive,
            registry,
        },
    );
    if !p.dry_run {
        save_now(shared, &mut r);
    }
    r
}

fn build(shared: &Shared, id: u64) -> Response {
    let started = std::time::Instant::now();
    let report = shared.full_reconcile(true);
    let (sessions, registry) = {
        let eng = shared.lock();
        let threads = eng.table().threads_newest_first();
        let sessions = threads
            .iter()
            .map(|t| BuildEntry {
                id: t.id.to_owned(),
                task_summary: t.task_summary(),
                keywords: t.keywords(),
            })
            .collect();
        (sessions, eng.config().registry.display().to_string())
    };
    let mut r = Response::ok(
        id,
        &BuildResponse {
            sessions,
            files_scanned: report.files_seen,
            elapsed_ms: started.elapsed().as_millis() as u64,
            registry,
        },
    );
    save_now(shared, &mut r);
    r.warnings
        .extend(report.errors.iter().take(20).map(ToString::to_string));
    r
}

fn set_status(shared: &Shared, id: u64, p: &SetStatusParams) -> Response {
    if !p.status.settable() {
        return Response::error(
            id,
            ErrorKind::BadRequest,
            format!(
                "'{}' is observed, not set: a session is running while a Codex process holds it open",
                p.status.as_str()
            ),
        );
    }
    let now = now_ms();
    let mut r = {
        let mut eng = shared.lock();
        if !eng.config().write_registry {
            return Response::error(
                id,
                ErrorKind::Busy,
                "another codexd holds the registry lock; set-status needs the daemon",
            );
        }
        let policy = eng.config().policy;
        let (tid, previous) = match eng.table().resolve(&p.id) {
            Ok(Some(t)) => (t.id.to_owned(), t.status(now, policy)),
            Ok(None) => return not_found(id, &p.id),
            Err(matches) => return ambiguous(id, &p.id, &matches, now, policy),
        };
        eng.set_user_status(&tid, p.status, now);
        Response::ok(
            id,
            &SetStatusResponse {
                id: tid,
                previous,
                status: p.status,
            },
        )
    };
    save_now(shared, &mut r);
    r
}

fn status(shared: &Shared, id: u64) -> Response {
    let eng = shared.lock();
    let health = eng.health();
    Response::ok(
        id,
        &StatusResponse {
            version: codexd_proto::VERSION.to_owned(),
            protocol: codexd_proto::PROTOCOL_VERSION,
            pid: std::process::id(),
            uptime_secs: eng.started().elapsed().as_secs(),
            codex_home: eng.config().codex_home.display().to_string(),
            socket: eng.config().socket.display().to_string(),
            registry: eng.config().registry.display().to_string(),
            sessions: eng.table().thread_count(),
            files: eng.table().file_count(),
            watcher: health.watcher.to_string(),
            last_full_scan: health.last_full_scan_ms.map(format_secs),
            full_scans: health.full_scans,
            errors: health.errors,
            last_error: health.last_error.clone(),
            stage: health.stage.as_str().to_owned(),
            route_index: health.route_index.clone(),
            memory_bytes: resident_bytes(),
        },
    )
}

/// This process's resident set size, from `/proc/self/status` (Linux only).
fn resident_bytes() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let kb: u64 = status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))?
        .trim()
        .strip_suffix("kB")?
        .trim()
        .parse()
        .ok()?;
    Some(kb * 1024)
}

/// The newest link of the chain `id` belongs to: follow "continued by" (newest first) while
/// the next link has a prompt of its own.
fn chain_head(table: &crate::table::Table, id: &str) -> String {
    let mut head = id.to_owned();
    for _ in 0..64 {
        let Some(t) = table.thread(&head) else { break };
        let next = t.continued_by().into_iter().find(|k| {
            table
                .thread(k)
                .is_some_and(|c| c.has_prompt() && !c.archived())
        });
        match next {
            Some(k) if k != id => head = k.to_owned(),
            _ => break,
        }
    }
    head
}

fn candidate(eng: &Engine, hit: &codexd_route::Hit, now: i64) -> Option<Candidate> {
    let t = eng.table().thread(&hit.key)?;
    Some(Candidate {
        id: t.id.to_owned(),
        short_id: t.short_id(),
        title: t.title(),
        score: (hit.score * 1000.0).round() / 1000.0,
        matched_terms: hit.matched_terms.clone(),
        fields: hit.fields.iter().map(|f| (*f).to_owned()).collect(),
        reasons: hit.reasons.clone(),
        cwd: t.record().cwd().map(str::to_owned),
        git_branch: t.record().meta.git_branch.as_deref().map(str::to_owned),
        last_used: format_secs(t.updated_ms()),
        status: t.status(now, eng.config().policy),
        first_prompt: t.first_prompt().map(str::to_owned),
        latest_prompt: (t.prompt_count() > 1)
            .then(|| t.latest_prompt().map(str::to_owned))
            .flatten(),
        last_answer: t.last_answer().map(str::to_owned),
        running: t.running(now),
        // Checked off the lock by `check_directories`.
        cwd_exists: true,
    })
}

/// Mark whether each candidate's directory still exists, as `dir_exists` says (file IO in the
/// daemon: called without the lock).
fn check_directories(candidates: &mut [Candidate], dir_exists: &dyn Fn(&str) -> bool) {
    for c in candidates {
        c.cwd_exists = c.cwd.as_deref().is_none_or(dir_exists);
    }
}

/// The daemon's `dir_exists`: ask the disk.
fn is_dir(d: &str) -> bool {
    std::path::Path::new(d).is_dir()
}

fn route_options(
    cwd: Option<&str>,
    limit: Option<usize>,
    archived: bool,
    all: bool,
) -> codexd_route::Options {
    codexd_route::Options {
        cwd: cwd.map(str::to_owned),
        now_unix: now_ms() / 1000,
        include_archived: archived,
        include_non_interactive: all,
        limit: limit.unwrap_or(5).clamp(1, 100),
    }
}

fn search(shared: &Shared, id: u64, p: &SearchParams) -> Response {
    if p.query.trim().is_empty() {
        return Response::error(id, ErrorKind::BadRequest, "search needs some words");
    }
    let (mut hits, rows, total) = {
        let guard = shared.lock();
        let eng = &*guard;
        let now = now_ms();
        let opts = route_options(p.cwd.as_deref(), None, true, p.all);
        // The limit is honoured as given (not route's cap): the index explains only what it
        // returns.
        let limit = p.limit.unwrap_or(20);
        let status_ok = |key: &str| {
            p.status.is_empty()
                || eng
                    .table()
                    .thread(key)
                    .is_some_and(|t| p.status.contains(&t.status(now, eng.config().policy)))
        };
        let keep =
            |key: &str, same_project: bool| (!p.same_project || same_project) && status_ok(key);
        // Sessions whose title, name or prompts match come before those matched only by
        // what they did (files their tool calls named, Codex's last answer).
        let (hits, total) = eng
            .route_index()
            .search_filtered(&p.query, &opts, p.offset, limit, &keep);
        if p.brief {
            let rows = hits.iter().filter_map(|h| hit_row(eng, h, now)).collect();
            (Vec::new(), rows, total)
        } else {
            let out: Vec<Candidate> = hits.iter().filter_map(|h| candidate(eng, h, now)).collect();
            (out, Vec::new(), total)
        }
    };
    check_directories(&mut hits, &is_dir);
    Response::ok(
        id,
        &SearchResponse {
            hits,
            total: Some(total),
            rows,
        },
    )
}

/// A search hit as a line of a list shows it (`brief`).
fn hit_row(eng: &Engine, hit: &codexd_route::Hit, now: i64) -> Option<SessionRow> {
    let mut row = view::row(&eng.table().thread(&hit.key)?, now, eng.config().policy);
    row.matched_terms = hit.matched_terms.clone();
    row.fields = hit.fields.iter().map(|f| (*f).to_owned()).collect();
    Some(row)
}

fn route(shared: &Shared, id: u64, p: &RouteParams) -> Response {
    if p.prompt.trim().is_empty() {
        return Response::error(id, ErrorKind::BadRequest, "route needs a prompt");
    }
    let answer = route_answer(shared, p, now_ms(), &is_dir);
    Response::ok(id, &answer)
}

/// The answer to `route` as of `now_ms`; `dir_exists` says which directories still exist (the
/// daemon asks the disk, called without the lock; an evaluation of a home written on another
/// machine says yes to all).
pub fn route_answer(
    shared: &Shared,
    p: &RouteParams,
    now_ms: i64,
    dir_exists: &dyn Fn(&str) -> bool,
) -> RouteResponse {
    let (routed, mut candidates) = {
        let eng = shared.lock();
        let now = now_ms;
        let mut opts = route_options(
            p.cwd.as_deref(),
            Some(p.limit.unwrap_or(4)),
            p.include_archived,
            p.include_non_interactive,
        );
        opts.now_unix = now / 1000;
        let mut routed = eng.route_index().route(&p.prompt, &opts);
        // A chain of continuations/forks is one line of work: every link's evidence goes to
        // its newest link, which is what gets resumed (superseded links are never offered).
        let mut seen = std::collections::HashSet::new();
        routed.candidates.retain_mut(|h| {
            h.key = chain_head(eng.table(), &h.key);
            seen.insert(h.key.clone())
        });
        if let codexd_route::Decision::Resume { key } = &mut routed.decision {
            *key = chain_head(eng.table(), key);
        }
        let candidates: Vec<Candidate> = routed
            .candidates
            .iter()
            .filter_map(|h| candidate(&eng, h, now))
            .collect();
        (routed, candidates)
    };
    check_directories(&mut candidates, dir_exists);
    let margin = round3(routed.lead);
    let confidence = round3(routed.confidence);
    let prompt_q = shell_quote(&p.prompt);
    let best = match &routed.decision {
        codexd_route::Decision::Resume { key } => candidates.iter().find(|c| &c.id == key),
        codexd_route::Decision::New => None,
    };
    let new_session = |reason: String, queue_command: Option<String>| {
        let cwd = p.cwd.clone();
        let dir = cwd
            .as_deref()
            .map(|d| format!("-C {} ", shell_quote(d)))
            .unwrap_or_default();
        let cd = cwd
            .as_deref()
            .map(|d| format!("cd {} && ", shell_quote(d)))
            .unwrap_or_default();
        RouteResponse {
            decision: Decision::New,
            session: None,
            title: None,
            confidence,
            margin,
            confirm: false,
            queue_command,
            reason,
            command: format!("codex exec {dir}{prompt_q}"),
            interactive_command: format!("{cd}codex {prompt_q}"),
            cwd,
            candidates: Vec::new(),
        }
    };
    let mut response = match best {
        Some(c) if c.running => {
            let mut r = new_session(
                format!(
                    "Start a new session: the best match {} \"{}\" is open in another Codex process right now, and resuming it there would fail or interleave two conversations. Queue the prompt to it instead, or wait until it is closed.",
                    c.short_id, c.title
                ),
                Some(format!(
                    "codex queue --thread {} --message {prompt_q}",
                    c.id
                )),
            );
            r.confirm = true;
            r
        }
        Some(c) if !c.cwd_exists => {
            let mut r = new_session(
                format!(
                    "Start a new session: the best match {} \"{}\" ran in {}, which no longer exists.",
                    c.short_id,
                    c.title,
                    c.cwd.as_deref().unwrap_or("?")
                ),
                None,
            );
            r.confirm = true;
            r
        }
        Some(c) => {
            let dir = c
                .cwd
                .as_deref()
                .map(|d| format!("-C {} ", shell_quote(d)))
                .unwrap_or_default();
            let cd = c
                .cwd
                .as_deref()
                .map(|d| format!("cd {} && ", shell_quote(d)))
                .unwrap_or_default();
            RouteResponse {
                decision: Decision::Resume,
                session: Some(c.id.clone()),
                title: Some(c.title.clone()),
                confidence,
                margin,
                confirm: confidence < CONFIRM_BELOW || margin < CONFIRM_MARGIN,
                queue_command: None,
                reason: routed.reason.clone(),
                command: format!("codex exec {dir}resume {} {prompt_q}", c.id),
                interactive_command: format!("{cd}codex resume {}", c.id),
                cwd: c.cwd.clone(),
                candidates: Vec::new(),
            }
        }
        None => {
            let mut r = new_session(routed.reason.clone(), None);
            r.confirm = !candidates.is_empty() && confidence < CONFIRM_BELOW;
            r
        }
    };
    response.candidates = candidates;
    response
}

fn round3(x: f64) -> f64 {
    (x * 1000.0).round() / 1000.0
}
