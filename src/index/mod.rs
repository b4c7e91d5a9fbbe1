//! Writing the index: the schema and text analysis, articles turned into documents, and the
//! incremental, kill-safe run that walks folders, parses what changed and commits.

pub mod abbrev;
pub mod analysis;
pub mod dedup;
pub mod documents;
mod manifest;
pub mod schema;
mod summary;
mod union;
mod walk;
mod writer;

pub use manifest::{
    commit_vectors, committed_vectors, has_vectors, indexed_counts, indexed_files, vectors_in,
    VectorsRef,
};
pub use summary::{Counts, Skipped, Summary};
pub use union::{open_union, UnionDirectory};
pub use walk::Part;
pub use writer::{
    build_index, index_exists, index_settings, update_index, update_index_with, IndexOptions,
    NoProgress, Progress, DEFAULT_COMMIT_EVERY, DEFAULT_MAX_FILE_SIZE, DEFAULT_MEMORY,
};
