//! The one way the stand-in servers run: an axum router on its own thread and current-thread
//! tokio runtime, on a listener the caller bound (so its port is known before the thread
//! starts), until the returned sender is used or dropped.

use std::net::TcpListener;
use std::thread::JoinHandle;

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
