//! The `variorum` binary: parse the command line, call the library, print diagnostics, exit.

mod cli;

use clap::Parser;
use std::io::IsTerminal;
use std::process::ExitCode;
use variorum::{BuildOptions, CheckOptions, Checked};

fn main() -> ExitCode {
    let cli = cli::Cli::parse();
    let options = CheckOptions {
        source_date_epoch: source_date_epoch(),
    };
    match cli.command {
        cli::Command::Check { dir } => {
            let checked = variorum::check(&dir, &options);
            report(&checked);
            if checked.diagnostics.has_errors() {
                return ExitCode::from(1);
            }
            if let Some(edition) = &checked.edition {
                eprintln!(
                    "checked {}: {} witnesses, {} notes",
                    dir.display(),
                    edition.witnesses().count(),
                    edition.notes.len()
                );
            }
            ExitCode::SUCCESS
        }
        cli::Command::Build {
            dir,
            out,
            only,
            paper,
        } => {
            let options = BuildOptions {
                check: options,
                out,
                only,
                paper: paper.into(),
            };
            let built = variorum::build(&dir, &options);
            report(&built.checked);
            if built.checked.diagnostics.has_errors() {
                eprintln!("nothing was written; earlier outputs are untouched");
                return ExitCode::from(1);
            }
            for path in &built.written {
                eprintln!("wrote {}", path.display());
            }
            ExitCode::SUCCESS
        }
    }
}

/// `SOURCE_DATE_EPOCH` as a number, when set and valid.
fn source_date_epoch() -> Option<i64> {
    std::env::var("SOURCE_DATE_EPOCH").ok()?.trim().parse().ok()
}

/// Prints every diagnostic and a count to standard error.
fn report(checked: &Checked) {
    let color = std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none();
    let diags = &checked.diagnostics;
    eprint!("{}", variorum::diag::render(diags, &checked.sources, color));
    if !diags.is_empty() {
        eprintln!(
            "{} error{}, {} warning{}",
            diags.error_count(),
            if diags.error_count() == 1 { "" } else { "s" },
            diags.warning_count(),
            if diags.warning_count() == 1 { "" } else { "s" },
        );
    }
}
