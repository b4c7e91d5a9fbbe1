//! HTML parsing (decoding included) must never panic.
#![no_main]
use libfuzzer_sys::fuzz_target;
use std::path::Path;

fuzz_target!(|data: &[u8]| {
    let _ = clinsearch::parse::parse_bytes(data, Path::new("a.html"), "a.html");
});
