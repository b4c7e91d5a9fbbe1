//! What the end-to-end tests share: the third-party data beside the checkout.

use std::path::{Path, PathBuf};

/// `../shared/data/<rel>` when it exists. Without it the test is skipped with a message, except
/// when `CI` is set: there a missing data folder fails the test, so that a green run proves what
/// it says.
pub fn shared_data(rel: &str) -> Option<PathBuf> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/data")
        .join(rel);
    if path.exists() {
        return Some(path);
    }
    let ci = std::env::var_os("CI").is_some_and(|v| !v.is_empty() && v != "false" && v != "0");
    assert!(
        !ci,
        "{} is absent: the shared test data must be beside the checkout when CI is set",
        path.display()
    );
    eprintln!(
        "skipping: {} is absent (the shared test data is not on this machine)",
        path.display()
    );
    None
}

/// Run the clinsearch binary with `args`.
#[allow(dead_code)]
pub fn clinsearch(args: &[&str]) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_clinsearch"))
        .args(args)
        .env("NO_COLOR", "1")
        .output()
        .unwrap()
}

/// `clinsearch index SRC --index IDX` with more arguments after.
#[allow(dead_code)]
pub fn index_into(src: &Path, idx: &Path, more: &[&str]) -> std::process::Output {
    let mut args = vec![
        "index",
        src.to_str().unwrap(),
        "--index",
        idx.to_str().unwrap(),
    ];
    args.extend_from_slice(more);
    clinsearch(&args)
}
