//! End-to-end tests of `codexd-client pick` in a real terminal: tmux runs the real binaries
//! over a generated home; the tests type with `send-keys` and read the screen with
//! `capture-pane`. A stand-in `codex` on PATH records its arguments and working directory.

use crate::common;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use common::{Env, wait_for};

/// The session the tests look for, among a generated corpus.
const ID: &str = "019d0000-aaaa-7bbb-8ccc-000000000001";
const PROMPT: &str = "Reconcile the zanzibar ledger exports with the bank statements";

struct Fixture {
    env: Env,
    /// The session's directory (exists, so Codex can be run there).
    workdir: PathBuf,
    /// Where the stand-in `codex` writes what it was run with.
    record: PathBuf,
    bin: PathBuf,
}

fn fixture(daemon: bool) -> Fixture {
    let mut env = Env::new();
    codexd_corpus::generate(
        &env.home,
        &codexd_corpus::CorpusOptions {
            sessions: 120,
            seed: 18,
            scale: 0.02,
            ..Default::default()
        },
    )
    .unwrap();
    let workdir = env.dir.path().join("src").join("ledger");
    fs::create_dir_all(&workdir).unwrap();
    env.session(
        ID,
        "2026-12-01T10-00-00",
        "2026-12-01T10:00:00Z",
        workdir.to_str().unwrap(),
        PROMPT,
    );
    let bin = env.dir.path().join("bin");
    fs::create_dir_all(&bin).unwrap();
    let record = env.dir.path().join("codex-ran");
    // Answers `--help` like a Codex that has `-C/--cd`; otherwise records argv and cwd.
    let script = format!(
        "#!/bin/sh\nif [ \"$2\" = \"--help\" ]; then echo '  -C, --cd <DIR>  Tell the agent to use the specified directory'; exit 0; fi\n{{ printf 'cwd=%s\\n' \"$PWD\"; for a in \"$@\"; do printf 'arg=%s\\n' \"$a\"; done; }} > {}\n",
        record.display()
    );
    let codex = bin.join("codex");
    fs::write(&codex, script).unwrap();
    use std::os::unix::fs::PermissionsExt;
    fs::set_permissions(&codex, fs::Permissions::from_mode(0o755)).unwrap();
    if daemon {
        env.start_daemon();
    }
    Fixture {
        env,
        workdir,
        record,
        bin,
    }
}

/// A tmux server of its own (socket in the test's temp dir) running one shell command.
struct Tmux {
    socket: PathBuf,
}

impl Tmux {
    /// `command` runs under `sh -c` in a `width`×`height` window; after it the pane keeps a
    /// shell-like line `picker-exited <code>` and stays open.
    fn start(fx: &Fixture, width: u16, height: u16, command: &str, env: &[(&str, &str)]) -> Tmux {
        static N: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
        let n = N.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let socket = fx.env.dir.path().join(format!("tmux{n}.sock"));
        let mut vars: Vec<(String, String)> = vec![
            ("CODEX_HOME".into(), fx.env.home.display().to_string()),
            ("CODEXD_SOCKET".into(), fx.env.socket.display().to_string()),
            (
                "CODEXD_BIN".into(),
                common::daemon_bin().display().to_string(),
            ),
            (
                "CODEXD_CACHE_DIR".into(),
                fx.env.dir.path().join("cache").display().to_string(),
            ),
            ("TERM".into(), "xterm-256color".into()),
        ];
        vars.extend(env.iter().map(|(k, v)| (k.to_string(), v.to_string())));
        let mut cmd = Command::new("tmux");
        cmd.arg("-S")
            .arg(&socket)
            .args(["-f", "/dev/null", "new-session", "-d"])
            .args(["-x", &width.to_string(), "-y", &height.to_string()]);
        for (k, v) in &vars {
            cmd.arg("-e").arg(format!("{k}={v}"));
        }
        // tmux gives the pane its own PATH whatever `-e` says: set it in the script.
        let script = format!(
            "PATH='{}':\"$PATH\"; export PATH; {command}; echo picker-exited $?; exec sleep 600",
            fx.bin.display()
        );
        cmd.args(["sh", "-c", &script]);
        let status = cmd
            .status()
            .expect("tmux is needed for the picker's end-to-end tests (apt-get install tmux)");
        assert!(status.success(), "tmux new-session failed");
        let t = Tmux { socket };
        // Let the window take the size asked for, whatever the default is.
        t.tmux(&[
            "resize-window",
            "-x",
            &width.to_string(),
            "-y",
            &height.to_string(),
        ]);
        t
    }

