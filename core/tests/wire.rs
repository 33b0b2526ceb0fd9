//! The wire, pinned: every request verb's answer line, as `commands::dispatch` writes it for a
//! fixed home, held against the snapshots in `tests/snapshots/` (insta). A change to a field's
//! name, order, type or presence shows up here as a diff to review (`cargo insta review`, or
//! `INSTA_UPDATE=always` and read the diff in git), never silently.
//! Values that depend on the machine or the clock (the temp path, pid, uptime, memory,
//! "used … ago", and the corpus's randomised last-use times and token counts) are replaced by
//! placeholders first.

use std::path::Path;

use codexd_core::engine::{Config, Engine, Shared};
use codexd_corpus::fixtures::write_session_full;
use codexd_corpus::{Format, Placement, SessionSpec, Turn};
use serde_json::Value;

fn home_with_two_sessions(home: &Path) -> Shared {
    let project = home.join("proj");
    std::fs::create_dir_all(&project).unwrap();
    let cwd = project.display().to_string();
    let t = 1_780_000_000_000;
    let a = SessionSpec {
        id: codexd_corpus::uuid::uuid_v7(t, 1),
        created_ms: t,
        cwd: cwd.clone(),
        turns: vec![
            Turn::new("add retries with backoff to the webhook sender"),
            Turn::new("now cap the backoff at thirty seconds"),
        ],
        ..SessionSpec::default()
    };
    let b = SessionSpec {
        id: codexd_corpus::uuid::uuid_v7(t + 86_400_000, 2),
        created_ms: t + 86_400_000,
        cwd,
        name: Some("ledger export".into()),
        turns: vec![Turn::new("export the ledger as parquet")],
        ..SessionSpec::default()
    };
    for s in [&a, &b] {
        write_session_full(home, s, Format::Envelope, Placement::Dated, false).unwrap();
    }
    let mut config = Config::for_home(home.to_owned());
    config.registry = home.join("claude-sessions.json");
    config.socket = home.join("codexd.sock");
    let shared = Shared::new(Engine::new(config));
    shared.full_reconcile(false);
    shared
}

fn scrub(v: &mut Value, home: &str) {
    match v {
        Value::String(s) => {
            if s.contains(home) {
                *s = s.replace(home, "<home>");
            }
            if let Some(i) = s.find("used ")
                && s.ends_with(" ago")
            {
                s.replace_range(i.., "used <age>");
            }
        }
        Value::Array(items) => items.iter_mut().for_each(|x| scrub(x, home)),
        Value::Object(m) => {
            for (k, x) in m.iter_mut() {
                match k.as_str() {
                    "pid" | "uptime_secs" | "memory_bytes" | "elapsed_ms" | "last_full_scan"
                    | "route_index" | "version" | "last_used" | "tokens_total" => {
                        *x = Value::String(format!("<{k}>"))
                    }
                    _ => scrub(x, home),
                }
            }
        }
        _ => {}
    }
}

#[test]
fn every_answer_line() {
    let dir = tempfile::tempdir().unwrap();
    let home = dir.path().canonicalize().unwrap();
    let shared = home_with_two_sessions(&home);
    let home_s = home.display().to_string();
    let cwd = home.join("proj").display().to_string();
    let requests = [
        r#"{"id":1,"list":{}}"#.to_owned(),
        r#"{"id":2,"show":{"query":"ledger export"}}"#.to_owned(),
        r#"{"id":3,"show":{"query":"nothing-like-this"}}"#.to_owned(),
        format!(r#"{{"id":4,"route":{{"prompt":"cap the webhook backoff lower","cwd":"{cwd}"}}}}"#),
        format!(r#"{{"id":5,"route":{{"prompt":"write a haiku about rain","cwd":"{cwd}"}}}}"#),
        r#"{"id":6,"search":{"query":"parquet"}}"#.to_owned(),
        r#"{"id":7,"cleanup":{"dry_run":true}}"#.to_owned(),
        r#"{"id":8,"status":{}}"#.to_owned(),
        r#"{"id":9,"sync":{}}"#.to_owned(),
        r#"{"id":10,"set_status":{"id":"ledger export","status":"running"}}"#.to_owned(),
        r#"{"id":11,"route":{"prompt":"  "}}"#.to_owned(),
    ];
    let mut out = String::new();
    for line in &requests {
        let env: codexd_proto::RequestEnvelope = serde_json::from_str(line).expect("request");
        let response = codexd_core::commands::dispatch(&shared, env.id, env.request);
        let mut v = serde_json::to_value(&response).expect("serialises");
        scrub(&mut v, &home_s);
        out.push_str(&scrub_line(line, &home_s));
        out.push('\n');
        out.push_str(&serde_json::to_string(&v).expect("serialises"));
        out.push_str("\n\n");
    }
    insta::assert_snapshot!(out);
}

fn scrub_line(line: &str, home: &str) -> String {
    format!("> {}", line.replace(home, "<home>"))
}
