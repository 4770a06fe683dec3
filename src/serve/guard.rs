//! Who `serve` answers: requests for this machine's own names only, and
//! live-reload sockets only from pages of an allowed host.
//!
//! A page on another site can get the browser to send it requests for
//! `127.0.0.1` under the page's own name (DNS rebinding: the name is made to
//! resolve to this machine), so every request's `Host` (and the authority of
//! an absolute request target) must be a host the server is reached at:
//! `localhost`, `127.0.0.1`, `[::1]`, the address it listens on, the address
//! the connection came in on, or a name given with `--allow-host`, with any
//! port; anything else gets 421. A request without `Host` (HTTP/1.0) is
//! served: browsers always send one, so no page can make such a request.
//!
//! WebSockets are not bound by the same-origin policy: a page anywhere
//! could open the live-reload socket and read the site's error messages,
//! which quote notes. So a WebSocket request needs an `Origin` of
//! `http(s)://` an allowed host (any port), or none at all: browsers always
//! send `Origin` with a WebSocket, so its absence means a program, which
//! could read the site's files anyway. Anything else gets 403.

use std::collections::BTreeSet;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::sync::Arc;

use axum::extract::{Request, State};
use axum::http::header::{self, HeaderMap};
use axum::http::{HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::diagnostics::Diagnostic;

/// The local address a connection came in on, attached to its requests.
#[derive(Debug, Clone, Copy)]
pub struct LocalAddress(pub SocketAddr);

/// The hosts the server answers for, whatever the port.
#[derive(Debug, Clone)]
pub struct AllowedHosts {
    addresses: BTreeSet<IpAddr>,
    /// Lowercase.
    names: BTreeSet<String>,
}

impl AllowedHosts {
    /// `localhost`, `127.0.0.1`, `[::1]`, `bind`, and each of `extra` (a
    /// name or an address, a port is ignored). An `extra` that is not a
    /// host is an error.
    pub fn new(bind: IpAddr, extra: &[String]) -> Result<AllowedHosts, Diagnostic> {
        let mut hosts = AllowedHosts {
            addresses: [Ipv4Addr::LOCALHOST.into(), Ipv6Addr::LOCALHOST.into(), bind]
                .into_iter()
                .map(|address: IpAddr| address.to_canonical())
                .collect(),
            names: BTreeSet::from(["localhost".to_string()]),
        };
        for given in extra {
            let host = match given.parse::<IpAddr>() {
                Ok(address) => Some(Host::Address(address.to_canonical())),
                Err(_) => Host::parse(given),
            };
            match host {
                Some(Host::Address(address)) => hosts.addresses.insert(address),
                Some(Host::Name(name)) => hosts.names.insert(name),
                None => return Err(not_a_host(given)),
            };
        }
        Ok(hosts)
    }

    /// Whether the host of `authority` (`Host` header syntax) is allowed,
    /// or is `local`, the address the connection came in on.
    fn allows(&self, authority: &str, local: Option<IpAddr>) -> bool {
        match Host::parse(authority) {
            Some(Host::Address(address)) => {
                self.addresses.contains(&address) || Some(address) == local
            }
            Some(Host::Name(name)) => self.names.contains(&name),
            None => false,
        }
    }
}

fn not_a_host(given: &str) -> Diagnostic {
    Diagnostic::site_wide(format!("--allow-host {given:?} is not a host name"))
        .with_hint("give a name such as notes.lan or an address such as 192.168.1.5")
}

/// The host of a request or an origin.
#[derive(Debug, PartialEq)]
enum Host {
    Address(IpAddr),
    /// Lowercase.
    Name(String),
}

impl Host {
    /// The host of `authority`: a name, `1.2.3.4` or `[::1]`, each with an
    /// optional `:port`; `None` if it is none of these.
    fn parse(authority: &str) -> Option<Host> {
        let (host, port) = match authority.rsplit_once(':') {
            Some((host, port)) if !port.contains(']') => (host, port),
            _ => (authority, ""),
        };
        if !port.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        if let Some(inside) = host.strip_prefix('[').and_then(|h| h.strip_suffix(']')) {
            let address: Ipv6Addr = inside.parse().ok()?;
            return Some(Host::Address(IpAddr::from(address).to_canonical()));
        }
        if let Ok(address) = host.parse::<Ipv4Addr>() {
            return Some(Host::Address(address.into()));
        }
        let name = !host.is_empty()
            && host
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"-._".contains(&b));
        name.then(|| Host::Name(host.to_ascii_lowercase()))
    }
}

