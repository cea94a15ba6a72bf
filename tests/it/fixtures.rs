//! The fixture catalogue: every edition under `tests/fixtures/broken/` must be refused by
//! `check` and `build` with exactly the diagnostics of its `expected.txt`, and must make `build`
//! write nothing; every edition under `tests/fixtures/valid/` must pass `check`, and one with
//! a `warnings.txt` must print exactly those warnings.

use crate::harness::{
    build, compare_snapshot, files_under, fixtures, normalise, subdirs, variorum, Scratch,
};
use std::path::Path;

/// The catalogue is meant to cover every kind of bad input the issue lists; fewer fixtures
/// than this means some were lost.
const MIN_BROKEN: usize = 66;

#[test]
fn broken_editions_are_refused_with_their_expected_diagnostics() {
    let dirs = subdirs(&fixtures().join("broken"));
    assert!(
        dirs.len() >= MIN_BROKEN,
        "only {} broken fixtures; expected at least {MIN_BROKEN}",
        dirs.len()
    );
    let failures: Vec<String> = dirs.iter().filter_map(|d| check_broken(d).err()).collect();
    assert!(
        failures.is_empty(),
        "{} of {} broken fixtures failed:\n\n{}",
        failures.len(),
        dirs.len(),
        failures.join("\n\n")
    );
}

/// One broken fixture: `check` exits 1 with the snapshot's diagnostics; `build` exits 1 too and
/// writes nothing into its output folder.
fn check_broken(dir: &Path) -> Result<(), String> {
    let name = dir.file_name().unwrap().to_string_lossy().into_owned();
    let run = variorum([Path::new("check"), dir]);
    let mut problems = Vec::new();
    if run.code != Some(1) {
        problems.push(format!("`check` exited with {:?}, not 1", run.code));
    }
    let stderr = normalise(&run.stderr, &[(dir, "$FIXTURE")]);
    if let Err(diff) = compare_snapshot(&dir.join("expected.txt"), &stderr) {
        problems.push(diff);
    }
    let scratch = Scratch::new("broken-build");
    let out = scratch.path().join("out");
    let built = build(dir, &out);
    if built.code != Some(1) {
        problems.push(format!("`build` exited with {:?}, not 1", built.code));
    }
    let written = files_under(scratch.path());
    if !written.is_empty() {
        problems.push(format!("`build` wrote {written:?}"));
    }
    let leftovers: Vec<_> = files_under(dir)
        .into_iter()
        .filter(|p| {
            p.file_name()
                .is_some_and(|n| n.to_string_lossy().contains(".tmp"))
        })
        .collect();
    if !leftovers.is_empty() {
        problems.push(format!(
            "temporary files were left in the fixture: {leftovers:?}"
        ));
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(format!("[{name}]\n{}", problems.join("\n")))
    }
}

#[test]
fn valid_editions_pass_check() {
    let dirs = subdirs(&fixtures().join("valid"));
    assert!(
        dirs.iter().any(|d| d.ends_with("robust-bom")),
        "the valid fixtures are missing"
    );
    let failures: Vec<String> = dirs
        .iter()
        .filter_map(|dir| {
            let run = variorum([Path::new("check"), dir]);
            (run.code != Some(0)).then(|| {
                format!(
                    "[{}] exited with {:?}:\n{}",
                    dir.display(),
                    run.code,
                    run.stderr
                )
            })
        })
        .collect();
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

/// A valid edition may still be warned about (links a web capture keeps that lead nowhere):
/// each valid fixture with a `warnings.txt` passes `check` with exactly that report, and
/// `build` writes its outputs all the same.
#[test]
fn warned_valid_editions_print_their_expected_warnings_and_build() {
    let dirs: Vec<_> = subdirs(&fixtures().join("valid"))
        .into_iter()
        .filter(|d| d.join("warnings.txt").is_file())
        .collect();
    assert!(
        dirs.iter().any(|d| d.ends_with("web-capture")),
        "the warned fixtures are missing"
    );
    let mut failures = Vec::new();
    for dir in &dirs {
        let run = variorum([Path::new("check"), dir]);
        let name = dir.file_name().unwrap().to_string_lossy().into_owned();
        if run.code != Some(0) {
            failures.push(format!("[{name}] `check` exited with {:?}", run.code));
        }
        let stderr = normalise(&run.stderr, &[(dir, "$FIXTURE")]);
        if !stderr.contains("0 errors") || !stderr.contains("warning:") {
            failures.push(format!(
                "[{name}] expected warnings and no errors:\n{stderr}"
            ));
        }
        if let Err(diff) = compare_snapshot(&dir.join("warnings.txt"), &stderr) {
            failures.push(format!("[{name}]\n{diff}"));
        }
        let scratch = Scratch::new("warned-build");
        let out = scratch.path().join("out");
        let built = build(dir, &out);
        if built.code != Some(0) || files_under(&out).len() != 2 {
            failures.push(format!(
                "[{name}] `build` exited with {:?} and wrote {:?}",
                built.code,
                files_under(&out)
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

/// The valid fixtures this crate owns say what they prove: each anchors a note through the
/// feature it is named after, so the check reports that note.
#[test]
fn robust_valid_fixtures_resolve_their_notes() {
    for name in [
        "robust-bom",
        "robust-crlf",
        "robust-nfd-anchor",
        "robust-nfd-text",
    ] {
        let dir = fixtures().join("valid").join(name);
        let run = variorum([Path::new("check"), &dir]);
        assert_eq!(run.code, Some(0), "{name}: {}", run.stderr);
        assert!(
            run.stderr.contains("1 witness, 2 notes"),
            "{name}: {}",
            run.stderr
        );
    }
}
