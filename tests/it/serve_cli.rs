//! `talkbook serve` from the command line: it prints its URL, serves, says
//! when search is ready, and stops on Ctrl-C; a folder that is not a site
//! and a port already taken are errors (exit code 1).

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use crate::support::*;

#[test]
fn serves_until_interrupted() {
    let site = Site::new().file("content/talks/a.md", "# A talk\n\nHello.\n");
    let mut server = talkbook()
        .args(["serve", "--port", "0", "--root"])
        .arg(site.root())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start talkbook serve");
    let (told, terminal) = mpsc::channel();
    let stderr = BufReader::new(server.stderr.take().unwrap());
    std::thread::spawn(move || {
        for line in stderr.lines().map_while(Result::ok) {
            let _ = told.send(line);
        }
    });
    let mut line = String::new();
    BufReader::new(server.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    assert_has(&line, "Serving the site at http://127.0.0.1:");
    let address = line
        .split("http://")
        .nth(1)
        .and_then(|rest| rest.split('/').next())
        .expect("an address");
    let mut stream = TcpStream::connect(address).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(30)))
        .unwrap();
    stream
        .write_all(b"GET /talks/a/ HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
        .unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).unwrap();
    assert!(response.starts_with("HTTP/1.1 200"), "{response}");
    assert_has(&response, "Hello.");
    // Search follows the pages, and says so.
    let deadline = Instant::now() + serve::SEARCH_PATIENCE;
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        let line = terminal
            .recv_timeout(left)
            .expect("\"search ready\" in the terminal");
        if line.starts_with("search ready: indexed in ") {
            break;
        }
    }

    let interrupted = Command::new("kill")
        .args(["-INT", &server.id().to_string()])
        .status()
        .unwrap();
    assert!(interrupted.success());
    assert_eq!(server.wait().unwrap().code(), Some(0));
}

#[test]
fn a_folder_that_is_not_a_site_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let run = Run::of(
        talkbook()
            .args(["serve", "--port", "0", "--root"])
            .arg(dir.path()),
    );
    let run = run.failed();
    assert_has(&run.stderr, "cannot read the site's configuration");
}

#[test]
fn a_port_in_use_is_an_error() {
    let taken = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port().to_string();
    let site = Site::new().file("content/talks/a.md", "# A talk\n");
    let run = Run::of(
        talkbook()
            .args(["serve", "--port", &port, "--root"])
            .arg(site.root()),
    )
    .failed();
    assert_has(&run.stderr, "cannot listen on 127.0.0.1:");
    assert_has(&run.stderr, "--port");
}
