//! Reference-entry parsing, and citation finding against the parsed entries, must never panic.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let references: Vec<_> = text
        .lines()
        .take(64)
        .enumerate()
        .map(|(ordinal, line)| clinsearch::model::Reference {
            ordinal,
            ..clinsearch::reference::parse_reference(line)
        })
        .collect();
    let _ = clinsearch::citation::find_citations(text, &references);
});
