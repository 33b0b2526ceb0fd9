//! End-to-end harness: real `codexd` and `codexd-client` binaries, a temp CODEX_HOME and a
//! temp socket per test. Waits poll with a deadline; nothing sleeps a fixed time.

#![allow(dead_code)]

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant, SystemTime};

pub const DEADLINE: Duration = Duration::from_secs(20);

pub fn client_bin() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_codexd-client"))
}

/// The daemon binary: next to the client in the target directory (`cargo build --workspace`
/// and `cargo test --workspace` build both; `.ci/run` builds the workspace first). Run alone
/// (`cargo test -p codexd-client` on a clean tree), this package cannot make cargo build
/// another package's binary, so the harness builds it once, into a target directory of its
/// own (the running `cargo test` holds the main one's lock).
pub fn daemon_bin() -> PathBuf {
    let sibling = client_bin().with_file_name("codexd");
    if sibling.is_file() {
        return sibling;
    }
    static BUILT: std::sync::OnceLock<PathBuf> = std::sync::OnceLock::new();
    BUILT
        .get_or_init(|| {
            let workspace = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
            let target = workspace.join("target").join("e2e-daemon");
            let status = Command::new(env!("CARGO"))
                .args(["build", "--quiet", "-p", "codexd", "--bin", "codexd"])
                .arg("--target-dir")
                .arg(&target)
                .current_dir(&workspace)
                .status()
                .expect("run cargo to build the codexd binary");
            assert!(status.success(), "cargo build -p codexd failed");
            let built = target.join("debug").join("codexd");
            assert!(
                built.is_file(),
                "{} is missing after the build",
                built.display()
            );
            built
        })
        .clone()
}

/// Poll `f` until it returns `Some`, or panic with `what` at the deadline.
pub fn wait_for<T>(what: &str, mut f: impl FnMut() -> Option<T>) -> T {
    let start = Instant::now();
    let mut delay = Duration::from_millis(5);
    loop {
        if let Some(v) = f() {
            return v;
        }
        assert!(start.elapsed() < DEADLINE, "timed out waiting for {what}");
        std::thread::sleep(delay);
        delay = (delay * 2).min(Duration::from_millis(100));
    }
}

pub struct Env {
    pub dir: tempfile::TempDir,
    pub home: PathBuf,
    pub socket: PathBuf,
    pub daemon: Option<Child>,
}

pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl From<Output> for Run {
    fn from(o: Output) -> Run {
        Run {
            code: o.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&o.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&o.stderr).into_owned(),
        }
    }
}

impl Env {
    pub fn new() -> Env {
        let dir = tempfile::tempdir().unwrap();
        let home = dir.path().join("home");
        fs::create_dir_all(home.join("sessions")).unwrap();
        let socket = dir.path().join("run").join("codexd.sock");
        Env {
            dir,
            home,
            socket,
            daemon: None,
        }
    }

    pub fn registry(&self) -> PathBuf {
        self.home.join("claude-sessions.json")
    }

    /// A client command with this env's home and socket, and the daemon binary to auto-start.
    pub fn client_cmd(&self, args: &[&str]) -> Command {
        let mut c = Command::new(client_bin());
        c.args(args)
            .env("CODEX_HOME", &self.home)
            .env("CODEXD_SOCKET", &self.socket)
            .env("CODEXD_BIN", daemon_bin())
            .env("CODEXD_CACHE_DIR", self.dir.path().join("cache"))
            .env_remove("CODEXD_REGISTRY")
            .env("NO_COLOR", "1")
            .stdin(Stdio::null());
        c
    }

    pub fn client(&self, args: &[&str]) -> Run {
        self.client_cmd(args).output().unwrap().into()
    }

    /// Run the client and require exit 0.
    pub fn ok(&self, args: &[&str]) -> String {
        let r = self.client(args);
        assert_eq!(
            r.code, 0,
            "codexd-client {args:?} failed:\nstdout:\n{}\nstderr:\n{}",
            r.stdout, r.stderr
        );
        r.stdout
    }

    pub fn json(&self, args: &[&str]) -> serde_json::Value {
        let mut a = args.to_vec();
        a.push("--json");
        serde_json::from_str(&self.ok(&a)).unwrap()
    }

