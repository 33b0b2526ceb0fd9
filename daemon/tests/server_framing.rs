//! The server's own framing and dispatch (`server::session`, the code every accepted
//! connection runs) driven through an in-memory pipe: any mix of hellos, requests, garbage,
//! invalid UTF-8, blank and over-long lines, split into any writes and followed by a
//! half-close, is answered line for line, in order, and the session ends. `fuzz/` drives the
//! same function with arbitrary bytes.

use std::sync::{Arc, OnceLock};
use std::time::Duration;

use codexd::server::{Limits, Readiness, session};
use codexd_core::engine::{Config, Engine, Shared};
use proptest::prelude::*;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::sync::watch;
use tokio_util::sync::CancellationToken;

const ID: &str = "019c8a4c-ed82-79a1-aa28-7738fc5ab61a";
const CAP: usize = 300;

/// One engine over a home with one session, shared by every case (read-only requests only).
fn shared() -> Arc<Shared> {
    static SHARED: OnceLock<(tempfile::TempDir, Arc<Shared>)> = OnceLock::new();
    SHARED
        .get_or_init(|| {
            let dir = tempfile::tempdir().unwrap();
            let home = dir.path().join("home");
            let day = home.join("sessions/2026/11/20");
            std::fs::create_dir_all(&day).unwrap();
            let ts = "2026-11-20T09:00:00.000Z";
            std::fs::write(
                day.join(format!("rollout-2026-11-20T10-00-00-{ID}.jsonl")),
                format!(
                    r#"{{"timestamp":"{ts}","type":"session_meta","payload":{{"id":"{ID}","timestamp":"{ts}","cwd":"/p","originator":"codex_cli_rs","cli_version":"0.104.0","source":"cli","model_provider":"openai"}}}}
{{"timestamp":"{ts}","type":"event_msg","payload":{{"type":"user_message","message":"fix the flaky login test","images":[]}}}}
"#
                ),
            )
            .unwrap();
            let mut config = Config::for_home(home);
            config.write_registry = false;
            let shared = Arc::new(Shared::new(Engine::new(config)));
            shared.full_reconcile(false);
            shared.rebuild_route_index();
            (dir, shared)
        })
        .1
        .clone()
}

/// A line the client sends, and what the server must answer to it.
#[derive(Clone, Debug)]
enum Line {
    Hello,
    /// A valid request; answered with its id.
    Request(u64, String),
    /// Not a request (garbage, invalid UTF-8, a wrong type): `bad_request`.
    Garbage(Vec<u8>),
    /// Blank or whitespace only: no answer.
    Blank(String),
    /// Longer than the cap: `bad_request` with id 0.
    TooLong(usize),
}

