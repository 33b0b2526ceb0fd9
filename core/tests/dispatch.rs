//! The engine at its in-process boundary: wire requests into `commands::dispatch`, wire answers
//! out, over a temp CODEX_HOME written by the corpus generator. No socket, no daemon: what the
//! daemon and the client's fallback both run. Each test states one rule of the table.

use std::path::Path;

use codexd_core::engine::{Config, Engine, Shared};
use codexd_corpus::fixtures::{write_reverted_thread, write_session_full};
use codexd_corpus::{Format, Placement, SessionSpec, Turn};
use serde_json::Value;

fn engine(home: &Path) -> Shared {
    let mut config = Config::for_home(home.to_owned());
    config.registry = home.join("claude-sessions.json");
    let shared = Shared::new(Engine::new(config));
    shared.full_reconcile(false);
    shared
}

/// Send one request line, as a client would write it; the answer as the client would read it.
fn ask(shared: &Shared, line: &str) -> Value {
    let env: codexd_proto::RequestEnvelope = serde_json::from_str(line).expect("a request line");
    let response = codexd_core::commands::dispatch(shared, env.id, env.request);
    serde_json::to_value(&response).expect("answers serialise")
}

fn spec(seed: u64, created_ms: i64, prompts: &[&str]) -> SessionSpec {
    SessionSpec {
        id: codexd_corpus::uuid::uuid_v7(created_ms, seed),
        created_ms,
        turns: prompts.iter().map(|p| Turn::new(*p)).collect(),
        ..SessionSpec::default()
    }
}

fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .expect("after 1970")
        .as_millis() as i64
}

