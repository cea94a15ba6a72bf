//! `variorum watch` and `variorum serve` as an editor uses them: a change is rebuilt, a broken
//! run keeps the last good outputs, the preview serves only its outputs, and (in headless
//! Chromium) an open page shows a change by itself.

use crate::harness::{repo, variorum, Scratch};
use crate::validators;
use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

/// How long a rebuild of the small edition may take on a loaded machine.
const PATIENCE: Duration = Duration::from_secs(60);

/// A running `variorum watch` or `serve`, killed when dropped, and the lines of its stderr.
struct Running {
    child: Child,
    lines: mpsc::Receiver<String>,
    seen: Vec<String>,
}

impl Running {
    fn start(args: &[&std::ffi::OsStr]) -> Running {
        let mut child = Command::new(env!("CARGO_BIN_EXE_variorum"))
            .args(args)
            .env_remove("SOURCE_DATE_EPOCH")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("variorum starts");
        let stderr = child.stderr.take().unwrap();
        let (send, lines) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                if send.send(line).is_err() {
                    break;
                }
            }
        });
        Running {
            child,
            lines,
            seen: Vec::new(),
        }
    }

    /// The next line that satisfies `test`, within [`PATIENCE`].
    fn wait_for(&mut self, test: impl Fn(&str) -> bool, what: &str) -> String {
        let deadline = Instant::now() + PATIENCE;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.lines.recv_timeout(left) {
                Ok(line) => {
                    self.seen.push(line.clone());
                    if test(&line) {
                        return line;
                    }
                }
                Err(_) => panic!(
                    "no {what} within {PATIENCE:?}; stderr so far:\n{}",
                    self.seen.join("\n")
                ),
            }
        }
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A new edition in `scratch`, and its output folder.
fn edition(scratch: &Scratch) -> (PathBuf, PathBuf) {
    let dir = scratch.path().join("edition");
    let run = variorum([Path::new("new"), &dir]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    (dir, scratch.path().join("out"))
}

const WITNESS: &str = "manuscript/02-wordsworth-1815.md";

fn replace_in(path: &Path, from: &str, to: &str) {
    let text = std::fs::read_to_string(path).unwrap();
    assert!(text.contains(from), "{from} not in {}", path.display());
    std::fs::write(path, text.replacen(from, to, 1)).unwrap();
}

#[test]
fn watch_rebuilds_a_change_and_keeps_the_last_good_outputs() {
    let scratch = Scratch::new("watch");
    let (dir, out) = edition(&scratch);
    let mut watch = Running::start(&[
        "watch".as_ref(),
        dir.as_os_str(),
        "--out".as_ref(),
        out.as_os_str(),
    ]);
    let epub = out.join("daffodils.epub");
    watch.wait_for(|l| l.ends_with("daffodils.pdf"), "first build");
    let first = std::fs::read(&epub).unwrap();

    replace_in(&dir.join(WITNESS), "beneath the trees", "beneath the elms");
    watch.wait_for(|l| l.ends_with("daffodils.pdf"), "rebuild after a change");
    let second = std::fs::read(&epub).unwrap();
    assert_ne!(first, second, "the change was not rebuilt");
    let pdf = std::fs::read(out.join("daffodils.pdf")).unwrap();

    std::fs::write(dir.join("footnotes.yaml"), "edition: [\n").unwrap();
    watch.wait_for(|l| l.contains("last good outputs are kept"), "a failed run");
    assert!(
        watch.seen.iter().any(|l| l.starts_with("error:")),
        "{:?}",
        watch.seen
    );
    assert_eq!(
        std::fs::read(&epub).unwrap(),
        second,
        "the EPUB was touched"
    );
    assert_eq!(
        std::fs::read(out.join("daffodils.pdf")).unwrap(),
        pdf,
        "the PDF was touched"
    );
}

/// `variorum serve` on a free port, after its first build: the running server and its address.
fn serve(dir: &Path, out: &Path) -> (Running, String) {
    let mut server = Running::start(&[
        "serve".as_ref(),
        dir.as_os_str(),
        "--port".as_ref(),
        "0".as_ref(),
        "--out".as_ref(),
        out.as_os_str(),
    ]);
    let line = server.wait_for(|l| l.starts_with("serving the preview at "), "address");
    let address = line
        .trim_start_matches("serving the preview at http://")
        .trim_end_matches('/')
        .to_owned();
    server.wait_for(|l| l.starts_with("outputs written"), "first build");
    (server, address)
}

/// Sends `target` as is (no client tidies it up) and returns the status code and the body.
fn get(address: &str, target: &str) -> (u16, Vec<u8>) {
    let mut stream = std::net::TcpStream::connect(address).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(20)))
        .unwrap();
    write!(
        stream,
        "GET {target} HTTP/1.1\r\nHost: {address}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut response = Vec::new();
    stream.read_to_end(&mut response).unwrap();
    let text = String::from_utf8_lossy(&response);
    let status = text
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("no status in {text}"));
    let body = match response.windows(4).position(|w| w == b"\r\n\r\n") {
        Some(at) => response[at + 4..].to_vec(),
        None => Vec::new(),
    };
    (status, body)
}

