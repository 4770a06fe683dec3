//! Helpers for the `talkbook serve` tests: a server on a free loopback port
//! over a site in a temporary folder, a WebSocket client for its live-reload
//! messages, a raw HTTP client, and the fresh build to compare with.

use std::collections::BTreeSet;
use std::net::{Ipv4Addr, SocketAddr};
use std::path::Path;
use std::time::{Duration, Instant};

use futures_util::StreamExt;
use serde_json::Value;
use talkbook::Files;
use talkbook::pipeline::Pipeline;
use talkbook::serve::livereload::url_of;
use talkbook::serve::{ServeOptions, Server};
use talkbook::site::Markdown;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream};

use super::Site;

/// The longest a test waits for a rebuild (debug builds on a busy machine).
pub const PATIENCE: Duration = Duration::from_secs(30);

/// The longest a test waits for the server's first search index, which is
/// built after the pages are served.
pub const SEARCH_PATIENCE: Duration = Duration::from_secs(60);

/// What `/api/search` says while the first search index is being built.
pub const SEARCH_BUILDING: &str = "the search index is being built: try again in a moment";

/// A server over a temporary site, with a live-reload socket connected.
pub struct Live {
    /// The site on disk.
    pub site: Site,
    /// The running server.
    pub server: Server,
    socket: WebSocketStream<MaybeTlsStream<TcpStream>>,
}

/// How [`Live::start`] serves `site`: on a free port of 127.0.0.1, as the
/// command line does by default.
pub fn serve_options(site: &Site) -> ServeOptions {
    options_at(&site.root())
}

/// How the command line serves the site at `root` by default, but on a free
/// port of 127.0.0.1.
fn options_at(root: &Path) -> ServeOptions {
    ServeOptions {
        root: root.to_path_buf(),
        bind: Ipv4Addr::LOCALHOST.into(),
        port: 0,
        open: false,
        drafts: false,
        allowed_hosts: Vec::new(),
        idle_timeout: talkbook::serve::IDLE_TIMEOUT,
    }
}

impl Live {
    /// Serves `site` on a free port of 127.0.0.1 and connects to its socket.
    pub async fn start(site: Site) -> Live {
        let options = serve_options(&site);
        Live::start_with(site, options).await
    }

    /// Serves `site` with `options` and connects to its socket.
    pub async fn start_with(site: Site, options: ServeOptions) -> Live {
        let server = Server::start(&options).await.expect("the server starts");
        let url = format!("ws://{}/__livereload", server.address());
        let (socket, _) = tokio_tungstenite::connect_async(url)
            .await
            .expect("the live-reload socket");
        Live {
            site,
            server,
            socket,
        }
    }

    /// The server's address.
    pub fn address(&self) -> SocketAddr {
        self.server.address()
    }

    /// `GET path`.
    pub async fn get(&self, path: &str) -> Response {
        get(self.address(), path).await
    }

    /// The body of `GET path`, asserting status 200.
    pub async fn page(&self, path: &str) -> String {
        let response = self.get(path).await;
        assert_eq!(response.status, 200, "GET {path}: {}", response.text());
        response.text()
    }

    /// The next live-reload message, as JSON; panics after [`PATIENCE`].
    pub async fn message(&mut self) -> Value {
        self.message_within(PATIENCE)
            .await
            .unwrap_or_else(|| panic!("no live-reload message within {PATIENCE:?}"))
    }

    /// The next live-reload message, if one comes within `wait`.
    pub async fn message_within(&mut self, wait: Duration) -> Option<Value> {
        loop {
            let frame = tokio::time::timeout(wait, self.socket.next()).await.ok()?;
            let frame = frame.expect("the socket stays open").expect("a frame");
            if let tokio_tungstenite::tungstenite::Message::Text(text) = frame {
                return Some(serde_json::from_str(&text).expect("JSON"));
            }
        }
    }

    /// Asserts that no message comes within `wait`.
    pub async fn assert_quiet(&mut self, wait: Duration) {
        if let Some(message) = self.message_within(wait).await {
            panic!("expected no live-reload message, got {message}");
        }
    }

