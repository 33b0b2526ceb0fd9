//! Issue 3: the daemon indexes a CODEX_HOME of mixed formats and the client lists and shows
//! it over the real socket; single instance; clean SIGTERM; auto-start; fallback.

use crate::common;

use common::{Env, age, lines, set_mtime, signal, wait_for};

const A: &str = "019c8a4c-ed82-79a1-aa28-7738fc5ab61a";
const B: &str = "019b0f22-1111-7222-8333-444455556666";
const C: &str = "019c8a70-aaaa-7bbb-8ccc-ddddeeeeffff";
const LEGACY: &str = "5973b6c0-94b8-487b-a530-2aeb6098ae0e";
const PAGINATED: &str = "01a017b5-1414-7250-bf14-dc4987eee1c9";
const META_ONLY: &str = "019c9999-0000-7000-8000-000000000001";
const RANDOM: &str = "019c9999-0000-7000-8000-000000000002";
const TRUNCATED: &str = "019c9999-0000-7000-8000-000000000003";

/// A CODEX_HOME with one file per format and pitfall.
fn fixture(env: &Env) {
    // Current envelope format, recent → active.
    let a = env.write(
        &lines::rollout_path(false, "2026-02-23T12-40-23", A),
        lines::session(
            A,
            "2026-02-23T11:40:23.298Z",
            "/home/u/proj",
            "Fix the flaky login test",
        )
        .as_bytes(),
    );
    age(&a, 60);
    // Archived.
    let b = env.write(
        &lines::rollout_path(true, "2026-01-10T14-00-00", B),
        lines::session(
            B,
            "2026-01-10T14:00:00.000Z",
            "/home/u/other",
            "Bug fix task",
        )
        .as_bytes(),
    );
    set_mtime(&b, "2026-01-10T14:20:00Z");
    // Old, last turn aborted → failed; IDE prefix to strip.
    let c_text = [
        lines::meta(C, "2025-12-01T09:00:00.000Z", "/home/u/api", "vscode"),
        lines::turn("2025-12-01T09:00:00.000Z", "/home/u/api/v2"),
        lines::user("2025-12-01T09:00:01.000Z", "# Context from my IDE setup:\n## Active file: a.rs\n## My request for Codex:\nMigrate the invoices schema"),
        lines::aborted("2025-12-01T09:05:00.000Z"),
    ]
    .join("\n")
        + "\n";
    let c = env.write(
        &lines::rollout_path(false, "2025-12-01T10-00-00", C),
        c_text.as_bytes(),
    );
    set_mtime(&c, "2025-12-01T09:05:00Z");
    // Pre-0.32 bare format in the legacy flat layout.
    let legacy = format!(
        "{}\n{}\n{}\n{}\n{}\n",
        r#"{"id":"5973b6c0-94b8-487b-a530-2aeb6098ae0e","timestamp":"2025-06-20T13:20:47.060Z","instructions":null}"#,
        r#"{"record_type":"state"}"#,
        r#"{"type":"message","role":"user","content":[{"type":"input_text","text":"<environment_context>\n  <cwd>/home/u/old</cwd>\n</environment_context>"}]}"#,
        r#"{"type":"message","role":"user","content":[{"type":"input_text","text":"Explain the build script"}]}"#,
        // Releases before lifecycle events: the answer is what ends the turn.
        r#"{"type":"message","role":"assistant","content":[{"type":"output_text","text":"It runs cargo build in release mode."}]}"#,
    );
    let l = env.write(
        &format!("sessions/rollout-2025-06-20T15-20-47-{LEGACY}.jsonl"),
        legacy.as_bytes(),
    );
    set_mtime(&l, "2025-06-20T13:30:00Z");
    // 0.148 paginated exec session: listed only with --all.
    let pag = format!(
        "{}\n{}\n",
        r#"{"timestamp":"2026-08-19T01:48:58.344Z","ordinal":0,"type":"session_meta","payload":{"session_id":"01a017b5-1414-7250-bf14-dc4987eee1c9","id":"01a017b5-1414-7250-bf14-dc4987eee1c9","timestamp":"2026-08-19T01:48:58.261Z","cwd":"/home/u/proj/workdir","originator":"codex_exec","cli_version":"0.148.0","source":"exec","history_mode":"paginated"}}"#,
        r#"{"timestamp":"2026-08-19T01:48:58.386Z","ordinal":7,"type":"event_msg","payload":{"type":"item_completed","thread_id":"01a017b5-1414-7250-bf14-dc4987eee1c9","turn_id":"x","item":{"type":"UserMessage","id":"i","content":[{"type":"text","text":"hello from exec","text_elements":[]}]}}}"#,
    );
    let p = env.write(
        &lines::rollout_path(false, "2026-08-19T03-48-58", PAGINATED),
        pag.as_bytes(),
    );
    set_mtime(&p, "2026-08-19T01:50:00Z");
    // Only a session_meta line (pre-0.99 sessions opened and closed).
    let m = env.write(
        &lines::rollout_path(false, "2026-03-01T10-00-00", META_ONLY),
        (lines::meta(META_ONLY, "2026-03-01T09:00:00.000Z", "/home/u/proj", "cli") + "\n")
            .as_bytes(),
    );
    set_mtime(&m, "2026-03-01T09:00:00Z");
    // Random bytes, invalid UTF-8.
    let junk: Vec<u8> = (0..4096u32)
        .map(|i| (i.wrapping_mul(2654435761) >> 13) as u8)
        .collect();
    let r = env.write(
        &lines::rollout_path(false, "2026-03-02T10-00-00", RANDOM),
        &junk,
    );
    set_mtime(&r, "2026-03-02T10:00:00Z");
    // Truncated last line (Codex mid-write).
    let mut t = lines::session(
        TRUNCATED,
        "2026-03-03T10:00:00.000Z",
        "/home/u/t",
        "Write the changelog",
    );
    t.push_str(
        r#"{"timestamp":"2026-03-03T10:00:05.000Z","type":"event_msg","payload":{"type":"user_mes"#,
    );
    let tp = env.write(
        &lines::rollout_path(false, "2026-03-03T11-00-00", TRUNCATED),
        t.as_bytes(),
    );
    set_mtime(&tp, "2026-03-03T10:00:05Z");
    // Things that must be ignored.
    env.write(
        &format!("sessions/2026/02/23/.rollout-2026-02-23T12-40-23-{A}.jsonl.paginated.tmp"),
        b"{}\n",
    );
    env.write(
        &format!("sessions/2026/02/23/rollout-2026-02-23T12-40-23-{A}.jsonl.compress.1.1.tmp"),
        b"{}\n",
    );
    std::fs::create_dir_all(env.home.join(format!(
        "sessions/2026/02/24/rollout-2026-02-24T10-00-00-{B}.jsonl"
    )))
    .unwrap();
}

