//! Starting and working on an edition: `variorum new`, shell completions, the man page, and the
//! command-line conventions (`--quiet`, case-insensitive `--paper`, trimmed `--only`).

use crate::harness::{files_under, variorum, Scratch};
use crate::validators;
use std::path::Path;
use std::process::Command;

/// `variorum new DIR` inside `scratch`; the edition's folder.
fn new_edition(scratch: &Scratch) -> std::path::PathBuf {
    let dir = scratch.path().join("daffodils");
    let run = variorum([Path::new("new"), &dir]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    dir
}

#[test]
fn a_new_edition_checks_clean_and_builds() {
    let scratch = Scratch::new("new");
    let dir = new_edition(&scratch);
    let check = variorum([Path::new("check"), &dir]);
    assert_eq!(check.code, Some(0), "{}", check.stderr);
    assert!(
        !check.stderr.contains("warning"),
        "`check` warns on the new edition:\n{}",
        check.stderr
    );
    assert!(
        check.stderr.contains("2 witnesses, 6 notes"),
        "{}",
        check.stderr
    );
    let out = scratch.path().join("out");
    let build = variorum([Path::new("build"), &dir, Path::new("--out"), &out]);
    assert_eq!(build.code, Some(0), "{}", build.stderr);
    let epub = out.join("daffodils.epub");
    assert!(epub.is_file() && out.join("daffodils.pdf").is_file());
    if let Err(report) = validators::epubcheck(&epub) {
        panic!("{report}");
    }
    // Every kind of note, `readings` and `before`, and a comment on each key.
    let yaml = std::fs::read_to_string(dir.join("footnotes.yaml")).unwrap();
    for kind in [
        "discrepancy",
        "provenance",
        "emendation",
        "correction",
        "gloss",
    ] {
        assert!(yaml.contains(&format!("kind: {kind}")), "no {kind} note");
    }
    assert!(yaml.contains("readings:") && yaml.contains("before:"));
    assert!(dir.join("README.md").is_file());
}

#[test]
fn new_refuses_a_folder_that_is_not_empty() {
    let scratch = Scratch::new("new-full");
    scratch.write("full/notes.txt", "mine");
    let run = variorum([Path::new("new"), &scratch.path().join("full")]);
    assert_eq!(run.code, Some(1), "{}", run.stderr);
    assert!(run.stderr.contains("is not empty"), "{}", run.stderr);
    assert_eq!(
        files_under(scratch.path()).len(),
        1,
        "something was written"
    );
}

#[test]
fn quiet_prints_nothing_but_errors() {
    let scratch = Scratch::new("quiet");
    let dir = new_edition(&scratch);
    let out = scratch.path().join("out");
    let run = variorum([
        Path::new("build"),
        &dir,
        Path::new("--quiet"),
        Path::new("--out"),
        &out,
    ]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert_eq!(run.stderr, "", "`--quiet` printed something");
    // Not a terminal: no progress bar either, only the list of files written.
    let run = variorum([Path::new("build"), &dir, Path::new("--out"), &out]);
    let lines: Vec<&str> = run.stderr.lines().collect();
    assert!(
        lines.iter().all(|l| l.starts_with("wrote ")),
        "{}",
        run.stderr
    );
    std::fs::write(dir.join("footnotes.yaml"), "edition: [\n").unwrap();
    let run = variorum([Path::new("check"), &dir, Path::new("-q")]);
    assert_eq!(run.code, Some(1));
    assert!(run.stderr.contains("error:"), "{}", run.stderr);
}

#[test]
fn paper_and_only_are_forgiving() {
    let scratch = Scratch::new("forgiving");
    let dir = new_edition(&scratch);
    let out = scratch.path().join("out");
    let run = variorum([
        Path::new("build"),
        &dir,
        Path::new("--paper"),
        Path::new("A5"),
        Path::new("--only"),
        Path::new(" B "),
        Path::new("--out"),
        &out,
    ]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    // Note kinds in any case.
    let yaml = dir.join("footnotes.yaml");
    let text = std::fs::read_to_string(&yaml).unwrap();
    std::fs::write(&yaml, text.replace("kind: gloss", "kind: Gloss")).unwrap();
    let run = variorum([Path::new("check"), &dir]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
}

#[test]
fn bash_accepts_the_bash_completions() {
    let exe = env!("CARGO_BIN_EXE_variorum");
    for shell in ["bash", "zsh", "fish", "powershell"] {
        let out = Command::new(exe)
            .args(["completions", shell])
            .output()
            .unwrap();
        assert!(out.status.success(), "{shell}");
        let script = String::from_utf8(out.stdout).unwrap();
        assert!(
            script.contains("serve") && script.contains("paper"),
            "{shell}"
        );
        if shell == "bash" {
            let scratch = Scratch::new("completions");
            let file = scratch.write("variorum.bash", &script);
            if let Some((ok, report)) =
                validators::run_tool("bash", &["-n", file.to_str().unwrap()], "install bash")
            {
                assert!(ok, "bash -n refuses the completions:\n{report}");
            }
        }
    }
}

#[test]
fn the_man_page_renders_without_warnings() {
    let out = Command::new(env!("CARGO_BIN_EXE_variorum"))
        .arg("man")
        .output()
        .unwrap();
    assert!(out.status.success());
    let scratch = Scratch::new("man");
    let page = scratch.write("variorum.1", &out.stdout);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains(".TH variorum 1"), "{text}");
    assert!(text.contains("serve"), "{text}");
    let Some((ok, report)) = validators::run_tool(
        "groff",
        &["-man", "-ww", "-z", page.to_str().unwrap()],
        "apt-get install groff-base",
    ) else {
        return;
    };
    assert!(ok && report.trim().is_empty(), "groff warns:\n{report}");
}
