//! A stand-in Anthropic Messages API on 127.0.0.1 for the real `claude` (Claude Code).
//!
//! [`StandIn::start`] binds an ephemeral port, serves on a thread of its own and records every
//! request. Each `POST /v1/messages` is answered by a [`Brain`]: a function of the request (the
//! whole conversation Claude Code sends, tool results included) that returns the next [`Turn`],
//! either text or a call of the `Bash` tool. The answer is streamed as Server-Sent Events when the
//! request asks for `stream` (it always does for the main turn):
//!
//! ```text
//! event: message_start        {"type":"message_start","message":{…,"content":[]}}
//! event: content_block_start  {"type":"content_block_start","index":0,"content_block":{"type":"text"|"tool_use",…}}
//! event: content_block_delta  {"type":"content_block_delta","index":0,"delta":{"type":"text_delta"|"input_json_delta",…}}
//! event: content_block_stop   {"type":"content_block_stop","index":0}
//! event: message_delta        {"type":"message_delta","delta":{"stop_reason":"end_turn"|"tool_use"},…}
//! event: message_stop         {"type":"message_stop"}
//! ```
//!
//! Requests that carry no `Bash` tool (titles, summaries and other side requests Claude Code may
//! send besides the main turn) get a short text answer without asking the brain;
//! `/v1/messages/count_tokens` gets a token count; anything else is recorded and refused with 404.
//!
//! [`SlashCommandFollower`] is the brain the `/codex` suites use: it reads the slash command's
//! text from the conversation the way a model would, and calls the Bash tool with exactly the
//! commands it prescribes, filled from the JSON that earlier tool results handed back.
//!
//! What Claude Code needs to run offline against this server is in [`claude_env`] and
//! [`write_claude_home`]; the reasons are in `docs/claude-code.md`.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Condvar, Mutex};
use std::time::Duration;

use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::State;
use axum::http::{HeaderMap, Method, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};

/// The dummy API key Claude Code is given (never sent anywhere but the stand-in).
pub const API_KEY: &str = "sk-ant-standin-0000-not-a-real-key";
/// The model named in answers to requests that name none (Claude Code always names one: its
/// default, which the stand-in accepts whatever it is).
pub const MODEL: &str = "claude-standin";

/// One answer of the model.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Turn {
    /// An assistant message that ends the turn.
    Text(String),
    /// A call of the `Bash` tool (Claude Code runs it, or refuses it, and sends the result in
    /// the next request).
    Bash {
        command: String,
        description: String,
        /// The tool's `timeout` parameter in milliseconds.
        timeout_ms: Option<u64>,
    },
}

impl Turn {
    /// A Bash call with a short description and no timeout.
    pub fn bash(command: impl Into<String>) -> Turn {
        Turn::Bash {
            command: command.into(),
            description: "Run the command".to_owned(),
            timeout_ms: None,
        }
    }
}

/// A tool result found in a request (what Claude Code hands back after a tool call).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ToolResult {
    pub tool_use_id: String,
    /// The result's text (text parts joined by newlines).
    pub content: String,
    pub is_error: bool,
}

/// A tool call the model made earlier in the conversation, with its result when there is one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ToolExchange {
    pub id: String,
    pub name: String,
    pub input: Value,
    pub result: Option<ToolResult>,
}

impl ToolExchange {
    /// The `command` of a Bash call.
    pub fn command(&self) -> Option<&str> {
        self.input.get("command").and_then(Value::as_str)
    }
}

/// One request the stand-in received.
#[derive(Debug, Clone)]
pub struct Recorded {
    pub method: String,
    /// Path and query, e.g. `/v1/messages?beta=true`.
    pub uri: String,
    pub headers: Vec<(String, String)>,
    /// The body as JSON (`Value::Null` when empty, `Value::String` when not JSON).
    pub body: Value,
}

impl Recorded {
    /// The `model` asked for.
    pub fn model(&self) -> Option<&str> {
        self.body.get("model").and_then(Value::as_str)
    }

    /// Whether this is a Messages request (`POST /v1/messages`).
    pub fn is_messages(&self) -> bool {
        self.method == "POST" && self.uri.split('?').next() == Some("/v1/messages")
    }

    /// Whether this is a main turn: a Messages request that offers the `Bash` tool.
    pub fn is_main_turn(&self) -> bool {
        self.is_messages() && self.tool_names().iter().any(|n| n == "Bash")
    }

    /// Names of the tools the request offers.
    pub fn tool_names(&self) -> Vec<String> {
        self.body
            .get("tools")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(|t| t.get("name").and_then(Value::as_str).map(str::to_owned))
            .collect()
    }

