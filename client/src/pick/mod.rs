//! `codexd-client pick`: a full-screen, searchable session picker.
//!
//! Three threads feed one channel: terminal input, the worker that asks the daemon
//! (`source.rs`), and signals. The event loop applies each message to the [`State`]
//! (`state.rs`, pure), draws it (`view.rs`) once the channel is drained, and carries out the
//! [`Action`]s. Enter restores the terminal and *replaces this process* with
//! `codex resume <id>` in the session's directory; `--print` / `--json` print the choice
//! instead, drawing the picker on /dev/tty so `$(codexd-client pick --print)` works.

mod source;
mod state;
mod view;

use std::collections::HashSet;
use std::ffi::OsString;
use std::fs::File;
use std::io::{self, IsTerminal, Write};
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, Receiver, Sender};
use std::time::{Duration, Instant};

use base64::Engine as _;
use codexd_proto::{Empty, Request, SessionDetail, Status};
use ratatui::Terminal;
use ratatui::backend::CrosstermBackend;
use ratatui::crossterm::event::{
    self, DisableBracketedPaste, DisableMouseCapture, EnableBracketedPaste, EnableMouseCapture,
    Event,
};
use ratatui::crossterm::execute;
use ratatui::crossterm::terminal::{
    EnterAlternateScreen, LeaveAlternateScreen, disable_raw_mode, enable_raw_mode,
};

use source::{Answer, Backend, Job, Setup};
use state::{Action, Row, Scope, State};

/// Exit code when the picker ends without a choice (Esc, Ctrl-C), as fzf's.
const EXIT_NO_CHOICE: u8 = 130;

/// What the command line asked for.
pub struct Options {
    pub query: String,
    /// Print the chosen id instead of running Codex.
    pub print: bool,
    /// Print the chosen session as JSON instead of running Codex.
    pub json: bool,
    /// Start in "this project" instead of all projects.
    pub project: bool,
    pub no_color: bool,
    pub socket: PathBuf,
    pub codex_home: Option<PathBuf>,
    pub timeout: Duration,
    pub no_autostart: bool,
}

/// Everything the event loop reacts to.
#[derive(Debug)]
pub enum Msg {
    Input(Event),
    Answer(Answer),
    /// Shown above the list (fallback, older daemon, indexing).
    Banner(String),
    Signal(i32),
    /// Nothing to answer from (another user's socket): leave with this message.
    Fatal(String),
}

/// Where the picker draws: the terminal on stdout, or /dev/tty when stdout is captured.
static ON_DEV_TTY: AtomicBool = AtomicBool::new(false);

