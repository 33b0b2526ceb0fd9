//! `codexd-client`: thin CLI over the codexd socket. See `cli.rs` for the commands,
//! `connect.rs` for the socket and auto-start, `fallback.rs` for the daemon-less path and
//! `render.rs` for the text formats.

mod cli;
mod connect;
mod fallback;
mod pick;
mod render;
mod service;

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use clap::{CommandFactory, Parser};
use codexd_proto::{
    Answer, BuildParams, CleanupParams, Empty, ErrorKind, ListParams, Request, Response,
    RouteParams, SearchParams, SetStatusParams, ShowParams,
};
use serde_json::Value;

use cli::{Cli, Command};
use connect::{ConnectError, Connection};
use render::Style;

/// Exit codes (documented in `--help`).
pub(crate) const EXIT_ERROR: u8 = 1;
const EXIT_NOT_FOUND: u8 = 2;
pub(crate) const EXIT_UNREACHABLE: u8 = 3;

fn main() -> ExitCode {
    restore_sigpipe();
    let cli = Cli::parse();
    match run(cli) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("codexd-client: {e}");
            ExitCode::from(EXIT_ERROR)
        }
    }
}

/// Stop quietly when the reader goes away (`codexd-client list | head`), as Unix filters do,
/// instead of panicking on EPIPE inside `println!`. Rust ignores SIGPIPE by default; socket
/// writes to the daemon use MSG_NOSIGNAL (SO_NOSIGPIPE on macOS) and are not affected.
fn restore_sigpipe() {
    // SAFETY: called first thing in `main`, before any thread exists; SIG_DFL is always a
    // valid disposition for SIGPIPE.
    #[cfg(unix)]
    #[allow(unsafe_code)]
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
}

fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    let g = cli.global.clone();
    let style = Style {
        color: !g.no_color
            && !g.json
            && std::env::var_os("NO_COLOR").is_none()
            && std::io::stdout().is_terminal(),
    };
    let request = match cli.command {
        Command::List {
            all,
            status,
            cwd,
            limit,
        } => Request::List(ListParams {
            all,
            status: status.into_iter().map(Into::into).collect(),
            cwd: cwd.map(absolute).map(|p| p.display().to_string()),
            limit,
            ..Default::default()
        }),
        Command::Show { id } => Request::Show(ShowParams { query: id }),
        Command::Cleanup {
            dry_run,
            older_than,
        } => Request::Cleanup(CleanupParams {
            dry_run,
            older_than_secs: older_than,
        }),
        Command::Build => Request::Build(BuildParams {}),
        Command::Route {
            prompt,
            cwd,
            limit,
            include_archived,
            all,
        } => Request::Route(RouteParams {
            prompt,
            cwd: Some(cwd.map(absolute).unwrap_or_else(current_dir))
                .map(|p| p.display().to_string()),
            limit: Some(limit),
            include_archived,
            include_non_interactive: all,
        }),
        Command::Search {
            query,
            limit,
            all,
            status,
            here,
        } => Request::Search(SearchParams {
            query: query.join(" "),
            limit: Some(limit),
            cwd: Some(current_dir().display().to_string()),
            all,
            same_project: here,
            status: status.into_iter().map(Into::into).collect(),
            ..Default::default()
        }),
        Command::SetStatus { id, status } => Request::SetStatus(SetStatusParams {
            id,
            status: status.into(),
        }),
        Command::Pick { query, print, here } => {
            return pick::run(pick::Options {
                query: query.join(" "),
                print,
                json: g.json,
                project: here,
                no_color: g.no_color,
                socket: codexd_proto::socket::resolve_socket_path(g.socket.as_deref()),
                codex_home: g.codex_home.clone(),
                timeout: Duration::from_secs_f64(g.timeout.clamp(0.1, 86_400.0)),
                no_autostart: g.no_autostart,
            });
        }
        Command::Status => Request::Status(Empty {}),
        Command::Shutdown => Request::Shutdown(Empty {}),
        Command::Sync => Request::Sync(Empty {}),
        Command::Completions { shell } => {
            clap_complete::generate(
                shell,
                &mut Cli::command(),
                "codexd-client",
                &mut std::io::stdout(),
            );
            return Ok(ExitCode::SUCCESS);
        }
        Command::Man => {
            clap_mangen::Man::new(Cli::command()).render(&mut std::io::stdout())?;
            return Ok(ExitCode::SUCCESS);
        }
        Command::InstallService { dry_run } => return service::install_service(dry_run, g.json),
        Command::UninstallService { dry_run } => {
            return service::uninstall_service(dry_run, g.json);
        }
        Command::InstallSlashCommands { dry_run } => {
            return service::install_slash_commands(dry_run, g.json);
        }
    };
    let socket = codexd_proto::socket::resolve_socket_path(g.socket.as_deref());
    let timeout = Duration::from_secs_f64(g.timeout.clamp(0.1, 86_400.0));
    let rebuilding = matches!(request, Request::Build(_));
    let progress = Progress::start(rebuilding, !g.json && std::io::stderr().is_terminal());
    let files = progress.files.clone();
    let obtained = obtain(
        &request,
        &socket,
        g.codex_home.as_deref(),
        timeout,
        g.no_autostart,
        &mut |p| files.set(p.done, p.total),
    );
    progress.stop();
    let response = match obtained {
        Ok(r) => r,
        Err(Unreachable::NoDaemonForShutdown) => {
            println!("codexd is not running");
            return Ok(ExitCode::SUCCESS);
        }
        Err(Unreachable::Fatal(msg) | Unreachable::Refused(msg)) => {
            eprintln!("codexd-client: {msg}");
            return Ok(ExitCode::from(EXIT_UNREACHABLE));
        }
    };
    Ok(output(&request, response, &g, style))
}

