//! The socket side: accept loop, per-connection JSON-lines sessions, limits.
//!
//! Limits: at most `MAX_CONNECTIONS` at once (excess connections get
//! a `busy` error line, never a hang); request lines capped at 1 MiB; a client must say
//! hello within `HELLO_TIMEOUT` and may idle `IDLE_TIMEOUT` between requests; writes time out
//! so a client that reads nothing cannot pin a task. Connections from other uids are dropped.

use std::sync::Arc;
use std::time::Duration;

use codexd_proto::{
    CAP_PROGRESS, ErrorKind, Hello, HelloLine, MAX_REQUEST_LINE, PROTOCOL_VERSION, Request,
    RequestEnvelope, Response,
};
use interprocess::local_socket::tokio::{Listener, Stream};
use interprocess::local_socket::traits::tokio::Listener as _;
use tokio::io::{AsyncBufRead, AsyncBufReadExt, AsyncRead, AsyncWrite, AsyncWriteExt, BufReader};
use tokio::sync::{Semaphore, watch};
use tokio_util::sync::CancellationToken;
use tokio_util::task::TaskTracker;

use codexd_core::commands;
use codexd_core::engine::Shared;

pub const MAX_CONNECTIONS: usize = 128;

/// How far the daemon's start has come.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Readiness {
    /// Socket bound, first scan running.
    Starting,
    /// The table reflects the disk.
    TableReady,
    /// The route index is built too.
    Indexed,
}
const HELLO_TIMEOUT: Duration = Duration::from_secs(10);
const IDLE_TIMEOUT: Duration = Duration::from_secs(60);

/// A connection's limits. The daemon uses [`Limits::default`]; the framing's fuzz target and
/// property tests drive [`session`] with a smaller line cap so over-long lines are cheap.
#[derive(Clone, Copy, Debug)]
pub struct Limits {
    /// Longest request line, newline excluded.
    pub max_line: usize,
    /// Time to the first line.
    pub hello_timeout: Duration,
    /// Time between requests.
    pub idle_timeout: Duration,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            max_line: MAX_REQUEST_LINE,
            hello_timeout: HELLO_TIMEOUT,
            idle_timeout: IDLE_TIMEOUT,
        }
    }
}
const WRITE_TIMEOUT: Duration = Duration::from_secs(10);
/// How long a request waits for the initial scan before being told to retry.
const READY_TIMEOUT: Duration = Duration::from_secs(120);

/// Accept connections until `cancel` fires; then wait (bounded) for in-flight requests.
pub async fn serve(
    listener: Listener,
    shared: Arc<Shared>,
    ready: watch::Receiver<Readiness>,
    cancel: CancellationToken,
) {
    let tracker = TaskTracker::new();
    let permits = Arc::new(Semaphore::new(MAX_CONNECTIONS));
    let mut backoff = Duration::from_millis(10);
    loop {
        let accepted = tokio::select! {
            _ = cancel.cancelled() => break,
            a = listener.accept() => a,
        };
        let stream = match accepted {
            Ok(s) => {
                backoff = Duration::from_millis(10);
                s
            }
            Err(e) => {
                // EMFILE and friends: back off instead of spinning (mini-redis).
                tracing::warn!(error = %e, "accept failed");
                tokio::time::sleep(backoff).await;
                backoff = (backoff * 2).min(Duration::from_secs(1));
                continue;
            }
        };
        if !peer_is_us(&stream) {
            continue;
        }
        let permit = permits.clone().try_acquire_owned();
        let shared = shared.clone();
        let ready = ready.clone();
        let cancel = cancel.clone();
        tracker.spawn(async move {
            match permit {
                Ok(_permit) => session(stream, shared, ready, cancel, Limits::default()).await,
                Err(_) => {
                    let r = Response::error(
                        0,
                        ErrorKind::Busy,
                        format!("codexd is serving {MAX_CONNECTIONS} connections; retry shortly"),
                    );
                    let mut s = stream;
                    let _ = write_line(&mut s, &r).await;
                }
            }
        });
    }
    tracker.close();
    if tokio::time::timeout(Duration::from_secs(5), tracker.wait())
        .await
        .is_err()
    {
        tracing::warn!("some connections did not finish within 5 s; closing them");
    }
}

