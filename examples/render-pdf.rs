//! Renders a project's PDF directly through the layout and pdf stages, for looking at pages
//! and timing them before the `build` command writes PDFs.
//!
//! `cargo run --release --example render-pdf -- PROJECT OUT.pdf [a4|letter|a5] [SIGIL,…]`
//!
//! With `RENDER_PDF_STAGES=1` it also times layout and export separately and counts notes
//! that begin away from their marks' pages.

use std::path::Path;
use std::time::Instant;

use variorum::layout::Paper;
use variorum::typeset::{pdf, TypesetOptions};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.len() < 2 {
        eprintln!("usage: render-pdf PROJECT OUT.pdf [a4|letter|a5] [SIGIL,…]");
        std::process::exit(2);
    }
    let root = Path::new(&args[0]);
    let started = Instant::now();
    let checked = variorum::check(root);
    let Some(mut edition) = checked.edition else {
        eprintln!("render-pdf: the project has errors; run `variorum check`");
        std::process::exit(1);
    };
    if let Some(sigla) = args.get(3) {
        let sigla: Vec<String> = sigla.split(',').map(str::to_string).collect();
        edition = variorum::select::only(&edition, &sigla).unwrap_or_else(|unknown| {
            eprintln!("render-pdf: no witness {}", unknown.join(", "));
            std::process::exit(2);
        });
    }
    let loaded = started.elapsed();
    let fonts = std::sync::Arc::new(variorum::fonts::FontSet::load(root, false).unwrap_or_else(
        |e| {
            eprintln!("render-pdf: {e}");
            std::process::exit(1);
        },
    ));
    let options = TypesetOptions {
        fonts: fonts.clone(),
        paper: args.get(2).and_then(|p| Paper::parse(p)),
        modified: None,
        cover: None,
        standards: Default::default(),
    };
    if std::env::var_os("RENDER_PDF_STAGES").is_some() {
        let t = Instant::now();
        let layout =
            variorum::layout::LayoutOptions::for_edition(&edition, options.paper, fonts.clone());
        let document = variorum::layout::lay_out(&edition, &layout).expect("lays out");
        let laid = t.elapsed();
        let meta = variorum::typeset::pdf_meta(&edition, &options);
        let bytes = variorum::pdf::write(&document, &meta);
        eprintln!(
            "render-pdf: layout {laid:?}, export {:?} ({} bytes)",
            t.elapsed() - laid,
            bytes.len()
        );
        // Where each destination is, to check that every note begins on its mark's page.
        let mut pages = std::collections::HashMap::new();
        for (i, page) in document.pages.iter().enumerate() {
            for item in &page.items {
                if let variorum::layout::Item::Destination(d) = item {
                    pages.entry(d.name.clone()).or_insert(i);
                }
            }
        }
        let misplaced = edition
            .notes
            .iter()
            .filter(|n| {
                let mark = pages.get(&format!("mark-{}", n.number));
                mark.is_some() && mark != pages.get(&format!("note-{}", n.number))
            })
            .count();
        eprintln!(
            "render-pdf: {} pages, {misplaced} notes away from their marks",
            document.pages.len()
        );
    }
    match pdf(&edition, &options) {
        Ok(bytes) => {
            std::fs::write(&args[1], &bytes).expect("the output file is writable");
            eprintln!(
                "render-pdf: {} notes, {} bytes; load {:?}, total {:?}",
                edition.notes.len(),
                bytes.len(),
                loaded,
                started.elapsed()
            );
        }
        Err(e) => {
            eprintln!("render-pdf: {e}");
            std::process::exit(1);
        }
    }
}
