//! Variorum builds annotated critical editions.
//!
//! The pipeline: **load** (`manuscript/*.md` and `footnotes.yaml` into sections and raw notes)
//! → **resolve** (anchor every note in its witness, number notes in reading order, validate)
//! → **render** (EPUB) and **layout → export** (PDF).

pub mod layout;
pub mod model;
pub mod pdf;
pub mod source;
