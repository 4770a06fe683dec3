//! `talkbook serve`: the site from memory, rebuilt on every edit, with live
//! reload in the browser.
//!
//! - [`server`](mod@server): HTTP with axum: the site's files with their
//!   types, folders' `index.html`, the site's `404.html`, gzip, and the
//!   live-reload script and socket;
//! - [`connections`]: accepting connections, closing idle and slow ones;
//! - [`guard`]: only requests for this machine's names, live-reload
//!   sockets only from its pages;
//! - [`limits`]: what one search request may cost;
//! - [`watch`]: file events, debounced into batches of [`watch::Changes`];
//! - [`rebuild`] and [`incremental`]: the site kept in memory and brought up
//!   to date, so an edit renders only the pages whose view it changed
//!   ([`crate::render::fingerprint`]);
//! - [`livereload`]: what open pages are told, and [`publisher`]: what
//!   was published and told so far;
//! - [`state`]: what the handlers and the rebuilding threads share.
//!
//! One thread waits for changes, rebuilds, publishes the changed files and
//! tells the pages; requests are served meanwhile from the last good site.
//! The pages are served as soon as the first site is rendered; its search
//! follows from a thread of its own ([`search`](mod@search)).

mod connections;
mod guard;
mod incremental;
mod limits;
pub mod livereload;
mod publisher;
mod rebuild;
mod search;
mod served;
mod server;
mod state;
pub mod watch;

use std::net::{IpAddr, SocketAddr};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::time::Instant;

use tokio::sync::oneshot;

pub use connections::IDLE_TIMEOUT;

use crate::config::{CONFIG_FILE, Config};
use crate::content;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::files::Files;
use crate::search::SearchInput;
use guard::AllowedHosts;
use publisher::Publisher;
use rebuild::{LiveSite, Outcome};
use state::AppState;
use watch::{Next, Stopper, Watcher};

/// What `talkbook serve` was asked to do.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    /// The folder holding `book.toml`.
    pub root: PathBuf,
    /// The address to listen on (127.0.0.1 unless told otherwise).
    pub bind: IpAddr,
    /// The port to listen on; 0 picks a free one.
    pub port: u16,
    /// Open the site in the default browser once it is served.
    pub open: bool,
    /// Include notes marked `draft = true`.
    pub drafts: bool,
    /// More names (or addresses) the server answers for, besides
    /// `localhost`, `127.0.0.1`, `[::1]` and `bind`.
    pub allowed_hosts: Vec<String>,
    /// How long a connection may take to send a request's head, from when
    /// it opens or its last response was sent ([`IDLE_TIMEOUT`] by default).
    pub idle_timeout: std::time::Duration,
}

/// Serves the site until interrupted (Ctrl-C).
pub fn run(options: &ServeOptions) -> Result<(), Diagnostics> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|err| Diagnostic::site_wide(format!("cannot start the server: {err}")))?;
    runtime.block_on(async {
        let server = Server::start(options).await?;
        // Listening for Ctrl-C before printing the URL: an interrupt right
        // after it must stop the server, not kill the process.
        let interrupted = interrupt()?;
        let url = format!("http://{}/", server.address());
        println!("Serving the site at {url} (Ctrl-C to stop)");
        if !options.bind.is_loopback() {
            eprintln!(
                "warning: listening on {}: anyone who can reach this machine can read your notes",
                options.bind
            );
        }
        if options.open {
            open_browser(&url);
        }
        interrupted.await;
        server.stop().await;
        Ok(())
    })
}

/// Resolves on Ctrl-C, listening from the moment it is called.
#[cfg(unix)]
fn interrupt() -> Result<impl Future<Output = ()>, Diagnostics> {
    use tokio::signal::unix::{SignalKind, signal};
    let mut interrupts = signal(SignalKind::interrupt())
        .map_err(|err| Diagnostic::site_wide(format!("cannot listen for Ctrl-C: {err}")))?;
    Ok(async move {
        interrupts.recv().await;
    })
}

/// Resolves on Ctrl-C.
#[cfg(not(unix))]
fn interrupt() -> Result<impl Future<Output = ()>, Diagnostics> {
    Ok(async {
        let _ = tokio::signal::ctrl_c().await;
    })
}

/// A running server: serving the site, watching its files, rebuilding.
/// Dropping it stops everything; [`Server::stop`] also waits for that.
pub struct Server {
    address: SocketAddr,
    state: Arc<AppState>,
    stopper: Stopper,
    shutdown: Option<oneshot::Sender<()>>,
    serving: Option<tokio::task::JoinHandle<()>>,
    rebuilding: Option<std::thread::JoinHandle<()>>,
}

