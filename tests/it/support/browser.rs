//! A real headless Chromium for browser tests, driven over WebDriver.
//!
//! `start()` launches `chromedriver` on a free port and opens a session in
//! Debian's `/usr/bin/chromium` with a fresh profile. Where Chromium or
//! chromedriver is missing it prints a loud SKIPPED line and returns `None`,
//! so the test passes on a machine without a browser, except under CI
//! (`CI=true`), where a missing browser fails the test.

use std::net::TcpListener;
use std::os::unix::process::CommandExt;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::{Client, ClientBuilder, Locator};

const CHROMIUM: &str = "/usr/bin/chromium";
const CHROMEDRIVER: &str = "/usr/bin/chromedriver";

/// A browser session; call [`Browser::close`] at the end of the test.
pub struct Browser {
    /// The WebDriver client: `goto`, `find`, `execute`, ...
    pub client: Client,
    driver: Child,
    _profile: tempfile::TempDir,
}

/// Starts a headless Chromium, or `None` (with a warning) where there is none.
pub async fn start() -> Option<Browser> {
    start_with(&[]).await
}

/// Starts a headless Chromium that prefers a dark colour scheme, as a
/// reader's system set to dark does (`prefers-color-scheme: dark`).
pub async fn start_dark() -> Option<Browser> {
    start_with(&[
        "--force-dark-mode",
        "--blink-settings=preferredColorScheme=0",
    ])
    .await
}

/// Starts a headless Chromium with `extra` command-line arguments.
async fn start_with(extra: &[&str]) -> Option<Browser> {
    for tool in [CHROMIUM, CHROMEDRIVER] {
        let what = format!(
            "{tool} (Debian packages chromium and chromium-driver), which runs the browser tests"
        );
        if !super::require(Path::new(tool).exists(), &what) {
            return None;
        }
    }
    let port = free_port();
    let driver = Command::new(CHROMEDRIVER)
        .arg(format!("--port={port}"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        // A process group of its own, shared by the Chromium it starts, so
        // that both can be ended together even when a test panics.
        .process_group(0)
        .spawn()
        .expect("chromedriver starts");
    let profile = tempfile::tempdir().expect("a profile folder");
    let mut capabilities = serde_json::json!({
        "goog:chromeOptions": {
            "binary": CHROMIUM,
            "args": [
                "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic",
                "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--allow-file-access-from-files",
                format!("--user-data-dir={}", profile.path().display()),
            ],
        }
    });
    let args = &mut capabilities["goog:chromeOptions"]["args"];
    if let serde_json::Value::Array(args) = args {
        args.extend(extra.iter().map(|arg| serde_json::Value::from(*arg)));
    }
    let serde_json::Value::Object(capabilities) = capabilities else {
        unreachable!("a JSON object")
    };
    let url = format!("http://127.0.0.1:{port}");
    let deadline = Instant::now() + Duration::from_secs(20);
    let client = loop {
        let mut builder = ClientBuilder::rustls().expect("TLS setup");
        match builder
            .capabilities(capabilities.clone())
            .connect(&url)
            .await
        {
            Ok(client) => break client,
            Err(err) if Instant::now() > deadline => {
                panic!("cannot start a Chromium session: {err}")
            }
            Err(_) => tokio::time::sleep(Duration::from_millis(100)).await,
        }
    };
    Some(Browser {
        client,
        driver,
        _profile: profile,
    })
}

impl Browser {
    /// Waits until `script` (a JavaScript expression) is truthy in the page,
    /// polling for up to `timeout`; returns its last value.
    pub async fn wait_until(&self, script: &str, timeout: Duration) -> serde_json::Value {
        let deadline = Instant::now() + timeout;
        loop {
            let value = self
                .client
                .execute(&format!("return ({script});"), vec![])
                .await
                .unwrap_or(serde_json::Value::Null);
            let truthy = !matches!(
                &value,
                serde_json::Value::Null | serde_json::Value::Bool(false)
            ) && value != serde_json::json!("")
                && value != serde_json::json!(0);
            if truthy || Instant::now() > deadline {
                return value;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// Clicks the element `locator` finds; panics when there is none.
    pub async fn click(&self, locator: Locator<'_>) {
        self.client
            .find(locator)
            .await
            .unwrap_or_else(|err| panic!("no element {locator:?} to click: {err}"))
            .click()
            .await
            .unwrap_or_else(|err| panic!("cannot click {locator:?}: {err}"));
    }

    /// Ends the session, then chromedriver and the browser.
    pub async fn close(self) {
        let _ = self.client.clone().close().await;
    }
}

impl Drop for Browser {
    /// Kills chromedriver's process group: chromedriver and its Chromium.
    fn drop(&mut self) {
        let _ = Command::new("kill")
            .args(["-KILL", "--", &format!("-{}", self.driver.id())])
            .status();
        let _ = self.driver.wait();
    }
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}
