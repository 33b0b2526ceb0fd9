//! Talking to the daemon: connect (with a timeout), hello, one request, one answer; start the
//! daemon when nobody answers. Every socket operation has a deadline, so the client never hangs.

use std::io::{self, BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use codexd_proto::{
    CAP_PROGRESS, Hello, HelloLine, MAX_RESPONSE_LINE, PROTOCOL_VERSION, Progress, Request,
    RequestEnvelope, Response,
};
use interprocess::ConnectWaitMode;
use interprocess::local_socket::traits::Stream as _;
use interprocess::local_socket::{ConnectOptions, GenericFilePath, Stream, ToFsName};

/// Total time spent waiting for a daemon this client started (issue: ≤ 2 s).
const START_BUDGET: Duration = Duration::from_secs(2);

#[derive(Debug, thiserror::Error)]
pub enum ConnectError {
    #[error("no daemon is listening on {0}")]
    NotRunning(PathBuf),
    #[error("cannot talk to the daemon on {path}: {source}")]
    Io { path: PathBuf, source: io::Error },
    #[error(
        "the daemon speaks protocol {daemon} (codexd {daemon_version}); this client speaks {PROTOCOL_VERSION} (codexd-client {}). Restart it: codexd-client shutdown",
        codexd_proto::VERSION
    )]
    Protocol { daemon: u32, daemon_version: String },
    #[error("the daemon sent something that is not a codexd answer: {0}")]
    Garbled(String),
    #[error("the daemon is busy: {0}")]
    Busy(String),
    /// The socket (or its directory) belongs to another user: codexd serves only its own
    /// uid, so there is nothing to fall back to or start here.
    #[error(
        "{} belongs to uid {owner}, not to you (uid {me}); codexd serves only its own user and refuses others. Use your own socket: unset CODEXD_SOCKET and drop --socket",
        .path.display()
    )]
    NotYours { path: PathBuf, owner: u32, me: u32 },
    /// Connecting was refused by file permissions.
    #[error(
        "permission denied connecting to {} ({source}); the socket is not yours or its directory is closed to you. Use your own socket: unset CODEXD_SOCKET and drop --socket",
        .path.display()
    )]
    Denied { path: PathBuf, source: io::Error },
}

impl ConnectError {
    /// A refusal that no fallback or auto-start may paper over: the socket is another user's.
    pub fn is_refusal(&self) -> bool {
        matches!(
            self,
            ConnectError::NotYours { .. } | ConnectError::Denied { .. }
        )
    }
}

/// The uid owning `socket` (or, when it cannot be looked at, its directory), when that is not
/// us. Consulted only after a connection failed, to tell "another user's daemon" apart.
fn foreign_owner(socket: &Path) -> Option<u32> {
    use std::os::unix::fs::MetadataExt;
    let me = codexd_proto::socket::current_uid();
    let owner = match std::fs::symlink_metadata(socket) {
        Ok(m) => m.uid(),
        Err(_) => std::fs::metadata(socket.parent()?).ok()?.uid(),
    };
    (owner != me).then_some(owner)
}

/// Turn a failure on `path` into [`ConnectError::NotYours`] when the socket is another user's.
fn refine(path: &Path, e: ConnectError) -> ConnectError {
    match foreign_owner(path) {
        Some(owner) => ConnectError::NotYours {
            path: path.to_owned(),
            owner,
            me: codexd_proto::socket::current_uid(),
        },
        None => match e {
            ConnectError::Io { path, source }
                if source.kind() == io::ErrorKind::PermissionDenied =>
            {
                ConnectError::Denied { path, source }
            }
            e => e,
        },
    }
}

pub struct Connection {
    stream: BufReader<Stream>,
    path: PathBuf,
    next_id: u64,
    /// The daemon's own hello (version, pid, the Codex home it indexes).
    pub daemon: Hello,
    /// A request sent along with the hello, whose answer has not been read yet.
    pipelined: Option<Request>,
}

impl Connection {
    /// Connect and exchange hellos.
    pub fn open(path: &Path, timeout: Duration) -> Result<Connection, ConnectError> {
        Connection::open_with(path, timeout, None)
    }

