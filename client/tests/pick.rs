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

/// A generated corpus and the session [`ID`] (the newest) in `workdir`.
fn fixture(daemon: bool) -> Fixture {
    with_sessions(daemon, |env, workdir| {
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
        env.session(
            ID,
            "2026-12-01T10-00-00",
            "2026-12-01T10:00:00Z",
            workdir.to_str().unwrap(),
            PROMPT,
        );
    })
}

/// `write` puts the sessions in the home; `workdir` is an existing directory for them.
fn with_sessions(daemon: bool, write: impl FnOnce(&Env, &Path)) -> Fixture {
    let mut env = Env::new();
    let workdir = env.dir.path().join("src").join("ledger");
    fs::create_dir_all(&workdir).unwrap();
    write(&env, &workdir);
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

/// More sessions than the picker's first page, in a known order (newest first): a `codex
/// exec` session, [`FILLERS`] fillers, and [`OLDEST`] last, each file's mtime as its last use.
fn many_sessions(daemon: bool) -> Fixture {
    with_sessions(daemon, |env, workdir| {
        let dir = workdir.to_str().unwrap();
        let base = "2026-11-20T12:00:00Z"
            .parse::<jiff::Timestamp>()
            .unwrap()
            .as_second();
        let at = |hours_ago: i64| {
            let t = jiff::Timestamp::from_second(base - hours_ago * 3600).unwrap();
            let name = t.strftime("%Y-%m-%dT%H-%M-%S").to_string();
            (name, t.to_string())
        };
        let (name, ts) = at(0);
        let exec = [
            common::lines::meta(EXEC_ID, &ts, dir, "exec"),
            common::lines::turn(&ts, dir),
            common::lines::user(&ts, "Nightly exec job summarises the build logs"),
            common::lines::complete(&ts),
        ]
        .join("\n")
            + "\n";
        let path = env.write(
            &common::lines::rollout_path(false, &name, EXEC_ID),
            exec.as_bytes(),
        );
        common::set_mtime(&path, &ts);
        for i in 1..=FILLERS {
            let id = format!("019d0000-bbbb-7bbb-8ccc-{i:012}");
            let (name, ts) = at(i as i64);
            let path = env.session(&id, &name, &ts, dir, &format!("Filler task number {i}"));
            common::set_mtime(&path, &ts);
        }
        let (name, ts) = at(FILLERS as i64 + 1);
        let path = env.session(
            OLDEST,
            &name,
            &ts,
            dir,
            "Walrus migration, the oldest session",
        );
        common::set_mtime(&path, &ts);
    })
}

const EXEC_ID: &str = "019d0000-eeee-7bbb-8ccc-000000000001";
const OLDEST: &str = "019d0000-cccc-7bbb-8ccc-000000000001";
/// With the exec session and [`OLDEST`]: 152 sessions, where the first page has 100.
const FILLERS: usize = 150;

/// The selected row (marked `▌`).
fn selected_row(s: &str) -> Option<&str> {
    s.lines().find(|l| l.starts_with('▌'))
}

#[test]
fn scrolling_past_the_loaded_rows_loads_more_and_enter_resumes_one_of_them() {
    let fx = many_sessions(true);
    let t = Tmux::start(&fx, 120, 32, &format!("{} pick", client()), &[]);
    // The header counts, and the footer says the list is partial (waited for together: a
    // capture may fall between the writes of one frame).
    let s = t.wait_screen("the first page and the footer's note", |s| {
        list_shown(s)
            && s.lines().next().is_some_and(|l| l.contains("· 100 of 152"))
            && s.lines()
                .last()
                .is_some_and(|l| l.contains("100 of 152 loaded"))
    });
    assert!(
        !s.contains("Walrus"),
        "the oldest session is not loaded yet"
    );
    // End goes to the last loaded row, and that loads the rest; End again reaches it.
    t.keys(&["End"]);
    t.wait_screen("every session loaded", |s| {
        s.lines()
            .next()
            .is_some_and(|l| l.trim_end().ends_with("· 152"))
    });
    t.keys(&["End"]);
    t.wait_screen("the oldest session selected, its preview, no note", |s| {
        selected_row(s).is_some_and(|r| r.contains("Walrus migration"))
            && s.contains(OLDEST)
            && s.lines().last().is_some_and(|l| !l.contains("loaded"))
    });
    t.keys(&["Enter"]);
    t.wait_screen("the shell after codex", |s| s.contains("picker-exited"));
    let ran = recorded(&fx.record).unwrap_or_else(|| panic!("codex did not run:\n{}", t.screen()));
    assert_eq!(
        ran.last().map(String::as_str),
        Some(&*format!("arg={OLDEST}"))
    );
    assert!(ran.contains(&"arg=resume".to_owned()), "{ran:?}");
    assert_eq!(ran[0], format!("cwd={}", fx.workdir.display()));
}

#[test]
fn exec_sessions_are_marked_in_the_list_and_in_search_results() {
    let fx = many_sessions(true);
    let t = Tmux::start(&fx, 120, 32, &format!("{} pick", client()), &[]);
    let s = t.wait_screen("the list", list_shown);
    let exec_row = s
        .lines()
        .find(|l| l.contains("Nightly exec job"))
        .unwrap_or_else(|| panic!("the exec session is listed:\n{s}"));
    assert!(exec_row.contains("[exec] Nightly"), "{exec_row}");
    let filler = s.lines().find(|l| l.contains("Filler task")).unwrap();
    assert!(!filler.contains("[exec]"), "{filler}");
    t.type_text("nightly");
    let s = t.wait_screen("the search to narrow to the exec session", |s| {
        s.lines()
            .next()
            .is_some_and(|l| l.trim_end().ends_with("· 1"))
    });
    let row = selected_row(&s).unwrap();
    assert!(row.contains("[exec]") && row.contains("Nightly"), "{row}");
}
