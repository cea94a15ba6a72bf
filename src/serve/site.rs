//! The preview's pages, in memory: the entries of the last good EPUB (its XHTML chapters,
//! CSS, fonts and images under their own paths, so that relative links hold), a contents page,
//! the last good PDF, and the diagnostics of the last run when it failed.

use std::collections::BTreeMap;
use std::io::Read;
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::time::Duration;

/// One file of the preview.
#[derive(Debug, Clone)]
pub(super) struct Page {
    pub content_type: &'static str,
    pub bytes: Arc<Vec<u8>>,
}

#[derive(Debug, Default)]
struct State {
    /// Bumped at every publication that changes what a page shows.
    generation: u64,
    title: String,
    /// Paths (without the leading `/`) to files.
    files: BTreeMap<String, Page>,
    /// The chapters in reading order: path and title.
    contents: Vec<(String, String)>,
    pdf: Option<Arc<Vec<u8>>>,
    /// The diagnostics of the last run, when it failed.
    failure: Option<String>,
}

/// What the preview shows, shared by the rebuilding thread and the server.
#[derive(Debug, Default)]
pub(super) struct Preview {
    state: Mutex<State>,
    changed: Condvar,
}

/// What a request gets.
pub(super) enum Answer {
    Page(Page),
    NotFound,
}

/// The path of the script that reloads a page after each rebuild.
pub(super) const RELOAD_SCRIPT: &str = "_variorum/reload.js";
/// The path of the server-sent events that tell pages to reload.
pub(super) const EVENTS: &str = "_variorum/events";

impl Preview {
    fn state(&self) -> MutexGuard<'_, State> {
        self.state
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Replaces the pages with the entries of `epub`, and clears any failure.
    pub fn publish_pages(&self, title: &str, epub: &[u8]) {
        let (files, contents) = unpack(epub);
        let mut state = self.state();
        state.title = title.to_owned();
        state.files = files;
        state.contents = contents;
        state.failure = None;
        state.generation += 1;
        self.changed.notify_all();
    }

    /// The PDF of the last good run.
    pub fn publish_pdf(&self, pdf: Option<Vec<u8>>) {
        if let Some(pdf) = pdf {
            self.state().pdf = Some(Arc::new(pdf));
        }
    }

    /// The last run failed with these diagnostics: pages show them until a run succeeds.
    pub fn publish_failure(&self, diagnostics: &str) {
        let mut state = self.state();
        state.failure = Some(diagnostics.to_owned());
        state.generation += 1;
        self.changed.notify_all();
    }

    /// Waits until the generation passes `since`, or `timeout` passes; returns the generation.
    pub fn wait_past(&self, since: u64, timeout: Duration) -> u64 {
        let state = self.state();
        let (state, _) = self
            .changed
            .wait_timeout_while(state, timeout, |s| s.generation <= since)
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        state.generation
    }

    /// The answer to a request for `path` (decoded, without the leading `/`, known to hold no
    /// `..` segment).
    pub fn get(&self, path: &str) -> Answer {
        let state = self.state();
        let html = |text: String| {
            Answer::Page(Page {
                content_type: "text/html; charset=utf-8",
                bytes: Arc::new(text.into_bytes()),
            })
        };
        let is_page = path.is_empty() || path.ends_with(".xhtml") || path.ends_with(".html");
        if let (Some(failure), true) = (&state.failure, is_page) {
            return html(error_page(&state.title, failure, state.generation));
        }
        match path {
            "" if state.files.is_empty() => html(waiting_page(state.generation)),
            "" => html(contents_page(&state)),
            "edition.pdf" => match &state.pdf {
                Some(pdf) => Answer::Page(Page {
                    content_type: "application/pdf",
                    bytes: Arc::clone(pdf),
                }),
                None => Answer::NotFound,
            },
            RELOAD_SCRIPT => Answer::Page(Page {
                content_type: "text/javascript; charset=utf-8",
                bytes: Arc::new(include_bytes!("reload.js").to_vec()),
            }),
            _ => match state.files.get(path) {
                Some(page) if page.content_type == XHTML => Answer::Page(Page {
                    content_type: XHTML,
                    bytes: Arc::new(with_reload(&page.bytes, state.generation)),
                }),
                Some(page) => Answer::Page(page.clone()),
                None => Answer::NotFound,
            },
        }
    }
}

const XHTML: &str = "application/xhtml+xml; charset=utf-8";

/// The served files of an EPUB and its chapters in reading order (its package's spine), each
/// with its `<title>`.
fn unpack(epub: &[u8]) -> (BTreeMap<String, Page>, Vec<(String, String)>) {
    let mut files = BTreeMap::new();
    let mut titles = BTreeMap::new();
    let mut package = None;
    let Ok(mut archive) = zip::ZipArchive::new(std::io::Cursor::new(epub)) else {
        return (files, Vec::new());
    };
    for i in 0..archive.len() {
        let Ok(mut entry) = archive.by_index(i) else {
            continue;
        };
        let name = entry.name().to_owned();
        if entry.is_dir() || name == "mimetype" || name.starts_with("META-INF/") {
            continue;
        }
        let mut bytes = Vec::new();
        if entry.read_to_end(&mut bytes).is_err() {
            continue;
        }
        if name.ends_with(".opf") {
            package = Some((name.clone(), String::from_utf8_lossy(&bytes).into_owned()));
        }
        let Some(content_type) = content_type(&name) else {
            continue;
        };
        if content_type == XHTML {
            let text = String::from_utf8_lossy(&bytes);
            let title = between(&text, "<title>", "</title>").unwrap_or(&name);
            titles.insert(name.clone(), unescape(title));
        }
        files.insert(
            name,
            Page {
                content_type,
                bytes: Arc::new(bytes),
            },
        );
    }
    let contents = match package {
        Some((path, opf)) => spine(&path, &opf)
            .into_iter()
            .filter_map(|page| titles.get(&page).map(|t| (page.clone(), t.clone())))
            .collect(),
        None => titles.into_iter().collect(),
    };
    (files, contents)
}