    /// The conversation's messages.
    pub fn messages(&self) -> &[Value] {
        self.body
            .get("messages")
            .and_then(Value::as_array)
            .map(Vec::as_slice)
            .unwrap_or(&[])
    }

    /// Every text part of the user messages, in order (tool results not included).
    pub fn user_texts(&self) -> Vec<String> {
        let mut out = Vec::new();
        for m in self.messages() {
            if m.get("role").and_then(Value::as_str) != Some("user") {
                continue;
            }
            match m.get("content") {
                Some(Value::String(s)) => out.push(s.clone()),
                Some(Value::Array(parts)) => out.extend(
                    parts
                        .iter()
                        .filter(|p| p.get("type").and_then(Value::as_str) == Some("text"))
                        .filter_map(|p| p.get("text").and_then(Value::as_str))
                        .map(str::to_owned),
                ),
                _ => {}
            }
        }
        out
    }

    /// Every tool call of the conversation with its result, in order.
    pub fn tool_exchanges(&self) -> Vec<ToolExchange> {
        let mut out: Vec<ToolExchange> = Vec::new();
        for m in self.messages() {
            let Some(parts) = m.get("content").and_then(Value::as_array) else {
                continue;
            };
            for p in parts {
                match p.get("type").and_then(Value::as_str) {
                    Some("tool_use") => out.push(ToolExchange {
                        id: str_field(p, "id"),
                        name: str_field(p, "name"),
                        input: p.get("input").cloned().unwrap_or(Value::Null),
                        result: None,
                    }),
                    Some("tool_result") => {
                        let result = ToolResult {
                            tool_use_id: str_field(p, "tool_use_id"),
                            content: result_text(p.get("content")),
                            is_error: p.get("is_error").and_then(Value::as_bool) == Some(true),
                        };
                        if let Some(x) = out.iter_mut().find(|x| x.id == result.tool_use_id) {
                            x.result = Some(result);
                        }
                    }
                    _ => {}
                }
            }
        }
        out
    }

    /// The whole body as text (for "does the request contain …" assertions).
    pub fn body_text(&self) -> String {
        self.body.to_string()
    }
}

fn str_field(v: &Value, key: &str) -> String {
    v.get(key)
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_owned()
}

fn result_text(content: Option<&Value>) -> String {
    match content {
        Some(Value::String(s)) => s.clone(),
        Some(Value::Array(parts)) => parts
            .iter()
            .filter_map(|p| p.get("text").and_then(Value::as_str))
            .collect::<Vec<_>>()
            .join("\n"),
        _ => String::new(),
    }
}

/// Decides the model's next turn from a main-turn request.
pub type Brain = Arc<dyn Fn(&Recorded) -> Turn + Send + Sync>;

struct Inner {
    requests: Vec<Recorded>,
    brain: Brain,
    tool_calls: u64,
}

struct Shared {
    inner: Mutex<Inner>,
    changed: Condvar,
}