    /// Connect, exchange hellos, and send `first` in the same write as the hello (saving a
    /// round trip); its answer is what the next `request` returns. Only for requests that
    /// change nothing: a daemon of another protocol may already have read it.
    pub fn open_with(
        path: &Path,
        timeout: Duration,
        first: Option<&Request>,
    ) -> Result<Connection, ConnectError> {
        let io_err = |source| ConnectError::Io {
            path: path.to_owned(),
            source,
        };
        let name = path.to_fs_name::<GenericFilePath>().map_err(io_err)?;
        let stream = ConnectOptions::new()
            .name(name)
            .wait_mode(ConnectWaitMode::Timeout(Duration::from_secs(1)))
            .connect_sync()
            .map_err(|e| match e.kind() {
                io::ErrorKind::NotFound | io::ErrorKind::ConnectionRefused => {
                    ConnectError::NotRunning(path.to_owned())
                }
                _ => refine(path, io_err(e)),
            })?;
        stream.set_recv_timeout(Some(timeout)).map_err(io_err)?;
        stream.set_send_timeout(Some(timeout)).map_err(io_err)?;
        let mut stream = BufReader::new(stream);
        // If the daemon is at its connection cap it answers "busy" and closes, possibly before
        // our hello is written: read its line either way.
        let first = first.filter(|r| r.is_read_only());
        let mut hello = Hello::new("codexd-client");
        hello.capabilities.push(CAP_PROGRESS.to_owned());
        let mut out = json_line(&HelloLine { hello })?;
        if let Some(r) = first {
            out.extend(json_line(&RequestEnvelope {
                id: 1,
                request: r.clone(),
            })?);
        }
        let wrote = stream
            .get_mut()
            .write_all(&out)
            .and_then(|()| stream.get_mut().flush());
        let line = match read_line(&mut stream) {
            Ok(l) => l,
            // A daemon of another uid closes without a word (its peer-credential check).
            Err(e) => return Err(refine(path, io_err(wrote.err().unwrap_or(e)))),
        };
        let hello: HelloLine = match serde_json::from_slice(&line) {
            Ok(h) => h,
            Err(e) => {
                return Err(
                    match serde_json::from_slice::<Response>(&line)
                        .ok()
                        .and_then(|r| r.error)
                    {
                        Some(err) => ConnectError::Busy(err.message),
                        None => ConnectError::Garbled(e.to_string()),
                    },
                );
            }
        };
        if hello.hello.protocol != PROTOCOL_VERSION {
            return Err(ConnectError::Protocol {
                daemon: hello.hello.protocol,
                daemon_version: hello.hello.version,
            });
        }
        Ok(Connection {
            stream,
            path: path.to_owned(),
            next_id: if first.is_some() { 2 } else { 1 },
            pipelined: first.cloned(),
            daemon: hello.hello,
        })
    }

    /// Send `request` (unless it went with the hello) and read its answer, handing interim
    /// progress lines (`build`) to `on_progress`.
    pub fn request(
        &mut self,
        request: Request,
        on_progress: &mut dyn FnMut(Progress),
    ) -> Result<Response, ConnectError> {
        let io_err = |source| ConnectError::Io {
            path: self.path.clone(),
            source,
        };
        // Already sent with the hello?
        let pipelined = self
            .pipelined
            .take()
            .is_some_and(|p| p.name() == request.name());
        if !pipelined {
            let id = self.next_id;
            self.next_id += 1;
            write_json(self.stream.get_mut(), &RequestEnvelope { id, request }).map_err(io_err)?;
        }
        loop {
            let line = read_line(&mut self.stream).map_err(io_err)?;
            let response: Response =
                serde_json::from_slice(&line).map_err(|e| ConnectError::Garbled(e.to_string()))?;
            match response.progress {
                Some(p) if response.is_progress() => on_progress(p),
                _ => return Ok(response),
            }
        }
    }
}

fn json_line<T: serde::Serialize>(value: &T) -> Result<Vec<u8>, ConnectError> {
    let mut line = serde_json::to_vec(value).map_err(|e| ConnectError::Garbled(e.to_string()))?;
    line.push(b'\n');
    Ok(line)
}