/// The middleware that refuses requests for other hosts (421) and
/// WebSockets from other origins (403).
pub async fn check(
    State(hosts): State<Arc<AllowedHosts>>,
    request: Request,
    next: Next,
) -> Response {
    let local = request
        .extensions()
        .get::<LocalAddress>()
        .map(|local| local.0.ip().to_canonical());
    let authority = request.uri().authority().map(|a| a.as_str().to_string());
    let host = request.headers().get(header::HOST);
    for named in host.map(header_text).into_iter().chain(authority) {
        if !hosts.allows(&named, local) {
            return misdirected(&named);
        }
    }
    if wants_websocket(request.headers()) && !origin_allowed(request.headers(), &hosts, local) {
        return refused(
            StatusCode::FORBIDDEN,
            "live reload only accepts connections from this server's own pages\n".into(),
        );
    }
    next.run(request).await
}

/// Whether the request asks to become a WebSocket.
fn wants_websocket(headers: &HeaderMap) -> bool {
    headers.get_all(header::UPGRADE).iter().any(|value| {
        header_text(value)
            .to_ascii_lowercase()
            .contains("websocket")
    })
}

/// Whether the request has no `Origin` or one of an allowed host.
fn origin_allowed(headers: &HeaderMap, hosts: &AllowedHosts, local: Option<IpAddr>) -> bool {
    let Some(origin) = headers.get(header::ORIGIN) else {
        return true;
    };
    let origin = header_text(origin);
    origin
        .strip_prefix("http://")
        .or_else(|| origin.strip_prefix("https://"))
        .is_some_and(|authority| hosts.allows(authority, local))
}

/// A header's value as text; a value that is not visible ASCII is no host.
fn header_text(value: &HeaderValue) -> String {
    value.to_str().unwrap_or("(not text)").to_string()
}

fn misdirected(host: &str) -> Response {
    let text = format!(
        "talkbook serve does not answer for {host:?}: only for localhost, 127.0.0.1, [::1] \
         and the address it listens on.\nTo reach it by that name, start it with \
         --allow-host NAME.\n"
    );
    refused(StatusCode::MISDIRECTED_REQUEST, text)
}

fn refused(status: StatusCode, text: String) -> Response {
    let headers = [
        (header::CONTENT_TYPE, "text/plain; charset=utf-8"),
        (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
    ];
    (status, headers, text).into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hosts() -> AllowedHosts {
        AllowedHosts::new(Ipv4Addr::UNSPECIFIED.into(), &["Notes.LAN".into()]).unwrap()
    }

    #[test]
    fn own_hosts_with_or_without_port() {
        let hosts = hosts();
        for allowed in [
            "localhost",
            "LocalHost:1111",
            "127.0.0.1",
            "127.0.0.1:8080",
            "[::1]",
            "[::1]:1111",
            "[0:0:0:0:0:0:0:1]:1",
            "[::ffff:127.0.0.1]",
            "0.0.0.0:1111",
            "notes.lan",
            "NOTES.lan:80",
        ] {
            assert!(hosts.allows(allowed, None), "{allowed}");
        }
        for refused in [
            "evil.example",
            "evil.example:1111",
            "localhost.evil.example",
            "127.0.0.2",
            "192.168.1.5",
            "::1",
            "[::1",
            "localhost:abc",
            "user@localhost",
            "localhost/x",
            "",
        ] {
            assert!(!hosts.allows(refused, None), "{refused}");
        }
    }

    #[test]
    fn the_address_a_connection_came_in_on() {
        let local = Some(IpAddr::from([192, 168, 1, 5]));
        assert!(hosts().allows("192.168.1.5:1111", local));
        assert!(!hosts().allows("192.168.1.6:1111", local));
    }

    #[test]
    fn allowed_names_must_be_hosts() {
        let bind = Ipv4Addr::LOCALHOST.into();
        assert!(AllowedHosts::new(bind, &["::1".into(), "[fe80::1]:8080".into()]).is_ok());
        for bad in ["", "a b", "http://x", "x:y"] {
            assert!(AllowedHosts::new(bind, &[bad.into()]).is_err(), "{bad}");
        }
    }
}