/// The running stand-in. Dropping it stops the server.
pub struct StandIn {
    addr: SocketAddr,
    shared: Arc<Shared>,
    shutdown: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl StandIn {
    /// Starts a server on `127.0.0.1:<ephemeral>` whose main turns are answered by `brain`.
    ///
    /// # Panics
    /// When no local port can be bound (a test cannot go on without its server).
    pub fn start(brain: Brain) -> StandIn {
        let listener =
            std::net::TcpListener::bind("127.0.0.1:0").expect("bind the stand-in on 127.0.0.1");
        listener
            .set_nonblocking(true)
            .expect("nonblocking listener");
        let addr = listener.local_addr().expect("local addr");
        let shared = Arc::new(Shared {
            inner: Mutex::new(Inner {
                requests: Vec::new(),
                brain,
                tool_calls: 0,
            }),
            changed: Condvar::new(),
        });
        let (tx, thread) = crate::serve::spawn(
            format!("anthropic-standin-{}", addr.port()),
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

    /// `http://127.0.0.1:<port>`, the value of `ANTHROPIC_BASE_URL`.
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Replaces the brain (for the next requests).
    pub fn set_brain(&self, brain: Brain) {
        self.lock().brain = brain;
    }

    /// Every request received so far.
    pub fn requests(&self) -> Vec<Recorded> {
        self.lock().requests.clone()
    }

    /// The main-turn requests received so far.
    pub fn main_turns(&self) -> Vec<Recorded> {
        self.lock()
            .requests
            .iter()
            .filter(|r| r.is_main_turn())
            .cloned()
            .collect()
    }

    /// Requests that were neither Messages nor token counts (Claude Code reaching for another
    /// service of the API).
    pub fn unexpected_requests(&self) -> Vec<Recorded> {
        self.lock()
            .requests
            .iter()
            .filter(|r| !r.is_messages() && !r.uri.starts_with("/v1/messages/count_tokens"))
            .cloned()
            .collect()
    }

    /// Waits until `done` holds for the requests received so far, or `timeout` passes.
    pub fn wait_for(&self, timeout: Duration, done: impl Fn(&[Recorded]) -> bool) -> bool {
        crate::serve::wait_until(&self.shared.inner, &self.shared.changed, timeout, |i| {
            done(&i.requests)
        })
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Inner> {
        self.shared.inner.lock().unwrap_or_else(|e| e.into_inner())
    }
}

impl Drop for StandIn {
    fn drop(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

async fn handle(
    State(shared): State<Arc<Shared>>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let body_json = if body.is_empty() {
        Value::Null
    } else {
        serde_json::from_slice(&body)
            .unwrap_or_else(|_| Value::String(String::from_utf8_lossy(&body).into_owned()))
    };
    let record = Recorded {
        method: method.to_string(),
        uri: uri.to_string(),
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
    };
    let path = uri.path();
    let answer = if method == Method::POST && path == "/v1/messages/count_tokens" {
        Some(Err(()))
    } else if record.is_main_turn() {
        // The brain runs outside the lock's critical path only in the sense that it must not
        // call back into the server; it is a pure function of the request.
        let brain = shared
            .inner
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .brain
            .clone();
        let turn = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| brain(&record)))
            .unwrap_or_else(|_| Turn::Text("The stand-in's brain panicked.".to_owned()));
        Some(Ok(turn))
    } else if record.is_messages() {
        Some(Ok(Turn::Text("Codex session".to_owned())))
    } else {
        None
    };
    let (model, stream, n) = {
        let mut inner = shared.inner.lock().unwrap_or_else(|e| e.into_inner());
        if matches!(answer, Some(Ok(Turn::Bash { .. }))) {
            inner.tool_calls += 1;
        }
        let n = inner.tool_calls;
        let model = record.model().unwrap_or(MODEL).to_owned();
        let stream = record.body.get("stream").and_then(Value::as_bool) == Some(true);
        inner.requests.push(record);
        (model, stream, n)
    };
    shared.changed.notify_all();
    match answer {
        None => (
            StatusCode::NOT_FOUND,
            [(header::CONTENT_TYPE, "application/json")],
            r#"{"type":"error","error":{"type":"not_found_error","message":"the codexd test stand-in serves only /v1/messages"}}"#,
        )
            .into_response(),
        Some(Err(())) => (
            StatusCode::OK,
            [(header::CONTENT_TYPE, "application/json")],
            r#"{"input_tokens":100}"#,
        )
            .into_response(),
        Some(Ok(turn)) => {
            let id = format!("msg_standin_{n}");
            let tool_id = format!("toolu_standin_{n}");
            if stream {
                Response::builder()
                    .status(StatusCode::OK)
                    .header(header::CONTENT_TYPE, "text/event-stream")
                    .header(header::CACHE_CONTROL, "no-cache")
                    .body(Body::from(sse_events(&turn, &id, &tool_id, &model)))
                    .expect("valid response")
            } else {
                (
                    StatusCode::OK,
                    [(header::CONTENT_TYPE, "application/json")],
                    message_json(&turn, &id, &tool_id, &model).to_string(),
                )
                    .into_response()
            }
        }
    }
}

fn usage() -> Value {
    json!({"input_tokens": 100, "output_tokens": 20, "cache_creation_input_tokens": 0, "cache_read_input_tokens": 0})
}

fn block_and_stop(turn: &Turn, tool_id: &str) -> (Value, Value, &'static str) {
    match turn {
        Turn::Text(text) => (
            json!({"type": "text", "text": ""}),
            json!({"type": "text_delta", "text": text}),
            "end_turn",
        ),
        Turn::Bash { .. } => (
            json!({"type": "tool_use", "id": tool_id, "name": "Bash", "input": {}}),
            json!({"type": "input_json_delta", "partial_json": bash_input(turn).to_string()}),
            "tool_use",
        ),
    }
}

fn bash_input(turn: &Turn) -> Value {
    match turn {
        Turn::Bash {
            command,
            description,
            timeout_ms,
        } => {
            let mut input = json!({"command": command, "description": description});
            if let Some(ms) = timeout_ms {
                input["timeout"] = json!(ms);
            }
            input
        }
        Turn::Text(_) => Value::Null,
    }
}

fn sse(kind: &str, data: &Value) -> String {
    format!("event: {kind}\ndata: {data}\n\n")
}

fn sse_events(turn: &Turn, id: &str, tool_id: &str, model: &str) -> String {
    let (start, delta, stop) = block_and_stop(turn, tool_id);
    let mut out = sse(
        "message_start",
        &json!({"type": "message_start", "message": {
            "id": id, "type": "message", "role": "assistant", "model": model, "content": [],
            "stop_reason": null, "stop_sequence": null, "usage": usage()}}),
    );
    out += &sse(
        "content_block_start",
        &json!({"type": "content_block_start", "index": 0, "content_block": start}),
    );
    out += &sse(
        "content_block_delta",
        &json!({"type": "content_block_delta", "index": 0, "delta": delta}),
    );
    out += &sse(
        "content_block_stop",
        &json!({"type": "content_block_stop", "index": 0}),
    );
    out += &sse(
        "message_delta",
        &json!({"type": "message_delta", "delta": {"stop_reason": stop, "stop_sequence": null},
                "usage": {"output_tokens": 20}}),
    );
    out += &sse("message_stop", &json!({"type": "message_stop"}));
    out
}

fn message_json(turn: &Turn, id: &str, tool_id: &str, model: &str) -> Value {
    let (content, stop) = match turn {
        Turn::Text(text) => (json!([{"type": "text", "text": text}]), "end_turn"),
        Turn::Bash { .. } => (
            json!([{"type": "tool_use", "id": tool_id, "name": "Bash", "input": bash_input(turn)}]),
            "tool_use",
        ),
    };
    json!({"id": id, "type": "message", "role": "assistant", "model": model, "content": content,
           "stop_reason": stop, "stop_sequence": null, "usage": usage()})
}

/// Environment for a `claude` process talking to `server`: base URL, dummy key, and everything that would reach for the network off (telemetry, error reports, update checks,
/// feedback surveys).
pub fn claude_env(server: &StandIn) -> Vec<(String, String)> {
    [
        ("ANTHROPIC_BASE_URL", server.url()),
        ("ANTHROPIC_API_KEY", API_KEY.to_owned()),
        ("CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC", "1".to_owned()),
        ("DISABLE_AUTOUPDATER", "1".to_owned()),
        ("DISABLE_TELEMETRY", "1".to_owned()),
        ("DISABLE_ERROR_REPORTING", "1".to_owned()),
        ("CLAUDE_CODE_DISABLE_FEEDBACK_SURVEY", "1".to_owned()),
        ("CLAUDE_CODE_DISABLE_TERMINAL_TITLE", "1".to_owned()),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v))
    .collect()
}

/// Writes the state a first start of Claude Code would otherwise ask for, in a temporary
/// `home`: `~/.claude.json` (onboarding done, the dummy key approved, the auto-mode offer seen,
/// each of `trusted` accepted in the trust dialog) and `~/.claude/settings.json` (permission
/// mode `default`, the strictest, so a grant in a command file is what lets a call run).
pub fn write_claude_home(home: &Path, trusted: &[PathBuf]) -> std::io::Result<()> {
    let projects: serde_json::Map<String, Value> = trusted
        .iter()
        .map(|p| {
            (
                p.display().to_string(),
                json!({"hasTrustDialogAccepted": true, "hasCompletedProjectOnboarding": true}),
            )
        })
        .collect();
    let key_tail = &API_KEY[API_KEY.len() - 20..];
    let state = json!({
        "hasCompletedOnboarding": true,
        "theme": "dark",
        "hasSeenAutoDefaultNotice": true,
        "hasSeenAutoDefaultNudge": true,
        "customApiKeyResponses": {"approved": [key_tail], "rejected": []},
        "projects": projects,
    });
    std::fs::write(
        home.join(".claude.json"),
        serde_json::to_vec_pretty(&state)?,
    )?;
    let dir = home.join(".claude");
    std::fs::create_dir_all(&dir)?;
    std::fs::write(
        dir.join("settings.json"),
        serde_json::to_vec_pretty(&json!({
            "permissions": {"defaultMode": "default"},
            "skipAutoPermissionPrompt": true,
        }))?,
    )
}

// ---------------------------------------------------------------------------------------
// The slash-command follower

/// The fenced code blocks of a markdown text, in order (the text between the fences).
pub fn code_blocks(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut current: Option<Vec<&str>> = None;
    for line in text.split('\n') {
        if line.trim_start().starts_with("```") {
            match current.take() {
                Some(lines) => out.push(lines.join("\n")),
                None => current = Some(Vec::new()),
            }
        } else if let Some(lines) = current.as_mut() {
            lines.push(line);
        }
    }
    out
}

/// `s` in single quotes for a POSIX shell (`'` written as `'\''`).
pub fn single_quoted(s: &str) -> String {
    format!("'{}'", s.replace('\'', r"'\''"))
}

/// The first here-document marker in `CODEX_PROMPT_END`, `CODEX_PROMPT_END_2`, … that is not a
/// line of `prompt` (the rule the command file gives).
pub fn heredoc_marker(prompt: &str) -> String {
    let mut marker = "CODEX_PROMPT_END".to_owned();
    let mut n = 2;
    while prompt.split('\n').any(|l| l == marker) {
        marker = format!("CODEX_PROMPT_END_{n}");
        n += 1;
    }
    marker
}

/// The invocation of a slash command found in a request: its name, arguments and the text the
/// command file expanded to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Invocation {
    /// `/codex`, `/codex:sessions`, …
    pub name: String,
    /// `$ARGUMENTS`, verbatim.
    pub args: String,
    /// The command file's body as Claude Code sent it (arguments substituted).
    pub body: String,
    /// Index of the first tool exchange made after this invocation.
    pub first_exchange: usize,
}

fn between<'a>(text: &'a str, open: &str, close: &str) -> Option<&'a str> {
    let start = text.find(open)? + open.len();
    let end = text[start..].find(close)? + start;
    Some(&text[start..end])
}