#[test]
fn list_and_show_over_the_socket() {
    let mut env = Env::new();
    fixture(&env);
    env.start_daemon();

    let out = env.ok(&["list"]);
    let a_used = env.json(&["show", A])["last_used"]
        .as_str()
        .unwrap()
        .to_owned();
    let expected = format!(
        "## Codex Sessions Routing Table

Active Sessions:
[active] 019c8a4c... - Fix the flaky login test (Last used: {a_used})

Completed Sessions:
[completed] 01a017b5... - hello from exec (Last used: 2026-08-19T01:50:00Z) [exec]
[completed] 019c9999-0000-7000-8000-000000000003... - Write the changelog (Last used: 2026-03-03T10:00:05Z)
[completed] 5973b6c0... - Explain the build script (Last used: 2025-06-20T13:30:00Z)

Failed Sessions:
[failed] 019c8a70... - Migrate the invoices schema (Last used: 2025-12-01T09:05:00Z)

Archived Sessions:
[archived] 019b0f22... - Bug fix task (Last used: 2026-01-10T14:20:00Z)

Total: 6 sessions (1 active, 3 completed, 1 failed, 1 archived)

Use codexd-client show <id> for details
"
    );
    assert_eq!(out, expected);
    // Every id `list` prints is accepted by `show` as printed (dots and all).
    for id in ["019c9999-0000-7000-8000-000000000003...", "01a017b5..."] {
        assert!(
            env.json(&["show", id])["id"]
                .as_str()
                .unwrap()
                .starts_with(id.trim_end_matches('.'))
        );
    }

    // --all adds the exec session and the prompt-less ones, newest first.
    let all = env.json(&["list", "--all"]);
    let ids: Vec<&str> = all
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids.len(), 8, "{ids:?}");
    assert_eq!(ids[1], PAGINATED);
    assert!(ids.contains(&META_ONLY) && ids.contains(&RANDOM));
    let pag = &all[1];
    assert_eq!(pag["source"], "exec");
    assert_eq!(pag["interactive"], false);
    assert_eq!(pag["task_summary"], "hello from exec");

    // show: by unique prefix, with details.
    let show = env.ok(&["show", "019c8a70"]);
    for needle in [
        &format!("Session {C}"),
        "Task:       Migrate the invoices schema",
        "[failed]",
        "last turn aborted",
        "Cwd:        /home/u/api/v2",
        "Created:    2025-12-01T09:00:00.000Z",
        "Last used:  2025-12-01T09:05:00Z",
        &format!("-C /home/u/api/v2 resume {C} -"),
    ] {
        assert!(show.contains(needle), "missing {needle:?} in:\n{show}");
    }
    let detail = env.json(&["show", LEGACY]);
    assert_eq!(
        detail["last_answer"],
        "It runs cargo build in release mode."
    );
    assert_eq!(detail["prompts"][0], "Explain the build script");
    assert_eq!(detail["created"], "2025-06-20T13:20:47.060Z");

    // The truncated line was not consumed: only the complete prompt counts.
    assert_eq!(env.json(&["show", TRUNCATED])["prompt_count"], 1);
    assert_eq!(
        env.json(&["show", META_ONLY])["task_summary"],
        "Codex session"
    );

    // Ambiguous prefix: exit 2 with candidates; unknown id: exit 2 with a clear message.
    let amb = env.client(&["show", "019c"]);
    assert_eq!(amb.code, 2, "{}", amb.stderr);
    assert!(
        amb.stderr.contains("matches") && amb.stderr.contains("Candidates:"),
        "{}",
        amb.stderr
    );
    // Candidates carry full ids, which `show` takes back as they are.
    assert!(amb.stderr.contains(A), "{}", amb.stderr);
    let unknown = env.client(&["show", "ffffffff"]);
    assert_eq!(unknown.code, 2);
    assert!(
        unknown.stderr.contains("no session matches 'ffffffff'"),
        "{}",
        unknown.stderr
    );

    // The registry exists, is jq-compatible in shape, and lists every session.
    let reg: serde_json::Value = wait_for("the registry", || {
        std::fs::read(env.registry())
            .ok()
            .and_then(|b| serde_json::from_slice(&b).ok())
    });
    assert_eq!(reg["version"], "1.0.0");
    let first = &reg["sessions"][0];
    for key in ["id", "task_summary", "keywords", "last_used", "status"] {
        assert!(
            first.get(key).is_some(),
            "registry entry lacks {key}: {first}"
        );
    }
    assert_eq!(reg["sessions"].as_array().unwrap().len(), 8);
}

