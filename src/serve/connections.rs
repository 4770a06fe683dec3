//! Accepting connections and speaking HTTP/1.1 on them, with a deadline on
//! each request's head.
//!
//! `axum::serve` keeps a connection open as long as the client likes, so
//! idle connections and requests sent a byte at a time pile up. Here hyper
//! serves each connection with a header read timeout: from the moment a
//! connection opens, or its last response is sent, the client has the
//! timeout to send a whole request head, or the connection is closed. A
//! connection that becomes a WebSocket (live reload) is handed over by
//! hyper and no longer under this deadline.

use std::pin::pin;
use std::time::Duration;

use axum::Router;
use axum::http::Request;
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::service::TowerToHyperService;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{oneshot, watch};
use tower::ServiceExt;

use super::guard::LocalAddress;

/// How long `serve` waits for a request's head on a connection, unless told
/// otherwise ([`super::ServeOptions::idle_timeout`]).
pub const IDLE_TIMEOUT: Duration = Duration::from_secs(20);

/// Serves `app` on every connection `listener` accepts, until `stop`; then
/// lets the requests being answered finish, and returns.
pub async fn serve(
    listener: TcpListener,
    app: Router,
    idle_timeout: Duration,
    stop: oneshot::Receiver<()>,
) {
    let (closing, closed) = watch::channel(false);
    let mut stop = pin!(stop);
    loop {
        let accepted = tokio::select! {
            accepted = listener.accept() => accepted,
            _ = &mut stop => break,
        };
        match accepted {
            Ok((stream, _)) => {
                tokio::spawn(connection(
                    stream,
                    app.clone(),
                    idle_timeout,
                    closed.clone(),
                ));
            }
            // Out of file descriptors, most likely: let some connections end.
            Err(_) => tokio::time::sleep(Duration::from_millis(100)).await,
        }
    }
    closing.send_replace(true);
    drop(closed);
    // Every connection holds a receiver until it ends.
    closing.closed().await;
}

/// Serves one connection until it ends, is idle past `idle_timeout`, or
/// the server closes.
async fn connection(
    stream: TcpStream,
    app: Router,
    idle_timeout: Duration,
    mut closing: watch::Receiver<bool>,
) {
    let local = stream.local_addr().ok().map(LocalAddress);
    let app = app.map_request(move |mut request: Request<Incoming>| {
        if let Some(local) = local {
            request.extensions_mut().insert(local);
        }
        request
    });
    let mut builder = http1::Builder::new();
    builder
        .timer(TokioTimer::new())
        .header_read_timeout(idle_timeout);
    let connection = builder
        .serve_connection(TokioIo::new(stream), TowerToHyperService::new(app))
        .with_upgrades();
    let mut connection = pin!(connection);
    tokio::select! {
        _ = connection.as_mut() => return,
        _ = closing.wait_for(|closing| *closing) => connection.as_mut().graceful_shutdown(),
    }
    let _ = connection.await;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_readme_gives_the_timeout() {
        let readme = include_str!("../../README.md");
        let figure = format!("within {} s", IDLE_TIMEOUT.as_secs());
        assert!(readme.contains(&figure), "README.md should say {figure:?}");
    }
}
