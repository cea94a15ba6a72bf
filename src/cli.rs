//! The command line: clap types, kept out of the library.

use clap::{Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

/// Builds annotated critical editions: an EPUB 3 ebook and a typeset PDF from Markdown
/// witnesses and a YAML apparatus.
#[derive(Debug, Parser)]
#[command(name = "variorum", version, about)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
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
        /// Where to write the outputs (default: `out/` in the edition's folder).
        #[arg(long)]
        out: Option<PathBuf>,
        /// Make a handout of some witnesses only, by sigil: `--only A,C`.
        #[arg(long, value_delimiter = ',')]
        only: Option<Vec<String>>,
        /// The PDF's paper size; margins and type size follow it.
        #[arg(long, value_enum, default_value_t = Paper::A4)]
        paper: Paper,
    },
}

/// Paper sizes offered on the command line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Paper {
    A4,
    Letter,
    A5,
}

impl From<Paper> for variorum::layout::Paper {
    fn from(paper: Paper) -> Self {
        match paper {
            Paper::A4 => variorum::layout::Paper::A4,
            Paper::Letter => variorum::layout::Paper::Letter,
            Paper::A5 => variorum::layout::Paper::A5,
        }
    }
}
