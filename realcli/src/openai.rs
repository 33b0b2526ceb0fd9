//! A stand-in OpenAI Responses API (and chat completions) on 127.0.0.1 for the real `codex`.
//!
//! [`StandIn::start`] binds an ephemeral port, serves on a thread of its own (so it works from
//! plain `#[test]`s and from async tests alike) and records every request it receives. Each
//! `POST …/responses` takes the next scripted [`Reply`] (or [`StandIn::set_default`]'s when the
//! script is empty) and answers with Server-Sent Events:
//!
//! ```text
//! event: response.created          {"type":"response.created","response":{"id":"resp_N"}}
//! event: response.output_item.done {"type":"response.output_item.done","item":{message or function_call}}
//! event: response.completed        {"type":"response.completed","response":{"id":"resp_N","usage":{…}}}
//! ```
//!
//! [`Reply::Stall`] sends `response.created` and then keeps the stream open until
//! [`StandIn::release`] (or the client goes away), so a test can observe a turn in progress.
//!
//! Point Codex at it with [`write_codex_config`] (a `model_providers.standin` entry with
//! `base_url`/`wire_api`/`env_key` in `$CODEX_HOME/config.toml`) and [`StandIn::codex_env`] (the
//! API key variable, and proxy variables that send any other HTTP(S) request Codex makes to this
//! server too, where it is recorded and refused, so nothing leaves the machine). What each release
//! needs is described in `docs/codex-releases.md`.
//!
//! ```no_run
//! use codexd_realcli::openai::{Reply, StandIn, write_codex_config};
//! let server = StandIn::start();
//! server.push(Reply::text("Done."));
//! let home = tempfile::tempdir().unwrap();
//! write_codex_config(home.path(), "0.171.0", &server).unwrap();
//! // run `codex exec "fix the test"` with CODEX_HOME=home and server.codex_env() …
//! let prompts = server.user_texts();
//! ```

use std::collections::VecDeque;
use std::io;
use std::net::SocketAddr;
use std::path::Path;
use std::sync::{Arc, Condvar, Mutex};
use std::time::Duration;

use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::State;
use axum::http::{HeaderMap, Method, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};

/// The model name the generated config selects.
pub const MODEL: &str = "gpt-5";
/// The environment variable that carries the (fake) API key.
pub const API_KEY_ENV: &str = "CODEXD_STANDIN_API_KEY";
/// The provider id used in `config.toml`.
pub const PROVIDER_ID: &str = "standin";

/// Token usage reported in `response.completed` (`total = input + output`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Usage {
    pub input_tokens: u64,
    pub cached_input_tokens: u64,
    pub output_tokens: u64,
    pub reasoning_output_tokens: u64,
}

impl Default for Usage {
    fn default() -> Self {
        Usage {
            input_tokens: 100,
            cached_input_tokens: 0,
            output_tokens: 20,
            reasoning_output_tokens: 0,
        }
    }
}

impl Usage {
    /// `input_tokens + output_tokens`, what Responses reports as `total_tokens`.
    pub fn total(&self) -> u64 {
        self.input_tokens + self.output_tokens
    }
}

/// One scripted answer to one model request.
#[derive(Debug, Clone, PartialEq)]
pub enum Reply {
    /// An assistant message.
    Message { text: String, usage: Usage },
    /// A function call (Codex runs the tool and sends its output in the next request), with an
    /// optional assistant message before it.
    FunctionCall {
        name: String,
        arguments: String,
        call_id: String,
        usage: Usage,
    },
    /// `response.created`, then nothing until [`StandIn::release`] or the client disconnects.
    /// On release the turn completes with `text`.
    Stall { text: String },
    /// An HTTP error status with a JSON error body (Codex retries 5xx and 429).
    Status { status: u16, message: String },
}

impl Reply {
    /// An assistant message with the default usage.
    pub fn text(text: impl Into<String>) -> Reply {
        Reply::Message {
            text: text.into(),
            usage: Usage::default(),
        }
    }