#[test]
fn a_plain_file_beats_its_zst_twin() {
    let home = tempfile::tempdir().unwrap();
    let old = spec(1, 1_780_000_000_000, &["add the invoice export"]);
    let mut newer = old.clone();
    newer.turns.push(Turn::new("now paginate the export"));
    write_session_full(home.path(), &old, Format::Envelope, Placement::Dated, true).unwrap();
    let plain = write_session_full(
        home.path(),
        &newer,
        Format::Envelope,
        Placement::Dated,
        false,
    )
    .unwrap();
    let shared = engine(home.path());

    let list = ask(&shared, r#"{"id":1,"list":{"all":true}}"#);
    assert_eq!(list["ok"]["total"], 1, "one thread, two files: {list}");
    let show = ask(
        &shared,
        &format!(r#"{{"id":2,"show":{{"query":"{}"}}}}"#, old.id),
    );
    assert_eq!(show["ok"]["path"], plain.path.display().to_string());
    assert_eq!(show["ok"]["prompt_count"], 2, "{show}");
}

#[test]
fn ids_resolve_whole_by_unique_prefix_as_printed_and_say_when_ambiguous() {
    let home = tempfile::tempdir().unwrap();
    // UUIDv7 ids a millisecond apart share their first 11 hex digits.
    let t = 1_780_000_000_000;
    let a = spec(11, t, &["first of the pair"]);
    let b = spec(12, t + 1, &["second of the pair"]);
    for s in [&a, &b] {
        write_session_full(home.path(), s, Format::Envelope, Placement::Dated, false).unwrap();
    }
    let shared = engine(home.path());
    let show = |q: &str| ask(&shared, &format!(r#"{{"id":3,"show":{{"query":"{q}"}}}}"#));

    assert_eq!(show(&a.id)["ok"]["id"], a.id.as_str());
    assert_eq!(show(&a.id.to_uppercase())["ok"]["id"], a.id.as_str());
    let unique = unique_prefix(&a.id, &b.id);
    assert_eq!(show(unique)["ok"]["id"], a.id.as_str(), "prefix {unique}");
    // `list` prints ids cut short with dots; they are taken as printed.
    assert_eq!(show(&format!("{unique}..."))["ok"]["id"], a.id.as_str());

    let shared_prefix = &a.id[..8];
    let answer = show(shared_prefix);
    assert_eq!(answer["error"]["kind"], "ambiguous", "{answer}");
    let candidates = answer["error"]["candidates"]
        .as_array()
        .expect("candidates");
    let mut ids: Vec<&str> = candidates
        .iter()
        .map(|c| c["id"].as_str().unwrap())
        .collect();
    let used: Vec<&str> = candidates
        .iter()
        .map(|c| c["last_used"].as_str().unwrap())
        .collect();
    assert!(
        used.windows(2).all(|w| w[0] >= w[1]),
        "newest first: {used:?}"
    );
    ids.sort_unstable();
    let mut both = [a.id.as_str(), b.id.as_str()];
    both.sort_unstable();
    assert_eq!(ids, both);

    assert_eq!(show("ffffffff")["error"]["kind"], "not_found");
}

fn unique_prefix<'a>(id: &'a str, other: &str) -> &'a str {
    let n = id
        .bytes()
        .zip(other.bytes())
        .take_while(|(x, y)| x == y)
        .count();
    &id[..(n + 1).max(8)]
}

#[test]
fn a_status_the_person_set_holds_until_the_session_moves_on() {
    let home = tempfile::tempdir().unwrap();
    let now = now_ms();
    let s = spec(21, now - 5 * 60_000, &["tidy the migration scripts"]);
    write_session_full(home.path(), &s, Format::Envelope, Placement::Dated, false).unwrap();
    let shared = engine(home.path());
    let status = |shared: &Shared| {
        ask(
            shared,
            &format!(r#"{{"id":4,"show":{{"query":"{}"}}}}"#, s.id),
        )["ok"]["status"]
            .clone()
    };
    assert_eq!(status(&shared), "active", "used five minutes ago");

    let set = ask(
        &shared,
        &format!(
            r#"{{"id":5,"set_status":{{"id":"{}","status":"completed"}}}}"#,
            s.id
        ),
    );
    assert_eq!(set["ok"]["previous"], "active", "{set}");
    assert_eq!(status(&shared), "completed");

    // Codex appends a turn after the person's decision: the decision is about the past.
    let mut later = s.clone();
    later.created_ms = now + 60_000;
    later.turns.push(Turn::new("one more migration"));
    write_session_full(
        home.path(),
        &later,
        Format::Envelope,
        Placement::Dated,
        false,
    )
    .unwrap();
    shared.full_reconcile(false);
    assert_eq!(status(&shared), "active");
}

#[test]
fn a_reverted_thread_inherits_the_kept_prompts_of_its_history_base() {
    let home = tempfile::tempdir().unwrap();
    let s = SessionSpec {
        turns: vec![
            Turn::new("sketch the rate limiter"),
            Turn::new("use a token bucket"),
            Turn::new("no, a sliding window"),
        ],
        ..SessionSpec::example(Format::Paginated, 31)
    };
    let (_, expected) = write_reverted_thread(
        home.path(),
        &s,
        1,
        vec![Turn::new("start over from the sketch with leaky buckets")],
        Placement::Dated,
    )
    .unwrap();
    let shared = engine(home.path());
    let show = ask(
        &shared,
        &format!(r#"{{"id":6,"show":{{"query":"{}"}}}}"#, s.id),
    );
    let prompts: Vec<&str> = show["ok"]["prompts"]
        .as_array()
        .unwrap_or_else(|| panic!("prompts in {show}"))
        .iter()
        .map(|p| p.as_str().unwrap())
        .collect();
    assert_eq!(prompts, expected.prompts, "{show}");
}

#[test]
fn the_route_index_follows_every_table_change_without_being_asked() {
    let home = tempfile::tempdir().unwrap();
    let now = now_ms();
    // Route never resumes a session whose directory is gone: give them a real one (named
    // apart from the prompt's words: a directory's name counts as the session's subject when
    // its commands ran there, see BENCHMARKS.md).
    let project = home.path().join("proj");
    std::fs::create_dir(&project).unwrap();
    let cwd = project.display().to_string();
    let first = SessionSpec {
        cwd: cwd.clone(),
        ..spec(41, now - 3_600_000, &["speed up the thumbnail renderer"])
    };
    write_session_full(
        home.path(),
        &first,
        Format::Envelope,
        Placement::Dated,
        false,
    )
    .unwrap();
    let shared = engine(home.path());
    let route = |shared: &Shared| {
        let request = serde_json::json!({"id": 7, "route": {
            "prompt": "the quaternion interpolation in the camera rig drifts",
            "cwd": cwd,
        }});
        ask(shared, &request.to_string())
    };
    let before = route(&shared);
    assert_eq!(before["ok"]["decision"], "new", "{before}");

    // A session arrives (as a watcher event would report it): the next route sees it.
    let second = SessionSpec {
        cwd: cwd.clone(),
        ..spec(
            42,
            now - 600_000,
            &["fix the quaternion interpolation drift in the camera rig"],
        )
    };
    let written = write_session_full(
        home.path(),
        &second,
        Format::Envelope,
        Placement::Dated,
        false,
    )
    .unwrap();
    shared.reconcile_paths(std::slice::from_ref(&written.path));
    let answer = route(&shared);
    assert_eq!(answer["ok"]["decision"], "resume", "{answer}");
    assert_eq!(answer["ok"]["session"], second.id.as_str());

    // The file goes: so does the session, from the table and the index.
    std::fs::remove_file(&written.path).unwrap();
    shared.reconcile_paths(std::slice::from_ref(&written.path));
    let gone = ask(
        &shared,
        &format!(r#"{{"id":9,"show":{{"query":"{}"}}}}"#, second.id),
    );
    assert_eq!(gone["error"]["kind"], "not_found", "{gone}");
}
