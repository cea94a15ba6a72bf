//! Per-stage benchmarks on the seed edition and on a generated 100-copy edition:
//! load (files → sections and raw notes), resolve (anchoring and numbering), layout (the
//! edition → pages, A4), export (pages → PDF bytes), pdf (layout and export streamed
//! together, as `variorum build` runs them, into a sink) and epub (the edition → EPUB bytes,
//! fonts subset).
//!
//! `cargo bench --bench stages`; the 100-copy edition is generated into the target folder on
//! first use with the `gen-edition` example's logic (run it first:
//! `cargo run --release --example gen-edition -- --copies 100 target/bench-100`).

use std::path::{Path, PathBuf};
use variorum::diag::Diagnostics;
use variorum::source::SourceMap;

fn main() {
    divan::main();
}

/// The editions benchmarked: the seed edition, and the 100-copy edition when generated.
fn editions() -> Vec<(&'static str, PathBuf)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut out = vec![("seed", root.to_path_buf())];
    let big = root.join("target/bench-100");
    if big.join("footnotes.yaml").exists() {
        out.push(("100-copies", big));
    } else {
        eprintln!(
            "note: target/bench-100 is missing; generate it with \
             `cargo run --release --example gen-edition -- --copies 100 target/bench-100`"
        );
    }
    out
}

fn edition_named(name: &str) -> Option<PathBuf> {
    editions()
        .into_iter()
        .find(|(n, _)| *n == name)
        .map(|(_, p)| p)
}

#[divan::bench(args = ["seed", "100-copies"])]
fn load(bencher: divan::Bencher, name: &str) {
    let Some(dir) = edition_named(name) else {
        return;
    };
    bencher.bench(|| {
        let mut sources = SourceMap::default();
        let mut diags = Diagnostics::default();
        let sections = variorum::manuscript::load(&dir, &mut sources, &mut diags);
        let apparatus = variorum::apparatus::load(&dir, &mut sources, &mut diags);
        (sections, apparatus)
    });
}

#[divan::bench(args = ["seed", "100-copies"])]
fn resolve(bencher: divan::Bencher, name: &str) {
    let Some(dir) = edition_named(name) else {
        return;
    };
    let mut sources = SourceMap::default();
    let mut diags = Diagnostics::default();
    let sections = variorum::manuscript::load(&dir, &mut sources, &mut diags);
    let mut apparatus = variorum::apparatus::load(&dir, &mut sources, &mut diags).unwrap();
    let meta = apparatus.meta.take().unwrap();
    bencher
        .with_inputs(|| (sections.clone(), apparatus.clone(), meta.clone()))
        .bench_values(|(sections, apparatus, meta)| {
            let mut diags = Diagnostics::default();
            variorum::resolve::resolve(sections, apparatus, meta, &mut diags)
        });
}

/// The resolved edition at `dir`.
fn edition(dir: &Path) -> variorum::model::Edition {
    variorum::check(dir)
        .edition
        .expect("the benchmarked edition checks clean")
}

fn fonts(dir: &Path) -> std::sync::Arc<variorum::fonts::FontSet> {
    std::sync::Arc::new(variorum::fonts::FontSet::load(dir, false).unwrap())
}

fn layout_options(dir: &Path) -> variorum::layout::LayoutOptions {
    variorum::layout::LayoutOptions {
        paper: variorum::layout::Paper::A4,
        fonts: fonts(dir),
        ..Default::default()
    }
}

#[divan::bench(args = ["seed", "100-copies"])]
fn layout(bencher: divan::Bencher, name: &str) {
    let Some(dir) = edition_named(name) else {
        return;
    };
    let edition = edition(&dir);
    let options = layout_options(&dir);
    bencher.bench(|| variorum::layout::lay_out(&edition, &options).unwrap());
}

#[divan::bench(args = ["seed", "100-copies"])]
fn export(bencher: divan::Bencher, name: &str) {
    let Some(dir) = edition_named(name) else {
        return;
    };
    let edition = edition(&dir);
    let document = variorum::layout::lay_out(&edition, &layout_options(&dir)).unwrap();
    let meta = variorum::typeset::pdf_meta(&edition, &Default::default());
    bencher.bench(|| variorum::pdf::write(&document, &meta));
}

#[divan::bench(args = ["seed", "100-copies"])]
fn pdf(bencher: divan::Bencher, name: &str) {
    let Some(dir) = edition_named(name) else {
        return;
    };
    let edition = edition(&dir);
    let options = variorum::typeset::TypesetOptions {
        fonts: fonts(&dir),
        ..Default::default()
    };
    bencher.bench(|| {
        variorum::typeset::typeset(&edition, &options, Some(std::io::sink()), drop).unwrap()
    });
}

#[divan::bench(args = ["seed", "100-copies"])]
fn epub(bencher: divan::Bencher, name: &str) {
    let Some(dir) = edition_named(name) else {
        return;
    };
    let edition = edition(&dir);
    bencher.bench(|| {
        let options = variorum::epub::EpubOptions {
            fonts: fonts(&dir),
            modified: None,
            cover: None,
            extra_css: None,
        };
        let mut out = std::io::Cursor::new(Vec::new());
        variorum::epub::write(&edition, &options, &mut out).unwrap();
        out
    });
}
