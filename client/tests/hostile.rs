//! Issue 9: the daemon survives malformed and hostile clients, refuses unsafe sockets, and
//! never changes a byte of Codex's files. Set CODEXD_LONG=1 for the 10,000-request version.

use crate::common;

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::os::unix::fs::PermissionsExt;
use std::os::unix::net::UnixStream;
use std::path::Path;
use std::time::Duration;

use common::{Env, lines, signal, wait_for};

const A: &str = "019c8a4c-ed82-79a1-aa28-7738fc5ab61a";

/// A running daemon over a home with session `A`.
fn daemon_with_one_session() -> Env {
    let mut env = Env::new();
    env.session(
        A,
        "2026-11-20T10-00-00",
        "2026-11-20T09:00:00.000Z",
        "/p",
        "hello there",
    );
    env.start_daemon();
    env
}

fn connect(env: &Env) -> (BufReader<UnixStream>, UnixStream) {
    let s = UnixStream::connect(&env.socket).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(20))).unwrap();
    (BufReader::new(s.try_clone().unwrap()), s)
}

fn roundtrip(r: &mut BufReader<UnixStream>, w: &mut UnixStream, line: &[u8]) -> serde_json::Value {
    w.write_all(line).unwrap();
    w.write_all(b"\n").unwrap();
    let mut out = String::new();
    r.read_line(&mut out).unwrap();
    serde_json::from_str(&out).unwrap_or_else(|e| panic!("bad answer {out:?}: {e}"))
}

fn rss_kib(pid: u32) -> u64 {
    let s = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    s.lines()
        .find(|l| l.starts_with("VmRSS:"))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|v| v.parse().ok())
        .unwrap_or(0)
}