pub fn run(opts: Options) -> anyhow::Result<ExitCode> {
    let printing = opts.print || opts.json;
    let ui: Box<dyn Write + Send> = if io::stdout().is_terminal() {
        Box::new(io::stdout())
    } else if printing {
        match File::options().read(true).write(true).open("/dev/tty") {
            Ok(tty) => {
                ON_DEV_TTY.store(true, Ordering::Relaxed);
                Box::new(tty)
            }
            Err(e) => {
                eprintln!(
                    "codexd-client pick: no terminal to draw on (/dev/tty: {e}); for scripts use `codexd-client list` or `codexd-client search WORDS`"
                );
                return Ok(ExitCode::from(crate::EXIT_ERROR));
            }
        }
    } else {
        eprintln!(
            "codexd-client pick: stdout is not a terminal. The picker is interactive: for scripts use `codexd-client list` or `codexd-client search WORDS` (add --json), or `codexd-client pick --print` to pick by hand and print the id."
        );
        return Ok(ExitCode::from(crate::EXIT_ERROR));
    };
    let color = !opts.no_color && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty());
    let cwd = crate::current_dir();
    let project = project_root(&cwd);
    let mut state = State::new(
        opts.query.clone(),
        Some(project.display().to_string()),
        color,
    );
    if opts.project {
        state.scope = Scope::Project;
    }

    let (tx, rx) = mpsc::channel::<Msg>();
    let (jobs_tx, jobs_rx) = mpsc::channel::<Job>();
    let setup = Setup {
        socket: opts.socket.clone(),
        codex_home: opts.codex_home.clone(),
        timeout: opts.timeout,
        cwd: cwd.display().to_string(),
        project: project.display().to_string(),
    };
    start_worker(&opts, setup, jobs_rx, tx.clone());
    let _ = jobs_tx.send(Job::Query(state.current_query()));
    // Whether the installed Codex takes `-C`: asked now, known by the time Enter is pressed.
    let codex_cd = (!printing).then(|| std::thread::spawn(codex_has_cd));

    let mut term = TerminalGuard::enter(ui)?;
    spawn_input(tx.clone());
    spawn_signals(tx.clone())?;

    let outcome = event_loop(&mut term, &mut state, &rx, &jobs_tx, printing);
    drop(term);
    match outcome? {
        Outcome::Quit => Ok(ExitCode::from(EXIT_NO_CHOICE)),
        Outcome::Fatal(why) => {
            eprintln!("codexd-client: {why}");
            Ok(ExitCode::from(crate::EXIT_UNREACHABLE))
        }
        Outcome::Signal(sig) => Ok(ExitCode::from(128u8.saturating_add(sig as u8))),
        Outcome::Print(row, detail) => {
            let mut out = io::stdout().lock();
            if opts.json {
                let body = match detail {
                    Some(d) => serde_json::to_string_pretty(&d)?,
                    None => serde_json::to_string_pretty(&serde_json::json!({ "id": row.id }))?,
                };
                let _ = writeln!(out, "{body}");
            } else {
                let _ = writeln!(out, "{}", row.id);
            }
            let _ = out.flush();
            Ok(ExitCode::SUCCESS)
        }
        Outcome::Resume(row) => {
            let cd = codex_cd.and_then(|h| h.join().ok()).unwrap_or(false);
            let dir = session_dir(row.cwd.as_deref());
            Err(exec_codex(
                resume_args(&row.id, dir.as_deref(), cd),
                dir.as_deref(),
            ))
        }
        Outcome::New { cwd, prompt } => {
            let cd = codex_cd.and_then(|h| h.join().ok()).unwrap_or(false);
            let dir = session_dir(cwd.as_deref());
            Err(exec_codex(
                new_args(&prompt, dir.as_deref(), cd),
                dir.as_deref(),
            ))
        }
    }
}

enum Outcome {
    Quit,
    Fatal(String),
    Signal(i32),
    Print(Row, Option<Box<SessionDetail>>),
    Resume(Row),
    New { cwd: Option<String>, prompt: String },
}

fn event_loop(
    term: &mut TerminalGuard,
    state: &mut State,
    rx: &Receiver<Msg>,
    jobs: &Sender<Job>,
    printing: bool,
) -> anyhow::Result<Outcome> {
    let mut asked: HashSet<String> = HashSet::new();
    let mut trace = Trace::from_env();
    trace.sent(state.current_query());
    // A `--json` choice waits for its session's details.
    let mut pending_print: Option<(Row, Instant)> = None;
    loop {
        // Ask for the preview of the selection once.
        if let Some(r) = state.selected_row()
            && !state.details.contains_key(&r.id)
            && asked.insert(r.id.clone())
        {
            let _ = jobs.send(Job::Show(r.id.clone()));
        }
        // Scrolled near the end of the loaded rows: the next page.
        if let Some((query, offset)) = state.wants_more() {
            let _ = jobs.send(Job::More(query, offset));
        }
        if let Some((row, since)) = &pending_print
            && (state.details.contains_key(&row.id) || since.elapsed() > Duration::from_secs(5))
        {
            let detail = state.details.get(&row.id).cloned().map(Box::new);
            return Ok(Outcome::Print(row.clone(), detail));
        }
        let now = jiff::Timestamp::now().as_second();
        let frame = Instant::now();
        term.terminal.draw(|f| view::draw(f, state, now))?;
        trace.drawn(state, frame.elapsed());

        let Ok(first) = rx.recv() else {
            return Ok(Outcome::Quit);
        };
        // Apply everything already waiting before drawing again: a burst of keys or
        // answers costs one frame.
        let mut msgs = vec![first];
        msgs.extend(rx.try_iter());
        for msg in msgs {
            let action = match msg {
                Msg::Input(ev) => state.handle(&ev),
                Msg::Answer(a) => {
                    if let Answer::Results { query, .. } = &a {
                        trace.answered(query);
                    }
                    apply_answer(state, a, &mut asked);
                    Action::None
                }
                Msg::Banner(b) => {
                    state.banner.push(b);
                    Action::None
                }
                Msg::Signal(sig) => return Ok(Outcome::Signal(sig)),
                Msg::Fatal(why) => return Ok(Outcome::Fatal(why)),
            };
            match action {
                Action::None => {}
                Action::Search(q) => {
                    trace.sent(q.clone());
                    let _ = jobs.send(Job::Query(q));
                }
                Action::Quit => return Ok(Outcome::Quit),
                Action::Resume(row) | Action::Print(row) if printing => {
                    pending_print = Some((row, Instant::now()));
                }
                Action::Print(row) => return Ok(Outcome::Print(row, None)),
                Action::Resume(row) => return Ok(Outcome::Resume(row)),
                Action::New { .. } if printing => {
                    state.message =
                        Some("Alt-Enter starts Codex; with --print, Enter prints the id".into());
                }
                Action::New { cwd, prompt } => return Ok(Outcome::New { cwd, prompt }),
                Action::Copy(id) => {
                    term.copy(&id);
                    state.message = Some(format!("copied {id} to the clipboard (OSC 52)"));
                }
                Action::SetStatus { id, status } => {
                    let _ = jobs.send(Job::SetStatus { id, status });
                }
            }
        }
    }
}