/// The last slash-command invocation in the conversation.
pub fn last_invocation(req: &Recorded) -> Option<Invocation> {
    let mut found: Option<Invocation> = None;
    let mut exchanges = 0usize;
    for m in req.messages() {
        let Some(parts) = m.get("content").and_then(Value::as_array) else {
            continue;
        };
        let texts: Vec<&str> = parts
            .iter()
            .filter(|p| p.get("type").and_then(Value::as_str) == Some("text"))
            .filter_map(|p| p.get("text").and_then(Value::as_str))
            .collect();
        exchanges += parts
            .iter()
            .filter(|p| p.get("type").and_then(Value::as_str) == Some("tool_use"))
            .count();
        if m.get("role").and_then(Value::as_str) != Some("user") {
            continue;
        }
        for (i, t) in texts.iter().enumerate() {
            let Some(name) = between(t, "<command-name>", "</command-name>") else {
                continue;
            };
            let args = between(t, "<command-args>", "</command-args>").unwrap_or_default();
            // The body is the next text part (or the rest of this one).
            let body = texts
                .get(i + 1)
                .map(|s| (*s).to_owned())
                .unwrap_or_else(|| t.split("</command-args>").nth(1).unwrap_or("").to_owned());
            found = Some(Invocation {
                name: name.trim().to_owned(),
                args: args.to_owned(),
                body,
                first_exchange: exchanges,
            });
        }
    }
    found
}

