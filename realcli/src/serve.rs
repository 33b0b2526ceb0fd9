//! The one way the stand-in servers run: an axum router on its own thread and current-thread
//! tokio runtime, on a listener the caller bound (so its port is known before the thread
//! starts), until the returned sender is used or dropped.

use std::net::TcpListener;
use std::sync::{Condvar, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use axum::Router;

/// Serves `app` on `listener` from a thread named `name`.
pub(crate) fn spawn(
    name: String,
    listener: TcpListener,
    app: Router,
) -> (tokio::sync::oneshot::Sender<()>, JoinHandle<()>) {
    let (tx, rx) = tokio::sync::oneshot::channel::<()>();
    let thread = std::thread::Builder::new()
        .name(name)
        .spawn(move || {
            let rt = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .expect("tokio runtime for the stand-in");
            rt.block_on(async move {
                let listener = tokio::net::TcpListener::from_std(listener).expect("tokio listener");
                let _ = axum::serve(listener, app)
                    .with_graceful_shutdown(async move {
                        let _ = rx.await;
                    })
                    .await;
            });
        })
        .expect("spawn the stand-in thread");
    (tx, thread)
}

/// Waits until `done` holds for the state behind `lock` (re-checked each time `changed` is
/// notified), or `timeout` passes. A poisoned lock is taken as it is.
pub(crate) fn wait_until<T>(
    lock: &Mutex<T>,
    changed: &Condvar,
    timeout: Duration,
    done: impl Fn(&T) -> bool,
) -> bool {
    let deadline = Instant::now() + timeout;
    let mut inner = lock.lock().unwrap_or_else(|e| e.into_inner());
    loop {
        if done(&inner) {
            return true;
        }
        let now = Instant::now();
        if now >= deadline {
            return false;
        }
        inner = changed
            .wait_timeout(inner, deadline - now)
            .unwrap_or_else(|e| e.into_inner())
            .0;
    }
}
