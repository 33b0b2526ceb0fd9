//! Homes written by real Codex releases, read by codexd.
//!
//! For each selected release (installed once with npm, see `codexd_realcli::npm`), a scripted run
//! against the stand-in Responses API (`codexd_realcli::openai`) in three temporary git
//! repositories (each with a branch and an origin URL): `exec`, a continuation (`exec resume`, or
//! `-c experimental_resume=<path>` where the release has no `exec resume`), an image-first
//! `exec -i`, an interrupted turn, a fork (`exec fork`, 0.148+), an archived session
//! (`codex archive`, 0.142+) and a turn still running while the stand-in stalls. The truth is
//! what the CLI printed (session ids, tokens, version) and what the script did (prompts, repos,
//! interrupts); then the real `codexd` is started on that home and every field
//! `codexd-client show --json` / `list --all --json` reports is compared with it, and the resume
//! command codexd prints is run on that release and must append a turn.
//!
//! Releases: `CODEXD_REAL_CODEX=0.20.0,0.171.0` (or `all`); default [`CI_RELEASES`].
//! `scripts/conformance` runs [`ALL_RELEASES`]. What each release writes and accepts is in
//! `docs/codex-releases.md`.

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

use codexd_realcli::npm;
use codexd_realcli::openai::{self, Reply, StandIn};
use serde_json::Value;

/// The spread `.ci/run` covers: the oldest driveable layout, a mid-life one, and the newest two.
pub const CI_RELEASES: &[&str] = &["0.20.0", "0.63.0", "0.169.1", "0.171.0"];
/// The full spread (`scripts/conformance`).
pub const ALL_RELEASES: &[&str] = &[
    "0.20.0", "0.36.0", "0.45.0", "0.63.0", "0.101.0", "0.142.0", "0.148.0", "0.169.1", "0.171.0",
];

const DEADLINE: Duration = Duration::from_secs(60);

fn selected() -> Vec<String> {
    match std::env::var("CODEXD_REAL_CODEX") {
        Ok(v) if v.trim() == "all" => ALL_RELEASES.iter().map(|s| s.to_string()).collect(),
        Ok(v) if !v.trim().is_empty() => v
            .split([',', ' '])
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
            .collect(),
        _ => CI_RELEASES.iter().map(|s| s.to_string()).collect(),
    }
}

fn ver(v: &str) -> (u64, u64, u64) {
    openai::parse_version(v).expect("release version")
}

/// What a release can do on the command line (established by running them; see
/// `docs/codex-releases.md`).
#[derive(Clone, Copy, Debug)]
struct Caps {
    exec_resume: bool,
    exec_fork: bool,
    archive: bool,
    /// Records the working directory in the rollout.
    records_cwd: bool,
    /// `exec -i` sends the image as an image-only user turn of its own before the typed text.
    image_turn_first: bool,
    /// `cli_version`, the model (`turn_context`) and token counts are in the file (0.32+; 0.20
    /// writes a bare header and bare items).
    records_meta: bool,
    /// An interrupted `exec` leaves a `turn_aborted` (0.100+; before that the turn just stops,
    /// which reads as still in progress).
    records_interrupt: bool,
    /// The prompt is written before the answer arrives (0.20 writes the turn's items only once
    /// the answer is in).
    records_prompt_early: bool,
    /// The model of a turn is written before its answer (0.45 writes `turn_context` after).
    records_model_early: bool,
    /// An interrupted `exec` exits before its rollout writer drains, sometimes: the
    /// `turn_aborted` line (and 0.45's `turn_context`) is there on some runs and not on others
    /// (0.20–0.99).
    racy_interrupt: bool,
}

fn caps(version: &str) -> Caps {
    let v = ver(version);
    Caps {
        exec_resume: v >= (0, 36, 0),
        exec_fork: v >= (0, 148, 0),
        archive: v >= (0, 142, 0),
        records_cwd: v >= (0, 29, 0),
        image_turn_first: v <= (0, 47, 0),
        records_meta: v >= (0, 32, 0),
        records_interrupt: v >= (0, 100, 0),
        records_prompt_early: v >= (0, 32, 0),
        records_model_early: !((0, 40, 0)..(0, 63, 0)).contains(&v),
        racy_interrupt: v < (0, 100, 0),
    }
}

