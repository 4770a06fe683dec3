//! `talkbook serve` over HTTP: nothing outside the in-memory site can be
//! reached (`..`, encoded dots and slashes, absolute paths, symlinks out of
//! `static/`), malformed requests get a 4xx and the server keeps going,
//! and a bounded load on loopback during edits fails no request.

use std::collections::BTreeSet;
use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::support::serve::*;
use crate::support::*;

/// In a file beside the site, never to be served.
const SECRET: &str = "TOP-SECRET-7f3a";

fn site() -> Site {
    let site = Site::new()
        .file(
            "content/talks/alpha.md",
            "+++\ntitle = \"Alpha talk\"\ntags = [\"async\"]\n+++\nAlpha body.\n",
        )
        .file(
            "content/talks/beta.md",
            "+++\ntitle = \"Beta talk\"\ntags = [\"async\"]\n+++\nBeta body.\n",
        )
        .file("static/site.css", "p { margin: 0; }\n");
    std::fs::write(site.tmp().join("secret.txt"), SECRET).unwrap();
    std::fs::create_dir(site.tmp().join("secret-dir")).unwrap();
    std::fs::write(site.tmp().join("secret-dir/inside.txt"), SECRET).unwrap();
    let link = |target: &str, name: &str| {
        std::os::unix::fs::symlink(site.tmp().join(target), site.root().join(name)).unwrap()
    };
    link("secret.txt", "static/leak.txt");
    link("secret-dir", "static/leak-dir");
    link("secret.txt", "content/talks/leak.md");
    site
}

/// Asserts `response` is a refusal (4xx) that shows nothing of the secret.
#[track_caller]
fn assert_refused(what: &str, response: &Response) {
    assert!(
        (400..500).contains(&response.status),
        "{what}: status {}",
        response.status
    );
    assert_lacks(&response.text(), SECRET);
}