    fn tmux(&self, args: &[&str]) -> String {
        let out = Command::new("tmux")
            .arg("-S")
            .arg(&self.socket)
            .args(args)
            .output()
            .unwrap();
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    fn screen(&self) -> String {
        self.tmux(&["capture-pane", "-p"])
    }

    /// The screen with its escape sequences (colours, attributes).
    fn screen_escaped(&self) -> String {
        self.tmux(&["capture-pane", "-p", "-e"])
    }

    fn keys(&self, keys: &[&str]) {
        let mut a = vec!["send-keys"];
        a.extend_from_slice(keys);
        self.tmux(&a);
    }

    fn type_text(&self, text: &str) {
        self.tmux(&["send-keys", "-l", text]);
    }

    fn wait_screen(&self, what: &str, pred: impl Fn(&str) -> bool) -> String {
        let mut last = String::new();
        let found = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            wait_for(what, || {
                let s = self.screen();
                let ok = pred(&s);
                last = s.clone();
                ok.then_some(s)
            })
        }));
        match found {
            Ok(s) => s,
            Err(_) => panic!("timed out waiting for {what}; the screen was:\n{last}"),
        }
    }

    fn alternate_on(&self) -> bool {
        self.tmux(&["display-message", "-p", "#{alternate_on}"])
            .trim()
            == "1"
    }

    /// The picker's pid: the child of the pane's shell.
    fn picker_pid(&self) -> String {
        let shell = self.tmux(&["display-message", "-p", "#{pane_pid}"]);
        wait_for("the picker process", || {
            let out = Command::new("ps")
                .args(["-o", "pid=", "--ppid", shell.trim()])
                .output()
                .unwrap();
            let pid = String::from_utf8_lossy(&out.stdout).trim().to_owned();
            (!pid.is_empty()).then_some(pid)
        })
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        self.tmux(&["kill-server"]);
    }
}

fn client() -> String {
    env!("CARGO_BIN_EXE_codexd-client").to_owned()
}

/// The list is up: the header's count and at least one row.
fn list_shown(s: &str) -> bool {
    s.lines()
        .next()
        .is_some_and(|l| l.contains("all projects") && !l.trim_end().ends_with('…'))
        && s.lines().nth(1).is_some_and(|l| l.starts_with('▌'))
}

fn recorded(path: &Path) -> Option<Vec<String>> {
    let text = fs::read_to_string(path).ok()?;
    text.ends_with('\n')
        .then(|| text.lines().map(str::to_owned).collect())
}

#[test]
fn type_preview_and_enter_resumes_in_the_sessions_directory() {
    let fx = fixture(true);
    let t = Tmux::start(&fx, 120, 32, &format!("{} pick", client()), &[]);
    t.wait_screen("the list", list_shown);
    t.type_text("zanzibar");
    let s = t.wait_screen("the search to narrow to one session", |s| {
        s.lines()
            .next()
            .is_some_and(|l| l.trim_end().ends_with("· 1"))
    });
    let row = s.lines().nth(1).unwrap();
    assert!(row.contains("ledger"), "project column: {row}");
    assert!(row.contains("Reconcile the zanzibar"), "title: {row}");
    let s = t.wait_screen("the preview", |s| s.contains("Prompts (1)"));
    assert!(s.contains(ID), "the preview shows the id:\n{s}");
    assert!(
        s.contains("bank statements"),
        "the preview shows the prompt:\n{s}"
    );
    assert!(
        s.contains("matched  first prompt"),
        "the preview says which fields matched:\n{s}"
    );
    t.keys(&["Enter"]);
    t.wait_screen("the shell after codex", |s| s.contains("picker-exited"));
    let ran = recorded(&fx.record).unwrap_or_else(|| panic!("codex did not run:\n{}", t.screen()));
    let dir = fx.workdir.display().to_string();
    assert_eq!(
        ran,
        [
            format!("cwd={dir}"),
            "arg=resume".into(),
            "arg=-C".into(),
            format!("arg={dir}"),
            format!("arg={ID}"),
        ]
    );
    assert!(t.screen().contains("picker-exited 0"));
    assert!(!t.alternate_on(), "the alternate screen was left");
}

#[test]
fn esc_runs_nothing_and_leaves_no_alternate_screen() {
    let fx = fixture(true);
    let t = Tmux::start(&fx, 80, 24, &format!("{} pick ledger", client()), &[]);
    t.wait_screen("the list", list_shown);
    assert!(t.alternate_on(), "the picker uses the alternate screen");
    t.keys(&["Escape"]);
    let s = t.wait_screen("the picker to end", |s| s.contains("picker-exited"));
    assert!(s.contains("picker-exited 130"), "{s}");
    assert!(!t.alternate_on(), "the alternate screen is still on");
    assert!(!fx.record.exists(), "Esc ran codex");
}