    pub fn daemon_cmd(&self) -> Command {
        let mut c = Command::new(daemon_bin());
        c.arg("--codex-home")
            .arg(&self.home)
            .arg("--socket")
            .arg(&self.socket)
            .env("CODEXD_LOG", "debug")
            .env("CODEXD_CACHE_DIR", self.dir.path().join("cache"))
            .env_remove("CODEXD_REGISTRY")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::from(
                fs::File::create(self.dir.path().join("daemon.log")).unwrap(),
            ));
        c
    }

    /// Start the daemon and wait until its socket answers.
    pub fn start_daemon(&mut self) {
        let child = self.daemon_cmd().spawn().unwrap();
        self.daemon = Some(child);
        self.wait_ready();
    }

    pub fn wait_ready(&self) {
        wait_for("the daemon to answer", || {
            let r = self.client(&["--no-autostart", "status", "--json"]);
            (r.code == 0 && !r.stderr.contains("direct scan")).then_some(())
        });
    }

    pub fn daemon_log(&self) -> String {
        fs::read_to_string(self.dir.path().join("daemon.log")).unwrap_or_default()
    }

    /// Ask the daemon to reconcile everything now (a barrier for tests).
    pub fn sync(&self) {
        self.ok(&["--no-autostart", "sync"]);
    }

    pub fn write(&self, rel: &str, contents: &[u8]) -> PathBuf {
        let p = self.home.join(rel);
        fs::create_dir_all(p.parent().unwrap()).unwrap();
        fs::write(&p, contents).unwrap();
        p
    }

    /// One envelope-format session with a single prompt, in its dated directory.
    pub fn session(
        &self,
        id: &str,
        name_time: &str,
        created: &str,
        cwd: &str,
        prompt: &str,
    ) -> PathBuf {
        self.write(
            &lines::rollout_path(false, name_time, id),
            lines::session(id, created, cwd, prompt).as_bytes(),
        )
    }

    pub fn append(&self, path: &Path, contents: &[u8]) {
        let mut f = fs::OpenOptions::new().append(true).open(path).unwrap();
        f.write_all(contents).unwrap();
    }
}

impl Drop for Env {
    fn drop(&mut self) {
        if let Some(mut c) = self.daemon.take() {
            let _ = c.kill();
            let _ = c.wait();
        }
        // A daemon auto-started by a client: stop it through its socket.
        if self.socket.exists() {
            let _ = self.client_cmd(&["--no-autostart", "shutdown"]).output();
        }
    }
}

/// Set a file's mtime to `secs_ago` seconds before now.
pub fn age(path: &Path, secs_ago: u64) {
    touch(path, SystemTime::now() - Duration::from_secs(secs_ago));
}

/// Set a file's mtime to an RFC 3339 instant.
pub fn set_mtime(path: &Path, rfc3339: &str) {
    let secs = rfc3339.parse::<jiff::Timestamp>().unwrap().as_second();
    touch(
        path,
        SystemTime::UNIX_EPOCH + Duration::from_secs(secs as u64),
    );
}

fn touch(path: &Path, t: SystemTime) {
    let f = fs::File::options().write(true).open(path).unwrap();
    f.set_modified(t).unwrap();
}

/// Send a signal with kill(1).
pub fn signal(child: &Child, sig: &str) {
    let ok = Command::new("kill")
        .arg(format!("-{sig}"))
        .arg(child.id().to_string())
        .status()
        .unwrap();
    assert!(ok.success());
}