/// A brain that follows the `/codex` and `/codex:sessions` command files as written: every
/// command it runs is a code block (or table cell) of the command text in the request, with the
/// placeholders filled from the arguments and from the JSON of earlier tool results.
///
/// For an uncertain route (`confirm: true`) it weighs the candidates as the file asks, by the
/// words the prompt shares with each candidate's title, first and latest prompt and last answer,
/// never picking one that is running or whose directory is gone.
#[derive(Debug, Clone, Default)]
pub struct SlashCommandFollower;

impl SlashCommandFollower {
    /// The follower as a [`Brain`].
    pub fn brain() -> Brain {
        Arc::new(|req: &Recorded| SlashCommandFollower.next(req))
    }

    /// The next turn for `req`.
    pub fn next(&self, req: &Recorded) -> Turn {
        let Some(inv) = last_invocation(req) else {
            return Turn::Text("No slash command in this conversation.".to_owned());
        };
        let done: Vec<ToolExchange> = req
            .tool_exchanges()
            .into_iter()
            .skip(inv.first_exchange)
            .collect();
        match inv.name.as_str() {
            "/codex" => follow_codex(&inv, &done),
            "/codex:sessions" => follow_sessions(&inv, &done),
            other => Turn::Text(format!("The follower does not know {other}.")),
        }
    }
}

/// The three command templates of the `/codex` file: route, resume, new.
fn codex_templates(body: &str) -> Result<(String, String, String), String> {
    let blocks = code_blocks(body);
    let find = |pred: &dyn Fn(&str) -> bool, what: &str| {
        blocks
            .iter()
            .find(|b| pred(b))
            .cloned()
            .ok_or_else(|| format!("the command text has no {what} block"))
    };
    let route = find(&|b| b.contains(" route --json"), "route")?;
    let resume = find(
        &|b| b.contains("codex exec") && b.contains("resume <session>"),
        "resume",
    )?;
    let new = find(
        &|b| b.contains("codex exec") && !b.contains("resume"),
        "new-session",
    )?;
    Ok((route, resume, new))
}