/// SGR parameters that set a colour (foreground, background, 256-colour, true colour).
fn colour_codes(screen: &str) -> Vec<String> {
    let mut found = Vec::new();
    let mut rest = screen;
    while let Some(i) = rest.find("\x1b[") {
        rest = &rest[i + 2..];
        let end = rest
            .find(|c: char| !(c.is_ascii_digit() || c == ';'))
            .unwrap_or(rest.len());
        if rest[end..].starts_with('m') {
            let params = &rest[..end];
            if params.split(';').any(|p| {
                p.parse::<u32>().is_ok_and(|n| {
                    (30..=38).contains(&n)
                        || (40..=48).contains(&n)
                        || (90..=97).contains(&n)
                        || (100..=107).contains(&n)
                })
            }) {
                found.push(params.to_owned());
            }
        }
    }
    found
}

#[test]
fn no_color_means_no_colour_codes_and_a_resize_redraws() {
    let fx = fixture(true);
    // With colours: the check below can see them.
    let coloured = Tmux::start(&fx, 100, 30, &format!("{} pick", client()), &[]);
    coloured.wait_screen("the list", list_shown);
    assert!(
        !colour_codes(&coloured.screen_escaped()).is_empty(),
        "the coloured picker shows colours"
    );
    drop(coloured);

    let t = Tmux::start(
        &fx,
        80,
        24,
        &format!("{} pick", client()),
        &[("NO_COLOR", "1")],
    );
    let s = t.wait_screen("the list", list_shown);
    assert!(
        s.contains("Tab project"),
        "80 columns show the short key hints"
    );
    let codes = colour_codes(&t.screen_escaped());
    assert!(
        codes.is_empty(),
        "NO_COLOR output has colour codes: {codes:?}"
    );
    t.tmux(&["resize-window", "-x", "200", "-y", "50"]);
    let s = t.wait_screen("a redraw at 200 columns", |s| {
        s.contains("Alt-Enter new session") && s.lines().next().is_some_and(|l| l.len() > 150)
    });
    assert!(s.contains("preview"), "{s}");
    t.tmux(&["resize-window", "-x", "80", "-y", "24"]);
    t.wait_screen("a redraw at 80 columns", |s| {
        !s.contains("Alt-Enter new session") && s.contains("Tab project")
    });
    assert!(
        colour_codes(&t.screen_escaped()).is_empty(),
        "no colour after the resize either"
    );
}

#[test]
fn print_from_a_command_substitution_prints_the_id() {
    let fx = fixture(true);
    let command = format!(
        "id=$({} pick --print zanzibar); echo \"chosen=$id\"",
        client()
    );
    let t = Tmux::start(&fx, 100, 30, &command, &[]);
    t.wait_screen("the one hit", |s| {
        s.lines()
            .next()
            .is_some_and(|l| l.trim_end().ends_with("· 1"))
    });
    t.keys(&["Enter"]);
    let s = t.wait_screen("the printed id", |s| s.contains("picker-exited"));
    assert!(s.contains(&format!("chosen={ID}")), "{s}");
    assert!(!fx.record.exists(), "--print ran codex");
}

#[test]
fn sigterm_restores_the_terminal() {
    let fx = fixture(true);
    let t = Tmux::start(&fx, 100, 30, &format!("{} pick", client()), &[]);
    t.wait_screen("the list", list_shown);
    let pid = t.picker_pid();
    assert!(
        Command::new("kill")
            .args(["-TERM", &pid])
            .status()
            .unwrap()
            .success()
    );
    let s = t.wait_screen("the picker to end", |s| s.contains("picker-exited"));
    assert!(s.contains("picker-exited 143"), "{s}");
    assert!(!t.alternate_on(), "SIGTERM left the alternate screen on");
}

#[test]
fn without_a_daemon_it_answers_from_a_direct_scan_with_a_banner() {
    let fx = fixture(false);
    let t = Tmux::start(
        &fx,
        100,
        30,
        &format!("{} --no-autostart pick", client()),
        &[],
    );
    let s = t.wait_screen("the banner and the list", |s| {
        s.contains("direct scan") && s.lines().any(|l| l.starts_with('▌'))
    });
    assert!(s.contains("unreachable"), "{s}");
    t.type_text("zanzibar");
    t.wait_screen("the fallback search", |s| {
        s.lines()
            .next()
            .is_some_and(|l| l.trim_end().ends_with("· 1"))
    });
}

#[test]
fn refuses_when_stdout_is_not_a_terminal() {
    let fx = fixture(false);
    let r = fx.env.client(&["--no-autostart", "pick"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(r.stderr.contains("not a terminal"), "{}", r.stderr);
    assert!(
        r.stderr.contains("codexd-client list") && r.stderr.contains("codexd-client search"),
        "names the commands to use instead: {}",
        r.stderr
    );
}