#[test]
fn serve_answers_404_outside_its_outputs() {
    let scratch = Scratch::new("serve-paths");
    let (dir, out) = edition(&scratch);
    // A symlink out of the output folder, to the sources: never followed (nothing is read
    // from disk), so never served.
    #[cfg(unix)]
    std::os::unix::fs::symlink(dir.join("footnotes.yaml"), scratch.path().join("link.yaml"))
        .unwrap();
    let (_server, address) = serve(&dir, &out);
    let (status, body) = get(&address, "/");
    assert_eq!(status, 200);
    assert!(String::from_utf8_lossy(&body).contains("<title>Daffodils</title>"));
    let (status, body) = get(&address, "/edition.pdf");
    assert_eq!(status, 200);
    // tiny_http sends a large body chunked: the PDF begins after the first chunk's size.
    assert!(body.windows(5).any(|w| w == b"%PDF-"), "no PDF");
    for outside in [
        "/../footnotes.yaml",
        "/../edition/footnotes.yaml",
        "/EPUB/../../edition/manuscript/02-wordsworth-1815.md",
        "/%2e%2e/footnotes.yaml",
        "/%2E%2E/%2e%2e/edition/footnotes.yaml",
        "/..%2f..%2fedition%2ffootnotes.yaml",
        "/%2e%2e%5cfootnotes.yaml",
        "//etc/passwd",
        "/%2Fetc/passwd",
        "/etc/passwd",
        "/footnotes.yaml",
        "/manuscript/02-wordsworth-1815.md",
        "/link.yaml",
        "/out/daffodils.pdf",
        "/daffodils.epub",
        "http://127.0.0.1/footnotes.yaml",
    ] {
        let (status, _) = get(&address, outside);
        assert_eq!(status, 404, "{outside}");
    }
}

#[test]
fn the_preview_reloads_itself_in_chromium() {
    let chromium = Path::new("/usr/bin/chromium");
    let browser = repo().join("tests/browser");
    if !chromium.is_file() {
        validators::missing(
            "chromium",
            "/usr/bin/chromium is missing",
            "apt-get install chromium",
        );
        return;
    }
    if !browser.join("node_modules/playwright-core").is_dir() {
        validators::missing(
            "playwright-core",
            "tests/browser/node_modules is missing",
            "run `PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --ignore-scripts` in tests/browser",
        );
        return;
    }
    let scratch = Scratch::new("preview");
    let (dir, out) = edition(&scratch);
    let (server, address) = serve(&dir, &out);
    let profile = scratch.path().join("chromium-profile");
    std::fs::create_dir_all(&profile).unwrap();
    let Some((ok, report)) = validators::run_tool(
        "node",
        &[
            browser.join("preview.mjs").to_str().unwrap(),
            &format!("http://{address}/"),
            "Daffodils",
            dir.join(WITNESS).to_str().unwrap(),
            dir.join("footnotes.yaml").to_str().unwrap(),
            profile.to_str().unwrap(),
        ],
        "install Node 20",
    ) else {
        return;
    };
    drop(server);
    assert!(ok, "the preview in Chromium:\n{report}");
    eprintln!("{report}");
}