    /// The next message, which must be a reload: its URLs, sorted.
    pub async fn reload(&mut self) -> Vec<String> {
        let message = self.message().await;
        assert_eq!(message["type"], "reload", "{message}");
        let mut urls = strings(&message["urls"]);
        urls.sort();
        urls
    }

    /// The next message, which must list errors: them, as JSON.
    pub async fn errors(&mut self) -> Vec<Value> {
        let message = self.message().await;
        assert_eq!(message["type"], "errors", "{message}");
        message["problems"].as_array().expect("problems").clone()
    }

    /// Waits for the reload after a change made when the site was `before`
    /// (from [`Server::files`]); asserts that the served site is what a
    /// fresh build makes, and that the message named exactly the URLs
    /// whose files differ. The URLs.
    pub async fn expect_reload(&mut self, before: &Files) -> Vec<String> {
        let urls = self.reload().await;
        let after = self.assert_fresh();
        assert_eq!(
            urls,
            changed_urls(before, &after),
            "the reload message's URLs"
        );
        urls
    }

    /// Asserts that the served site equals a fresh build of the site's
    /// folder, file by file; returns the files.
    #[track_caller]
    pub fn assert_fresh(&self) -> Files {
        let fresh = fresh_build(&self.site.root());
        assert_same(&self.server.files(), &fresh);
        fresh
    }