fn fill_heredoc(template: &str, prompt: &str, cwd: Option<&str>, session: Option<&str>) -> String {
    let marker = heredoc_marker(prompt);
    let mut out = template.replace("CODEX_PROMPT_END", &marker);
    out = match cwd {
        Some(cwd) => out.replace("'<cwd>'", &single_quoted(cwd)),
        None => out.replace(" -C '<cwd>'", ""),
    };
    if let Some(session) = session {
        out = out.replace("<session>", session);
    }
    // The prompt goes in last, so nothing in it is taken for a placeholder.
    out.replace("<prompt>", prompt)
}

/// The final message of a `codex exec` output: what follows its last `tokens used` line and the
/// count after it.
pub fn codex_last_answer(output: &str) -> Option<String> {
    let idx = output.rfind("tokens used")?;
    let rest = &output[idx..];
    let mut lines = rest.split('\n').skip(1);
    let first = lines.next()?;
    let mut tail: Vec<&str> = if first.trim().chars().all(|c| c.is_ascii_digit() || c == ',') {
        lines.collect()
    } else {
        std::iter::once(first).chain(lines).collect()
    };
    while tail.last().is_some_and(|l| l.trim().is_empty()) {
        tail.pop();
    }
    while tail.first().is_some_and(|l| l.trim().is_empty()) {
        tail.remove(0);
    }
    let text = tail.join("\n");
    (!text.is_empty()).then_some(text)
}

fn words(text: &str) -> std::collections::BTreeSet<String> {
    text.split(|c: char| !c.is_alphanumeric() && c != '_' && c != '.')
        .map(|w| w.trim_matches('.').to_lowercase())
        .filter(|w| w.len() > 3)
        .collect()
}

/// The candidate an uncertain route should resume, or `None` for a new session: the one that
/// shares the most words with the prompt among the words that tell the candidates apart (a
/// word every candidate has decides nothing), never one that is running or whose directory is
/// gone.
pub fn pick_candidate(prompt: &str, route: &Value) -> Option<(String, String, String)> {
    let wanted = words(prompt);
    let usable: Vec<(&Value, std::collections::BTreeSet<String>)> = route
        .get("candidates")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter(|c| {
            c.get("running").and_then(Value::as_bool) != Some(true)
                && c.get("cwd_exists").and_then(Value::as_bool) != Some(false)
                && c.get("id").and_then(Value::as_str).is_some()
                && c.get("cwd").and_then(Value::as_str).is_some()
        })
        .map(|c| {
            let text: String = ["title", "first_prompt", "latest_prompt", "last_answer"]
                .iter()
                .filter_map(|k| c.get(*k).and_then(Value::as_str))
                .collect::<Vec<_>>()
                .join(" ");
            let shared = words(&text).intersection(&wanted).cloned().collect();
            (c, shared)
        })
        .collect();
    let common: std::collections::BTreeSet<String> = match usable.split_first() {
        Some(((_, first), rest)) if !rest.is_empty() => first
            .iter()
            .filter(|w| rest.iter().all(|(_, s)| s.contains(*w)))
            .cloned()
            .collect(),
        _ => Default::default(),
    };
    let mut best: Option<(usize, &Value)> = None;
    for (c, shared) in &usable {
        let telling = shared.difference(&common).count();
        if telling > 0 && best.is_none_or(|b| telling > b.0) {
            best = Some((telling, c));
        }
    }
    best.map(|(_, c)| {
        (
            str_field(c, "id"),
            str_field(c, "cwd"),
            str_field(c, "title"),
        )
    })
}

fn parse_json_object(text: &str) -> Option<Value> {
    let start = text.find('{')?;
    let end = text.rfind('}')?;
    serde_json::from_str(&text[start..=end]).ok()
}

