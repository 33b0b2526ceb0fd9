//! /codex through the real Claude Code CLI.
//!
//! Each test gets a temporary `HOME` with `CODEX_HOME` inside it, the slash commands installed by
//! the real `codexd-client install-slash-commands`, a stand-in Anthropic Messages API for
//! `claude` (whose brain follows the installed command files, see
//! `codexd_realcli::anthropic::SlashCommandFollower`) and a stand-in Responses API for `codex`.
//! The codexd daemon is auto-started by the first client call and shut down when the test ends.
//! Claude Code runs in its `default` permission mode, in print mode (`claude -p`) and in the
//! interactive TUI (driven through tmux). Pinned releases are installed once with npm into a
//! cache (see `codexd_realcli::npm`).

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use codexd_realcli::anthropic::{self, Recorded, SlashCommandFollower, ToolExchange};
use codexd_realcli::openai::{self, Reply};
use codexd_realcli::{npm, tmux::Tmux};
use serde_json::Value;

/// The Claude Code release the suite pins (the newest 2.1.x it was verified with).
const CLAUDE_VERSION: &str = "2.1.332";
/// The Codex release the suite pins.
const CODEX_VERSION: &str = "0.169.1";

const CLAUDE_TIMEOUT: Duration = Duration::from_secs(120);

fn target_debug() -> PathBuf {
    // target/debug/deps/<test exe> → target/debug
    let exe = std::env::current_exe().expect("test executable");
    exe.parent()
        .and_then(Path::parent)
        .expect("target/debug")
        .to_path_buf()
}

fn client_bin() -> PathBuf {
    let p = target_debug().join("codexd-client");
    assert!(
        p.exists() && target_debug().join("codexd").exists(),
        "{} and codexd are missing: build the workspace first (cargo build --workspace)",
        p.display()
    );
    p
}

fn claude_bin() -> PathBuf {
    npm::claude(CLAUDE_VERSION).unwrap_or_else(|e| panic!("{e}"))
}

fn codex_bin() -> PathBuf {
    npm::codex(CODEX_VERSION).unwrap_or_else(|e| panic!("{e}"))
}

fn git_init(dir: &Path) {
    std::fs::create_dir_all(dir).unwrap();
    let st = Command::new("git")
        .args(["init", "-q", "-b", "main"])
        .current_dir(dir)
        .status()
        .expect("git (apt-get install -y git)");
    assert!(st.success());
}

/// One temporary world: HOME, CODEX_HOME, both stand-ins, the installed commands, a socket.
struct World {
    home: tempfile::TempDir,
    openai: openai::StandIn,
    anthropic: anthropic::StandIn,
    claude: PathBuf,
    client: PathBuf,
    env: Vec<(String, String)>,
    /// Where Claude Code runs: a Git repository unrelated to every session.
    unrelated: PathBuf,
}

impl World {
    fn new() -> World {
        let claude = claude_bin();
        let codex = codex_bin();
        let client = client_bin();
        let home = tempfile::Builder::new()
            .prefix("cl-")
            .tempdir()
            .expect("temp home");
        let codex_home = home.path().join(".codex");
        let openai = openai::StandIn::start();
        openai::write_codex_config(&codex_home, CODEX_VERSION, &openai).unwrap();
        let anthropic = anthropic::StandIn::start(SlashCommandFollower::brain());
        let unrelated = home.path().join("elsewhere");
        git_init(&unrelated);
        anthropic::write_claude_home(home.path(), std::slice::from_ref(&unrelated)).unwrap();

        let codex_dir = codex.parent().unwrap().to_path_buf();
        let mut env: Vec<(String, String)> = vec![
            ("HOME".into(), home.path().display().to_string()),
            ("CODEX_HOME".into(), codex_home.display().to_string()),
            (
                "CODEXD_SOCKET".into(),
                home.path().join("run/codexd.sock").display().to_string(),
            ),
            (
                "PATH".into(),
                format!("{}:/usr/local/bin:/usr/bin:/bin", codex_dir.display()),
            ),
            ("TERM".into(), "xterm-256color".into()),
            ("LANG".into(), "C.UTF-8".into()),
            ("SHELL".into(), "/bin/bash".into()),
        ];
        // Proxies for both programs point at the Codex stand-in, which records and refuses any
        // request for another host, so nothing leaves the machine (NO_PROXY keeps 127.0.0.1
        // direct for both stand-ins).
        env.extend(openai.codex_env());
        env.extend(anthropic::claude_env(&anthropic));
        let w = World {
            home,
            openai,
            anthropic,
            claude,
            client,
            env,
            unrelated,
        };
        let out = w.run_client(&["install-slash-commands"]);
        assert!(out.0, "install-slash-commands failed: {}", out.1);
        w
    }

