//! Wire types and socket conventions shared by `codexd` and `codexd-client`.
//!
//! This crate is the IPC boundary: everything here is `Serialize`/`Deserialize` and versioned;
//! nothing here is an internal type of the daemon. The protocol is JSON lines over a Unix
//! socket: the client's first line is a [`Hello`], the daemon answers with its own, then each
//! line is one [`RequestEnvelope`] answered by one [`Response`].
//!
//! Compatibility rule: fields are only ever *added* (with `#[serde(default)]`), so an older
//! client can read a newer daemon's answers; a breaking change bumps [`PROTOCOL_VERSION`].

pub mod shell;
pub mod socket;

use serde::{Deserialize, Serialize};

/// Bumped on any incompatible change of the wire format.
pub const PROTOCOL_VERSION: u32 = 1;
/// The version of this build; both binaries embed the same one.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");
/// Longest request line the daemon accepts (and response line the client accepts is larger).
pub const MAX_REQUEST_LINE: usize = 1 << 20;
/// Longest response line the client accepts: `list --all` over 100k sessions stays below this.
pub const MAX_RESPONSE_LINE: usize = 256 << 20;

/// First line in each direction.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct Hello {
    /// `codexd-client` or `codexd`.
    pub program: String,
    pub version: String,
    pub protocol: u32,
    /// Names of the requests this side understands (daemon) or needs (client).
    #[serde(default)]
    pub capabilities: Vec<String>,
    /// The daemon's pid (daemon side only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pid: Option<u32>,
    /// The Codex home the daemon indexes (daemon side only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub codex_home: Option<String>,
}

/// `{"hello": {...}}`, the first line a client sends and the daemon answers.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct HelloLine {
    pub hello: Hello,
}

impl Hello {
    pub fn new(program: &str) -> Self {
        Hello {
            program: program.to_owned(),
            version: VERSION.to_owned(),
            protocol: PROTOCOL_VERSION,
            capabilities: Request::NAMES
                .iter()
                .chain([&CAP_SEARCH_FILTERS, &CAP_PAGES])
                .map(|s| s.to_string())
                .collect(),
            pid: None,
            codex_home: None,
        }
    }
}

/// One request line: `{"id": 1, "list": {...}}`.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct RequestEnvelope {
    #[serde(default)]
    pub id: u64,
    #[serde(flatten)]
    pub request: Request,
}

/// Every request the daemon understands. Unknown names are answered with `bad_request`.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Request {
    List(ListParams),
    Show(ShowParams),
    Cleanup(CleanupParams),
    Build(BuildParams),
    Route(RouteParams),
    Search(SearchParams),
    Status(Empty),
    SetStatus(SetStatusParams),
    /// Barrier: the daemon reconciles every pending change before answering, so the next
    /// request sees the disk as it was when `sync` was sent.
    Sync(Empty),
    Shutdown(Empty),
}

impl Request {
    pub const NAMES: &'static [&'static str] = &[
        "list",
        "show",
        "cleanup",
        "build",
        "route",
        "search",
        "status",
        "set_status",
        "sync",
        "shutdown",
    ];

    /// Requests that change nothing (safe to pipeline behind a hello).
    pub fn is_read_only(&self) -> bool {
        matches!(
            self,
            Request::List(_)
                | Request::Show(_)
                | Request::Route(_)
                | Request::Search(_)
                | Request::Status(_)
        )
    }

    pub fn name(&self) -> &'static str {
        match self {
            Request::List(_) => "list",
            Request::Show(_) => "show",
            Request::Cleanup(_) => "cleanup",
            Request::Build(_) => "build",
            Request::Route(_) => "route",
            Request::Search(_) => "search",
            Request::Status(_) => "status",
            Request::SetStatus(_) => "set_status",
            Request::Sync(_) => "sync",
            Request::Shutdown(_) => "shutdown",
        }
    }
}

/// The answer to `sync`.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct SyncResponse {
    pub synced: bool,
}

/// The answer to `shutdown`.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct ShutdownResponse {
    pub shutting_down: bool,
}

/// A successful answer, decoded by the type of the request it answers
/// ([`Request::decode_answer`]).
#[derive(Clone, Debug)]
pub enum Answer {
    List(ListResponse),
    Show(Box<SessionDetail>),
    Cleanup(CleanupResponse),
    Build(BuildResponse),
    Route(Box<RouteResponse>),
    Search(SearchResponse),
    Status(Box<StatusResponse>),
    SetStatus(SetStatusResponse),
    Sync(SyncResponse),
    Shutdown(ShutdownResponse),
}

