//! `search` over the real binaries: the limit is honoured and the total told, Codex's answers
//! (the session's work) are searched and rank after prompt hits, each hit names the fields that matched, and the
//! status and project filters apply before the limit.

use crate::common;

use common::{Env, lines};

fn id(n: usize) -> String {
    format!("019d1111-0000-7000-8000-{n:012}")
}

/// A session with `prompt`, whose turn ended with Codex answering `answer`.
fn session_with_answer(env: &Env, n: usize, cwd: &str, prompt: &str, answer: &str) {
    let ts = format!("2026-11-{:02}T10:00:{:02}Z", 1 + n % 28, n % 60);
    let name_ts = ts.replace(':', "-").trim_end_matches('Z').to_owned();
    let text = [
        lines::meta(&id(n), &ts, cwd, "cli"),
        lines::turn(&ts, cwd),
        lines::user(&ts, prompt),
        format!(
            r#"{{"timestamp":"{ts}","type":"event_msg","payload":{{"type":"task_complete","turn_id":"t1","last_agent_message":{}}}}}"#,
            serde_json::to_string(answer).unwrap()
        ),
    ]
    .join("\n")
        + "\n";
    env.write(
        &lines::rollout_path(false, &name_ts, &id(n)),
        text.as_bytes(),
    );
}

#[test]
fn the_limit_is_honoured_and_the_total_told() {
    let mut env = Env::new();
    for n in 0..130 {
        session_with_answer(
            &env,
            n,
            "/w/zoo",
            &format!("feed the quokka number {n}"),
            "fed",
        );
    }
    env.start_daemon();
    let all = env.json(&["search", "quokka", "--limit", "500"]);
    assert_eq!(
        all["hits"].as_array().unwrap().len(),
        130,
        "more than 100 hits"
    );
    assert_eq!(all["total"], 130);
    let some = env.json(&["search", "quokka", "--limit", "7"]);
    assert_eq!(some["hits"].as_array().unwrap().len(), 7);
    assert_eq!(some["total"], 130);
    let text = env.ok(&["search", "quokka", "--limit", "7"]);
    assert!(
        text.contains("7 of 130 matching sessions shown"),
        "the text says it is capped:\n{text}"
    );
    let text = env.ok(&["search", "quokka", "--limit", "200"]);
    assert!(
        !text.contains("matching sessions shown"),
        "not capped:\n{text}"
    );
}