#[test]
fn malformed_requests_never_hurt_the_daemon() {
    let env = daemon_with_one_session();
    let pid = env.daemon.as_ref().unwrap().id();
    let n: usize = if std::env::var_os("CODEXD_LONG").is_some() {
        10_000
    } else {
        1_000
    };
    let huge = vec![b'x'; 2 << 20];
    let cases: Vec<Vec<u8>> = vec![
        b"garbage".to_vec(),
        b"{\"id\":1,\"list\":".to_vec(),
        b"{\"id\":\"one\",\"show\":{\"query\":5}}".to_vec(),
        b"{\"id\":2,\"frobnicate\":{}}".to_vec(),
        b"[1,2,3]".to_vec(),
        vec![0xff, 0xfe, 0x00, 0x80],
        b"{\"id\":3,\"route\":{\"prompt\":\"\"}}".to_vec(),
        b"{\"id\":4,\"show\":{\"query\":\"\"}}".to_vec(),
    ];
    let (mut r, mut w) = connect(&env);
    let hello = roundtrip(
        &mut r,
        &mut w,
        br#"{"hello":{"program":"test","version":"0","protocol":1}}"#,
    );
    assert!(hello["hello"]["pid"].as_u64().is_some());
    let mut baseline = 0;
    for i in 0..n {
        let case = &cases[i % cases.len()];
        let answer = roundtrip(&mut r, &mut w, case);
        assert!(
            answer.get("error").is_some() || answer.get("ok").is_some(),
            "{answer}"
        );
        if i % 97 == 0 {
            let ok = roundtrip(&mut r, &mut w, br#"{"id":9,"show":{"query":"019c8a4c"}}"#);
            assert_eq!(ok["ok"]["id"], A, "valid request in between failed: {ok}");
        }
        if i == 100 {
            baseline = rss_kib(pid);
        }
    }
    // An over-long line is answered, then the connection goes on.
    let answer = roundtrip(&mut r, &mut w, &huge);
    assert_eq!(answer["error"]["kind"], "bad_request", "{answer}");
    let ok = roundtrip(&mut r, &mut w, br#"{"id":10,"status":{}}"#);
    assert!(ok["ok"]["pid"].as_u64().is_some());
    // Memory returns to where it was (allow allocator slack).
    let after = rss_kib(pid);
    assert!(
        after < baseline + 16 * 1024,
        "RSS grew from {baseline} KiB to {after} KiB"
    );
}

#[test]
fn silent_stalled_and_surplus_clients_delay_nobody() {
    let env = daemon_with_one_session();
    // One says nothing; one floods requests and never reads answers.
    let _silent = UnixStream::connect(&env.socket).unwrap();
    let mut flooder = UnixStream::connect(&env.socket).unwrap();
    flooder
        .set_write_timeout(Some(Duration::from_millis(200)))
        .unwrap();
    for _ in 0..2000 {
        if flooder
            .write_all(b"{\"id\":1,\"list\":{\"all\":true}}\n")
            .is_err()
        {
            break;
        }
    }
    // 200 concurrent clients: every one is answered — correctly, or told the daemon is busy.
    let handles: Vec<_> = (0..200)
        .map(|i| {
            let socket = env.socket.clone();
            std::thread::spawn(move || {
                let s = UnixStream::connect(&socket).unwrap();
                s.set_read_timeout(Some(Duration::from_secs(20))).unwrap();
                let mut w = s.try_clone().unwrap();
                let mut r = BufReader::new(s);
                // A surplus connection may be told "busy" and closed before we write: then
                // the write fails and the answer is still there to read.
                let _ = w.write_all(
                    format!("{{\"id\":{i},\"show\":{{\"query\":\"{A}\"}}}}\n").as_bytes(),
                );
                let mut line = String::new();
                r.read_line(&mut line).unwrap();
                let v: serde_json::Value = serde_json::from_str(&line).unwrap();
                if v["ok"]["id"] == A {
                    "ok"
                } else if v["error"]["kind"] == "busy" {
                    "busy"
                } else {
                    panic!("unexpected answer {v}")
                }
            })
        })
        .collect();
    let results: Vec<&str> = handles.into_iter().map(|h| h.join().unwrap()).collect();
    assert_eq!(results.len(), 200);
    assert!(
        results.iter().filter(|r| **r == "ok").count() >= 100,
        "{results:?}"
    );
    env.ok(&["show", A]);
}

#[test]
fn unsafe_socket_directories_are_refused() {
    let env = Env::new();
    let run_dir = env.socket.parent().unwrap();
    std::fs::create_dir_all(run_dir).unwrap();
    std::fs::set_permissions(run_dir, std::fs::Permissions::from_mode(0o755)).unwrap();
    let out = env
        .daemon_cmd()
        .stderr(std::process::Stdio::piped())
        .output()
        .unwrap();
    assert_ne!(out.status.code(), Some(0));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("chmod 700"), "{err}");

    // A symlinked directory.
    let env2 = Env::new();
    let real = env2.dir.path().join("real");
    std::fs::create_dir(&real).unwrap();
    std::fs::set_permissions(&real, std::fs::Permissions::from_mode(0o700)).unwrap();
    std::os::unix::fs::symlink(&real, env2.socket.parent().unwrap()).unwrap();
    let out = env2
        .daemon_cmd()
        .stderr(std::process::Stdio::piped())
        .output()
        .unwrap();
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("symlink"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn stale_sockets_are_reclaimed_and_live_ones_left_alone() {
    let mut env = Env::new();
    env.start_daemon();
    let mut child = env.daemon.take().unwrap();
    signal(&child, "KILL");
    child.wait().unwrap();
    assert!(env.socket.exists(), "kill -9 leaves the socket behind");
    env.start_daemon();
    env.ok(&["status"]);
    let mut child = env.daemon.take().unwrap();
    signal(&child, "TERM");
    child.wait().unwrap();

    // Another program listening on the path (not holding our lock): never deleted.
    let _listener = std::os::unix::net::UnixListener::bind(&env.socket).unwrap();
    let out = env
        .daemon_cmd()
        .stderr(std::process::Stdio::piped())
        .output()
        .unwrap();
    assert_ne!(out.status.code(), Some(0));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("in use by another process"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(env.socket.exists());
}

fn snapshot(dir: &Path, skip: &Path) -> BTreeMap<String, (Vec<u8>, std::time::SystemTime)> {
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap().flatten() {
            let p = e.path();
            if p == skip
                || p.file_name()
                    .is_some_and(|n| n.to_string_lossy().starts_with("claude-sessions.json"))
            {
                continue;
            }
            let m = std::fs::symlink_metadata(&p).unwrap();
            if m.is_dir() {
                stack.push(p.clone());
                out.insert(p.display().to_string(), (Vec::new(), m.modified().unwrap()));
            } else {
                let mut bytes = Vec::new();
                std::fs::File::open(&p)
                    .unwrap()
                    .read_to_end(&mut bytes)
                    .unwrap();
                out.insert(p.display().to_string(), (bytes, m.modified().unwrap()));
            }
        }
    }
    out
}

#[test]
fn codex_files_are_never_modified() {
    let mut env = Env::new();
    codexd_corpus::generate(
        &env.home,
        &codexd_corpus::CorpusOptions {
            sessions: 150,
            seed: 5,
            scale: 0.02,
            ..Default::default()
        },
    )
    .unwrap();
    let before = snapshot(&env.home, &env.registry());
    env.start_daemon();
    let listed = env.json(&["list", "--all"]);
    let first = listed[0]["id"].as_str().unwrap().to_owned();
    env.ok(&["show", &first]);
    env.ok(&["build"]);
    env.ok(&["cleanup"]);
    env.ok(&["set-status", &first, "failed"]);
    env.ok(&["route", "fix the flaky test"]);
    env.ok(&["search", "test"]);
    env.ok(&["sync"]);
    wait_for("the registry", || env.registry().exists().then_some(()));
    let mut child = env.daemon.take().unwrap();
    signal(&child, "TERM");
    child.wait().unwrap();
    let after = snapshot(&env.home, &env.registry());
    assert_eq!(
        before.len(),
        after.len(),
        "files appeared or vanished under CODEX_HOME"
    );
    for (path, (bytes, mtime)) in &before {
        let (b2, m2) = &after[path];
        assert!(bytes == b2, "{path} changed");
        assert_eq!(mtime, m2, "{path} mtime changed");
    }
}

#[test]
fn kill_9_during_registry_writes_never_loses_an_acknowledged_status() {
    let mut env = Env::new();
    env.write(
        &lines::rollout_path(false, "2025-11-20T10-00-00", A),
        lines::session(A, "2025-11-20T09:00:00.000Z", "/p", "hello there").as_bytes(),
    );
    common::set_mtime(
        &env.home
            .join(lines::rollout_path(false, "2025-11-20T10-00-00", A)),
        "2025-11-20T09:00:00Z",
    );
    let iterations = 50;
    for i in 0..iterations {
        env.start_daemon();
        let child = env.daemon.take().unwrap();
        let socket = env.socket.clone();
        // Set statuses as fast as possible; remember the last one the daemon acknowledged.
        let writer = std::thread::spawn(move || {
            let mut acked: Option<String> = None;
            let Ok(s) = UnixStream::connect(&socket) else {
                return acked;
            };
            let _ = s.set_read_timeout(Some(Duration::from_secs(5)));
            let mut w = s.try_clone().unwrap();
            let mut r = BufReader::new(s);
            for j in 0.. {
                let status = if j % 2 == 0 { "completed" } else { "failed" };
                if w.write_all(
                    format!(
                        "{{\"id\":{j},\"set_status\":{{\"id\":\"{A}\",\"status\":\"{status}\"}}}}\n"
                    )
                    .as_bytes(),
                )
                .is_err()
                {
                    break;
                }
                let mut line = String::new();
                match r.read_line(&mut line) {
                    Ok(n) if n > 0 && line.contains("\"ok\"") => acked = Some(status.to_owned()),
                    _ => break,
                }
            }
            acked
        });
        std::thread::sleep(Duration::from_millis(5 + (i * 7) % 40));
        signal(&child, "KILL");
        let mut child = child;
        child.wait().unwrap();
        let acked = writer.join().unwrap();
        let bytes = std::fs::read(env.registry()).unwrap_or_default();
        if bytes.is_empty() {
            assert!(
                acked.is_none(),
                "iteration {i}: acknowledged but no registry"
            );
            continue;
        }
        let reg: serde_json::Value = serde_json::from_slice(&bytes)
            .unwrap_or_else(|e| panic!("iteration {i}: registry does not parse: {e}"));
        if acked.is_some() {
            // The acknowledged write (or a later one that landed before the kill) is on disk:
            // the user's decision survived, whole.
            let entry = reg["sessions"]
                .as_array()
                .unwrap()
                .iter()
                .find(|s| s["id"] == A)
                .unwrap();
            assert_eq!(entry["status_source"], "user", "iteration {i}: {entry}");
            assert!(
                entry["status"] == "completed" || entry["status"] == "failed",
                "iteration {i}: {entry}"
            );
        }
        let leftovers: Vec<_> = std::fs::read_dir(&env.home)
            .unwrap()
            .flatten()
            .filter(|e| e.file_name().to_string_lossy().ends_with(".tmp"))
            .collect();
        assert!(leftovers.len() <= 1, "temp files pile up: {leftovers:?}");
    }
}

#[test]
fn registry_failures_are_reported_and_the_daemon_stays_up() {
    // Unreadable (a directory in its place): not replaced, reported, daemon up.
    let mut env = Env::new();
    env.session(
        A,
        "2026-11-20T10-00-00",
        "2026-11-20T09:00:00.000Z",
        "/p",
        "hello there",
    );
    std::fs::create_dir(env.registry()).unwrap();
    env.start_daemon();
    let st = env.json(&["status"]);
    assert!(
        st["last_error"]
            .as_str()
            .unwrap()
            .contains("registry not written"),
        "{st}"
    );
    assert!(
        env.registry().is_dir(),
        "an unreadable registry must not be replaced"
    );
    let mut child = env.daemon.take().unwrap();
    signal(&child, "TERM");
    child.wait().unwrap();
    std::fs::remove_dir(env.registry()).unwrap();

    // Unwritable (its directory refuses new files): every save fails, is counted and warned
    // about, and requests keep working.
    let child = env
        .daemon_cmd()
        .arg("--registry")
        .arg("/proc/self/claude-sessions.json")
        .spawn()
        .unwrap();
    env.daemon = Some(child);
    env.wait_ready();
    let r = env.client(&["set-status", A, "completed"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stderr.contains("registry not saved"), "{}", r.stderr);
    assert_eq!(env.json(&["show", A])["status"], "completed");
    let st = env.json(&["status"]);
    assert!(st["errors"].as_u64().unwrap() > 0, "{st}");
}