#[tokio::test(flavor = "multi_thread")]
async fn nothing_outside_the_site_is_served() {
    let live = Live::start(site()).await;
    live.assert_fresh();
    let served = live.server.files();
    assert!(
        served.keys().all(|path| !path.contains("leak")),
        "symlinks are not part of the site"
    );
    for path in [
        "/../secret.txt",
        "/../../secret.txt",
        "/%2e%2e/secret.txt",
        "/%2E%2E/secret.txt",
        "/..%2fsecret.txt",
        "/..%2Fsecret.txt",
        "/static/..%2f..%2fsecret.txt",
        "/static/%2e%2e/%2e%2e/secret.txt",
        "/static/..%5c..%5csecret.txt",
        "/static/leak.txt",
        "/static/leak-dir/inside.txt",
        "/talks/leak/",
        "//secret.txt",
        "/./static/site.css",
        "/static/site.css%00.html",
        &format!("/{}/secret.txt", live.site.tmp().display()),
        &format!("/%2F{}", live.site.tmp().join("secret.txt").display()),
        "/etc/passwd",
    ] {
        assert_refused(path, &live.get(path).await);
    }
    // Absolute-form request targets are looked up by their path only.
    let raw =
        b"GET http://127.0.0.1/../secret.txt HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n";
    assert_refused("absolute form", &request_raw(live.address(), raw).await);
    let raw = format!(
        "GET file://{}/secret.txt HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n",
        live.site.tmp().display()
    );
    assert_refused(
        "file URL",
        &request_raw(live.address(), raw.as_bytes()).await,
    );
    assert_eq!(live.get("/static/site.css").await.status, 200);
    live.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn malformed_requests_get_a_4xx() {
    let live = Live::start(site()).await;
    let long = format!(
        "GET /{} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n",
        "a".repeat(70_000)
    );
    let requests: Vec<(&str, Vec<u8>)> = vec![
        ("garbage", b"GARBAGE\r\n\r\n".to_vec()),
        ("no path", b"GET HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".to_vec()),
        (
            "relative path",
            b"GET talks/alpha/ HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".to_vec(),
        ),
        (
            "bad percent-encoding",
            b"GET /%ff%fe HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n".to_vec(),
        ),
        (
            "bytes that are not UTF-8",
            b"GET /\xff\xfe HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".to_vec(),
        ),
        (
            "control character",
            b"GET /a%01b HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n".to_vec(),
        ),
        (
            "header without a colon",
            b"GET / HTTP/1.1\r\nHost x\r\n\r\n".to_vec(),
        ),
        ("huge path", long.into_bytes()),
        (
            "POST",
            b"POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 2\r\nConnection: close\r\n\r\nab"
                .to_vec(),
        ),
        (
            "DELETE",
            b"DELETE /talks/alpha/ HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n".to_vec(),
        ),
        (
            "bad content length",
            b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: -3\r\n\r\n".to_vec(),
        ),
        (
            "websocket without upgrade",
            b"GET /__livereload HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n".to_vec(),
        ),
    ];
    for (what, raw) in &requests {
        assert_refused(what, &request_raw(live.address(), raw).await);
    }
    // A client that sends half a request and goes away.
    let mut half = tokio::net::TcpStream::connect(live.address())
        .await
        .unwrap();
    tokio::io::AsyncWriteExt::write_all(&mut half, b"GET /talks/al")
        .await
        .unwrap();
    drop(half);
    // The server is still up and well.
    assert_has(&live.page("/talks/alpha/").await, "Alpha body.");
    live.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn methods_head_and_compression() {
    let live = Live::start(site()).await;
    let raw = b"HEAD /talks/alpha/ HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n";
    let head = request_raw(live.address(), raw).await;
    assert_eq!(head.status, 200);
    assert!(head.body.is_empty());
    let raw = b"GET /talks/alpha/ HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept-Encoding: gzip\r\nConnection: close\r\n\r\n";
    let zipped = request_raw(live.address(), raw).await;
    assert_eq!(zipped.status, 200);
    assert_eq!(zipped.header("content-encoding"), Some("gzip"));
    assert_eq!(&zipped.body[..2], [0x1f, 0x8b], "a gzip stream");
    let plain = live.get("/talks/alpha/").await;
    assert!(zipped.body.len() < plain.body.len());
    let raw = b"GET /static/site.css HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept-Encoding: gzip\r\nConnection: close\r\n\r\n";
    assert_eq!(request_raw(live.address(), raw).await.status, 200);
    let post = request_raw(
        live.address(),
        b"PUT /x HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
    )
    .await;
    assert_eq!(post.status, 405);
    assert_eq!(post.header("allow"), Some("GET, HEAD"));
    live.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_bounded_load_during_edits_fails_no_request() {
    const TASKS: usize = 4;
    const REQUESTS_PER_TASK: usize = 600;
    let live = Arc::new(Live::start(site()).await);
    let started = Instant::now();
    let paths = [
        "/",
        "/talks/alpha/",
        "/talks/beta/",
        "/tags/async/",
        "/static/site.css",
        "/atom.xml",
        "/sitemap.xml",
        "/404-missing/",
    ];
    let mut tasks = Vec::new();
    for task in 0..TASKS {
        let live = live.clone();
        tasks.push(tokio::spawn(async move {
            let mut failures = Vec::new();
            for i in 0..REQUESTS_PER_TASK {
                let path = paths[(i + task) % paths.len()];
                let response = live.get(path).await;
                let expected = if path.starts_with("/404") { 404 } else { 200 };
                if response.status != expected || response.body.is_empty() {
                    failures.push(format!("{path}: {}", response.status));
                }
            }
            failures
        }));
    }
    // Meanwhile, edits: each one a rebuild that publishes while requests run.
    let editor = {
        let root = live.site.root();
        tokio::spawn(async move {
            for i in 0..20 {
                let text = format!(
                    "+++\ntitle = \"Alpha talk {i}\"\ntags = [\"async\", \"t{}\"]\n+++\nAlpha body {i}.\n",
                    i % 3
                );
                std::fs::write(root.join("content/talks/alpha.md"), text).unwrap();
                tokio::time::sleep(Duration::from_millis(60)).await;
            }
        })
    };
    let mut failures = Vec::new();
    for task in tasks {
        failures.extend(task.await.unwrap());
    }
    editor.await.unwrap();
    assert!(
        failures.is_empty(),
        "{} failed requests: {failures:?}",
        failures.len()
    );
    let elapsed = started.elapsed();
    eprintln!(
        "{} requests in {:.2} s during 20 edits",
        TASKS * REQUESTS_PER_TASK,
        elapsed.as_secs_f64()
    );
    assert!(elapsed < PATIENCE * 2, "the load took {elapsed:?}");
    live.settle().await;
    let live = Arc::into_inner(live).expect("no task holds the server");
    let seen: BTreeSet<String> = live.server.files().into_keys().collect();
    assert!(seen.contains("talks/alpha/index.html"));
    live.stop().await;
}
