//! Helpers for the search tests: the browser's ranking code
//! (`static/search.js`) run under node over a built site.

use std::ffi::OsStr;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use serde_json::{Value, json};

use super::require;

/// Runs `tests/search_node.js` with `args`, `input` on its standard input,
/// and returns the JSON it prints; panics with its errors if it fails.
pub fn run_harness(args: &[&OsStr], input: &str) -> Value {
    let mut child = Command::new("node")
        .arg(harness())
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("node starts");
    child
        .stdin
        .take()
        .expect("a stdin pipe")
        .write_all(input.as_bytes())
        .expect("node reads its input");
    let output = child.wait_with_output().expect("node runs");
    assert!(
        output.status.success(),
        "search.js under node failed:\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).expect("JSON from node")
}

/// Whether `node` runs.
pub fn has_node() -> bool {
    require(
        Command::new("node")
            .arg("--version")
            .output()
            .is_ok_and(|o| o.status.success()),
        "node (Debian package nodejs), which runs the browser's search code",
    )
}

/// One query's results from the browser's engine.
#[derive(Debug, Clone)]
pub struct JsResult {
    /// Number of results.
    pub total: usize,
    /// The first ten: note id and score.
    pub hits: Vec<(usize, f64)>,
    /// The first ten's site-relative URLs.
    pub urls: Vec<String>,
    /// Whether the notes have every word (else any).
    pub every: bool,
    /// `[word, nearest]` for each word no note has.
    pub suggestions: Vec<(String, String)>,
    /// The excerpts of the first 10 results, as stored (`…` where cut).
    pub excerpts: Vec<String>,
    /// The index files it loaded (beyond those of the queries before it).
    pub files: Vec<String>,
}

/// Runs `queries` (each a JSON object `{"q": ..., "filters"?: ...,
/// "full"?: bool}`)
/// through `static/search.js` under node over the site built into `out`.
pub fn js_search(out: &Path, queries: &[Value]) -> Vec<JsResult> {
    js_search_raw(out, &Value::Array(queries.to_vec()).to_string())
}

/// Like [`js_search`] with the queries as JSON text, which may hold what
/// Rust strings cannot (lone surrogates).
pub fn js_search_raw(out: &Path, queries_json: &str) -> Vec<JsResult> {
    let results = run_harness(&[OsStr::new("search"), out.as_os_str()], queries_json);
    results
        .as_array()
        .expect("an array")
        .iter()
        .map(|r| JsResult {
            total: r["total"].as_u64().unwrap() as usize,
            hits: r["hits"]
                .as_array()
                .unwrap()
                .iter()
                .map(|h| (h[0].as_u64().unwrap() as usize, h[1].as_f64().unwrap()))
                .collect(),
            urls: r["urls"]
                .as_array()
                .unwrap()
                .iter()
                .map(|u| u.as_str().unwrap().to_string())
                .collect(),
            every: r["every"].as_bool().unwrap(),
            excerpts: r["excerpts"]
                .as_array()
                .unwrap()
                .iter()
                .map(|x| x.as_str().unwrap_or_default().to_string())
                .collect(),
            files: r["files"]
                .as_array()
                .unwrap()
                .iter()
                .map(|f| f.as_str().unwrap().to_string())
                .collect(),
            suggestions: r["suggestions"]
                .as_array()
                .unwrap()
                .iter()
                .map(|s| {
                    let text = |key: &str| s[key].as_str().unwrap().to_string();
                    (text("word"), text("nearest"))
                })
                .collect(),
        })
        .collect()
}

/// `{"q": query}`.
pub fn q(query: &str) -> Value {
    json!({ "q": query })
}

/// The node harness, `tests/search_node.js`.
pub fn harness() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/search_node.js")
}
