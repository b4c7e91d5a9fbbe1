//! Any query string, in query syntax or as natural language, with any kind: results or an
//! error, never a panic.
#![no_main]
use std::sync::LazyLock;

use clinsearch::search::Kind;
use clinsearch::index::{update_index, IndexOptions};
use clinsearch::search::{Request, Searcher};
use libfuzzer_sys::fuzz_target;

/// The bundled corpus, indexed once into a temporary directory.
static SEARCHER: LazyLock<(tempfile::TempDir, Searcher)> = LazyLock::new(|| {
    let dir = tempfile::tempdir().unwrap();
    let corpus = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../corpus");
    update_index(&[corpus], dir.path(), IndexOptions::default()).unwrap();
    let searcher = Searcher::open(dir.path()).unwrap();
    (dir, searcher)
});

fuzz_target!(|data: &[u8]| {
    let Some((&mode, rest)) = data.split_first() else {
        return;
    };
    let Ok(query) = std::str::from_utf8(rest) else {
        return;
    };
    let request = Request {
        query: Some(query.to_string()),
        natural: mode & 1 == 1,
        kind: [Kind::Passage, Kind::Reference, Kind::All][usize::from(mode >> 1) % 3],
        ..Request::default()
    };
    if let Err(e) = SEARCHER.1.search(&request) {
        assert!(!e.to_string().contains('\n'), "multi-line error: {e}");
    }
});