#[test]
fn second_daemon_is_refused_and_sigterm_is_clean() {
    let mut env = Env::new();
    env.start_daemon();
    let pid = env.daemon.as_ref().unwrap().id();
    let second = env
        .daemon_cmd()
        .stderr(std::process::Stdio::piped())
        .output()
        .unwrap();
    assert_ne!(second.status.code(), Some(0));
    let err = String::from_utf8_lossy(&second.stderr);
    assert!(
        err.contains(&format!("codexd already running (pid {pid})")),
        "{err}"
    );
    assert!(
        env.socket.exists(),
        "the refused daemon must not remove the live socket"
    );

    let mut child = env.daemon.take().unwrap();
    signal(&child, "TERM");
    let status = wait_for("the daemon to exit", || child.try_wait().unwrap());
    assert!(status.success(), "exit status {status}");
    assert!(!env.socket.exists(), "socket left behind");
    assert!(env.registry().exists(), "registry flushed at shutdown");
}

#[test]
fn client_starts_the_daemon_when_needed() {
    let env = Env::new();
    env.session(
        A,
        "2026-02-23T12-40-23",
        "2026-02-23T11:40:23.298Z",
        "/home/u/proj",
        "Fix the flaky login test",
    );
    let r = env.client(&["list"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stdout.contains("Fix the flaky login test"),
        "{}",
        r.stdout
    );
    assert!(
        !r.stderr.contains("direct scan"),
        "should have used the daemon: {}",
        r.stderr
    );
    let status = env.json(&["--no-autostart", "status"]);
    assert!(status["pid"].as_u64().unwrap() > 0);
    assert_eq!(status["sessions"], 1);
}

#[test]
fn falls_back_to_a_direct_scan_without_a_daemon_binary() {
    let env = Env::new();
    env.session(
        A,
        "2026-02-23T12-40-23",
        "2026-02-23T11:40:23.298Z",
        "/home/u/proj",
        "Fix the flaky login test",
    );
    let out = env
        .client_cmd(&["show", "019c8a4c"])
        .env("CODEXD_BIN", "/nonexistent/codexd")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert!(
        stderr.contains("warning: codexd daemon unreachable"),
        "{stderr}"
    );
    assert!(stdout.contains("Fix the flaky login test"), "{stdout}");
    assert!(!env.socket.exists(), "no daemon should have been started");
    // The first command built the registry, as the original command did.
    assert!(env.registry().exists());
}

#[test]
fn an_older_daemon_is_replaced() {
    use std::io::{BufRead, BufReader, Write};
    use std::os::unix::fs::PermissionsExt;
    let env = Env::new();
    env.session(
        A,
        "2026-02-23T12-40-23",
        "2026-02-23T11:40:23.298Z",
        "/home/u/proj",
        "Fix the flaky login test",
    );
    // A fake daemon that speaks protocol 0 and honours shutdown.
    let dir = env.socket.parent().unwrap();
    std::fs::create_dir_all(dir).unwrap();
    std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700)).unwrap();
    let listener = std::os::unix::net::UnixListener::bind(&env.socket).unwrap();
    let socket = env.socket.clone();
    let fake = std::thread::spawn(move || {
        for stream in listener.incoming() {
            let mut s = stream.unwrap();
            let mut line = String::new();
            BufReader::new(&s).read_line(&mut line).unwrap();
            if line.contains("\"shutdown\":{") {
                let _ = s.write_all(b"{\"id\":1,\"ok\":{}}\n");
                std::fs::remove_file(&socket).unwrap();
                return true;
            }
            let _ = s.write_all(
                b"{\"hello\":{\"program\":\"codexd\",\"version\":\"0.0.1\",\"protocol\":0}}\n",
            );
        }
        false
    });
    let r = env.client(&["list"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stdout.contains("Fix the flaky login test"),
        "{}",
        r.stdout
    );
    assert!(!r.stderr.contains("direct scan"), "{}", r.stderr);
    assert!(fake.join().unwrap(), "the old daemon was not asked to stop");
    assert_eq!(
        env.json(&["status"])["protocol"],
        codexd_proto::PROTOCOL_VERSION
    );
}