fn follow_codex(inv: &Invocation, done: &[ToolExchange]) -> Turn {
    let (route_tpl, resume_tpl, new_tpl) = match codex_templates(&inv.body) {
        Ok(t) => t,
        Err(e) => return Turn::Text(e),
    };
    let args = inv.args.trim_start();
    if args.trim().is_empty() {
        return Turn::Text("Usage: /codex [--new] <prompt>".to_owned());
    }
    let codex_turn = |command: String| Turn::Bash {
        command,
        description: "Run Codex".to_owned(),
        timeout_ms: Some(600_000),
    };
    let is_codex = |x: &ToolExchange| x.command().is_some_and(|c| c.starts_with("codex exec"));
    if let Some(prompt) = args
        .strip_prefix("--new")
        .filter(|r| r.starts_with([' ', '\n']))
    {
        let prompt = &prompt[1..];
        return match done.iter().find(|x| is_codex(x)) {
            None => codex_turn(fill_heredoc(&new_tpl, prompt, None, None)),
            Some(x) => report(
                x,
                "Started a new Codex session in the current directory",
                None,
            ),
        };
    }
    let prompt = inv.args.as_str();
    let Some(route) = done
        .iter()
        .find(|x| x.command().is_some_and(|c| c.contains(" route --json")))
    else {
        let command = route_tpl.replace("'<prompt>'", &single_quoted(prompt));
        return Turn::Bash {
            command,
            description: "Ask codexd where the prompt belongs".to_owned(),
            timeout_ms: None,
        };
    };
    let Some(result) = &route.result else {
        return Turn::Text("The route call has no result.".to_owned());
    };
    let json = match parse_json_object(&result.content) {
        Some(j) if !result.is_error => j,
        _ => {
            return Turn::Text(format!("Routing failed; codexd said:\n{}", result.content));
        }
    };
    if let Some(x) = done.iter().find(|x| is_codex(x)) {
        let confirmed = json.get("confirm").and_then(Value::as_bool) == Some(true);
        let note = confirmed.then(|| {
            let weighed: Vec<String> = json
                .get("candidates")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .map(|c| format!("{} \"{}\"", str_field(c, "id"), str_field(c, "title")))
                .collect();
            format!(
                "Route confirmed: weighed {}; chose by the words the prompt shares with each.",
                weighed.join(", ")
            )
        });
        let head = match x.command().unwrap_or_default().contains(" resume ") {
            true => "Resumed Codex session",
            false => "Started a new Codex session",
        };
        // The file asks to mention the queue command when the session is running.
        let queue = json
            .get("queue_command")
            .and_then(Value::as_str)
            .map(|q| format!("The matching session is running now; queue the prompt with: {q}"));
        let note = match (note, queue) {
            (Some(a), Some(b)) => Some(format!("{a}\n{b}")),
            (a, b) => a.or(b),
        };
        return report(x, head, note);
    }
    let cwd = json.get("cwd").and_then(Value::as_str).map(str::to_owned);
    let decision = json
        .get("decision")
        .and_then(Value::as_str)
        .unwrap_or("new");
    let session = json
        .get("session")
        .and_then(Value::as_str)
        .map(str::to_owned);
    let confirm = json.get("confirm").and_then(Value::as_bool) == Some(true);
    let (session, cwd) = match pick_candidate(prompt, &json).filter(|_| confirm) {
        Some((id, cwd, _)) => (Some(id), Some(cwd)),
        // Nothing tells the candidates apart: codexd's own choice stands.
        None if decision == "resume" => (session, cwd),
        None => (None, cwd),
    };
    let command = match &session {
        Some(id) => fill_heredoc(&resume_tpl, prompt, cwd.as_deref(), Some(id)),
        None => fill_heredoc(&new_tpl, prompt, cwd.as_deref(), None),
    };
    codex_turn(command)
}

fn report(codex: &ToolExchange, head: &str, note: Option<String>) -> Turn {
    let Some(result) = &codex.result else {
        return Turn::Text("Codex has no result.".to_owned());
    };
    let mut out = format!("{head}.\n");
    if let Some(note) = note {
        out.push_str(&note);
        out.push('\n');
    }
    if result.is_error && codex_last_answer(&result.content).is_none() {
        out.push_str(&format!("Codex failed:\n{}\n", result.content));
        return Turn::Text(out);
    }
    let answer = codex_last_answer(&result.content).unwrap_or_default();
    for line in answer.split('\n') {
        out.push_str("> ");
        out.push_str(line);
        out.push('\n');
    }
    Turn::Text(out)
}

/// The command the `/codex:sessions` table gives for `action`, e.g. `` `<client> show -- '<id>'` ``.
fn sessions_command(body: &str, action: &str) -> Option<String> {
    body.lines().find_map(|l| {
        let mut cells = l.split('|').map(str::trim).filter(|c| !c.is_empty());
        (cells.next()? == action).then_some(())?;
        let cell = cells.next()?;
        Some(cell.strip_prefix('`')?.strip_suffix('`')?.to_owned())
    })
}