/// `CODEXD_PICK_TRACE=FILE`: one line per query that reached the screen, for the benchmark
/// (`codexd-bench`): microseconds from the keystroke to the end of the frame showing its
/// answer, microseconds that frame took to draw, rows, microseconds from the keystroke to
/// the answer's arrival in the event loop, query.
struct Trace {
    file: Option<File>,
    /// When each query was asked, and how long its answer took to arrive.
    sent: std::collections::HashMap<state::Query, (Instant, Option<Duration>)>,
}

impl Trace {
    fn from_env() -> Trace {
        let file = std::env::var_os("CODEXD_PICK_TRACE")
            .filter(|v| !v.is_empty())
            .and_then(|p| File::options().create(true).append(true).open(p).ok());
        Trace {
            file,
            sent: Default::default(),
        }
    }

    fn sent(&mut self, q: state::Query) {
        if self.file.is_some() {
            self.sent.entry(q).or_insert_with(|| (Instant::now(), None));
        }
    }

    fn answered(&mut self, q: &state::Query) {
        if let Some((t, arrived)) = self.sent.get_mut(q) {
            arrived.get_or_insert_with(|| t.elapsed());
        }
    }

    fn drawn(&mut self, state: &State, render: Duration) {
        let Some(f) = self.file.as_mut() else {
            return;
        };
        let Some(q) = state.shown.as_ref() else {
            return;
        };
        if let Some((t, arrived)) = self.sent.remove(q) {
            let _ = writeln!(
                f,
                "{}\t{}\t{}\t{}\t{}",
                t.elapsed().as_micros(),
                render.as_micros(),
                state.rows.len(),
                arrived.unwrap_or_default().as_micros(),
                q.text
            );
        }
        // Queries overtaken before their answer came never reach the screen.
        self.sent
            .retain(|_, (t, _)| t.elapsed() < Duration::from_secs(60));
    }
}

fn apply_answer(state: &mut State, answer: Answer, asked: &mut HashSet<String>) {
    match answer {
        Answer::Results {
            query,
            offset,
            rows,
            total,
        } => {
            state.apply_results(query, offset, rows, total);
        }
        Answer::Detail(d) => {
            state.details.insert(d.summary.id.clone(), *d);
        }
        Answer::StatusSet { id, status } => {
            state.set_row_status(&id, status);
            asked.remove(&id);
            state.message = Some(if status == Status::Archived {
                format!("archived {id}; ^X again to undo")
            } else {
                format!("{id} is {} again", status.as_str())
            });
        }
        Answer::Error(e) => state.message = Some(e),
    }
}