/// The ground truth of one session, from what the script did and the CLI printed.
#[derive(Clone, Debug, Default)]
struct Truth {
    id: String,
    cwd: Option<String>,
    branch: Option<String>,
    origin: Option<String>,
    prompts: Vec<String>,
    /// `completed`, `aborted`, `in_progress`.
    turn_state: &'static str,
    /// Another state the release may leave, by a race it has (see [`Caps::racy_interrupt`]).
    turn_state_or: Option<&'static str>,
    archived: bool,
    tokens: Option<u64>,
    forked_from: Option<String>,
    /// A single image was attached to the first prompt.
    image_first: bool,
    /// The release records version, model and tokens for this session.
    meta_recorded: bool,
    /// The release has written the turn's model yet.
    model_recorded: bool,
    /// The model may or may not be written yet (a race of the release).
    model_maybe: bool,
}

pub(crate) struct Repo {
    pub(crate) dir: PathBuf,
    branch: &'static str,
    origin: &'static str,
}

pub(crate) struct Lab {
    version: String,
    pub(crate) tmp: tempfile::TempDir,
    codex_home: PathBuf,
    pub(crate) user_home: PathBuf,
    bin_dir: PathBuf,
    pub(crate) server: StandIn,
    socket: PathBuf,
    daemon: Option<Child>,
    log: Vec<String>,
}