#[test]
fn answers_are_searched_and_rank_after_prompt_hits() {
    let mut env = Env::new();
    // The answer-only session is the newer one: recency alone would put it first.
    session_with_answer(
        &env,
        1,
        "/w/db",
        "plan the walrus schema migration",
        "Planned.",
    );
    session_with_answer(
        &env,
        20,
        "/w/db",
        "tidy the README",
        "Done. I also noticed the walrus table has no index on created_at.",
    );
    session_with_answer(&env, 3, "/w/db", "something unrelated", "Nothing here.");
    env.start_daemon();
    let r = env.json(&["search", "walrus"]);
    let hits = r["hits"].as_array().unwrap();
    let ids: Vec<&str> = hits.iter().map(|h| h["id"].as_str().unwrap()).collect();
    assert_eq!(ids, [id(1), id(20)], "{r:#}");
    assert_eq!(r["total"], 2);
    assert_eq!(hits[0]["fields"], serde_json::json!(["first_prompt"]));
    assert_eq!(hits[1]["fields"], serde_json::json!(["work"]));
    let reasons = hits[1]["reasons"].to_string();
    assert!(reasons.contains("files/answer match walrus"), "{reasons}");
    // A prompt hit is never repeated as an answer hit.
    let r = env.json(&["search", "planned"]);
    let ids: Vec<&str> = r["hits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, [id(1)]);
    // The text output says where it matched.
    let text = env.ok(&["search", "walrus"]);
    assert!(text.contains("files/answer match walrus"), "{text}");
}

#[test]
fn filters_apply_before_the_limit() {
    let mut env = Env::new();
    let here = env.dir.path().join("proj");
    std::fs::create_dir_all(here.join(".git")).unwrap();
    let here_s = here.display().to_string();
    // Many matches elsewhere, newer, and two in this project.
    for n in 0..40 {
        session_with_answer(&env, 100 + n, "/w/other", "ocelot tracking dashboard", "ok");
    }
    session_with_answer(&env, 1, &here_s, "ocelot tracking here", "ok");
    session_with_answer(&env, 2, &format!("{here_s}/sub"), "ocelot sub here", "ok");
    env.start_daemon();
    env.ok(&["set-status", &id(100), "archived"]);
    let out = env
        .client_cmd(&["search", "ocelot", "--here", "--limit", "5", "--json"])
        .current_dir(&here)
        .output()
        .unwrap();
    assert!(out.status.success());
    let r: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let mut ids: Vec<&str> = r["hits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["id"].as_str().unwrap())
        .collect();
    ids.sort_unstable();
    assert_eq!(ids, [id(1), id(2)], "{r:#}");
    assert_eq!(r["total"], 2);
    let r = env.json(&["search", "ocelot", "--status", "archived", "--limit", "3"]);
    let ids: Vec<&str> = r["hits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, [id(100)]);
    assert_eq!(r["total"], 1);
}

/// One request over the daemon's socket as raw JSON lines (hello first); its `ok` value.
fn ask(env: &Env, request: serde_json::Value) -> serde_json::Value {
    use std::io::{BufRead, BufReader, Write};
    let stream = std::os::unix::net::UnixStream::connect(&env.socket).unwrap();
    let mut reader = BufReader::new(stream.try_clone().unwrap());
    let mut w = stream;
    let hello = serde_json::json!({"hello": codexd_proto::Hello::new("codexd-client")});
    let mut line = String::new();
    writeln!(w, "{hello}").unwrap();
    reader.read_line(&mut line).unwrap();
    assert!(line.contains("\"pages\""), "the daemon can page: {line}");
    let mut envelope = request;
    envelope["id"] = 1.into();
    writeln!(w, "{envelope}").unwrap();
    line.clear();
    reader.read_line(&mut line).unwrap();
    let v: serde_json::Value = serde_json::from_str(&line).unwrap();
    v["ok"].clone()
}

fn ids(v: &serde_json::Value) -> Vec<String> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|h| h["id"].as_str().unwrap().to_owned())
        .collect()
}

#[test]
fn pages_of_brief_rows_are_slices_of_the_full_answer() {
    let mut env = Env::new();
    for n in 0..130 {
        session_with_answer(&env, n, "/w/zoo", &format!("feed the quokka {n}"), "fed");
    }
    env.start_daemon();
    let full = ask(
        &env,
        serde_json::json!({"search": {"query": "quokka", "limit": 500}}),
    );
    assert!(full.get("rows").is_none(), "a full answer has no rows");
    let page = ask(
        &env,
        serde_json::json!({"search": {"query": "quokka", "limit": 30, "offset": 40, "brief": true}}),
    );
    assert_eq!(ids(&page["rows"]), ids(&full["hits"])[40..70]);
    assert_eq!(page["hits"], serde_json::json!([]));
    assert_eq!(page["total"], 130);
    let row = &page["rows"][0];
    assert_eq!(row["source"], "cli");
    assert_eq!(row["matched_terms"], serde_json::json!(["quokka"]));
    assert!(row["title"].as_str().unwrap().contains("quokka"));
    for heavy in ["first_prompt", "last_answer", "reasons", "score"] {
        assert!(
            row.get(heavy).is_none(),
            "a brief row has no {heavy}: {row}"
        );
    }

    let list = ask(&env, serde_json::json!({"list": {}}));
    let tail = ask(
        &env,
        serde_json::json!({"list": {"offset": 100, "limit": 50, "brief": true}}),
    );
    assert_eq!(ids(&tail["rows"]), ids(&list["sessions"])[100..130]);
    assert_eq!(tail["sessions"], serde_json::json!([]));
    assert_eq!(tail["total"], 130);
    let past = ask(
        &env,
        serde_json::json!({"list": {"offset": 500, "limit": 50, "brief": true}}),
    );
    assert_eq!(
        (past["total"].as_u64(), past.get("rows")),
        (Some(130), None)
    );

    // `search --json` is as before: full hits, no rows.
    let cli = env.json(&["search", "quokka", "--limit", "5"]);
    assert_eq!(cli["hits"].as_array().unwrap().len(), 5);
    assert!(cli.get("rows").is_none());
}