    /// A function call with the default usage.
    pub fn call(
        name: impl Into<String>,
        arguments: impl Into<String>,
        call_id: impl Into<String>,
    ) -> Reply {
        Reply::FunctionCall {
            name: name.into(),
            arguments: arguments.into(),
            call_id: call_id.into(),
            usage: Usage::default(),
        }
    }

    /// A stalled turn that completes with `text` once released.
    pub fn stall(text: impl Into<String>) -> Reply {
        Reply::Stall { text: text.into() }
    }
}

/// One request the stand-in received.
#[derive(Debug, Clone)]
pub struct Recorded {
    pub method: String,
    /// Path and query, e.g. `/v1/responses`; for a proxied request the absolute URI or the
    /// `CONNECT` authority.
    pub uri: String,
    pub headers: Vec<(String, String)>,
    /// The body as JSON (`Value::Null` when empty, `Value::String` when not JSON).
    pub body: Value,
    /// Whether it was answered as a model request (`/responses` or `/chat/completions`).
    pub model_request: bool,
}

impl Recorded {
    /// The texts of the user messages in this model request's input, in order (Responses
    /// `input[].content[].text` with role `user`, or chat `messages[]`).
    pub fn user_texts(&self) -> Vec<String> {
        let mut out = Vec::new();
        let items = self
            .body
            .get("input")
            .or_else(|| self.body.get("messages"))
            .and_then(Value::as_array);
        for item in items.into_iter().flatten() {
            if item.get("role").and_then(Value::as_str) != Some("user") {
                continue;
            }
            match item.get("content") {
                Some(Value::String(s)) => out.push(s.clone()),
                Some(Value::Array(parts)) => {
                    for part in parts {
                        if let Some(t) = part.get("text").and_then(Value::as_str) {
                            out.push(t.to_owned());
                        }
                    }
                }
                _ => {}
            }
        }
        out
    }

    /// Whether any user message part of this request is an image.
    pub fn has_image(&self) -> bool {
        let items = self
            .body
            .get("input")
            .or_else(|| self.body.get("messages"))
            .and_then(Value::as_array);
        items.into_iter().flatten().any(|item| {
            item.get("content")
                .and_then(Value::as_array)
                .is_some_and(|parts| {
                    parts.iter().any(|p| {
                        matches!(
                            p.get("type").and_then(Value::as_str),
                            Some("input_image" | "image_url")
                        )
                    })
                })
        })
    }

    /// The `model` the request asked for.
    pub fn model(&self) -> Option<&str> {
        self.body.get("model").and_then(Value::as_str)
    }
}

#[derive(Default)]
struct Inner {
    script: VecDeque<Reply>,
    default: Option<Reply>,
    requests: Vec<Recorded>,
    responses_served: u64,
    /// Stalls begun so far and the release generation each waits for.
    stalls_started: u64,
    released: u64,
    /// Time before each model reply starts (a real model takes a while).
    latency: Duration,
}

struct Shared {
    inner: Mutex<Inner>,
    changed: Condvar,
    /// Wakes stalled streams (async side).
    release: tokio::sync::watch::Sender<u64>,
}

