//! `variorum watch` and `variorum serve`: rebuild on every change, and serve a live preview.
//!
//! A run is a [`crate::build_checked`] like `variorum build`'s, so a failed run leaves the last
//! good outputs in place. `serve` also keeps the preview in memory (the EPUB's pages, made
//! first so that the browser reloads before the PDF is set) and serves it from there only:
//! no request ever reaches the file system.

mod http;
mod site;
mod watch;

use crate::{BuildOptions, Built};
use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Instant;

/// Why `watch` or `serve` stopped.
#[derive(Debug)]
pub enum ServeError {
    /// The folder cannot be watched.
    Watch(PathBuf, String),
    /// The port cannot be listened on.
    Listen(u16, String),
}

impl fmt::Display for ServeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ServeError::Watch(p, e) => write!(f, "cannot watch `{}`: {e}", p.display()),
            ServeError::Listen(port, e) => write!(f, "cannot listen on 127.0.0.1:{port}: {e}"),
        }
    }
}

impl ServeError {
    pub fn hint(&self) -> &'static str {
        match self {
            ServeError::Watch(..) => {
                "check that the folder exists and holds `manuscript/` and `footnotes.yaml`"
            }
            ServeError::Listen(..) => {
                "another program may be using the port; choose another with `--port`"
            }
        }
    }
}

/// Builds the edition at `root`, then again after every change to its sources, telling
/// `report` of every run. Returns only when the folder can no longer be watched.
pub fn watch(
    root: &Path,
    options: &BuildOptions,
    report: &(dyn Fn(&Built) + Sync),
) -> Result<(), ServeError> {
    watch::on_change(root, || {
        let built = crate::build(root, options);
        report(&built);
    })
}

/// Like [`watch`], and serves the preview on `127.0.0.1:port` (`0`: a free port, printed).
pub fn serve(
    root: &Path,
    options: &BuildOptions,
    port: u16,
    report: &(dyn Fn(&Built) + Sync),
) -> Result<(), ServeError> {
    let preview = Arc::new(site::Preview::default());
    let server = http::Server::bind(port, Arc::clone(&preview))?;
    eprintln!("serving the preview at http://{}/", server.address());
    std::thread::spawn(move || server.run());
    watch::on_change(root, || run(root, options, &preview, report))
}

/// One run of `serve`: check, publish the preview pages, then write the outputs and publish
/// the PDF. A failed run publishes its diagnostics and keeps the last good pages.
fn run(
    root: &Path,
    options: &BuildOptions,
    preview: &site::Preview,
    report: &(dyn Fn(&Built) + Sync),
) {
    let start = Instant::now();
    let checked = crate::check(root);
    let pages = checked
        .edition
        .as_ref()
        .map(|full| {
            let edition = crate::selected(full, options)?;
            let mut epub = std::io::Cursor::new(Vec::new());
            let fonts =
                std::sync::Arc::new(crate::read_fonts(root, &edition, options.system_fonts)?);
            let cover = crate::cover::cover(&edition.meta, root, &fonts)?;
            // The preview shows the text without the print edition's page breaks.
            crate::write_epub(&edition, root, options, fonts, &cover, || None, &mut epub)?;
            Ok::<_, Box<crate::diag::Diagnostic>>((edition.meta.title.clone(), epub.into_inner()))
        })
        .transpose();
    // An EPUB that cannot be made is reported with the run's diagnostics below, when the
    // build meets the same problem.
    if let Ok(Some((title, epub))) = pages {
        preview.publish_pages(&title, &epub);
        eprintln!("preview updated in {} ms", start.elapsed().as_millis());
    }
    let built = crate::build_checked(root, options, checked);
    if built.checked.diagnostics.has_errors() {
        let text = crate::diag::render(&built.checked.diagnostics, &built.checked.sources, false);
        preview.publish_failure(&text);
    } else {
        let pdf = built
            .written
            .iter()
            .find(|p| p.extension().is_some_and(|e| e == "pdf"))
            .and_then(|p| std::fs::read(p).ok());
        preview.publish_pdf(pdf);
        eprintln!("outputs written in {} ms", start.elapsed().as_millis());
    }
    report(&built);
}