impl Request {
    /// Decode the `ok` body of a response to this request.
    pub fn decode_answer(&self, ok: &str) -> serde_json::Result<Answer> {
        use serde_json::from_str;
        Ok(match self {
            Request::List(_) => Answer::List(from_str(ok)?),
            Request::Show(_) => Answer::Show(from_str(ok)?),
            Request::Cleanup(_) => Answer::Cleanup(from_str(ok)?),
            Request::Build(_) => Answer::Build(from_str(ok)?),
            Request::Route(_) => Answer::Route(from_str(ok)?),
            Request::Search(_) => Answer::Search(from_str(ok)?),
            Request::Status(_) => Answer::Status(from_str(ok)?),
            Request::SetStatus(_) => Answer::SetStatus(from_str(ok)?),
            Request::Sync(_) => Answer::Sync(from_str(ok)?),
            Request::Shutdown(_) => Answer::Shutdown(from_str(ok)?),
        })
    }
}

#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct Empty {}

#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct ListParams {
    /// Include exec / sub-agent (non-interactive) threads.
    #[serde(default)]
    pub all: bool,
    /// Only these statuses (empty: all).
    #[serde(default)]
    pub status: Vec<Status>,
    /// Only sessions whose cwd is this directory or below it.
    #[serde(default)]
    pub cwd: Option<String>,
    #[serde(default)]
    pub limit: Option<usize>,
    /// Skip this many sessions of the order first: the next page. Daemons whose hello lacks
    /// [`CAP_PAGES`] ignore it.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub offset: usize,
    /// Answer with `rows` (what a line of a list shows) instead of `sessions`. Daemons whose
    /// hello lacks [`CAP_PAGES`] ignore it.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub brief: bool,
}

#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct ShowParams {
    /// A full id, a unique id prefix, or an exact thread name.
    pub query: String,
}

#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct CleanupParams {
    #[serde(default)]
    pub dry_run: bool,
    /// Only sessions not used for at least this many seconds.
    #[serde(default)]
    pub older_than_secs: Option<u64>,
}

#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct BuildParams {}

#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct RouteParams {
    pub prompt: String,
    /// The caller's working directory (the client sends its own by default).
    #[serde(default)]
    pub cwd: Option<String>,
    #[serde(default)]
    pub limit: Option<usize>,
    #[serde(default)]
    pub include_archived: bool,
    #[serde(default)]
    pub include_non_interactive: bool,
}

#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct SearchParams {
    pub query: String,
    /// At most this many hits (default 20); honoured as given. The answer's `total` says how
    /// many matched.
    #[serde(default)]
    pub limit: Option<usize>,
    #[serde(default)]
    pub cwd: Option<String>,
    #[serde(default)]
    pub all: bool,
    /// Only sessions of the caller's project (`cwd`: same directory, its git root, or
    /// nested). Daemons whose hello lacks [`CAP_SEARCH_FILTERS`] ignore it.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub same_project: bool,
    /// Only these statuses (empty: all). Daemons whose hello lacks [`CAP_SEARCH_FILTERS`]
    /// ignore it.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub status: Vec<Status>,
    /// Skip this many hits of the ranking first: the next page. Daemons whose hello lacks
    /// [`CAP_PAGES`] ignore it.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub offset: usize,
    /// Answer with `rows` (what a line of a list shows: no prompts, answer or reasons)
    /// instead of `hits`. Daemons whose hello lacks [`CAP_PAGES`] ignore it.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub brief: bool,
}

/// A daemon capability: `search` honours `same_project` and `status`, answers `total`, and
/// names the matched `fields` of each hit.
pub const CAP_SEARCH_FILTERS: &str = "search_filters";

/// A daemon capability: `list` and `search` honour `offset` and `brief`.
pub const CAP_PAGES: &str = "pages";

fn is_zero(n: &usize) -> bool {
    *n == 0
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct SetStatusParams {
    pub id: String,
    pub status: Status,
}

/// The original command's four statuses, and `running`: open in a Codex process right now
/// (derived from disk at each request; never set by a user, never stored in the registry).
#[derive(Clone, Copy, Debug, Serialize, Deserialize, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Running,
    Active,
    Completed,
    Failed,
    Archived,
}

impl Status {
    pub const ALL: [Status; 5] = [
        Status::Running,
        Status::Active,
        Status::Completed,
        Status::Failed,
        Status::Archived,
    ];

