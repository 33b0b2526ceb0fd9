//! What `/codex` needs from codexd, end to end over the real binaries: the sessions it creates
//! (`codex exec`) are found again, printed ids are usable, running sessions and sessions whose
//! directory is gone are never resumed, and answers carry what a reader needs to judge.

use crate::common;

use std::fs;

use common::{Env, lines};

/// Sessions started within the same minute share their first 8 hex digits (UUIDv7).
const EXEC: &str = "019c8a4c-ed82-79a1-aa28-7738fc5ab61a";
const SAME_MINUTE: &str = "019c8a4c-f013-7c00-8000-0000000000aa";
const SUBAGENT: &str = "019c8a4d-0000-7000-8000-0000000000bb";
const GONE: &str = "019c8a4e-0000-7000-8000-0000000000cc";

fn project(env: &Env, name: &str) -> String {
    let dir = env.dir.path().join("work").join(name);
    fs::create_dir_all(&dir).unwrap();
    dir.display().to_string()
}

/// A `codex exec` session as 0.169 writes it (source `exec`, originator `codex_exec`), with the
/// answer Codex gave.
fn exec_session(id: &str, ts: &str, cwd: &str, prompt: &str, answer: &str) -> String {
    let meta = lines::meta(id, ts, cwd, "exec").replace("codex_cli_rs", "codex_exec");
    let answer = serde_json::to_string(answer).unwrap();
    [
        meta,
        lines::turn(ts, cwd),
        lines::user(ts, prompt),
        format!(
            r#"{{"timestamp":"{ts}","type":"event_msg","payload":{{"type":"agent_message","message":"Looking at the parser first."}}}}"#
        ),
        format!(
            r#"{{"timestamp":"{ts}","type":"event_msg","payload":{{"type":"task_complete","turn_id":"t1","last_agent_message":{answer}}}}}"#
        ),
    ]
    .join("\n")
        + "\n"
}

fn fixture(env: &Env) -> (String, String) {
    let parser = project(env, "tomlparse");
    let site = project(env, "site");
    env.write(
        &lines::rollout_path(false, "2026-11-20T10-00-00", EXEC),
        exec_session(
            EXEC,
            "2026-11-20T10:00:00.000Z",
            &parser,
            "Make the toml parser accept dotted keys in inline tables",
            "Dotted keys now parse inside inline tables; added three tests in tests/inline.rs.",
        )
        .as_bytes(),
    );
    env.session(
        SAME_MINUTE,
        "2026-11-20T10-00-30",
        "2026-11-20T10:00:30.000Z",
        &site,
        "Redesign the pricing page hero section",
    );
    // A sub-agent thread Codex spawned itself: not the person's.
    let sub = lines::session(
        SUBAGENT,
        "2026-11-20T11:00:00.000Z",
        &parser,
        "Review the dotted keys change in the toml parser",
    )
    .replace(
        r#""source":"cli""#,
        r#""source":{"subagent":{"thread_spawn":{"parent_thread_id":"x","depth":1}}}"#,
    );
    env.write(
        &lines::rollout_path(false, "2026-11-20T11-00-00", SUBAGENT),
        sub.as_bytes(),
    );
    env.session(
        GONE,
        "2026-11-19T09-00-00",
        "2026-11-19T09:00:00.000Z",
        &env.dir
            .path()
            .join("deleted-checkout")
            .display()
            .to_string(),
        "Speed up the thumbnail generator with a worker pool",
    );
    (parser, site)
}

#[test]
fn exec_sessions_are_listed_and_routed_and_their_ids_work() {
    let mut env = Env::new();
    let (parser, _) = fixture(&env);
    env.start_daemon();

    let list = env.ok(&["list"]);
    // The exec session is listed and marked; the two same-minute ids are told apart.
    assert!(
        list.contains("019c8a4c-e... - Make the toml parser accept dotted keys in inline tables")
            && list.contains("[exec]"),
        "{list}"
    );
    assert!(
        list.contains("019c8a4c-f... - Redesign the pricing page hero section"),
        "{list}"
    );
    assert!(!list.contains("Review the dotted keys"), "{list}");
    // Every printed id is accepted by `show`.
    for printed in ["019c8a4c-e...", "019c8a4c-f"] {
        assert!(
            env.json(&["show", printed])["id"]
                .as_str()
                .unwrap()
                .starts_with(printed.trim_end_matches('.')),
            "{printed}"
        );
    }
    // `--all` still shows Codex's own threads.
    let all = env.json(&["list", "--all"]);
    let sub = all
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["id"] == SUBAGENT)
        .expect("sub-agent thread in --all");
    assert_eq!(sub["user_started"], false);

    // The last answer is in `show`, text and JSON.
    let detail = env.json(&["show", EXEC]);
    assert_eq!(
        detail["last_answer"],
        "Dotted keys now parse inside inline tables; added three tests in tests/inline.rs."
    );
    assert_eq!(detail["short_id"], "019c8a4c-e");
    assert!(
        env.ok(&["show", EXEC])
            .contains("Last answer:\n    Dotted keys now parse")
    );

    // A follow-up from an unrelated directory resumes the exec session, with -C.
    let r = env.json(&[
        "route",
        "dotted keys in inline tables: also support quoted segments in the toml parser",
        "--cwd",
        "/",
    ]);
    assert_eq!(r["decision"], "resume", "{r:#}");
    assert_eq!(r["session"], EXEC);
    assert_eq!(
        r["command"],
        format!(
            "codex exec -C {parser} resume {EXEC} 'dotted keys in inline tables: also support quoted segments in the toml parser'"
        )
    );
    let c = &r["candidates"][0];
    assert_eq!(c["id"], EXEC);
    assert_eq!(
        c["first_prompt"],
        "Make the toml parser accept dotted keys in inline tables"
    );
    assert!(
        c["last_answer"]
            .as_str()
            .unwrap()
            .starts_with("Dotted keys")
    );
    assert_eq!(c["git_branch"], "main");
    assert_eq!(c["running"], false);
    assert_eq!(c["cwd_exists"], true);
    for key in ["margin", "confirm", "confidence"] {
        assert!(r.get(key).is_some(), "route lacks {key}: {r:#}");
    }

    // Ambiguity answers list full ids, in text and JSON.
    let amb = env.client(&["show", "019c8a4c"]);
    assert_eq!(amb.code, 2);
    assert!(
        amb.stderr.contains(EXEC) && amb.stderr.contains(SAME_MINUTE),
        "{}",
        amb.stderr
    );
}