/// Connect (or fall back) on the worker thread, so the screen is up at once.
fn start_worker(opts: &Options, setup: Setup, jobs: Receiver<Job>, tx: Sender<Msg>) {
    let (socket, home, timeout, no_autostart) = (
        opts.socket.clone(),
        opts.codex_home.clone(),
        opts.timeout,
        opts.no_autostart,
    );
    std::thread::spawn(move || {
        let hello = Request::Status(Empty {});
        let backend = match crate::connect_or_start(
            &hello,
            &socket,
            home.as_deref(),
            timeout,
            no_autostart,
        ) {
            Ok(mut conn) => {
                // The status request went with the hello: read its answer.
                let status = conn.request(hello, &mut |_| {});
                if let Some(w) = crate::other_home_warning(&conn, home.as_deref()) {
                    let _ = tx.send(Msg::Banner(w));
                }
                if let Ok(r) = status {
                    for w in r.warnings {
                        let _ = tx.send(Msg::Banner(w));
                    }
                }
                let filters = source::has_filters(&conn);
                if !filters {
                    let _ = tx.send(Msg::Banner(format!(
                        "codexd {} is older than this client: searches stop at 100 hits and filters apply to those; restart it (codexd-client shutdown)",
                        conn.daemon.version
                    )));
                }
                Backend::Daemon {
                    pages: source::has_pages(&conn),
                    conn: Box::new(conn),
                    filters,
                }
            }
            Err(crate::Unreachable::Refused(why)) => {
                let _ = tx.send(Msg::Fatal(why));
                return;
            }
            Err(why) => {
                let why = match why {
                    crate::Unreachable::Fatal(w) | crate::Unreachable::Refused(w) => w,
                    crate::Unreachable::NoDaemonForShutdown => "not running".to_owned(),
                };
                let _ = tx.send(Msg::Banner(format!(
                    "codexd daemon unreachable ({why}); answering from a direct scan"
                )));
                Backend::Direct(Box::new(crate::fallback::engine(home.as_deref(), &socket)))
            }
        };
        source::spawn(backend, setup, jobs, tx);
    });
}

fn spawn_input(tx: Sender<Msg>) {
    std::thread::spawn(move || {
        while let Ok(ev) = event::read() {
            if tx.send(Msg::Input(ev)).is_err() {
                return;
            }
        }
    });
}

fn spawn_signals(tx: Sender<Msg>) -> io::Result<()> {
    use signal_hook::consts::{SIGHUP, SIGINT, SIGQUIT, SIGTERM};
    let mut signals = signal_hook::iterator::Signals::new([SIGTERM, SIGINT, SIGHUP, SIGQUIT])?;
    std::thread::spawn(move || {
        if let Some(sig) = signals.forever().next() {
            let _ = tx.send(Msg::Signal(sig));
        }
    });
    Ok(())
}

/// Raw mode and the alternate screen for as long as it lives, also on panic.
struct TerminalGuard {
    terminal: Terminal<CrosstermBackend<Box<dyn Write + Send>>>,
}

impl TerminalGuard {
    fn enter(mut ui: Box<dyn Write + Send>) -> io::Result<TerminalGuard> {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            restore_terminal(&mut ui_writer());
            previous(info);
        }));
        enable_raw_mode()?;
        execute!(
            ui,
            EnterAlternateScreen,
            EnableMouseCapture,
            EnableBracketedPaste
        )?;
        let terminal = Terminal::new(CrosstermBackend::new(ui))?;
        Ok(TerminalGuard { terminal })
    }

    /// OSC 52: the terminal (and tmux, with `set-clipboard on`) puts `text` on the clipboard.
    fn copy(&mut self, text: &str) {
        let b64 = base64::engine::general_purpose::STANDARD.encode(text);
        let w = self.terminal.backend_mut();
        let _ = write!(w, "\x1b]52;c;{b64}\x07");
        let _ = w.flush();
    }
}

impl Drop for TerminalGuard {
    fn drop(&mut self) {
        let _ = self.terminal.show_cursor();
        restore_terminal(self.terminal.backend_mut());
    }
}