    /// The statuses a user may set (`set-status`): `running` is only ever observed.
    pub fn settable(self) -> bool {
        self != Status::Running
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Status::Running => "running",
            Status::Active => "active",
            Status::Completed => "completed",
            Status::Failed => "failed",
            Status::Archived => "archived",
        }
    }

    pub fn parse(s: &str) -> Option<Status> {
        Status::ALL.into_iter().find(|st| st.as_str() == s)
    }
}

/// State of the last turn, from the rollout's lifecycle events.
#[derive(Clone, Copy, Debug, Default, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum TurnState {
    /// No turn recorded (or a format without lifecycle events).
    #[default]
    None,
    /// `task_started` without a terminal event: running, suspended or crashed.
    InProgress,
    Completed,
    Aborted,
    Errored,
}

/// One line of `list`.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct SessionSummary {
    /// The thread id `codex resume` takes.
    pub id: String,
    /// The shortest prefix of `id` (at least 8 characters) that no other known session shares:
    /// what to print where an id is shortened; `show` accepts it.
    #[serde(default)]
    pub short_id: String,
    /// Name set with `/rename` (session_index.jsonl), if any.
    #[serde(default)]
    pub name: Option<String>,
    /// The first real user prompt, at most 100 characters (the original `task_summary`).
    pub task_summary: String,
    /// What a person should see: the name if set, else the task summary.
    pub title: String,
    pub status: Status,
    /// Last change of the rollout file, `YYYY-MM-DDThh:mm:ssZ` (UTC).
    pub last_used: String,
    /// Session start, RFC 3339 UTC, when known.
    #[serde(default)]
    pub created: Option<String>,
    #[serde(default)]
    pub cwd: Option<String>,
    #[serde(default)]
    pub git_branch: Option<String>,
    /// `cli`, `vscode`, `exec`, `mcp`, `subagent`, … (`unknown` when absent).
    pub source: String,
    /// False for exec / mcp / sub-agent threads (TUI and IDE sessions are interactive).
    pub interactive: bool,
    /// A person started it (TUI, IDE or `codex exec`), as opposed to Codex's own sub-agent,
    /// review, MCP or internal threads. Only these are listed and routed by default.
    #[serde(default = "yes")]
    pub user_started: bool,
    pub archived: bool,
    /// Path of the current rollout file.
    pub path: String,
}

/// Answer to `show`.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct SessionDetail {
    #[serde(flatten)]
    pub summary: SessionSummary,
    pub turn_state: TurnState,
    /// Number of real user prompts seen.
    pub prompt_count: usize,
    /// The first prompt and the most recent ones (each truncated), oldest first.
    pub prompts: Vec<String>,
    #[serde(default)]
    pub model: Option<String>,
    #[serde(default)]
    pub cli_version: Option<String>,
    #[serde(default)]
    pub originator: Option<String>,
    #[serde(default)]
    pub git_origin: Option<String>,
    #[serde(default)]
    pub git_commit: Option<String>,
    #[serde(default)]
    pub tokens_total: Option<u64>,
    /// Every rollout file of this thread (reverted threads have several).
    pub paths: Vec<String>,
    /// The status came from the user (`set-status`, `cleanup`) rather than the rollout.
    pub status_set_by_user: bool,
    /// Continues the session non-interactively with the prompt read from stdin:
    /// `codex exec -C '<cwd>' resume <id> -`, in the form the `codex` on the client's `PATH`
    /// accepts (see `resume_note`).
    pub resume_command: String,
    /// What Codex answered last (its final message of the latest turn), truncated.
    #[serde(default)]
    pub last_answer: Option<String>,
    /// The session this one continues or was forked from (`exec fork`, a fork in the TUI),
    /// when its rollout says so.
    #[serde(default)]
    pub forked_from: Option<String>,
    /// Newer sessions that continue or were forked from this one, newest first: routing prefers
    /// the newest link of such a chain.
    #[serde(default)]
    pub continued_by: Vec<String>,
    /// Why `resume_command` may not run on the `codex` on PATH (e.g. that release has no
    /// `exec resume`), when it may not.
    #[serde(default)]
    pub resume_note: Option<String>,
}

fn yes() -> bool {
    true
}

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct ListResponse {
    pub sessions: Vec<SessionSummary>,
    /// Sessions matching the filter before `limit` was applied.
    pub total: usize,
    /// Instead of `sessions` when the request was `brief`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub rows: Vec<SessionRow>,
}

