//! Issue 16: one case of every kind of prompt `route` must get right, end to end through the
//! real binaries (daemon + client): prompts that reuse a session's words, a light paraphrase,
//! files only the tool calls touched, a vague prompt inside a project just worked in and one
//! outside any project, a new subject in a known repository, the same task attempted twice, the
//! same task in two repositories, chit-chat, a session open in another Codex process, and a
//! name from `session_index.jsonl`.

use crate::common;

use std::fs;

use common::{Env, age, lines};

const W_LOGIN: &str = "019c8a40-0000-7000-8000-000000000001";
const M_LOGIN: &str = "019c8a41-0000-7000-8000-000000000002";
const PDF: &str = "019c8a42-0000-7000-8000-000000000003";
const GLOB: &str = "019c8a43-0000-7000-8000-000000000004";
const NOTES_RECENT: &str = "019c8a44-0000-7000-8000-000000000005";
const NOTES_OLD: &str = "019c8a45-0000-7000-8000-000000000006";
const WEZ_FIRST: &str = "019c8a46-0000-7000-8000-000000000007";
const WEZ_AGAIN: &str = "019c8a47-0000-7000-8000-000000000008";
const GATEWAY: &str = "019c8a48-0000-7000-8000-000000000009";
const POST: &str = "019c8a49-0000-7000-8000-00000000000a";
/// Sessions of one repository that all name its component ("the inventory service").
const SHOP: [&str; 5] = [
    "019c8a4a-0000-7000-8000-00000000000b",
    "019c8a4b-0000-7000-8000-00000000000c",
    "019c8a4c-0000-7000-8000-00000000000d",
    "019c8a4d-0000-7000-8000-00000000000e",
    "019c8a4e-0000-7000-8000-00000000000f",
];

const DAY: u64 = 86_400;

/// A project directory of the fixture's person (it must exist: `route` never resumes a session
/// whose directory is gone).
fn dir(env: &Env, project: &str) -> String {
    let d = env.dir.path().join("u").join(project);
    fs::create_dir_all(&d).unwrap();
    d.display().to_string()
}

/// One session: meta naming the project's own repository, injected context, the prompts (each a
/// completed turn, or an interrupted last one), and optional tool calls (apply_patch inputs).
struct Session<'a> {
    id: &'a str,
    cwd: String,
    repo: &'a str,
    prompts: &'a [&'a str],
    patches: &'a [&'a str],
    interrupted: bool,
}

fn write(env: &Env, s: &Session<'_>, age_secs: u64) {
    let ts = "2026-11-20T10:00:00.000Z";
    let mut out = vec![
        lines::meta(s.id, ts, &s.cwd, "cli").replace(
            "git@github.com:me/proj.git",
            &format!("git@github.com:me/{}.git", s.repo),
        ),
        lines::env_context(ts, &s.cwd),
    ];
    for (i, p) in s.prompts.iter().enumerate() {
        out.push(lines::turn(ts, &s.cwd));
        out.push(lines::user(ts, p));
        if i == 0 {
            for patch in s.patches {
                let input = serde_json::to_string(patch).unwrap();
                out.push(format!(
                    r#"{{"timestamp":"{ts}","type":"response_item","payload":{{"type":"custom_tool_call","call_id":"c{i}","name":"apply_patch","input":{input}}}}}"#
                ));
            }
        }
        let last = i + 1 == s.prompts.len();
        out.push(if last && s.interrupted {
            lines::aborted(ts)
        } else {
            lines::complete(ts)
        });
    }
    let path = env.write(
        &lines::rollout_path(false, "2026-11-20T10-00-00", s.id),
        (out.join("\n") + "\n").as_bytes(),
    );
    age(&path, age_secs);
}

/// A plain session: prompts only.
fn plain(env: &Env, id: &str, project: &str, repo: &str, prompts: &[&str], age_secs: u64) {
    write(
        env,
        &Session {
            id,
            cwd: dir(env, project),
            repo,
            prompts,
            patches: &[],
            interrupted: false,
        },
        age_secs,
    )
}

