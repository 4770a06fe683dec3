//! HTTP: the site from memory, the live-reload script and socket.
//!
//! Only files of the in-memory site are ever served: a request path is
//! decoded, refused (400) if it holds `.` or `..` segments, empty segments,
//! backslashes or control characters, and then only looked up in the site's
//! files, so nothing outside the site can be reached, whatever the encoding.

use std::sync::Arc;

use axum::Router;
use axum::body::Bytes;
use axum::extract::{State, WebSocketUpgrade};
use axum::http::header::{self, HeaderValue};
use axum::http::{Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use percent_encoding::percent_decode_str;
use pulldown_cmark_escape::escape_html;
use tower_http::compression::CompressionLayer;

use super::guard::{self, AllowedHosts};
use super::limits::{self, Unanswered};
use super::livereload::{self, SCRIPT_PATH, SOCKET_PATH};
use super::state::{AppState, NoIndex};
use crate::urls;

/// The server's routes, for requests to `hosts` only.
pub fn router(state: Arc<AppState>, hosts: Arc<AllowedHosts>) -> Router {
    let site = Router::new()
        .route(SCRIPT_PATH, get(script))
        .route(API_SEARCH_PATH, get(api_search))
        .fallback(site_file)
        .layer(CompressionLayer::new());
    Router::new()
        .route(SOCKET_PATH, get(socket))
        .merge(site)
        .layer(axum::middleware::from_fn_with_state(hosts, guard::check))
        .with_state(state)
}

async fn socket(State(state): State<Arc<AppState>>, upgrade: WebSocketUpgrade) -> Response {
    let hub = state.hub.clone();
    upgrade.on_upgrade(move |socket| hub.serve(socket))
}

/// Where the server answers search queries with JSON.
pub const API_SEARCH_PATH: &str = "/api/search";
/// What `/api/search` answers (503, with `Retry-After`) while the site's
/// first search index is being built: its pages are served before it.
const SEARCH_BUILDING: &str = "the search index is being built: try again in a moment\n";
/// The most results one `/api/search` request returns.
const API_SEARCH_MAX: usize = 100;

/// `/api/search?q=...&limit=N&offset=M`.
#[derive(Debug, serde::Deserialize)]
struct SearchParams {
    #[serde(default)]
    q: String,
    limit: Option<usize>,
    #[serde(default)]
    offset: usize,
}

/// Results as `talkbook search --json` prints them, ranked the same:
/// `limit` of them (at most [`API_SEARCH_MAX`]) from `offset` on.
async fn api_search(
    State(state): State<Arc<AppState>>,
    axum::extract::Query(params): axum::extract::Query<SearchParams>,
) -> Response {
    if let Err(too_long) = limits::check_query(&params.q) {
        return (StatusCode::BAD_REQUEST, too_long).into_response();
    }
    let limit = params.limit.unwrap_or(10).min(API_SEARCH_MAX);
    let searching = state.clone();
    let results = state
        .searches
        .run(move || searching.search.answer(&params.q, params.offset, limit))
        .await;
    match results {
        Ok(Ok(Ok(results))) => axum::Json(results).into_response(),
        Ok(Ok(Err(bug))) => {
            eprintln!("{bug}");
            (
                StatusCode::INTERNAL_SERVER_ERROR,
                "the search failed: see the terminal\n",
            )
                .into_response()
        }
        Ok(Err(NoIndex::Building)) => (
            StatusCode::SERVICE_UNAVAILABLE,
            [(header::RETRY_AFTER, "1")],
            SEARCH_BUILDING,
        )
            .into_response(),
        Ok(Err(NoIndex::Failed)) => (
            StatusCode::INTERNAL_SERVER_ERROR,
            "the search index could not be built: see the terminal\n",
        )
            .into_response(),
        Err(Unanswered::Busy) => (
            StatusCode::SERVICE_UNAVAILABLE,
            [(header::RETRY_AFTER, "1")],
            "the server is busy searching: try again in a moment\n",
        )
            .into_response(),
        Err(Unanswered::Failed) => (
            StatusCode::INTERNAL_SERVER_ERROR,
            "the search failed: see the terminal\n",
        )
            .into_response(),
    }
}

async fn script() -> Response {
    let headers = [
        (header::CONTENT_TYPE, "text/javascript; charset=utf-8"),
        (header::CACHE_CONTROL, "no-cache"),
    ];
    (headers, livereload::SCRIPT).into_response()
}

/// A file of the site, a redirect from `/x` to the folder `/x/`, or the
/// site's `404.html`.
async fn site_file(State(state): State<Arc<AppState>>, method: Method, uri: Uri) -> Response {
    if method != Method::GET && method != Method::HEAD {
        let allow = [(header::ALLOW, "GET, HEAD")];
        return (StatusCode::METHOD_NOT_ALLOWED, allow).into_response();
    }
    let Some(rel) = site_path(uri.path()) else {
        return (StatusCode::BAD_REQUEST, "bad request path\n").into_response();
    };
    if state.files.is_empty() {
        return no_site();
    }
    let file = urls::file_for(&rel);
    if let Some(bytes) = state.files.get(&file) {
        return file_response(StatusCode::OK, &file, bytes);
    }
    let folder = !rel.is_empty() && !rel.ends_with('/');
    if folder && state.files.get(&format!("{rel}/index.html")).is_some() {
        return to_folder(&uri);
    }
    match state.files.get(urls::NOT_FOUND) {
        Some(bytes) => file_response(StatusCode::NOT_FOUND, urls::NOT_FOUND, bytes),
        None => (StatusCode::NOT_FOUND, "not found\n").into_response(),
    }
}

/// The site-relative path of a request's (still percent-encoded) path, or
/// `None` if it is malformed or tries to leave the site.
pub fn site_path(raw: &str) -> Option<String> {
    let decoded = percent_decode_str(raw).decode_utf8().ok()?;
    let rel = decoded.strip_prefix('/')?;
    let mut segments = rel.split('/').peekable();
    while let Some(segment) = segments.next() {
        let last = segments.peek().is_none();
        let bad = (segment.is_empty() && !last)
            || segment == "."
            || segment == ".."
            || segment.contains(|c: char| c == '\\' || c.is_control());
        if bad {
            return None;
        }
    }
    Some(rel.to_string())
}

/// A redirect from `/talks/x` to `/talks/x/`, so relative links work.
fn to_folder(uri: &Uri) -> Response {
    let location = match uri.query() {
        Some(query) => format!("{}/?{query}", uri.path()),
        None => format!("{}/", uri.path()),
    };
    match HeaderValue::try_from(location) {
        Ok(location) => (
            StatusCode::TEMPORARY_REDIRECT,
            [(header::LOCATION, location)],
        )
            .into_response(),
        Err(_) => StatusCode::BAD_REQUEST.into_response(),
    }
}

/// The file at output path `path`; HTML gets the live-reload script.
fn file_response(status: StatusCode, path: &str, bytes: Bytes) -> Response {
    let content_type = content_type(path);
    let body = if content_type.starts_with("text/html") {
        Bytes::from(with_livereload(&bytes, &livereload::url_of(path)))
    } else {
        bytes
    };
    let headers = [
        (header::CONTENT_TYPE, content_type),
        (header::CACHE_CONTROL, "no-cache"),
        (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
    ];
    (status, headers, body).into_response()
}

/// While no build has succeeded yet: a page that shows the errors overlay
/// and reloads once the site is good.
fn no_site() -> Response {
    let html = "<!doctype html>\n<title>talkbook: the site has errors</title>\n\
                <body><p>The site has errors: see the terminal.</p></body>\n";
    let headers = [
        (header::CONTENT_TYPE, "text/html; charset=utf-8"),
        (header::CACHE_CONTROL, "no-store"),
    ];
    let body = with_livereload(html.as_bytes(), "");
    (StatusCode::SERVICE_UNAVAILABLE, headers, body).into_response()
}

/// `html` with the live-reload script before its last `</body>`. `page` is
/// the URL of the page it is (`404.html` for any missing page).
fn with_livereload(html: &[u8], page: &str) -> Vec<u8> {
    let mut tag = format!("<script src=\"{SCRIPT_PATH}\" data-page=\"");
    let _ = escape_html(&mut tag, page);
    tag.push_str("\"></script>");
    let at = html
        .windows(7)
        .rposition(|w| w.eq_ignore_ascii_case(b"</body>"))
        .unwrap_or(html.len());
    let mut out = Vec::with_capacity(html.len() + tag.len());
    out.extend_from_slice(&html[..at]);
    out.extend_from_slice(tag.as_bytes());
    out.extend_from_slice(&html[at..]);
    out
}

/// The `Content-Type` of the output file at `path`.
pub fn content_type(path: &str) -> &'static str {
    let name = path.rsplit('/').next().unwrap_or(path);
    let extension = name
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default();
    match extension.as_str() {
        "html" | "htm" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "json" | "map" => "application/json",
        "xml" if name == urls::SITE_FEED => "application/atom+xml",
        "xml" => "application/xml",
        "txt" | "md" => "text/plain; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "avif" => "image/avif",
        "ico" => "image/x-icon",
        "woff" => "font/woff",
        "woff2" => "font/woff2",
        "ttf" => "font/ttf",
        "otf" => "font/otf",
        "pdf" => "application/pdf",
        "wasm" => "application/wasm",
        "mp4" => "video/mp4",
        "webm" => "video/webm",
        "mp3" => "audio/mpeg",
        _ => "application/octet-stream",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `/api/search?q=...` answered from `state`: status, `Retry-After`, body.
    async fn search_answer(state: Arc<AppState>, q: &str) -> (StatusCode, Option<String>, String) {
        let params = SearchParams {
            q: q.to_string(),
            limit: None,
            offset: 0,
        };
        let response = api_search(State(state), axum::extract::Query(params)).await;
        let status = response.status();
        let retry = response
            .headers()
            .get(header::RETRY_AFTER)
            .map(|value| value.to_str().unwrap().to_string());
        let body = axum::body::to_bytes(response.into_body(), usize::MAX)
            .await
            .unwrap();
        (status, retry, String::from_utf8(body.to_vec()).unwrap())
    }

    #[tokio::test]
    async fn search_before_the_first_index_says_to_retry_not_no_results() {
        let state = Arc::new(AppState::default());
        let (status, retry, body) = search_answer(state.clone(), "istio").await;
        assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);
        assert_eq!(retry.as_deref(), Some("1"));
        assert_eq!(body, SEARCH_BUILDING);
        // A first index that could not be built is not waited for.
        state.search.failed();
        let (status, retry, body) = search_answer(state, "istio").await;
        assert_eq!(status, StatusCode::INTERNAL_SERVER_ERROR);
        assert_eq!(retry, None);
        assert!(body.contains("could not be built"), "{body}");
    }

    #[test]
    fn paths_stay_inside_the_site() {
        assert_eq!(site_path("/").as_deref(), Some(""));
        assert_eq!(site_path("/talks/a/").as_deref(), Some("talks/a/"));
        assert_eq!(
            site_path("/static/my%20file.png").as_deref(),
            Some("static/my file.png")
        );
        for bad in [
            "/../etc/passwd",
            "/talks/../../x",
            "/%2e%2e/x",
            "/%2E%2E%2fx",
            "/..%2fx",
            "//etc/passwd",
            "/a//b",
            "/./a",
            "/a\\..\\b",
            "/a%5c..%5cb",
            "/a%00b",
            "/%ff",
            "talks",
        ] {
            assert_eq!(site_path(bad), None, "{bad}");
        }
    }

    #[test]
    fn script_goes_before_the_last_body_end() {
        let html = with_livereload(b"<p></body>x</BODY>\n", "talks/a/");
        assert_eq!(
            String::from_utf8(html).unwrap(),
            "<p></body>x<script src=\"/__livereload.js\" data-page=\"talks/a/\"></script></BODY>\n"
        );
        assert!(with_livereload(b"<p>", "").ends_with(b"</script>"));
    }

    #[test]
    fn types_by_extension() {
        assert_eq!(
            content_type("talks/a/index.html"),
            "text/html; charset=utf-8"
        );
        assert_eq!(content_type("atom.xml"), "application/atom+xml");
        assert_eq!(content_type("tags/x/atom.xml"), "application/atom+xml");
        assert_eq!(content_type("sitemap.xml"), "application/xml");
        assert_eq!(content_type("static/LOGO.PNG"), "image/png");
        assert_eq!(content_type("static/noext"), "application/octet-stream");
    }
}
