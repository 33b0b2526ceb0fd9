//! Issue 5: the table follows the disk while the daemon runs — appends, new directories,
//! archive moves, deletion, compression, renames of threads, queue overflow, a CODEX_HOME
//! created late — and user-set state survives crashes and corrupt registries.

use crate::common;

use std::fs;

use common::{Env, lines, signal, wait_for};
use serde_json::Value;

const A: &str = "019c8a4c-ed82-79a1-aa28-7738fc5ab61a";
const B: &str = "019c8a4d-0000-7000-8000-00000000000b";

fn ids(env: &Env) -> Vec<String> {
    env.json(&["list", "--all"])
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["id"].as_str().unwrap().to_owned())
        .collect()
}

fn show(env: &Env, id: &str) -> Option<Value> {
    let r = env.client(&["--no-autostart", "show", id, "--json"]);
    (r.code == 0).then(|| serde_json::from_str(&r.stdout).unwrap())
}

#[test]
fn appends_new_dirs_moves_deletes_and_compression_are_followed() {
    let mut env = Env::new();
    env.start_daemon();

    // A new day directory and a file in it right away (the new-directory race).
    let rel = lines::rollout_path(false, "2027-01-01T10-00-00", A);
    let path = env.write(
        &rel,
        lines::session(A, "2027-01-01T09:00:00.000Z", "/p", "first prompt here").as_bytes(),
    );
    wait_for("the new session", || show(&env, A));

    // An appended prompt shows up without any explicit sync.
    env.append(
        &path,
        (lines::user("2027-01-01T09:10:00.000Z", "second prompt here") + "\n").as_bytes(),
    );
    wait_for("the appended prompt", || {
        show(&env, A).filter(|d| d["prompt_count"] == 2)
    });

    // A partial line is not consumed until its newline arrives.
    let third = lines::user("2027-01-01T09:20:00.000Z", "third prompt here");
    let (head, tail) = third.split_at(third.len() / 2);
    env.append(&path, head.as_bytes());
    env.sync();
    assert_eq!(show(&env, A).unwrap()["prompt_count"], 2);
    env.append(&path, format!("{tail}\n").as_bytes());
    wait_for("the completed line", || {
        show(&env, A).filter(|d| d["prompt_count"] == 3)
    });

    // Archive: a rename into archived_sessions/ — one session, now archived.
    let archived = env
        .home
        .join("archived_sessions")
        .join(path.file_name().unwrap());
    fs::create_dir_all(archived.parent().unwrap()).unwrap();
    fs::rename(&path, &archived).unwrap();
    wait_for("the archive move", || {
        show(&env, A).filter(|d| d["status"] == "archived")
    });
    assert_eq!(ids(&env), vec![A.to_owned()]);

    // Compression: .jsonl.zst written, plain removed — still one session, same prompts.
    let plain = fs::read(&archived).unwrap();
    let zst = archived.with_file_name(format!(
        "{}.zst",
        archived.file_name().unwrap().to_str().unwrap()
    ));
    fs::write(&zst, zstd::encode_all(&plain[..], 3).unwrap()).unwrap();
    fs::remove_file(&archived).unwrap();
    wait_for("the compressed file", || {
        show(&env, A).filter(|d| d["path"].as_str().unwrap().ends_with(".zst"))
    });
    assert_eq!(show(&env, A).unwrap()["prompt_count"], 3);
    assert_eq!(ids(&env), vec![A.to_owned()]);

    // Deletion: gone, no ghost.
    fs::remove_file(&zst).unwrap();
    wait_for("the deletion", || show(&env, A).is_none().then_some(()));
    assert!(ids(&env).is_empty());
}

#[test]
fn thread_names_follow_session_index() {
    let mut env = Env::new();
    env.write(
        &lines::rollout_path(false, "2027-01-01T10-00-00", A),
        lines::session(A, "2027-01-01T09:00:00.000Z", "/p", "first prompt here").as_bytes(),
    );
    env.start_daemon();
    let index = env.write("session_index.jsonl", format!("{{\"id\":\"{A}\",\"thread_name\":\"Login work\",\"updated_at\":\"2027-01-01T10:00:00Z\"}}\n").as_bytes());
    wait_for("the name", || {
        show(&env, A).filter(|d| d["title"] == "Login work")
    });
    // `show` by exact name works too.
    assert_eq!(env.json(&["show", "Login work"])["id"], A);
    // Rewritten smaller without the entry (codex delete): the name is gone.
    fs::write(&index, b"").unwrap();
    wait_for("the name to clear", || {
        show(&env, A).filter(|d| d["title"] == "first prompt here")
    });
}

