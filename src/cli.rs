//! The command line: clap types, kept out of the library.

use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

/// Builds annotated critical editions: an EPUB 3 ebook and a typeset PDF from Markdown
/// witnesses and a YAML apparatus.
#[derive(Debug, Parser)]
#[command(name = "variorum", version, about)]
pub struct Cli {
    /// Print only errors: no warnings, no progress, no list of files written.
    #[arg(long, short, global = true)]
    pub quiet: bool,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Write a small, complete edition to start from into a new (or empty) folder.
    New {
        /// The folder to create; it must not exist yet or be empty.
        dir: PathBuf,
    },
    /// Load the edition, anchor every note and report every problem (exit 1 if any error).
    Check {
        /// The edition's folder (holding `manuscript/` and `footnotes.yaml`).
        #[arg(default_value = ".")]
        dir: PathBuf,
    },
    /// Check the edition, then write the EPUB and the PDF into the output folder.
    Build {
        /// The edition's folder (holding `manuscript/` and `footnotes.yaml`).
        #[arg(default_value = ".")]
        dir: PathBuf,
        #[command(flatten)]
        build: BuildArgs,
    },
    /// Build, then rebuild whenever the manuscript, the notes, the fonts or the bibliography
    /// change; a failed run keeps the last good outputs.
    Watch {
        /// The edition's folder (holding `manuscript/` and `footnotes.yaml`).
        #[arg(default_value = ".")]
        dir: PathBuf,
        #[command(flatten)]
        build: BuildArgs,
    },
    /// Like `watch`, and serve a live preview (web pages, the PDF, the diagnostics of a failed
    /// run) on 127.0.0.1 that reloads itself after each rebuild.
    Serve {
        /// The edition's folder (holding `manuscript/` and `footnotes.yaml`).
        #[arg(default_value = ".")]
        dir: PathBuf,
        /// The port to listen on, on 127.0.0.1 only (0: any free port).
        #[arg(long, default_value_t = 3000)]
        port: u16,
        #[command(flatten)]
        build: BuildArgs,
    },
    /// Print a shell completion script: `variorum completions bash > ~/.local/share/bash-completion/completions/variorum`.
    Completions {
        /// The shell to complete for.
        shell: Shell,
    },
    /// Print the manual page (roff): `variorum man > ~/.local/share/man/man1/variorum.1`.
    Man,
}

/// The options of `build`, `watch` and `serve`.
#[derive(Debug, Clone, Args)]
pub struct BuildArgs {
    /// Where to write the outputs (default: `out/` in the edition's folder).
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Make a handout of some witnesses only, by sigil: `--only A,C`.
    #[arg(long, value_delimiter = ',')]
    pub only: Option<Vec<String>>,
    /// The PDF's paper size, over the edition's `design.paper` (default a4): a4, letter,
    /// a5, b5, royal, or WIDTHxHEIGHT with units (170x240mm); margins and type size
    /// follow it unless the design sets them.
    #[arg(long, value_parser = parse_paper)]
    pub paper: Option<variorum::layout::Paper>,
    /// Write only this output (both by default).
    #[arg(long, value_enum)]
    pub format: Option<Format>,
    /// The standards the PDF is written to meet: ua-1 (accessible, tagged; the default),
    /// a-2b or a-3b (archival), a combination such as `ua-1,a-2b`, or none.
    #[arg(long, value_parser = parse_standards)]
    pub pdf_standard: Option<variorum::pdf::Standards>,
    /// Also use the fonts installed on this machine (after the project's fonts, before
    /// the built-in ones). This makes builds machine-dependent: the same project can give
    /// different outputs on another computer.
    #[arg(long)]
    pub system_fonts: bool,
}

/// The outputs offered on the command line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Epub,
    Pdf,
}

impl From<Format> for variorum::Format {
    fn from(format: Format) -> Self {
        match format {
            Format::Epub => variorum::Format::Epub,
            Format::Pdf => variorum::Format::Pdf,
        }
    }
}

/// PDF standards as the command line takes them: `ua-1`, `a-2b`, `ua-1,a-2b`, `none`.
fn parse_standards(text: &str) -> Result<variorum::pdf::Standards, String> {
    text.parse()
}

/// A paper size as the command line takes it: a name in any case or `WIDTHxHEIGHT`.
fn parse_paper(text: &str) -> Result<variorum::layout::Paper, String> {
    variorum::layout::Paper::parse(text).ok_or_else(|| {
        format!("`{text}` is not a paper size: write a4, letter, a5, b5, royal, or a size such as 170x240mm or 6in x 9in")
    })
}

/// Shells offered completions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Shell {
    Bash,
    Zsh,
    Fish,
    Powershell,
}

impl From<Shell> for clap_complete::Shell {
    fn from(shell: Shell) -> Self {
        match shell {
            Shell::Bash => clap_complete::Shell::Bash,
            Shell::Zsh => clap_complete::Shell::Zsh,
            Shell::Fish => clap_complete::Shell::Fish,
            Shell::Powershell => clap_complete::Shell::PowerShell,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_command_line_is_consistent() {
        use clap::CommandFactory;
        Cli::command().debug_assert();
    }

    #[test]
    fn paper_ignores_case() {
        let cli = Cli::try_parse_from(["variorum", "build", "--paper", "A5"]).unwrap();
        let Command::Build { build, .. } = cli.command else {
            panic!("not build")
        };
        assert!(build.paper.is_some());
    }
}