/// The running stand-in. Dropping it stops the server.
pub struct StandIn {
    addr: SocketAddr,
    shared: Arc<Shared>,
    shutdown: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl StandIn {
    /// Starts a server on `127.0.0.1:<ephemeral>`; replies "OK." to every model request until
    /// scripted otherwise.
    ///
    /// # Panics
    /// When no local port can be bound (a test cannot go on without its server).
    pub fn start() -> StandIn {
        let listener =
            std::net::TcpListener::bind("127.0.0.1:0").expect("bind the stand-in on 127.0.0.1");
        listener
            .set_nonblocking(true)
            .expect("nonblocking listener");
        let addr = listener.local_addr().expect("local addr");
        let (release, _) = tokio::sync::watch::channel(0u64);
        let shared = Arc::new(Shared {
            inner: Mutex::new(Inner {
                default: Some(Reply::text("OK.")),
                ..Inner::default()
            }),
            changed: Condvar::new(),
            release,
        });
        let (tx, thread) = crate::serve::spawn(
            format!("openai-standin-{}", addr.port()),
            listener,
            Router::new().fallback(handle).with_state(shared.clone()),
        );
        StandIn {
            addr,
            shared,
            shutdown: Some(tx),
            thread: Some(thread),
        }
    }

    /// `http://127.0.0.1:<port>`.
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// `http://127.0.0.1:<port>/v1`, the provider `base_url` (Codex appends `/responses`).
    pub fn base_url(&self) -> String {
        format!("{}/v1", self.url())
    }

    /// The socket address.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// Appends a reply to the script.
    pub fn push(&self, reply: Reply) {
        self.lock().script.push_back(reply);
    }

    /// The reply used when the script is empty (`None`: answer 500, which makes Codex retry and
    /// fail, so an unexpected request is loud).
    pub fn set_default(&self, reply: Option<Reply>) {
        self.lock().default = reply;
    }

    /// Waits this long before answering each model request (default: no wait).
    pub fn set_latency(&self, latency: Duration) {
        self.lock().latency = latency;
    }

    /// Replies still scripted and not yet served.
    pub fn pending(&self) -> usize {
        self.lock().script.len()
    }

    /// Every request received so far, in order.
    pub fn requests(&self) -> Vec<Recorded> {
        self.lock().requests.clone()
    }

    /// The model requests received so far (`/responses`, `/chat/completions`).
    pub fn model_requests(&self) -> Vec<Recorded> {
        self.lock()
            .requests
            .iter()
            .filter(|r| r.model_request)
            .cloned()
            .collect()
    }

    /// Requests that were neither model requests nor `/models` (e.g. proxied update checks or
    /// telemetry): a test can assert there were none it did not expect.
    pub fn unexpected_requests(&self) -> Vec<Recorded> {
        self.lock()
            .requests
            .iter()
            .filter(|r| !r.model_request && !r.uri.ends_with("/models") && !is_models(&r.uri))
            .cloned()
            .collect()
    }

    /// The user texts of the last model request (Codex sends the whole conversation each time,
    /// so this is every user message of the thread so far).
    pub fn user_texts(&self) -> Vec<String> {
        self.model_requests()
            .last()
            .map(Recorded::user_texts)
            .unwrap_or_default()
    }

    /// Number of model requests answered (completed or still streaming).
    pub fn served(&self) -> u64 {
        self.lock().responses_served
    }

    /// Number of [`Reply::Stall`]s begun so far.
    pub fn stalls_started(&self) -> u64 {
        self.lock().stalls_started
    }

    /// Waits until `n` stalls have begun, or `timeout` passes; returns whether they did.
    pub fn wait_stalls(&self, n: u64, timeout: Duration) -> bool {
        self.wait_until(timeout, |i| i.stalls_started >= n)
    }

    /// Waits until `n` model requests were received, or `timeout` passes.
    pub fn wait_model_requests(&self, n: usize, timeout: Duration) -> bool {
        self.wait_until(timeout, |i| {
            i.requests.iter().filter(|r| r.model_request).count() >= n
        })
    }

    /// Lets every stall begun so far complete.
    pub fn release(&self) {
        let generation = {
            let mut inner = self.lock();
            inner.released = inner.stalls_started;
            inner.released
        };
        self.shared.release.send_replace(generation);
    }

    /// Environment for a `codex` process talking to this server: the API key, and HTTP(S)
    /// proxies pointing here so any request to another host is recorded and refused instead of
    /// leaving the machine (`NO_PROXY` keeps the stand-in itself direct).
    pub fn codex_env(&self) -> Vec<(String, String)> {
        let url = self.url();
        let mut env = vec![(
            API_KEY_ENV.to_owned(),
            "sk-standin-not-a-real-key".to_owned(),
        )];
        for key in [
            "HTTPS_PROXY",
            "https_proxy",
            "HTTP_PROXY",
            "http_proxy",
            "ALL_PROXY",
            "all_proxy",
        ] {
            env.push((key.to_owned(), url.clone()));
        }
        for key in ["NO_PROXY", "no_proxy"] {
            env.push((key.to_owned(), "127.0.0.1,localhost".to_owned()));
        }
        env
    }

    fn wait_until(&self, timeout: Duration, done: impl Fn(&Inner) -> bool) -> bool {
        crate::serve::wait_until(&self.shared.inner, &self.shared.changed, timeout, done)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Inner> {
        self.shared.inner.lock().unwrap_or_else(|e| e.into_inner())
    }
}

impl Drop for StandIn {
    fn drop(&mut self) {
        // Stalled streams end when released, so the graceful shutdown does not wait on them.
        self.release();
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

fn is_models(uri: &str) -> bool {
    uri.split('?')
        .next()
        .is_some_and(|p| p.ends_with("/models"))
}

async fn handle(
    State(shared): State<Arc<Shared>>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let path = uri.path().to_owned();
    let body_json = if body.is_empty() {
        Value::Null
    } else {
        serde_json::from_slice(&body)
            .unwrap_or_else(|_| Value::String(String::from_utf8_lossy(&body).into_owned()))
    };
    let is_responses = method == Method::POST && path.ends_with("/responses");
    let is_chat = method == Method::POST && path.ends_with("/chat/completions");
    let uri_text = if method == Method::CONNECT {
        uri.authority()
            .map(|a| a.to_string())
            .unwrap_or_else(|| uri.to_string())
    } else {
        uri.to_string()
    };
    let record = Recorded {
        method: method.to_string(),
        uri: uri_text,
        headers: headers
            .iter()
            .map(|(k, v)| {
                (
                    k.to_string(),
                    String::from_utf8_lossy(v.as_bytes()).into_owned(),
                )
            })
            .collect(),
        body: body_json,
        model_request: is_responses || is_chat,
    };
    let (reply, n, latency) = {
        let mut inner = shared.inner.lock().unwrap_or_else(|e| e.into_inner());
        inner.requests.push(record);
        let reply = if is_responses || is_chat {
            inner.responses_served += 1;
            inner.script.pop_front().or_else(|| inner.default.clone())
        } else {
            None
        };
        if matches!(reply, Some(Reply::Stall { .. })) {
            inner.stalls_started += 1;
        }
        let n = if matches!(reply, Some(Reply::Stall { .. })) {
            inner.stalls_started
        } else {
            inner.responses_served
        };
        (reply, n, inner.latency)
    };
    shared.changed.notify_all();
    if !latency.is_zero() && (is_responses || is_chat) {
        tokio::time::sleep(latency).await;
    }

    if method == Method::GET && is_models(&path) {
        // Newer releases fetch the model list from the provider; an empty list makes them fall
        // back to their built-in model families.
        return (
            StatusCode::OK,
            [(header::CONTENT_TYPE, "application/json")],
            r#"{"object":"list","data":[],"models":[]}"#,
        )
            .into_response();
    }
    if !(is_responses || is_chat) {
        return (
            StatusCode::FORBIDDEN,
            "the codexd test stand-in refuses requests that are not model requests\n",
        )
            .into_response();
    }
    let Some(reply) = reply else {
        return (
            StatusCode::INTERNAL_SERVER_ERROR,
            [(header::CONTENT_TYPE, "application/json")],
            r#"{"error":{"message":"the stand-in has no reply scripted for this request","type":"server_error"}}"#,
        )
            .into_response();
    };
    if let Reply::Status { status, message } = &reply {
        let status = StatusCode::from_u16(*status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let body = json!({"error": {"message": message, "type": "server_error"}}).to_string();
        return (status, [(header::CONTENT_TYPE, "application/json")], body).into_response();
    }
    let id = format!("resp_standin_{n}");
    let (tx, rx) = tokio::sync::mpsc::channel::<Result<Bytes, io::Error>>(16);
    let mut release = shared.release.subscribe();
    tokio::spawn(async move {
        let send = |s: String| {
            let tx = tx.clone();
            async move { tx.send(Ok(Bytes::from(s))).await.is_ok() }
        };
        let events = if is_chat {
            chat_events(&reply, &id)
        } else {
            responses_events(&reply, &id)
        };
        let (before, after) = events;
        for e in before {
            if !send(e).await {
                return;
            }
        }
        if matches!(reply, Reply::Stall { .. }) {
            // Keep the stream open (with SSE comments, which clients ignore, so idle timeouts do
            // not fire) until this stall's generation is released or the client goes away.
            loop {
                if *release.borrow() >= n {
                    break;
                }
                tokio::select! {
                    changed = release.changed() => if changed.is_err() { return; },
                    () = tokio::time::sleep(Duration::from_secs(5)) => {
                        if !send(": stalled\n\n".to_owned()).await { return; }
                    }
                }
            }
        }
        for e in after {
            if !send(e).await {
                return;
            }
        }
    });
    let stream = futures_util::stream::unfold(rx, |mut rx| async move {
        rx.recv().await.map(|item| (item, rx))
    });
    Response::builder()
        .status(StatusCode::OK)
        .header(header::CONTENT_TYPE, "text/event-stream")
        .header(header::CACHE_CONTROL, "no-cache")
        .body(Body::from_stream(stream))
        .expect("valid response")
}

fn sse(kind: &str, data: &Value) -> String {
    format!("event: {kind}\ndata: {data}\n\n")
}

fn usage_json(u: &Usage) -> Value {
    json!({
        "input_tokens": u.input_tokens,
        "input_tokens_details": {"cached_tokens": u.cached_input_tokens},
        "output_tokens": u.output_tokens,
        "output_tokens_details": {"reasoning_tokens": u.reasoning_output_tokens},
        "total_tokens": u.total(),
    })
}

/// The Responses events of a reply, split into those sent before a stall and those after.
fn responses_events(reply: &Reply, id: &str) -> (Vec<String>, Vec<String>) {
    let created = sse(
        "response.created",
        &json!({"type": "response.created", "response": {"id": id}}),
    );
    let completed = |u: &Usage| {
        sse(
            "response.completed",
            &json!({"type": "response.completed", "response": {"id": id, "usage": usage_json(u)}}),
        )
    };
    let message = |text: &str| {
        let item = json!({
            "type": "message", "role": "assistant", "id": format!("msg_{id}"),
            "content": [{"type": "output_text", "text": text, "annotations": []}]
        });
        // No `response.output_text.delta`: without an `output_item.added` first, newer releases
        // log an error for it, and the finished item carries the whole text anyway.
        vec![sse(
            "response.output_item.done",
            &json!({"type": "response.output_item.done", "output_index": 0, "item": item}),
        )]
    };
    match reply {
        Reply::Message { text, usage } => {
            let mut v = vec![created];
            v.extend(message(text));
            v.push(completed(usage));
            (v, vec![])
        }
        Reply::FunctionCall {
            name,
            arguments,
            call_id,
            usage,
        } => {
            let item = json!({
                "type": "function_call", "id": format!("fc_{id}"), "name": name,
                "arguments": arguments, "call_id": call_id
            });
            (
                vec![
                    created,
                    sse(
                        "response.output_item.done",
                        &json!({"type": "response.output_item.done", "output_index": 0, "item": item}),
                    ),
                    completed(usage),
                ],
                vec![],
            )
        }
        Reply::Stall { text } => {
            let mut after = message(text);
            after.push(completed(&Usage::default()));
            (vec![created], after)
        }
        Reply::Status { .. } => (vec![], vec![]),
    }
}

/// The chat-completions events of a reply (for releases or providers on `wire_api = "chat"`).
fn chat_events(reply: &Reply, id: &str) -> (Vec<String>, Vec<String>) {
    let chunk = |delta: Value, finish: Option<&str>| {
        format!(
            "data: {}\n\n",
            json!({"id": id, "object": "chat.completion.chunk", "model": MODEL,
                   "choices": [{"index": 0, "delta": delta, "finish_reason": finish}]})
        )
    };
    let usage_chunk = |u: &Usage| {
        format!(
            "data: {}\n\n",
            json!({"id": id, "object": "chat.completion.chunk", "model": MODEL, "choices": [],
                   "usage": {"prompt_tokens": u.input_tokens, "completion_tokens": u.output_tokens, "total_tokens": u.total()}})
        )
    };
    let done = "data: [DONE]\n\n".to_owned();
    match reply {
        Reply::Message { text, usage } => (
            vec![
                chunk(json!({"role": "assistant", "content": text}), None),
                chunk(json!({}), Some("stop")),
                usage_chunk(usage),
                done,
            ],
            vec![],
        ),
        Reply::FunctionCall {
            name,
            arguments,
            call_id,
            usage,
        } => (
            vec![
                chunk(
                    json!({"role": "assistant", "tool_calls": [{"index": 0, "id": call_id, "type": "function",
                           "function": {"name": name, "arguments": arguments}}]}),
                    None,
                ),
                chunk(json!({}), Some("tool_calls")),
                usage_chunk(usage),
                done,
            ],
            vec![],
        ),
        Reply::Stall { text } => (
            vec![chunk(json!({"role": "assistant", "content": ""}), None)],
            vec![
                chunk(json!({"content": text}), None),
                chunk(json!({}), Some("stop")),
                done,
            ],
        ),
        Reply::Status { .. } => (vec![], vec![]),
    }
}

/// `major.minor.patch` of a release string (`0.148.0-alpha.8` → `(0, 148, 0)`).
pub fn parse_version(version: &str) -> Option<(u64, u64, u64)> {
    let core = version.split(['-', '+']).next()?;
    let mut it = core.split('.').map(|p| p.parse::<u64>().ok());
    Some((it.next()??, it.next()??, it.next()??))
}

/// The `config.toml` that points `codex` `version` at `server`: the stand-in as the model
/// provider (Responses wire, key from [`API_KEY_ENV`]), the model [`MODEL`], and every
/// network-reaching extra the release knows of turned off.
///
/// Keys a release does not know are ignored by it, so only keys whose *type* changed across
/// releases need a version check.
pub fn codex_config(version: &str, server: &StandIn) -> String {
    let v = parse_version(version).unwrap_or((0, 0, 0));
    let mut out = String::new();
    out.push_str("# Written by codexd-realcli: Codex talks only to the local stand-in.\n");
    out.push_str(&format!("model = \"{MODEL}\"\n"));
    out.push_str(&format!("model_provider = \"{PROVIDER_ID}\"\n"));
    out.push_str("approval_policy = \"never\"\n");
    out.push_str("sandbox_mode = \"read-only\"\n");
    out.push_str("check_for_update_on_startup = false\n");
    if v >= (0, 40, 0) {
        // Reasoning summaries: the stand-in sends none; keep requests small.
        out.push_str("model_reasoning_summary = \"none\"\n");
    }
    out.push('\n');
    out.push_str(&format!("[model_providers.{PROVIDER_ID}]\n"));
    out.push_str("name = \"codexd stand-in\"\n");
    out.push_str(&format!("base_url = \"{}\"\n", server.base_url()));
    out.push_str("wire_api = \"responses\"\n");
    out.push_str(&format!("env_key = \"{API_KEY_ENV}\"\n"));
    // Retries only slow a failing test down.
    out.push_str("request_max_retries = 0\n");
    out.push_str("stream_max_retries = 0\n");
    out.push_str("stream_idle_timeout_ms = 600000\n");
    out.push('\n');
    out.push_str("[analytics]\nenabled = false\n\n");
    out.push_str("[feedback]\nenabled = false\n\n");
    out.push_str("[history]\npersistence = \"none\"\n");
    out
}

/// Writes [`codex_config`] to `codex_home/config.toml` (creating `codex_home`).
pub fn write_codex_config(codex_home: &Path, version: &str, server: &StandIn) -> io::Result<()> {
    std::fs::create_dir_all(codex_home)?;
    std::fs::write(
        codex_home.join("config.toml"),
        codex_config(version, server),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::{BufRead, BufReader, Read, Write};

    fn post(server: &StandIn, path: &str, body: &str) -> String {
        let mut s = std::net::TcpStream::connect(server.addr()).unwrap();
        write!(
            s,
            "POST {path} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
            body.len()
        )
        .unwrap();
        let mut out = String::new();
        s.read_to_string(&mut out).unwrap();
        out
    }

    #[test]
    fn scripted_replies_are_served_in_order_and_requests_recorded() {
        let server = StandIn::start();
        server.push(Reply::text("first"));
        server.push(Reply::call("shell", r#"{"command":["true"]}"#, "call_7"));
        let body = r#"{"model":"gpt-5","input":[{"type":"message","role":"user","content":[{"type":"input_text","text":"hello there"}]}]}"#;
        let a = post(&server, "/v1/responses", body);
        assert!(a.contains("event: response.created"), "{a}");
        assert!(a.contains(r#""text":"first""#), "{a}");
        assert!(a.contains(r#""total_tokens":120"#), "{a}");
        let b = post(&server, "/v1/responses", body);
        assert!(b.contains(r#""call_id":"call_7""#), "{b}");
        let c = post(&server, "/v1/responses", body);
        assert!(c.contains(r#""text":"OK.""#), "default reply: {c}");
        assert_eq!(server.model_requests().len(), 3);
        assert_eq!(server.user_texts(), vec!["hello there".to_owned()]);
        assert_eq!(server.model_requests()[0].model(), Some("gpt-5"));
        let other = post(&server, "/elsewhere", "");
        assert!(other.starts_with("HTTP/1.1 403"), "{other}");
        assert_eq!(server.unexpected_requests().len(), 1);
    }

    #[test]
    fn a_stall_keeps_the_stream_open_until_released() {
        let server = StandIn::start();
        server.push(Reply::stall("late"));
        let addr = server.addr();
        let reader = std::thread::spawn(move || {
            let mut s = std::net::TcpStream::connect(addr).unwrap();
            let body = r#"{"input":[]}"#;
            write!(
                s,
                "POST /v1/responses HTTP/1.1\r\nHost: x\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                body.len()
            )
            .unwrap();
            let mut lines = Vec::new();
            for line in BufReader::new(s).lines() {
                lines.push(line.unwrap());
            }
            lines.join("\n")
        });
        assert!(server.wait_stalls(1, Duration::from_secs(10)));
        assert!(!reader.is_finished());
        server.release();
        let out = reader.join().unwrap();
        assert!(out.contains("response.created"), "{out}");
        assert!(out.contains(r#""text":"late""#), "{out}");
        assert!(out.contains("response.completed"), "{out}");
    }

    #[test]
    fn config_points_at_the_server() {
        let server = StandIn::start();
        let text = codex_config("0.171.0", &server);
        assert!(text.contains(&format!("base_url = \"{}/v1\"", server.url())));
        assert!(text.contains("wire_api = \"responses\""));
        assert_eq!(parse_version("0.148.0-alpha.8"), Some((0, 148, 0)));
    }
}