fn peer_is_us(stream: &Stream) -> bool {
    use interprocess::local_socket::traits::StreamCommon as _;
    let me = codexd_proto::socket::current_uid();
    match stream.peer_creds() {
        Ok(creds) => match creds.euid() {
            Some(uid) if uid == me => true,
            Some(uid) => {
                tracing::warn!(peer_uid = uid, "dropping connection from another user");
                false
            }
            None => true,
        },
        // Platforms without peer credentials rely on the 0700 directory.
        Err(_) => true,
    }
}

async fn write_line<W: AsyncWriteExt + Unpin, T: serde::Serialize>(
    w: &mut W,
    value: &T,
) -> std::io::Result<()> {
    let mut line = serde_json::to_vec(value).map_err(std::io::Error::other)?;
    line.push(b'\n');
    tokio::time::timeout(WRITE_TIMEOUT, async {
        w.write_all(&line).await?;
        w.flush().await
    })
    .await
    .map_err(|_| std::io::Error::new(std::io::ErrorKind::TimedOut, "client is not reading"))?
}

/// Read one line of at most `max` bytes. `Ok(None)` at EOF; an over-long line is consumed
/// up to its newline and reported as `Err(TooLong)` so the connection can answer and go on.
pub async fn read_line_capped<R: AsyncBufRead + Unpin>(
    r: &mut R,
    buf: &mut Vec<u8>,
    max: usize,
) -> Result<Option<()>, LineError> {
    buf.clear();
    let mut too_long = false;
    loop {
        let available = r.fill_buf().await.map_err(LineError::Io)?;
        if available.is_empty() {
            return if buf.is_empty() && !too_long {
                Ok(None)
            } else {
                Err(LineError::Eof)
            };
        }
        match memchr::memchr(b'\n', available) {
            Some(i) => {
                if !too_long && buf.len() + i <= max {
                    buf.extend_from_slice(&available[..i]);
                }
                too_long |= buf.len() + i > max;
                r.consume(i + 1);
                return if too_long {
                    Err(LineError::TooLong)
                } else {
                    Ok(Some(()))
                };
            }
            None => {
                let n = available.len();
                if !too_long && buf.len() + n <= max {
                    buf.extend_from_slice(available);
                } else {
                    too_long = true;
                    buf.clear();
                }
                r.consume(n);
            }
        }
    }
}

#[derive(Debug)]
pub enum LineError {
    Io(std::io::Error),
    TooLong,
    /// The peer closed in the middle of a line.
    Eof,
}

/// One client's JSON-lines session over any byte stream (the accepted socket in the daemon;
/// an in-memory pipe in the framing's fuzz target and property tests): an optional hello
/// first, then one answer line per request line, in order, until the peer closes, idles out
/// or the daemon stops. A line cut short by the peer's close is not answered.
pub async fn session<S: AsyncRead + AsyncWrite>(
    stream: S,
    shared: Arc<Shared>,
    mut ready: watch::Receiver<Readiness>,
    cancel: CancellationToken,
    limits: Limits,
) {
    let (rd, mut wr) = tokio::io::split(stream);
    let mut rd = BufReader::with_capacity(64 * 1024, rd);
    let mut buf = Vec::new();
    let mut first = true;
    let mut wants_progress = false;
    loop {
        let timeout = if first {
            limits.hello_timeout
        } else {
            limits.idle_timeout
        };
        let read = tokio::select! {
            _ = cancel.cancelled() => return,
            r = tokio::time::timeout(timeout, read_line_capped(&mut rd, &mut buf, limits.max_line)) => r,
        };
        let response = match read {
            Err(_) => return, // idle: close quietly
            Ok(Ok(None)) | Ok(Err(LineError::Io(_))) | Ok(Err(LineError::Eof)) => return,
            Ok(Err(LineError::TooLong)) => Response::error(
                0,
                ErrorKind::BadRequest,
                format!("request line longer than {} bytes", limits.max_line),
            ),
            Ok(Ok(Some(()))) => {
                let line = buf.trim_ascii();
                if line.is_empty() {
                    continue;
                }
                if first {
                    first = false;
                    if let Ok(h) = serde_json::from_slice::<HelloLine>(line) {
                        let mut mine = Hello::new("codexd");
                        mine.pid = Some(std::process::id());
                        mine.codex_home = Some(shared.config().codex_home.display().to_string());
                        if write_line(&mut wr, &HelloLine { hello: mine })
                            .await
                            .is_err()
                        {
                            return;
                        }
                        wants_progress = h.hello.capabilities.iter().any(|c| c == CAP_PROGRESS);
                        if h.hello.protocol != PROTOCOL_VERSION {
                            tracing::info!(client = %h.hello.version, protocol = h.hello.protocol, "client speaks another protocol");
                        }
                        continue;
                    }
                }
                match serde_json::from_slice::<RequestEnvelope>(line) {
                    Ok(env) if wants_progress && matches!(env.request, Request::Build(_)) => {
                        match answer_with_progress(env, &shared, &mut ready, &cancel, &mut wr).await
                        {
                            Some(r) => r,
                            None => return,
                        }
                    }
                    Ok(env) => answer(env, &shared, &mut ready, &cancel).await,
                    Err(e) => bad_request(line, &e),
                }
            }
        };
        if write_line(&mut wr, &response).await.is_err() {
            return;
        }
    }
}