fn ui_writer() -> Box<dyn Write> {
    if ON_DEV_TTY.load(Ordering::Relaxed)
        && let Ok(tty) = File::options().write(true).open("/dev/tty")
    {
        return Box::new(tty);
    }
    Box::new(io::stdout())
}

fn restore_terminal<W: Write + ?Sized>(mut w: &mut W) {
    let _ = disable_raw_mode();
    let _ = execute!(
        &mut w,
        DisableBracketedPaste,
        DisableMouseCapture,
        LeaveAlternateScreen,
        ratatui::crossterm::cursor::Show
    );
    let _ = w.flush();
}

/// The caller's project: the nearest directory above `cwd` with a `.git`, else `cwd`.
fn project_root(cwd: &Path) -> PathBuf {
    cwd.ancestors()
        .find(|d| d.join(".git").exists())
        .unwrap_or(cwd)
        .to_path_buf()
}

/// The session's directory when it still exists.
fn session_dir(cwd: Option<&str>) -> Option<PathBuf> {
    let d = PathBuf::from(cwd?);
    if d.is_dir() {
        Some(d)
    } else {
        eprintln!(
            "codexd-client pick: the session's directory {} no longer exists; running Codex here",
            d.display()
        );
        None
    }
}

/// `codex resume [-C DIR] ID`.
pub fn resume_args(id: &str, dir: Option<&Path>, has_cd: bool) -> Vec<OsString> {
    let mut a: Vec<OsString> = vec!["resume".into()];
    if let (Some(d), true) = (dir, has_cd) {
        a.push("-C".into());
        a.push(d.into());
    }
    a.push(id.into());
    a
}

/// `codex [-C DIR] [PROMPT]`.
pub fn new_args(prompt: &str, dir: Option<&Path>, has_cd: bool) -> Vec<OsString> {
    let mut a: Vec<OsString> = Vec::new();
    if let (Some(d), true) = (dir, has_cd) {
        a.push("-C".into());
        a.push(d.into());
    }
    if !prompt.is_empty() {
        a.push(prompt.into());
    }
    a
}

/// Does the installed `codex resume` take `-C/--cd`? Asks its `--help` (at most 3 s).
fn codex_has_cd() -> bool {
    codexd_core::codex_cli::output(
        Path::new("codex"),
        &["resume", "--help"],
        Duration::from_secs(3),
    )
    .is_some_and(|help| help.contains("--cd") || help.contains("-C,"))
}

/// Replace this process with Codex; returns only if that failed.
fn exec_codex(args: Vec<OsString>, dir: Option<&Path>) -> anyhow::Error {
    let mut cmd = Command::new("codex");
    cmd.args(&args);
    if let Some(d) = dir {
        cmd.current_dir(d);
    }
    let err = cmd.exec();
    let shown: Vec<String> = args
        .iter()
        .map(|a| codexd_proto::shell::quote(&a.to_string_lossy()).into_owned())
        .collect();
    let cd = dir
        .map(|d| {
            format!(
                "cd {} && ",
                codexd_proto::shell::quote(&d.display().to_string())
            )
        })
        .unwrap_or_default();
    anyhow::anyhow!(
        "cannot run codex ({err}); is the Codex CLI installed and on PATH (npm install -g @openai/codex)? The command was: {cd}codex {}",
        shown.join(" ")
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resume_uses_cd_only_when_codex_has_it() {
        let d = Path::new("/w/app");
        assert_eq!(
            resume_args("019c", Some(d), true),
            ["resume", "-C", "/w/app", "019c"].map(OsString::from)
        );
        assert_eq!(
            resume_args("019c", Some(d), false),
            ["resume", "019c"].map(OsString::from)
        );
        assert_eq!(
            new_args("fix it", Some(d), true),
            ["-C", "/w/app", "fix it"].map(OsString::from)
        );
        assert!(new_args("", None, true).is_empty());
    }

    #[test]
    fn project_is_the_git_root() {
        let t = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(t.path().join("repo/.git")).unwrap();
        std::fs::create_dir_all(t.path().join("repo/src/deep")).unwrap();
        assert_eq!(
            project_root(&t.path().join("repo/src/deep")),
            t.path().join("repo")
        );
    }
}
