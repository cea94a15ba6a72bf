//! DAISY Ace, the EPUB accessibility checker, finds nothing on the seed edition and on every
//! valid fixture edition: no violation of any impact.

use super::archive::{all_projects, epub};
use crate::harness::Scratch;
use crate::validators::ace;

#[test]
fn ace_finds_no_violation() {
    let scratch = Scratch::new("epub-ace");
    let dir = scratch.path();
    let files: Vec<_> = all_projects()
        .iter()
        .map(|root| {
            let name = root.file_name().unwrap().to_string_lossy().into_owned();
            let file = dir.join(format!("{name}.epub"));
            std::fs::write(&file, epub(root)).unwrap();
            (name, file)
        })
        .collect();
    // A few Aces (each with its Chromium) at a time: each spends most of its time starting
    // up, and more at once starve one another of the machine beside the other tests.
    let results: Vec<(String, Result<bool, String>)> = files
        .chunks(4)
        .flat_map(|chunk| {
            std::thread::scope(|scope| {
                let runs: Vec<_> = chunk
                    .iter()
                    .map(|(name, file)| {
                        let report = dir.join(format!("ace-{name}"));
                        scope.spawn(move || (name.clone(), ace(file, &report)))
                    })
                    .collect();
                runs.into_iter()
                    .map(|r| r.join().unwrap())
                    .collect::<Vec<_>>()
            })
        })
        .collect();
    let mut failures = Vec::new();
    for (name, result) in results {
        match result {
            Ok(true) => eprintln!("ace: {name}: no violations"),
            Ok(false) => return,
            Err(report) => failures.push(report),
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