    /// Waits until the served site equals a fresh build (or panics after
    /// [`PATIENCE`]), for changes that may change nothing.
    pub async fn settle(&self) {
        let deadline = Instant::now() + PATIENCE;
        loop {
            let fresh = fresh_build(&self.site.root());
            let served = self.server.files();
            if served == fresh {
                return;
            }
            if Instant::now() > deadline {
                assert_same(&served, &fresh);
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// Waits until the server's first search index is ready: see
    /// [`search_ready`].
    pub async fn search_ready(&self) {
        search_ready(self.address()).await;
    }

    /// Stops the server.
    pub async fn stop(self) {
        self.server.stop().await;
    }
}

/// Serves the site at `root` on a free port of 127.0.0.1, with no
/// live-reload socket connected, and waits until its search is ready: the
/// server (serving until dropped) and its base URL,
/// `http://127.0.0.1:<port>/`.
pub async fn serve_at(root: &Path) -> (Server, String) {
    let server = Server::start(&options_at(root))
        .await
        .expect("the server starts");
    search_ready(server.address()).await;
    let base = format!("http://{}/", server.address());
    (server, base)
}

/// Waits until the server at `address` has its first search index (built
/// after its pages are served): until `/api/search` no longer answers 503
/// (it did while building, or busy); panics after [`SEARCH_PATIENCE`]. The
/// static `search-index/` files are published before `/api/search` answers.
pub async fn search_ready(address: SocketAddr) {
    let deadline = Instant::now() + SEARCH_PATIENCE;
    loop {
        let response = get(address, "/api/search?q=ready").await;
        if response.status != 503 {
            assert_eq!(response.status, 200, "{}", response.text());
            return;
        }
        assert!(
            Instant::now() < deadline,
            "search not ready within {SEARCH_PATIENCE:?}: {}",
            response.text()
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// The JSON array `value` as strings.
pub fn strings(value: &Value) -> Vec<String> {
    value
        .as_array()
        .expect("an array")
        .iter()
        .map(|v| v.as_str().expect("a string").to_string())
        .collect()
}

/// What `talkbook build` makes for the site at `root`, but the search
/// files (which `serve` sends a moment after an edit).
pub fn fresh_build(root: &Path) -> Files {
    let (mut files, _) = Pipeline::read(root, false, Markdown::Drop)
        .files()
        .expect("the site builds");
    files.retain(|path, _| !path.starts_with(talkbook::search::export::SEARCH_DIR));
    files
}

/// The URLs (as live reload names them) of the files that differ.
pub fn changed_urls(before: &Files, after: &Files) -> Vec<String> {
    let paths: BTreeSet<&String> = before.keys().chain(after.keys()).collect();
    let mut urls: Vec<String> = paths
        .into_iter()
        .filter(|p| before.get(*p) != after.get(*p))
        .map(|p| url_of(p))
        .collect();
    urls.sort();
    urls
}

/// Asserts two sites are the same, naming the first files that differ.
#[track_caller]
pub fn assert_same(served: &Files, fresh: &Files) {
    if served == fresh {
        return;
    }
    let paths: BTreeSet<&String> = served.keys().chain(fresh.keys()).collect();
    let differ: Vec<&String> = paths
        .into_iter()
        .filter(|p| served.get(*p) != fresh.get(*p))
        .collect();
    let first = differ[0];
    let show = |files: &Files| {
        files.get(first).map_or("(missing)".into(), |b| {
            String::from_utf8_lossy(b).into_owned()
        })
    };
    panic!(
        "the served site differs from a fresh build in {} files: {differ:?}\n--- served {first}\n{}\n--- fresh {first}\n{}",
        differ.len(),
        show(served),
        show(fresh)
    );
}

/// Writes `text` to `path` the way vim and JetBrains editors save: into a
/// temporary file beside it, then renamed over it.
pub fn write_atomically(path: &Path, text: &str) {
    let temp = path.with_file_name(format!(
        ".{}.tmp~",
        path.file_name().unwrap().to_string_lossy()
    ));
    std::fs::write(&temp, text).unwrap();
    std::fs::rename(&temp, path).unwrap();
}

/// An HTTP response.
#[derive(Debug)]
pub struct Response {
    /// The status code.
    pub status: u16,
    /// Headers, names in lowercase.
    pub headers: Vec<(String, String)>,
    /// The body, de-chunked.
    pub body: Vec<u8>,
}

impl Response {
    /// The header `name` (lowercase).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    /// The body as text.
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

/// `GET path` with `Connection: close`.
pub async fn get(address: SocketAddr, path: &str) -> Response {
    let request = format!("GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
    request_raw(address, request.as_bytes()).await
}

/// Sends `raw` bytes as a request and reads the response until the server
/// closes the connection.
pub async fn request_raw(address: SocketAddr, raw: &[u8]) -> Response {
    let mut stream = TcpStream::connect(address).await.expect("connect");
    stream.write_all(raw).await.expect("send the request");
    let mut bytes = Vec::new();
    tokio::time::timeout(PATIENCE, stream.read_to_end(&mut bytes))
        .await
        .expect("the server answers and closes")
        .expect("read the response");
    parse_response(&bytes)
}

fn parse_response(bytes: &[u8]) -> Response {
    let end = bytes
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .unwrap_or_else(|| panic!("no response head in {:?}", String::from_utf8_lossy(bytes)));
    let head = String::from_utf8_lossy(&bytes[..end]).into_owned();
    let mut lines = head.split("\r\n");
    let status = lines
        .next()
        .and_then(|l| l.split(' ').nth(1))
        .and_then(|s| s.parse().ok())
        .expect("a status line");
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_ascii_lowercase(), v.trim().to_string()))
        .collect();
    let rest = &bytes[end + 4..];
    let chunked = headers
        .iter()
        .any(|(n, v)| n == "transfer-encoding" && v.contains("chunked"));
    let body = if chunked {
        dechunk(rest)
    } else {
        rest.to_vec()
    };
    Response {
        status,
        headers,
        body,
    }
}

fn dechunk(mut bytes: &[u8]) -> Vec<u8> {
    let mut body = Vec::new();
    loop {
        let line_end = bytes
            .windows(2)
            .position(|w| w == b"\r\n")
            .expect("a chunk size");
        let size = usize::from_str_radix(
            String::from_utf8_lossy(&bytes[..line_end])
                .split(';')
                .next()
                .unwrap()
                .trim(),
            16,
        )
        .expect("a hex chunk size");
        if size == 0 {
            return body;
        }
        let start = line_end + 2;
        body.extend_from_slice(&bytes[start..start + size]);
        bytes = &bytes[start + size + 2..];
    }
}