/// A spinner on stderr (terminals only) for requests that take a while: a `build` over a big
/// history (with the daemon's count of files read), or the first request while a fresh daemon
/// indexes. Silent for fast answers.
struct Progress {
    stop: Option<std::sync::mpsc::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
    /// What the daemon last reported (its progress lines arrive on the requesting thread).
    files: Arc<FileCount>,
}

#[derive(Default)]
struct FileCount {
    done: AtomicU64,
    total: AtomicU64,
}

impl FileCount {
    fn set(&self, done: u64, total: u64) {
        self.done.store(done, Ordering::Relaxed);
        self.total.store(total, Ordering::Relaxed);
    }
}

impl Progress {
    fn start(rebuilding: bool, enabled: bool) -> Progress {
        use std::sync::mpsc::RecvTimeoutError;
        let files = Arc::new(FileCount::default());
        if !enabled {
            return Progress {
                stop: None,
                thread: None,
                files,
            };
        }
        let (tx, rx) = std::sync::mpsc::channel::<()>();
        let count = files.clone();
        let thread = std::thread::spawn(move || {
            let started = std::time::Instant::now();
            let frames = ['|', '/', '-', '\\'];
            let what = if rebuilding {
                "rescanning every rollout"
            } else {
                "waiting for codexd (indexing)"
            };
            let mut shown = false;
            let mut i = 0;
            // Wakes at once when stopped (or the sender is dropped), else every 100 ms.
            while let Err(RecvTimeoutError::Timeout) = rx.recv_timeout(Duration::from_millis(100)) {
                let t = started.elapsed();
                if t >= Duration::from_millis(400) {
                    let (done, total) = (
                        count.done.load(Ordering::Relaxed),
                        count.total.load(Ordering::Relaxed),
                    );
                    let files = if total > 0 {
                        format!(" {done}/{total} files,")
                    } else {
                        String::new()
                    };
                    eprint!(
                        "\r\x1b[2K{} {what}…{files} {:.1} s",
                        frames[i % frames.len()],
                        t.as_secs_f64()
                    );
                    shown = true;
                    i += 1;
                }
            }
            if shown {
                eprint!("\r\x1b[2K");
            }
        });
        Progress {
            stop: Some(tx),
            thread: Some(thread),
            files,
        }
    }

    fn stop(self) {
        drop(self.stop);
        if let Some(t) = self.thread {
            let _ = t.join();
        }
    }
}

/// A daemon indexes one Codex home. When the caller names another one (flag or CODEX_HOME)
/// than the daemon on this socket indexes, the answer would silently be about the wrong
/// home: say so.
pub(crate) fn other_home_warning(conn: &Connection, asked: Option<&Path>) -> Option<String> {
    let explicit = asked.map(Path::to_path_buf).or_else(|| {
        std::env::var_os("CODEX_HOME")
            .filter(|v| !v.is_empty())
            .map(PathBuf::from)
    })?;
    let wanted = codexd_core::paths::resolve_codex_home(Some(&explicit));
    let theirs = PathBuf::from(conn.daemon.codex_home.as_deref()?);
    (wanted != theirs).then(|| {
        format!(
            "the daemon on this socket indexes {}, not {}; stop it (codexd-client shutdown) or use another --socket",
            theirs.display(),
            wanted.display()
        )
    })
}

/// Connect; when the daemon says it is busy, retry briefly before giving up on it.
fn open_patiently(
    socket: &Path,
    timeout: Duration,
    first: &Request,
) -> Result<Connection, ConnectError> {
    let mut delay = Duration::from_millis(20);
    for _ in 0..5 {
        match Connection::open_with(socket, timeout, Some(first)) {
            Err(ConnectError::Busy(_)) => std::thread::sleep(delay),
            other => return other,
        }
        delay *= 2;
    }
    Connection::open(socket, timeout)
}

