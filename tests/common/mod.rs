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
    assert!(
        !in_ci(),
        "{} is absent: the shared test data must be beside the checkout when CI is set",
        path.display()
    );
    eprintln!(
        "skipping: {} is absent (the shared test data is not on this machine)",
        path.display()
    );
    None
}

/// Whether `CI` is set (to anything but empty, `false` or `0`): there a test fails rather than
/// skips when what it needs is missing.
pub fn in_ci() -> bool {
    std::env::var_os("CI").is_some_and(|v| !v.is_empty() && v != "false" && v != "0")
}
