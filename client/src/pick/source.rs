//! Where the picker's answers come from: a worker thread that keeps one connection to the
//! daemon (or, when it cannot be reached, one in-process engine over a direct scan) and
//! answers the event loop's requests. Typing never waits for it: queries are sent and
//! forgotten, the worker skips queries overtaken by newer ones, and the state drops any
//! answer that is not for the query now on screen.
//!
//! Each query asks for one page of `brief` rows (what a line shows: no prompts, answers or
//! reasons; the preview asks `show` for the selected session alone), and scrolling near the
//! end of the loaded rows asks for the next page.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::mpsc::{Receiver, Sender};
use std::time::Duration;

use codexd_core::engine::Shared;
use codexd_proto::{
    CAP_PAGES, CAP_SEARCH_FILTERS, ErrorKind, ListParams, ListResponse, Request, Response,
    SearchParams, SearchResponse, SessionDetail, SetStatusParams, SetStatusResponse, ShowParams,
    Status,
};

use super::Msg;
use super::state::{Query, Row, Scope};
use crate::connect::Connection;

/// Rows asked for at a time, for a keystroke or a further page: a tall screenful and more
/// (the header says how many matched, the footer that more load on scrolling).
pub const PAGE: usize = 100;

/// Most hits a daemon without [`CAP_SEARCH_FILTERS`] returns.
const OLD_DAEMON_CAP: usize = 100;

/// What the event loop asks of the worker.
#[derive(Debug)]
pub enum Job {
    /// The first page of a query.
    Query(Query),
    /// The page of `Query`'s answer from this offset on.
    More(Query, usize),
    Show(String),
    SetStatus {
        id: String,
        status: Status,
    },
}

/// How the worker reaches the sessions.
pub enum Backend {
    Daemon {
        conn: Box<Connection>,
        /// The daemon filters and counts searches itself.
        filters: bool,
        /// The daemon answers pages of brief rows ([`CAP_PAGES`]).
        pages: bool,
    },
    Direct(Box<Shared>),
}

/// Everything needed to (re)connect, and the fixed parts of each request.
pub struct Setup {
    pub socket: PathBuf,
    pub codex_home: Option<PathBuf>,
    pub timeout: Duration,
    /// The caller's directory (search boost), and the project `Tab` narrows to.
    pub cwd: String,
    pub project: String,
}

/// Answers to the event loop.
#[derive(Debug)]
pub enum Answer {
    Results {
        query: Query,
        /// Where in the answer `rows` start (0: a new list).
        offset: usize,
        rows: Vec<Row>,
        total: usize,
    },
    Detail(Box<SessionDetail>),
    StatusSet {
        id: String,
        status: Status,
    },
    Error(String),
}

pub fn spawn(mut backend: Backend, setup: Setup, jobs: Receiver<Job>, out: Sender<Msg>) {
    std::thread::spawn(move || {
        // Empty queries list the newest sessions: keep those first pages, they are asked for
        // again and again (each Backspace back to nothing).
        let mut lists: HashMap<Query, (Vec<Row>, usize)> = HashMap::new();
        while let Ok(first) = jobs.recv() {
            // Of a burst of keystrokes only the last query matters (and pages of those before
            // it do not); other jobs all run.
            let mut batch = vec![first];
            batch.extend(jobs.try_iter());
            let last_query = batch.iter().rposition(|j| matches!(j, Job::Query(_)));
            for (i, job) in batch.into_iter().enumerate() {
                let overtaken = last_query.is_some_and(|last| i < last);
                if overtaken && matches!(job, Job::Query(_) | Job::More(..)) {
                    continue;
                }
                if matches!(job, Job::SetStatus { .. }) {
                    lists.clear();
                }
                let answer = match job {
                    Job::Query(q) if q.text.is_empty() => match lists.get(&q) {
                        Some((rows, total)) => Answer::Results {
                            query: q,
                            offset: 0,
                            rows: rows.clone(),
                            total: *total,
                        },
                        None => {
                            let a = list(&mut backend, &setup, q, 0);
                            if let Answer::Results {
                                query, rows, total, ..
                            } = &a
                            {
                                lists.insert(query.clone(), (rows.clone(), *total));
                            }
                            a
                        }
                    },
                    Job::Query(q) => search(&mut backend, &setup, q, 0),
                    Job::More(q, offset) if q.text.is_empty() => {
                        list(&mut backend, &setup, q, offset)
                    }
                    Job::More(q, offset) => search(&mut backend, &setup, q, offset),
                    Job::Show(id) => show(&mut backend, &setup, id),
                    Job::SetStatus { id, status } => set_status(&mut backend, &setup, id, status),
                };
                if out.send(Msg::Answer(answer)).is_err() {
                    return;
                }
            }
        }
    });
}

/// One request, reconnecting once if the daemon closed an idle connection.
fn ask(backend: &mut Backend, setup: &Setup, request: Request) -> Response {
    match backend {
        Backend::Direct(shared) => codexd_core::commands::dispatch(shared, 1, request),
        Backend::Daemon {
            conn,
            filters,
            pages,
        } => {
            match conn.request(request.clone(), &mut |_| {}) {
                Ok(r) => return r,
                Err(_) => {
                    if let Ok(c) = Connection::open(&setup.socket, setup.timeout) {
                        *filters = has_filters(&c);
                        *pages = has_pages(&c);
                        **conn = c;
                        if let Ok(r) = conn.request(request.clone(), &mut |_| {}) {
                            return r;
                        }
                    }
                }
            }
            Response::error(
                0,
                ErrorKind::Internal,
                format!(
                    "lost the connection to codexd on {}; restart the picker",
                    setup.socket.display()
                ),
            )
        }
    }
}