fn write_json<T: serde::Serialize>(w: &mut Stream, value: &T) -> io::Result<()> {
    let mut line = serde_json::to_vec(value).map_err(io::Error::other)?;
    line.push(b'\n');
    w.write_all(&line)?;
    w.flush()
}

fn read_line(r: &mut BufReader<Stream>) -> io::Result<Vec<u8>> {
    let mut buf = Vec::new();
    let n = r
        .by_ref()
        .take(MAX_RESPONSE_LINE as u64)
        .read_until(b'\n', &mut buf)?;
    if n == 0 {
        return Err(io::Error::new(
            io::ErrorKind::UnexpectedEof,
            "daemon closed the connection",
        ));
    }
    if buf.last() != Some(&b'\n') {
        return Err(io::Error::new(
            io::ErrorKind::InvalidData,
            "answer too long or cut short",
        ));
    }
    buf.pop();
    Ok(buf)
}

/// Where the daemon binary is: `$CODEXD_BIN`, else the rule the service installer uses
/// (`codexd_service::locate_codexd_bin`: an executable `codexd` next to this client, else the
/// first on PATH).
pub fn find_daemon_binary() -> Option<PathBuf> {
    if let Some(p) = std::env::var_os("CODEXD_BIN").filter(|v| !v.is_empty()) {
        return Some(PathBuf::from(p));
    }
    let exe = std::env::current_exe().ok()?;
    codexd_service::locate_codexd_bin(&exe, std::env::var_os("PATH").as_deref())
}

/// Call `attempt` with exponential backoff (10 ms, doubling, at most 200 ms apart) until it
/// yields a value or `START_BUDGET` is spent. Every wait for a daemon goes through here.
fn within_budget<T>(mut attempt: impl FnMut() -> Option<T>) -> Option<T> {
    let started = Instant::now();
    let mut delay = Duration::from_millis(10);
    loop {
        if let Some(v) = attempt() {
            return Some(v);
        }
        let left = START_BUDGET.saturating_sub(started.elapsed());
        if left.is_zero() {
            return None;
        }
        std::thread::sleep(delay.min(left));
        delay = (delay * 2).min(Duration::from_millis(200));
    }
}

/// Poll for a daemon someone else is starting (the service manager), within the start budget.
pub fn wait_for_daemon(socket: &Path, timeout: Duration) -> Option<Connection> {
    within_budget(|| Connection::open(socket, timeout).ok())
}

/// Ask a daemon that speaks an older protocol to stop (the `shutdown` request line is the
/// same in every protocol version) and wait, within the start budget, until its socket is
/// gone or refuses connections.
pub fn stop_old_daemon(socket: &Path) -> bool {
    use std::os::unix::net::UnixStream;
    let Ok(mut s) = UnixStream::connect(socket) else {
        return true;
    };
    let _ = s.set_read_timeout(Some(START_BUDGET));
    let _ = s.set_write_timeout(Some(START_BUDGET));
    if s.write_all(b"{\"id\":1,\"shutdown\":{}}\n").is_err() {
        return false;
    }
    let mut answer = String::new();
    let _ = BufReader::new(&s).read_line(&mut answer);
    drop(s);
    within_budget(|| UnixStream::connect(socket).is_err().then_some(())).is_some()
}

/// Why starting a daemon failed. `see_log` is "; see <log>" when its stderr went to a log.
#[derive(Debug, thiserror::Error)]
pub enum StartFailure {
    #[error("the codexd binary is neither next to codexd-client nor on PATH")]
    NoBinary,
    #[error("cannot run {bin}: {source}", bin = .bin.display())]
    Spawn { bin: PathBuf, source: io::Error },
    /// It exited without answering; `said` is its own refusal, when it wrote one.
    #[error("{bin} exited with {status}{}", said.as_ref().map_or_else(|| see_log.clone(), |s| format!(": {s}")), bin = .bin.display())]
    Exited {
        bin: PathBuf,
        status: std::process::ExitStatus,
        said: Option<String>,
        see_log: String,
    },
    #[error(transparent)]
    Connect(ConnectError),
    #[error("started {bin} but it did not answer within {} s{see_log}", START_BUDGET.as_secs(), bin = .bin.display())]
    NoAnswer { bin: PathBuf, see_log: String },
}