/// One session as a line of a list shows it (a `brief` answer): a few hundred bytes where a
/// [`SessionSummary`] or [`Candidate`] carries its paths, prompts and last answer.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct SessionRow {
    pub id: String,
    /// See [`SessionSummary::title`].
    pub title: String,
    pub status: Status,
    /// See [`SessionSummary::last_used`].
    pub last_used: String,
    #[serde(default)]
    pub cwd: Option<String>,
    /// See [`SessionSummary::source`] (`exec`: started by `codex exec`).
    pub source: String,
    /// Search only: see [`Candidate::matched_terms`] and [`Candidate::fields`].
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub matched_terms: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub fields: Vec<String>,
}

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct CleanupResponse {
    pub dry_run: bool,
    /// Sessions not active (the original command's "eligible for cleanup").
    pub eligible: Vec<SessionSummary>,
    /// Ids whose status changed to archived (or would, on a dry run).
    pub archived: Vec<String>,
    pub registry: String,
}

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct BuildEntry {
    pub id: String,
    pub task_summary: String,
    pub keywords: Vec<String>,
}

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct BuildResponse {
    pub sessions: Vec<BuildEntry>,
    pub files_scanned: usize,
    pub elapsed_ms: u64,
    pub registry: String,
}

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct SetStatusResponse {
    pub id: String,
    pub previous: Status,
    pub status: Status,
}

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct Candidate {
    pub id: String,
    pub title: String,
    pub score: f64,
    pub matched_terms: Vec<String>,
    /// Where the words matched, most important first: `title`, `first_prompt`, `prompts`,
    /// `place` (directory/repo names). Empty from daemons without [`CAP_SEARCH_FILTERS`].
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub fields: Vec<String>,
    pub reasons: Vec<String>,
    #[serde(default)]
    pub cwd: Option<String>,
    pub last_used: String,
    pub status: Status,
    /// See [`SessionSummary::short_id`].
    #[serde(default)]
    pub short_id: String,
    #[serde(default)]
    pub git_branch: Option<String>,
    #[serde(default)]
    pub first_prompt: Option<String>,
    /// The most recent prompt (when the session has more than one).
    #[serde(default)]
    pub latest_prompt: Option<String>,
    /// What Codex answered last in this session, truncated.
    #[serde(default)]
    pub last_answer: Option<String>,
    /// Open in a Codex process right now: never resumed by `route`.
    #[serde(default)]
    pub running: bool,
    /// The session's directory still exists (false: `route` never resumes it).
    #[serde(default = "yes")]
    pub cwd_exists: bool,
}

#[derive(Clone, Copy, Debug, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum Decision {
    Resume,
    New,
}

/// `route` asks for confirmation below this confidence (a resume's confidence is the share of
/// resumes right at that evidence on the calibration set; below 0.9 about one in ten is wrong).
pub const CONFIRM_BELOW: f64 = 0.9;
/// …or, when resuming, when the runner-up is this close (relative lead below it).
pub const CONFIRM_MARGIN: f64 = 0.15;

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct RouteResponse {
    pub decision: Decision,
    /// The session to resume (`decision == resume`).
    #[serde(default)]
    pub session: Option<String>,
    #[serde(default)]
    pub title: Option<String>,
    /// 0..1.
    pub confidence: f64,
    /// Relative lead of the best candidate's task over the best candidate of a different one,
    /// 0..1 (`1 − score₂/score₁`; another attempt at the same task, or its twin in another
    /// repository, is not a rival): 1 without a rival, 0 without candidates and for prompts
    /// decided without ranking (generic words only, chit-chat).
    #[serde(default)]
    pub margin: f64,
    /// codexd is unsure (see `CONFIRM_BELOW`, `CONFIRM_MARGIN`): show the candidates to the
    /// person (or the agent acting for them) and let them pick one or start a new session.
    #[serde(default)]
    pub confirm: bool,
    /// When the best match is open in another Codex process and the installed Codex can queue
    /// a message for a live thread: the command that would do it.
    #[serde(default)]
    pub queue_command: Option<String>,
    /// One sentence: why resume, or why new.
    pub reason: String,
    /// Directory to run the command in.
    pub cwd: Option<String>,
    /// Ready to run: `codex exec -C <dir> resume <id> '<prompt>'` or `codex exec -C <dir> '<prompt>'`.
    pub command: String,
    /// The interactive alternative: `codex resume <id>` (or `codex`).
    pub interactive_command: String,
    pub candidates: Vec<Candidate>,
}

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct SearchResponse {
    pub hits: Vec<Candidate>,
    /// How many sessions matched before the limit (absent from older daemons, which cap
    /// every search at 100 hits).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub total: Option<usize>,
    /// Instead of `hits` when the request was `brief`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub rows: Vec<SessionRow>,
}

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct StatusResponse {
    pub version: String,
    pub protocol: u32,
    pub pid: u32,
    pub uptime_secs: u64,
    pub codex_home: String,
    pub socket: String,
    pub registry: String,
    pub sessions: usize,
    pub files: usize,
    /// `watching`, `polling`, `degraded: …` or `waiting for CODEX_HOME`.
    pub watcher: String,
    #[serde(default)]
    pub last_full_scan: Option<String>,
    pub full_scans: u64,
    pub errors: u64,
    #[serde(default)]
    pub last_error: Option<String>,
    /// Start-up progress: `scanning` (requests other than status wait), `indexing` (`route`
    /// and `search` wait), `ready`.
    #[serde(default)]
    pub stage: String,
    /// How the route index was last built, e.g. `loaded from cache in 58 ms`.
    #[serde(default)]
    pub route_index: Option<String>,
    /// The daemon's resident memory (Linux; `None` elsewhere).
    #[serde(default)]
    pub memory_bytes: Option<u64>,
}

