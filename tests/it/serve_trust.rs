//! `talkbook serve` answers only the person at this machine: requests for
//! other host names (DNS rebinding) get 421, live-reload sockets opened from
//! other origins get 403, over-long `/api/search` queries get 400, and idle
//! or half-sent connections are closed, while live reload stays connected.

use std::net::SocketAddr;
use std::time::{Duration, Instant};

use crate::support::serve::*;
use crate::support::*;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;

const NOTE: &str = "+++\ntitle = \"Service mesh at scale\"\n+++\n\nWe ran Istio with Envoy sidecars \
                    on four hundred clusters across three regions and measured latency, memory, \
                    upgrades, certificates, retries and outages for two years.\n";

fn site() -> Site {
    Site::new().file("content/talks/mesh.md", NOTE)
}

/// `GET path` naming `host` in the `Host` header.
async fn get_for(address: SocketAddr, host: &str, path: &str) -> Response {
    let request = format!("GET {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n");
    request_raw(address, request.as_bytes()).await
}

#[tokio::test(flavor = "multi_thread")]
async fn requests_for_other_host_names_are_refused() {
    let live = Live::start(site()).await;
    let port = live.address().port();
    for host in [
        "evil.example".to_string(),
        format!("evil.example:{port}"),
        format!("127.0.0.1.nip.io:{port}"),
        "localhost.evil.example".into(),
    ] {
        for path in ["/", "/talks/mesh/", "/api/search?q=istio"] {
            let response = get_for(live.address(), &host, path).await;
            assert_eq!(response.status, 421, "{host} {path}");
            assert_lacks(&response.text(), "Istio");
            assert_has(&response.text(), "--allow-host");
        }
    }
    let absolute = b"GET http://evil.example/talks/mesh/ HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n";
    assert_eq!(request_raw(live.address(), absolute).await.status, 421);
    for host in [
        "localhost".to_string(),
        format!("LocalHost:{port}"),
        "127.0.0.1".into(),
        format!("127.0.0.1:{port}"),
        format!("[::1]:{port}"),
    ] {
        let response = get_for(live.address(), &host, "/talks/mesh/").await;
        assert_eq!(response.status, 200, "{host}");
        assert_has(&response.text(), "Istio");
    }
    // HTTP/1.0 without Host: no browser sends that.
    let old = request_raw(live.address(), b"GET /talks/mesh/ HTTP/1.0\r\n\r\n").await;
    assert_eq!(old.status, 200);
    live.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn names_given_with_allow_host_are_answered() {
    let served = site();
    let mut options = serve_options(&served);
    options.allowed_hosts = vec!["Notes.LAN".into()];
    let live = Live::start_with(served, options).await;
    assert_eq!(
        get_for(live.address(), "notes.lan:8080", "/").await.status,
        200
    );
    assert_eq!(get_for(live.address(), "notes.lan", "/").await.status, 200);
    assert_eq!(get_for(live.address(), "other.lan", "/").await.status, 421);
    live.stop().await;

    let other = site();
    let run = Run::of(
        talkbook()
            .args([
                "serve",
                "--port",
                "0",
                "--allow-host",
                "not a host",
                "--root",
            ])
            .arg(other.root()),
    )
    .failed();
    assert_has(
        &run.stderr,
        "--allow-host \"not a host\" is not a host name",
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn live_reload_accepts_only_pages_of_allowed_hosts() {
    let live = Live::start(site()).await;
    let port = live.address().port();
    let url = format!("ws://{}/__livereload", live.address());
    let connect = |origin: String| {
        let mut request = url.as_str().into_client_request().unwrap();
        request
            .headers_mut()
            .insert("origin", origin.parse().unwrap());
        tokio_tungstenite::connect_async(request)
    };
    for origin in [
        "http://evil.example".to_string(),
        format!("http://evil.example:{port}"),
        format!("http://127.0.0.1.nip.io:{port}"),
        "null".into(),
        "file://".into(),
    ] {
        match connect(origin.clone()).await {
            Err(tokio_tungstenite::tungstenite::Error::Http(response)) => {
                assert_eq!(response.status(), 403, "{origin}")
            }
            Err(err) => panic!("{origin}: {err}"),
            Ok(_) => panic!("a page on {origin} opened the live-reload socket"),
        }
    }
    for origin in [
        format!("http://127.0.0.1:{port}"),
        format!("http://localhost:{port}"),
        "https://localhost".into(),
    ] {
        let connected = connect(origin.clone()).await;
        assert!(connected.is_ok(), "{origin}: {:?}", connected.err());
    }
    live.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn over_long_search_queries_get_a_400_that_says_so() {
    let live = Live::start(site()).await;
    live.search_ready().await;
    let mut words = String::new();
    for i in 0.. {
        if words.len() >= 60_000 {
            break;
        }
        words.push_str(&format!("w{i}+"));
    }
    let many_short_words = (0..100).map(|i| format!("w{i}")).collect::<Vec<_>>();
    for query in [words, many_short_words.join("+")] {
        let started = Instant::now();
        let response = live.get(&format!("/api/search?q={query}")).await;
        assert_eq!(response.status, 400, "{} characters", query.len());
        assert_has(&response.text(), "the query is too long");
        assert!(started.elapsed() < PATIENCE / 10);
    }
    let twenty_words = "istio envoy sidecars four hundred clusters three regions measured \
                        latency memory upgrades certificates retries outages two years mesh \
                        scale service";
    assert_eq!(twenty_words.split(' ').count(), 20);
    let response = live
        .get(&format!("/api/search?q={}", twenty_words.replace(' ', "+")))
        .await;
    assert_eq!(response.status, 200, "{}", response.text());
    assert_has(&response.text(), "/talks/mesh/");
    live.stop().await;
}

/// Whether the server closes `stream` within `wait`.
async fn closed_within(stream: &mut TcpStream, wait: Duration) -> bool {
    let mut rest = Vec::new();
    tokio::time::timeout(wait, stream.read_to_end(&mut rest))
        .await
        .is_ok()
}

#[tokio::test(flavor = "multi_thread")]
async fn idle_and_slow_connections_are_closed_but_live_reload_stays() {
    let site = site();
    let mut options = serve_options(&site);
    options.idle_timeout = Duration::from_secs(1);
    let mut live = Live::start_with(site, options).await;
    let opened = Instant::now();
    let connect = || TcpStream::connect(live.address());
    let mut idle = connect().await.unwrap();
    let mut half_sent = connect().await.unwrap();
    half_sent
        .write_all(b"GET /talks/mesh/ HTTP/1.1\r\nHost: 127.0.0.1\r\n")
        .await
        .unwrap();
    let mut kept_alive = connect().await.unwrap();
    kept_alive
        .write_all(b"HEAD /talks/mesh/ HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        .await
        .unwrap();
    let mut head = [0; 12];
    kept_alive.read_exact(&mut head).await.unwrap();
    assert_eq!(&head, b"HTTP/1.1 200");
    for (what, stream) in [
        ("an idle connection", &mut idle),
        ("half a request", &mut half_sent),
        ("a kept-alive connection", &mut kept_alive),
    ] {
        assert!(
            closed_within(stream, Duration::from_secs(10)).await,
            "{what} is still open after {:?}",
            opened.elapsed()
        );
    }
    // The live-reload socket, idle as long, still gets its messages.
    tokio::time::sleep(Duration::from_secs(2).saturating_sub(opened.elapsed())).await;
    let before = live.server.files();
    live.site.write(
        "content/talks/mesh.md",
        NOTE.replace("Istio", "Linkerd").as_bytes(),
    );
    let urls = live.expect_reload(&before).await;
    assert!(urls.contains(&"talks/mesh/".to_string()), "{urls:?}");
    live.stop().await;
}