/// Start a daemon detached from our terminal (own process group, no stdin/stdout) and wait,
/// with exponential backoff bounded by `START_BUDGET`, until it answers. Its stderr goes to
/// `codexd.log` next to the socket when that directory is safe to write in; otherwise (the
/// daemon is going to refuse that directory too) to a pipe. Either way, a daemon that exits
/// early has its own words quoted in the failure.
pub fn start_and_connect(
    socket: &Path,
    codex_home: Option<&Path>,
    timeout: Duration,
) -> Result<Connection, StartFailure> {
    let Some(bin) = find_daemon_binary() else {
        return Err(StartFailure::NoBinary);
    };
    let log_path = socket.with_file_name("codexd.log");
    // The daemon logs next to its socket; create the directory privately first.
    let log = codexd_core::paths::secure_socket_dir(socket)
        .ok()
        .and_then(|_| {
            use std::os::unix::fs::OpenOptionsExt;
            std::fs::OpenOptions::new()
                .create(true)
                .append(true)
                .mode(0o600)
                .open(&log_path)
                .ok()
        });
    // Where this daemon's words start in the log (it is appended to across starts).
    let log_start = log
        .as_ref()
        .and_then(|f| f.metadata().ok())
        .map(|m| m.len());
    let mut cmd = Command::new(&bin);
    cmd.arg("--socket").arg(socket);
    if let Some(home) = codex_home {
        cmd.arg("--codex-home").arg(home);
    }
    cmd.stdin(Stdio::null()).stdout(Stdio::null());
    match log {
        Some(f) => cmd.stderr(f),
        None => cmd.stderr(Stdio::piped()),
    };
    // A new process group: Ctrl-C in the caller's terminal must not reach the daemon.
    std::os::unix::process::CommandExt::process_group(&mut cmd, 0);
    let mut child: Child = cmd.spawn().map_err(|source| StartFailure::Spawn {
        bin: bin.clone(),
        source,
    })?;
    let see_log = match log_start {
        Some(_) => format!("; see {}", log_path.display()),
        None => String::new(),
    };
    // The daemon outlives us: dropping `Child` does not kill it.
    within_budget(|| match Connection::open(socket, timeout) {
        Ok(c) => Some(Ok(c)),
        Err(ConnectError::NotRunning(_)) | Err(ConnectError::Io { .. }) => match child.try_wait() {
            // It exited: another instance won the race (then it answers now) or it failed.
            Ok(Some(status)) => {
                Some(
                    Connection::open(socket, timeout).map_err(|_| StartFailure::Exited {
                        bin: bin.clone(),
                        status,
                        said: daemon_words(&mut child, &log_path, log_start),
                        see_log: see_log.clone(),
                    }),
                )
            }
            _ => None,
        },
        Err(e) => Some(Err(StartFailure::Connect(e))),
    })
    .unwrap_or(Err(StartFailure::NoAnswer { bin, see_log }))
}

/// What an exited daemon wrote to stderr (the pipe, or the log from `log_start` on): its
/// `codexd: …` refusal lines when there are any (they name the fix), else its last lines.
fn daemon_words(child: &mut Child, log: &Path, log_start: Option<u64>) -> Option<String> {
    const MAX: u64 = 64 * 1024;
    let mut text = Vec::new();
    if let Some(pipe) = child.stderr.take() {
        // The daemon has exited, so the pipe ends; bounded all the same.
        let _ = pipe.take(MAX).read_to_end(&mut text);
    } else if let Some(start) = log_start {
        use std::io::{Seek, SeekFrom};
        let mut f = std::fs::File::open(log).ok()?;
        let len = f.metadata().ok()?.len();
        f.seek(SeekFrom::Start(start.max(len.saturating_sub(MAX))))
            .ok()?;
        let _ = f.take(MAX).read_to_end(&mut text);
    }
    let text = String::from_utf8_lossy(&text);
    let lines: Vec<&str> = text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect();
    let refusals: Vec<&str> = lines
        .iter()
        .filter_map(|l| l.strip_prefix("codexd: "))
        .collect();
    let chosen = if refusals.is_empty() {
        lines[lines.len().saturating_sub(3)..].to_vec()
    } else {
        refusals
    };
    (!chosen.is_empty()).then(|| chosen.join("; "))
}
