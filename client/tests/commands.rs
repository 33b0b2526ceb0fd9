//! Issues 6, 7, 10: every client command end to end over the real socket.

use crate::common;

use std::fs;

use codexd_proto::SessionSummary;
use common::{Env, age, lines, set_mtime};

const LOGIN: &str = "019c8a4c-ed82-79a1-aa28-7738fc5ab61a";
const INVOICE: &str = "019c8a4d-0000-7000-8000-00000000000b";
const LOGIN_OTHER_REPO: &str = "019c8a4e-0000-7000-8000-00000000000c";
const OLD_FAILED: &str = "019b0000-0000-7000-8000-00000000000d";

/// A project directory of the fixture's person, inside the test's temp dir (it must exist:
/// `route` never resumes a session whose directory is gone).
fn u(env: &Env, project: &str) -> String {
    let dir = env.dir.path().join("u").join(project);
    fs::create_dir_all(&dir).unwrap();
    dir.display().to_string()
}

fn fixture(env: &Env) {
    let a = env.write(
        &lines::rollout_path(false, "2026-11-20T10-00-00", LOGIN),
        lines::session(
            LOGIN,
            "2026-11-20T09:00:00.000Z",
            &u(env, "webapp"),
            "Fix the flaky login test in the authentication service",
        )
        .as_bytes(),
    );
    age(&a, 3600);
    let b = env.write(
        &lines::rollout_path(false, "2026-11-21T10-00-00", INVOICE),
        lines::session(
            INVOICE,
            "2026-11-21T09:00:00.000Z",
            &u(env, "billing"),
            "Migrate the postgres schema for invoices",
        )
        .as_bytes(),
    );
    age(&b, 7200);
    let c = env.write(
        &lines::rollout_path(false, "2026-11-22T10-00-00", LOGIN_OTHER_REPO),
        lines::session(
            LOGIN_OTHER_REPO,
            "2026-11-22T09:00:00.000Z",
            &u(env, "mobile"),
            "Fix the flaky login test in the authentication service",
        )
        .as_bytes(),
    );
    age(&c, 1800);
    let text = [
        lines::meta(
            OLD_FAILED,
            "2025-01-01T09:00:00.000Z",
            &u(env, "old"),
            "cli",
        ),
        lines::turn("2025-01-01T09:00:00.000Z", &u(env, "old")),
        lines::user("2025-01-01T09:00:01.000Z", "Port the build to bazel"),
        lines::aborted("2025-01-01T09:05:00.000Z"),
    ]
    .join("\n")
        + "\n";
    let d = env.write(
        &lines::rollout_path(false, "2025-01-01T10-00-00", OLD_FAILED),
        text.as_bytes(),
    );
    set_mtime(&d, "2025-01-01T09:05:00Z");
}

#[test]
fn route_resumes_the_right_session_or_starts_new() {
    let mut env = Env::new();
    fixture(&env);
    env.start_daemon();

    // Same words in two repos: the caller's directory decides.
    let r = env.json(&[
        "route",
        "the login test is flaky again, fix it",
        "--cwd",
        &u(&env, "webapp"),
    ]);
    assert_eq!(r["decision"], "resume", "{r:#}");
    assert_eq!(r["session"], LOGIN);
    assert!(r["confidence"].as_f64().unwrap() > 0.5);
    assert_eq!(
        r["command"],
        format!(
            "codex exec -C {} resume {LOGIN} 'the login test is flaky again, fix it'",
            u(&env, "webapp")
        )
    );
    assert_eq!(r["cwd"], u(&env, "webapp"));
    let r = env.json(&[
        "route",
        "the login test is flaky again, fix it",
        "--cwd",
        &u(&env, "mobile"),
    ]);
    assert_eq!(r["session"], LOGIN_OTHER_REPO, "{r:#}");

    // Prefix and stemming: "auth" finds "authentication".
    let r = env.json(&[
        "route",
        "auth flakiness in login tests",
        "--cwd",
        &u(&env, "webapp"),
    ]);
    assert_eq!(r["session"], LOGIN, "{r:#}");

    // Something unrelated starts a new session.
    let r = env.json(&[
        "route",
        "write a haskell parser for toml files",
        "--cwd",
        &u(&env, "webapp"),
    ]);
    assert_eq!(r["decision"], "new", "{r:#}");
    assert_eq!(
        r["command"],
        format!(
            "codex exec -C {} 'write a haskell parser for toml files'",
            u(&env, "webapp")
        )
    );

    // Text output: decision line, the command, alternatives.
    let text = env.ok(&[
        "route",
        "migrate the invoices schema",
        "--cwd",
        &u(&env, "billing"),
    ]);
    assert!(
        text.starts_with(&format!(
            "resume {INVOICE} \"Migrate the postgres schema for invoices\" (confidence "
        )),
        "{text}"
    );
    assert!(
        text.contains(&format!(
            "codex exec -C {} resume {INVOICE} 'migrate the invoices schema'",
            u(&env, "billing")
        )),
        "{text}"
    );
}