pub(crate) enum Unreachable {
    NoDaemonForShutdown,
    Fatal(String),
    /// The socket is another user's: no direct scan may stand in, no daemon may be started.
    Refused(String),
}

/// Connect to the daemon, starting it (or replacing an older one) unless `no_autostart`.
/// `request` goes along with the hello when it changes nothing.
pub(crate) fn connect_or_start(
    request: &Request,
    socket: &Path,
    codex_home: Option<&Path>,
    timeout: Duration,
    no_autostart: bool,
) -> Result<Connection, Unreachable> {
    match open_patiently(socket, timeout, request) {
        Ok(c) => Ok(c),
        // Another user's socket: no fallback answer, no daemon of our own on their path.
        Err(e) if e.is_refusal() => return Err(Unreachable::Refused(e.to_string())),
        Err(ConnectError::NotRunning(_)) if matches!(request, Request::Shutdown(_)) => {
            return Err(Unreachable::NoDaemonForShutdown);
        }
        Err(ConnectError::NotRunning(_)) if !no_autostart => {
            let via_service = service::start_via_service_manager();
            match via_service
                .then(|| connect::wait_for_daemon(socket, timeout))
                .flatten()
            {
                Some(c) => Ok(c),
                None => connect::start_and_connect(socket, codex_home, timeout).map_err(|e| e.to_string()),
            }
        }
        // An older daemon (say, still running after an upgrade): replace it with ours.
        Err(ConnectError::Protocol { daemon, .. })
            if daemon < codexd_proto::PROTOCOL_VERSION && !no_autostart =>
        {
            if connect::stop_old_daemon(socket) {
                connect::start_and_connect(socket, codex_home, timeout).map_err(|e| e.to_string())
            } else {
                Err(format!(
                    "an older codexd (protocol {daemon}) is running and did not stop; run `codexd-client shutdown`"
                ))
            }
        }
        Err(e) => Err(e.to_string()),
    }
    .map_err(Unreachable::Fatal)
}

/// Ask the daemon (starting it if needed); if that fails, answer from a direct scan.
fn obtain(
    request: &Request,
    socket: &Path,
    codex_home: Option<&Path>,
    timeout: Duration,
    no_autostart: bool,
    on_progress: &mut dyn FnMut(codexd_proto::Progress),
) -> Result<Response, Unreachable> {
    let connected = match connect_or_start(request, socket, codex_home, timeout, no_autostart) {
        Ok(c) => Ok(c),
        Err(Unreachable::Fatal(why)) => Err(why),
        Err(Unreachable::Refused(why)) => return Err(Unreachable::Fatal(why)),
        Err(other) => return Err(other),
    };
    let why = match connected {
        Ok(mut conn) => match conn.request(request.clone(), on_progress) {
            Ok(mut r) => {
                if let Some(w) = other_home_warning(&conn, codex_home) {
                    r.warnings.push(w);
                }
                return Ok(r);
            }
            Err(e) => e.to_string(),
        },
        Err(why) => why,
    };
    match request {
        Request::Shutdown(_) => {
            return Err(Unreachable::Fatal(format!(
                "cannot reach codexd to stop it: {why}"
            )));
        }
        // Health and barriers are about the daemon itself; a direct scan cannot stand in.
        Request::Status(_) | Request::Sync(_) => {
            return Err(Unreachable::Fatal(format!(
                "codexd is not running ({why}); start it with `codexd` or `codexd-client install-service`"
            )));
        }
        _ => {}
    }
    let mut r = fallback::answer(codex_home, socket, request.clone());
    if r.error
        .as_ref()
        .is_some_and(|e| e.kind == ErrorKind::Internal)
    {
        return Err(Unreachable::Fatal(format!(
            "codexd is unreachable ({why}) and the direct scan failed. Start the daemon with `codexd` (or `codexd-client install-service`), then retry."
        )));
    }
    r.warnings.insert(
        0,
        format!("codexd daemon unreachable ({why}); answered from a direct scan"),
    );
    Ok(r)
}