impl Server {
    /// Builds the site, then serves it and rebuilds it on every change.
    /// Its search index is built next, in the background: until it is
    /// ready, `/api/search` answers 503 with `Retry-After` and the
    /// `search-index/` files are missing. Fails when the folder is not a
    /// site or the address is taken; a site with errors is served anyway,
    /// showing them. Call it inside a multi-threaded tokio runtime.
    pub async fn start(options: &ServeOptions) -> Result<Server, Diagnostics> {
        let root = site_root(&options.root)?;
        let hosts = Arc::new(AllowedHosts::new(options.bind, &options.allowed_hosts)?);
        let listener = tokio::net::TcpListener::bind((options.bind, options.port))
            .await
            .map_err(|err| cannot_listen(options, &err))?;
        let address = listener
            .local_addr()
            .map_err(|err| cannot_listen(options, &err))?;
        // Watching starts first: an edit made during the first build is
        // picked up right after it.
        let (watcher, stopper) = Watcher::start(&root, content::folders_of(&root))?;
        let drafts = options.drafts;
        let (live, first, started) = tokio::task::spawn_blocking(move || {
            let started = Instant::now();
            let mut live = LiveSite::load(&root, drafts);
            let first = live.render();
            (live, first, started)
        })
        .await
        .map_err(|err| Diagnostic::site_wide(format!("the first build failed: {err}")))?;
        let state = Arc::new(AppState::default());
        let mut publisher = Publisher::default();
        let good = matches!(first, Outcome::Publish(_));
        publisher.publish(&state, first, live.warnings(), started);
        let rebuilding = {
            let state = state.clone();
            std::thread::spawn(move || rebuild_on_changes(live, good, publisher, watcher, state))
        };
        let (shutdown, stopped) = oneshot::channel();
        let app = server::router(state.clone(), hosts);
        let serving = tokio::spawn(connections::serve(
            listener,
            app,
            options.idle_timeout,
            stopped,
        ));
        Ok(Server {
            address,
            state,
            stopper,
            shutdown: Some(shutdown),
            serving: Some(serving),
            rebuilding: Some(rebuilding),
        })
    }

    /// The address the server listens on.
    pub fn address(&self) -> SocketAddr {
        self.address
    }

    /// The site as served now: output path → bytes (the same paths as
    /// [`crate::render_site`]; pages without the live-reload script). The
    /// search index files (`search-index/`) are left out: they follow the
    /// start and each edit a moment later, from their own thread; ask
    /// `/api/search` or the files over HTTP.
    pub fn files(&self) -> Files {
        let mut files = self.state.files.snapshot();
        files.retain(|path, _| !path.starts_with(crate::search::export::SEARCH_DIR));
        files
    }

    /// Stops watching and serving, and waits until both have stopped.
    pub async fn stop(mut self) {
        self.signal_stop();
        if let Some(serving) = self.serving.take() {
            let _ = serving.await;
        }
        if let Some(rebuilding) = self.rebuilding.take() {
            let _ = tokio::task::spawn_blocking(move || rebuilding.join()).await;
        }
    }

    fn signal_stop(&mut self) {
        self.stopper.stop();
        self.state.hub.close();
        if let Some(shutdown) = self.shutdown.take() {
            let _ = shutdown.send(());
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.signal_stop();
    }
}

/// The canonical path of the site at `root`, which must hold a `book.toml`.
fn site_root(root: &Path) -> Result<PathBuf, Diagnostics> {
    if !root.join(CONFIG_FILE).is_file() {
        // Not a site: the same error as `talkbook build` gives.
        Config::load(root)?;
    }
    std::fs::canonicalize(root).map_err(|err| {
        Diagnostic::site_wide(format!("cannot open {}: {err}", root.display())).into()
    })
}

fn cannot_listen(options: &ServeOptions, err: &std::io::Error) -> Diagnostics {
    Diagnostic::site_wide(format!(
        "cannot listen on {}: {err}",
        SocketAddr::new(options.bind, options.port)
    ))
    .with_hint("pick another port with --port (0 picks a free one)")
    .into()
}

/// Rebuilds the site after each batch of changes, until the watcher stops.
/// Search is built on a thread of its own from a copy of the notes: of the
/// first site at once when it was good (its pages are served already; an
/// edit made meanwhile waits for that copy); after that, once the notes changed (or while there is no search yet), as
/// soon as no change came for [`search::QUIET`]: copying a big site's notes
/// takes a while, and the next edit's reload would wait for it.
fn rebuild_on_changes(
    mut live: LiveSite,
    first_good: bool,
    mut publisher: Publisher,
    mut watcher: Watcher,
    state: Arc<AppState>,
) {
    let search_input = search::spawn(state.clone());
    let state = &*state;
    let mut search_asked = first_good && search_input.send(SearchInput::of(live.site())).is_ok();
    let mut search_due = !search_asked;
    loop {
        let changes = match watcher.next_changes_within(search_due.then_some(search::QUIET)) {
            Next::Changes(changes) => changes,
            Next::Quiet => {
                search_asked = search_input.send(SearchInput::of(live.site())).is_ok();
                search_due = false;
                continue;
            }
            Next::Stopped => break,
        };
        let started = Instant::now();
        let outcome = match catch_unwind(AssertUnwindSafe(|| live.update(&changes))) {
            Ok(outcome) => outcome,
            Err(_) => {
                // A bug in talkbook, reported above by the panic: start again
                // from the files rather than stop rebuilding.
                eprintln!("error: talkbook failed while rebuilding; loading the site again");
                live.reload()
            }
        };
        let good = matches!(outcome, Outcome::Publish(_));
        watcher.set_folders(live.folders());
        publisher.publish(state, outcome, live.warnings(), started);
        let notes_changed = !changes.content.is_empty() || changes.config || changes.rescan;
        search_due |= good && (notes_changed || !search_asked);
    }
}

/// Opens `url` in the desktop's web browser, if there is one.
fn open_browser(url: &str) {
    let (program, args): (&str, &[&str]) = if cfg!(target_os = "macos") {
        ("open", &[])
    } else if cfg!(windows) {
        ("cmd", &["/C", "start", ""])
    } else {
        ("xdg-open", &[])
    };
    let child = Command::new(program)
        .args(args)
        .arg(url)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn();
    match child {
        Ok(mut child) => {
            std::thread::spawn(move || child.wait());
        }
        Err(err) => eprintln!("cannot open a browser ({program}: {err}); open {url} yourself"),
    }
}