#[test]
fn overflowing_the_event_queue_still_converges() {
    let mut env = Env::new();
    env.start_daemon();
    let child = env.daemon.as_ref().unwrap();
    signal(child, "STOP");
    // Far more events than inotify's default queue (16384) while the daemon cannot read them.
    let n = 6000;
    for i in 0..n {
        let id = format!("019c0000-0000-7000-8000-{i:012x}");
        let rel = lines::rollout_path(
            false,
            &format!("2026-{:02}-{:02}T10-00-00", 1 + i % 12, 1 + i % 28),
            &id,
        );
        env.write(
            &rel,
            lines::session(&id, "2026-01-01T09:00:00.000Z", "/p", "bulk prompt").as_bytes(),
        );
    }
    signal(env.daemon.as_ref().unwrap(), "CONT");
    wait_for("all sessions", || (ids(&env).len() == n).then_some(()));
}

#[test]
fn codex_home_created_after_the_daemon_starts() {
    let mut env = Env::new();
    fs::remove_dir_all(&env.home).unwrap();
    env.start_daemon();
    wait_for("the watcher to wait", || {
        (env.json(&["status"])["watcher"] == "waiting for CODEX_HOME").then_some(())
    });
    env.write(
        &lines::rollout_path(false, "2027-01-01T10-00-00", A),
        lines::session(A, "2027-01-01T09:00:00.000Z", "/p", "late home").as_bytes(),
    );
    wait_for("the late session", || show(&env, A));
    // CODEX_HOME deleted and re-created while running.
    fs::remove_dir_all(&env.home).unwrap();
    wait_for("the table to empty", || {
        show(&env, A).is_none().then_some(())
    });
    env.write(
        &lines::rollout_path(false, "2027-01-02T10-00-00", B),
        lines::session(B, "2027-01-02T09:00:00.000Z", "/p", "new home").as_bytes(),
    );
    wait_for("the re-created home", || show(&env, B));
}

#[test]
fn user_status_survives_kill_and_corrupt_registry_is_moved_aside() {
    let mut env = Env::new();
    env.write(
        &lines::rollout_path(false, "2027-01-01T10-00-00", A),
        lines::session(A, "2027-01-01T09:00:00.000Z", "/p", "keep me archived").as_bytes(),
    );
    env.write(
        &lines::rollout_path(false, "2027-01-02T10-00-00", B),
        lines::session(B, "2027-01-02T09:00:00.000Z", "/p", "other").as_bytes(),
    );
    env.start_daemon();
    env.ok(&["set-status", A, "completed"]);
    env.ok(&["set-status", B, "failed"]);
    let mut child = env.daemon.take().unwrap();
    signal(&child, "KILL");
    child.wait().unwrap();

    env.start_daemon();
    assert_eq!(show(&env, A).unwrap()["status"], "completed");
    assert_eq!(show(&env, B).unwrap()["status"], "failed");
    let reg: Value = serde_json::from_slice(&fs::read(env.registry()).unwrap()).unwrap();
    let a = reg["sessions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["id"] == A)
        .unwrap();
    assert_eq!(a["status_source"], "user");

    // A corrupt registry: moved aside, rebuilt, daemon up.
    let mut child = env.daemon.take().unwrap();
    signal(&child, "TERM");
    child.wait().unwrap();
    fs::write(
        env.registry(),
        b"{\"version\": \"1.0.0\", \"sessions\": [ {oops",
    )
    .unwrap();
    env.start_daemon();
    wait_for("the rebuilt registry", || {
        fs::read(env.registry())
            .ok()
            .and_then(|b| serde_json::from_slice::<Value>(&b).ok())
            .filter(|v| v["sessions"].as_array().is_some_and(|s| s.len() == 2))
    });
    let aside: Vec<_> = fs::read_dir(&env.home)
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| {
            e.file_name()
                .to_string_lossy()
                .starts_with("claude-sessions.json.corrupt-")
        })
        .collect();
    assert_eq!(aside.len(), 1);
    assert!(
        env.daemon_log().contains("moved aside"),
        "{}",
        env.daemon_log()
    );
}

