//! The preview's HTTP server (tiny_http) on the loopback interface. Requests are answered from
//! the in-memory [`Preview`] only; a path that is not one of its files is 404, whatever it
//! spells (`..`, percent-encoded or not, absolute forms, back slashes).

use super::site::{Answer, Preview, EVENTS};
use super::ServeError;
use std::io::Write;
use std::sync::Arc;
use std::time::Duration;

/// How often an idle event stream is written to, to notice a closed page.
const KEEP_ALIVE: Duration = Duration::from_secs(15);

pub(super) struct Server {
    http: tiny_http::Server,
    preview: Arc<Preview>,
}

impl Server {
    /// Listens on `127.0.0.1:port`.
    pub fn bind(port: u16, preview: Arc<Preview>) -> Result<Server, ServeError> {
        let http = tiny_http::Server::http(("127.0.0.1", port))
            .map_err(|e| ServeError::Listen(port, e.to_string()))?;
        Ok(Server { http, preview })
    }

    /// `127.0.0.1:port`, the port chosen when 0 was asked for.
    pub fn address(&self) -> String {
        match self.http.server_addr().to_ip() {
            Some(address) => address.to_string(),
            None => "127.0.0.1".into(),
        }
    }

    /// Answers requests, each on a thread of its own (an event stream stays open), forever.
    pub fn run(&self) {
        for request in self.http.incoming_requests() {
            let preview = Arc::clone(&self.preview);
            std::thread::spawn(move || answer(request, &preview));
        }
    }
}

fn answer(request: tiny_http::Request, preview: &Preview) {
    let method = request.method().clone();
    if !matches!(method, tiny_http::Method::Get | tiny_http::Method::Head) {
        let _ = request.respond(tiny_http::Response::empty(405));
        return;
    }
    let target = request.url().to_owned();
    let Some(path) = local_path(&target) else {
        let _ = request.respond(not_found());
        return;
    };
    if path == EVENTS {
        let since = query(&target, "since")
            .and_then(|v| v.parse().ok())
            .unwrap_or(0);
        events(request, preview, since);
        return;
    }
    let response = match preview.get(&path) {
        Answer::Page(page) => {
            let header = tiny_http::Header::from_bytes("Content-Type", page.content_type)
                .expect("a valid header");
            let cache =
                tiny_http::Header::from_bytes("Cache-Control", "no-store").expect("a valid header");
            tiny_http::Response::from_data(page.bytes.to_vec())
                .with_header(header)
                .with_header(cache)
        }
        Answer::NotFound => not_found(),
    };
    let _ = request.respond(response);
}

fn not_found() -> tiny_http::Response<std::io::Cursor<Vec<u8>>> {
    tiny_http::Response::from_string("not found\n").with_status_code(404)
}

/// A stream of server-sent events: one `reload` as soon as a generation after `since` is
/// published, then the stream ends (the page reloads and opens a new one).
fn events(request: tiny_http::Request, preview: &Preview, since: u64) {
    let mut out = request.into_writer();
    let head = "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-store\r\nConnection: close\r\n\r\n";
    if out
        .write_all(head.as_bytes())
        .and_then(|()| out.flush())
        .is_err()
    {
        return;
    }
    loop {
        let generation = preview.wait_past(since, KEEP_ALIVE);
        let event = if generation > since {
            format!("data: reload {generation}\n\n")
        } else {
            ": still here\n\n".to_owned()
        };
        if out
            .write_all(event.as_bytes())
            .and_then(|()| out.flush())
            .is_err()
            || generation > since
        {
            return;
        }
    }
}

/// The value of `key` in the target's query string.
fn query<'a>(target: &'a str, key: &str) -> Option<&'a str> {
    let (_, query) = target.split_once('?')?;
    query
        .split('&')
        .find_map(|pair| pair.strip_prefix(key)?.strip_prefix('='))
}

/// The request target's path, percent-decoded and without its leading `/`, when it is one a
/// preview file could have: origin form (`/…`), valid UTF-8, and no `.` or `..` segment, no
/// empty segment, no back slash and no NUL once decoded. Anything else is refused.
fn local_path(target: &str) -> Option<String> {
    let path = target.split(['?', '#']).next()?;
    let path = path.strip_prefix('/')?;
    let decoded = percent_decode(path)?;
    if decoded.is_empty() {
        return Some(decoded);
    }
    let bad_segment = decoded
        .split('/')
        .any(|segment| segment.is_empty() || segment == "." || segment == "..");
    if bad_segment || decoded.contains(['\\', '\0', ':']) {
        return None;
    }
    Some(decoded)
}

fn percent_decode(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = text.get(i + 1..i + 3)?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

#[cfg(test)]
mod tests {
    use super::local_path;

    #[test]
    fn only_plain_relative_paths_are_local() {
        assert_eq!(local_path("/").as_deref(), Some(""));
        assert_eq!(
            local_path("/EPUB/a.xhtml?x=1").as_deref(),
            Some("EPUB/a.xhtml")
        );
        assert_eq!(
            local_path("/EPUB/a%20b.xhtml").as_deref(),
            Some("EPUB/a b.xhtml")
        );
        for outside in [
            "/../footnotes.yaml",
            "/EPUB/../../manuscript/a.md",
            "/%2e%2e/footnotes.yaml",
            "/%2E%2E%2Ffootnotes.yaml",
            "/EPUB/%2e%2e/%2e%2e/etc/passwd",
            "//etc/passwd",
            "/%2Fetc/passwd",
            "http://127.0.0.1/etc/passwd",
            "/C:/x",
            "/a\\..\\b",
            "/%5c..%5cb",
            "/%00",
            "/%zz",
            "/./a",
            "*",
        ] {
            assert_eq!(local_path(outside), None, "{outside}");
        }
    }
}
