//! Reproducible builds, through the binary: the repository's edition built twice, from another
//! absolute path with its files created in the opposite order, and under `SOURCE_DATE_EPOCH`,
//! gives the same EPUB and PDF byte for byte; a malformed `SOURCE_DATE_EPOCH` is refused.

use crate::epub::archive::{entries, entry_text};
use crate::harness::{build_with_epoch, contents, copy_seed, files_under, repo};
use crate::harness::{CreationOrder, Scratch};
use std::path::{Path, PathBuf};

/// Builds `project` into `out` and returns the written files (names relative to `out`) with
/// their bytes; fails the test unless the build succeeds and writes both outputs.
fn built(project: &Path, out: &Path, epoch: Option<&str>) -> Vec<(PathBuf, Vec<u8>)> {
    let run = build_with_epoch(project, out, epoch);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    let files = contents(out);
    let names: Vec<_> = files.iter().map(|(p, _)| p.display().to_string()).collect();
    assert_eq!(
        names,
        [
            "the-letter-to-gorbachev.epub",
            "the-letter-to-gorbachev.pdf"
        ]
    );
    files
}

#[test]
fn builds_agree_across_runs_paths_and_listing_orders() {
    let scratch = Scratch::new("determinism");
    let here = scratch.path().join("edition");
    let elsewhere = scratch
        .path()
        .join("a/much/deeper/folder/with another name");
    copy_seed(&here, CreationOrder::ByName);
    copy_seed(&elsewhere, CreationOrder::Reversed);

    let first = built(&here, &scratch.path().join("out-1"), None);
    let again = built(&here, &scratch.path().join("out-2"), None);
    assert!(first == again, "two builds of the same folder differ");
    let moved = built(&elsewhere, &scratch.path().join("out-3"), None);
    assert!(
        first == moved,
        "a build from another path, files created in another order, differs"
    );
    // The project's path must not leak into the outputs: not into the PDF's uncompressed
    // objects, nor into any EPUB entry once inflated.
    let path = scratch.path().to_str().unwrap();
    let (epub, pdf) = (&first[0].1, &first[1].1);
    assert!(
        !String::from_utf8_lossy(pdf).contains(path),
        "the PDF holds the project's path"
    );
    for (name, bytes) in entries(epub) {
        assert!(
            !String::from_utf8_lossy(&bytes).contains(path),
            "{name} holds the project's path"
        );
    }
}

#[test]
fn source_date_epoch_sets_every_timestamp_and_only_that() {
    let scratch = Scratch::new("epoch");
    let here = scratch.path().join("edition");
    let elsewhere = scratch.path().join("other/edition");
    copy_seed(&here, CreationOrder::ByName);
    copy_seed(&elsewhere, CreationOrder::Reversed);
    let epoch = Some("1700000000"); // 2023-11-14T22:13:20Z
    let plain = built(&here, &scratch.path().join("plain"), None);
    let dated = built(&here, &scratch.path().join("dated"), epoch);
    let dated_elsewhere = built(&elsewhere, &scratch.path().join("dated-2"), epoch);
    assert!(dated == dated_elsewhere, "dated builds differ");
    assert!(plain != dated, "SOURCE_DATE_EPOCH changed nothing");

    let (epub, pdf) = (&dated[0].1, &dated[1].1);
    let opf = entry_text(epub, "OEBPS/content.opf");
    assert!(
        opf.contains("dcterms:modified\">2023-11-14T22:13:20Z<"),
        "the EPUB's modification time comes from SOURCE_DATE_EPOCH:\n{opf}"
    );
    // The edition's own date is the editor's, not the build's.
    let edition = crate::harness::edition(repo());
    let date = &edition.meta.date;
    assert!(
        opf.contains(&format!("<dc:date>{date}T00:00:00Z</dc:date>")),
        "{opf}"
    );
    assert!(entry_text(epub, "OEBPS/title.xhtml").contains(&format!("<time datetime=\"{date}\">")));
    let pdf = String::from_utf8_lossy(pdf);
    assert!(
        pdf.contains("/CreationDate(D:20231114221320Z)")
            && pdf.contains("/ModDate(D:20231114221320Z)"),
        "the PDF's dates come from SOURCE_DATE_EPOCH"
    );
    let plain_pdf = String::from_utf8_lossy(&plain[1].1);
    assert!(!plain_pdf.contains("D:2023111422"));
}

#[test]
fn a_malformed_source_date_epoch_is_a_usage_error_and_writes_nothing() {
    let scratch = Scratch::new("epoch-bad");
    let here = scratch.path().join("edition");
    copy_seed(&here, CreationOrder::ByName);
    let out = scratch.path().join("out");
    for bad in ["yesterday", "1.7e9", "-1"] {
        let run = build_with_epoch(&here, &out, Some(bad));
        assert_eq!(run.code, Some(2), "{bad}: {}", run.stderr);
        assert!(
            run.stderr.contains("SOURCE_DATE_EPOCH") && run.stderr.contains(bad),
            "{}",
            run.stderr
        );
        assert!(files_under(&out).is_empty(), "{bad}: something was written");
    }
}
