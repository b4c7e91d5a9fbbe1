//! Plain text and Markdown parsing (decoding included) must never panic.
#![no_main]
use libfuzzer_sys::fuzz_target;
use std::path::Path;

fuzz_target!(|data: &[u8]| {
    for name in ["a.txt", "a.md"] {
        let _ = clinsearch::parse::parse_bytes(data, Path::new(name), name);
    }
});