pub fn has_filters(conn: &Connection) -> bool {
    conn.daemon
        .capabilities
        .iter()
        .any(|c| c == CAP_SEARCH_FILTERS)
}

pub fn has_pages(conn: &Connection) -> bool {
    conn.daemon.capabilities.iter().any(|c| c == CAP_PAGES)
}

/// What the backend can do: (filters and counts searches, answers brief pages).
fn abilities(backend: &Backend) -> (bool, bool) {
    match backend {
        Backend::Daemon { filters, pages, .. } => (*filters, *pages),
        Backend::Direct(_) => (true, true),
    }
}

/// `limit` and `offset` for the page at `offset`: a daemon without pages ignores the offset,
/// so it is asked for everything up to the page's end (the state drops the rows it has).
fn page_request(offset: usize, pages: bool) -> (usize, usize) {
    if pages {
        (PAGE, offset)
    } else {
        (offset + PAGE, 0)
    }
}

fn parse<T: serde::de::DeserializeOwned>(r: Response) -> Result<T, String> {
    if let Some(e) = r.error {
        return Err(e.message);
    }
    let raw = r.ok.as_deref().map_or("null", |v| v.get());
    serde_json::from_str(raw).map_err(|e| format!("cannot read the daemon's answer: {e}"))
}

fn list(backend: &mut Backend, setup: &Setup, query: Query, offset: usize) -> Answer {
    let (_, pages) = abilities(backend);
    let (limit, skip) = page_request(offset, pages);
    let request = Request::List(ListParams {
        all: false,
        status: query.status.into_iter().collect(),
        cwd: (query.scope == Scope::Project).then(|| setup.project.clone()),
        limit: Some(limit),
        offset: skip,
        brief: true,
    });
    match parse::<ListResponse>(ask(backend, setup, request)) {
        Ok(l) => Answer::Results {
            query,
            offset,
            total: l.total,
            rows: rows_of(l.rows, l.sessions),
        },
        Err(e) => Answer::Error(e),
    }
}

/// The brief rows of an answer, or its full entries from a daemon without them.
fn rows_of<T: Into<Row>>(brief: Vec<codexd_proto::SessionRow>, full: Vec<T>) -> Vec<Row> {
    if brief.is_empty() {
        full.into_iter().map(Into::into).collect()
    } else {
        brief.into_iter().map(Row::from).collect()
    }
}

fn search(backend: &mut Backend, setup: &Setup, query: Query, offset: usize) -> Answer {
    let (filters, pages) = abilities(backend);
    let filtered = query.scope == Scope::Project || query.status.is_some();
    let (limit, skip) = page_request(offset, pages);
    let request = Request::Search(SearchParams {
        query: query.text.clone(),
        // An older daemon filters nothing: ask for its most, filter here.
        limit: Some(if filters || !filtered {
            limit
        } else {
            OLD_DAEMON_CAP
        }),
        cwd: Some(setup.cwd.clone()),
        all: false,
        same_project: query.scope == Scope::Project,
        status: query.status.into_iter().collect(),
        offset: skip,
        brief: true,
    });
    match parse::<SearchResponse>(ask(backend, setup, request)) {
        Ok(s) => {
            let mut rows = rows_of(s.rows, s.hits);
            if !filters {
                rows.retain(|r| query.status.is_none_or(|st| r.status == st));
                if query.scope == Scope::Project {
                    rows.retain(|r| {
                        r.cwd
                            .as_deref()
                            .is_some_and(|c| std::path::Path::new(c).starts_with(&setup.project))
                    });
                }
            }
            let total = s.total.unwrap_or(rows.len());
            Answer::Results {
                query,
                offset,
                rows,
                total,
            }
        }
        Err(e) => Answer::Error(e),
    }
}

fn show(backend: &mut Backend, setup: &Setup, id: String) -> Answer {
    match parse::<SessionDetail>(ask(backend, setup, Request::Show(ShowParams { query: id }))) {
        Ok(d) => Answer::Detail(Box::new(d)),
        Err(e) => Answer::Error(e),
    }
}

fn set_status(backend: &mut Backend, setup: &Setup, id: String, status: Status) -> Answer {
    let request = Request::SetStatus(SetStatusParams { id, status });
    let response = match backend {
        // The in-process engine is read-only; a write takes the daemon's lock, as the other
        // commands' fallback does.
        Backend::Direct(shared) => {
            let r = crate::fallback::answer(
                setup.codex_home.as_deref(),
                &setup.socket,
                request.clone(),
            );
            // Keep the picker's own engine in step with what was written.
            let _ = codexd_core::commands::dispatch(shared, 1, request);
            r
        }
        Backend::Daemon { .. } => ask(backend, setup, request),
    };
    match parse::<SetStatusResponse>(response) {
        Ok(r) => Answer::StatusSet {
            id: r.id,
            status: r.status,
        },
        Err(e) => Answer::Error(e),
    }
}