impl Line {
    fn bytes(&self) -> Vec<u8> {
        let mut b = match self {
            Line::Hello => br#"{"hello":{"program":"prop","version":"0","protocol":1,"capabilities":["list"]}}"#.to_vec(),
            Line::Request(id, body) => format!(r#"{{"id":{id},{body}}}"#).into_bytes(),
            Line::Garbage(g) => g.clone(),
            Line::Blank(w) => w.clone().into_bytes(),
            Line::TooLong(n) => {
                let mut v = br#"{"id":9,"show":{"query":""#.to_vec();
                v.resize(*n, b'a');
                v
            }
        };
        b.push(b'\n');
        b
    }
}

fn request() -> impl Strategy<Value = Line> {
    let body = prop_oneof![
        Just(r#""status":{}"#.to_owned()),
        Just(r#""list":{"all":true}"#.to_owned()),
        Just(format!(r#""show":{{"query":"{}"}}"#, &ID[..8])),
        Just(r#""show":{"query":"nope"}"#.to_owned()),
        Just(r#""search":{"query":"flaky login"}"#.to_owned()),
        Just(r#""route":{"prompt":"fix the login test","cwd":"/p"}"#.to_owned()),
    ];
    (1u64..1_000_000, body).prop_map(|(id, b)| Line::Request(id, b))
}

fn garbage() -> impl Strategy<Value = Line> {
    prop_oneof![
        // Arbitrary bytes (invalid UTF-8 included), no newline, not blank.
        proptest::collection::vec(
            any::<u8>().prop_filter("no newline", |b| *b != b'\n'),
            1..80
        )
        .prop_filter("not blank", |v| !v.trim_ascii().is_empty())
        .prop_map(Line::Garbage),
        Just(Line::Garbage(
            b"{\"id\":1,\"show\":{\"query\":\"\xff\xfe\"}}".to_vec()
        )),
        Just(Line::Garbage(
            b"{\"id\":1,\"list\":{\"all\":\"yes\"}}".to_vec()
        )),
        Just(Line::Garbage(b"{\"id\":1,\"frobnicate\":{}}".to_vec())),
        Just(Line::Garbage(b"{\"id\":1,\"show\":".to_vec())),
        Just(Line::Garbage(b"[1,2,3]".to_vec())),
    ]
}

fn line() -> impl Strategy<Value = Line> {
    prop_oneof![
        4 => request(),
        2 => garbage(),
        1 => Just(Line::Hello),
        1 => prop_oneof![Just(""), Just("   "), Just("\t"), Just("\r")].prop_map(|w| Line::Blank(w.to_owned())),
        1 => (CAP + 1..CAP * 4).prop_map(Line::TooLong),
    ]
}

/// What the server must answer: `Hello`, `Ok(id)` (an answer to request `id`, ok or error but
/// never `bad_request`), or `Bad` (a `bad_request`).
#[derive(Debug, PartialEq)]
enum Expect {
    Hello,
    Answer(u64),
    Bad,
}

fn expected(lines: &[Line]) -> Vec<Expect> {
    let mut first = true;
    let mut out = Vec::new();
    for l in lines {
        match l {
            Line::Blank(_) => {}
            Line::TooLong(_) => out.push(Expect::Bad),
            Line::Hello if first => {
                first = false;
                out.push(Expect::Hello);
            }
            // A hello anywhere else is not a request.
            Line::Hello | Line::Garbage(_) => {
                first = false;
                out.push(Expect::Bad);
            }
            Line::Request(id, _) => {
                first = false;
                out.push(Expect::Answer(*id));
            }
        }
    }
    out
}

fn classify(line: &[u8]) -> Expect {
    let v: serde_json::Value = serde_json::from_slice(line)
        .unwrap_or_else(|e| panic!("not JSON: {:?}: {e}", String::from_utf8_lossy(line)));
    if v.get("hello").is_some() {
        return Expect::Hello;
    }
    let r: codexd_proto::Response = serde_json::from_slice(line).expect("a Response");
    match &r.error {
        Some(e) if e.kind == codexd_proto::ErrorKind::BadRequest => Expect::Bad,
        _ => Expect::Answer(r.id),
    }
}

/// Send `bytes` in writes of `splits` sizes (cycled), half-close, and collect every answer
/// line until the server closes. Panics if the session does not end.
fn drive(bytes: &[u8], splits: &[usize], limits: Limits) -> Vec<Vec<u8>> {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        let (client, server) = tokio::io::duplex(4096);
        let (_tx, ready) = watch::channel(Readiness::Indexed);
        let task = tokio::spawn(session(
            server,
            shared(),
            ready,
            CancellationToken::new(),
            limits,
        ));
        let (mut rd, mut wr) = tokio::io::split(client);
        let bytes = bytes.to_vec();
        let splits = splits.to_vec();
        let writer = tokio::spawn(async move {
            let mut at = 0;
            let mut k = 0;
            while at < bytes.len() {
                let n = splits[k % splits.len()].clamp(1, bytes.len() - at);
                wr.write_all(&bytes[at..at + n]).await.unwrap();
                at += n;
                k += 1;
            }
            // Half-close: the server sees EOF, answers what it has, and ends.
            wr.shutdown().await.unwrap();
            wr
        });
        let mut out = Vec::new();
        tokio::time::timeout(Duration::from_secs(30), rd.read_to_end(&mut out))
            .await
            .expect("the session did not end after the client half-closed")
            .unwrap();
        let _wr = writer.await.unwrap();
        tokio::time::timeout(Duration::from_secs(5), task)
            .await
            .expect("session task still running")
            .unwrap();
        assert!(out.is_empty() || out.ends_with(b"\n"), "answer cut short");
        out.split(|b| *b == b'\n')
            .filter(|l| !l.is_empty())
            .map(<[u8]>::to_vec)
            .collect()
    })
}

fn small() -> Limits {
    Limits {
        max_line: CAP,
        ..Limits::default()
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn every_line_is_answered_in_order_however_it_is_split(
        lines in proptest::collection::vec(line(), 0..24),
        tail in proptest::collection::vec(any::<u8>().prop_filter("no newline", |b| *b != b'\n'), 0..40),
        splits in proptest::collection::vec(1usize..700, 1..8),
        one_write in any::<bool>(),
    ) {
        let mut bytes: Vec<u8> = lines.iter().flat_map(Line::bytes).collect();
        // A partial last line, cut by the half-close: never answered.
        bytes.extend_from_slice(&tail);
        let splits = if one_write { vec![bytes.len().max(1)] } else { splits };
        let answers = drive(&bytes, &splits, small());
        let got: Vec<Expect> = answers.iter().map(|l| classify(l)).collect();
        prop_assert_eq!(got, expected(&lines));
    }
}

#[test]
fn the_real_cap_answers_an_oversized_line_and_goes_on() {
    let mut bytes = br#"{"id":1,"status":{}}"#.to_vec();
    bytes.push(b'\n');
    bytes.extend(std::iter::repeat_n(
        b'x',
        codexd_proto::MAX_REQUEST_LINE + 1,
    ));
    bytes.push(b'\n');
    bytes.extend_from_slice(br#"{"id":2,"list":{}}"#);
    bytes.push(b'\n');
    // Exactly at the cap is still a line (and here not a request).
    bytes.extend(std::iter::repeat_n(
        b' ',
        codexd_proto::MAX_REQUEST_LINE - 1,
    ));
    bytes.extend_from_slice(b"x\n");
    let answers = drive(&bytes, &[64 * 1024], Limits::default());
    let got: Vec<Expect> = answers.iter().map(|l| classify(l)).collect();
    assert_eq!(
        got,
        vec![
            Expect::Answer(1),
            Expect::Bad,
            Expect::Answer(2),
            Expect::Bad
        ]
    );
    let too_long: codexd_proto::Response = serde_json::from_slice(&answers[1]).unwrap();
    assert!(
        too_long
            .error
            .unwrap()
            .message
            .contains("longer than 1048576"),
        "{}",
        String::from_utf8_lossy(&answers[1])
    );
}

#[test]
fn many_requests_in_one_write_are_all_answered_in_order() {
    let mut bytes = Line::Hello.bytes();
    for id in 1..=500u64 {
        bytes.extend(Line::Request(id, r#""status":{}"#.into()).bytes());
    }
    let answers = drive(&bytes, &[bytes.len()], Limits::default());
    let got: Vec<Expect> = answers.iter().map(|l| classify(l)).collect();
    let mut want = vec![Expect::Hello];
    want.extend((1..=500).map(Expect::Answer));
    assert_eq!(got, want);
}