#[test]
fn search_list_json_build_cleanup_and_set_status() {
    let mut env = Env::new();
    fixture(&env);
    env.start_daemon();

    // search: ranked, prefixes match.
    let hits = env.json(&["search", "auth"]);
    let ids: Vec<&str> = hits["hits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids.len(), 2, "{hits:#}");
    assert!(ids.contains(&LOGIN) && ids.contains(&LOGIN_OTHER_REPO));
    assert!(env.ok(&["search", "bazel"]).contains(OLD_FAILED));

    // list --json round-trips through the wire type; filters work.
    let listed: Vec<SessionSummary> = serde_json::from_str(&env.ok(&["list", "--json"])).unwrap();
    assert_eq!(listed.len(), 4);
    assert_eq!(listed[0].id, LOGIN_OTHER_REPO, "newest first");
    let failed: Vec<SessionSummary> =
        serde_json::from_str(&env.ok(&["list", "--json", "--status", "failed"])).unwrap();
    assert_eq!(
        failed.iter().map(|s| s.id.as_str()).collect::<Vec<_>>(),
        vec![OLD_FAILED]
    );
    let in_billing: Vec<SessionSummary> =
        serde_json::from_str(&env.ok(&["list", "--json", "--cwd", &u(&env, "billing")])).unwrap();
    assert_eq!(in_billing.len(), 1);
    let limited = env.ok(&["list", "--limit", "1"]);
    assert!(
        limited.contains("(3 more not shown; raise --limit)"),
        "{limited}"
    );

    // build: the original report.
    let build = env.ok(&["build"]);
    assert!(build.contains("Found 4 Codex CLI sessions"), "{build}");
    assert!(build.contains("- Session 019b0000... - Task: \"Port the build to bazel\" - Keywords: [port, build, bazel]"), "{build}");
    assert!(
        build.contains("✓ Built routing table with 4 sessions"),
        "{build}"
    );
    assert!(
        build.contains(&format!(
            "✓ Registry saved to: {}",
            env.registry().display()
        )),
        "{build}"
    );

    // cleanup --dry-run changes nothing; cleanup archives the failed one; set-status undoes it.
    let before = fs::read(env.registry()).unwrap();
    let dry = env.ok(&["cleanup", "--dry-run"]);
    assert!(
        dry.contains("Sessions eligible for cleanup:")
            && dry.contains("[failed] 019b0000... - Port the build to bazel"),
        "{dry}"
    );
    assert!(
        dry.contains("Dry run: 1 sessions would be archived; nothing changed."),
        "{dry}"
    );
    assert_eq!(
        fs::read(env.registry()).unwrap(),
        before,
        "dry run wrote the registry"
    );
    let real = env.ok(&["cleanup"]);
    assert!(
        real.contains("Sessions archived. Registry updated."),
        "{real}"
    );
    assert!(
        real.contains("codexd-client set-status <id> active"),
        "{real}"
    );
    assert_ne!(fs::read(env.registry()).unwrap(), before);
    assert_eq!(env.json(&["show", OLD_FAILED])["status"], "archived");
    let reg: serde_json::Value =
        serde_json::from_slice(&fs::read(env.registry()).unwrap()).unwrap();
    let entry = reg["sessions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["id"] == OLD_FAILED)
        .unwrap();
    assert_eq!(entry["status"], "archived");
    assert_eq!(entry["status_source"], "user");
    let undo = env.ok(&["set-status", "019b0000", "active"]);
    assert_eq!(undo, format!("{OLD_FAILED}: archived → active\n"));
    assert_eq!(env.json(&["show", OLD_FAILED])["status"], "active");
    let bad = env.client(&["set-status", "nope", "active"]);
    assert_eq!(bad.code, 2);
}

#[test]
fn completions_man_and_install_dry_runs() {
    let env = Env::new();
    let bash = env.ok(&["completions", "bash"]);
    assert!(bash.contains("codexd-client") && bash.contains("route"));
    let man = env.ok(&["man"]);
    assert!(
        man.contains(".TH") && man.contains("codexd\\-client"),
        "{}",
        &man[..200.min(man.len())]
    );

    let home = tempfile::tempdir().unwrap();
    // The daemon is next to the client, or (`cargo test -p codexd-client` alone) in the
    // harness's own build: on PATH either way, as an installed one would be.
    let daemon_dir = common::daemon_bin().parent().unwrap().to_owned();
    let path = std::env::join_paths(std::iter::once(daemon_dir).chain(std::env::split_paths(
        &std::env::var_os("PATH").unwrap_or_default(),
    )))
    .unwrap();
    let run = |args: &[&str]| -> String {
        let out = env
            .client_cmd(args)
            .env("HOME", home.path())
            .env("PATH", &path)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    };
    let dry = run(&["install-slash-commands", "--dry-run"]);
    assert!(
        dry.contains(".claude/commands/codex.md")
            && dry.contains(".claude/commands/codex/sessions.md"),
        "{dry}"
    );
    assert!(!home.path().join(".claude").exists(), "dry run wrote files");
    run(&["install-slash-commands"]);
    let installed =
        fs::read_to_string(home.path().join(".claude/commands/codex/sessions.md")).unwrap();
    assert!(
        dry.contains(&installed),
        "installed file differs from the dry run"
    );
    let again = run(&["install-slash-commands"]);
    assert!(again.contains("unchanged"), "{again}");
    if cfg!(target_os = "linux") {
        let unit = run(&["install-service", "--dry-run"]);
        assert!(
            unit.contains("systemd/user/codexd.service") && unit.contains("Restart=on-failure"),
            "{unit}"
        );
        assert!(
            unit.contains(&common::daemon_bin().display().to_string()),
            "unit must name the real binary: {unit}"
        );
        assert!(!home.path().join(".config/systemd").exists());
    }
}

/// A short prefix can match thousands of sessions: `show` lists the most recent few, says how
/// many matched, and exits 2. A reader that stops early (`| head`) ends the client quietly.
#[test]
fn ambiguous_prefix_lists_the_most_recent_candidates_only() {
    let mut env = Env::new();
    let n = codexd_core::commands::MAX_CANDIDATES + 5;
    for i in 0..n {
        let id = format!("0199aaaa-0000-7000-8000-{i:012}");
        let created = format!("2026-01-01T10:{:02}:00.000Z", i % 60);
        let name_time = format!("2026-01-01T10-{:02}-00", i % 60);
        env.session(
            &id,
            &name_time,
            &created,
            "/w/app",
            &format!("task number {i}"),
        );
    }
    env.start_daemon();

    let r = env.client(&["show", "0199aaaa"]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(
        r.stderr.contains(&format!(
            "matches {n} sessions (the {} most recent are listed)",
            codexd_core::commands::MAX_CANDIDATES
        )),
        "{}",
        r.stderr
    );
    let json = env.client(&["show", "0199aaaa", "--json"]);
    let v: serde_json::Value = serde_json::from_str(&json.stdout).unwrap();
    assert_eq!(
        v["error"]["candidates"].as_array().unwrap().len(),
        codexd_core::commands::MAX_CANDIDATES
    );

    // stdout closed before the client writes: no panic, no "Broken pipe" noise.
    let mut child = env
        .client_cmd(&["show", "0199aaaa", "--json"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
}

/// `build` reports progress to clients whose hello asks for it (interim lines with the files
/// read so far, then the answer), and to no one else.
#[test]
fn build_reports_progress_only_to_clients_that_ask() {
    use std::io::{BufRead, BufReader, Write};
    use std::os::unix::net::UnixStream;

    let mut env = Env::new();
    for i in 0..40 {
        let id = format!("0199bbbb-0000-7000-8000-{i:012}");
        env.session(
            &id,
            "2026-01-02T10-00-00",
            "2026-01-02T10:00:00.000Z",
            "/w/app",
            &format!("task {i}"),
        );
    }
    // Report every millisecond so that even this small build sends some.
    let child = env
        .daemon_cmd()
        .arg("--progress-ms")
        .arg("1")
        .spawn()
        .unwrap();
    env.daemon = Some(child);
    env.wait_ready();
    // Settled: the first scan and the watcher's catch-up scan are over, so the build's is the
    // only scan whose progress can show.
    common::wait_for("the daemon to settle", || {
        let st = env.json(&["status"]);
        (st["watcher"] == "watching" && st["full_scans"].as_u64() >= Some(2)).then_some(())
    });

    let lines_of_build = |capabilities: &str| -> Vec<serde_json::Value> {
        let s = UnixStream::connect(&env.socket).unwrap();
        s.set_read_timeout(Some(std::time::Duration::from_secs(30)))
            .unwrap();
        let mut r = BufReader::new(s.try_clone().unwrap());
        let mut w = s;
        writeln!(
            w,
            r#"{{"hello":{{"program":"test","version":"0","protocol":{},"capabilities":{capabilities}}}}}"#,
            codexd_proto::PROTOCOL_VERSION
        )
        .unwrap();
        writeln!(w, r#"{{"id":7,"build":{{}}}}"#).unwrap();
        let mut hello = String::new();
        r.read_line(&mut hello).unwrap();
        let mut out = Vec::new();
        loop {
            let mut line = String::new();
            r.read_line(&mut line).unwrap();
            let v: serde_json::Value = serde_json::from_str(&line).unwrap();
            let last = v.get("progress").is_none();
            out.push(v);
            if last {
                return out;
            }
        }
    };

    let with = lines_of_build(r#"["build","progress"]"#);
    let (answer, interim) = with.split_last().unwrap();
    assert_eq!(answer["id"], 7);
    assert_eq!(answer["ok"]["sessions"].as_array().unwrap().len(), 40);
    assert!(!interim.is_empty(), "no progress line: {with:?}");
    let mut last_done = 0;
    for p in interim {
        assert_eq!(p["id"], 7);
        assert!(p.get("ok").is_none() && p.get("error").is_none());
        let (done, total) = (
            p["progress"]["done"].as_u64().unwrap(),
            p["progress"]["total"].as_u64().unwrap(),
        );
        assert!(
            done <= total && total == 40 && done >= last_done,
            "{p} in {interim:?}"
        );
        last_done = done;
    }

    let without = lines_of_build(r#"["build"]"#);
    assert_eq!(without.len(), 1, "{without:?}");
    assert!(without[0]["ok"].is_object());

    // And the real client, which asks for progress, prints the report as before.
    assert!(env.ok(&["build"]).contains("40"));
}