#[test]
fn a_session_whose_directory_is_gone_is_never_resumed() {
    let mut env = Env::new();
    fixture(&env);
    env.start_daemon();
    let r = env.json(&[
        "route",
        "the thumbnail generator worker pool is still slow",
        "--cwd",
        "/",
    ]);
    assert_eq!(r["decision"], "new", "{r:#}");
    assert!(
        r["reason"].as_str().unwrap().contains("no longer exists"),
        "{r:#}"
    );
    assert_eq!(r["confirm"], true);
    assert_eq!(r["candidates"][0]["id"], GONE);
    assert_eq!(r["candidates"][0]["cwd_exists"], false);
}

#[test]
fn a_running_session_is_reported_and_never_resumed() {
    let mut env = Env::new();
    let (parser, _) = fixture(&env);
    env.start_daemon();
    let prompt = "dotted keys in inline tables: also support quoted segments in the toml parser";
    assert_eq!(env.json(&["route", prompt])["session"], EXEC);

    // A Codex process holds the thread's writer lock.
    let locks = env.home.join("thread-writer-locks");
    fs::create_dir_all(&locks).unwrap();
    let lock = fs::File::create(locks.join(format!("{EXEC}.lock"))).unwrap();
    lock.lock().unwrap();

    let show = env.json(&["show", EXEC]);
    assert_eq!(show["status"], "running", "{show:#}");
    assert!(
        env.ok(&["list"])
            .contains("Running Sessions:\n[running] 019c8a4c-e...")
    );
    let r = env.json(&["route", prompt, "--cwd", &parser]);
    assert_eq!(r["decision"], "new", "{r:#}");
    assert_eq!(r["confirm"], true);
    assert!(
        r["reason"]
            .as_str()
            .unwrap()
            .contains("open in another Codex process")
    );
    assert_eq!(
        r["queue_command"],
        format!("codex queue --thread {EXEC} --message '{prompt}'")
    );
    assert_eq!(r["candidates"][0]["running"], true);
    // The registry never records `running`.
    env.sync();
    let reg: serde_json::Value =
        serde_json::from_slice(&fs::read(env.registry()).unwrap()).unwrap();
    assert!(
        reg["sessions"]
            .as_array()
            .unwrap()
            .iter()
            .all(|s| s["status"] != "running"),
        "{reg:#}"
    );
    // set-status refuses it.
    let set = env.client(&["set-status", EXEC, "running"]);
    assert_ne!(set.code, 0, "{}", set.stdout);

    // The process exits (the kernel drops the lock; the file may stay behind). A child another
    // test thread is forking right now may hold the descriptor until its exec: poll.
    drop(lock);
    common::wait_for("the lock to be released", || {
        (env.json(&["show", EXEC])["status"] != "running").then_some(())
    });
    assert_eq!(env.json(&["route", prompt])["decision"], "resume");
}

#[test]
fn an_open_turn_written_just_now_is_running() {
    let mut env = Env::new();
    let dir = project(&env, "api");
    const OPEN: &str = "019c8a4f-0000-7000-8000-0000000000dd";
    let text = [
        lines::meta(OPEN, "2026-11-21T10:00:00.000Z", &dir, "cli"),
        lines::turn("2026-11-21T10:00:00.000Z", &dir),
        lines::user(
            "2026-11-21T10:00:01.000Z",
            "Add rate limiting to the api gateway",
        ),
    ]
    .join("\n")
        + "\n";
    // Written now (mtime = now), turn not finished: a Codex is working on it.
    env.write(
        &lines::rollout_path(false, "2026-11-21T10-00-00", OPEN),
        text.as_bytes(),
    );
    env.start_daemon();
    assert_eq!(env.json(&["show", OPEN])["status"], "running");
    let r = env.json(&[
        "route",
        "rate limiting in the api gateway: add per-user quotas",
    ]);
    assert_eq!(r["decision"], "new", "{r:#}");
    assert_eq!(r["candidates"][0]["id"], OPEN);
}