fn fixture(env: &Env) {
    let s = |id, project, repo, prompts: &[&str], age_secs| {
        plain(env, id, project, repo, prompts, age_secs)
    };
    // The same task in two repositories.
    s(
        W_LOGIN,
        "webapp",
        "webapp",
        &["Fix the flaky login test in the authentication service"],
        3 * DAY,
    );
    s(
        M_LOGIN,
        "mobile",
        "mobile",
        &["Fix the flaky login test in the authentication service"],
        2 * DAY,
    );
    s(
        PDF,
        "billing",
        "billing",
        &["Make the invoice PDF export retry when the renderer times out"],
        5 * DAY,
    );
    write(
        env,
        &Session {
            id: GLOB,
            cwd: dir(env, "rivet"),
            repo: "rivet",
            prompts: &["add a --glob option so I can select files by pattern"],
            patches: &[
                "*** Begin Patch\n*** Update File: src/matcher.rs\n@@\n+pub fn glob(p: &str) {}\n*** End Patch\n",
            ],
            interrupted: false,
        },
        4 * DAY,
    );
    // Worked on half an hour ago, the only session of the project in the last hours.
    s(
        NOTES_RECENT,
        "notes",
        "notes",
        &["Write the changelog entry for the 2.0 release"],
        1800,
    );
    s(
        NOTES_OLD,
        "notes",
        "notes",
        &["Reformat the tables in the install guide"],
        10 * DAY,
    );
    // The same task twice: a short interrupted try, then the real one.
    write(
        env,
        &Session {
            id: WEZ_FIRST,
            cwd: dir(env, "dotfiles"),
            repo: "dotfiles",
            prompts: &["switch my terminal to wezterm with my tmux keybindings"],
            patches: &[],
            interrupted: true,
        },
        30 * DAY,
    );
    s(
        WEZ_AGAIN,
        "dotfiles",
        "dotfiles",
        &[
            "wezterm again: port my tmux keybindings, the leader key first",
            "now the pane splits and resizing",
        ],
        3 * DAY,
    );
    s(
        GATEWAY,
        "gateway",
        "gateway",
        &["Add rate limiting to the api gateway"],
        2 * DAY,
    );
    s(
        POST,
        "blog",
        "blog",
        &["help me edit the draft, it's too long"],
        6 * DAY,
    );
    let shop = [
        "add pagination to the items endpoint of the inventory service",
        "cache stock levels in redis in the inventory service",
        "fix the flaky test in the inventory service",
        "document the endpoints of the inventory service",
        "add request logging to the inventory service handlers",
    ];
    for (i, (id, prompt)) in SHOP.iter().zip(shop).enumerate() {
        s(
            id,
            "shop/services/inventory",
            "shop",
            &[prompt],
            (7 + i as u64) * DAY,
        );
    }
    env.write(
        "session_index.jsonl",
        format!(
            "{{\"id\":\"{POST}\",\"thread_name\":\"Heroku to Fly migration post\",\"updated_at\":\"2026-11-20T10:05:00Z\"}}\n"
        )
        .as_bytes(),
    );
}

#[track_caller]
fn expect(env: &Env, prompt: &str, cwd: &str, want: Option<&str>) -> serde_json::Value {
    let r: serde_json::Value =
        serde_json::from_str(&env.ok(&["route", "--json", "--cwd", cwd, "--", prompt])).unwrap();
    match want {
        Some(id) => {
            assert_eq!(r["decision"], "resume", "{prompt:?} in {cwd}: {r:#}");
            assert_eq!(r["session"], id, "{prompt:?} in {cwd}: {r:#}");
        }
        None => assert_eq!(r["decision"], "new", "{prompt:?} in {cwd}: {r:#}"),
    }
    for key in ["confidence", "margin", "confirm", "reason"] {
        assert!(r.get(key).is_some(), "route lacks {key}: {r:#}");
    }
    r
}

#[test]
fn route_answers_one_case_of_every_kind() {
    let mut env = Env::new();
    fixture(&env);
    env.start_daemon();
    let elsewhere = dir(&env, "elsewhere");

    // Reuses the session's words.
    expect(
        &env,
        "the flaky login test in the authentication service failed again",
        &dir(&env, "webapp"),
        Some(W_LOGIN),
    );
    // The same words in the other repository's directory: the directory decides.
    expect(
        &env,
        "login test is flaky again",
        &dir(&env, "mobile"),
        Some(M_LOGIN),
    );
    // A light paraphrase.
    expect(
        &env,
        "the invoice PDFs we export should be retried when rendering hangs",
        &dir(&env, "billing"),
        Some(PDF),
    );
    // A file only the session's tool calls named.
    expect(
        &env,
        "src/matcher.rs needs hidden entries handled",
        &dir(&env, "rivet"),
        Some(GLOB),
    );
    // Vague, inside the project just worked in: that session.
    let r = expect(&env, "commit that", &dir(&env, "notes"), Some(NOTES_RECENT));
    assert_eq!(r["confirm"], true, "a vague resume is confirmed: {r:#}");
    // Vague, outside any project: new.
    expect(&env, "add tests", "/tmp", None);
    // A new subject asked with the words every session of the repository shares.
    expect(
        &env,
        "add a bulk csv import to the inventory service",
        &dir(&env, "shop/services/inventory"),
        None,
    );
    // The first attempt's own words: the attempt worked on last.
    expect(
        &env,
        "switch my terminal to wezterm with my tmux keybindings",
        &dir(&env, "dotfiles"),
        Some(WEZ_AGAIN),
    );
    // Chit-chat.
    expect(&env, "thanks, that's all for today", &elsewhere, None);
    // The name from session_index.jsonl.
    expect(
        &env,
        "Heroku to Fly migration post: tighten the intro",
        &dir(&env, "blog"),
        Some(POST),
    );

    // Open in another Codex process: never resumed, offered as a queue command instead.
    let prompt = "rate limiting in the api gateway: add per-user quotas";
    expect(&env, prompt, &dir(&env, "gateway"), Some(GATEWAY));
    let locks = env.home.join("thread-writer-locks");
    fs::create_dir_all(&locks).unwrap();
    let lock = fs::File::create(locks.join(format!("{GATEWAY}.lock"))).unwrap();
    lock.lock().unwrap();
    common::wait_for("the session to show as running", || {
        (env.json(&["show", GATEWAY])["status"] == "running").then_some(())
    });
    let r = expect(&env, prompt, &dir(&env, "gateway"), None);
    assert!(
        r["reason"]
            .as_str()
            .unwrap()
            .contains("open in another Codex process"),
        "{r:#}"
    );
    assert_eq!(r["candidates"][0]["running"], true, "{r:#}");
    drop(lock);
}