fn git(dir: &Path, args: &[&str]) {
    let out = Command::new("git")
        .args(args)
        .current_dir(dir)
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .output()
        .expect("run git");
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// The workspace's `target/debug` (or whichever profile built this test).
fn target_dir() -> PathBuf {
    let exe = std::env::current_exe().expect("test executable");
    // target/<profile>/deps/real-<hash>
    exe.parent()
        .and_then(Path::parent)
        .expect("target dir")
        .to_path_buf()
}

fn codexd_bin(name: &str) -> PathBuf {
    let p = target_dir().join(name);
    assert!(
        p.is_file(),
        "{} is missing: run `cargo build --workspace` first (.ci/run does)",
        p.display()
    );
    p
}

fn wait_for<T>(what: &str, mut f: impl FnMut() -> Option<T>) -> T {
    let start = Instant::now();
    let mut delay = Duration::from_millis(10);
    loop {
        if let Some(v) = f() {
            return v;
        }
        assert!(start.elapsed() < DEADLINE, "timed out waiting for {what}");
        std::thread::sleep(delay);
        delay = (delay * 2).min(Duration::from_millis(200));
    }
}

/// A one-pixel PNG.
const PNG: &[u8] = &[
    0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52,
    0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00, 0x00, 0x1f, 0x15, 0xc4,
    0x89, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9c, 0x63, 0xf8, 0xcf, 0xc0, 0xf0,
    0x1f, 0x00, 0x05, 0x00, 0x01, 0xff, 0x89, 0x99, 0x3d, 0x1d, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45,
    0x4e, 0x44, 0xae, 0x42, 0x60, 0x82,
];

impl Lab {
    pub(crate) fn new(version: &str) -> Lab {
        let codex = npm::codex(version).unwrap_or_else(|e| panic!("{e}"));
        let tmp = tempfile::tempdir().unwrap();
        let codex_home = tmp.path().join("codex-home");
        let user_home = tmp.path().join("home");
        let bin_dir = tmp.path().join("bin");
        for d in [&codex_home, &user_home, &bin_dir] {
            fs::create_dir_all(d).unwrap();
        }
        // `codex` on PATH is this release, for the printed commands.
        std::os::unix::fs::symlink(&codex, bin_dir.join("codex")).unwrap();
        let server = StandIn::start();
        openai::write_codex_config(&codex_home, version, &server).unwrap();
        let socket = tmp.path().join("run").join("codexd.sock");
        Lab {
            version: version.to_owned(),
            tmp,
            codex_home,
            user_home,
            bin_dir,
            server,
            socket,
            daemon: None,
            log: Vec::new(),
        }
    }

    /// Points `codex` (on PATH and in [`Lab::codex`]) and `config.toml` at another release,
    /// as a person who updates Codex does; the home and its sessions stay.
    pub(crate) fn switch_release(&mut self, version: &str) {
        let codex = npm::codex(version).unwrap_or_else(|e| panic!("{e}"));
        let link = self.bin_dir.join("codex");
        fs::remove_file(&link).unwrap();
        std::os::unix::fs::symlink(&codex, &link).unwrap();
        openai::write_codex_config(&self.codex_home, version, &self.server).unwrap();
        self.version = version.to_owned();
    }

    pub(crate) fn repo(&self, name: &str, branch: &'static str, origin: &'static str) -> Repo {
        self.repo_in(&self.tmp.path().join("work"), name, branch, origin)
    }

    /// A git repository `parent/name` with one commit, a branch and an origin.
    pub(crate) fn repo_in(
        &self,
        parent: &Path,
        name: &str,
        branch: &'static str,
        origin: &'static str,
    ) -> Repo {
        let dir = parent.join(name);
        fs::create_dir_all(&dir).unwrap();
        git(&dir, &["init", "-q", "-b", branch]);
        git(&dir, &["remote", "add", "origin", origin]);
        fs::write(dir.join("README.md"), format!("# {name}\n")).unwrap();
        git(&dir, &["add", "README.md"]);
        git(
            &dir,
            &[
                "-c",
                "user.email=t@example.com",
                "-c",
                "user.name=t",
                "commit",
                "-qm",
                "init",
            ],
        );
        // Codex canonicalises the cwd it records.
        let dir = fs::canonicalize(&dir).unwrap();
        Repo {
            dir,
            branch,
            origin,
        }
    }

    fn path_env(&self) -> String {
        format!(
            "{}:{}",
            self.bin_dir.display(),
            std::env::var("PATH").unwrap_or_default()
        )
    }

    fn env(&self, c: &mut Command) {
        c.env("CODEX_HOME", &self.codex_home)
            .env("HOME", &self.user_home)
            .env("PATH", self.path_env())
            .env("NO_COLOR", "1")
            .env_remove("OPENAI_API_KEY")
            .env_remove("OPENAI_BASE_URL")
            .env_remove("RUST_LOG");
        for (k, v) in self.server.codex_env() {
            c.env(k, v);
        }
    }

    fn codex_cmd(&self, cwd: &Path, args: &[&str]) -> Command {
        use std::os::unix::process::CommandExt;
        let mut c = Command::new(self.bin_dir.join("codex"));
        // A group of its own: the npm entry point is node running the native binary, and a
        // hung run is ended by killing the whole group (see `kill_group`).
        c.args(args)
            .current_dir(cwd)
            .stdin(Stdio::null())
            .process_group(0);
        self.env(&mut c);
        c
    }

    pub(crate) fn codex(&mut self, cwd: &Path, args: &[&str]) -> Output {
        let out = self.codex_cmd(cwd, args).output().expect("run codex");
        self.note(&format!("codex {args:?}"), &out);
        assert!(
            out.status.success(),
            "codex {} {args:?} failed ({}):\n{}\n{}",
            self.version,
            out.status,
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        out
    }

    fn note(&mut self, what: &str, out: &Output) {
        self.log.push(format!(
            "$ {what} -> {}\n{}{}",
            out.status,
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        ));
    }

    /// Every rollout file under `sessions/` and `archived_sessions/`.
    pub(crate) fn rollouts(&self) -> BTreeSet<PathBuf> {
        fn walk(dir: &Path, out: &mut BTreeSet<PathBuf>) {
            let Ok(rd) = fs::read_dir(dir) else { return };
            for e in rd.flatten() {
                let p = e.path();
                if p.is_dir() {
                    walk(&p, out);
                } else if p
                    .file_name()
                    .and_then(|n| n.to_str())
                    .is_some_and(|n| n.starts_with("rollout-") && n.contains(".jsonl"))
                {
                    out.insert(p);
                }
            }
        }
        let mut out = BTreeSet::new();
        walk(&self.codex_home.join("sessions"), &mut out);
        walk(&self.codex_home.join("archived_sessions"), &mut out);
        out
    }

    /// The one rollout that appeared since `before`.
    pub(crate) fn new_rollout(&self, before: &BTreeSet<PathBuf>) -> PathBuf {
        let now = self.rollouts();
        let new: Vec<&PathBuf> = now.difference(before).collect();
        assert_eq!(
            new.len(),
            1,
            "expected exactly one new rollout, got {new:?}\n{}",
            self.log.join("\n")
        );
        new[0].clone()
    }

    pub(crate) fn start_daemon(&mut self) {
        let mut c = Command::new(codexd_bin("codexd"));
        c.arg("--codex-home")
            .arg(&self.codex_home)
            .arg("--socket")
            .arg(&self.socket)
            .env("CODEXD_CACHE_DIR", self.tmp.path().join("codexd-cache"))
            .env("HOME", &self.user_home)
            .env_remove("CODEXD_REGISTRY")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::from(
                fs::File::create(self.tmp.path().join("codexd.log")).unwrap(),
            ));
        self.daemon = Some(c.spawn().expect("start codexd"));
        wait_for("codexd to answer", || {
            let out = self.client_cmd(&["status", "--json"]).output().ok()?;
            out.status.success().then_some(())
        });
    }

    fn client_cmd(&self, args: &[&str]) -> Command {
        let mut c = Command::new(codexd_bin("codexd-client"));
        c.args(args)
            .env("CODEX_HOME", &self.codex_home)
            .env("CODEXD_SOCKET", &self.socket)
            .env("CODEXD_BIN", codexd_bin("codexd"))
            .env("CODEXD_CACHE_DIR", self.tmp.path().join("codexd-cache"))
            .env("HOME", &self.user_home)
            .env("PATH", self.path_env())
            .env_remove("CODEXD_REGISTRY")
            .env("NO_COLOR", "1")
            .stdin(Stdio::null());
        c
    }

    pub(crate) fn client_json(&self, args: &[&str]) -> Value {
        let mut a = args.to_vec();
        a.push("--json");
        let out = self.client_cmd(&a).output().expect("run codexd-client");
        assert!(
            out.status.success(),
            "codexd-client {a:?} failed:\n{}\n{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        serde_json::from_slice(&out.stdout).expect("client JSON")
    }

    pub(crate) fn sync(&self) {
        let out = self.client_cmd(&["sync"]).output().expect("sync");
        assert!(out.status.success(), "sync failed");
    }
}

impl Drop for Lab {
    fn drop(&mut self) {
        if let Some(mut d) = self.daemon.take() {
            let _ = d.kill();
            let _ = d.wait();
        }
    }
}

fn text(out: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

/// The last `tokens used` figure the CLI printed (`tokens used: 120` or `tokens used\n1,234`).
fn printed_tokens(out: &str) -> Option<u64> {
    let at = out.rfind("tokens used")?;
    let rest = &out[at + "tokens used".len()..];
    let digits: String = rest
        .trim_start_matches([':', ' ', '\n', '\r'])
        .chars()
        .take_while(|c| c.is_ascii_digit() || *c == ',')
        .filter(char::is_ascii_digit)
        .collect();
    digits.parse().ok()
}

/// The thread id in a rollout file name (`rollout-<ts>-<uuid>.jsonl`).
pub(crate) fn id_of(path: &Path) -> String {
    let name = path.file_name().unwrap().to_str().unwrap();
    let stem = name.split(".jsonl").next().unwrap();
    stem[stem.len() - 36..].to_owned()
}

/// Waits (up to 10 s) until `file` contains `needle`; whether it did.
fn wait_written(file: &Path, needle: &str) -> bool {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        if fs::read_to_string(file).is_ok_and(|t| t.contains(needle)) {
            return true;
        }
        if Instant::now() > deadline {
            return false;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// What a release that writes a turn's items late (0.20) has on disk for a turn that never got
/// its answer: maybe not even the header's `git` yet.
fn unwritten_turn(t: &mut Truth, file: &Path) {
    t.prompts.clear();
    t.turn_state = "none";
    t.turn_state_or = None;
    if !fs::read_to_string(file).is_ok_and(|x| x.contains("repository_url")) {
        t.branch = None;
        t.origin = None;
    }
}

fn interrupt(child: &Child) {
    let st = Command::new("kill")
        .arg("-INT")
        .arg(child.id().to_string())
        .status()
        .expect("kill -INT");
    assert!(st.success());
}

/// Ends a spawned `codex` and everything it started (its process group, see `Lab::codex_cmd`).
fn kill_group(child: &mut Child) {
    let _ = Command::new("kill")
        .args(["-KILL", "--", &format!("-{}", child.id())])
        .status();
    let _ = child.wait();
}

fn wait_exit(child: &mut Child, what: &str) -> std::process::ExitStatus {
    let start = Instant::now();
    loop {
        if let Some(s) = child.try_wait().unwrap() {
            return s;
        }
        if start.elapsed() > DEADLINE {
            kill_group(child);
            panic!("timed out waiting for {what}");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// Runs the whole script on one release and checks codexd against it.
fn conform(version: &str) {
    let started = Instant::now();
    let mut lab = Lab::new(version);
    let caps = caps(version);
    let scratch = lab.tmp.path().to_path_buf();
    let shown_version = text(&lab.codex(&scratch, &["--version"]));
    assert!(shown_version.contains(version), "{shown_version}");

    let alpha = lab.repo("alpha", "feature/login", "git@example.com:team/alpha.git");
    let beta = lab.repo("beta", "main", "https://example.com/team/beta.git");
    let gamma = lab.repo("gamma", "release-2", "https://example.com/team/gamma.git");
    let record = |repo: &Repo, id: String, prompts: Vec<String>| Truth {
        id,
        cwd: caps.records_cwd.then(|| repo.dir.display().to_string()),
        branch: Some(repo.branch.to_owned()),
        origin: Some(repo.origin.to_owned()),
        prompts,
        turn_state: "completed",
        meta_recorded: caps.records_meta,
        model_recorded: caps.records_meta,
        ..Truth::default()
    };
    let mut truths: Vec<Truth> = Vec::new();
    let mut failures_early: Vec<String> = Vec::new();
    lab.start_daemon();

    // 1. A plain exec, then a continuation.
    let p1 = format!("Fix the flaky login test in alpha ({version})");
    let p2 = "Now also cover the logout path".to_owned();
    lab.server.push(Reply::text("Fixed the login test."));
    let before = lab.rollouts();
    let out = lab.codex(&alpha.dir, &["exec", &p1]);
    let first = lab.new_rollout(&before);
    let mut t1 = record(&alpha, id_of(&first), vec![p1.clone()]);
    t1.tokens = printed_tokens(&text(&out));
    assert!(lab.server.user_texts().iter().any(|t| t == &p1));
    lab.server.push(Reply::text("Covered logout too."));
    let before = lab.rollouts();
    if caps.exec_resume {
        let out = lab.codex(&alpha.dir, &["exec", "resume", &t1.id, &p2]);
        t1.prompts.push(p2.clone());
        t1.tokens = printed_tokens(&text(&out));
        assert_eq!(
            lab.rollouts(),
            before,
            "exec resume appends to the same file"
        );
        truths.push(t1.clone());
    } else {
        // No `exec resume`: the release's own continuation writes a new rollout that copies
        // the history under a new id.
        let cfg = format!("experimental_resume=\"{}\"", first.display());
        let out = lab.codex(&alpha.dir, &["exec", "-c", &cfg, &p2]);
        let after = lab.rollouts();
        if after == before {
            // 0.20 appends the continuation to the file it resumes.
            t1.prompts.push(p2.clone());
            t1.tokens = printed_tokens(&text(&out));
            truths.push(t1.clone());
        } else {
            let cont = lab.new_rollout(&before);
            let mut t1b = record(&alpha, id_of(&cont), vec![p1.clone(), p2.clone()]);
            t1b.tokens = printed_tokens(&text(&out));
            t1b.forked_from = Some(t1.id.clone());
            truths.push(t1.clone());
            truths.push(t1b);
        }
    }
    let texts = lab.server.user_texts();
    assert!(
        texts.iter().any(|t| t == &p1) && texts.iter().any(|t| t == &p2),
        "the continuation carried the history: {texts:?}"
    );

    // 2. Image-first exec in another repo. In 0.20–0.47 `exec -i` races with itself: after the
    // image turn is answered it sometimes waits forever instead of sending the typed prompt
    // (docs/codex-releases.md). A hung attempt is killed, left out of the truth, and retried.
    let mut t3 = Truth::default();
    let shot = lab.tmp.path().join("shot.png");
    fs::write(&shot, PNG).unwrap();
    let p3 = "Why does this dialog render twice?".to_owned();
    // Old releases send the image as a turn of its own first: give it a reply too.
    lab.server
        .set_default(Some(Reply::text("I see the image.")));
    let mut hung = BTreeSet::new();
    // A model that takes a moment makes the old releases' race rarer.
    lab.server.set_latency(Duration::from_millis(300));
    for attempt in 1..=4 {
        let before = lab.rollouts();
        let mut child = lab
            .codex_cmd(&beta.dir, &["exec", &p3, "-i", shot.to_str().unwrap()])
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let deadline = Instant::now() + Duration::from_secs(10);
        let finished = loop {
            if child.try_wait().unwrap().is_some() {
                break true;
            }
            if Instant::now() > deadline {
                kill_group(&mut child);
                break false;
            }
            std::thread::sleep(Duration::from_millis(50));
        };
        let out = child.wait_with_output().unwrap();
        lab.note(
            &format!("exec -i (attempt {attempt}, finished: {finished})"),
            &out,
        );
        let img = lab.new_rollout(&before);
        if !finished {
            hung.insert(id_of(&img));
            continue;
        }
        assert!(out.status.success(), "exec -i failed:\n{}", text(&out));
        // Where the image came first as a turn of its own, the prompt is the person's words with
        // the image marked; otherwise the words alone.
        let shown3 = if caps.image_turn_first {
            format!("[Image] {p3}")
        } else {
            p3.clone()
        };
        t3 = record(&beta, id_of(&img), vec![shown3]);
        t3.tokens = printed_tokens(&text(&out));
        t3.image_first = caps.image_turn_first;
        assert!(lab.server.model_requests().iter().any(|r| r.has_image()));
        truths.push(t3.clone());
        break;
    }
    lab.server.set_latency(Duration::ZERO);
    if t3.id.is_empty() && caps.image_turn_first {
        // The release's own bug (docs/codex-releases.md), not codexd's: say so, loudly.
        eprintln!(
            "codex {version}: `exec -i` hung after the image turn on every attempt ({hung:?}): no image session checked"
        );
    } else if t3.id.is_empty() {
        failures_early.push(format!("`exec -i` hung on every attempt: {hung:?}"));
    } else if !hung.is_empty() {
        eprintln!(
            "codex {version}: `exec -i` hung {} time(s) before finishing",
            hung.len()
        );
    }
    lab.server.set_default(Some(Reply::text("OK.")));

    // 3. An interrupted turn: the stand-in stalls, the script sends SIGINT.
    let p4 = "Refactor the session store (will be interrupted)".to_owned();
    lab.server.push(Reply::stall("never seen"));
    let stalls = lab.server.stalls_started();
    let before = lab.rollouts();
    let mut child = lab
        .codex_cmd(&alpha.dir, &["exec", &p4])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    assert!(
        lab.server.wait_stalls(stalls + 1, DEADLINE),
        "codex {version} never reached the stalled request"
    );
    let aborted_file = wait_for("the interrupted session's rollout", || {
        let now = lab.rollouts();
        now.difference(&before).next().cloned()
    });
    let p4_written = wait_written(&aborted_file, &p4);
    interrupt(&child);
    // 0.20 sometimes ignores Ctrl-C while its request is open (docs/codex-releases.md): end
    // it after 15 s; newer releases must exit on the first SIGINT.
    let status = if caps.racy_interrupt {
        let deadline = Instant::now() + Duration::from_secs(15);
        loop {
            if let Some(s) = child.try_wait().unwrap() {
                break s;
            }
            if Instant::now() > deadline {
                kill_group(&mut child);
                eprintln!("codex {version}: ignored SIGINT for 15 s; killed");
                break child.wait().unwrap();
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    } else {
        wait_exit(&mut child, "codex to exit after SIGINT")
    };
    let out = child.wait_with_output().unwrap();
    lab.log
        .push(format!("interrupted exec -> {status}\n{}", text(&out)));
    lab.server.release();
    let mut t4 = record(&alpha, id_of(&aborted_file), vec![p4.clone()]);
    t4.turn_state = if caps.records_interrupt {
        "aborted"
    } else {
        "in_progress"
    };
    t4.model_recorded &= caps.records_model_early;
    t4.turn_state_or = caps.racy_interrupt.then_some("aborted");
    t4.model_maybe = caps.racy_interrupt;
    if !p4_written {
        if caps.records_prompt_early {
            failures_early.push(format!(
                "{} never wrote the prompt of its running turn",
                t4.id
            ));
        }
        unwritten_turn(&mut t4, &aborted_file);
    }
    truths.push(t4);

    // 4. A fork (0.148+): a new thread pointing at its parent.
    if caps.exec_fork && !t3.id.is_empty() {
        let p5 = "Try the other approach to the dialog".to_owned();
        lab.server.push(Reply::text("Forked and tried."));
        let before = lab.rollouts();
        let out = lab.codex(&beta.dir, &["exec", "fork", &t3.id, &p5]);
        let fork = lab.new_rollout(&before);
        let mut t5 = record(&beta, id_of(&fork), vec![p5.clone()]);
        t5.tokens = printed_tokens(&text(&out));
        t5.forked_from = Some(t3.id.clone());
        truths.push(t5);
    }

    // 5. An archived session (0.142+).
    if caps.archive {
        let p6 = "Bump the release notes for gamma".to_owned();
        lab.server.push(Reply::text("Bumped."));
        let before = lab.rollouts();
        let out = lab.codex(&gamma.dir, &["exec", &p6]);
        let f = lab.new_rollout(&before);
        let mut t6 = record(&gamma, id_of(&f), vec![p6]);
        t6.tokens = printed_tokens(&text(&out));
        lab.codex(&gamma.dir, &["archive", &t6.id]);
        t6.archived = true;
        truths.push(t6);
    }

    // 6. Every finished session, as codexd reports it.
    lab.sync();
    let list = lab.client_json(&["list", "--all"]);
    let mut failures = failures_early;
    for t in &truths {
        check(&lab, &list, t, &mut failures);
    }

    // A fork supersedes its parent: `show` links both ways and routing offers only the fork.
    if let Some(fork) = truths
        .iter()
        .find(|t| t.forked_from.is_some() && t.prompts.len() == 1)
    {
        let parent = fork.forked_from.clone().unwrap();
        let d = lab.client_json(&["show", &parent]);
        let by: Vec<&str> = d["continued_by"]
            .as_array()
            .map(|a| a.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default();
        if !by.contains(&fork.id.as_str()) {
            failures.push(format!(
                "{parent} continued_by: want [{}], codexd says {by:?}",
                fork.id
            ));
        }
        let cwd = beta.dir.display().to_string();
        let r = lab.client_json(&[
            "route",
            "why does this dialog render twice",
            "--all",
            "--cwd",
            &cwd,
        ]);
        let offered: Vec<&str> = r["candidates"]
            .as_array()
            .map(|a| a.iter().filter_map(|c| c["id"].as_str()).collect())
            .unwrap_or_default();
        if offered.contains(&parent.as_str()) || r["session"].as_str() == Some(parent.as_str()) {
            failures.push(format!(
                "route offers the superseded parent {parent} instead of its fork {}: {r}",
                fork.id
            ));
        }
    }

    // 7. A turn still running while the stand-in stalls.
    let p7 = "Profile the gamma build (still running)".to_owned();
    lab.server.push(Reply::stall("Profiled."));
    let stalls = lab.server.stalls_started();
    let before = lab.rollouts();
    let mut child = lab
        .codex_cmd(&gamma.dir, &["exec", &p7])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    assert!(lab.server.wait_stalls(stalls + 1, DEADLINE));
    let running_file = wait_for("the running session's rollout", || {
        lab.rollouts().difference(&before).next().cloned()
    });
    let mut t7 = record(&gamma, id_of(&running_file), vec![p7.clone()]);
    t7.turn_state = "in_progress";
    t7.model_recorded &= caps.records_model_early;
    // 0.45 writes the turn's `turn_context` around the request: present on some runs.
    t7.model_maybe = !caps.records_model_early;
    if !wait_written(&running_file, &p7) {
        if caps.records_prompt_early {
            failures.push(format!(
                "{} never wrote the prompt of its running turn",
                t7.id
            ));
        }
        unwritten_turn(&mut t7, &running_file);
    }
    lab.sync();
    let list = lab.client_json(&["list", "--all"]);
    check(&lab, &list, &t7, &mut failures);
    lab.server.release();
    let status = wait_exit(&mut child, "the stalled codex to finish once released");
    let out = child.wait_with_output().unwrap();
    lab.log
        .push(format!("released exec -> {status}\n{}", text(&out)));
    t7.turn_state = "completed";
    t7.prompts = vec![p7.clone()];
    t7.branch = Some(gamma.branch.to_owned());
    t7.origin = Some(gamma.origin.to_owned());
    t7.model_recorded = caps.records_meta;
    t7.model_maybe = false;
    t7.tokens = printed_tokens(&text(&out));
    lab.sync();
    let list = lab.client_json(&["list", "--all"]);
    check(&lab, &list, &t7, &mut failures);

    // 8. The resume command codexd prints runs on this release and appends a turn.
    let target = truths.last_chain_head(&t1.id);
    let detail = lab.client_json(&["show", &target]);
    let command = detail["resume_command"].as_str().unwrap_or("").to_owned();
    let p8 = "Continue from the printed command".to_owned();
    lab.server.push(Reply::text("Continued."));
    let served = lab.server.served();
    let before = lab.rollouts();
    let mut sh = Command::new("sh");
    std::os::unix::process::CommandExt::process_group(&mut sh, 0);
    sh.arg("-c")
        .arg(&command)
        .current_dir(lab.tmp.path())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    lab.env(&mut sh);
    let mut child = sh.spawn().expect("run the printed command");
    {
        use std::io::Write;
        let mut stdin = child.stdin.take().unwrap();
        let _ = stdin.write_all(p8.as_bytes());
    }
    let deadline = Instant::now() + DEADLINE;
    let status = loop {
        if let Some(s) = child.try_wait().unwrap() {
            break Some(s);
        }
        if Instant::now() > deadline {
            kill_group(&mut child);
            break None;
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    let out = child.wait_with_output().unwrap();
    lab.log
        .push(format!("$ {command} -> {status:?}\n{}", text(&out)));
    if status.is_some_and(|s| s.success())
        && lab.server.served() > served
        && lab.server.user_texts().iter().any(|t| t == &p8)
    {
        lab.sync();
        let after = lab.client_json(&["show", &target]);
        let prompts = prompt_list(&after);
        let appended_here = lab.rollouts() == before;
        if !prompts.iter().any(|p| p == &p8) && appended_here {
            failures.push(format!(
                "the printed command ran but codexd does not show its prompt: {prompts:?}"
            ));
        }
    } else {
        failures.push(format!(
            "the printed resume command does not run on codex {version}: `{command}` -> {status:?}\n{}",
            text(&out)
        ));
    }

    let unexpected: Vec<String> = lab
        .server
        .unexpected_requests()
        .iter()
        .map(|r| format!("{} {}", r.method, r.uri))
        .collect();
    eprintln!(
        "codex {version}: {} sessions checked in {:.1}s; requests refused locally: {unexpected:?}",
        truths.len() + 1,
        started.elapsed().as_secs_f64()
    );
    assert!(
        failures.is_empty(),
        "codex {version}: codexd disagrees with the release on {} point(s):\n- {}\n\n--- script log ---\n{}",
        failures.len(),
        failures.join("\n- "),
        lab.log.join("\n")
    );
}

trait Chain {
    fn last_chain_head(&self, root: &str) -> String;
}

impl Chain for Vec<Truth> {
    /// The newest link of the chain that starts at `root` (the continuation, when the release
    /// continues into a new file).
    fn last_chain_head(&self, root: &str) -> String {
        let mut head = root.to_owned();
        while let Some(next) = self
            .iter()
            .find(|t| t.forked_from.as_deref() == Some(&head) && t.prompts.len() > 1)
        {
            head = next.id.clone();
        }
        head
    }
}

fn prompt_list(detail: &Value) -> Vec<String> {
    detail["prompts"]
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|p| p.as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default()
}

/// Compares one session's `show --json` (and its `list --all --json` line) with the truth.
fn check(lab: &Lab, list: &Value, t: &Truth, failures: &mut Vec<String>) {
    let version = &lab.version;
    let mut fail = |field: &str, want: String, got: String| {
        failures.push(format!("{} {field}: want {want}, codexd says {got}", t.id));
    };
    let Some(line) = list
        .as_array()
        .and_then(|a| a.iter().find(|s| s["id"] == t.id.as_str()))
    else {
        fail("list --all", "listed".into(), "missing".into());
        return;
    };
    let d = lab.client_json(&["show", &t.id]);
    for (field, want) in [
        ("cwd", t.cwd.clone()),
        ("git_branch", t.branch.clone()),
        ("git_origin", t.origin.clone()),
        ("forked_from", t.forked_from.clone()),
        ("cli_version", t.meta_recorded.then(|| version.clone())),
        ("model", t.model_recorded.then(|| openai::MODEL.to_owned())),
    ] {
        let got = d[field].as_str().map(str::to_owned);
        if field == "model"
            && t.model_maybe
            && (got.is_none() || got.as_deref() == Some(openai::MODEL))
        {
            continue;
        }
        if got != want {
            fail(field, format!("{want:?}"), format!("{got:?}"));
        }
    }
    if line["id"] != d["id"] || line["title"] != d["title"] {
        fail(
            "list line",
            format!("{}", d["title"]),
            format!("{}", line["title"]),
        );
    }
    let prompts = prompt_list(&d);
    if prompts != t.prompts {
        fail(
            "prompts",
            format!("{:?}", t.prompts),
            format!("{prompts:?}"),
        );
    }
    if d["prompt_count"].as_u64() != Some(t.prompts.len() as u64) {
        fail(
            "prompt_count",
            t.prompts.len().to_string(),
            d["prompt_count"].to_string(),
        );
    }
    // The title is the person's first words; an image is marked, never the whole title.
    let title = d["title"].as_str().unwrap_or("");
    let first = t
        .prompts
        .first()
        .map_or("Codex session", |p| p.trim_start_matches("[Image] "));
    if !title.contains(first) || title == "[Image]" {
        fail("title", format!("{first:?}"), format!("{title:?}"));
    }
    if t.image_first && !title.contains("[Image") {
        fail(
            "title (image marked)",
            "an [Image] mark".into(),
            format!("{title:?}"),
        );
    }
    let state = d["turn_state"].as_str().unwrap_or("");
    if state != t.turn_state && Some(state) != t.turn_state_or {
        fail("turn_state", t.turn_state.into(), state.into());
    }
    if d["archived"].as_bool() != Some(t.archived) {
        fail(
            "archived",
            t.archived.to_string(),
            d["archived"].to_string(),
        );
    }
    if !d["name"].is_null() {
        fail(
            "name",
            "null (exec sessions are not named)".into(),
            d["name"].to_string(),
        );
    }
    let tokens = if t.meta_recorded { t.tokens } else { None };
    if t.turn_state == "completed" && d["tokens_total"].as_u64() != tokens {
        fail(
            "tokens_total",
            format!("{tokens:?} (printed by codex)"),
            d["tokens_total"].to_string(),
        );
    }
}

#[test]
fn codex_releases_conform() {
    let releases = selected();
    assert!(!releases.is_empty(), "no release selected");
    let mut failed = Vec::new();
    for v in &releases {
        let v2 = v.clone();
        let r = std::thread::Builder::new()
            .name(format!("codex-{v}"))
            .spawn(move || conform(&v2))
            .unwrap()
            .join();
        if r.is_err() {
            failed.push(v.clone());
        }
    }
    assert!(
        failed.is_empty(),
        "releases that do not conform: {failed:?} (details above)"
    );
}
