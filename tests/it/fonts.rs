//! Build failures that `check` cannot see: the fonts folder missing, and a character that no
//! bundled font covers. Both exit 1, say what to do, and write nothing.

use crate::harness::{build, copy_dir, files_under, repo, valid_copy, variorum, Scratch};
use std::path::{Path, PathBuf};

fn edition_with(scratch: &Scratch, fonts: bool) -> PathBuf {
    let project = valid_copy(scratch);
    if fonts {
        copy_dir(&repo().join("fonts"), &project.join("fonts"));
    }
    project
}

#[test]
fn a_missing_fonts_folder_is_reported_and_nothing_is_written() {
    let scratch = Scratch::new("no-fonts");
    let project = edition_with(&scratch, false);
    let out = scratch.path().join("out");
    let run = build(&project, &out);
    assert_eq!(run.code, Some(1), "{}", run.stderr);
    assert!(run.stderr.contains("fonts/"), "{}", run.stderr);
    assert!(files_under(&out).is_empty(), "{:?}", files_under(&out));
}

#[test]
fn a_character_no_font_covers_is_located_and_nothing_is_written() {
    let scratch = Scratch::new("uncovered");
    let project = edition_with(&scratch, true);
    let text = project.join("manuscript/a.md");
    let mut md = std::fs::read_to_string(&text).unwrap();
    md.push_str("\r\nA sign \u{13000} no font has.\r\n");
    std::fs::write(&text, md).unwrap();
    assert_eq!(variorum([Path::new("check"), &project]).code, Some(0));
    let out = scratch.path().join("out");
    let run = build(&project, &out);
    assert_eq!(run.code, Some(1), "{}", run.stderr);
    assert!(run.stderr.contains("U+13000"), "{}", run.stderr);
    assert!(
        run.stderr.contains("manuscript/a.md:11:8"),
        "{}",
        run.stderr
    );
    assert!(files_under(&out).is_empty(), "{:?}", files_under(&out));
}