    fn home(&self) -> &Path {
        self.home.path()
    }

    fn codex_home(&self) -> PathBuf {
        self.home().join(".codex")
    }

    fn command(&self, program: &Path) -> Command {
        let mut c = Command::new(program);
        c.env_clear();
        c.envs(self.env.iter().map(|(k, v)| (k.as_str(), v.as_str())));
        c.stdin(Stdio::null());
        c
    }

    /// Runs the client; returns (success, stdout + stderr).
    fn run_client(&self, args: &[&str]) -> (bool, String) {
        let out = self
            .command(&self.client)
            .args(args)
            .current_dir(&self.unrelated)
            .output()
            .expect("run codexd-client");
        (
            out.status.success(),
            format!(
                "{}{}",
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            ),
        )
    }

    /// A Git repository for a project, registered as trusted for Claude Code too.
    fn project(&self, name: &str) -> PathBuf {
        let dir = self.home().join("src").join(name);
        git_init(&dir);
        dir
    }

    /// Runs the real `codex exec` directly (as a person would in a terminal) in `dir` and
    /// returns the new session's id. Codex answers `answer`.
    fn seed_session(&self, dir: &Path, prompt: &str, answer: &str) -> String {
        let before = rollouts(&self.codex_home());
        self.openai.push(Reply::text(answer));
        let out = self
            .command(&codex_bin())
            .args(["exec", prompt])
            .current_dir(dir)
            .output()
            .expect("run codex exec");
        assert!(
            out.status.success(),
            "seeding codex exec failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let after = rollouts(&self.codex_home());
        let new: Vec<&PathBuf> = after.iter().filter(|p| !before.contains(p)).collect();
        assert_eq!(new.len(), 1, "one new rollout: {new:?}");
        session_id(new[0])
    }

    /// Waits until codexd lists `id` (its watcher has seen the rollout).
    fn wait_indexed(&self, id: &str) {
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            let (ok, out) = self.run_client(&["show", "--json", id]);
            if ok && out.contains(id) {
                return;
            }
            assert!(Instant::now() < deadline, "codexd never saw {id}: {out}");
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// `claude -p <input> --output-format json` in the unrelated directory.
    fn print(&self, input: &str) -> Value {
        let mut child = self
            .command(&self.claude)
            .args(["-p", input, "--output-format", "json"])
            .current_dir(&self.unrelated)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("run claude");
        let deadline = Instant::now() + CLAUDE_TIMEOUT;
        loop {
            if child.try_wait().unwrap().is_some() {
                break;
            }
            if Instant::now() >= deadline {
                let _ = child.kill();
                break;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        let out = child.wait_with_output().unwrap();
        let stdout = String::from_utf8_lossy(&out.stdout);
        serde_json::from_str(stdout.trim()).unwrap_or_else(|e| {
            panic!(
                "claude -p printed no JSON ({e}; {}):\n{stdout}\n{}",
                out.status,
                String::from_utf8_lossy(&out.stderr)
            )
        })
    }

    /// The interactive TUI in the unrelated directory, ready for input.
    fn tui(&self) -> Tmux {
        let env: Vec<(&str, &str)> = self
            .env
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        let claude = self.claude.display().to_string();
        let t = Tmux::start(&self.unrelated, &env, &[&claude]).unwrap_or_else(|e| panic!("{e}"));
        let screen = t
            .wait_for_named("the Claude Code prompt", Duration::from_secs(60), |s| {
                s.contains("? for shortcuts")
                    || s.contains("manual mode on")
                    || s.contains("Do you trust")
                    || s.contains("trust this folder")
                    || s.contains("Make auto mode your default")
            })
            .unwrap_or_else(|e| panic!("{e}"));
        assert!(
            !screen.contains("trust this folder")
                && !screen.contains("Make auto mode your default"),
            "a first-start dialog is showing (write_claude_home should prevent it):\n{screen}"
        );
        assert!(
            !screen.contains("auto mode on"),
            "Claude Code is not in its default permission mode:\n{screen}"
        );
        t
    }

    /// Types `input` into the TUI and submits it (a newline is typed as `\` + Enter, Claude
    /// Code's way to continue the input on a new line); returns how many requests the
    /// stand-in had received before.
    fn tui_submit(&self, t: &Tmux, input: &str) -> usize {
        let before = self.anthropic.requests().len();
        // Each step waits for the screen to show it: keys typed before the input has taken the
        // previous ones are mangled (a `\` + Enter arriving mid-line stays a backslash).
        let lines: Vec<&str> = input.split('\n').collect();
        for (i, line) in lines.iter().enumerate() {
            t.type_text(line).unwrap();
            let tail: String = line
                .chars()
                .rev()
                .take(24)
                .collect::<Vec<_>>()
                .into_iter()
                .rev()
                .collect();
            t.wait_for_named(
                &format!("the typed line {line:?}"),
                Duration::from_secs(10),
                |s| s.contains(tail.trim()),
            )
            .unwrap_or_else(|e| panic!("{e}"));
            if i + 1 < lines.len() {
                t.keys(&["\\", "Enter"]).unwrap();
                let with_backslash = format!("{}\\", tail.trim_end());
                t.wait_for_named("the new input line", Duration::from_secs(10), |s| {
                    !s.contains(&with_backslash)
                })
                .unwrap_or_else(|e| panic!("{e}"));
            }
        }
        t.key("Enter").unwrap();
        let ok = self.anthropic.wait_for(CLAUDE_TIMEOUT, |reqs| {
            reqs[before..].iter().any(Recorded::is_main_turn)
        });
        assert!(
            ok,
            "the TUI sent nothing to the stand-in; screen:\n{}",
            t.screen().unwrap_or_default()
        );
        before
    }

    /// Waits until the TUI's conversation has `n` tool exchanges since the last invocation and
    /// a final answer (a main turn whose brain answer is text was served).
    fn tui_wait_done(&self, t: &Tmux, text: &str) -> String {
        t.wait_for_named(
            &format!("the report containing {text:?}"),
            CLAUDE_TIMEOUT,
            |s| s.contains(text),
        )
        .unwrap_or_else(|e| panic!("{e}"))
    }

    /// The last main-turn request: it carries the whole conversation.
    fn last_turn(&self) -> Recorded {
        self.anthropic
            .main_turns()
            .pop()
            .expect("Claude Code sent a main turn")
    }
}

impl Drop for World {
    fn drop(&mut self) {
        let _ = self.run_client(&["shutdown"]);
    }
}

fn rollouts(codex_home: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![codex_home.join("sessions")];
    while let Some(dir) = stack.pop() {
        let Ok(rd) = std::fs::read_dir(&dir) else {
            continue;
        };
        for e in rd.flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|x| x == "jsonl") {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}

fn session_id(rollout: &Path) -> String {
    let name = rollout.file_stem().unwrap().to_str().unwrap();
    // rollout-YYYY-MM-DDTHH-MM-SS-<uuid>
    name[name.len() - 36..].to_owned()
}

fn rollout_of(codex_home: &Path, id: &str) -> PathBuf {
    rollouts(codex_home)
        .into_iter()
        .find(|p| p.to_str().unwrap().contains(id))
        .unwrap_or_else(|| panic!("no rollout for {id}"))
}

/// The user messages of a rollout (`response_item` messages of role `user`, without the
/// injected context Codex adds), in order.
fn user_messages(rollout: &Path) -> Vec<String> {
    let text = std::fs::read_to_string(rollout).unwrap();
    let mut out = Vec::new();
    for line in text.lines() {
        let Ok(v) = serde_json::from_str::<Value>(line) else {
            continue;
        };
        if v["type"] != "response_item" {
            continue;
        }
        let p = &v["payload"];
        if p["type"] != "message" || p["role"] != "user" {
            continue;
        }
        let t: String = p["content"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|c| c["text"].as_str())
            .collect();
        if t.starts_with('<') {
            continue; // <environment_context>, <user_instructions>, …
        }
        out.push(t);
    }
    out
}

/// The cwd a rollout's `session_meta` records.
fn rollout_cwd(rollout: &Path) -> String {
    let text = std::fs::read_to_string(rollout).unwrap();
    let first: Value = serde_json::from_str(text.lines().next().unwrap()).unwrap();
    first["payload"]["cwd"].as_str().unwrap().to_owned()
}

/// What a here-document delivers for `prompt`: the prompt and a final newline.
fn via_heredoc(prompt: &str) -> String {
    format!("{prompt}\n")
}

fn exchanges(req: &Recorded) -> Vec<ToolExchange> {
    req.tool_exchanges()
}

fn route_exchange(req: &Recorded) -> ToolExchange {
    exchanges(req)
        .into_iter()
        .rfind(|x| x.command().is_some_and(|c| c.contains(" route --json")))
        .expect("a route --json call")
}

fn codex_exchange(req: &Recorded) -> ToolExchange {
    exchanges(req)
        .into_iter()
        .rfind(|x| x.command().is_some_and(|c| c.starts_with("codex exec")))
        .expect("a codex exec call")
}

fn route_json(x: &ToolExchange) -> Value {
    let r = x.result.as_ref().expect("route has a result");
    assert!(!r.is_error, "route failed: {}", r.content);
    let s = &r.content;
    serde_json::from_str(&s[s.find('{').unwrap()..=s.rfind('}').unwrap()]).unwrap()
}

/// codexd either resumes `id`, or is unsure and offers it for Claude to confirm (in a home this
/// small, the words a prompt shares with its one session can be too common for codexd to be
/// sure; the command file then has Claude weigh the candidates).
fn assert_routed_to(route: &Value, id: &str) {
    let resumed = route["decision"] == "resume" && route["session"] == id;
    let offered = route["confirm"] == true
        && route["candidates"]
            .as_array()
            .is_some_and(|c| c.first().is_some_and(|c| c["id"] == id));
    assert!(
        resumed || offered,
        "codexd neither resumed {id} nor offered it first for confirmation: {route:#}"
    );
}

#[derive(Clone, Copy, Debug, PartialEq)]
enum Mode {
    Print,
    Tui,
}

/// Runs `/…` input in `mode` and returns the final text Claude showed (print mode: the
/// `result`; TUI: the screen once `expect` is on it).
fn run(w: &World, mode: Mode, input: &str, expect: &str) -> String {
    match mode {
        Mode::Print => {
            let out = w.print(input);
            assert_eq!(out["is_error"], false, "{out:#}");
            let result = out["result"].as_str().unwrap_or_default().to_owned();
            assert!(
                result.contains(expect),
                "the report lacks {expect:?}:\n{result}\n{out:#}"
            );
            assert_eq!(
                out["permission_denials"].as_array().map(Vec::len),
                Some(0),
                "a call was refused: {out:#}"
            );
            result
        }
        Mode::Tui => {
            let t = w.tui();
            let before = w.tui_submit(&t, input);
            // The final turn: the request the follower answers with text (the screen may show
            // a tool's output before that request is made).
            let done = w.anthropic.wait_for(CLAUDE_TIMEOUT, |reqs| {
                reqs[before..].iter().any(|r| {
                    r.is_main_turn()
                        && matches!(SlashCommandFollower.next(r), anthropic::Turn::Text(_))
                })
            });
            assert!(
                done,
                "no final turn; screen:\n{}",
                t.screen().unwrap_or_default()
            );
            let screen = w.tui_wait_done(&t, expect);
            assert!(
                !screen.contains("Do you want to proceed?"),
                "the TUI asked for permission:\n{screen}"
            );
            screen
        }
    }
}

// ---------------------------------------------------------------------------------------
// Cases

fn resume_from_an_unrelated_directory(mode: Mode) {
    let w = World::new();
    let app = w.project("webapp");
    let id = w.seed_session(
        &app,
        "fix the flaky login test in the auth module",
        "Fixed the flaky login test: the session cookie expired too early.",
    );
    let before = user_messages(&rollout_of(&w.codex_home(), &id));
    let prompt = "the flaky login test in the auth module fails again on CI";
    w.openai
        .push(Reply::text("ANSWER-RESUMED: raised the cookie lifetime."));
    let shown = run(
        &w,
        mode,
        &format!("/codex {prompt}"),
        "ANSWER-RESUMED: raised the cookie lifetime.",
    );

    let turn = w.last_turn();
    let route = route_json(&route_exchange(&turn));
    assert_routed_to(&route, &id);
    let codex = codex_exchange(&turn);
    let cmd = codex.command().unwrap();
    assert!(
        cmd.starts_with(&format!(
            "codex exec -C '{}' resume {id} - <<'",
            app.display()
        )),
        "{cmd}"
    );
    // The rollout grew by exactly one turn whose user message is the prompt.
    let after = user_messages(&rollout_of(&w.codex_home(), &id));
    assert_eq!(after.len(), before.len() + 1, "{after:?}");
    assert_eq!(after.last().unwrap(), &via_heredoc(prompt));
    // Codex ran in the session's directory and the stand-in got the prompt.
    assert_eq!(
        w.openai.user_texts().last().map(String::as_str),
        Some(via_heredoc(prompt).as_str())
    );
    assert!(shown.contains("ANSWER-RESUMED"));
    assert_eq!(rollouts(&w.codex_home()).len(), 1, "no new session");
}

#[test]
fn print_resumes_the_routed_session_from_an_unrelated_directory() {
    resume_from_an_unrelated_directory(Mode::Print);
}

#[test]
fn tui_resumes_the_routed_session_from_an_unrelated_directory() {
    resume_from_an_unrelated_directory(Mode::Tui);
}

fn new_session_with_dash_dash_new(mode: Mode) {
    let w = World::new();
    let app = w.project("webapp");
    let id = w.seed_session(&app, "fix the flaky login test", "Fixed it.");
    let prompt = "fix the flaky login test in a fresh session";
    w.openai.push(Reply::text("ANSWER-NEW: started over."));
    run(
        &w,
        mode,
        &format!("/codex --new {prompt}"),
        "ANSWER-NEW: started over.",
    );
    let turn = w.last_turn();
    assert!(
        !exchanges(&turn)
            .iter()
            .any(|x| x.command().is_some_and(|c| c.contains(" route "))),
        "--new does not route"
    );
    let cmd = codex_exchange(&turn).command().unwrap().to_owned();
    assert!(
        cmd.starts_with("codex exec - <<'CODEX_PROMPT_END'"),
        "{cmd}"
    );
    let all = rollouts(&w.codex_home());
    assert_eq!(all.len(), 2, "{all:?}");
    let new = all
        .iter()
        .find(|p| !p.to_str().unwrap().contains(&id))
        .unwrap();
    assert_eq!(user_messages(new), vec![via_heredoc(prompt)]);
    assert_eq!(rollout_cwd(new), w.unrelated.display().to_string());
    assert_eq!(user_messages(&rollout_of(&w.codex_home(), &id)).len(), 1);
}

#[test]
fn print_new_starts_a_session_in_the_current_directory() {
    new_session_with_dash_dash_new(Mode::Print);
}

#[test]
fn tui_new_starts_a_session_in_the_current_directory() {
    new_session_with_dash_dash_new(Mode::Tui);
}

fn follow_up_finds_the_session_codex_itself_created(mode: Mode) {
    let w = World::new();
    let first = "write a parser for the toml config files";
    w.openai
        .push(Reply::text("ANSWER-ONE: wrote src/toml_parser.rs."));
    run(&w, mode, &format!("/codex --new {first}"), "ANSWER-ONE");
    let all = rollouts(&w.codex_home());
    assert_eq!(all.len(), 1);
    let id = session_id(&all[0]);
    w.wait_indexed(&id);

    let second = "the toml config parser should accept inline tables too";
    w.openai
        .push(Reply::text("ANSWER-TWO: inline tables parse now."));
    run(&w, mode, &format!("/codex {second}"), "ANSWER-TWO");
    let turn = w.last_turn();
    let route = route_json(&route_exchange(&turn));
    assert_routed_to(&route, &id);
    let cmd = codex_exchange(&turn).command().unwrap().to_owned();
    assert!(cmd.contains(&format!(" resume {id} -")), "{cmd}");
    assert_eq!(rollouts(&w.codex_home()).len(), 1, "no second session");
    assert_eq!(
        user_messages(&all[0]),
        vec![via_heredoc(first), via_heredoc(second)]
    );
}

#[test]
fn print_follow_up_finds_the_session_codex_itself_created() {
    follow_up_finds_the_session_codex_itself_created(Mode::Print);
}

#[test]
fn tui_follow_up_finds_the_session_codex_itself_created() {
    follow_up_finds_the_session_codex_itself_created(Mode::Tui);
}

fn uncertain_route_shows_claude_the_candidates(mode: Mode) {
    let w = World::new();
    let web = w.project("auth-web");
    let api = w.project("auth-api");
    let id_web = w.seed_session(
        &web,
        "fix the flaky login test in the auth module",
        "Fixed: the login test waited on a fixed sleep.",
    );
    let id_api = w.seed_session(
        &api,
        "fix the flaky login test in the auth module of the api",
        "Moved the retries into retry_policy.rs; the login test passes now.",
    );
    w.wait_indexed(&id_web);
    w.wait_indexed(&id_api);
    // Both sessions match the prompt's words about equally (codexd indexes last answers too, so
    // a word only one answer has would settle it by itself): codexd must ask.
    let prompt = "the flaky login test in the auth module fails again";
    w.openai.push(Reply::text(
        "ANSWER-PICKED: the retry budget was too small.",
    ));
    let shown = run(&w, mode, &format!("/codex {prompt}"), "ANSWER-PICKED");
    let turn = w.last_turn();
    let route_x = route_exchange(&turn);
    let route = route_json(&route_x);
    assert_eq!(route["confirm"], true, "codexd should be unsure: {route:#}");
    // The candidates, with what a reader needs to judge, reached the model.
    let seen = route_x.result.as_ref().unwrap().content.clone();
    for needle in [
        id_web.as_str(),
        id_api.as_str(),
        "fix the flaky login test in the auth module of the api",
        "retry_policy.rs",
        "\"first_prompt\"",
        "\"latest_prompt\"",
        "\"last_answer\"",
        "\"git_branch\"",
        "\"last_used\"",
        "\"status\"",
        "\"score\"",
    ] {
        assert!(
            seen.contains(needle),
            "the model was not shown {needle:?}:\n{seen}"
        );
    }
    assert!(shown.contains("Route confirmed"), "{shown}");
    // Shown a tie, the model may pick one (which then gets the prompt, and only it) or start a
    // new session (then neither changes).
    let cmd = codex_exchange(&turn).command().unwrap().to_owned();
    let resumed = [(&id_api, &api), (&id_web, &web)]
        .into_iter()
        .find(|(id, _)| cmd.contains(id.as_str()));
    match resumed {
        Some((picked, dir)) => {
            assert!(
                cmd.starts_with(&format!(
                    "codex exec -C '{}' resume {picked} -",
                    dir.display()
                )),
                "{cmd}"
            );
            assert_eq!(
                user_messages(&rollout_of(&w.codex_home(), picked))
                    .last()
                    .unwrap(),
                &via_heredoc(prompt)
            );
        }
        None => {
            assert!(cmd.starts_with("codex exec -C '"), "{cmd}");
            assert!(!cmd.contains(" resume "), "{cmd}");
        }
    }
    let untouched = [&id_api, &id_web]
        .into_iter()
        .filter(|id| resumed.is_none_or(|(p, _)| p != *id))
        .count();
    let grew = [&id_api, &id_web]
        .into_iter()
        .filter(|id| user_messages(&rollout_of(&w.codex_home(), id)).len() > 1)
        .count();
    assert_eq!(grew, 2 - untouched, "{cmd}");
}

#[test]
fn print_uncertain_route_shows_claude_the_candidates() {
    uncertain_route_shows_claude_the_candidates(Mode::Print);
}

#[test]
fn tui_uncertain_route_shows_claude_the_candidates() {
    uncertain_route_shows_claude_the_candidates(Mode::Tui);
}

fn a_running_session_is_never_resumed(mode: Mode) {
    let w = World::new();
    let app = w.project("webapp");
    let id = w.seed_session(
        &app,
        "fix the flaky login test in the auth module",
        "Fixed the flaky login test.",
    );
    // Another Codex process is in the middle of a turn of that session.
    w.openai.push(Reply::stall("Done with the login test."));
    let mut busy = w
        .command(&codex_bin())
        .args(["exec", "resume", &id, "keep going on the flaky login test"])
        .current_dir(&app)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("run codex exec resume");
    assert!(
        w.openai.wait_stalls(1, Duration::from_secs(30)),
        "the busy Codex never asked the model"
    );
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let (_, out) = w.run_client(&["show", "--json", &id]);
        if out.contains("\"status\": \"running\"") || out.contains("\"status\":\"running\"") {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "codexd never saw {id} running: {out}"
        );
        std::thread::sleep(Duration::from_millis(100));
    }

    let prompt = "the flaky login test in the auth module fails again";
    w.openai.push(Reply::text("ANSWER-ELSEWHERE"));
    let shown = run(&w, mode, &format!("/codex {prompt}"), "ANSWER-ELSEWHERE");
    let turn = w.last_turn();
    let route = route_json(&route_exchange(&turn));
    assert_ne!(route["session"], id.as_str(), "{route:#}");
    let cand = route["candidates"]
        .as_array()
        .and_then(|c| c.iter().find(|c| c["id"] == id.as_str()).cloned())
        .unwrap_or_else(|| panic!("the running session is a candidate: {route:#}"));
    assert_eq!(cand["running"], true, "{route:#}");
    let cmd = codex_exchange(&turn).command().unwrap().to_owned();
    assert!(!cmd.contains(&id), "resumed the running session: {cmd}");
    if let Some(q) = route["queue_command"].as_str() {
        assert!(shown.contains(q), "the report does not offer {q}:\n{shown}");
    }
    // The running session got no turn from /codex.
    let msgs = user_messages(&rollout_of(&w.codex_home(), &id));
    assert!(!msgs.iter().any(|m| m == &via_heredoc(prompt)), "{msgs:?}");

    w.openai.release();
    let deadline = Instant::now() + Duration::from_secs(30);
    while busy.try_wait().unwrap().is_none() {
        if Instant::now() >= deadline {
            let _ = busy.kill();
            break;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let _ = busy.wait();
}

#[test]
fn print_a_running_session_is_never_resumed() {
    a_running_session_is_never_resumed(Mode::Print);
}

#[test]
fn tui_a_running_session_is_never_resumed() {
    a_running_session_is_never_resumed(Mode::Tui);
}

const NASTY: &str = "fix the login test: it's \"quoted\", $(touch pwned) and `id` stay\n\
                     literal; so do $HOME and \\n and a lone '\nCODEX_PROMPT_END\nend of the login test prompt";

fn prompt_arrives_verbatim(mode: Mode) {
    let w = World::new();
    let app = w.project("webapp");
    // The session was started with the same text, so the route resumes it.
    let id = w.seed_session(&app, NASTY, "Fixed the login test.");
    w.openai.push(Reply::text("ANSWER-VERBATIM"));
    run(&w, mode, &format!("/codex {NASTY}"), "ANSWER-VERBATIM");
    let turn = w.last_turn();
    let cmd = codex_exchange(&turn).command().unwrap().to_owned();
    assert!(cmd.contains("<<'CODEX_PROMPT_END_2'"), "{cmd}");
    assert!(cmd.contains(&format!(" resume {id} -")), "{cmd}");
    let msgs = user_messages(&rollout_of(&w.codex_home(), &id));
    assert_eq!(msgs.len(), 2, "{msgs:?}");
    assert_eq!(msgs.last().unwrap(), &via_heredoc(NASTY), "{msgs:?}");
    for dir in [&w.unrelated, &app] {
        assert!(!dir.join("pwned").exists(), "$(…) ran in {}", dir.display());
    }
    assert_eq!(
        w.openai.user_texts().last().map(String::as_str),
        Some(via_heredoc(NASTY).as_str())
    );
}

#[test]
fn print_prompt_with_quotes_substitutions_and_newlines_arrives_verbatim() {
    prompt_arrives_verbatim(Mode::Print);
}

#[test]
fn tui_prompt_with_quotes_substitutions_and_newlines_arrives_verbatim() {
    prompt_arrives_verbatim(Mode::Tui);
}

fn sessions_list_show_search(mode: Mode) {
    let w = World::new();
    let app = w.project("webapp");
    // Two sessions within a second of each other share their first 8 hex digits.
    let id1 = w.seed_session(&app, "fix the flaky login test", "Fixed.");
    let id2 = w.seed_session(&app, "document the login flow", "Documented.");
    w.wait_indexed(&id1);
    w.wait_indexed(&id2);

    run(&w, mode, "/codex:sessions list", "login");
    let listed = w.last_turn();
    let out = listed.tool_exchanges().pop().unwrap().result.unwrap();
    assert!(!out.is_error, "{}", out.content);
    // Every id the list prints is accepted by show and names the right session.
    let shown_ids: Vec<String> = out
        .content
        .split(|c: char| !c.is_ascii_hexdigit() && c != '-')
        .filter(|t| t.len() >= 8 && (id1.starts_with(*t) || id2.starts_with(*t)))
        .map(str::to_owned)
        .collect();
    assert!(
        shown_ids.len() >= 2,
        "list printed no usable ids:\n{}",
        out.content
    );
    for short in &shown_ids {
        let full = if id1.starts_with(short.as_str()) {
            &id1
        } else {
            &id2
        };
        run(&w, mode, &format!("/codex:sessions show {short}"), "login");
        let res = w
            .last_turn()
            .tool_exchanges()
            .pop()
            .unwrap()
            .result
            .unwrap();
        assert!(!res.is_error, "show {short}: {}", res.content);
        assert!(
            res.content.contains(full.as_str()),
            "show {short}: {}",
            res.content
        );
    }
    run(&w, mode, "/codex:sessions search flaky", "flaky");
    let res = w
        .last_turn()
        .tool_exchanges()
        .pop()
        .unwrap()
        .result
        .unwrap();
    assert!(!res.is_error, "{}", res.content);
    assert!(res.content.contains(&id1[..8]), "{}", res.content);
    assert!(
        !res.content.contains("document the login flow"),
        "{}",
        res.content
    );
}

#[test]
fn print_sessions_list_show_search_with_the_printed_ids() {
    sessions_list_show_search(Mode::Print);
}

#[test]
fn tui_sessions_list_show_search_with_the_printed_ids() {
    sessions_list_show_search(Mode::Tui);
}

/// Installs `/codex-nogrant`: the installed `/codex` with the `codex exec` grant removed.
fn install_without_codex_grant(w: &World) {
    let dir = w.home().join(".claude/commands");
    let text = std::fs::read_to_string(dir.join("codex.md")).unwrap();
    let stripped = text.replace(", Bash(codex exec:*)", "");
    assert_ne!(
        stripped, text,
        "the installed /codex grants Bash(codex exec:*)"
    );
    std::fs::write(dir.join("codex-nogrant.md"), stripped).unwrap();
}

#[test]
fn print_control_without_the_grant_codex_exec_is_refused() {
    let w = World::new();
    w.anthropic.set_brain(std::sync::Arc::new(|req: &Recorded| {
        // Follow the command as /codex, whatever its file is called.
        let mut req = req.clone();
        let text = req.body.to_string().replace("/codex-nogrant", "/codex");
        req.body = serde_json::from_str(&text).unwrap();
        SlashCommandFollower.next(&req)
    }));
    install_without_codex_grant(&w);
    let app = w.project("webapp");
    let id = w.seed_session(&app, "fix the flaky login test", "Fixed.");
    let served = w.openai.model_requests().len();
    let out = w.print("/codex-nogrant the flaky login test fails again");
    let denials = out["permission_denials"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    assert_eq!(denials.len(), 1, "{out:#}");
    assert!(denials[0].to_string().contains("codex exec -C"), "{out:#}");
    let turn = w.last_turn();
    let x = codex_exchange(&turn);
    let r = x.result.unwrap();
    assert!(
        r.is_error && r.content.contains("requires approval"),
        "{}",
        r.content
    );
    // The route call (still granted) ran; Codex never did.
    assert_routed_to(&route_json(&route_exchange(&turn)), &id);
    assert_eq!(w.openai.model_requests().len(), served, "Codex was not run");
    assert_eq!(user_messages(&rollout_of(&w.codex_home(), &id)).len(), 1);
}

#[test]
fn tui_control_without_the_grant_codex_exec_asks_for_permission() {
    let w = World::new();
    w.anthropic.set_brain(std::sync::Arc::new(|req: &Recorded| {
        let mut req = req.clone();
        let text = req.body.to_string().replace("/codex-nogrant", "/codex");
        req.body = serde_json::from_str(&text).unwrap();
        SlashCommandFollower.next(&req)
    }));
    install_without_codex_grant(&w);
    let app = w.project("webapp");
    let id = w.seed_session(&app, "fix the flaky login test", "Fixed.");
    let served = w.openai.model_requests().len();
    let t = w.tui();
    w.tui_submit(&t, "/codex-nogrant the flaky login test fails again");
    let screen = w.tui_wait_done(&t, "Do you want to proceed?");
    assert!(screen.contains("codex exec -C"), "{screen}");
    assert_eq!(w.openai.model_requests().len(), served, "Codex was not run");
    assert_eq!(user_messages(&rollout_of(&w.codex_home(), &id)).len(), 1);
    // Decline: the dialog closes, the call is refused and Codex never runs.
    t.key("Escape").unwrap();
    let after = t
        .wait_for_named("the dialog to close", Duration::from_secs(20), |s| {
            !s.contains("Do you want to proceed?")
        })
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(w.openai.model_requests().len(), served, "{after}");
    assert_eq!(user_messages(&rollout_of(&w.codex_home(), &id)).len(), 1);
}