fn output(request: &Request, r: Response, g: &cli::Global, style: Style) -> ExitCode {
    for w in &r.warnings {
        eprintln!("warning: {w}");
    }
    if let Some(err) = r.error {
        let code = match err.kind {
            ErrorKind::NotFound | ErrorKind::Ambiguous => EXIT_NOT_FOUND,
            _ => EXIT_ERROR,
        };
        if g.json {
            println!(
                "{}",
                serde_json::to_string_pretty(&serde_json::json!({ "error": err }))
                    .unwrap_or_default()
            );
        } else {
            eprintln!("codexd-client: {}", err.message);
            if !err.candidates.is_empty() {
                eprintln!("Candidates:");
                for c in &err.candidates {
                    eprintln!("  {}", render::candidates_line(c, style));
                }
            }
        }
        return ExitCode::from(code);
    }
    let ok = r.ok.as_deref().map_or("null", |raw| raw.get());
    let adapted = adapt_to_installed_codex(request, ok);
    let ok = adapted.as_deref().unwrap_or(ok);
    let text = if g.json {
        let ok: Value = serde_json::from_str(ok).unwrap_or(Value::Null);
        let body = match (request, &ok) {
            // `list --json` is a plain array of sessions, like the registry's `.sessions`.
            (Request::List(_), Value::Object(m)) => {
                m.get("sessions").cloned().unwrap_or(Value::Array(vec![]))
            }
            _ => ok,
        };
        serde_json::to_string_pretty(&body).unwrap_or_default() + "\n"
    } else {
        match request
            .decode_answer(ok)
            .map(|answer| human(request, answer, g, style))
        {
            Ok(t) => t,
            Err(e) => {
                eprintln!("codexd-client: cannot read the daemon's answer: {e}");
                return ExitCode::from(EXIT_ERROR);
            }
        }
    };
    let mut stdout = std::io::stdout().lock();
    // A closed pipe (`| head`) is not an error.
    let _ = stdout.write_all(text.as_bytes());
    let _ = stdout.flush();
    ExitCode::SUCCESS
}

/// Rewrites the printed `codex` commands of a `show` or `route` answer into what the `codex` on
/// `PATH` accepts (`codexd_core::codex_cli`); `None` when nothing changes. Detection reads an
/// npm install's package.json, or a cached `codex --version`: no process per call.
fn adapt_to_installed_codex(request: &Request, ok: &str) -> Option<String> {
    let show = match request {
        Request::Show(_) => true,
        Request::Route(_) => false,
        _ => return None,
    };
    let path = std::env::var_os("PATH");
    let cli = codexd_core::codex_cli::detect(
        path.as_deref(),
        codexd_core::codex_cli::default_cache().as_deref(),
    )?;
    let release = cli.triple()?;
    if release >= codexd_core::codex_cli::EXEC_RESUME_SINCE {
        return None;
    }
    let mut v: Value = serde_json::from_str(ok).ok()?;
    let s = |v: &Value, k: &str| v.get(k).and_then(Value::as_str).map(str::to_owned);
    match show {
        true => {
            let in_git = !v["git_branch"].is_null() || !v["git_origin"].is_null();
            let p = codexd_core::codex_cli::resume_exec(
                Some(release),
                s(&v, "cwd").as_deref(),
                &s(&v, "id")?,
                s(&v, "path").as_deref(),
                in_git,
                "-",
            );
            v["resume_command"] = Value::String(p.command);
            v["resume_note"] = p.note.map_or(Value::Null, Value::String);
        }
        false => {
            if v["decision"] == "resume" {
                v["reason"] = Value::String(format!(
                    "{} Note: codex {} on PATH has no `exec resume` (0.36.0+); run `codexd-client show {}` for a command it accepts.",
                    s(&v, "reason").unwrap_or_default(),
                    cli.version.as_deref().unwrap_or("?"),
                    s(&v, "session").unwrap_or_default()
                ));
            }
        }
    }
    serde_json::to_string(&v).ok()
}

/// The answer as text for a person.
fn human(request: &Request, answer: Answer, g: &cli::Global, style: Style) -> String {
    match answer {
        Answer::List(r) => render::list(&r, style),
        Answer::Show(d) => render::show(&d, style),
        Answer::Cleanup(r) => render::cleanup(&r, style),
        Answer::Build(r) => {
            let home = codexd_core::paths::resolve_codex_home(g.codex_home.as_deref());
            render::build(&r, &home.display().to_string())
        }
        Answer::Route(r) => render::route(&r, style),
        Answer::Search(r) => {
            let limit = match request {
                Request::Search(p) => p.limit.unwrap_or(20),
                _ => 0,
            };
            render::search(&r, limit, style)
        }
        Answer::SetStatus(r) => render::set_status(&r),
        Answer::Status(r) => render::status(&r),
        Answer::Shutdown(_) => "codexd is stopping\n".to_owned(),
        Answer::Sync(_) => "in sync with the disk\n".to_owned(),
    }
}

pub(crate) fn current_dir() -> PathBuf {
    std::env::current_dir().unwrap_or_else(|_| PathBuf::from("/"))
}

fn absolute(p: PathBuf) -> PathBuf {
    if p.is_absolute() {
        p
    } else {
        current_dir().join(p)
    }
}