/// The paths of the spine's pages, in order, from the package document at `path` (which
/// Variorum wrote: one `<item …/>` and one `<itemref …/>` a line).
fn spine(path: &str, opf: &str) -> Vec<String> {
    let folder = path.rsplit_once('/').map_or("", |(folder, _)| folder);
    let attribute = |tag: &str, name: &str| {
        let key = format!(" {name}=\"");
        let start = tag.find(&key)? + key.len();
        Some(tag[start..].split('"').next()?.to_owned())
    };
    let mut hrefs = BTreeMap::new();
    for tag in opf.split('<').filter(|t| t.starts_with("item ")) {
        if let (Some(id), Some(href)) = (attribute(tag, "id"), attribute(tag, "href")) {
            hrefs.insert(id, href);
        }
    }
    opf.split('<')
        .filter(|t| t.starts_with("itemref "))
        .filter_map(|tag| hrefs.get(&attribute(tag, "idref")?))
        .map(|href| match folder {
            "" => href.clone(),
            _ => format!("{folder}/{href}"),
        })
        .collect()
}

fn content_type(name: &str) -> Option<&'static str> {
    let extension = name.rsplit('.').next()?;
    Some(match extension {
        "xhtml" => XHTML,
        "css" => "text/css; charset=utf-8",
        "ttf" => "font/ttf",
        "otf" => "font/otf",
        "woff" => "font/woff",
        "woff2" => "font/woff2",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "svg" => "image/svg+xml",
        _ => return None,
    })
}

fn between<'a>(text: &'a str, open: &str, close: &str) -> Option<&'a str> {
    let start = text.find(open)? + open.len();
    let end = text[start..].find(close)? + start;
    Some(&text[start..end])
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

fn unescape(text: &str) -> String {
    text.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
}

/// The `<script>` that reloads a page when a generation after `generation` is published.
fn reload_tag(generation: u64) -> String {
    format!("<script src=\"/{RELOAD_SCRIPT}?since={generation}\"></script>")
}

/// An XHTML chapter with the reload script at the end of its head.
fn with_reload(page: &[u8], generation: u64) -> Vec<u8> {
    let text = String::from_utf8_lossy(page);
    match text.find("</head>") {
        Some(at) => {
            format!("{}{}{}", &text[..at], reload_tag(generation), &text[at..]).into_bytes()
        }
        None => page.to_vec(),
    }
}

fn shell(title: &str, body: &str, generation: u64) -> String {
    format!(
        "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>{}</title>\
         <style>body{{font-family:serif;max-width:44em;margin:2em auto;padding:0 1em;line-height:1.4}}\
         pre{{white-space:pre-wrap;background:#f6f3ee;padding:1em}}</style>{}</head>\n<body>\n{body}\n</body></html>\n",
        escape(title),
        reload_tag(generation)
    )
}

fn contents_page(state: &State) -> String {
    let mut body = format!("<h1>{}</h1>\n<nav><ol>\n", escape(&state.title));
    for (path, title) in &state.contents {
        body.push_str(&format!(
            "<li><a href=\"/{}\">{}</a></li>\n",
            escape(path),
            escape(title)
        ));
    }
    body.push_str("</ol></nav>\n");
    if state.pdf.is_some() {
        body.push_str("<p><a href=\"/edition.pdf\">The PDF</a></p>\n");
    }
    shell(&state.title, &body, state.generation)
}

fn error_page(title: &str, diagnostics: &str, generation: u64) -> String {
    let body = format!(
        "<h1>The last build failed</h1>\n<p>The preview shows the last good build again once \
         these problems are fixed; this page reloads by itself.</p>\n<pre id=\"diagnostics\">{}</pre>",
        escape(diagnostics)
    );
    shell(&format!("Build failed: {title}"), &body, generation)
}

fn waiting_page(generation: u64) -> String {
    shell(
        "Variorum preview",
        "<p>The first build is not finished yet; this page reloads by itself.</p>",
        generation,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_contents_follow_the_spine() {
        let opf = "<package>\n<manifest>\n<item id=\"b\" href=\"b.xhtml\"/>\n<item media-type=\"x\" id=\"a\" href=\"a.xhtml\"/>\n</manifest>\n<spine>\n<itemref idref=\"b\"/>\n<itemref idref=\"a\"/>\n</spine>";
        assert_eq!(
            spine("OEBPS/content.opf", opf),
            ["OEBPS/b.xhtml", "OEBPS/a.xhtml"]
        );
    }

    #[test]
    fn reload_goes_before_the_end_of_the_head() {
        let page = with_reload(b"<html><head><title>t</title></head><body/></html>", 7);
        let page = String::from_utf8(page).unwrap();
        assert!(
            page.contains("reload.js?since=7\"></script></head>"),
            "{page}"
        );
    }

    #[test]
    fn a_failure_shows_on_pages_until_the_next_success() {
        let preview = Preview::default();
        preview.publish_failure("error: <bad>");
        let Answer::Page(page) = preview.get("") else {
            panic!("no page")
        };
        let text = String::from_utf8_lossy(&page.bytes).into_owned();
        assert!(text.contains("error: &lt;bad&gt;"), "{text}");
        assert!(matches!(preview.get("EPUB/missing.xhtml"), Answer::Page(_)));
        assert!(matches!(preview.get("edition.pdf"), Answer::NotFound));
        assert_eq!(preview.wait_past(0, Duration::from_millis(1)), 1);
    }
}
