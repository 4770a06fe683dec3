//! Live reload: the messages the server sends to open pages over the
//! WebSocket at [`SOCKET_PATH`], and the hub that fans them out.
//!
//! The script (`static/livereload.js`, served at [`SCRIPT_PATH`] and added
//! to every HTML page at serve time) reloads its page only when the page is
//! among the changed URLs, swaps changed stylesheets in place, and shows the
//! site's problems over the page until a good build clears them.

use std::sync::{Arc, Mutex, PoisonError};

use axum::extract::ws::{Message as Frame, WebSocket};
use serde::Serialize;
use tokio::sync::{broadcast, watch};

use crate::diagnostics::{Diagnostic, Diagnostics};

/// The live-reload script.
pub const SCRIPT: &str = include_str!("../../static/livereload.js");
/// Where the script is served.
pub const SCRIPT_PATH: &str = "/__livereload.js";
/// The WebSocket pages connect to.
pub const SOCKET_PATH: &str = "/__livereload";

/// What the server tells open pages, as JSON: `{"type": "reload", ...}` or
/// `{"type": "errors", ...}`.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "type", rename_all = "lowercase")]
pub enum Message {
    /// The site was rebuilt. Clears any error overlay.
    Reload {
        /// Site-relative URLs that changed: pages as `talks/x/` (the home
        /// page is `""`), other files as `static/style.css`.
        urls: Vec<String>,
        /// Those of `urls` that are stylesheets: swapped without a reload.
        css: Vec<String>,
    },
    /// The site has problems; the last good site is still served.
    Errors {
        /// Every problem, in file order.
        problems: Vec<Problem>,
    },
}

/// One problem, for the error overlay.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Problem {
    /// The file, relative to the site root.
    pub file: Option<String>,
    /// The 1-based line.
    pub line: Option<usize>,
    /// What is wrong.
    pub message: String,
    /// What to do about it.
    pub hint: Option<String>,
}

impl Message {
    /// The reload message for the output files at `paths`.
    pub fn reload(paths: &[String]) -> Message {
        let urls: Vec<String> = paths.iter().map(|p| url_of(p)).collect();
        let css = urls
            .iter()
            .filter(|u| u.ends_with(".css"))
            .cloned()
            .collect();
        Message::Reload { urls, css }
    }

    /// The message listing `problems`.
    pub fn errors(problems: &Diagnostics) -> Message {
        let problems = problems
            .0
            .iter()
            .map(|d| Problem {
                file: d.file.as_ref().map(|f| f.display().to_string()),
                line: d.line,
                message: d.message.clone(),
                hint: d.hint.clone(),
            })
            .collect();
        Message::Errors { problems }
    }
}

/// The URL of the output file at `path`: `talks/x/index.html` → `talks/x/`.
pub fn url_of(path: &str) -> String {
    match path.strip_suffix("index.html") {
        Some(folder) if folder.is_empty() || folder.ends_with('/') => folder.to_string(),
        _ => path.to_string(),
    }
}

/// Sends each message to every connected page, and the current problems,
/// if any, to pages as they connect.
pub struct Hub {
    messages: broadcast::Sender<Arc<str>>,
    /// The last errors message, until a reload message clears it.
    errors: Mutex<Option<Arc<str>>>,
    closing: watch::Sender<bool>,
}

impl Default for Hub {
    fn default() -> Self {
        Hub {
            messages: broadcast::channel(64).0,
            errors: Mutex::new(None),
            closing: watch::channel(false).0,
        }
    }
}

impl Hub {
    /// Sends `message` to every connected page.
    pub fn send(&self, message: &Message) {
        let json: Arc<str> = match serde_json::to_string(message) {
            Ok(json) => json.into(),
            Err(err) => {
                let bug = Diagnostic::internal(format!("a live-reload message as JSON: {err}"));
                eprintln!("{bug}");
                return;
            }
        };
        let mut errors = self.errors.lock().unwrap_or_else(PoisonError::into_inner);
        *errors = matches!(message, Message::Errors { .. }).then(|| json.clone());
        let _ = self.messages.send(json);
    }

    /// Closes every socket, for shutdown.
    pub fn close(&self) {
        self.closing.send_replace(true);
    }

    /// Talks to one page until it goes away or the server closes.
    pub async fn serve(self: Arc<Hub>, mut socket: WebSocket) {
        let mut messages = self.messages.subscribe();
        let mut closing = self.closing.subscribe();
        let current = self
            .errors
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone();
        if let Some(json) = current
            && socket
                .send(Frame::Text(json.as_ref().into()))
                .await
                .is_err()
        {
            return;
        }
        loop {
            tokio::select! {
                message = messages.recv() => match message {
                    Ok(json) => {
                        if socket.send(Frame::Text(json.as_ref().into())).await.is_err() {
                            return;
                        }
                    }
                    Err(broadcast::error::RecvError::Lagged(_)) => {}
                    Err(broadcast::error::RecvError::Closed) => return,
                },
                incoming = socket.recv() => match incoming {
                    Some(Ok(Frame::Close(_))) | Some(Err(_)) | None => return,
                    Some(Ok(_)) => {}
                },
                _ = closing.changed() => {
                    let _ = socket.send(Frame::Close(None)).await;
                    return;
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_are_named_by_their_url() {
        assert_eq!(url_of("index.html"), "");
        assert_eq!(url_of("talks/x/index.html"), "talks/x/");
        assert_eq!(url_of("talks/x/notindex.html"), "talks/x/notindex.html");
        assert_eq!(url_of("static/style.css"), "static/style.css");
    }

    #[test]
    fn reload_lists_stylesheets_apart() {
        let paths = ["talks/a/index.html".to_string(), "static/style.css".into()];
        let json = serde_json::to_value(Message::reload(&paths)).unwrap();
        assert_eq!(
            json,
            serde_json::json!({
                "type": "reload",
                "urls": ["talks/a/", "static/style.css"],
                "css": ["static/style.css"],
            })
        );
    }
}