fn follow_sessions(inv: &Invocation, done: &[ToolExchange]) -> Turn {
    if let Some(x) = done.first() {
        let Some(result) = &x.result else {
            return Turn::Text("The command has no result.".to_owned());
        };
        let mut out = format!("```\n{}\n```", result.content);
        if matches!(
            inv.args.split_whitespace().next(),
            None | Some("list" | "search")
        ) {
            // The closing line the command file asks for after a list or a search.
            if let Some(line) = inv.body.lines().find_map(|l| {
                l.strip_prefix("End a **list** or **search** reply with: `")
                    .and_then(|r| r.strip_suffix('`'))
            }) {
                out.push('\n');
                out.push_str(line);
            }
        }
        return Turn::Text(out);
    }
    let args = inv.args.trim();
    let (action, rest) = args.split_once(char::is_whitespace).unwrap_or((args, ""));
    let action = if action.is_empty() { "list" } else { action };
    let Some(template) = sessions_command(&inv.body, action) else {
        return Turn::Text(
            "Usage: /codex:sessions [list|show <id>|cleanup|build|search <q>]".to_owned(),
        );
    };
    let rest = rest.trim();
    let command = template
        .replace("'<id>'", &single_quoted(rest))
        .replace("'<q>'", &single_quoted(rest));
    Turn::bash(command)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn heredoc_marker_avoids_prompt_lines() {
        assert_eq!(heredoc_marker("a\nb"), "CODEX_PROMPT_END");
        assert_eq!(
            heredoc_marker("a\nCODEX_PROMPT_END\nb"),
            "CODEX_PROMPT_END_2"
        );
        assert_eq!(
            heredoc_marker("CODEX_PROMPT_END_2\nCODEX_PROMPT_END"),
            "CODEX_PROMPT_END_3"
        );
    }

    #[test]
    fn fills_templates_verbatim() {
        let tpl = "codex exec -C '<cwd>' resume <session> - <<'CODEX_PROMPT_END'\n<prompt>\nCODEX_PROMPT_END";
        let prompt = "it's $(x) `y` <session>\nCODEX_PROMPT_END";
        let got = fill_heredoc(tpl, prompt, Some("/a b/it's"), Some("0199"));
        assert_eq!(
            got,
            "codex exec -C '/a b/it'\\''s' resume 0199 - <<'CODEX_PROMPT_END_2'\nit's $(x) `y` <session>\nCODEX_PROMPT_END\nCODEX_PROMPT_END_2"
        );
        let new = fill_heredoc(
            "codex exec -C '<cwd>' - <<'CODEX_PROMPT_END'\n<prompt>\nCODEX_PROMPT_END",
            "p",
            None,
            None,
        );
        assert_eq!(
            new,
            "codex exec - <<'CODEX_PROMPT_END'\np\nCODEX_PROMPT_END"
        );
    }

    #[test]
    fn last_answer_follows_tokens_used() {
        let out = "OpenAI Codex\n--------\nuser\nhi\ncodex\nDone it.\ntokens used\n1,234\nDone it.\nSecond line.\n";
        assert_eq!(
            codex_last_answer(out).as_deref(),
            Some("Done it.\nSecond line.")
        );
        assert_eq!(codex_last_answer("no marker"), None);
    }

    #[test]
    fn picks_the_candidate_sharing_most_words_and_skips_running_ones() {
        let route = json!({"candidates": [
            {"id": "a", "cwd": "/a", "title": "login test", "running": true, "last_answer": "backoff.rs retry fixed"},
            {"id": "b", "cwd": "/b", "title": "retry helper", "last_answer": "wrote backoff.rs"},
            {"id": "c", "cwd": "/c", "title": "unrelated", "cwd_exists": false, "first_prompt": "backoff.rs retry helper"},
        ]});
        let got = pick_candidate("the retry helper in backoff.rs fails", &route);
        assert_eq!(got.map(|g| g.0).as_deref(), Some("b"));
        assert_eq!(pick_candidate("nothing shared here", &route), None);
        // Words both candidates share decide nothing; the one only b has does.
        let close = json!({"candidates": [
            {"id": "a", "cwd": "/a", "title": "fix the flaky login test in the auth module"},
            {"id": "b", "cwd": "/b", "title": "fix the flaky login test in the auth module of the api",
             "last_answer": "the retry lives in retry_policy.rs"},
        ]});
        let got = pick_candidate(
            "the flaky login test in the auth module, see retry_policy.rs",
            &close,
        );
        assert_eq!(got.map(|g| g.0).as_deref(), Some("b"));
    }

    #[test]
    fn sessions_table_commands() {
        let body = "| Action | Command |\n|---|---|\n| list | `/c list` |\n| show | `/c show -- '<id>'` |\n";
        assert_eq!(sessions_command(body, "list").as_deref(), Some("/c list"));
        assert_eq!(
            sessions_command(body, "show").as_deref(),
            Some("/c show -- '<id>'")
        );
        assert_eq!(sessions_command(body, "build"), None);
    }
}