/// [`answer`], sending interim progress lines every `progress_every` meanwhile (for clients
/// that asked). Only a scan that began after the request is reported: the build's own, not one
/// it is queued behind. `None` when the client went away.
async fn answer_with_progress<W: AsyncWriteExt + Unpin>(
    env: RequestEnvelope,
    shared: &Arc<Shared>,
    ready: &mut watch::Receiver<Readiness>,
    cancel: &CancellationToken,
    wr: &mut W,
) -> Option<Response> {
    let id = env.id;
    let progress = shared.scan_progress();
    let every = shared.read(|eng| eng.config().progress_every);
    let scans_before = progress.scans();
    let answering = answer(env, shared, ready, cancel);
    tokio::pin!(answering);
    let mut tick = tokio::time::interval(every.max(Duration::from_millis(1)));
    tick.tick().await;
    loop {
        tokio::select! {
            r = &mut answering => return Some(r),
            _ = tick.tick() => {
                let (done, total) = progress.get();
                if progress.scans() > scans_before && total > 0 {
                    write_line(wr, &Response::progress(id, done, total)).await.ok()?;
                }
            }
        }
    }
}

fn bad_request(line: &[u8], e: &serde_json::Error) -> Response {
    let id = serde_json::from_slice::<serde_json::Value>(line)
        .ok()
        .and_then(|v| v.get("id").and_then(serde_json::Value::as_u64))
        .unwrap_or(0);
    let known = Request::NAMES.join(", ");
    Response::error(
        id,
        ErrorKind::BadRequest,
        format!("cannot understand request: {e} (requests: {known})"),
    )
}

async fn answer(
    env: RequestEnvelope,
    shared: &Arc<Shared>,
    ready: &mut watch::Receiver<Readiness>,
    cancel: &CancellationToken,
) -> Response {
    let id = env.id;
    // Status and shutdown answer at once; list/show once the table is loaded; route and
    // search once the index is built too.
    let needed = match env.request {
        Request::Status(_) | Request::Shutdown(_) => Readiness::Starting,
        Request::Route(_) | Request::Search(_) => Readiness::Indexed,
        _ => Readiness::TableReady,
    };
    if *ready.borrow() < needed {
        let waited = tokio::time::timeout(READY_TIMEOUT, ready.wait_for(|r| *r >= needed)).await;
        if !matches!(waited, Ok(Ok(_))) {
            return Response::error(
                id,
                ErrorKind::Busy,
                "codexd is still indexing; retry shortly",
            );
        }
    }
    let shutdown = matches!(env.request, Request::Shutdown(_));
    let shared2 = shared.clone();
    let result =
        tokio::task::spawn_blocking(move || commands::dispatch(&shared2, id, env.request)).await;
    if shutdown {
        cancel.cancel();
    }
    match result {
        Ok(r) => r,
        // A panicking handler must not take the daemon down (rust-analyzer's catch_unwind).
        Err(e) => {
            tracing::error!(error = %e, "request handler panicked");
            Response::error(
                id,
                ErrorKind::Internal,
                "internal error while answering; see the daemon's log",
            )
        }
    }
}