#[test]
fn a_registry_written_by_the_bash_tool_is_honoured() {
    let mut env = Env::new();
    let path = env.session(
        A,
        "2026-02-23T12-40-23",
        "2026-02-23T11:40:23.298Z",
        "/home/u/proj",
        "Fix the flaky login test",
    );
    // The file was last written at 11:58:02.4; the bash tool recorded 11:58:02 and archived it.
    let t = std::time::SystemTime::UNIX_EPOCH + std::time::Duration::from_millis(1_771_847_882_400);
    std::fs::File::options()
        .write(true)
        .open(&path)
        .unwrap()
        .set_modified(t)
        .unwrap();
    std::fs::write(
        env.registry(),
        format!(
            r#"{{"version":"1.0.0","sessions":[{{"id":"{A}","task_summary":"Fix the flaky login test","keywords":["flaky","login","test"],"last_used":"2026-02-23T11:58:02Z","status":"archived"}}]}}"#
        ),
    )
    .unwrap();
    env.start_daemon();
    let s = env.json(&["show", A]);
    assert_eq!(s["status"], "archived", "{s:#}");
    assert_eq!(s["status_set_by_user"], true);
    // Rewritten in codexd's shape, still readable by the bash tool's jq filters.
    wait_for("codexd's registry", || {
        std::fs::read_to_string(env.registry())
            .ok()
            .filter(|t| t.contains("\"schema\""))
    });
    let out = std::process::Command::new("jq")
        .arg("-r")
        .arg(r#".sessions[] | "[\(.status)] \(.id[0:8])... - \(.task_summary) (Last used: \(.last_used))""#)
        .arg(env.registry())
        .output();
    if let Ok(out) = out {
        let text = String::from_utf8_lossy(&out.stdout);
        assert_eq!(
            text.trim(),
            "[archived] 019c8a4c... - Fix the flaky login test (Last used: 2026-02-23T11:58:02Z)"
        );
    }
}

#[test]
fn asking_a_daemon_about_another_home_warns() {
    let mut env = Env::new();
    env.start_daemon();
    let other = env.dir.path().join("other-home");
    std::fs::create_dir_all(&other).unwrap();
    let out = env
        .client_cmd(&["list"])
        .env("CODEX_HOME", &other)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("the daemon on this socket indexes"),
        "{stderr}"
    );
    let same = env.client(&["list"]);
    assert!(!same.stderr.contains("indexes"), "{}", same.stderr);
}
