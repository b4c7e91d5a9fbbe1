//! What the end-to-end tests share: the third-party data beside the checkout, and reading the
//! output of `search --json`.

// Each test file uses a part of this module; the rest is dead code there.
#![allow(dead_code)]

pub mod generated;

use std::path::{Path, PathBuf};
use std::process::Output;

use serde::de::DeserializeOwned;

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

/// `search ARGS --json` through `run` (which runs the binary with the arguments it is given),
/// expecting success: each line of the output read as JSON.
pub fn search_json<T: DeserializeOwned>(
    run: impl FnOnce(&[&str]) -> Output,
    args: &[&str],
) -> Vec<T> {
    let mut all = vec!["search"];
    all.extend_from_slice(args);
    all.push("--json");
    let out = run(&all);
    assert_eq!(
        out.status.code(),
        Some(0),
        "search {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
        .collect()
}

/// Run the clinsearch binary with `args`.
pub fn clinsearch(args: &[&str]) -> Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_clinsearch"))
        .args(args)
        .env("NO_COLOR", "1")
        .output()
        .unwrap()
}

/// `clinsearch index SRC --index IDX` with more arguments after.
pub fn index_into(src: &Path, idx: &Path, more: &[&str]) -> Output {
    let mut args = vec![
        "index",
        src.to_str().unwrap(),
        "--index",
        idx.to_str().unwrap(),
    ];
    args.extend_from_slice(more);
    clinsearch(&args)
}

/// Make the index in `dir` look written by another version of clinsearch: the analysis version
/// is kept in the manifest, the commit's payload.
pub fn mark_other_version(dir: &Path) {
    let meta_path = dir.join("meta.json");
    let mut meta: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&meta_path).unwrap()).unwrap();
    let mut manifest: serde_json::Value =
        serde_json::from_str(meta["payload"].as_str().unwrap()).unwrap();
    manifest["schema"] = 1.into();
    meta["payload"] = manifest.to_string().into();
    std::fs::write(&meta_path, meta.to_string()).unwrap();
}