/// Rollout lines, written from docs/rollout-format.md.
pub mod lines {
    pub fn meta(id: &str, ts: &str, cwd: &str, source: &str) -> String {
        format!(
            r#"{{"timestamp":"{ts}","type":"session_meta","payload":{{"id":"{id}","timestamp":"{ts}","cwd":"{cwd}","originator":"codex_cli_rs","cli_version":"0.104.0","source":"{source}","model_provider":"openai","base_instructions":{{"text":"You are a coding agent."}},"git":{{"commit_hash":"1cdfa7b1","branch":"main","repository_url":"git@github.com:me/proj.git"}}}}}}"#
        )
    }
    pub fn user(ts: &str, text: &str) -> String {
        let text = serde_json::to_string(text).unwrap();
        format!(
            r#"{{"timestamp":"{ts}","type":"response_item","payload":{{"type":"message","role":"user","content":[{{"type":"input_text","text":{text}}}]}}}}
{{"timestamp":"{ts}","type":"event_msg","payload":{{"type":"user_message","message":{text},"images":[],"local_images":[],"text_elements":[]}}}}"#
        )
    }
    pub fn env_context(ts: &str, cwd: &str) -> String {
        format!(
            r#"{{"timestamp":"{ts}","type":"response_item","payload":{{"type":"message","role":"user","content":[{{"type":"input_text","text":"<environment_context>\n  <cwd>{cwd}</cwd>\n</environment_context>"}}]}}}}"#
        )
    }
    pub fn turn(ts: &str, cwd: &str) -> String {
        format!(
            r#"{{"timestamp":"{ts}","type":"event_msg","payload":{{"type":"task_started","turn_id":"t1"}}}}
{{"timestamp":"{ts}","type":"turn_context","payload":{{"turn_id":"t1","cwd":"{cwd}","approval_policy":"on-request","model":"gpt-5.3-codex"}}}}"#
        )
    }
    pub fn complete(ts: &str) -> String {
        format!(
            r#"{{"timestamp":"{ts}","type":"event_msg","payload":{{"type":"task_complete","turn_id":"t1","last_agent_message":"Done"}}}}"#
        )
    }
    pub fn aborted(ts: &str) -> String {
        format!(
            r#"{{"timestamp":"{ts}","type":"event_msg","payload":{{"type":"turn_aborted","turn_id":"t1","reason":"interrupted"}}}}"#
        )
    }
    /// A whole envelope-format session: meta, injected context, one prompt, a completed turn.
    pub fn session(id: &str, ts: &str, cwd: &str, prompt: &str) -> String {
        [
            meta(id, ts, cwd, "cli"),
            env_context(ts, cwd),
            turn(ts, cwd),
            user(ts, prompt),
            complete(ts),
        ]
        .join("\n")
            + "\n"
    }
    pub fn rollout_path(archived: bool, ts_name: &str, id: &str) -> String {
        let (date, _) = ts_name.split_at(10);
        let dir = if archived {
            "archived_sessions".to_owned()
        } else {
            format!("sessions/{}", date.replace('-', "/"))
        };
        format!("{dir}/rollout-{ts_name}-{id}.jsonl")
    }
}

/// A field of `/proc/<pid>/status` in KiB (`VmRSS`, `VmHWM`); 0 when unreadable.
pub fn proc_kib(pid: u32, field: &str) -> u64 {
    let s = fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    s.lines()
        .find(|l| l.strip_prefix(field).is_some_and(|r| r.starts_with(':')))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|v| v.parse().ok())
        .unwrap_or(0)
}

/// How many file descriptors `pid` has open.
pub fn open_fds(pid: u32) -> usize {
    fs::read_dir(format!("/proc/{pid}/fd")).map_or(0, |d| d.count())
}

/// Files named `*.tmp` under `dir` (left by an interrupted or failed atomic write).
pub fn temp_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in fs::read_dir(&d).into_iter().flatten().flatten() {
            let p = e.path();
            if e.file_type().is_ok_and(|t| t.is_dir()) {
                stack.push(p);
            } else if p.to_string_lossy().ends_with(".tmp") {
                out.push(p);
            }
        }
    }
    out
}

impl Env {
    /// What a fresh full scan of this home answers to `args` (`--json` is added): the client's
    /// direct scan, on a socket nobody listens on, with a copy of the daemon's registry (so
    /// user decisions count the same) that the scan may not write.
    pub fn fresh_scan(&self, args: &[&str]) -> serde_json::Value {
        let reg = self.dir.path().join("fresh-scan-registry.json");
        let _ = fs::remove_file(&reg);
        let _ = fs::copy(self.registry(), &reg);
        let mut a = vec!["--no-autostart"];
        a.extend_from_slice(args);
        a.push("--json");
        let out: Run = self
            .client_cmd(&a)
            .env(
                "CODEXD_SOCKET",
                self.dir.path().join("fresh-scan").join("none.sock"),
            )
            .env("CODEXD_REGISTRY", &reg)
            .output()
            .unwrap()
            .into();
        assert_eq!(out.code, 0, "fresh scan {args:?} failed: {}", out.stderr);
        assert!(out.stderr.contains("direct scan"), "{}", out.stderr);
        serde_json::from_str(&out.stdout).unwrap()
    }
}