fn search_ids(env: &Env, q: &str) -> Vec<String> {
    env.json(&["search", q])["hits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["id"].as_str().unwrap().to_owned())
        .collect()
}

#[test]
fn warm_restart_reads_only_what_changed() {
    let mut env = Env::new();
    let mut paths = Vec::new();
    for i in 0..20 {
        let id = format!("019c0000-0000-7000-8000-{i:012x}");
        paths.push(
            env.write(
                &lines::rollout_path(false, "2026-05-01T10-00-00", &id),
                lines::session(
                    &id,
                    "2026-05-01T09:00:00.000Z",
                    "/p",
                    &format!("prompt number {i}"),
                )
                .as_bytes(),
            ),
        );
    }
    env.start_daemon();
    // `search` waits for the route index, so the shutdown below saves it with the table.
    env.ok(&["search", "prompt"]);
    let mut child = env.daemon.take().unwrap();
    signal(&child, "TERM");
    child.wait().unwrap();

    // While it is down: one session grows, one disappears.
    env.append(
        &paths[3],
        (lines::user("2026-05-01T09:30:00.000Z", "added while stopped") + "\n").as_bytes(),
    );
    fs::remove_file(&paths[4]).unwrap();
    env.start_daemon();
    let log = wait_for("the first scan", || {
        Some(env.daemon_log()).filter(|l| l.contains("initial scan done"))
    });
    assert!(
        log.contains("cached=20") && log.contains("read=1 "),
        "{log}"
    );
    assert_eq!(
        show(&env, "019c0000-0000-7000-8000-000000000003").unwrap()["prompt_count"],
        2
    );
    assert!(show(&env, "019c0000-0000-7000-8000-000000000004").is_none());
    assert_eq!(ids(&env).len(), 19);

    // The route index came from the cache too, corrected where the table changed: the grown
    // session is found by its new words, the deleted one is not found at all.
    assert_eq!(
        search_ids(&env, "stopped"),
        vec!["019c0000-0000-7000-8000-000000000003"]
    );
    assert!(
        !search_ids(&env, "prompt number")
            .contains(&"019c0000-0000-7000-8000-000000000004".to_owned())
    );
    assert_eq!(search_ids(&env, "prompt number").len(), 19);
    let log = env.daemon_log();
    assert!(
        log.contains("route index loaded from cache stale=1 gone=1"),
        "{log}"
    );
    let status = env.json(&["status"]);
    assert_eq!(status["stage"], "ready");
    assert!(
        status["route_index"]
            .as_str()
            .is_some_and(|s| s.starts_with("loaded from cache in ")),
        "{status:#}"
    );
    assert!(status["memory_bytes"].as_u64().is_some_and(|m| m > 1 << 20));

    // A damaged route cache costs a rebuild, nothing else.
    let mut child = env.daemon.take().unwrap();
    signal(&child, "TERM");
    child.wait().unwrap();
    let cache_dir = env.dir.path().join("cache");
    let route_file = fs::read_dir(&cache_dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| {
            p.file_name()
                .unwrap()
                .to_string_lossy()
                .starts_with("route-")
        })
        .expect("the route index was cached");
    let mut bytes = fs::read(&route_file).unwrap();
    let len = bytes.len();
    bytes[len / 2..].fill(0xff);
    fs::write(&route_file, bytes).unwrap();
    env.start_daemon();
    assert_eq!(search_ids(&env, "prompt number").len(), 19);
    let log = env.daemon_log();
    assert!(!log.contains("loaded from cache"), "{log}");
    assert!(
        env.json(&["status"])["route_index"]
            .as_str()
            .is_some_and(|s| s.starts_with("rebuilt in ")),
    );
}

#[test]
fn whole_directories_moving_out_and_back_are_followed() {
    let mut env = Env::new();
    env.session(
        A,
        "2027-03-04T10-00-00",
        "2027-03-04T09:00:00.000Z",
        "/p",
        "day directory test",
    );
    env.session(
        B,
        "2027-03-05T10-00-00",
        "2027-03-05T09:00:00.000Z",
        "/p",
        "another day",
    );
    env.start_daemon();
    wait_for("both sessions", || (ids(&env).len() == 2).then_some(()));
    // Move a whole month out of sessions/ (one rename event for the directory).
    let month = env.home.join("sessions/2027/03");
    let parked = env.dir.path().join("parked-month");
    fs::rename(&month, &parked).unwrap();
    wait_for("the month to disappear", || {
        ids(&env).is_empty().then_some(())
    });
    // And back: files inside a moved-in directory produce no events of their own.
    fs::rename(&parked, &month).unwrap();
    wait_for("the month to come back", || {
        (ids(&env).len() == 2).then_some(())
    });
    assert_eq!(show(&env, A).unwrap()["task_summary"], "day directory test");
}
