//! Any bytes, split into any writes, through the server's own session (`server::session`:
//! line reader, size cap, hello handling, dispatch) and then a half-close: no panic, the
//! session ends, and every line it writes is a whole JSON hello or response.
//!
//! The first byte picks the write size; the rest is what the client sends.
#![no_main]
use std::sync::{Arc, OnceLock};
use std::time::Duration;

use codexd_core::engine::{Config, Engine, Shared};
use codexd::server::{Limits, Readiness, session};
use libfuzzer_sys::fuzz_target;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

struct World {
    _dir: tempfile::TempDir,
    shared: Arc<Shared>,
    rt: tokio::runtime::Runtime,
}

fn world() -> &'static World {
    static W: OnceLock<World> = OnceLock::new();
    W.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        let home = dir.path().join("home");
        std::fs::create_dir_all(home.join("sessions")).unwrap();
        let mut config = Config::for_home(home);
        config.write_registry = false;
        let shared = Arc::new(Shared::new(Engine::new(config)));
        shared.full_reconcile(false);
        shared.rebuild_route_index();
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .unwrap();
        World {
            _dir: dir,
            shared,
            rt,
        }
    })
}

fuzz_target!(|data: &[u8]| {
    let Some((&split, bytes)) = data.split_first() else {
        return;
    };
    let split = usize::from(split).max(1);
    let w = world();
    // A small cap, so that over-long lines are within the fuzzer's reach.
    let limits = Limits {
        max_line: 512,
        ..Limits::default()
    };
    // Requests that would change or stop the shared engine are left out.
    if memchr_any(bytes, &[b"shutdown", b"set_status", b"cleanup", b"build", b"sync"]) {
        return;
    }
    w.rt.block_on(async {
        let (client, server) = tokio::io::duplex(4096);
        let (_tx, ready) = tokio::sync::watch::channel(Readiness::Indexed);
        let task = tokio::spawn(session(
            server,
            w.shared.clone(),
            ready,
            tokio_util::sync::CancellationToken::new(),
            limits,
        ));
        let (mut rd, mut wr) = tokio::io::split(client);
        let bytes = bytes.to_vec();
        let writer = tokio::spawn(async move {
            for chunk in bytes.chunks(split) {
                if wr.write_all(chunk).await.is_err() {
                    return;
                }
            }
            let _ = wr.shutdown().await;
        });
        let mut out = Vec::new();
        tokio::time::timeout(Duration::from_secs(10), rd.read_to_end(&mut out))
            .await
            .expect("session did not end after the half-close")
            .unwrap();
        writer.await.unwrap();
        task.await.expect("session panicked");
        assert!(out.is_empty() || out.ends_with(b"\n"));
        for line in out.split(|b| *b == b'\n').filter(|l| !l.is_empty()) {
            let v: serde_json::Value = serde_json::from_slice(line).expect("answer is JSON");
            assert!(
                v.get("hello").is_some()
                    || serde_json::from_slice::<codexd_proto::Response>(line).is_ok(),
                "not a hello or a response: {v}"
            );
        }
    });
});

fn memchr_any(hay: &[u8], needles: &[&[u8]]) -> bool {
    needles
        .iter()
        .any(|n| hay.windows(n.len()).any(|w| w == *n))
}
