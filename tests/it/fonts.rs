//! Fonts at build time: a project without a `fonts/` folder builds with the built-in faces;
//! a face that cannot be read, a `design.font` no font has and a character no font covers
//! exit 1, say what to do, and write nothing.

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
fn a_project_without_fonts_builds_with_the_built_in_faces() {
    let scratch = Scratch::new("no-fonts");
    let project = edition_with(&scratch, false);
    let out = scratch.path().join("out");
    let run = build(&project, &out);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert_eq!(files_under(&out).len(), 2, "{:?}", files_under(&out));
}

#[test]
fn an_unreadable_face_is_named_and_nothing_is_written() {
    let scratch = Scratch::new("bad-font");
    let project = edition_with(&scratch, false);
    std::fs::create_dir_all(project.join("fonts")).unwrap();
    std::fs::write(project.join("fonts/Body.otf"), b"not a font").unwrap();
    let out = scratch.path().join("out");
    let run = build(&project, &out);
    assert_eq!(run.code, Some(1), "{}", run.stderr);
    assert!(
        run.stderr.contains("cannot read the font `fonts/Body.otf`"),
        "{}",
        run.stderr
    );
    assert!(files_under(&out).is_empty(), "{:?}", files_under(&out));
}

#[test]
fn a_design_font_no_font_has_is_located_with_a_suggestion() {
    let scratch = Scratch::new("no-family");
    let project = edition_with(&scratch, false);
    let yaml = project.join("footnotes.yaml");
    let text = std::fs::read_to_string(&yaml).unwrap();
    let text = text.replacen(
        "edition:\n",
        "edition:\n  design:\n    font: EB Garamont\n",
        1,
    );
    let text = text.replacen(
        "edition:\r\n",
        "edition:\r\n  design:\r\n    font: EB Garamont\r\n",
        1,
    );
    std::fs::write(&yaml, text).unwrap();
    let out = scratch.path().join("out");
    let run = build(&project, &out);
    assert_eq!(run.code, Some(1), "{}", run.stderr);
    assert!(
        run.stderr.contains("no font family `EB Garamont`"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("footnotes.yaml:"), "{}", run.stderr);
    assert!(
        run.stderr.contains("did you mean `EB Garamond`?"),
        "{}",
        run.stderr
    );
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
        run.stderr.contains("Egyptian Hieroglyphs"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("Noto"), "{}", run.stderr);
    assert!(
        run.stderr.contains("manuscript/a.md:11:8"),
        "{}",
        run.stderr
    );
    assert!(files_under(&out).is_empty(), "{:?}", files_under(&out));
}
