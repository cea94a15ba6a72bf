//! Generates a large synthetic edition for tests and benchmarks: K copies of an edition's
//! witnesses as chapters, with every note re-anchored in its copy.
//!
//! `cargo run --release --example gen-edition -- --copies 100 DIR [--from PROJECT]`, or
//! `--manuscript-mb 50` for as many copies as make at least 50 MB (10^6 bytes) of witness
//! Markdown.
//!
//! Copy k of witness `A` gets the sigil `A{k}` and the title "… (copy k)"; front and back
//! sections are copied once; `fonts/` and `sources/` are linked or copied. The output is
//! deterministic: the same input and K give the same files.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

fn main() {
    if let Err(e) = run() {
        eprintln!("gen-edition: {e}");
        std::process::exit(2);
    }
}

fn run() -> Result<(), String> {
    let mut copies = None;
    let mut megabytes = None;
    let mut from = PathBuf::from(".");
    let mut out = None;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--copies" => copies = args.next().and_then(|v| v.parse::<usize>().ok()),
            "--manuscript-mb" => megabytes = args.next().and_then(|v| v.parse::<f64>().ok()),
            "--from" => {
                from = args
                    .next()
                    .map(PathBuf::from)
                    .ok_or("--from needs a folder")?
            }
            _ if out.is_none() => out = Some(PathBuf::from(arg)),
            _ => return Err(format!("unexpected argument `{arg}`")),
        }
    }
    let size = match (copies, megabytes) {
        (Some(k), None) if k >= 1 => Size::Copies(k),
        (None, Some(mb)) if mb > 0.0 => Size::ManuscriptBytes((mb * 1e6).ceil() as u64),
        _ => return Err("give either --copies K (K >= 1) or --manuscript-mb N (N > 0)".into()),
    };
    let out = out.ok_or("give the output folder")?;
    generate(&from, size, &out)
}

/// How large an edition to make.
enum Size {
    Copies(usize),
    /// As many copies as make at least this many bytes of witness files.
    ManuscriptBytes(u64),
}

fn generate(from: &Path, size: Size, out: &Path) -> Result<(), String> {
    let checked = variorum::check(from);
    if checked.diagnostics.has_errors() {
        return Err(format!("{} does not check cleanly", from.display()));
    }
    let mut sources = variorum::source::SourceMap::default();
    let mut diags = variorum::diag::Diagnostics::default();
    let apparatus = variorum::apparatus::load(from, &mut sources, &mut diags)
        .ok_or("cannot read footnotes.yaml")?;
    let meta = apparatus
        .meta
        .as_ref()
        .ok_or("footnotes.yaml has no edition block")?;
    let manuscript = out.join("manuscript");
    if out.exists() {
        std::fs::remove_dir_all(out).map_err(|e| format!("cannot clear {}: {e}", out.display()))?;
    }
    std::fs::create_dir_all(&manuscript).map_err(|e| e.to_string())?;
    for dir in ["fonts", "sources"] {
        copy_dir(&from.join(dir), &out.join(dir))?;
    }
    let mut entries: Vec<PathBuf> = std::fs::read_dir(from.join("manuscript"))
        .map_err(|e| e.to_string())?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "md"))
        .collect();
    entries.sort();
    let copies = match size {
        Size::Copies(k) => k,
        Size::ManuscriptBytes(bytes) => {
            let mut per_copy = 0;
            for path in &entries {
                let text = std::fs::read_to_string(path).map_err(|e| e.to_string())?;
                if front_matter_value(&text, "sigil").is_some() {
                    per_copy += text.len() as u64;
                }
            }
            if per_copy == 0 {
                return Err("the edition has no witness files to copy".into());
            }
            bytes.div_ceil(per_copy) as usize
        }
    };
    for path in &entries {
        let text = std::fs::read_to_string(path).map_err(|e| e.to_string())?;
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let Some(sigil) = front_matter_value(&text, "sigil") else {
            std::fs::write(manuscript.join(&name), &text).map_err(|e| e.to_string())?;
            continue;
        };
        for k in 1..=copies {
            let copy = text
                .replacen(
                    &format!("sigil: {sigil}\n"),
                    &format!("sigil: {sigil}{k}\n"),
                    1,
                )
                .replacen("\ntitle: \"", &format!("\ntitle: \"(copy {k}) "), 1);
            std::fs::write(manuscript.join(format!("{k:05}-{name}")), copy)
                .map_err(|e| e.to_string())?;
        }
    }
    let mut yaml = String::new();
    let q = quote;
    writeln!(yaml, "edition:").unwrap();
    writeln!(
        yaml,
        "  title: {}",
        q(&format!("{} ({copies} copies)", meta.title))
    )
    .unwrap();
    if let Some(s) = &meta.subtitle {
        writeln!(yaml, "  subtitle: {}", q(s)).unwrap();
    }
    for (key, value) in [
        ("editor", &meta.editor),
        ("language", &meta.language),
        ("identifier", &meta.identifier),
        ("date", &meta.date.to_string()),
    ] {
        writeln!(yaml, "  {key}: {}", q(value)).unwrap();
    }
    writeln!(yaml, "notes:").unwrap();
    for k in 1..=copies {
        for note in &apparatus.notes {
            writeln!(yaml, "  - id: {}", q(&format!("{}-{k}", note.id.text))).unwrap();
            writeln!(
                yaml,
                "    witness: {}",
                q(&format!("{}{k}", note.witness.text))
            )
            .unwrap();
            writeln!(yaml, "    anchor: {}", q(&note.anchor.text)).unwrap();
            for (key, value) in [("before", &note.before), ("after", &note.after)] {
                if let Some(v) = value {
                    writeln!(yaml, "    {key}: {}", q(&v.text)).unwrap();
                }
            }
            if let Some((n, _)) = note.occurrence {
                writeln!(yaml, "    occurrence: {n}").unwrap();
            }
            writeln!(yaml, "    kind: {}", note.kind.name()).unwrap();
            writeln!(yaml, "    text: {}", q(&note.text.text)).unwrap();
            if !note.readings.is_empty() {
                writeln!(yaml, "    readings:").unwrap();
                for (sigil, reading) in &note.readings {
                    writeln!(yaml, "      {}{k}: {}", sigil.text, q(&reading.text)).unwrap();
                }
            }
        }
    }
    std::fs::write(out.join("footnotes.yaml"), yaml).map_err(|e| e.to_string())?;
    eprintln!(
        "wrote {} ({copies} copies of the witnesses, {} notes)",
        out.display(),
        copies * apparatus.notes.len()
    );
    Ok(())
}

/// A YAML double-quoted string (JSON escaping is valid YAML).
fn quote(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 => write!(out, "\\u{:04x}", c as u32).unwrap(),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn front_matter_value(text: &str, key: &str) -> Option<String> {
    let block = text.strip_prefix("---\n")?.split("\n---").next()?;
    block.lines().find_map(|line| {
        let value = line.strip_prefix(key)?.strip_prefix(':')?.trim();
        Some(value.trim_matches('"').to_owned())
    })
}

fn copy_dir(from: &Path, to: &Path) -> Result<(), String> {
    let Ok(entries) = std::fs::read_dir(from) else {
        return Ok(());
    };
    std::fs::create_dir_all(to).map_err(|e| e.to_string())?;
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_file() {
            std::fs::copy(&path, to.join(entry.file_name())).map_err(|e| e.to_string())?;
        }
    }
    Ok(())
}