/// Machine-readable error kinds; the client maps them to exit codes.
#[derive(Clone, Copy, Debug, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum ErrorKind {
    NotFound,
    Ambiguous,
    BadRequest,
    Busy,
    Internal,
}

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct ErrorBody {
    pub kind: ErrorKind,
    pub message: String,
    /// For `ambiguous`: the sessions the query could mean.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub candidates: Vec<SessionSummary>,
}

/// One response line. Exactly one of `ok` and `error` is present.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Response {
    #[serde(default)]
    pub id: u64,
    /// The answer, kept as raw JSON: the daemon serialises its typed answer once, and the
    /// client parses it once, straight into the type it expects.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ok: Option<Box<serde_json::value::RawValue>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<ErrorBody>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<String>,
    /// An interim line (neither `ok` nor `error`): how far a long request (`build`) has got.
    /// Sent only to clients whose hello lists [`CAP_PROGRESS`]; the final answer follows.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub progress: Option<Progress>,
}

/// A client capability: it understands interim [`Response::progress`] lines.
pub const CAP_PROGRESS: &str = "progress";

#[derive(Clone, Copy, Debug, Serialize, Deserialize, PartialEq, Eq)]
pub struct Progress {
    /// Rollout files read so far, of `total`.
    pub done: u64,
    pub total: u64,
}

impl Response {
    pub fn progress(id: u64, done: u64, total: u64) -> Response {
        Response {
            id,
            ok: None,
            error: None,
            warnings: Vec::new(),
            progress: Some(Progress { done, total }),
        }
    }

    /// An interim progress line rather than the answer.
    pub fn is_progress(&self) -> bool {
        self.progress.is_some() && self.ok.is_none() && self.error.is_none()
    }

    pub fn ok<T: Serialize>(id: u64, body: &T) -> Response {
        match serde_json::value::to_raw_value(body) {
            Ok(v) => Response {
                id,
                ok: Some(v),
                error: None,
                warnings: Vec::new(),
                progress: None,
            },
            Err(e) => Response::error(id, ErrorKind::Internal, format!("encoding answer: {e}")),
        }
    }

    pub fn error(id: u64, kind: ErrorKind, message: impl Into<String>) -> Response {
        Response {
            id,
            ok: None,
            error: Some(ErrorBody {
                kind,
                message: message.into(),
                candidates: Vec::new(),
            }),
            warnings: Vec::new(),
            progress: None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn request_envelope_round_trips() {
        let line = r#"{"id":7,"show":{"query":"019c"}}"#;
        let env: RequestEnvelope = serde_json::from_str(line).unwrap();
        assert_eq!(env.id, 7);
        assert!(matches!(env.request, Request::Show(ref p) if p.query == "019c"));
        let back = serde_json::to_string(&env).unwrap();
        assert_eq!(back, line);
    }

    #[test]
    fn unknown_request_is_an_error() {
        assert!(serde_json::from_str::<RequestEnvelope>(r#"{"id":1,"frobnicate":{}}"#).is_err());
    }
}
